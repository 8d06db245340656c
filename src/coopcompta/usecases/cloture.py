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

    `objections` are the reasons overridden by --forcer (empty otherwise), `raison` the
    reason the treasurer gave for it (kept with the seal), `avertissements` the warnings
    of `coop verifier`, shown before asking.
    """

    ancien: Exercice
    nouveau: Exercice
    ouvertures: dict[str, Decimal]
    objections: tuple[str, ...] = ()
    raison: str | None = None
    avertissements: tuple[str, ...] = ()


def lister_exercices(ledger: Ledger) -> list[EtatExercice]:
    """Every exercice, oldest first, closed or open."""
    from coopcompta.storage.exercices import est_cloture

    return [EtatExercice(ex, est_cloture(ledger, ex.nom)) for ex in ledger.exercices()]


def preparer_cloture(
    ledger: Ledger, aujourdhui: dt.date | None = None, forcer: str | None = None
) -> Cloture:
    """Check that the open exercice may close today and compute the next one's opening.

    Money waiting on 471 or a negative caisse always refuses (it would be carried into
    next year's books); a year not over yet, `coop verifier` errors, no reconciliation at
    the last day or no cash count matching the books refuse unless `forcer` gives a reason.
    """
    from coopcompta.domain.model import Gravite
    from coopcompta.usecases.comptabilite import plan_du_ledger
    from coopcompta.usecases.scellement import exigences
    from coopcompta.usecases.verifier import verifier_ledger

    plan = plan_du_ledger(ledger)
    ancien = ledger.exercice()
    nouveau = Exercice.commencant(ancien.debut.year + 1)
    soldes = ledger.soldes(ancien.nom)
    exiger_attente_soldee(ancien, soldes)
    requis = exigences(ledger, ancien)
    if requis.bloquants:
        details = "".join(f"\n  - {r}" for r in requis.bloquants)
        raise CoopComptaError(f"clôture refusée :{details}", ancien.nom)
    if forcer is not None and not forcer.strip():
        raise CoopComptaError('donnez la raison du forçage : --forcer "raison"', "--forcer")
    anomalies = verifier_ledger(ledger, ancien.nom, plan).anomalies
    raisons = objections(ancien, aujourdhui or dt.date.today(), anomalies)
    raisons += requis.forcables
    if raisons and not forcer:
        details = "".join(f"\n  - {r}" for r in raisons)
        raise CoopComptaError(
            f"clôture refusée :{details}\nCorrigez d'abord (voir `coop verifier`), "
            'ou relancez avec --forcer "raison".',
            ancien.nom,
        )
    return Cloture(
        ancien,
        nouveau,
        reports_a_nouveau(soldes, plan),
        tuple(raisons),
        forcer.strip() if raisons and forcer else None,
        tuple(f"[{a.code}] {a.message}" for a in anomalies if a.gravite is Gravite.AVERTISSEMENT),
    )


def cloturer(ledger: Ledger, cloture: Cloture) -> Exercice:
    """Close the old exercice, seal its écritures (SHA-256 chain) and open the new one with
    its reports à nouveau, all or nothing; returns the new one."""
    from coopcompta.storage.exercices import ouvrir_exercice_suivant
    from coopcompta.usecases.scellement import sceller_exercice

    with ledger.transaction():
        sceller_exercice(ledger, cloture.ancien, cloture.raison)
        ouvrir_exercice_suivant(ledger, cloture.ancien, cloture.nouveau, cloture.ouvertures)
    return cloture.nouveau
