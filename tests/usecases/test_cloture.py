"""Closing a year as a use case: what must be true first, and what the next year opens with."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from coopcompta.domain.ecritures import Part
from coopcompta.domain.errors import CoopComptaError
from coopcompta.domain.model import Sens
from coopcompta.usecases.cloture import cloturer, lister_exercices, preparer_cloture
from coopcompta.usecases.comptabilite import ouvrir_ledger
from coopcompta.usecases.saisie import saisir

NBSP = "\u00a0"
APRES_LE_31_AOUT = dt.date(2026, 9, 10)


def _depense(ledger, montant: str, compte: str, tresorerie: str = "512") -> None:
    saisir(
        ledger,
        date=dt.date(2026, 6, 1),
        sens=Sens.DEPENSE,
        libelle="Goûter",
        montant=Decimal(montant),
        tresorerie=tresorerie,
        parts=[Part(compte)],
    )


def _fin_annee(ledger, releve: Decimal, billets: list[str]) -> None:
    """The year-end work closing requires: the bank reconciled at 31 August, the cash counted."""
    from coopcompta.usecases import rapprochement
    from coopcompta.usecases.caisse import arreter
    from coopcompta.usecases.comptabilite import plan_du_ledger

    prep = rapprochement.preparer(ledger, plan_du_ledger(ledger), solde=releve)
    rapprochement.enregistrer(ledger, prep, prep.tableau(set()), set())
    arreter(ledger, billets, "Mme Martin")


def test_the_next_year_opens_with_the_closing_treasury_balances(comptabilite: Path):
    with ouvrir_ledger(comptabilite) as ledger:
        _depense(ledger, "30", "6257", tresorerie="53")
        _fin_annee(ledger, Decimal("1500"), ["50=1"])
        cloture = preparer_cloture(ledger, APRES_LE_31_AOUT)
        assert (cloture.ancien.nom, cloture.nouveau.nom) == ("2025-2026", "2026-2027")
        assert cloture.ouvertures == {"512": Decimal("1500.00"), "53": Decimal("50.00")}
        cloturer(ledger, cloture)
        assert [(e.exercice.nom, e.cloture) for e in lister_exercices(ledger)] == [
            ("2025-2026", True),
            ("2026-2027", False),
        ]
        assert ledger.exercice().nom == "2026-2027"
        assert ledger.soldes("2026-2027") == {
            "512": Decimal("1500.00"),
            "53": Decimal("50.00"),
            "110": Decimal("-1550.00"),
        }


def test_money_waiting_on_471_forbids_closing_even_when_forced(comptabilite: Path):
    with ouvrir_ledger(comptabilite) as ledger:
        _depense(ledger, "10", "471")
        with pytest.raises(CoopComptaError) as exc:
            preparer_cloture(ledger, APRES_LE_31_AOUT, forcer="pressé")
        assert str(exc.value) == (
            f"2025-2026: 10,00{NBSP}€ restent à ventiler sur le compte 471 : classez-les avant "
            "de clôturer (`coop ventiler`)"
        )
        assert [e.exercice.nom for e in lister_exercices(ledger)] == ["2025-2026"]


def test_closing_before_the_31st_of_august_is_refused_unless_forced(comptabilite: Path):
    with ouvrir_ledger(comptabilite) as ledger:
        with pytest.raises(CoopComptaError) as exc:
            preparer_cloture(ledger, dt.date(2026, 6, 30))
        assert exc.value.message == (
            "clôture refusée :\n"
            "  - l'exercice 2025-2026 ne se termine que le 31/08/2026\n"
            "  - pas de rapprochement bancaire du compte 512 au 31/08/2026 (`coop rapprochement`)\n"
            "  - pas d'arrêté de caisse depuis le dernier mouvement de la caisse (01/09/2025) : "
            "`coop caisse compter`\n"
            'Corrigez d\'abord (voir `coop verifier`), ou relancez avec --forcer "raison".'
        )
        forcee = preparer_cloture(ledger, dt.date(2026, 6, 30), forcer="départ en juin")
        assert forcee.objections[0] == "l'exercice 2025-2026 ne se termine que le 31/08/2026"
        assert forcee.raison == "départ en juin"
        assert [e.exercice.nom for e in lister_exercices(ledger)] == ["2025-2026"]
