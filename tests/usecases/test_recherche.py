"""Finding écritures: the journal's search, dates as typed, cancelled cheques in the checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from coopcompta.domain.ecritures import Part, lire_date
from coopcompta.domain.errors import DateInvalide, SaisieInvalide
from coopcompta.domain.model import Exercice, Sens
from coopcompta.usecases.comptabilite import ouvrir_ledger
from coopcompta.usecases.journal import consulter_journal
from coopcompta.usecases.saisie import annuler_piece, saisir
from coopcompta.usecases.verifier import verifier_ledger

EX = Exercice.depuis_nom("2025-2026")


def depense(ledger, jour, libelle, montant, compte, cheque=None, classe=None):
    return saisir(
        ledger,
        date=jour,
        sens=Sens.DEPENSE,
        libelle=libelle,
        montant=Decimal(montant),
        tresorerie="512",
        parts=[Part(compte, Decimal(montant), classe)],
        mode="cheque" if cheque else "virement",
        cheque=cheque,
    )


@pytest.fixture
def annee(comptabilite: Path) -> Path:
    with ouvrir_ledger(comptabilite) as ledger:
        depense(ledger, dt.date(2025, 9, 16), "Goûter de rentrée", "24.50", "6257", None, "CP")
        depense(ledger, dt.date(2025, 10, 2), "Car pour la sortie au zoo", "180.00", "6241", "1001")
        depense(ledger, dt.date(2025, 10, 9), "Entrées du zoo", "96.00", "6251", "1002", "ce1")
        depense(ledger, dt.date(2026, 1, 12), "Livres de bibliothèque", "24.50", "6183", "1003")
    return comptabilite


def pieces(db: Path, **filtres: str) -> list[str]:
    with ouvrir_ledger(db) as ledger:
        return [e.piece or "" for e in consulter_journal(ledger, **filtres).ecritures]


@pytest.mark.parametrize(
    ("filtres", "attendu"),
    [
        ({"texte": "ZOO"}, ["2", "3"]),
        ({"texte": "zoo entrees"}, ["3"]),  # every word, accents ignored
        ({"texte": "zoo piscine"}, []),
        ({"montant": "24,50"}, ["1", "4"]),
        ({"cheque": "1002"}, ["3"]),
        ({"pieces": "2-3"}, ["2", "3"]),
        ({"du": "01/10", "au": "31/12"}, ["2", "3"]),  # the year comes from the exercice
        ({"du": "1/1/26"}, ["4"]),
        ({"classe": "CE1"}, ["3"]),  # typed "ce1": a class name's case does not matter
        ({"texte": "cp"}, ["1"]),
    ],
)
def test_the_journal_finds_ecritures_by_words_amount_cheque_pieces_and_dates(
    annee, filtres, attendu
):
    assert pieces(annee, **filtres) == attendu


def test_a_bad_search_says_which_option_and_what(annee):
    with pytest.raises(SaisieInvalide, match="plage de pièces illisible « 3-1 »"):
        pieces(annee, pieces="3-1")
    with pytest.raises(DateInvalide) as exc:
        pieces(annee, du="32/10")
    assert (exc.value.ou, exc.value.message) == ("--du", "date impossible « 32/10 »")


@pytest.mark.parametrize(
    ("texte", "jour"),
    [
        ("16/09/2025", dt.date(2025, 9, 16)),
        ("16/09", dt.date(2025, 9, 16)),
        ("3/2", dt.date(2026, 2, 3)),
        ("16/9/25", dt.date(2025, 9, 16)),
        ("16-09-2025", dt.date(2025, 9, 16)),
        ("16.09.2025", dt.date(2025, 9, 16)),
    ],
)
def test_dates_are_read_as_a_treasurer_types_them(texte, jour):
    assert lire_date(texte, "--date", EX) == jour


def test_a_date_without_its_year_needs_the_exercice():
    with pytest.raises(DateInvalide, match="date illisible « 16/09 »"):
        lire_date("16/09")


def test_the_cheque_of_a_cancelled_ecriture_may_be_booked_again(comptabilite: Path):
    with ouvrir_ledger(comptabilite) as ledger:
        depense(ledger, dt.date(2025, 10, 2), "Car", "180.00", "6068", "1001")
        annuler_piece(ledger, "1", date=dt.date(2025, 10, 3), motif="mauvais compte")
        depense(ledger, dt.date(2025, 10, 3), "Car", "180.00", "6241", "1001")
        codes = [a.code for a in verifier_ledger(ledger).anomalies]
    assert "cheque-hors-sequence" not in codes
