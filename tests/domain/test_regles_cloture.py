"""domain/cloture: the accounts opening with a balance, the balances typed, 471 at year end."""

from __future__ import annotations

from decimal import Decimal

import pytest

from coopcompta.domain.cloture import comptes_a_ouvrir, exiger_attente_soldee, soldes_d_ouverture
from coopcompta.domain.errors import CoopComptaError, MontantInvalide
from coopcompta.domain.model import Exercice
from coopcompta.importers.plan import charger_plan

PLAN = charger_plan(None)
NBSP = "\u00a0"


def test_regies_and_virements_internes_are_not_asked_for_an_opening_balance():
    numeros = [c.numero for c in comptes_a_ouvrir(PLAN)]
    assert {"512", "53"} <= set(numeros)
    assert not [n for n in numeros if n.startswith(("541", "58"))]


def test_opening_balances_go_to_the_canonical_account_as_typed_in_french():
    soldes = soldes_d_ouverture(PLAN, [("512", "1 234,56"), ("530", "80")])
    assert soldes == {"512": Decimal("1234.56"), "53": Decimal("80")}


def test_an_unreadable_opening_balance_says_where_and_what():
    with pytest.raises(MontantInvalide) as exc:
        soldes_d_ouverture(PLAN, [("512", "12,3O")])
    assert str(exc.value) == "--ouverture: montant illisible « 12,3O »"


def test_an_opening_balance_on_a_produit_account_is_refused():
    with pytest.raises(CoopComptaError) as exc:
        soldes_d_ouverture(PLAN, [("7440", "10")], ou=None)
    assert str(exc.value) == (
        "le compte 7440 (Subvention de la Commune) n'est pas un compte de trésorerie"
    )


def test_money_on_471_at_year_end_is_refused_whatever_its_sign():
    exercice = Exercice.depuis_nom("2025-2026")
    exiger_attente_soldee(exercice, {"512": Decimal("10"), "471": Decimal("0")})
    with pytest.raises(CoopComptaError) as exc:
        exiger_attente_soldee(exercice, {"471": Decimal("-12.50")})
    assert str(exc.value) == (
        f"2025-2026: 12,50{NBSP}€ restent à ventiler sur le compte 471 : classez-les avant de "
        "clôturer (`coop ventiler`)"
    )
