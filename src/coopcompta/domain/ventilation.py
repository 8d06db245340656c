"""A ventilation typed part by part: each part positive, never more than what remains.

What remains is `ecritures.reste_a_ventiler(montant, lignes)`; the parts must end up
adding to the amount exactly (`Ecriture.verifier_ventilation`).
"""

from __future__ import annotations

from decimal import Decimal

from coopcompta.domain.errors import SaisieInvalide
from coopcompta.domain.money import format_euros


def verifier_part(part: Decimal, reste: Decimal, ou: str | None = None) -> Decimal:
    """The next part of a ventilation, if it fits in what remains to ventilate."""
    if part <= 0:
        raise SaisieInvalide("le montant doit être positif", ou)
    if part > reste:
        raise SaisieInvalide(
            f"{format_euros(part)} dépasse le reste à ventiler ({format_euros(reste)})", ou
        )
    return part
