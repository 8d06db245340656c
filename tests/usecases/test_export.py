"""`coop export` and `coop journal` as use cases: the workbook, the journal CSV, the filters."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from coopcompta.domain.ecritures import Part
from coopcompta.domain.errors import CoopComptaError
from coopcompta.domain.journal import TotauxJournal
from coopcompta.domain.model import Exercice, Sens
from coopcompta.usecases.comptabilite import ouvrir_ledger, plan_du_ledger
from coopcompta.usecases.creation import charger_plan_choisi, creer_comptabilite
from coopcompta.usecases.export import exporter, sorte_d_export
from coopcompta.usecases.journal import consulter_journal, ecrire_journal_csv
from coopcompta.usecases.saisie import annuler_piece, enregistrer_journal, saisir


def _annee(ledger) -> None:
    """A recette from the families, a split dépense, one cancelled pièce."""
    saisir(
        ledger,
        date=dt.date(2025, 9, 20),
        sens=Sens.RECETTE,
        libelle="Participation des familles",
        montant=Decimal("200"),
        tresorerie="512",
        parts=[Part("7562")],
    )
    saisir(
        ledger,
        date=dt.date(2025, 10, 3),
        sens=Sens.DEPENSE,
        libelle="Cotisation et assurance",
        montant=Decimal("100"),
        tresorerie="512",
        parts=[Part("6281", Decimal("80")), Part("6168", Decimal("20"), "CM1")],
    )
    saisir(
        ledger,
        date=dt.date(2025, 10, 4),
        sens=Sens.DEPENSE,
        libelle="Erreur de saisie",
        montant=Decimal("5"),
        tresorerie="53",
        parts=[Part("6257")],
    )
    annuler_piece(ledger, "3", date=dt.date(2025, 10, 5))


def test_the_workbook_holds_the_year_and_names_its_sheets(comptabilite: Path, tmp_path: Path):
    sortie = tmp_path / "bilan.xlsx"
    with ouvrir_ledger(comptabilite) as ledger:
        _annee(ledger)
        fait = exporter(ledger, sortie)
    assert (fait.exercice.nom, fait.ecritures) == ("2025-2026", 6)  # 2 reports, 4 typed
    classeur = openpyxl.load_workbook(sortie)
    assert tuple(classeur.sheetnames) == fait.feuilles
    assert "Journal" in fait.feuilles


def test_the_journal_csv_loads_into_a_new_ledger_with_the_same_balances(
    comptabilite: Path, tmp_path: Path
):
    sortie = tmp_path / "journal.csv"
    with ouvrir_ledger(comptabilite) as ledger:
        _annee(ledger)
        fait = exporter(ledger, sortie)
        soldes = ledger.soldes("2025-2026")
    assert (fait.feuilles, fait.ecritures) == ((), 6)
    copie = tmp_path / "copie.db"
    creer_comptabilite(copie, charger_plan_choisi(None), Exercice.depuis_nom("2025-2026"), nom="C")
    with ouvrir_ledger(copie) as ledger:
        assert enregistrer_journal(ledger, plan_du_ledger(ledger), sortie) == 6
        assert ledger.soldes("2025-2026") == soldes


def test_a_file_already_there_is_kept_unless_forced(comptabilite: Path, tmp_path: Path):
    sortie = tmp_path / "journal.csv"
    sortie.write_text("à garder", encoding="utf-8")
    with ouvrir_ledger(comptabilite) as ledger:
        with pytest.raises(CoopComptaError) as exc:
            exporter(ledger, sortie)
        assert str(exc.value) == (
            f"{sortie}: le fichier existe déjà ; ajoutez --force pour le remplacer"
        )
        assert sortie.read_text(encoding="utf-8") == "à garder"
        exporter(ledger, sortie, force=True)
    assert sortie.read_text(encoding="utf-8").startswith("date;")


def test_an_unknown_extension_is_refused_before_anything_is_read(tmp_path: Path):
    with pytest.raises(CoopComptaError) as exc:
        sorte_d_export(tmp_path / "bilan.ods")
    assert exc.value.message == (
        "extension inconnue « .ods » : "
        "choisissez .xlsx (classeur), .pdf (dossier à imprimer) ou .csv (journal)"
    )


def test_the_journal_of_one_account_counts_only_its_lines(comptabilite: Path):
    with ouvrir_ledger(comptabilite) as ledger:
        _annee(ledger)
        journal = consulter_journal(ledger, None, compte="6281")  # the short code
        totaux = TotauxJournal(journal.compte, journal.classe)
        for e in journal.ecritures:
            totaux.compter(e)
    assert journal.compte == "62810008"
    assert (totaux.ecritures, totaux.recettes, totaux.depenses) == (1, 0, Decimal("80.00"))


def test_a_contre_passation_names_the_piece_it_cancels_even_when_filtered_out(
    comptabilite: Path,
):
    with ouvrir_ledger(comptabilite) as ledger:
        _annee(ledger)
        journal = consulter_journal(ledger, None, mois=10)
        annulees = {e.piece: journal.piece_annulee(e) for e in journal.ecritures}
        assert annulees == {"2": None, "3": None, "4": "3"}
        sortie = io.StringIO()
        assert ecrire_journal_csv(consulter_journal(ledger, None, classe="CM1"), sortie) == 1
