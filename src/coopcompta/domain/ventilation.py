"""A ventilation typed part by part: each part positive, never more than what remains.

What remains is `ecritures.reste_a_ventiler(montant, lignes)`; the parts must end up
adding to the amount exactly (`Ecriture.verifier_ventilation`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from coopcompta.domain.errors import SaisieInvalide
from coopcompta.domain.money import formater_euros


def verifier_part(part: Decimal, reste: Decimal, ou: str | None = None) -> Decimal:
    """The next part of a ventilation, if it fits in what remains to ventilate."""
    if part <= 0:
        raise SaisieInvalide("le montant doit être positif", ou)
    if part > reste:
        raise SaisieInvalide(
            f"{formater_euros(part)} dépasse le reste à ventiler ({formater_euros(reste)})", ou
        )
    return part


def classe_connue(classe: str | None, connues: Iterable[str]) -> str | None:
    """A class or project name as the ledger already spells it: `cp` is `CP` when `CP` is
    known (names are case-insensitive); a new name is kept as typed, trimmed."""
    texte = (classe or "").strip()
    if not texte:
        return None
    cle = texte.casefold()
    return next((c for c in sorted(connues) if c.casefold() == cle), texte)
