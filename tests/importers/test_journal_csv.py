"""The journal CSV format: grouping rows into écritures, strict and lenient reading, round trip."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from coopcompta.domain.errors import CoopComptaError, DonneesInutilisables, SaisieInvalide
from coopcompta.domain.model import Ecriture, Ligne, Sens
from coopcompta.exports.journal_csv import ecrire_journal
from coopcompta.importers.journal_csv import COLONNES, lire_journal
from coopcompta.importers.plan import charger_plan

PLAN = charger_plan()
D = Decimal
ENTETE = ";".join(COLONNES)


def journal(tmp_path: Path, *lignes: str, entete: str = ENTETE, bom: bool = False) -> Path:
    path = tmp_path / "journal.csv"
    texte = "\n".join([entete, *lignes]) + "\n"
    path.write_text(("\ufeff" if bom else "") + texte, encoding="utf-8")
    return path


def erreur(path: Path, strict: bool = True) -> str:
    with pytest.raises(CoopComptaError) as exc:
        list(lire_journal(path, PLAN, strict=strict))
    return str(exc.value)


def test_consecutive_rows_of_one_piece_make_one_ecriture(tmp_path):
    path = journal(
        tmp_path,
        "16/09/2025;1;Cotisation OCCE et assurance;depense;512;chèque;1234567;100,00;6281;80,00;;",
        "16/09/2025;1;;depense;512;;;;61681008;20,00;;",
        "06/10/2025;;Photos de classe;recette;512;especes;;;7070;1 250,00;CP;",
        bom=True,
    )
    lus = list(lire_journal(path, PLAN))
    assert [lu.ligne for lu in lus] == [2, 4]
    cotisation, photos = (lu.ecriture for lu in lus)
    assert cotisation.piece == "1" and cotisation.mode == "cheque"
    assert cotisation.cheque == "1234567" and cotisation.montant == D("100.00")
    assert cotisation.ventilation == (
        Ligne("62810008", D("80.00")),
        Ligne("61681008", D("20.00")),
    )
    assert lus[0].total_annonce == D("100.00") and lus[0].ecart is None
    assert photos.piece is None and photos.sens is Sens.RECETTE
    assert photos.ventilation == (Ligne("7070", D("1250.00"), "CP"),)


def test_virements_and_ouvertures_take_one_row(tmp_path):
    path = journal(
        tmp_path,
        "01/09/2025;;;ouverture;514;;;;;250,00;;",
        "05/10/2025;7;Dépôt espèces kermesse;virement;53;especes;;;512;120,00;;",
    )
    ouverture, virement = (lu.ecriture for lu in lire_journal(path, PLAN))
    assert (ouverture.sens, ouverture.tresorerie, ouverture.montant) == (
        Sens.OUVERTURE,
        "514",
        D("250.00"),
    )
    assert ouverture.libelle == "Report à nouveau"
    assert (virement.tresorerie, virement.contrepartie, virement.piece) == ("53", "512", "7")


def test_columns_may_come_in_any_order_and_optional_ones_may_be_missing(tmp_path):
    path = journal(
        tmp_path,
        "512;depense;6070;45,00;16/09/2025;Photos",
        entete=("tresorerie;sens;compte;montant;date;libelle"),
    )
    (lu,) = lire_journal(path, PLAN)
    assert lu.ecriture.date == dt.date(2025, 9, 16)
    assert lu.ecriture.ventilation == (Ligne("6070", D("45.00")),)


def test_a_contre_passation_row_carries_the_cancelled_piece(tmp_path):
    path = journal(tmp_path, "20/09/2025;9;Annulation;depense;512;;;;6070;-45,00;;3")
    (lu,) = lire_journal(path, PLAN)
    assert lu.annule_piece == "3" and lu.ecriture.montant == D("-45.00")


def test_a_total_different_from_the_rows_is_refused_when_strict(tmp_path):
    path = journal(
        tmp_path,
        "16/09/2025;1;Cotisation;depense;512;;;100,00;62810008;80,00;;",
        "16/09/2025;1;Cotisation;depense;512;;;;61681008;10,00;;",
    )
    assert erreur(path) == (
        "journal.csv:2: le total (100,00\u00a0€) ne correspond pas à la somme des lignes "
        "(90,00\u00a0€)"
    )


def test_a_total_different_from_the_rows_is_yielded_with_its_gap_when_lenient(tmp_path):
    path = journal(
        tmp_path,
        "16/09/2025;1;Cotisation;depense;512;;;100,00;62810008;80,00;;",
        "16/09/2025;1;Cotisation;depense;512;;;;61681008;10,00;;",
    )
    (lu,) = lire_journal(path, PLAN, strict=False)
    assert lu.ecriture.montant == D("90.00")
    assert lu.total_annonce == D("100.00") and lu.ecart == D("10.00")


def test_lenient_reading_lets_a_check_report_account_kinds(tmp_path):
    path = journal(tmp_path, "06/10/2025;;Photos;recette;512;;;;6070;50,00;;")
    assert erreur(path).startswith("journal.csv:2: le compte 6070 (")
    (lu,) = lire_journal(path, PLAN, strict=False)
    assert lu.ecriture.ventilation == (Ligne("6070", D("50.00")),)


def test_lenient_reading_keeps_an_account_absent_from_the_chart_as_written(tmp_path):
    path = journal(
        tmp_path,
        "06/10/2025;;Photos;recette;5129;;;;7070;50,00;;",
        "07/10/2025;;Dépôt;virement;53;;;;5139;20,00;;",
        "08/10/2025;;Achat;depense;512;;;;6999;12,00;;",
    )
    assert erreur(path) == "journal.csv:2: compte inconnu « 5129 » (voir `coop plan`)"
    photos, depot, achat = lire_journal(path, PLAN, strict=False)
    assert photos.ecriture.tresorerie == "5129"
    assert depot.ecriture.contrepartie == "5139"
    assert achat.ecriture.ventilation == (Ligne("6999", D("12.00")),)


def test_unreadable_input_stops_lenient_reading_as_unusable_data(tmp_path):
    path = journal(tmp_path, "06/10/2025;;Photos;recette;512;;;;7070;12,3O;;")
    with pytest.raises(DonneesInutilisables) as exc:
        list(lire_journal(path, PLAN, strict=False))
    assert str(exc.value) == "journal.csv:2: montant illisible « 12,3O »"


@pytest.mark.parametrize(
    ("ligne", "message"),
    [
        ("32/09/2025;;X;depense;512;;;;6070;1,00;;", "date impossible « 32/09/2025 »"),
        ("2025-09-16;;X;depense;512;;;;6070;1,00;;", "date illisible « 2025-09-16 » (attendu : jj/mm/aaaa)"),  # noqa: E501
        ("16/09/2025;;X;achat;512;;;;6070;1,00;;", "sens inconnu « achat » (attendu : recette, depense, virement, ouverture)"),  # noqa: E501
        ("16/09/2025;;X;depense;512;;;;9999;1,00;;", "compte inconnu « 9999 » (voir `coop plan`)"),
        ("16/09/2025;;X;depense;512;;;;;1,00;;", "compte vide : indiquez le compte de la ventilation"),  # noqa: E501
        ("16/09/2025;;X;depense;512;;;;6070;;;", "montant vide"),
        ("16/09/2025;;;depense;512;;;;6070;1,00;;", "libellé vide"),
        ("16/09/2025;;X;virement;512;;;;;1,00;;", "virement sans compte de destination (colonne compte)"),  # noqa: E501
        ("16/09/2025;;X;depense;512;;;;6070;-1,00;;", "montant négatif : seule une contre-passation (`coop annuler`) a des montants négatifs"),  # noqa: E501
        ("16/09/2025;;X;depense;512;;;;6070;1,00;;;;", "14 colonnes au lieu de 12"),
    ],
)  # fmt: skip
def test_each_bad_row_is_refused_with_its_line(tmp_path, ligne, message):
    path = journal(tmp_path, "01/09/2025;;;ouverture;514;;;;;250,00;;", ligne)
    assert erreur(path) == f"journal.csv:3: {message}"


def test_rows_of_one_piece_must_share_date_sens_and_treasury(tmp_path):
    path = journal(
        tmp_path,
        "16/09/2025;1;Cotisation;depense;512;;;;62810008;80,00;;",
        "17/09/2025;1;Cotisation;depense;512;;;;61681008;20,00;;",
    )
    assert erreur(path) == (
        "journal.csv:3: même pièce 1 que la ligne 2 mais date, sens ou trésorerie différents"
    )
    assert len(list(lire_journal(path, PLAN, strict=False))) == 2


def test_an_unknown_column_or_a_missing_one_is_named(tmp_path):
    path = journal(tmp_path, entete=ENTETE + ";commentaire")
    assert erreur(path) == (
        f"journal.csv:1: colonne inconnue « commentaire » (colonnes : {ENTETE})"
    )
    path = journal(tmp_path, entete="date;sens;tresorerie;compte")
    assert erreur(path) == "journal.csv:1: colonne « montant » manquante"
    path = journal(tmp_path, entete=ENTETE.replace(";", ","))
    assert erreur(path).endswith(" ; le séparateur attendu est « ; »")


def test_a_file_not_in_utf8_says_how_to_save_it(tmp_path):
    path = tmp_path / "journal.csv"
    path.write_bytes((ENTETE + "\n16/09/2025;;Dépôt;depense;512;;;;6070;1,00;;\n").encode("cp1252"))
    assert erreur(path) == (
        "journal.csv: fichier illisible : il doit être encodé en UTF-8 "
        "(enregistrez-le en « CSV UTF-8 »)"
    )


def test_written_journal_reads_back_the_same_ecritures(tmp_path):
    path = journal(
        tmp_path,
        "01/09/2025;;Report à nouveau;ouverture;514;;;;;-12,00;;",
        '16/09/2025;1;"Cotisation; OCCE ""2025""";depense;512;cheque;1234567;;6281;80,00;;',
        "16/09/2025;1;;depense;512;;;;61681008;20,00;CM1;",
        "05/10/2025;2;Dépôt;virement;53;;;;512;1 120,00;;",
        "06/10/2025;3;Photos;recette;512;;;;7070;50,00;CP;",
    )
    lus = [lu.ecriture for lu in lire_journal(path, PLAN)]
    sortie = io.StringIO()
    assert ecrire_journal(lus, sortie) == 4
    relu = tmp_path / "relu.csv"
    relu.write_text(sortie.getvalue(), encoding="utf-8")
    assert [lu.ecriture for lu in lire_journal(relu, PLAN)] == lus
    assert sortie.getvalue().splitlines()[4] == "05/10/2025;2;Dépôt;virement;53;;;;512;1120,00;;"


def test_the_annule_column_names_the_piece_of_the_cancelled_ecriture():
    depense = Ecriture(
        date=dt.date(2025, 9, 16),
        sens=Sens.DEPENSE,
        libelle="Photos",
        montant=D("45.00"),
        tresorerie="512",
        ventilation=(Ligne("6070", D("45.00")),),
        piece="3",
        id=7,
    )
    contre = replace(
        depense,
        id=8,
        piece="4",
        annule=7,
        montant=D("-45.00"),
        ventilation=(Ligne("6070", D("-45.00")),),
    )
    sortie = io.StringIO()
    ecrire_journal([depense, contre], sortie)
    assert sortie.getvalue().splitlines()[2] == (
        "16/09/2025;4;Photos;depense;512;;;-45,00;6070;-45,00;;3"
    )
    seule = io.StringIO()
    ecrire_journal([contre], seule, lambda e: {7: "3"}.get(e.annule or 0))
    assert seule.getvalue().splitlines()[1].endswith(";3")


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(SaisieInvalide) as exc:
        list(lire_journal(tmp_path / "absent.csv", PLAN))
    assert str(exc.value) == f"{tmp_path / 'absent.csv'}: fichier introuvable"
