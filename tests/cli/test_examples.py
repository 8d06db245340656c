"""The example ledgers of examples/ load through the CLI and give the figures computed by hand."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coopcompta.cli import app

EXEMPLES = Path(__file__).resolve().parents[2] / "examples"
ANNEE = EXEMPLES / "jules-ferry-2025-2026.csv"
EXCEPTIONNELS = EXEMPLES / "exceptionnels-2025-2026.csv"

runner = CliRunner()


def coop(*args: object):
    """Run `coop ARGS…` in-process; a bug keeps its traceback."""
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def charger(db: Path, fichier: Path, nom: str) -> None:
    """The README's main job: a fresh ledger, then the year's journal."""
    r = coop("init", "--db", db, "--nom", nom, "--exercice", "2025-2026")
    assert r.exit_code == 0, r.output
    r = coop("saisie", "--db", db, "--fichier", fichier)
    assert r.exit_code == 0, r.output


def bilan_json(db: Path) -> dict:
    r = coop("bilan", "--db", db, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def codes(document: object) -> set[str]:
    """Every `code` found in a `coop verifier --format json` document, however it is nested."""
    if isinstance(document, dict):
        found = {document["code"]} if isinstance(document.get("code"), str) else set()
        for value in document.values():
            found |= codes(value)
        return found
    if isinstance(document, list):
        return set().union(*(codes(v) for v in document)) if document else set()
    return set()


# -- the figures, computed from the CSV without coopcompta -------------------------


def montant(texte: str) -> Decimal:
    return Decimal(texte.replace(" ", "").replace("\u00a0", "").replace(",", "."))


class Chiffres:
    """Résultat, report à nouveau and treasury balances read straight from a journal CSV."""

    def __init__(self, chemin: Path) -> None:
        with chemin.open(encoding="utf-8-sig", newline="") as f:
            self.rangs = list(csv.DictReader(f, delimiter=";"))
        self.recettes = sum(
            (montant(r["montant"]) for r in self.rangs if r["sens"] == "recette"), Decimal(0)
        )
        self.depenses = sum(
            (montant(r["montant"]) for r in self.rangs if r["sens"] == "depense"), Decimal(0)
        )
        self.resultat = self.recettes - self.depenses
        self.tresorerie: dict[str, Decimal] = defaultdict(Decimal)
        self.report = Decimal(0)
        for r in self.rangs:
            m = montant(r["montant"])
            if r["sens"] == "ouverture":
                self.tresorerie[r["tresorerie"]] += m
                self.report += m
            elif r["sens"] == "virement":
                self.tresorerie[r["tresorerie"]] -= m
                self.tresorerie[r["compte"]] += m
            elif r["sens"] == "recette":
                self.tresorerie[r["tresorerie"]] += m
            else:
                self.tresorerie[r["tresorerie"]] -= m
        self.pieces = {r["piece"] for r in self.rangs}

    def exceptionnel(self, charges: set[str], produits: set[str]) -> tuple[Decimal, Decimal]:
        c = sum((montant(r["montant"]) for r in self.rangs if r["compte"] in charges), Decimal(0))
        p = sum((montant(r["montant"]) for r in self.rangs if r["compte"] in produits), Decimal(0))
        return c, p


def non_nuls(soldes: dict[str, object]) -> dict[str, Decimal]:
    return {k: Decimal(str(v)) for k, v in soldes.items() if Decimal(str(v)) != 0}


# -- the school year --------------------------------------------------------------


@pytest.fixture(scope="module")
def annee(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("annee") / "exemple.db"
    charger(db, ANNEE, "Coopérative de l'école Jules Ferry")
    return db


def test_the_example_year_records_every_ecriture_of_its_journal(annee):
    from coopcompta.storage import ouvrir

    with ouvrir(annee) as ledger:
        ecritures = list(ledger.ecritures("2025-2026"))
    chiffres = Chiffres(ANNEE)
    assert len(ecritures) >= 150
    assert len(ecritures) == len(chiffres.pieces)
    assert [e.piece for e in ecritures] == [str(n) for n in range(1, len(ecritures) + 1)]


def test_the_example_year_has_a_balanced_bilan_with_the_hand_computed_result(annee):
    bilan = bilan_json(annee)
    chiffres = Chiffres(ANNEE)
    assert bilan["exercice"] == "2025-2026"
    assert bilan["equilibre"] is True
    assert Decimal(bilan["total_recettes"]) == chiffres.recettes
    assert Decimal(bilan["total_depenses"]) == chiffres.depenses
    assert Decimal(bilan["resultat"]) == chiffres.resultat
    assert Decimal(bilan["report_a_nouveau"]) == chiffres.report


def test_the_example_year_ends_with_the_hand_computed_treasury(annee):
    bilan = bilan_json(annee)
    chiffres = Chiffres(ANNEE)
    assert non_nuls(bilan["tresorerie"]) == non_nuls(chiffres.tresorerie)
    assert Decimal(bilan["tresorerie"]["512"]) > 0
    assert Decimal(bilan["tresorerie"]["53"]) > 0
    # The CP class's régie d'avances is back to zero, and so is AssoConnect after its payouts.
    assert Decimal(bilan["tresorerie"].get("5411", "0")) == 0
    assert Decimal(bilan["tresorerie"].get("517", "0")) == 0


def test_the_example_year_keeps_its_exceptional_accounts_near_zero(annee):
    bilan = bilan_json(annee)
    charges, produits = Chiffres(ANNEE).exceptionnel({"671", "672"}, {"771", "772"})
    x = bilan["exceptionnel"]
    assert x["ok"] is True
    assert Decimal(x["charges"]) == charges
    assert Decimal(x["produits"]) == produits
    assert Decimal(x["solde"]) == produits - charges
    assert abs(Decimal(x["solde"])) <= Decimal(x["tolerance"])


def test_the_example_year_passes_every_check_in_the_ledger(annee):
    r = coop("verifier", "--db", annee)
    assert r.exit_code == 0, r.output


def test_the_example_journal_passes_every_check_without_a_ledger():
    r = coop("verifier", ANNEE)
    assert r.exit_code == 0, r.output


def test_the_example_journal_has_no_warning_either():
    r = coop("verifier", ANNEE, "--strict", "--format", "json")
    assert r.exit_code == 0, r.output
    assert codes(json.loads(r.stdout)) == set()


def test_the_bilan_shows_the_year_to_the_treasurer(annee):
    r = coop("bilan", "--db", annee)
    assert r.exit_code == 0, r.output
    assert "Compte de fonctionnement" in r.stdout
    assert "2025-2026" in r.stdout


def test_the_generator_reproduces_the_committed_journals(tmp_path):
    import runpy

    generer = runpy.run_path(str(EXEMPLES / "generer.py"), run_name="generer_exemples")
    annee = generer["annee_jules_ferry"]()
    annee.ecrire(tmp_path / "annee.csv")
    generer["releve_octobre"](annee, tmp_path / "releve.csv")
    generer["annee_exceptionnels"]().ecrire(tmp_path / "exceptionnels.csv")
    assert (tmp_path / "annee.csv").read_text(encoding="utf-8") == ANNEE.read_text(encoding="utf-8")
    releve = (tmp_path / "releve.csv").read_bytes()
    assert releve == (EXEMPLES / "releve-banque-2025-10.csv").read_bytes()
    assert (tmp_path / "exceptionnels.csv").read_text(encoding="utf-8") == EXCEPTIONNELS.read_text(
        encoding="utf-8"
    )


# -- the ledger with misused exceptional accounts -----------------------------------


@pytest.fixture(scope="module")
def exceptionnels(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("exceptionnels") / "exceptionnels.db"
    charger(db, EXCEPTIONNELS, "Coopérative de l'école maternelle Les Tilleuls")
    return db


def test_the_second_example_is_balanced_but_its_exceptional_balance_is_far_from_zero(
    exceptionnels,
):
    bilan = bilan_json(exceptionnels)
    chiffres = Chiffres(EXCEPTIONNELS)
    charges, produits = chiffres.exceptionnel({"671", "672"}, {"771", "772"})
    assert bilan["equilibre"] is True
    assert Decimal(bilan["resultat"]) == chiffres.resultat
    assert non_nuls(bilan["tresorerie"]) == non_nuls(chiffres.tresorerie)
    x = bilan["exceptionnel"]
    assert x["ok"] is False
    assert Decimal(x["solde"]) == produits - charges == Decimal("775.00")
    assert Decimal(x["solde"]) > Decimal(x["tolerance"])


def test_verifier_fails_on_the_second_example_ledger(exceptionnels):
    r = coop("verifier", "--db", exceptionnels, "--format", "json")
    assert r.exit_code == 1, r.output
    assert "exceptionnel-hors-tolerance" in codes(json.loads(r.stdout))


def test_verifier_fails_on_the_second_example_journal_without_a_ledger():
    r = coop("verifier", EXCEPTIONNELS, "--format", "json")
    assert r.exit_code == 1, r.output
    assert codes(json.loads(r.stdout)) == {"exceptionnel-hors-tolerance"}


# -- the October bank statement and the rules ------------------------------------------


def test_the_october_statement_reads_as_credit_mutuel_and_the_rules_categorise_it(tmp_path):
    db = tmp_path / "releve.db"
    assert (
        coop("init", "--db", db, "--nom", "Jules Ferry", "--exercice", "2025-2026").exit_code == 0
    )
    r = coop(
        "import",
        EXEMPLES / "releve-banque-2025-10.csv",
        "--db",
        db,
        "--regles",
        EXEMPLES / "regles.yaml",
        "--dry-run",
        "--format",
        "json",
        "--non-interactif",
    )
    assert r.exit_code == 0, r.output
    lignes = json.loads(r.stdout)
    soldes = [
        montant(rang[-1])
        for rang in csv.reader(
            (EXEMPLES / "releve-banque-2025-10.csv").read_text(encoding="cp1252").splitlines()[1:],
            delimiter=";",
        )
    ]
    assert len(lignes) == 12
    # The amounts read move the bank balance exactly as the statement's Solde column says.
    ouverture = soldes[0] - Decimal(lignes[0]["montant"])
    assert ouverture + sum(Decimal(x["montant"]) for x in lignes) == soldes[-1]
    comptes = {x["libelle"]: x["compte"] for x in lignes}
    assert comptes["FRAIS TENUE DE COMPTE"] == "627"
    assert comptes["VERSEMENT ESPECES"] == "53"


def test_the_october_statement_reconciles_with_the_year_journal():
    """Bank balance on 31 October = books + the one cheque written in October not yet cashed."""
    banque = Decimal(0)
    cheque_en_circulation = Decimal(0)
    for r in Chiffres(ANNEE).rangs:
        jour, mois, annee = (int(x) for x in r["date"].split("/"))
        if (annee, mois) > (2025, 10):
            break
        m = montant(r["montant"])
        if r["tresorerie"] == "512":
            banque += -m if r["sens"] in ("depense", "virement") else m
        elif r["sens"] == "virement" and r["compte"] == "512":
            banque += m
        if r["cheque"] == "4518209":
            cheque_en_circulation += m
    releve = (EXEMPLES / "releve-banque-2025-10.csv").read_text(encoding="cp1252").splitlines()
    solde_releve = montant(releve[-1].split(";")[-1])
    assert cheque_en_circulation == Decimal("81.55")
    assert solde_releve == banque + cheque_en_circulation


def test_an_account_cancelled_back_to_zero_is_left_out_of_the_compte_de_fonctionnement(
    annee, tmp_path
):
    from openpyxl import load_workbook

    # The subvention first booked on 7430, then cancelled and rebooked on 7440.
    bilan = bilan_json(annee)
    assert "7430" not in bilan["recettes"] and "7440" in bilan["recettes"]
    assert "0.00" not in [*bilan["depenses"].values(), *bilan["recettes"].values()]
    assert bilan["tresorerie"]["5411"] == "0.00"  # a treasury account stays, even at zero
    r = runner.invoke(app, ["bilan", "--db", str(annee)], env={"COLUMNS": "100"})
    comptes = [ligne.split()[0] for ligne in r.stdout.splitlines() if ligne.strip()]
    assert "7430" not in comptes and "7440" in comptes
    assert "5411 Régie d'avances CP" in r.stdout  # named by its class, not « classe 1 »
    classeur = tmp_path / "bilan.xlsx"
    assert coop("export", classeur, "--db", annee).exit_code == 0
    feuille = load_workbook(classeur)["Compte de fonctionnement"]
    numeros = [v for row in feuille.iter_rows(values_only=True) for v in row[:5:4]]
    assert "7430" not in numeros and "7440" in numeros


def _commande_1() -> list[list[str]]:
    """The `coop …` steps of the README's command 1, as the shell would split them."""
    import re
    import shlex

    readme = (EXEMPLES.parent / "README.md").read_text(encoding="utf-8")
    ligne = next(x for x in readme.splitlines() if x.startswith("python3 -m venv") and "init" in x)
    etapes = [shlex.split(e) for e in re.split(r"\s&&\s", ligne)]
    return [e[1:] for e in etapes if e[0] == "coop"]


def test_the_readme_main_job_does_the_year_end_work(tmp_path, monkeypatch):
    monkeypatch.chdir(EXEMPLES.parent)
    db = tmp_path / "exemple.db"
    for etape in _commande_1():
        args = [str(db) if a == "exemple.db" else a for a in etape]
        r = coop(*args)
        assert r.exit_code == 0, (etape, r.output)
    b = bilan_json(db)
    assert b["rapprochements"]["512"]["ecart"] == "0.00"
    assert [m["piece"] for m in b["rapprochements"]["512"]["en_suspens"]] == ["181"]
    assert b["arretes_caisse"]["53"]["ecart"] == "0.00"
    assert b["regies"] == {"CP": {"compte": "5411", "solde": "0.00"}}
    assert b["subventions"][0]["financeur"] == "Commune de Saint-Alban"
    assert b["inventaire"][0]["lieu"] == "Classe de CM1"
    r = coop("verifier", "--db", db)
    assert r.exit_code == 0 and "Aucune anomalie" in r.stdout
