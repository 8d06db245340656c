"""SQL for the bilan per treasury account: each account's opening balance (report à nouveau)."""

from __future__ import annotations

from decimal import Decimal

from coopcompta.domain.money import depuis_centimes
from coopcompta.storage import Ledger


def ouvertures(ledger: Ledger, exercice: str) -> dict[str, Decimal]:
    """Treasury account -> its opening balance in the exercice (contre-passations netted)."""
    rows = ledger.conn.execute(
        "SELECT tresorerie, sum(montant) FROM ecritures WHERE exercice = ? AND sens = 'ouverture'"
        " GROUP BY tresorerie",
        [exercice],
    )
    return {r[0]: depuis_centimes(r[1]) for r in rows}
