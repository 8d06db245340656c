"""`coop consolider`: the departmental association's view of many cooperatives (issue 14)."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

ENTETE = "date;piece;libelle;sens;tresorerie;mode;cheque;total;compte;montant;classe;annule\n"
NBSP = "\u00a0"


def journal(
    path: Path,
    subvention: int,
    goûter: int,
    exceptionnel: int = 0,
    annee: int = 2025,
) -> Path:
    """A small cooperative's year: 1 000 € at the bank, a subsidy, a goûter, and maybe a gift
    wrongly put in exceptional products (771)."""
    lignes = [
        f"01/09/{annee};;Report à nouveau;ouverture;512;;;;;1000,00;;",
        f"15/01/{annee + 1};1;Subvention;recette;512;virement;;;7440;{subvention},00;;",
        f"10/03/{annee + 1};2;Goûter;depense;512;virement;;;6257;{goûter},00;;",
    ]
    if exceptionnel:
        lignes.append(
            f"20/03/{annee + 1};3;Don d'un parent;recette;512;virement;;;771;{exceptionnel},00;;"
        )
    path.write_text(ENTETE + "\n".join(lignes) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def ad(tmp_path, monkeypatch) -> Path:
    """What the AD received: five cooperatives' journals, one with a 700 € gift in 771."""
    dossier = tmp_path / "recus"
    dossier.mkdir()
    for i in range(1, 5):
        journal(dossier / f"coop-{i}.csv", subvention=100 * i, goûter=10 * i)
    journal(dossier / "coop-5.csv", subvention=500, goûter=50, exceptionnel=700)
    monkeypatch.chdir(tmp_path)
    return dossier


def test_totals_by_rubrique_add_up_every_cooperative(invoke, ad):
    r = invoke("consolider", "recus", "--format", "json")
    assert r.exit_code == 1, r.output  # one cooperative to look at
    doc = json.loads(r.stdout)
    assert doc["exercice"] == "2025-2026"
    assert doc["ecartes"] == []
    assert doc["totaux"] == {
        "cooperatives": 5,
        "a_regarder": 1,
        "erreurs": 1,
        "avertissements": 0,
        "depenses": {"Charges des activités éducatives": "150.00"},
        "recettes": {"Subventions": "1500.00", "Produits exceptionnels": "700.00"},
        "total_depenses": "150.00",
        "total_recettes": "2200.00",
        "resultat": "2050.00",
        "tresorerie": "7050.00",
        "charges_exceptionnelles": "0.00",
        "produits_exceptionnels": "700.00",
        "exceptionnel_hors_tolerance": 1,
    }
    # The one to look at comes first, then the others in the order of their files.
    assert [c["fichier"] for c in doc["cooperatives"]] == [
        "recus/coop-5.csv",
        "recus/coop-1.csv",
        "recus/coop-2.csv",
        "recus/coop-3.csv",
        "recus/coop-4.csv",
    ]
    assert doc["cooperatives"][0] == {
        "fichier": "recus/coop-5.csv",
        "nom": "coop-5",
        "numero_occe": None,
        "exercice": "2025-2026",
        "recettes": "1200.00",
        "depenses": "50.00",
        "resultat": "1150.00",
        "tresorerie": "2150.00",
        "solde_exceptionnel": "700.00",
        "exceptionnel_ok": False,
        "rapprochement": None,
        "arrete_caisse": None,
        "erreurs": 1,
        "avertissements": 0,
        "a_regarder": True,
        "motifs": ["exceptionnel hors tolérance"],
    }


def test_the_terminal_shows_the_cooperatives_to_look_at_first(invoke, ad):
    r = invoke("consolider", "recus")
    assert r.exit_code == 1
    lignes = r.stdout.splitlines()
    assert lignes[0] == "Consolidation de l'exercice 2025-2026 : 5 coopératives, 1 à regarder."
    debut = lignes.index("À regarder en premier")
    assert lignes[debut + 2].split() == ["Coopérative", "Résultat", "Trésorerie", "Except."]
    assert lignes[debut + 4].split() == ["coop-5", "1", "150,00", "2", "150,00", "700,00"]
    assert lignes[debut + 5].strip() == "recus/coop-5.csv"
    assert lignes[debut + 6].strip() == "1 erreur : exceptionnel hors tolérance"
    assert lignes.index("Sans erreur") > debut
    assert " Résultat cumulé (recettes − dépenses)         2\u202f050,00        " in lignes
    assert max(len(ligne) for ligne in lignes) == 80


def test_nothing_to_look_at_exits_0(invoke, ad):
    (ad / "coop-5.csv").unlink()
    r = invoke("consolider", "recus", "-f", "json")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["totaux"]["a_regarder"] == 0


def test_a_cooperative_sent_twice_is_counted_once(invoke, ad, tmp_path):
    shutil.copy(ad / "coop-1.csv", ad / "coop-1-renvoye.csv")
    for nom in ("ecole-a.db", "ecole-b.db"):
        r = invoke("init", "--db", tmp_path / nom, "--nom", "École Jules Ferry",
                   "--numero-occe", "035-0042", "--exercice", "2025-2026",
                   "--ouverture", "512=100,00")  # fmt: skip
        assert r.exit_code == 0, r.output
    r = invoke("consolider", "recus", "ecole-a.db", "ecole-b.db", "-f", "json")
    assert r.exit_code == 2
    doc = json.loads(r.stdout)
    assert doc["totaux"]["cooperatives"] == 6
    assert doc["totaux"]["tresorerie"] == "7150.00"
    assert doc["ecartes"] == [
        {
            "fichier": "recus/coop-1.csv",
            "genre": "doublon",
            "raison": "même coopérative (même contenu) et même exercice que "
            "recus/coop-1-renvoye.csv : comptée une seule fois",
            "ligne": None,
        },
        {
            "fichier": "ecole-b.db",
            "genre": "doublon",
            "raison": "même coopérative (n° OCCE 035-0042) et même exercice que ecole-a.db : "
            "comptée une seule fois",
            "ligne": None,
        },
    ]
    assert r.stderr.splitlines() == [
        "Attention : recus/coop-1.csv: même coopérative (même contenu) et même exercice que "
        "recus/coop-1-renvoye.csv : comptée une seule fois",
        "Attention : ecole-b.db: même coopérative (n° OCCE 035-0042) et même exercice que "
        "ecole-a.db : comptée une seule fois",
    ]


def test_files_that_are_not_books_or_of_another_year_are_named_and_the_rest_counted(invoke, ad):
    (ad / "LISEZMOI.md").write_text("# Comptes reçus\n", encoding="utf-8")
    (ad / "releve.csv").write_text("Date;Libellé;Montant\n", encoding="utf-8")
    journal(ad / "coop-ancienne.csv", subvention=10, goûter=1, annee=2024)
    r = invoke("consolider", "recus")
    assert r.exit_code == 2
    assert r.stderr.splitlines() == [
        "Erreur : recus/LISEZMOI.md: ni une comptabilité coopcompta (base SQLite) ni un "
        "journal CSV (.csv)",
        "Erreur : recus/coop-ancienne.csv: exercice 2024-2025, pas 2025-2026 : non comptée "
        "(choisissez l'exercice avec --exercice)",
        "Erreur : recus/releve.csv:1: colonne « sens » manquante",
    ]
    assert r.stdout.splitlines()[0] == (
        "Consolidation de l'exercice 2025-2026 : 5 coopératives, 1 à regarder, 3 fichiers écartés."
    )
    r = invoke("consolider", "recus", "--exercice", "2024-2025", "-f", "json")
    doc = json.loads(r.stdout)
    assert [c["fichier"] for c in doc["cooperatives"]] == ["recus/coop-ancienne.csv"]
    assert len(doc["ecartes"]) == 7


def test_a_ledger_is_read_for_the_exercice_of_the_run(invoke, ad, tmp_path):
    db = tmp_path / "ecole.db"
    r = invoke("init", "--db", db, "--nom", "École", "--exercice", "2024-2025",
               "--ouverture", "512=10,00")  # fmt: skip
    assert r.exit_code == 0, r.output
    r = invoke("nouvel-exercice", "--db", db, "--forcer", "essai de consolidation", input="o\n")
    assert r.exit_code == 0, r.output  # the ledger's latest exercice is now 2025-2026
    r = invoke("consolider", "recus/coop-1.csv", db, "-f", "json")
    doc = json.loads(r.stdout)
    assert [(c["nom"], c["exercice"]) for c in doc["cooperatives"]] == [
        ("coop-1", "2025-2026"),
        ("École", "2025-2026"),
    ]


def test_the_ad_workbook_has_the_list_the_totals_and_the_anomalies(invoke, ad, tmp_path):
    (ad / "releve.csv").write_text("Date;Libellé;Montant\n", encoding="utf-8")
    r = invoke("consolider", "recus", "--export", "ad.xlsx")
    assert r.exit_code == 2
    assert r.stdout.splitlines() == [
        "Consolidation de l'exercice 2025-2026 : 5 coopératives, 1 à regarder, 1 fichier écarté.",
        "ad.xlsx : classeur de 3 feuilles (Coopératives, Totaux par rubrique, Anomalies).",
    ]
    wb = load_workbook(tmp_path / "ad.xlsx")
    assert wb.sheetnames == ["Coopératives", "Totaux par rubrique", "Anomalies"]
    liste = wb["Coopératives"]
    lignes = [list(r) for r in liste.iter_rows(min_row=2, values_only=True)]
    assert lignes[0][:4] == ["À regarder", "Coopérative", "N° OCCE", "Résultat"]
    premiere = dict(zip(lignes[0], lignes[1], strict=True))
    assert premiere["À regarder"] == "OUI"
    assert premiere["Coopérative"] == "coop-5"
    assert Decimal(str(premiere["Résultat"])) == Decimal("1150.00")
    assert Decimal(str(premiere["Solde exceptionnel"])) == Decimal("700.00")
    assert premiere["Exceptionnel"] == "hors tolérance"
    assert premiere["Rapprochement bancaire"] == "sans objet"  # a journal CSV keeps none
    assert premiere["Motifs"] == "exceptionnel hors tolérance"
    assert [ligne[1] for ligne in lignes[1:6]] == ["coop-5", "coop-1", "coop-2", "coop-3", "coop-4"]
    assert lignes[-1][:2] == ["ÉCARTÉ", "inutilisable"]
    assert lignes[-1][-2:] == ["ligne 1 : colonne « sens » manquante", "recus/releve.csv"]

    totaux = {r[0]: r[1:] for r in wb["Totaux par rubrique"].iter_rows(values_only=True) if r[0]}
    assert Decimal(str(totaux["Subventions"][0])) == Decimal("1500")
    assert totaux["Subventions"][1] == 5
    assert Decimal(str(totaux["Résultat cumulé (recettes − dépenses)"][0])) == Decimal("2050")

    anomalies = list(wb["Anomalies"].iter_rows(min_row=3, values_only=True))
    assert [(a[0], a[2], a[5]) for a in anomalies] == [("coop-5", "exceptionnel-hors-tolerance", 5)]
    for ws in wb.worksheets:  # printable like the year-end workbook
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$2"


def test_the_workbook_is_not_overwritten_without_force(invoke, ad, tmp_path):
    (tmp_path / "ad.xlsx").write_text("à garder", encoding="utf-8")
    r = invoke("consolider", "recus", "--export", "ad.xlsx")
    assert (r.exit_code, r.stdout) == (1, "")
    assert (
        r.stderr == "Erreur : ad.xlsx: le fichier existe déjà ; ajoutez --force pour le remplacer\n"
    )
    assert (tmp_path / "ad.xlsx").read_text(encoding="utf-8") == "à garder"
    assert invoke("consolider", "recus", "--export", "ad.xlsx", "--force").exit_code == 1
    r = invoke("consolider", "recus", "--export", "ad.ods")
    assert (r.exit_code, r.stderr) == (
        2,
        "Erreur : ad.ods: extension « .ods » : le classeur s'écrit en .xlsx\n",
    )


def test_a_ledger_says_whether_it_holds_a_cash_count_and_a_reconciliation(invoke, ad, tmp_path):
    db = tmp_path / "ecole.db"
    r = invoke("init", "--db", db, "--nom", "École", "--exercice", "2025-2026",
               "--ouverture", "512=100,00", "--ouverture", "53=40,00")  # fmt: skip
    assert r.exit_code == 0, r.output
    r = invoke("caisse", "compter", "20=2", "--par", "Mme Martin", "--db", db)
    assert r.exit_code == 0, r.output
    doc = json.loads(invoke("consolider", db, "recus/coop-1.csv", "-f", "json").stdout)
    ecole, journal_csv = doc["cooperatives"]
    assert (ecole["nom"], ecole["arrete_caisse"], ecole["rapprochement"]) == ("École", True, False)
    assert (journal_csv["arrete_caisse"], journal_csv["rapprochement"]) == (None, None)
