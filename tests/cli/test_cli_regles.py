"""`coop regles`: the rules « toujours ce compte » wrote can be listed and removed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


def test_rules_are_listed_in_the_order_they_apply(invoke, ledger_path, tmp_path):
    regles = tmp_path / "regles.yaml"
    shutil.copy(DATA / "regles.yaml", regles)
    r = invoke("regles", "--regles", regles, "--db", ledger_path)
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[:3] == [
        f"Règles de {regles} (appliquées dans cet ordre) :",
        "  1. Frais bancaires : « FRAIS TENUE DE COMPTE » → 627",
        "  2. Cotisation OCCE : « /PRLV.*OCCE/ » → 62810008 80 %, 61681008 [dépense]",
    ]
    r = invoke("regles", "--regles", regles, "--db", ledger_path, "--format", "json")
    assert json.loads(r.stdout)[0] == {
        "numero": 1,
        "nom": "Frais bancaires",
        "motif": "FRAIS TENUE DE COMPTE",
        "comptes": "627",
        "filtres": "",
    }


def test_a_rule_written_by_toujours_ce_compte_is_removed_and_the_others_kept(
    invoke, ledger_path, tmp_path
):
    regles = ledger_path.parent / "regles.yaml"  # the file coop import uses by default
    texte = (DATA / "regles.yaml").read_text(encoding="utf-8")
    regles.write_text(
        texte + '\n# ajoutée par toujours\n- nom: "CB LIBRAIRIE"\n  motif: "CB LIBRAIRIE"\n'
        '  compte: "6183"\n',
        encoding="utf-8",
    )
    r = invoke("regles", "--supprimer", "5", "--db", ledger_path)
    assert r.exit_code == 0, r.output
    assert "Règle n° 5 « CB LIBRAIRIE » (CB LIBRAIRIE → 6183) retirée" in r.stdout
    assert regles.read_text(encoding="utf-8").rstrip() == texte.rstrip()
    r = invoke("regles", "--supprimer", "9", "--db", ledger_path)
    assert r.exit_code != 0 and "pas de règle n° 9 (le fichier en a 4" in r.output


def test_a_regex_that_would_backtrack_without_end_runs_in_linear_time(
    invoke, ledger_path, tmp_path
):
    # Python's re takes hours on `(A+)+B` against 60 A's; RE2 answers at once, so the
    # import below ends (a hang here is the bug).
    regles = tmp_path / "lent.yaml"
    regles.write_text('- nom: lent\n  motif: "/(A+)+B/"\n  compte: "627"\n', encoding="utf-8")
    releve = tmp_path / "releve.csv"
    releve.write_text(
        f"Date;Libellé;Montant\n01/10/2025;{'A' * 60}!;-1,00\n02/10/2025;FRAIS AAAB;-2,00\n",
        encoding="utf-8",
    )
    r = invoke(
        "import", releve, "--regles", regles, "--db", ledger_path, "--dry-run", "--format", "json"
    )
    assert r.exit_code == 0, r.output
    lignes = json.loads(r.stdout)
    assert [ligne["compte"] for ligne in lignes] == [None, "627"]


def test_a_regex_with_a_back_reference_is_refused_with_where_and_what(
    invoke, ledger_path, tmp_path
):
    regles = tmp_path / "retour.yaml"
    regles.write_text('- nom: retour\n  motif: "/(A)\\\\1/"\n  compte: "627"\n', encoding="utf-8")
    r = invoke("regles", "--regles", regles, "--db", ledger_path)
    assert r.exit_code != 0
    assert "retour.yaml: regles[0] (retour).motif: expression régulière refusée" in r.output
    assert "références arrière" in r.output
    assert "Traceback" not in r.output
