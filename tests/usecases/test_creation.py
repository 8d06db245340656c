"""`coop init` as a use case: creating the ledger with its first exercice and opening balances."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from coopcompta.domain.errors import CoopComptaError
from coopcompta.domain.model import Exercice
from coopcompta.usecases.cloture import lister_exercices
from coopcompta.usecases.comptabilite import ouvrir_ledger
from coopcompta.usecases.creation import (
    charger_plan_choisi,
    creer_comptabilite,
    emplacement_libre,
)

PLAN = charger_plan_choisi(None)
EXERCICE = Exercice.depuis_nom("2025-2026")
NBSP = "\u00a0"


def test_a_new_ledger_opens_its_first_year_with_the_treasury_balances(tmp_path: Path):
    chemin = tmp_path / "coop.db"
    creation = creer_comptabilite(
        chemin,
        PLAN,
        EXERCICE,
        nom="  Coop Jules Ferry ",
        mandataire="Mme Martin",
        ouvertures=[("512", "1 500,00"), ("530", "80")],  # 530: an alias of 53 caisse
        series=True,
    )
    assert creation.soldes == {"512": Decimal("1500.00"), "53": Decimal("80")}
    with ouvrir_ledger(chemin) as ledger:
        assert [(e.exercice.nom, e.cloture) for e in lister_exercices(ledger)] == [
            ("2025-2026", False)
        ]
        assert ledger.soldes("2025-2026") == {
            "512": Decimal("1500.00"),
            "53": Decimal("80.00"),
            "110": Decimal("-1580.00"),
        }
        assert (ledger.meta("nom"), ledger.meta("mandataire"), ledger.meta("series")) == (
            "Coop Jules Ferry",
            "Mme Martin",
            "RD",
        )
        assert ledger.meta("plan") is None  # the shipped chart


def test_an_opening_balance_on_a_charge_account_is_refused_and_no_file_is_left(tmp_path: Path):
    chemin = tmp_path / "coop.db"
    with pytest.raises(CoopComptaError) as exc:
        creer_comptabilite(chemin, PLAN, EXERCICE, nom="Coop", ouvertures=[("6281", "10,00")])
    assert str(exc.value) == (
        "--ouverture: le compte 62810008 (Cotisation OCCE) n'est pas un compte de trésorerie"
    )
    assert not chemin.exists()


def test_the_same_account_opened_twice_under_two_names_is_refused(tmp_path: Path):
    with pytest.raises(CoopComptaError) as exc:
        creer_comptabilite(
            tmp_path / "coop.db",
            PLAN,
            EXERCICE,
            nom="Coop",
            ouvertures=[("53", "80"), ("530", "5")],
        )
    assert exc.value.message == (
        f"le compte 53 a deux soldes d'ouverture (80,00{NBSP}€ et 5,00{NBSP}€) : un seul par compte"
    )


def test_a_coop_without_a_name_is_refused(tmp_path: Path):
    with pytest.raises(CoopComptaError, match="nom de la coopérative vide"):
        creer_comptabilite(tmp_path / "coop.db", PLAN, EXERCICE, nom="   ")


def test_an_existing_ledger_is_never_overwritten(comptabilite: Path):
    with pytest.raises(CoopComptaError) as exc:
        emplacement_libre(comptabilite)
    assert (
        str(exc.value) == f"{comptabilite}: une comptabilité existe déjà ici ; rien n'a été modifié"
    )
    with pytest.raises(CoopComptaError):
        creer_comptabilite(comptabilite, PLAN, EXERCICE, nom="Autre")
    with ouvrir_ledger(comptabilite) as ledger:
        assert ledger.meta("nom") == "Coopérative de l'école Jules Ferry"
