"""SQL of `coop rapprochement`: balances at a date, écritures not yet pointed, reconciliations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from coopcompta.domain.money import depuis_centimes, en_centimes
from coopcompta.domain.rapprochement import LigneHorsLivre, Mouvement, Tableau
from coopcompta.storage import Ledger


def solde_au(ledger: Ledger, exercice: str, compte: str, date: dt.date) -> Decimal:
    """Balance of an account in the exercice at the end of `date` (opening included)."""
    row = ledger.conn.execute(
        "SELECT coalesce(sum(l.montant), 0) FROM lignes l JOIN ecritures e"
        " ON e.id = l.ecriture_id WHERE l.exercice = ? AND l.compte = ? AND e.date <= ?",
        [exercice, compte, date.isoformat()],
    ).fetchone()
    return depuis_centimes(row[0])


# An écriture is on the statement of `compte` when the treasurer pointed it, when it came
# from that account's statement (coop import), or when such a line confirmed it.
_POINTE = (
    "(EXISTS (SELECT 1 FROM pointages p WHERE p.ecriture_id = e.id AND p.compte = l.compte)"
    " OR EXISTS (SELECT 1 FROM imports i WHERE i.id = e.import_id AND i.tresorerie = l.compte)"
    " OR EXISTS (SELECT 1 FROM import_rapprochements r"
    " WHERE r.ecriture_id = e.id AND r.compte = l.compte))"
)


def non_pointes(ledger: Ledger, compte: str, date: dt.date) -> list[Mouvement]:
    """Écritures on `compte` up to `date` (any exercice) not yet seen on its statement.

    Openings carry balances already reconciled; an écriture and its contre-passation
    cancel out and never reach the bank.
    """
    rows = ledger.conn.execute(
        "SELECT e.id, e.date, e.piece, e.libelle, e.cheque, sum(l.montant) FROM lignes l"
        " JOIN ecritures e ON e.id = l.ecriture_id"
        " WHERE l.compte = ? AND e.date <= ? AND e.sens <> 'ouverture' AND e.annule IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM ecritures c WHERE c.annule = e.id)"
        f" AND NOT {_POINTE}"
        " GROUP BY e.id HAVING sum(l.montant) <> 0 ORDER BY e.date, e.id",
        [compte, date.isoformat()],
    )
    return [
        Mouvement(r[0], dt.date.fromisoformat(r[1]), r[2], r[3], depuis_centimes(r[5]), r[4])
        for r in rows
    ]


def pointer(ledger: Ledger, compte: str, ids: Iterable[int], rapprochement_id: int | None) -> None:
    ledger.conn.executemany(
        "INSERT OR IGNORE INTO pointages(ecriture_id, compte, rapprochement_id) VALUES (?, ?, ?)",
        [(i, compte, rapprochement_id) for i in ids],
    )


def enregistrer(
    ledger: Ledger, exercice: str, t: Tableau, pointes: Iterable[int], source: str | None
) -> int:
    now = dt.datetime.now().isoformat(timespec="seconds")
    cur = ledger.conn.execute(
        "INSERT INTO rapprochements(exercice, compte, date, solde_releve, solde_livre, source,"
        " fait_le) VALUES (?,?,?,?,?,?,?)",
        [
            exercice,
            t.compte,
            t.date.isoformat(),
            en_centimes(t.solde_releve),
            en_centimes(t.solde_livre),
            source,
            now,
        ],
    )
    rid = cur.lastrowid
    assert rid is not None
    ledger.conn.executemany(
        "INSERT INTO rapprochement_lignes(rapprochement_id, ecriture_id, piece, date, libelle,"
        " montant, hors_livre) VALUES (?,?,?,?,?,?,?)",
        [
            (rid, m.ecriture_id, m.piece, m.date.isoformat(), m.libelle, en_centimes(m.montant), 0)
            for m in t.en_suspens
        ]
        + [(rid, None, None, None, h.libelle, en_centimes(h.montant), 1) for h in t.hors_livre],
    )
    pointer(ledger, t.compte, pointes, rid)
    return rid


@dataclass(frozen=True)
class Rapprochement:
    """A recorded reconciliation, and the tableau it gives with today's books."""

    id: int
    fait_le: str
    source: str | None
    enregistre: Tableau
    actuel: Tableau


def derniers(ledger: Ledger, exercice: str) -> list[Rapprochement]:
    """The latest reconciliation of each account in the exercice, rechecked against the books."""
    rows = ledger.conn.execute(
        "SELECT r.* FROM rapprochements r WHERE r.exercice = ? AND r.id = (SELECT max(id)"
        " FROM rapprochements s WHERE s.exercice = r.exercice AND s.compte = r.compte)"
        " ORDER BY r.compte",
        [exercice],
    ).fetchall()
    resultat = []
    for r in rows:  # one per treasury account: a handful
        lignes = ledger.conn.execute(
            "SELECT rl.*, (SELECT sum(l.montant) FROM lignes l WHERE l.ecriture_id ="
            " rl.ecriture_id AND l.compte = ?) AS actuel FROM rapprochement_lignes rl"
            " WHERE rl.rapprochement_id = ? ORDER BY rowid",
            [r["compte"], r["id"]],
        ).fetchall()
        date = dt.date.fromisoformat(r["date"])
        suspens, suspens_actuel, hors = [], [], []
        for lg in lignes:
            if lg["hors_livre"]:
                hors.append(LigneHorsLivre(lg["libelle"], depuis_centimes(lg["montant"])))
                continue
            m = Mouvement(
                lg["ecriture_id"] or 0,
                dt.date.fromisoformat(lg["date"]),
                lg["piece"],
                lg["libelle"],
                depuis_centimes(lg["montant"]),
            )
            suspens.append(m)
            if lg["actuel"] is not None:
                suspens_actuel.append(
                    Mouvement(
                        m.ecriture_id, m.date, m.piece, m.libelle, depuis_centimes(lg["actuel"])
                    )
                )
        releve = depuis_centimes(r["solde_releve"])
        enregistre = Tableau(
            r["compte"],
            date,
            releve,
            depuis_centimes(r["solde_livre"]),
            tuple(suspens),
            tuple(hors),
        )
        actuel = Tableau(
            r["compte"],
            date,
            releve,
            solde_au(ledger, exercice, r["compte"], date),
            tuple(suspens_actuel),
            tuple(hors),
        )
        resultat.append(Rapprochement(r["id"], r["fait_le"], r["source"], enregistre, actuel))
    return resultat


def retenir_solde_releve(
    ledger: Ledger, compte: str, date: dt.date, solde: Decimal, fichier: str
) -> None:
    ledger.conn.execute(
        "INSERT INTO soldes_releves(compte, date, solde, fichier) VALUES (?,?,?,?)",
        [compte, date.isoformat(), en_centimes(solde), fichier],
    )


def solde_releve(ledger: Ledger, compte: str, date: dt.date) -> tuple[Decimal, str] | None:
    """The balance a statement file gave for `compte` at `date`, if one was imported."""
    row = ledger.conn.execute(
        "SELECT solde, fichier FROM soldes_releves WHERE compte = ? AND date = ?"
        " ORDER BY id DESC LIMIT 1",
        [compte, date.isoformat()],
    ).fetchone()
    return (depuis_centimes(row[0]), row[1]) if row else None
