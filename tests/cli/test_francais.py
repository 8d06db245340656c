"""Everything `coop` prints is French, and correct French."""

from __future__ import annotations

import re

from coopcompta.domain.francais import accord, quantite


def test_counted_words_agree_with_their_number():
    assert quantite(0, "écriture") == "0 écriture"
    assert quantite(1, "écriture") == "1 écriture"
    assert quantite(2, "écriture") == "2 écritures"
    assert quantite(3, "chèque manquant", "chèques manquants") == "3 chèques manquants"
    assert accord(1, "numéro") == "numéro"


def test_the_main_help_is_french_and_lists_whole_summaries(invoke):
    r = invoke("--help", env={"COLUMNS": "80"})
    assert r.exit_code == 0
    assert r.stdout.startswith("Utilisation : coop [OPTIONS] COMMANDE [ARGUMENTS]...\n")
    assert "..." not in r.stdout.split("Commandes:")[1]
    assert "Crée la comptabilité de la coopérative (refuse d'écraser" in r.stdout
    # Each summary ends its sentence: no line of the list stops mid-word.
    liste = r.stdout.split("Commandes:")[1]
    resumes = re.split(r"\n  (?=\S)", liste)
    assert all(" ".join(x.split()).endswith(".") for x in resumes if x.strip())


def test_version(invoke):
    r = invoke("--version")
    assert r.exit_code == 0
    assert re.fullmatch(r"coopcompta \d+\.\d+\.\d+\n", r.stdout)


def test_a_file_that_is_not_a_ledger_is_named_in_french(invoke, tmp_path):
    faux = tmp_path / "faux.db"
    faux.write_text("bonjour, ceci n'est pas une base\n" * 200)
    r = invoke("journal", "--db", faux)
    assert r.exit_code != 0
    assert r.stderr == (
        f"Erreur : {faux}: ce fichier n'est pas une comptabilité coopcompta ;"
        " rien n'a été modifié\n"
    )


def test_the_simulation_of_an_import_has_a_french_option_name(invoke):
    r = invoke("import", "--help", env={"COLUMNS": "100"})
    assert "--simulation, --dry-run" in r.stdout


def test_a_bad_whole_number_is_explained_in_french(invoke, ledger_path):
    r = invoke("journal", "--db", ledger_path, "--mois", "mars")
    assert r.exit_code == 2
    assert "« mars » n'est pas un nombre entier." in r.stderr


def test_the_installed_command_runs_a_command_group_and_a_command(tmp_path):
    """`coop` builds only the command named (for speed): groups and commands still run."""
    import subprocess
    import sys

    def coop(*args: str) -> str:
        r = subprocess.run(
            [sys.executable, "-m", "coopcompta", *args],
            capture_output=True,
            text=True,
            env={"COLUMNS": "100", "PATH": ""},
        )
        assert r.returncode == 0, r.stderr
        return r.stdout

    assert "caisse [OPTIONS] COMMANDE [ARGUMENTS]..." in coop("caisse", "--help")
    assert coop("plan", "photos", "--db", str(tmp_path / "absent.db")).startswith(
        "3 comptes pour « photos »"
    )


def test_a_number_below_its_minimum_is_refused_in_french(invoke, ledger_path):
    r = invoke("verifier", "--db", ledger_path, "-j", "-1")
    assert r.exit_code == 2
    assert "« -1 » : au moins 0." in r.stderr
