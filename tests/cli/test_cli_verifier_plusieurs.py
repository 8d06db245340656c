"""`coop verifier` on many inputs, as a CI job or a pre-commit hook runs it (issue 14)."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

JOURNAUX = Path(__file__).parents[1] / "data" / "journaux"
NBSP = "\u00a0"
ERREUR_TOTAL_FAUX = (
    "pièce 8 du 10/03/2026 (total_faux.csv:13) : la ventilation ne correspond pas au montant "
    f"— total annoncé 310,00{NBSP}€, somme des lignes 300,00{NBSP}€ (écart 10,00{NBSP}€)."
)


@pytest.fixture
def depot(tmp_path, monkeypatch) -> Path:
    """A repository of journals: a clean one, a failing one, and a bank statement put there
    by mistake. The working directory is the repository root, as in a CI job."""
    dossier = tmp_path / "journaux"
    dossier.mkdir()
    shutil.copy(JOURNAUX / "propre.csv", dossier)
    shutil.copy(JOURNAUX / "total_faux.csv", dossier)
    (dossier / "releve.csv").write_text(
        "Date;Libellé;Montant\n01/09/2025;CB LIBRAIRIE;-12,00\n", encoding="utf-8"
    )
    (dossier / ".~lock.propre.csv#").write_text("verrou LibreOffice", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_folder_is_checked_file_by_file_with_a_summary_and_the_worst_exit_code(invoke, depot):
    r = invoke("verifier", "journaux")
    assert r.exit_code == 2  # one file could not be checked: the worst of 0, 1 and 2
    assert r.stderr == "Erreur : journaux/releve.csv:1: colonne « sens » manquante\n"
    assert r.stdout.splitlines() == [
        "Vérification de journaux/total_faux.csv — exercice 2025-2026",
        f"✗ erreur [ventilation-desequilibree] {ERREUR_TOTAL_FAUX}",
        "1 erreur, 0 avertissement",
        "",
        "Résumé",
        " " * 80,
        " Fichier                  Coopérative   Exercice   Résultat  Except.  Err.  Av. ",
        " " + "─" * 78 + " ",
        " journaux/propre.csv      propre        2025-2026    622,13     9,00     0    0 ",
        " journaux/releve.csv      inutilisable                                          ",
        " journaux/total_faux.csv  total_faux    2025-2026    622,13     9,00     1    0 ",
        " " * 80,
        "Except. : solde exceptionnel (en rouge : hors tolérance).",
        "3 fichiers : 1 sans anomalie, 1 en échec, 1 inutilisable — 1 erreur, 0 avertissement",
    ]


def test_exit_code_is_0_when_all_pass_and_1_when_one_fails(invoke, depot):
    (depot / "journaux" / "releve.csv").unlink()
    assert invoke("verifier", "journaux/propre.csv", JOURNAUX / "propre.csv").exit_code == 0
    assert invoke("verifier", "journaux").exit_code == 1


def test_github_format_puts_each_anomaly_on_its_file_and_line(invoke, depot):
    r = invoke("verifier", "journaux", "--format", "github")
    assert r.exit_code == 2
    assert r.stdout.splitlines() == [
        "::error file=journaux/releve.csv,line=1,title=coop verifier [fichier inutilisable]"
        "::colonne « sens » manquante",
        "::error file=journaux/total_faux.csv,line=13,"
        f"title=coop verifier [ventilation-desequilibree]::{ERREUR_TOTAL_FAUX}",
    ]
    assert r.stderr.splitlines() == [
        "Erreur : journaux/releve.csv:1: colonne « sens » manquante",
        "3 fichiers : 1 sans anomalie, 1 en échec, 1 inutilisable — 1 erreur, 0 avertissement",
    ]


def test_github_format_escapes_what_would_break_a_workflow_command(invoke, depot):
    # An absolute path inside the working directory is given from the repository root.
    virgule = depot / "journaux" / "école, CM2.csv"
    shutil.copy(JOURNAUX / "total_faux.csv", virgule)
    r = invoke("verifier", virgule, "--format", "github")
    assert r.exit_code == 1
    assert r.stdout.startswith(
        "::error file=journaux/école%2C CM2.csv,line=13,"
        "title=coop verifier [ventilation-desequilibree]::pièce 8"
    )


def test_junit_format_has_one_suite_per_file_and_one_case_per_check(invoke, depot):
    r = invoke("verifier", "journaux", "--format", "junit")
    assert r.exit_code == 2
    racine = ET.fromstring(r.stdout)
    assert racine.tag == "testsuites"
    assert (racine.get("tests"), racine.get("failures"), racine.get("errors")) == ("25", "1", "1")
    suites = {s.get("name"): s for s in racine.findall("testsuite")}
    assert list(suites) == [
        "journaux/propre.csv",
        "journaux/releve.csv",
        "journaux/total_faux.csv",
    ]
    propre = suites["journaux/propre.csv"]
    assert (propre.get("tests"), propre.get("failures"), propre.get("errors")) == ("12", "0", "0")
    assert not propre.findall(".//failure")

    releve = suites["journaux/releve.csv"]
    (cas,) = releve.findall("testcase")
    assert cas.get("name") == "lecture"
    erreur = cas.find("error")
    assert erreur is not None
    assert erreur.get("message") == "journaux/releve.csv:1: colonne « sens » manquante"

    faux = suites["journaux/total_faux.csv"]
    assert (faux.get("tests"), faux.get("failures")) == ("12", "1")
    (echec,) = [c for c in faux.findall("testcase") if c.find("failure") is not None]
    assert (echec.get("name"), echec.get("file"), echec.get("line")) == (
        "ventilation-desequilibree",
        "journaux/total_faux.csv",
        "13",
    )
    failure = echec.find("failure")
    assert failure is not None
    assert failure.get("message") == ERREUR_TOTAL_FAUX
    assert failure.text == (
        f"journaux/total_faux.csv:13: erreur [ventilation-desequilibree] {ERREUR_TOTAL_FAUX}"
    )


def test_junit_counts_a_warning_as_a_failure_only_with_strict(invoke, depot):
    (depot / "journaux" / "releve.csv").unlink()
    (depot / "journaux" / "total_faux.csv").unlink()
    salaire = depot / "journaux" / "salaire.csv"
    salaire.write_text(
        (JOURNAUX / "propre.csv").read_text(encoding="utf-8")
        + "01/07/2026;20;Salaire de l'animatrice;depense;512;virement;;12,00;6226;12,00;;\n",
        encoding="utf-8",
    )
    r = invoke("verifier", "journaux", "-f", "junit")
    assert r.exit_code == 0
    racine = ET.fromstring(r.stdout)
    assert racine.get("failures") == "0"
    (cas,) = racine.findall(".//testcase[@name='depense-interdite'][system-out]")
    assert cas.get("classname") == "journaux/salaire.csv"
    assert cas.get("line") == "26"
    r = invoke("verifier", "journaux", "-f", "junit", "--strict")
    assert r.exit_code == 1
    assert ET.fromstring(r.stdout).get("failures") == "1"


def test_json_with_several_files_lists_each_with_its_summary(invoke, depot):
    r = invoke("verifier", "journaux", "--format", "json")
    assert r.exit_code == 2
    doc = json.loads(r.stdout)
    assert {k: v for k, v in doc.items() if k != "fichiers"} == {
        "ok": False,
        "erreurs": 1,
        "avertissements": 0,
        "inutilisables": 1,
    }
    propre, releve, faux = doc["fichiers"]
    assert propre == {
        "ok": True,
        "source": "journaux/propre.csv",
        "exercice": "2025-2026",
        "erreurs": 0,
        "avertissements": 0,
        "anomalies": [],
        "cooperative": "propre",
        "numero_occe": None,
        "resultat": "622.13",
        "solde_exceptionnel": "9.00",
        "exceptionnel_ok": True,
    }
    assert releve == {
        "ok": False,
        "source": "journaux/releve.csv",
        "inutilisable": "journaux/releve.csv:1: colonne « sens » manquante",
        "ligne": 1,
    }
    (anomalie,) = faux["anomalies"]
    assert (anomalie["fichier"], anomalie["ligne"], anomalie["piece"], anomalie["date"]) == (
        "journaux/total_faux.csv",
        13,
        "8",
        "2026-03-10",
    )
    assert anomalie["comptes"] == ["6251", "6241", "512"]


def test_several_processes_give_the_same_report_as_one(invoke, depot):
    un = invoke("verifier", "journaux", "journaux/propre.csv", "-j", "1", "-f", "json")
    deux = invoke("verifier", "journaux", "-j", "2", "-f", "json")
    assert (un.exit_code, un.stdout) == (deux.exit_code, deux.stdout)


def test_ledgers_and_journals_mix_and_sqlite_side_files_are_not_inputs(invoke, depot):
    (depot / "journaux" / "releve.csv").unlink()
    db = depot / "journaux" / "ecole.db"
    r = invoke("init", "--db", db, "--nom", "École Jules Ferry", "--exercice", "2025-2026",
               "--numero-occe", "035-0042")  # fmt: skip
    assert r.exit_code == 0, r.output
    (depot / "journaux" / "ecole.db-wal").write_bytes(b"")
    r = invoke("verifier", "journaux", "-f", "json")
    doc = json.loads(r.stdout)
    assert [(f["source"], f["cooperative"], f["numero_occe"]) for f in doc["fichiers"]] == [
        ("journaux/ecole.db", "École Jules Ferry", "035-0042"),
        ("journaux/propre.csv", "propre", None),
        ("journaux/total_faux.csv", "total_faux", None),
    ]
    assert r.exit_code == 1


def test_an_error_in_an_option_stops_before_any_file_is_read(invoke, depot):
    r = invoke("verifier", "journaux", "--tolerance-euros", "beaucoup")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == "Erreur : --tolerance-euros: montant illisible « beaucoup »\n"


def test_an_unknown_exercice_names_the_ledger_it_is_missing_from(invoke, depot):
    db = depot / "journaux" / "ecole.db"
    assert invoke("init", "--db", db, "--nom", "Coop", "--exercice", "2025-2026").exit_code == 0
    r = invoke("verifier", db, "journaux/propre.csv", "--exercice", "2024-2025")
    assert r.exit_code == 2
    assert r.stderr == (
        f"Erreur : {db}: --exercice: exercice 2024-2025 inconnu (exercices : 2025-2026)\n"
    )
