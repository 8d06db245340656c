"""domain/ventilation: each part of a ventilation typed part by part fits in what remains."""

from __future__ import annotations

from decimal import Decimal

import pytest

from coopcompta.domain.errors import SaisieInvalide
from coopcompta.domain.ventilation import verifier_part

NBSP = "\u00a0"


def test_a_part_up_to_what_remains_is_accepted():
    assert verifier_part(Decimal("50.00"), Decimal("50.00")) == Decimal("50.00")
    assert verifier_part(Decimal("0.01"), Decimal("50.00")) == Decimal("0.01")


def test_a_part_beyond_what_remains_is_refused_with_both_amounts():
    with pytest.raises(SaisieInvalide) as exc:
        verifier_part(Decimal("60"), Decimal("50"))
    assert exc.value.message == f"60,00{NBSP}€ dépasse le reste à ventiler (50,00{NBSP}€)"


@pytest.mark.parametrize("part", ["0", "-5"])
def test_a_zero_or_negative_part_is_refused(part):
    with pytest.raises(SaisieInvalide, match="le montant doit être positif"):
        verifier_part(Decimal(part), Decimal("50"))
