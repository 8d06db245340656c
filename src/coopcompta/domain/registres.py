"""The registers the AD asks for: the tableau des subventions and the cahier d'inventaire, built
from the écritures and completed by the treasurer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from coopcompta.domain.comptes import PREFIXE_SUBVENTIONS


def est_subvention(compte: str) -> bool:
    return compte.startswith(PREFIXE_SUBVENTIONS)


@dataclass(frozen=True)
class Subvention:
    """One subsidy received: from the écriture, plus what the treasurer adds."""

    ecriture_id: int
    exercice: str
    piece: str | None
    date: dt.date
    compte: str
    montant: Decimal
    libelle: str
    financeur: str = ""
    decision: dt.date | None = None
    objet: str = ""
    justificatif: str = ""
    utilise: Decimal | None = None

    @property
    def a_completer(self) -> list[str]:
        manque = []
        if not self.financeur:
            manque.append("financeur")
        if not self.justificatif:
            manque.append("justificatif")
        return manque


@dataclass(frozen=True)
class BienDurable:
    """One line of the cahier d'inventaire."""

    ecriture_id: int
    exercice: str
    piece: str | None
    date: dt.date
    valeur: Decimal
    libelle: str
    designation: str = ""
    lieu: str = ""
    sortie: dt.date | None = None

    @property
    def nom(self) -> str:
        return self.designation or self.libelle

    def present_au(self, jour: dt.date) -> bool:
        return self.date <= jour and (self.sortie is None or self.sortie > jour)
