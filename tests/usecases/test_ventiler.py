"""`coop ventiler` as use cases: by pièce, the list of what waits on 471, an interactive séance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from coopcompta.domain.ecritures import Part
from coopcompta.domain.errors import SaisieInvalide
from coopcompta.domain.model import Ligne, Sens
from coopcompta.usecases.comptabilite import ouvrir_ledger
from coopcompta.usecases.saisie import saisir
from coopcompta.usecases.ventiler import (
    apprendre_ventilation,
    decider,
    enregistrer_ventilations,
    lister_en_attente,
    ouvrir_seance,
    ventiler_piece,
)

NBSP = "\u00a0"


def _en_attente(ledger, libelle: str, montant: str, jour: int = 8) -> None:
    """A dépense left on 471, as `coop import` leaves a bank line no rule knows."""
    saisir(
        ledger,
        date=dt.date(2025, 10, jour),
        sens=Sens.DEPENSE,
        libelle=libelle,
        montant=Decimal(montant),
        tresorerie="512",
        parts=[Part("471")],
    )


def test_a_piece_ventilated_by_account_leaves_nothing_on_471(comptabilite: Path):
    with ouvrir_ledger(comptabilite) as ledger:
        _en_attente(ledger, "CB LIBRAIRIE DU CENTRE", "45.90")
        v, restantes = ventiler_piece(
            ledger, None, "1", [Part("6183", Decimal("30")), Part("6068", Decimal("15.90"), "CM2")]
        )
        assert restantes == 0
        lue = ledger.ecriture(v.avant.id or 0)
        assert lue is not None
        assert lue.ventilation == (
            Ligne("6183", Decimal("30.00")),
            Ligne("6068", Decimal("15.90"), "CM2"),
        )
        assert (lue.piece, lue.tresorerie, lue.montant) == ("1", "512", Decimal("45.90"))
        assert "471" not in ledger.soldes("2025-2026")


def test_parts_that_exceed_what_waits_on_471_are_refused_and_nothing_changes(
    comptabilite: Path,
):
    with ouvrir_ledger(comptabilite) as ledger:
        _en_attente(ledger, "CB LIBRAIRIE", "10")
        with pytest.raises(SaisieInvalide) as exc:
            ventiler_piece(ledger, None, "1", [Part("6183", Decimal("20"))])
        assert str(exc.value) == (
            f"--compte: la ventilation (20,00{NBSP}€) ne fait pas le montant en attente sur 471 "
            f"(10,00{NBSP}€) ; écart -10,00{NBSP}€"
        )
        assert ledger.soldes("2025-2026")["471"] == Decimal("10.00")


def test_the_list_shows_what_waits_with_suggestions_and_the_total(comptabilite: Path):
    with ouvrir_ledger(comptabilite) as ledger:
        _en_attente(ledger, "CB LIBRAIRIE DU CENTRE", "45.90", jour=8)
        _en_attente(ledger, "AUTOCARS BREIZH", "120", jour=9)
        liste = lister_en_attente(ledger, None)
    assert liste.exercice.nom == "2025-2026"
    assert [e.piece for e in liste.ecritures] == ["1", "2"]
    assert liste.total == Decimal("165.90")
    assert liste.suggestions[0][0].compte.numero == "6183"  # « librairie », a keyword of 6183


def test_a_seance_learns_from_each_answer_and_writes_all_answers_at_once(comptabilite: Path):
    with ouvrir_ledger(comptabilite) as ledger:
        _en_attente(ledger, "PHOTOGRAPHE SCOLAIRE DUPONT", "300", jour=8)
        _en_attente(ledger, "PHOTOGRAPHE SCOLAIRE DUPONT", "12", jour=20)
        seance = ouvrir_seance(ledger, None)
        premiere, seconde = seance.ecritures
        v = decider(seance.plan, premiere, [Part("6070")])
        apprendre_ventilation(seance.suggesteur, v)
        suggestions = seance.suggesteur.suggerer(seconde.libelle, seconde.sens)
        assert suggestions[0].compte.numero == "6070"
        assert ledger.soldes("2025-2026")["471"] == Decimal("312.00")  # nothing written yet
        assert enregistrer_ventilations(ledger, seance.exercice.nom, [v]) == 1
        assert ledger.soldes("2025-2026")["471"] == Decimal("12.00")
