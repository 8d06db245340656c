"""`coop exercices` and `coop nouvel-exercice` use cases: the years of the ledger, closing one.

Closing is two steps, so that the treasurer sees the reports à nouveau before
confirming: `preparer_cloture` checks and computes, `cloturer` writes, all or nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from coopcompta.domain.cloture import exiger_attente_soldee, objections, reports_a_nouveau
from coopcompta.domain.errors import CoopComptaError
from coopcompta.domain.model import Exercice

if TYPE_CHECKING:
    from coopcompta.storage import Ledger


@dataclass(frozen=True)
class EtatExercice:
    exercice: Exercice
    cloture: bool


@dataclass(frozen=True)
class Cloture:
    """What closing the open exercice would do: the next one opens with these balances.

    `objections` are the reasons overridden by --forcer (empty otherwise).
    """

    ancien: Exercice
    nouveau: Exercice
    ouvertures: dict[str, Decimal]
    objections: tuple[str, ...] = ()


def lister_exercices(ledger: Ledger) -> list[EtatExercice]:
    """Every exercice, oldest first, closed or open."""
    from coopcompta.storage.exercices import est_cloture

    return [EtatExercice(ex, est_cloture(ledger, ex.nom)) for ex in ledger.exercices()]


def preparer_cloture(
    ledger: Ledger, aujourdhui: dt.date | None = None, forcer: bool = False
) -> Cloture:
    """Check that the open exercice may close today and compute the next one's opening.

    Money waiting on 471 always refuses (it would vanish from next year's books); a year
    not over yet or `coop verifier` errors refuse unless `forcer`.
    """
    from coopcompta.usecases.comptabilite import plan_du_ledger
    from coopcompta.usecases.verifier import verifier_ledger

    plan = plan_du_ledger(ledger)
    ancien = ledger.exercice()
    nouveau = Exercice.commencant(ancien.debut.year + 1)
    soldes = ledger.soldes(ancien.nom)
    exiger_attente_soldee(ancien, soldes)
    anomalies = verifier_ledger(ledger, ancien.nom, plan).anomalies
    raisons = objections(ancien, aujourdhui or dt.date.today(), anomalies)
    if raisons and not forcer:
        details = "".join(f"\n  - {r}" for r in raisons)
        raise CoopComptaError(
            f"clôture refusée :{details}\nCorrigez d'abord (voir `coop verifier`), "
            "ou relancez avec --forcer.",
            ancien.nom,
        )
    return Cloture(ancien, nouveau, reports_a_nouveau(soldes, plan), tuple(raisons))


def cloturer(ledger: Ledger, cloture: Cloture) -> Exercice:
    """Close the old exercice and open the new one with its reports à nouveau; returns it."""
    from coopcompta.storage.exercices import ouvrir_exercice_suivant

    ouvrir_exercice_suivant(ledger, cloture.ancien, cloture.nouveau, cloture.ouvertures)
    return cloture.nouveau
