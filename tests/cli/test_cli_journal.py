"""`coop journal`: table, filters, JSON for scripts, and the CSV `coop saisie --fichier` reads."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NBSP = "\u00a0"


def saisir(invoke, db: Path, *args: str) -> None:
    result = invoke(*args[:1], "--db", db, *args[1:])
    assert result.exit_code == 0, result.output


@pytest.fixture
def annee(invoke, ledger_path: Path) -> Path:
    """A few écritures of a school year: split cheque, photos by class, a deposit, a reversal."""
    saisir(
        invoke,
        ledger_path,
        "saisie",
        "--date",
        "16/09/2025",
        "--depense",
        "100,00",
        "--libelle",
        "Cotisation OCCE et assurance",
        "--mode",
        "cheque",
        "--cheque",
        "1234567",
        "--compte",
        "62810008=80,00",
        "--compte",
        "61681008=20,00",
    )
    saisir(
        invoke,
        ledger_path,
        "saisie",
        "--date",
        "02/10/2025",
        "--recette",
        "1 234,56",
        "--libelle",
        "Photos de classe",
        "--mode",
        "especes",
        "--tresorerie",
        "53",
        "--compte",
        "7070=1000,00:CP",
        "--compte",
        "7070=234,56:CM1",
    )
    saisir(
        invoke,
        ledger_path,
        "virement",
        "--date",
        "05/10/2025",
        "--montant",
        "120,00",
        "--de",
        "53",
        "--vers",
        "512",
        "--libelle",
        "Dépôt espèces kermesse",
    )
    saisir(
        invoke,
        ledger_path,
        "saisie",
        "--date",
        "12/10/2025",
        "--depense",
        "45,00",
        "--libelle",
        "Achat photos",
        "--compte",
        "6070:CP",
    )
    saisir(invoke, ledger_path, "annuler", "4", "--date", "13/10/2025")
    return ledger_path  # fmt: skip


def lire_json(invoke, db: Path, *filtres: str) -> list[dict]:
    result = invoke("journal", "--db", db, "--format", "json", *filtres)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_gives_every_ecriture_with_point_decimal_strings(invoke, annee):
    ecritures = lire_json(invoke, annee)
    assert [e["piece"] for e in ecritures] == [None, None, "1", "2", "3", "4", "5"]
    photos = ecritures[3]
    assert photos == {
        "id": 4,
        "date": "2025-10-02",
        "exercice": "2025-2026",
        "piece": "2",
        "libelle": "Photos de classe",
        "sens": "recette",
        "mode": "especes",
        "cheque": None,
        "tresorerie": "53",
        "contrepartie": None,
        "montant": "1234.56",
        "ventilation": [
            {"compte": "7070", "montant": "1000.00", "classe": "CP"},
            {"compte": "7070", "montant": "234.56", "classe": "CM1"},
        ],
        "annule": None,
    }
    virement, achat, annulation = ecritures[4:]
    assert (virement["sens"], virement["tresorerie"], virement["contrepartie"]) == (
        "virement",
        "53",
        "512",
    )
    assert (achat["montant"], achat["annule"]) == ("45.00", None)
    assert (annulation["montant"], annulation["annule"]) == ("-45.00", "4")


@pytest.mark.parametrize(
    ("filtres", "pieces"),
    [
        (["--mois", "9"], [None, None, "1"]),
        (["--compte", "6281"], ["1"]),
        (["--compte", "53"], [None, "2", "3"]),
        (["--classe", "CP"], ["2", "4", "5"]),
        (["--mois", "10", "--compte", "6070"], ["4", "5"]),
    ],
)
def test_filters_by_month_account_and_class(invoke, annee, filtres, pieces):
    assert [e["piece"] for e in lire_json(invoke, annee, *filtres)] == pieces


def test_the_table_shows_recettes_and_depenses_with_totals(invoke, annee):
    result = invoke("journal", "--db", annee, env={"COLUMNS": "140"})
    assert result.exit_code == 0, result.output
    lignes = [ligne.rstrip() for ligne in result.stdout.splitlines()]
    assert lignes[0] == "Journal 2025-2026"
    entete = lignes[2].split()
    assert entete == ["Date", "Pièce", "Libellé", "Mode", "Recette", "Dépense", "Comptes"]
    i = next(i for i, ligne in enumerate(lignes) if "Cotisation" in ligne)
    assert lignes[i].split()[:2] == ["16/09/2025", "1"]
    assert "chèque 1234567" in lignes[i]
    assert lignes[i].endswith("100,00  512 → 62810008 80,00")
    assert lignes[i + 1].endswith("   61681008 20,00")
    assert "53 → 512 : 120,00" in next(ligne for ligne in lignes if "Dépôt" in ligne)
    total = next(ligne for ligne in lignes if ligne.strip().startswith("Total"))
    assert re.split(" {2,}", total.strip()) == ["Total", "1\u202f234,56", "100,00"]
    assert lignes[-1] == "7 écritures"


def test_an_empty_month_gives_an_empty_json_list(invoke, annee):
    assert lire_json(invoke, annee, "--mois", "7") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "--format: format inconnu « xml » (attendu : table, json, csv)"),
        (["--mois", "13"], "--mois: mois invalide « 13 » (attendu : 1 à 12)"),
        (["--compte", "9999"], "--compte: compte inconnu « 9999 » (voir `coop plan`)"),
        (
            ["--exercice", "2024-2025"],
            "--exercice: exercice 2024-2025 inconnu (exercices : 2025-2026)",
        ),
    ],
)
def test_bad_options_are_named(invoke, annee, args, message):
    result = invoke("journal", "--db", annee, *args)
    assert (result.exit_code, result.stderr) == (1, f"Erreur : {message}\n")


def test_the_csv_output_loads_into_a_fresh_ledger_unchanged(invoke, annee, tmp_path):
    result = invoke("journal", "--db", annee, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "date;piece;libelle;sens;tresorerie;mode;cheque;total;compte;montant;classe;annule"
    )
    assert result.stdout.splitlines()[-1] == (
        "13/10/2025;5;Annulation pièce 4 : Achat photos;depense;512;;;-45,00;6070;-45,00;CP;4"
    )
    fichier = tmp_path / "j.csv"
    fichier.write_text(result.stdout, encoding="utf-8")
    neuf = tmp_path / "neuf.db"
    assert invoke("init", "--db", neuf, "--nom", "X", "--exercice", "2025-2026").exit_code == 0
    result = invoke("saisie", "--db", neuf, "--fichier", fichier)
    assert result.stdout == "7 écritures enregistrées depuis j.csv.\n"

    def sans_id(ecritures: list[dict]) -> list[dict]:
        return [{k: v for k, v in e.items() if k != "id"} for e in ecritures]

    assert sans_id(lire_json(invoke, neuf)) == sans_id(lire_json(invoke, annee))


# -- a filtered table counts only the matching lines ----------------------------------

EXEMPLE = Path(__file__).resolve().parents[2] / "examples" / "jules-ferry-2025-2026.csv"


@pytest.fixture(scope="module")
def exemple(tmp_path_factory) -> Path:
    """The example school year of examples/, loaded once as the README does."""
    from typer.testing import CliRunner

    from coopcompta.cli import app

    db = tmp_path_factory.mktemp("exemple") / "coop.db"
    runner = CliRunner()
    for args in (
        ["init", "--db", db, "--nom", "Jules Ferry", "--exercice", "2025-2026"],
        ["saisie", "--db", db, "--fichier", EXEMPLE],
    ):
        result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return db


def totaux_du_tableau(invoke, db: Path, *filtres: str) -> list[str]:
    result = invoke("journal", "--db", db, *filtres, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    total = next(ligne for ligne in result.stdout.splitlines() if ligne.strip().startswith("Total"))
    return re.split(" {2,}", total.strip())[1:]


def en_francais(point: str) -> str:
    from decimal import Decimal

    from coopcompta.domain.money import formater_euros

    return formater_euros(Decimal(point), symbole=False)


def test_the_journal_of_a_class_totals_what_the_bilan_gives_for_it(invoke, exemple):
    bilan = json.loads(invoke("bilan", "--db", exemple, "--format", "json").stdout)
    assert bilan["classes"]["CP"] == {"depenses": "970.45", "recettes": "985.50", "solde": "15.05"}
    for classe, totaux in bilan["classes"].items():
        attendu = [en_francais(totaux["recettes"]), en_francais(totaux["depenses"])]
        assert totaux_du_tableau(invoke, exemple, "--classe", classe) == attendu, classe


def test_the_journal_of_an_account_totals_what_the_bilan_gives_for_it(invoke, exemple):
    bilan = json.loads(invoke("bilan", "--db", exemple, "--format", "json").stdout)
    for compte in ("7070", "75620008", "6068", "6257"):
        cote = "recettes" if compte.startswith("7") else "depenses"
        totaux = totaux_du_tableau(invoke, exemple, "--compte", compte)
        attendu = en_francais(bilan[cote][compte])
        assert totaux == ([attendu, "0,00"] if cote == "recettes" else ["0,00", attendu]), compte


def test_an_account_filter_counts_only_its_share_of_a_split_cheque(invoke, annee):
    result = invoke("journal", "--db", annee, "--compte", "62810008", env={"COLUMNS": "140"})
    assert result.exit_code == 0, result.output
    lignes = [ligne.rstrip() for ligne in result.stdout.splitlines()]
    cheque = next(i for i, ligne in enumerate(lignes) if "Cotisation" in ligne)
    assert lignes[cheque].endswith("80,00  512 → 62810008 80,00")
    assert lignes[cheque + 1].endswith("   61681008 20,00")
    total = next(ligne for ligne in lignes if ligne.strip().startswith("Total"))
    assert re.split(" {2,}", total.strip()) == ["Total", "0,00", "80,00"]
    assert lignes[-1] == (
        "1 écriture — montants : les seules lignes du compte 62810008 (les autres lignes en grisé)"
    )
    # The JSON keeps the whole écriture (scripts and the re-loadable CSV need it).
    assert [e["montant"] for e in lire_json(invoke, annee, "--compte", "62810008")] == ["100.00"]


def test_a_treasury_account_filter_counts_whole_ecritures(invoke, annee):
    assert totaux_du_tableau(invoke, annee, "--compte", "53") == ["1\u202f234,56", "0,00"]
