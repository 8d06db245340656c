"""SQL of `coop ventiler`: écritures waiting on 471, completed in place, and the trace kept.

A deferred ventilation replaces only the ventilation lines on 471 of an écriture;
the treasury line, the pièce and the import fingerprint stay as they were. Each
change leaves a row in `ventilations_differees` (what the écriture was before and
after), so nothing is rewritten silently.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coopcompta.domain.comptes import COMPTE_ATTENTE
from coopcompta.domain.model import Ecriture, Ligne, Sens
from coopcompta.domain.money import depuis_centimes, en_centimes
from coopcompta.storage import Ledger, migrations

if TYPE_CHECKING:
    from sqlite_utils import Database


@migrations(name="m_ventilation_001_differees")
def m_ventilation_001_differees(db: Database) -> None:
    # `ecriture_id` becomes NULL when the écriture itself is deleted (`coop import --annuler`):
    # the trace survives, and a later écriture reusing the id is not mistaken for this one.
    # `empreinte` (the import fingerprint) still names the bank line.
    db.execute(
        "CREATE TABLE ventilations_differees ("
        " id INTEGER PRIMARY KEY,"
        " ecriture_id INTEGER REFERENCES ecritures(id) ON DELETE SET NULL,"
        " exercice TEXT NOT NULL,"
        " piece TEXT,"
        " date TEXT NOT NULL,"
        " libelle TEXT NOT NULL,"
        " empreinte TEXT,"
        " ventile_le TEXT NOT NULL,"
        " avant TEXT NOT NULL,"
        " apres TEXT NOT NULL)"
    )
    db.execute(
        "CREATE INDEX idx_ventilations_differees_ecriture ON ventilations_differees(ecriture_id)"
    )
    db.execute(
        "CREATE INDEX idx_ventilations_differees_empreinte ON ventilations_differees(empreinte)"
    )


def ids_en_attente(ledger: Ledger, exercice: str) -> list[int]:
    """Écritures of the exercice with a ventilation line on 471, neither cancelled nor
    cancelling, in date order."""
    rows = ledger.conn.execute(
        "SELECT e.id FROM ecritures e WHERE e.id IN"
        " (SELECT ecriture_id FROM lignes WHERE exercice = ? AND compte = ? AND role = 'v')"
        " AND e.annule IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM ecritures c WHERE c.annule = e.id)"
        " ORDER BY e.date, e.id",
        [exercice, COMPTE_ATTENTE],
    )
    return [r[0] for r in rows]


def _etat(e: Ecriture) -> str:
    """An écriture's accounts as stored, for the trace: JSON with amounts in centimes."""
    return json.dumps(
        {
            "sens": e.sens.value,
            "tresorerie": e.tresorerie,
            "contrepartie": e.contrepartie,
            "ventilation": [
                [lg.compte, en_centimes(lg.montant), lg.classe] for lg in e.ventilation
            ],
        },
        ensure_ascii=False,
    )


def remplacer_attente(ledger: Ledger, avant: Ecriture, apres: Ecriture) -> None:
    """Write `apres` over `avant` (its lines on 471 gone to real accounts, or the
    écriture become a virement interne) through the one writer, which checks that it
    still balances; then record the trace. Runs inside the caller's transaction."""
    assert avant.id is not None and (apres.id, apres.exercice) == (avant.id, avant.exercice)
    with ledger.enregistreur() as enregistreur:
        enregistreur.remplacer(apres)
    ledger.conn.execute(
        "INSERT INTO ventilations_differees(ecriture_id, exercice, piece, date, libelle,"
        " empreinte, ventile_le, avant, apres) VALUES (?,?,?,?,?,?,?,?,?)",
        [
            avant.id,
            avant.exercice,
            avant.piece,
            avant.date.isoformat(),
            avant.libelle,
            avant.empreinte,
            dt.datetime.now().isoformat(timespec="seconds"),
            _etat(avant),
            _etat(apres),
        ],
    )


def historique(ledger: Ledger, ecriture_id: int) -> list[dict[str, object]]:
    """The deferred ventilations of one écriture, oldest first (for tests and audits)."""
    rows = ledger.conn.execute(
        "SELECT ventile_le, avant, apres FROM ventilations_differees WHERE ecriture_id = ?"
        " ORDER BY id",
        [ecriture_id],
    )
    return [
        {"ventile_le": r[0], "avant": json.loads(r[1]), "apres": json.loads(r[2])} for r in rows
    ]


@dataclass(frozen=True)
class Precedente:
    """How a bank line was ventilated before its import was undone (`coop import --annuler`)."""

    ventile_le: dt.date
    lignes: tuple[Ligne, ...]  # the whole ventilation, for a recette or dépense
    autre_tresorerie: str | None  # the other account, when it had become a virement interne


def precedentes(ledger: Ledger, empreintes: Iterable[str]) -> dict[str, Precedente]:
    """Fingerprint -> its last ventilation, among écritures deleted since (same bank line)."""
    result: dict[str, Precedente] = {}
    cles = list(empreintes)
    for debut in range(0, len(cles), 500):
        lot = cles[debut : debut + 500]
        rows = ledger.conn.execute(
            "SELECT empreinte, ventile_le, avant, apres FROM ventilations_differees"
            f" WHERE ecriture_id IS NULL AND empreinte IN ({','.join('?' * len(lot))})"
            " ORDER BY id",
            lot,
        )
        for r in rows:  # the latest wins
            avant, apres = json.loads(r[2]), json.loads(r[3])
            autre = None
            if apres["sens"] == Sens.VIREMENT.value:
                paire = {apres["tresorerie"], apres["contrepartie"]} - {avant["tresorerie"]}
                autre = paire.pop() if paire else None
            result[r[0]] = Precedente(
                dt.date.fromisoformat(r[1][:10]),
                tuple(Ligne(c, depuis_centimes(m), k) for c, m, k in apres["ventilation"]),
                autre,
            )
    return result
