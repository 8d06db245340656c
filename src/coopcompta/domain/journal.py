"""What the journal counts: the recette and dépense columns and their totals, filtered or not.

Filtered by an account or a class tag, a recette or dépense counts only its matching
lines, so that the totals are those of `coop bilan` for that account or class. A
virement or an ouverture (report à nouveau) is neither: it stays out of the totals.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from coopcompta.domain.model import Ecriture, Ligne, Sens

ZERO = Decimal("0")


def lignes_retenues(
    e: Ecriture, compte: str | None = None, classe: str | None = None
) -> tuple[Ligne, ...]:
    """The ventilation lines of `e` that a journal filtered by account and/or class counts.

    A treasury account keeps every line of the écritures paid from it (its side is the
    whole amount); any other account, and a class, keep only their own lines.
    """
    return tuple(
        lg
        for lg in e.ventilation
        if (classe is None or lg.classe == classe)
        and (compte is None or compte in (lg.compte, e.tresorerie))
    )


@dataclass
class TotauxJournal:
    """The journal's running totals, counted écriture by écriture as it is read."""

    compte: str | None = None
    classe: str | None = None
    recettes: Decimal = ZERO
    depenses: Decimal = ZERO
    ecritures: int = 0

    @property
    def filtre(self) -> bool:
        return self.compte is not None or self.classe is not None

    def compter(
        self, e: Ecriture
    ) -> tuple[Decimal | None, Decimal | None, tuple[Ligne, ...] | None]:
        """Count `e`: its recette, its dépense (None when it is not one) and, filtered, the
        lines retained."""
        self.ecritures += 1
        retenues = lignes_retenues(e, self.compte, self.classe) if self.filtre else None
        montant = e.montant if retenues is None else sum((lg.montant for lg in retenues), ZERO)
        recette = montant if e.sens is Sens.RECETTE else None
        depense = montant if e.sens is Sens.DEPENSE else None
        self.recettes += recette or ZERO
        self.depenses += depense or ZERO
        return recette, depense, retenues
