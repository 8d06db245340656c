"""Year end: what the next exercice opens with (report à nouveau of each treasury account)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from .model import Nature
from .plan_comptable import PlanComptable


def reports_a_nouveau(soldes: Mapping[str, Decimal], plan: PlanComptable) -> dict[str, Decimal]:
    """Closing balance of every treasury account, to open the next exercice with.

    Accounts with a zero balance are left out; an account absent from the chart
    keeps its balance only if it is a treasury account in the chart, so a stray
    code never becomes an opening balance.
    """
    ouvertures: dict[str, Decimal] = {}
    for code, solde in sorted(soldes.items()):
        compte = plan.trouver(code)
        if compte is not None and compte.nature is Nature.TRESORERIE and solde != 0:
            ouvertures[compte.numero] = solde
    return ouvertures
