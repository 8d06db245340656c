"""`coop bilan` use case: the exercice's balances read from the ledger, turned into statements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from coopcompta.domain.reports import Bilan, calculer_bilan
from coopcompta.domain.tolerance import (
    META_TOLERANCE_EUROS,
    META_TOLERANCE_PART,
    TOLERANCE_EUROS,
    TOLERANCE_PART,
    Tolerance,
    lire_euros,
    lire_pourcent,
)

if TYPE_CHECKING:
    from coopcompta.domain.plan_comptable import PlanComptable
    from coopcompta.storage import Ledger


def charger_bilan(
    ledger: Ledger,
    exercice: str | None = None,
    plan: PlanComptable | None = None,
    tolerance: Tolerance | None = None,
) -> Bilan:
    """Read the exercice's balances (two GROUP BY queries) and compute its statements."""
    ex = ledger.exercice(exercice)
    if plan is None:
        from coopcompta.usecases.comptabilite import plan_du_ledger

        plan = plan_du_ledger(ledger)
    bilan = calculer_bilan(
        ex,
        ledger.soldes(ex.nom),
        plan,
        ledger.soldes_par_classe(ex.nom),
        tolerance,
    )
    from coopcompta.usecases.fin_annee import par_compte

    return par_compte(ledger, bilan)


def tolerance_de(
    ledger: Ledger | None, euros: str | None = None, pourcent: str | None = None
) -> Tolerance:
    """The tolerance for a run: the options, else the ledger's meta, else the defaults."""
    meta_euros = ledger.meta(META_TOLERANCE_EUROS) if ledger is not None else None
    meta_part = ledger.meta(META_TOLERANCE_PART) if ledger is not None else None
    e = TOLERANCE_EUROS
    p = TOLERANCE_PART
    if euros is not None:
        e = lire_euros(euros, "--tolerance-euros")
    elif meta_euros:
        e = lire_euros(meta_euros, f"réglage {META_TOLERANCE_EUROS}")
    if pourcent is not None:
        p = lire_pourcent(pourcent, "--tolerance-part")
    elif meta_part:
        p = lire_pourcent(meta_part, f"réglage {META_TOLERANCE_PART}")
    return Tolerance(e, p)


@dataclass(frozen=True)
class BilanEtabli:
    """The statements `coop bilan` shows, and the cooperative they are for."""

    bilan: Bilan
    cooperative: str


def etablir_bilan(
    ledger: Ledger,
    exercice: str | None = None,
    tolerance_euros: str | None = None,
    tolerance_part: str | None = None,
) -> BilanEtabli:
    """The exercice's statements with the ledger's chart, under the tolerance asked for
    (the options as typed, else the ledger's setting, else the defaults)."""
    from coopcompta.usecases.comptabilite import plan_du_ledger

    tolerance = tolerance_de(ledger, tolerance_euros, tolerance_part)
    bilan = charger_bilan(ledger, exercice, plan_du_ledger(ledger), tolerance)
    return BilanEtabli(bilan, ledger.meta("nom") or "")
