"""Typing an écriture as a use case: recorded with its pièce, checked, or cancelled."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from coopcompta.domain.ecritures import Part
from coopcompta.domain.errors import SaisieInvalide
from coopcompta.domain.model import Ligne, Sens
from coopcompta.usecases.comptabilite import ouvrir_ledger
from coopcompta.usecases.saisie import annuler_piece, saisir

NBSP = "\u00a0"
JOUR = dt.date(2025, 10, 1)


def test_a_depense_split_over_two_accounts_is_recorded_with_the_next_piece(comptabilite: Path):
    with ouvrir_ledger(comptabilite) as ledger:
        e = saisir(
            ledger,
            date=JOUR,
            sens=Sens.DEPENSE,
            libelle="Cotisation et assurance",
            montant=Decimal("100.00"),
            tresorerie="512",
            parts=[Part("6281", Decimal("80.00")), Part("61681008", Decimal("20.00"), "CM1")],
            mode="cheque",
            cheque="1234567",
        )
        assert (e.piece, e.exercice) == ("1", "2025-2026")
        lue = ledger.ecriture(e.id or 0)
        assert lue is not None
        assert lue.ventilation == (
            Ligne("62810008", Decimal("80.00")),
            Ligne("61681008", Decimal("20.00"), "CM1"),
        )
        assert ledger.soldes("2025-2026")["512"] == Decimal("1400.00")


def test_a_ventilation_that_does_not_add_up_is_refused_and_nothing_is_recorded(
    comptabilite: Path,
):
    with ouvrir_ledger(comptabilite) as ledger:
        with pytest.raises(SaisieInvalide) as exc:
            saisir(
                ledger,
                date=JOUR,
                sens=Sens.DEPENSE,
                libelle="Sortie",
                montant=Decimal("100"),
                tresorerie="512",
                parts=[Part("6251", Decimal("60")), Part("6241", Decimal("30"))],
            )
        assert exc.value.message == (
            f"la ventilation (90,00{NBSP}€) ne correspond pas au montant (100,00{NBSP}€)"
        )
        assert list(ledger.ecritures("2025-2026", sens=[Sens.DEPENSE])) == []


def test_a_virement_interne_moves_cash_to_the_bank_without_touching_the_result(
    comptabilite: Path,
):
    with ouvrir_ledger(comptabilite) as ledger:
        saisir(
            ledger,
            date=JOUR,
            sens=Sens.VIREMENT,
            libelle="Dépôt d'espèces",
            montant=Decimal("50"),
            tresorerie="53",
            contrepartie="512",
        )
        assert ledger.soldes("2025-2026") == {
            "512": Decimal("1550.00"),
            "53": Decimal("30.00"),
            "110": Decimal("-1580.00"),
        }


def test_a_cancelled_piece_stays_and_its_contre_passation_restores_the_balances(
    comptabilite: Path,
):
    with ouvrir_ledger(comptabilite) as ledger:
        avant = ledger.soldes("2025-2026")
        saisir(
            ledger,
            date=JOUR,
            sens=Sens.RECETTE,
            libelle="Participation des familles",
            montant=Decimal("200"),
            tresorerie="512",
            parts=[Part("7562")],
        )
        originale, contre = annuler_piece(ledger, "1", date=dt.date(2025, 10, 5), motif="erreur")
        assert (originale.piece, contre.piece, contre.montant) == ("1", "2", Decimal("-200.00"))
        assert contre.annule == originale.id
        assert {k: v for k, v in ledger.soldes("2025-2026").items() if v} == avant
        with pytest.raises(SaisieInvalide) as exc:
            annuler_piece(ledger, "1")
        assert str(exc.value) == "la pièce 1 est déjà annulée (pièce 2)"
