"""`coop export`: the workbook and the journal CSV, through the command line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import NOM_COOP
from coopcompta.domain.dossier import CONTROLES
from coopcompta.domain.errors import CoopComptaError
from coopcompta.storage import ouvrir
from coopcompta.usecases.bilan import charger_bilan

JOURNAL = """\
date;piece;libelle;sens;tresorerie;mode;cheque;total;compte;montant;classe;annule
10/09/2025;1;Cotisation OCCE et assurance;depense;512;cheque;0001234;100,00;6281;80,00;;
10/09/2025;1;Cotisation OCCE et assurance;depense;512;cheque;0001234;;6168;20,00;;
15/09/2025;2;=1+1;recette;512;cheque;;125,00;7070;50,00;CP;
15/09/2025;2;=1+1;recette;512;cheque;;;75620008;75,00;;
20/09/2025;3;Versement espèces;virement;53;especes;;;512;50,00;;
07/10/2025;4;Photos de classe;depense;512;cheque;0001235;;6070;40,00;CP;
08/10/2025;5;Chèque impayé;depense;512;;;;671;30,00;;
09/10/2025;6;Erreur de caisse;recette;53;especes;;;771;10,00;;
"""

SORTIE_XLSX = (
    "classeur de 8 feuilles (Compte de fonctionnement, Bilan, Journal, Par classe ou projet, "
    "Contrôles, Informations, Fin d'exercice, Graphiques), exercice 2025-2026"
)


@pytest.fixture
def ledger(ledger_path: Path, tmp_path: Path, invoke) -> Path:
    """The shared 2025-2026 ledger with a few écritures and a contre-passation."""
    journal = tmp_path / "saisie.csv"
    journal.write_text(JOURNAL, encoding="utf-8")
    result = invoke("saisie", "--db", ledger_path, "--fichier", journal)
    assert result.exit_code == 0, result.output
    result = invoke(
        "annuler", "4", "--db", ledger_path, "--date", "10/10/2025", "--motif", "doublon"
    )
    assert result.exit_code == 0, result.output
    return ledger_path


def _fichiers(dossier: Path) -> list[str]:
    """What is in the folder, the ledger (and its SQLite journal files) aside."""
    return sorted(p.name for p in dossier.iterdir() if not p.name.startswith("coop.db"))


def _nombre(v):
    return Decimal(str(v)).quantize(Decimal("0.01")) if isinstance(v, int | float) else v


def _cellules(ws) -> list[list]:
    return [[_nombre(v) for v in row] for row in ws.iter_rows(values_only=True)]


def _par_libelle(ws, colonne_libelle: int, colonne_montant: int) -> dict:
    return {
        row[colonne_libelle]: row[colonne_montant]
        for row in _cellules(ws)
        if len(row) > colonne_montant and isinstance(row[colonne_libelle], str)
    }


def test_export_xlsx_writes_the_workbook_and_says_what_it_wrote(ledger, tmp_path, invoke):
    sortie = tmp_path / "bilan.xlsx"
    result = invoke("export", sortie, "--db", ledger)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{sortie} : {SORTIE_XLSX}, 9 écritures.\n"
    assert result.stderr == ""
    assert load_workbook(sortie).sheetnames[0] == "Compte de fonctionnement"
    assert _fichiers(tmp_path) == ["bilan.xlsx", "saisie.csv"]


def test_the_bilan_figures_are_found_in_the_workbook(ledger, tmp_path, invoke):
    sortie = tmp_path / "bilan.xlsx"
    assert invoke("export", sortie, "--db", ledger).exit_code == 0
    wb = load_workbook(sortie)
    with ouvrir(ledger) as led:
        bilan = charger_bilan(led)
    f, s = bilan.fonctionnement, bilan.simplifie

    # Hand-computed: charges 80 + 20 + (40 − 40) + 30, produits 50 + 75 + 10.
    d = Decimal
    assert (f.total_depenses, f.total_recettes, f.resultat) == (d("130"), d("135"), d("5"))
    assert {c.numero: c.montant for c in s.tresorerie} == {"512": d("1545"), "53": d("40")}

    cdf = wb["Compte de fonctionnement"]
    # Charges in columns A-C, produits in E-G, side by side.
    moities = [row[k : k + 3] for row in _cellules(cdf) for k in (0, 4) if len(row) > k + 2]
    par_compte = {m[0]: m[2] for m in moities if m[0] and m[0][0].isdigit()}
    assert par_compte == {**f.comptes_depenses(), **f.comptes_recettes()}
    totaux = {m[1]: m[2] for m in moities if isinstance(m[1], str)}
    assert totaux["Total des dépenses"] == f.total_depenses
    assert totaux["Total des recettes"] == f.total_recettes
    assert totaux["Résultat de l'exercice (recettes − dépenses)"] == f.resultat
    for r in (*f.depenses, *f.recettes):
        assert totaux[f"Sous-total {r.nom}"] == r.total

    feuille = _par_libelle(wb["Bilan"], 1, 2)
    assert feuille["Report à nouveau (soldes au début de l'exercice)"] == s.report_a_nouveau
    assert feuille["Résultat de l'exercice (recettes − dépenses)"] == s.resultat
    assert feuille["Total du passif"] == s.passif == d("1585")
    for c in s.tresorerie:
        assert feuille[c.libelle] == c.montant
    assert feuille["Total de la trésorerie"] == s.total_tresorerie
    assert "Oui : le bilan est équilibré." in feuille
    x = bilan.exceptionnel
    assert feuille["Charges exceptionnelles"] == x.charges == d("30")
    assert feuille["Produits exceptionnels"] == x.produits == d("10")
    assert feuille["Solde (produits − charges)"] == x.solde
    assert x.verdict in [row[1] for row in _cellules(wb["Bilan"])]


def test_journal_sheet_has_one_row_per_ecriture_and_running_balances(ledger, tmp_path, invoke):
    sortie = tmp_path / "bilan.xlsx"
    assert invoke("export", sortie, "--db", ledger).exit_code == 0
    lignes = _cellules(load_workbook(sortie)["Journal"])
    entete = lignes[1]
    assert entete[:8] == [
        "Pièce",
        "Date",
        "Libellé",
        "N° de chèque",
        "Banque recette",
        "Banque dépense",
        "Caisse recette",
        "Caisse dépense",
    ]
    assert entete[-2:] == ["Solde Banque", "Solde Caisse"]
    corps, totaux = lignes[2:-1], lignes[-1]
    assert len(corps) == 9  # two opening balances, six écritures, one contre-passation
    assert [r[0] for r in corps] == [None, None, 1, 2, 3, 4, 5, 6, 7]  # numbers, in order
    assert corps[2][:4] == [
        1,
        dt.datetime(2025, 9, 10),
        "Cotisation OCCE et assurance",
        "0001234",
    ]
    banque = entete.index("Solde Banque")
    caisse = entete.index("Solde Caisse")
    soldes_banque = [r[banque] for r in corps if r[banque] is not None]
    soldes_caisse = [r[caisse] for r in corps if r[caisse] is not None]
    d = Decimal
    assert soldes_banque == [d(x) for x in ("1500", "1400", "1525", "1575", "1535", "1505", "1545")]
    assert soldes_caisse == [d(x) for x in ("80", "30", "40")]
    assert (totaux[2], totaux[banque], totaux[caisse]) == ("Totaux", d("1545"), d("40"))
    assert totaux[4:8] == [d("175"), d("130"), d("10"), d("50")]  # recettes/dépenses by account


def test_a_libelle_starting_with_equals_comes_back_as_text(ledger, tmp_path, invoke):
    sortie = tmp_path / "bilan.xlsx"
    assert invoke("export", sortie, "--db", ledger).exit_code == 0
    ws = load_workbook(sortie)["Journal"]
    cellules = [row[2] for row in ws.iter_rows(min_row=3) if row[2].value == "=1+1"]
    assert len(cellules) == 1
    assert cellules[0].data_type == "s"


def test_informations_sheet_names_the_cooperative(ledger, tmp_path, invoke):
    sortie = tmp_path / "bilan.xlsx"
    assert invoke("export", sortie, "--db", ledger).exit_code == 0
    infos = {r[0]: r[1] for r in _cellules(load_workbook(sortie)["Informations"])[2:]}
    assert infos["Coopérative"] == NOM_COOP
    assert infos["Exercice"] == "2025-2026"
    assert infos["Début de l'exercice"] == dt.datetime(2025, 9, 1)
    assert infos["Plan comptable"] == "Plan comptable OCCE (défaut coopcompta)"
    # The file's name, never a local path: the sheet is printed and sent.
    assert infos["Comptabilité"] == ledger.name
    assert infos["Produit le"].date() == dt.date.today()
    assert infos["Version de coopcompta"] == __import__("coopcompta").__version__


def test_export_csv_then_saisie_then_export_gives_the_same_file(ledger, tmp_path, invoke):
    premier = tmp_path / "journal.csv"
    result = invoke("export", premier, "--db", ledger)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{premier} : journal CSV, exercice 2025-2026, 9 écritures.\n"
    texte = premier.read_text(encoding="utf-8")
    assert texte.splitlines()[0] == (
        "date;piece;libelle;sens;tresorerie;mode;cheque;total;compte;montant;classe;annule"
    )
    assert "01/09/2025;;Report à nouveau;ouverture;512;;;;;1500,00;;" in texte
    assert ";-40,00;CP;4" in texte  # the contre-passation names the pièce it cancels

    neuve = tmp_path / "neuve.db"
    assert invoke("init", "--db", neuve, "--nom", "Copie", "--exercice", "2025-2026").exit_code == 0
    result = invoke("saisie", "--db", neuve, "--fichier", premier)
    assert result.exit_code == 0, result.output
    second = tmp_path / "journal2.csv"
    assert invoke("export", second, "--db", neuve).exit_code == 0
    assert second.read_bytes() == premier.read_bytes()


def test_unknown_extension_is_refused(ledger, tmp_path, invoke):
    sortie = tmp_path / "bilan.ods"
    result = invoke("export", sortie, "--db", ledger)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Erreur : {sortie}: extension inconnue « .ods » : "
        "choisissez .xlsx (classeur), .pdf (dossier à imprimer) ou .csv (journal)\n"
    )
    assert not sortie.exists()


def test_an_existing_file_is_kept_unless_force(ledger, tmp_path, invoke):
    sortie = tmp_path / "bilan.xlsx"
    sortie.write_bytes(b"ancien")
    result = invoke("export", sortie, "--db", ledger)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Erreur : {sortie}: le fichier existe déjà ; ajoutez --force pour le remplacer\n"
    )
    assert sortie.read_bytes() == b"ancien"
    assert invoke("export", sortie, "--db", ledger, "--force").exit_code == 0
    assert load_workbook(sortie).sheetnames[2] == "Journal"


def test_a_failure_while_writing_leaves_no_half_written_file(ledger, tmp_path, invoke, monkeypatch):
    import coopcompta.exports.excel as export_excel

    def panne(*args, **kwargs):
        raise CoopComptaError("disque plein", "bilan.xlsx")

    monkeypatch.setattr(export_excel, "_ecrire_controles", panne)
    sortie = tmp_path / "bilan.xlsx"
    sortie.write_bytes(b"ancien")
    result = invoke("export", sortie, "--db", ledger, "--force")
    assert result.exit_code == 1
    assert result.stderr == "Erreur : bilan.xlsx: disque plein\n"
    assert sortie.read_bytes() == b"ancien"
    assert _fichiers(tmp_path) == ["bilan.xlsx", "saisie.csv"]


def test_export_without_a_ledger_says_how_to_create_one(tmp_path, invoke):
    db = tmp_path / "absent.db"
    result = invoke("export", tmp_path / "bilan.xlsx", "--db", db)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Erreur : {db}: aucune comptabilité ici : lancez `coop init` "
        "(ou indiquez --db / COOP_DB)\n"
    )
    assert not (tmp_path / "bilan.xlsx").exists()


def test_export_of_an_unknown_exercice_is_refused(ledger, tmp_path, invoke):
    result = invoke("export", tmp_path / "bilan.xlsx", "--db", ledger, "--exercice", "2030-2031")
    assert result.exit_code == 1
    assert result.stderr == (
        "Erreur : --exercice: exercice 2030-2031 inconnu (exercices : 2025-2026)\n"
    )


def test_export_into_a_missing_folder_is_refused(ledger, tmp_path, invoke):
    sortie = tmp_path / "absent" / "bilan.xlsx"
    result = invoke("export", sortie, "--db", ledger)
    assert result.exit_code == 1
    assert result.stderr == f"Erreur : {sortie}: dossier introuvable « {sortie.parent} »\n"


def test_controles_sheet_lists_the_anomalies_of_coop_verifier(ledger, tmp_path, invoke):
    result = invoke(
        "saisie",
        "--db",
        ledger,
        "--date",
        "12/10/2025",
        "--recette",
        "42,00",
        "--libelle",
        "Virement inconnu",
        "--compte",
        "471",
        "--piece",
        "8",
    )
    assert result.exit_code == 0, result.output
    sortie = tmp_path / "bilan.xlsx"
    assert invoke("export", sortie, "--db", ledger).exit_code == 0
    lignes = _cellules(load_workbook(sortie)["Contrôles"])
    assert lignes[1] == ["Gravité", "Contrôle", "Message", "Pièces"]
    anomalies = {row[1]: row for row in lignes[2:] if row[0] in ("erreur", "avertissement")}
    # The check in words, never its internal code.
    gravite, _, message, pieces = anomalies[CONTROLES["compte-attente-471"]]
    assert gravite == "erreur"
    assert "471" in message
    assert pieces == "8"
    assert (
        lignes[-1][0]
        == f"{len(anomalies)} erreur{'s' if len(anomalies) > 1 else ''}, 0 avertissement"
    )


def test_an_exercice_without_ecritures_exports_an_empty_journal(tmp_path, invoke):
    db = tmp_path / "vide.db"
    assert invoke("init", "--db", db, "--nom", "Vide", "--exercice", "2025-2026").exit_code == 0
    result = invoke("export", tmp_path / "vide.csv", "--db", db)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(" : journal CSV, exercice 2025-2026, 0 écriture.\n")
    assert (tmp_path / "vide.csv").read_text(encoding="utf-8") == (
        "date;piece;libelle;sens;tresorerie;mode;cheque;total;compte;montant;classe;annule\n"
    )
    assert invoke("export", tmp_path / "vide.xlsx", "--db", db).exit_code == 0
    wb = load_workbook(tmp_path / "vide.xlsx")
    assert _cellules(wb["Journal"])[1:] == [
        ["Pièce", "Date", "Libellé", "N° de chèque"],
        [None, None, "Totaux", None],
    ]
    bilan = _par_libelle(wb["Bilan"], 1, 2)
    assert bilan["Part des recettes de l'exercice"] == "sans objet (aucune recette)"
