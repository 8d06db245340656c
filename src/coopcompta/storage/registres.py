"""SQL of the registers: subsidies and durable goods read from their accounts, with what the
treasurer added."""

from __future__ import annotations

import datetime as dt
from typing import Any

from coopcompta.domain.comptes import COMPTE_BIENS_DURABLES
from coopcompta.domain.money import depuis_centimes, en_centimes
from coopcompta.domain.registres import BienDurable, Subvention
from coopcompta.storage import Ledger

# Contre-passations and the écritures they cancel are left out: they cancel each other.
_VALIDES = "e.annule IS NULL AND NOT EXISTS (SELECT 1 FROM ecritures c WHERE c.annule = e.id)"


def _date(texte: str | None) -> dt.date | None:
    return dt.date.fromisoformat(texte) if texte else None


def lignes_de_subventions(ledger: Ledger, exercice: str) -> int:
    """How many lines the exercice holds on subsidy accounts (cancelled ones included): an
    upper bound of the register's length, counted on the index alone."""
    row = ledger.conn.execute(
        "SELECT count(*) FROM lignes WHERE exercice = ? AND compte >= '74' AND compte < '75'"
        " AND role = 'v'",
        [exercice],
    ).fetchone()
    return int(row[0])


def subventions(ledger: Ledger, exercice: str, limite: int | None = None) -> list[Subvention]:
    """The subsidy écritures of the exercice in date order (the first `limite` only, if given)."""
    rows = ledger.conn.execute(
        "SELECT e.id, e.exercice, e.piece, e.date, e.libelle, min(l.compte), -sum(l.montant),"
        " s.financeur, s.decision, s.objet, s.justificatif, s.utilise FROM lignes l"
        " JOIN ecritures e ON e.id = l.ecriture_id"
        " LEFT JOIN registre_subventions s ON s.ecriture_id = e.id"
        " WHERE l.exercice = ? AND l.role = 'v' AND l.compte >= '74' AND l.compte < '75'"
        f" AND {_VALIDES}"
        " GROUP BY e.id ORDER BY e.date, e.id LIMIT ?",
        [exercice, -1 if limite is None else limite],
    )
    return [
        Subvention(
            ecriture_id=r[0],
            exercice=r[1],
            piece=r[2],
            date=dt.date.fromisoformat(r[3]),
            libelle=r[4],
            compte=r[5],
            montant=depuis_centimes(r[6]),
            financeur=r[7] or "",
            decision=_date(r[8]),
            objet=r[9] or "",
            justificatif=r[10] or "",
            utilise=None if r[11] is None else depuis_centimes(r[11]),
        )
        for r in rows
    ]


def inventaire(ledger: Ledger, jusqu_au: dt.date) -> list[BienDurable]:
    """Every durable good bought up to `jusqu_au`, in any exercice (the cahier spans years)."""
    rows = ledger.conn.execute(
        "SELECT e.id, e.exercice, e.piece, e.date, e.libelle, sum(l.montant),"
        " i.designation, i.lieu, i.sortie FROM lignes l JOIN ecritures e ON e.id = l.ecriture_id"
        " LEFT JOIN registre_inventaire i ON i.ecriture_id = e.id"
        f" WHERE l.compte = ? AND l.role = 'v' AND e.date <= ? AND {_VALIDES}"
        " GROUP BY e.id ORDER BY e.date, e.id",
        [COMPTE_BIENS_DURABLES, jusqu_au.isoformat()],
    )
    return [
        BienDurable(
            ecriture_id=r[0],
            exercice=r[1],
            piece=r[2],
            date=dt.date.fromisoformat(r[3]),
            libelle=r[4],
            valeur=depuis_centimes(r[5]),
            designation=r[6] or "",
            lieu=r[7] or "",
            sortie=_date(r[8]),
        )
        for r in rows
    ]


def completer(ledger: Ledger, table: str, ecriture_id: int, champs: dict[str, Any]) -> None:
    """Set the given fields of one register line (created when absent)."""
    assert table in ("registre_subventions", "registre_inventaire")
    valeurs = {
        k: (
            v.isoformat()
            if isinstance(v, dt.date)
            else en_centimes(v)
            if k == "utilise" and v is not None
            else v
        )
        for k, v in champs.items()
    }
    ledger.conn.execute(f"INSERT OR IGNORE INTO {table}(ecriture_id) VALUES (?)", [ecriture_id])
    if valeurs:
        sets = ", ".join(f"{k} = ?" for k in valeurs)
        ledger.conn.execute(
            f"UPDATE {table} SET {sets} WHERE ecriture_id = ?", [*valeurs.values(), ecriture_id]
        )
