from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcompta.domain.errors import MontantInvalide
from coopcompta.domain.money import (
    depuis_centimes,
    en_centimes,
    formater_euros,
    formater_point,
    lire_montant,
)


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("12,50", "12.50"),
        ("1 234,56", "1234.56"),
        ("1\u00a0234,56", "1234.56"),
        ("1\u202f234,56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("-12,50", "-12.50"),
        ("12,50-", "-12.50"),
        ("+3", "3.00"),
        ("12.5", "12.50"),
        ("100", "100.00"),
        (" 80,00 € ", "80.00"),
        ("1.234", "1234.00"),
        ("1.234.567", "1234567.00"),
        ("-1.234.567", "-1234567.00"),
    ],
)
def test_french_amounts_are_read_exactly(texte, attendu):
    assert lire_montant(texte) == Decimal(attendu)


@pytest.mark.parametrize("texte", ["12,3O", "", "1,234,5", "--1", "12,345", "abc", "1 2,5 3"])
def test_unreadable_amounts_are_refused_with_the_place_and_the_text(texte):
    with pytest.raises(MontantInvalide) as exc:
        lire_montant(texte, "releve.csv:14")
    assert str(exc.value).startswith("releve.csv:14: montant")
    if texte:
        assert f"« {texte} »" in str(exc.value)


def test_euros_are_displayed_the_french_way():
    assert formater_euros(Decimal("1234567.8")) == "1\u202f234\u202f567,80\u00a0€"
    assert formater_euros(-1250) == "-12,50\u00a0€"
    assert formater_point(-123450) == "-1234.50"


centimes = st.integers(min_value=-(10**12), max_value=10**12)


@given(centimes)
def test_display_then_parse_gives_back_the_same_amount(c):
    montant = depuis_centimes(c)
    assert lire_montant(formater_euros(montant)) == montant
    assert lire_montant(formater_euros(montant, symbole=False)) == montant
    assert lire_montant(formater_point(montant)) == montant
    assert en_centimes(montant) == c


def test_fractions_of_a_centime_are_refused():
    with pytest.raises(MontantInvalide):
        en_centimes(Decimal("0.001"))
