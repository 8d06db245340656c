"""The ledger a command works on: opening it, the chart it was created with, its learned history.

Every use case starts here. Storage and the chart reader load inside the functions, so
that a CLI module may import this one at import time and `coop --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coopcompta.domain.plan_comptable import PlanComptable
    from coopcompta.domain.suggestions import Suggesteur

    # Re-exported for the CLI's annotations: the CLI does not import storage.
    from coopcompta.storage import Ledger as Ledger


def ouvrir_ledger(db: Path | None) -> Ledger:
    """Open the ledger named by --db / $COOP_DB / ./coop.db."""
    from coopcompta.storage import chemin_db, ouvrir

    return ouvrir(chemin_db(db))


def plan_du_ledger(ledger: Ledger) -> PlanComptable:
    """The chart the ledger was created with (its own file, or the shipped default)."""
    from coopcompta.domain.errors import PlanInvalide
    from coopcompta.importers.plan import charger_plan

    chemin = ledger.meta("plan")
    try:
        return charger_plan(chemin)
    except PlanInvalide as exc:
        if chemin is None:
            raise
        raise PlanInvalide(
            f"{exc.message} : c'est le plan comptable de cette comptabilité "
            f"({ledger.path}) ; remettez-le en place",
            exc.ou,
        ) from None


def plan_a_consulter(db: Path | None, fichier: Path | None) -> PlanComptable:
    """The chart `coop plan` shows: the file asked for, else the ledger's if there is one,
    else the shipped one (before `coop init`)."""
    from coopcompta.importers.plan import charger_plan
    from coopcompta.storage import chemin_db

    if fichier is not None:
        return charger_plan(fichier)
    if chemin_db(db).exists():
        with ouvrir_ledger(db) as ledger:
            return plan_du_ledger(ledger)
    return charger_plan()


def preparer_suggesteur(ledger: Ledger, plan: PlanComptable) -> Suggesteur:
    """Account suggestions from the chart's keywords and the ledger's past libellés."""
    from coopcompta.domain.suggestions import Suggesteur

    return Suggesteur(plan, ledger.historique_libelles())
