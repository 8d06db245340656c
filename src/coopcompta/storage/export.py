"""SQL for `coop export`: which accounts the Journal needs as columns, before streaming it,
and which écritures are cancelled (their pièces are named by the contre-passations)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coopcompta.domain.comptes import COMPTE_REPORT

if TYPE_CHECKING:
    from coopcompta.storage import Ledger


def comptes_du_journal(ledger: Ledger, exercice: str) -> tuple[list[str], list[str]]:
    """(treasury accounts, ventilation accounts) used by the exercice's écritures.

    The treasury side of an écriture has role 't' (both sides of a virement, the
    treasury account of an opening entry, whose other side is the report à nouveau).
    """
    rows = ledger.conn.execute(
        "SELECT DISTINCT role, compte FROM lignes WHERE exercice = ?", [exercice]
    ).fetchall()
    tresoreries = sorted(r[1] for r in rows if r[0] == "t" and r[1] != COMPTE_REPORT)
    ventilations = sorted(r[1] for r in rows if r[0] == "v")
    return tresoreries, ventilations


def ecritures_annulees(ledger: Ledger, exercice: str) -> set[int]:
    """Ids of the écritures that a contre-passation of the exercice cancels."""
    return {
        r[0]
        for r in ledger.conn.execute(
            "SELECT annule FROM ecritures WHERE annule IS NOT NULL AND exercice = ?", [exercice]
        )
    }
