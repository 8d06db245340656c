"""The year-end workbook, written from plain data and read back with openpyxl."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from coopcompta.domain.dossier import CONTROLES
from coopcompta.domain.errors import CoopComptaError
from coopcompta.domain.model import Anomalie, Ecriture, Exercice, Gravite, Ligne, Sens
from coopcompta.domain.reports import calculer_bilan
from coopcompta.domain.tolerance import Tolerance
from coopcompta.exports.excel import (
    FEUILLES,
    FORMAT_DATE,
    FORMAT_EUROS,
    ColonnesJournal,
    Informations,
    ecrire_classeur,
    fichier_atomique,
)
from coopcompta.importers.plan import charger_plan

D = Decimal
EX = Exercice.depuis_nom("2025-2026")
PLAN = charger_plan()


def _e(jour: str, sens: str, libelle: str, montant: str, tres: str, *vent, **kw) -> Ecriture:
    lignes = tuple(Ligne(c, D(m), *rest) for c, m, *rest in vent)
    return Ecriture(
        dt.date.fromisoformat(jour), Sens(sens), libelle, D(montant), tres, lignes, **kw
    )


ECRITURES = [
    _e("2025-09-01", "ouverture", "Report à nouveau", "1500.00", "512", id=1),
    _e("2025-09-01", "ouverture", "Report à nouveau", "80.00", "53", id=2),
    _e(
        "2025-09-10",
        "depense",
        "Cotisation OCCE et assurance",
        "100.00",
        "512",
        ("62810008", "80.00"),
        ("61681008", "20.00"),
        piece="1",
        cheque="0001234",
        id=3,
    ),
    _e(
        "2025-09-15",
        "recette",
        "=1+1",
        "125.00",
        "512",
        ("7070", "50.00", "CP"),
        ("75620008", "75.00"),
        piece="2",
        id=4,
    ),
    _e(
        "2025-09-20",
        "virement",
        "Versement espèces",
        "50.00",
        "53",
        contrepartie="512",
        piece="3",
        id=5,
    ),
    _e(
        "2025-10-05", "depense", "@Chèque impayé", "30.00", "512", ("671", "30.00"), piece="4", id=6
    ),
    _e(
        "2025-10-06",
        "recette",
        "-Erreur de caisse",
        "10.00",
        "53",
        ("771", "10.00"),
        piece="5",
        id=7,
    ),
    _e(
        "2025-10-07",
        "depense",
        "+Photos CP",
        "40.00",
        "512",
        ("6070", "40.00", "CP"),
        piece="6",
        id=8,
    ),
    _e(
        "2025-10-08",
        "depense",
        "Annulation photos",
        "-40.00",
        "512",
        ("6070", "-40.00", "CP"),
        piece="7",
        annule=8,
        id=9,
    ),
]


def _soldes(ecritures):
    soldes: dict[str, Decimal] = {}
    classes: dict[tuple[str, str], Decimal] = {}
    for e in ecritures:
        for compte, montant, classe in e.lignes_comptables():
            soldes[compte] = soldes.get(compte, D(0)) + montant
            if classe:
                classes[(classe, compte)] = classes.get((classe, compte), D(0)) + montant
    return soldes, classes


def _infos(**kw) -> Informations:
    defauts = dict(
        nom="Coopérative de l'école Jules Ferry",
        ecole="École Jules Ferry",
        numero_occe="035-0421",
        mandataire="Mme Martin",
        exercice=EX,
        plan=PLAN.nom,
        produit_le=dt.datetime(2026, 9, 15, 18, 30),
        version="9.9.9",
        tolerance=Tolerance().decrire(),
        comptabilite="/chemin/coop.db",
    )
    return Informations(**{**defauts, **kw})


def _ecrire(tmp_path: Path, ecritures=ECRITURES, anomalies=()) -> Path:
    soldes, classes = _soldes(ecritures)
    bilan = calculer_bilan(EX, soldes, PLAN, classes)
    tres = {c for e in ecritures for c, _, _ in e.lignes_comptables() if c[:1] == "5"}
    vent = {lg.compte for e in ecritures for lg in e.ventilation}
    chemin = tmp_path / "bilan.xlsx"
    ecrire_classeur(
        chemin,
        plan=PLAN,
        infos=_infos(),
        bilan=bilan,
        colonnes=ColonnesJournal.depuis_comptes(PLAN, tres, vent),
        ecritures=iter(ecritures),
        anomalies=anomalies,
    )
    return chemin


def _valeur(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, int | float):
        return Decimal(str(v)).quantize(Decimal("0.01"))
    if isinstance(v, dt.datetime):
        return v.date() if v.time() == dt.time(0) else v
    return v


def _lignes(ws) -> list[list]:
    """Every row as normalised values, trailing empty cells dropped."""
    out = []
    for row in ws.iter_rows(values_only=True):
        values = [_valeur(v) for v in row]
        while values and values[-1] is None:
            values.pop()
        out.append(values)
    return out


@pytest.fixture(scope="module")
def classeur(tmp_path_factory):
    chemin = _ecrire(tmp_path_factory.mktemp("x"))
    return load_workbook(chemin)


def test_the_workbook_has_the_six_sheets_in_reading_order(classeur):
    assert (
        classeur.sheetnames
        == list(FEUILLES)
        == [
            "Compte de fonctionnement",
            "Bilan",
            "Journal",
            "Par classe ou projet",
            "Contrôles",
            "Informations",
        ]
    )


def test_journal_has_one_row_per_ecriture_with_the_cahier_columns(classeur):
    lignes = _lignes(classeur["Journal"])
    assert lignes[0] == [
        "Journal — Coopérative de l'école Jules Ferry — exercice 2025-2026 "
        "(du 01/09/2025 au 31/08/2026)"
    ]
    assert lignes[1] == [
        "Pièce",
        "Date",
        "Libellé",
        "N° de chèque",
        "Banque recette",
        "Banque dépense",
        "Caisse recette",
        "Caisse dépense",
        "6070 Achats de produits pour cession",
        "62810008 Cotisation OCCE",
        "61681008 Assurance",
        "671 Charges exceptionnelles sur opérations de gestion",
        "7070 Ventes de produits pour cession",
        "75620008 Participation volontaire des familles",
        "771 Produits exceptionnels sur opérations de gestion",
        "Solde Banque",
        "Solde Caisse",
    ]
    d = Decimal
    j = dt.date
    assert lignes[2:] == [
        # Opening balances start the running balances, they are neither recette nor dépense.
        [None, j(2025, 9, 1), "Report à nouveau", *[None] * 12, d("1500.00")],
        [None, j(2025, 9, 1), "Report à nouveau", *[None] * 13, d("80.00")],
        [d("1.00"), j(2025, 9, 10), "Cotisation OCCE et assurance", "0001234", None, d("100.00"),
         None, None, None, d("80.00"), d("20.00"), *[None] * 4, d("1400.00")],
        [d("2.00"), j(2025, 9, 15), "=1+1", None, d("125.00"), *[None] * 7, d("50.00"), d("75.00"),
         None, d("1525.00")],
        # A virement: dépense of its source (cash), recette of its destination (bank).
        [d("3.00"), j(2025, 9, 20), "Versement espèces", None, d("50.00"), None, None, d("50.00"),
         *[None] * 7, d("1575.00"), d("30.00")],
        [d("4.00"), j(2025, 10, 5), "@Chèque impayé", None, None, d("30.00"), *[None] * 5,
         d("30.00"), *[None] * 3, d("1545.00")],
        [d("5.00"), j(2025, 10, 6), "-Erreur de caisse", *[None] * 3, d("10.00"), *[None] * 7,
         d("10.00"), None, d("40.00")],
        [d("6.00"), j(2025, 10, 7), "+Photos CP", None, None, d("40.00"), None, None, d("40.00"),
         *[None] * 6, d("1505.00")],
        # A contre-passation is written negative in the same columns.
        [d("7.00"), j(2025, 10, 8), "Annulation photos", None, None, d("-40.00"), None, None,
         d("-40.00"), *[None] * 6, d("1545.00")],
        [None, None, "Totaux", None, d("175.00"), d("130.00"), d("10.00"), d("50.00"),
         d("0.00"), d("80.00"), d("20.00"), d("30.00"), d("50.00"), d("75.00"), d("10.00"),
         d("1545.00"), d("40.00")],
    ]  # fmt: skip


def test_text_that_looks_like_a_formula_comes_back_as_text(classeur):
    ws = classeur["Journal"]
    libelles = {ws.cell(row=r, column=3).value: ws.cell(row=r, column=3) for r in range(3, 12)}
    for texte in ("=1+1", "@Chèque impayé", "-Erreur de caisse", "+Photos CP"):
        cell = libelles[texte]
        assert cell.data_type == "s", texte
        # Excel's quote prefix: editing the cell keeps it text.
        assert cell.quotePrefix, texte
    assert libelles["Versement espèces"].quotePrefix is False


def test_tab_and_control_characters_stay_text_and_keep_the_file_valid(tmp_path):
    e = _e("2025-09-12", "depense", "\tSUM(A1)\x07 fin", "1.00", "512", ("6068", "1.00"), piece="1")
    ws = load_workbook(_ecrire(tmp_path, [e]))["Journal"]
    cell = ws.cell(row=3, column=3)
    assert cell.data_type == "s"
    assert cell.value == "\tSUM(A1)\ufffd fin"


def test_amounts_and_dates_carry_french_formats_and_the_sheet_prints_landscape(classeur):
    ws = classeur["Journal"]
    assert ws.cell(row=5, column=2).number_format == FORMAT_DATE == "dd/mm/yyyy"
    assert ws.cell(row=5, column=6).number_format == FORMAT_EUROS
    assert ws.cell(row=5, column=6).data_type == "n"
    assert ws.cell(row=2, column=1).font.b
    assert ws.freeze_panes == "D3"
    assert ws.print_title_rows == "$1:$2"
    assert ws.page_setup.orientation == "landscape"
    # Too wide for one page: printed across several at 75 %, Pièce, Date, Libellé repeated.
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.scale == 75
    assert ws.print_title_cols == "$A:$C"
    assert ws.column_dimensions["C"].width == 58
    for nom in FEUILLES:
        assert classeur[nom].freeze_panes in ("A3", "D3"), nom


def test_compte_de_fonctionnement_lists_rubriques_subtotals_and_resultat(classeur):
    d = Decimal
    # Charges on the left, produits on the right; the totals face each other.
    assert _lignes(classeur["Compte de fonctionnement"])[1:] == [
        ["Compte", "Dépenses (charges)", "Montant", None, "Compte", "Recettes (produits)",
         "Montant"],
        # 6070, cancelled back to zero, is left out
        ["Cotisations et assurances", None, None, None, "Ventes"],
        ["62810008", "Cotisation OCCE", d("80.00"), None, "7070",
         "Ventes de produits pour cession (photos de classe)", d("50.00")],
        ["61681008", "Assurance (MAE, MAIF)", d("20.00"), None, None,
         "Sous-total Ventes", d("50.00")],
        [None, "Sous-total Cotisations et assurances", d("100.00"), None,
         "Participation des familles"],
        ["Charges exceptionnelles", None, None, None, "75620008",
         "Participation volontaire des familles", d("75.00")],
        ["671", "Charges exceptionnelles sur opérations de gestion (exceptionnel)", d("30.00"),
         None, None, "Sous-total Participation des familles", d("75.00")],
        [None, "Sous-total Charges exceptionnelles", d("30.00"), None,
         "Produits exceptionnels"],
        [None, None, None, None, "771",
         "Produits exceptionnels sur opérations de gestion (exceptionnel)", d("10.00")],
        [None, None, None, None, None, "Sous-total Produits exceptionnels", d("10.00")],
        [None, "Total des dépenses", d("130.00"), None, None, "Total des recettes", d("135.00")],
        [],
        [None, "Résultat de l'exercice (recettes − dépenses)", d("5.00")],
        [None, "Excédent"],
    ]  # fmt: skip


def test_bilan_sheet_shows_passif_tresorerie_equilibre_and_the_exceptional_verdict(classeur):
    d = Decimal
    lignes = _lignes(classeur["Bilan"])
    assert lignes[1:17] == [
        ["Compte", "Libellé", "Montant"],
        ["Passif : ce que la coopérative possède en propre"],
        ["110", "Report à nouveau (soldes au début de l'exercice)", d("1580.00")],
        ["12", "Résultat de l'exercice (recettes − dépenses)", d("5.00")],
        [None, "Total du passif", d("1585.00")],
        [],
        ["Actif : la trésorerie en fin d'exercice"],
        ["512", "Banque", d("1545.00")],
        ["53", "Caisse (espèces)", d("40.00")],
        [None, "Total de la trésorerie", d("1585.00")],
        [],
        ["Équilibre du bilan"],
        [None, "Report à nouveau + recettes − dépenses = trésorerie ?"],
        [None, "Oui : le bilan est équilibré."],
        [],
        ["Charges et produits exceptionnels"],
    ]
    assert lignes[17:25] == [
        ["671", "Charges exceptionnelles sur opérations de gestion", d("30.00")],
        ["771", "Produits exceptionnels sur opérations de gestion", d("10.00")],
        [None, "Charges exceptionnelles", d("30.00")],
        [None, "Produits exceptionnels", d("10.00")],
        [None, "Solde (produits − charges)", d("-20.00")],
        [None, "Part des recettes de l'exercice", d("0.15")],
        [None, f"Tolérance appliquée : {Tolerance().decrire()}", d("50.00")],
        [None, "Conforme à la règle de l'OCCE"],
    ]
    assert lignes[25][1].startswith("Solde exceptionnel de -20,00")
    assert lignes[26][1].startswith("« Les charges et produits exceptionnels sont")
    ws = classeur["Bilan"]
    assert ws.cell(row=23, column=3).number_format == "0.00%"


def test_par_classe_sheet_totals_tagged_lines(classeur):
    d = Decimal
    assert _lignes(classeur["Par classe ou projet"])[1:] == [
        ["Classe ou projet", "Dépenses", "Recettes", "Solde (recettes − dépenses)"],
        ["CP", d("0.00"), d("50.00"), d("50.00")],
        ["Total des lignes rattachées", d("0.00"), d("50.00"), d("50.00")],
    ]


def test_controles_sheet_says_so_when_there_is_no_anomaly(classeur):
    assert _lignes(classeur["Contrôles"])[1:] == [
        ["Gravité", "Contrôle", "Message", "Pièces"],
        ["Aucune anomalie", None, "Tous les contrôles de coop verifier sont passés."],
    ]


def test_controles_sheet_lists_anomalies_with_their_pieces(tmp_path):
    anomalies = [
        Anomalie(Gravite.ERREUR, "compte-attente-471", "=2 lignes à ventiler", (3, 4)),
        Anomalie(Gravite.AVERTISSEMENT, "piece-manquante", "pièce 8 absente", (), ("R8",)),
    ]
    ws = load_workbook(_ecrire(tmp_path, anomalies=anomalies))["Contrôles"]
    assert _lignes(ws)[1:] == [
        ["Gravité", "Contrôle", "Message", "Pièces"],
        ["erreur", CONTROLES["compte-attente-471"], "=2 lignes à ventiler", "1, 2"],
        ["avertissement", CONTROLES["piece-manquante"], "pièce 8 absente", "R8"],
        [],
        ["1 erreur, 1 avertissement"],
    ]
    assert ws.cell(row=4, column=3).data_type == "s"


def test_informations_sheet_names_the_cooperative_the_exercice_and_the_tool(classeur):
    assert _lignes(classeur["Informations"])[1:] == [
        ["Rubrique", "Valeur"],
        ["Coopérative", "Coopérative de l'école Jules Ferry"],
        ["École", "École Jules Ferry"],
        ["N° OCCE", "035-0421"],
        ["Mandataire", "Mme Martin"],
        ["Exercice", "2025-2026"],
        ["Début de l'exercice", dt.date(2025, 9, 1)],
        ["Fin de l'exercice", dt.date(2026, 8, 31)],
        ["Plan comptable", "Plan comptable OCCE (défaut coopcompta)"],
        ["Tolérance sur l'exceptionnel", Tolerance().decrire()],
        ["Comptabilité", "/chemin/coop.db"],
        ["Produit le", dt.datetime(2026, 9, 15, 18, 30)],
        ["Version de coopcompta", "9.9.9"],
    ]


def test_an_empty_exercice_still_gives_a_complete_workbook(tmp_path):
    wb = load_workbook(_ecrire(tmp_path, []))
    assert _lignes(wb["Journal"])[2:] == [[None, None, "Totaux"]]
    assert _lignes(wb["Par classe ou projet"])[2] == [
        "Aucune écriture n'est rattachée à une classe ou à un projet."
    ]


def test_atomic_file_is_renamed_only_when_the_writing_succeeds(tmp_path):
    cible = tmp_path / "journal.csv"
    cible.write_text("ancien")
    with pytest.raises(RuntimeError), fichier_atomique(cible, force=True) as tmp:
        tmp.write_text("à moitié")
        raise RuntimeError("panne")
    assert cible.read_text() == "ancien"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal.csv"]
    with fichier_atomique(cible, force=True) as tmp:
        tmp.write_text("nouveau")
    assert cible.read_text() == "nouveau"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal.csv"]


def test_an_export_writes_its_temporary_files_in_a_private_folder_it_removes(tmp_path):
    import tempfile

    cible = tmp_path / "bilan.xlsx"
    with fichier_atomique(cible) as tmp:
        prive = tmp.parent
        assert prive.parent == tmp_path and prive.name.startswith(".bilan.xlsx.")
        # openpyxl's write-only sheets (a copy of the journal) go there, not to $TMPDIR.
        assert tempfile.gettempdir() == str(prive)
        tmp.write_text("classeur")
    assert tempfile.gettempdir() != str(prive)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bilan.xlsx"]


def test_what_a_killed_export_left_is_removed_by_the_next_one_but_not_a_running_one(tmp_path):
    # Left by exports killed outright: a folder of this version, a file of an earlier one.
    mort = tmp_path / ".bilan.xlsx.0123abcd.tmp"
    mort.mkdir()
    (mort / "openpyxl.x1y2z3").write_text("<sheetData>copie du journal</sheetData>")
    (tmp_path / ".journal.csv.89abcdef.tmp").write_text("à moitié")
    # Not ours: kept.
    autres = [".bilan.xlsx.tmp", "notes.0123abcd.tmp", ".photo.jpg.0123abcd.tmp", "bilan.xlsx"]
    for nom in autres:
        (tmp_path / nom).write_text("à garder")
    with fichier_atomique(tmp_path / "autre.csv") as en_cours:
        en_cours.write_text("en cours")
        # A second export into the same folder while the first one runs.
        with fichier_atomique(tmp_path / "journal.csv") as tmp:
            tmp.write_text("nouveau")
            assert en_cours.exists()
        assert en_cours.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [*autres, "autre.csv", "journal.csv"]
    )


def test_atomic_file_refuses_to_overwrite_without_force(tmp_path):
    cible = tmp_path / "bilan.xlsx"
    cible.write_text("ancien")
    with pytest.raises(CoopComptaError) as err, fichier_atomique(cible):
        pass
    assert str(err.value) == (
        f"{cible}: le fichier existe déjà ; ajoutez --force pour le remplacer"
    )
    assert cible.read_text() == "ancien"
