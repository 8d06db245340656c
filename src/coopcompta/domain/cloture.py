"""Year end: may the exercice be closed, and what the next one opens with (report à nouveau)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from coopcompta.domain.model import Anomalie, Exercice, Gravite, Nature
from coopcompta.domain.plan_comptable import PlanComptable


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


def objections(exercice: Exercice, aujourdhui: dt.date, anomalies: Iterable[Anomalie]) -> list[str]:
    """Why closing now would be premature: the year is not over, or `coop verifier` finds errors.

    The treasurer may override them (`--forcer`); what waits on 471 is checked apart,
    since it would be lost from the next year's books.
    """
    raisons = []
    if aujourdhui <= exercice.fin:
        raisons.append(f"l'exercice {exercice.nom} ne se termine que le {exercice.fin:%d/%m/%Y}")
    raisons.extend(
        f"[{a.code}] {a.message}"
        for a in anomalies
        if a.gravite is Gravite.ERREUR and a.code != "compte-attente-471"
    )
    return raisons
