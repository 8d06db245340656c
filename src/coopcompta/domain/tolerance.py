"""Settings of the year-end checks: the tolerance on the exceptional balance.

The OCCE's rule is that produits exceptionnels − charges exceptionnelles stay
"close to zero"; no AD publishes a figure, so the tool applies

    tolerance = max(50 €, 1 % of the year's total recettes)

- 50 € absorbs what legitimately lands there in a small coop (a few euros of
  cash-box discrepancy, one unpaid family cheque of 15-30 €, a bank
  regularisation) without hiding a misfiled operation: a subsidy, a batch of
  class photos or a kermesse takings are hundreds of euros.
- 1 % of receipts lets the threshold grow with the coop (a 20 000 € school
  gets 200 €), where such small items add up, while staying well under any
  real operation of that coop.

Both can be changed per ledger (meta keys below) or per run
(`--tolerance-euros`, `--tolerance-part`, the latter in percent).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from coopcompta.domain.errors import CoopComptaError
from coopcompta.domain.money import CENT, lire_montant

if TYPE_CHECKING:
    pass

TOLERANCE_EUROS = Decimal("50.00")
TOLERANCE_PART = Decimal("0.01")  # a fraction: 0.01 is 1 % of the year's receipts

META_TOLERANCE_EUROS = "tolerance_exceptionnel_euros"  # e.g. "50.00"
META_TOLERANCE_PART = "tolerance_exceptionnel_pourcent"  # e.g. "1" for 1 %


@dataclass(frozen=True)
class Tolerance:
    """How far from zero the exceptional balance may be: the larger of both limits."""

    euros: Decimal = TOLERANCE_EUROS
    part: Decimal = TOLERANCE_PART

    def seuil(self, recettes: Decimal) -> Decimal:
        """The tolerance in euros for a year with these total receipts."""
        proportionnelle = (self.part * max(recettes, Decimal(0))).quantize(CENT)
        return max(self.euros, proportionnelle)

    def decrire(self) -> str:
        """`le plus grand de 50,00 € et 1 % des recettes` for reports."""
        from coopcompta.domain.money import formater_euros

        pourcent = _formater_pourcent(self.part)
        return f"le plus grand de {formater_euros(self.euros)} et {pourcent} % des recettes"


def _formater_pourcent(part: Decimal) -> str:
    text = f"{(part * 100).normalize():f}"
    return text.replace(".", ",")


def lire_pourcent(texte: str, ou: str) -> Decimal:
    """`1`, `1,5`, `1.5 %` (a percentage) -> the fraction 0.015; refuses negatives."""
    s = re.sub(r"[\s%\u00a0\u202f]", "", texte).replace(",", ".")
    try:
        value = Decimal(s)
    except InvalidOperation:
        raise CoopComptaError(f"pourcentage illisible « {texte} » (par ex. 1 ou 1,5)", ou) from None
    if not value.is_finite() or value < 0 or value > 100:
        raise CoopComptaError(f"pourcentage hors de 0 à 100 « {texte} »", ou)
    return value / 100


def lire_euros(texte: str, ou: str) -> Decimal:
    value = lire_montant(texte, ou)
    if value < 0:
        raise CoopComptaError(f"tolérance négative « {texte} »", ou)
    return value
