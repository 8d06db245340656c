"""SQL of `coop caisse`: cash movements in date order, daily totals, arrêtés de caisse."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

from coopcompta.domain.caisse import ArreteDeCaisse
from coopcompta.domain.money import depuis_centimes, en_centimes
from coopcompta.storage import Ledger

_CAISSES = "(l.compte LIKE '53%' OR l.compte LIKE '54%')"


@dataclass(frozen=True)
class MouvementsCaisse:
    """One cash account's opening and movements (date, pièce, libellé, signed amount)."""

    compte: str
    ouverture: Decimal
    lignes: list[tuple[dt.date, str | None, str, Decimal]]


def mouvements(ledger: Ledger, exercice: str) -> dict[str, MouvementsCaisse]:
    """Every cash and régie account of the exercice, read in one pass in date order."""
    rows = ledger.conn.execute(
        "SELECT l.compte, e.sens, e.date, e.piece, e.libelle, sum(l.montant) FROM lignes l"
        f" JOIN ecritures e ON e.id = l.ecriture_id WHERE l.exercice = ? AND {_CAISSES}"
        " GROUP BY l.compte, e.id ORDER BY l.compte, e.date, e.id",
        [exercice],
    )
    ouvertures: dict[str, int] = {}
    lignes: dict[str, list[tuple[dt.date, str | None, str, Decimal]]] = {}
    for compte, sens, date, piece, libelle, montant in rows:
        lignes.setdefault(compte, [])
        if sens == "ouverture":
            ouvertures[compte] = ouvertures.get(compte, 0) + montant
        else:
            lignes[compte].append(
                (dt.date.fromisoformat(date), piece, libelle, depuis_centimes(montant))
            )
    return {
        c: MouvementsCaisse(c, depuis_centimes(ouvertures.get(c, 0)), lg)
        for c, lg in lignes.items()
    }


def par_jour(
    ledger: Ledger, exercice: str, comptes: list[str]
) -> dict[str, list[tuple[dt.date, Decimal]]]:
    """Net movement per day of each cash account named (opening included)."""
    if not comptes:
        return {}
    marks = ",".join("?" * len(comptes))
    rows = ledger.conn.execute(
        "SELECT l.compte, e.date, sum(l.montant) FROM lignes l JOIN ecritures e"
        f" ON e.id = l.ecriture_id WHERE l.exercice = ? AND l.compte IN ({marks})"
        " GROUP BY l.compte, e.date ORDER BY l.compte, e.date",
        [exercice, *comptes],
    )
    resultat: dict[str, list[tuple[dt.date, Decimal]]] = {c: [] for c in comptes}
    for compte, date, montant in rows:
        resultat[compte].append((dt.date.fromisoformat(date), depuis_centimes(montant)))
    return resultat


def enregistrer_arrete(ledger: Ledger, exercice: str, a: ArreteDeCaisse) -> None:
    detail = {str(en_centimes(v)): n for v, n in sorted(a.quantites.items(), reverse=True) if n}
    ledger.conn.execute(
        "INSERT INTO arretes_caisse(exercice, compte, date, par, total, solde_livre, detail,"
        " fait_le) VALUES (?,?,?,?,?,?,?,?)",
        [
            exercice,
            a.compte,
            a.date.isoformat(),
            a.par,
            en_centimes(a.total),
            en_centimes(a.solde_livre),
            json.dumps(detail),
            dt.datetime.now().isoformat(timespec="seconds"),
        ],
    )


def derniers_arretes(ledger: Ledger, exercice: str) -> list[ArreteDeCaisse]:
    """The latest count of each cash account in the exercice (as recorded)."""
    rows = ledger.conn.execute(
        "SELECT * FROM arretes_caisse a WHERE exercice = ? AND id = (SELECT max(id) FROM"
        " arretes_caisse b WHERE b.exercice = a.exercice AND b.compte = a.compte) ORDER BY compte",
        [exercice],
    )
    return [
        ArreteDeCaisse(
            compte=r["compte"],
            date=dt.date.fromisoformat(r["date"]),
            par=r["par"],
            quantites={depuis_centimes(int(v)): n for v, n in json.loads(r["detail"]).items()},
            solde_livre=depuis_centimes(r["solde_livre"]),
        )
        for r in rows
    ]
