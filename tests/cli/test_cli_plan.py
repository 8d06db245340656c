"""`coop plan`: list the chart by rubrique, search it, JSON for scripts, a department's file."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import NOM_COOP, Invoke

PLANS = Path(__file__).parents[1] / "data" / "plans"
ENV = {"COLUMNS": "100"}
CHAMPS = {"numero", "libelle", "nature", "rubrique", "exceptionnel", "alias", "aide", "exemples"}


def lignes(texte: str) -> list[str]:
    """Output lines with runs of spaces collapsed (table padding depends on the width)."""
    return [" ".join(ligne.split()) for ligne in texte.splitlines()]


def test_plan_lists_the_chart_grouped_by_rubrique(tmp_path: Path, invoke: Invoke) -> None:
    result = invoke("plan", "--db", tmp_path / "absent.db", env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    sortie = lignes(result.stdout)
    assert sortie[0] == "Plan comptable OCCE (défaut coopcompta) : 41 comptes"
    assert "Numéro Alias Libellé Nature Exc." in sortie
    debut = sortie.index("Cotisations et assurances")
    assert sortie[debut : debut + 3] == [
        "Cotisations et assurances",
        "62810008 6281, 628 Cotisation OCCE charge",
        "61681008 6168, 616 Assurance (MAE, MAIF) charge",
    ]
    assert "671 6710 Charges exceptionnelles sur opérations de gestion charge oui" in sortie
    assert "512 5120 Banque trésorerie" in sortie
    assert sortie[-1].startswith("Exc. : compte exceptionnel.")
    assert result.stderr == ""


def test_plan_search_shows_what_goes_in_each_account_found(invoke: Invoke) -> None:
    result = invoke("plan", "photos", env=ENV)
    assert result.exit_code == 0, result.output
    sortie = result.stdout.splitlines()
    assert sortie[:4] == [
        "3 comptes pour « photos » :",
        "",
        "6070  Achats de produits pour cession (photos de classe)  (alias : 607)",
        "  Rubrique : Achats pour revente — charge",
    ]
    assert sortie[4].startswith("  Ce que la coopérative achète pour le revendre aux familles")
    assert "  Exemples :" in sortie
    assert "    • Chèque au photographe pour les photos de classe" in sortie
    assert "  Mots-clés : photo, photos de classe, photographe, portrait, tirages" in sortie
    titres = [s for s in sortie[1:] if s and s[0].isdigit()]
    assert [t.split()[0] for t in titres] == ["6070", "7070", "68000008"]
    assert all(len(s) <= 100 and s == s.rstrip() for s in sortie)


def test_plan_search_by_number_prefix_alias_and_several_words(invoke: Invoke) -> None:
    def trouves(*args: str) -> list[str]:
        result = invoke("plan", *args, "--format", "json")
        assert result.exit_code == 0, result.output
        return [c["numero"] for c in json.loads(result.stdout)]

    assert trouves("628") == ["62810008"]
    assert trouves("7562", "008") == ["75620008"]
    assert trouves("74") == ["7410", "7420", "7430", "7440", "7460"]
    assert trouves("car", "sortie")[0] == "6241"
    assert trouves("MUSEE") == ["6251"]


def test_plan_search_marks_an_exceptional_account(invoke: Invoke) -> None:
    result = invoke("plan", "amende", env=ENV)
    assert result.exit_code == 0, result.output
    sortie = result.stdout.splitlines()
    assert sortie[2:4] == [
        "671  Charges exceptionnelles sur opérations de gestion  (alias : 6710)",
        "  Rubrique : Charges exceptionnelles — charge — compte exceptionnel",
    ]
    assert "proche de zéro" in result.stdout


def test_plan_search_without_match_says_so_plainly(invoke: Invoke) -> None:
    # Finding nothing is an answer, not an error (issue 12).
    result = invoke("plan", "xyzzy")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (
        "Aucun compte ne contient tous les mots « xyzzy ». Essayez moins de mots ou un autre "
        "mot, ou `coop plan` pour la liste complète.\n"
    )


def test_plan_search_requires_every_word(invoke: Invoke) -> None:
    tous = invoke("plan", "photos", "classe", "--format", "json")
    assert [c["numero"] for c in json.loads(tous.stdout)][:2] == ["6070", "7070"]
    # "xyzzy" is in no account: an account holding only "photos" is no answer.
    assert invoke("plan", "photos", "xyzzy").stdout.startswith("Aucun compte ne contient")


def test_plan_json_lists_every_account_with_all_its_fields(invoke: Invoke) -> None:
    result = invoke("plan", "--format", "json")
    assert result.exit_code == 0, result.output
    comptes = json.loads(result.stdout)
    assert len(comptes) == 41
    assert all(set(c) == CHAMPS | {"mots_cles"} for c in comptes)
    cotisation = next(c for c in comptes if c["numero"] == "62810008")
    assert cotisation["alias"] == ["6281", "628"]
    assert cotisation["nature"] == "charge"
    assert cotisation["exceptionnel"] is False
    assert cotisation["rubrique"] == "Cotisations et assurances"
    assert "occe" in cotisation["mots_cles"]
    assert [c["numero"] for c in comptes if c["exceptionnel"]] == ["671", "672", "771", "772"]


def test_plan_uses_the_chart_of_the_ledger(tmp_path: Path, invoke: Invoke) -> None:
    db = tmp_path / "coop.db"
    propre = PLANS / "valide.yaml"
    cree = invoke("init", "--db", db, "--nom", NOM_COOP, "--plan", propre)
    assert cree.exit_code == 0, cree.output
    result = invoke("plan", "--db", db, env=ENV)
    assert result.exit_code == 0, result.output
    assert lignes(result.stdout)[0] == f"Plan de test : 5 comptes — {propre.resolve()}"
    par_env = invoke("plan", "cotisation", "--format", "json", env={"COOP_DB": str(db)})
    assert [c["numero"] for c in json.loads(par_env.stdout)] == ["6281"]
    # The shipped chart's accounts are not in this ledger's chart.
    absent = invoke("plan", "photos", "--db", db)
    assert absent.stdout.startswith("Aucun compte ne contient tous les mots « photos »")


def test_plan_checks_a_department_file(invoke: Invoke) -> None:
    bon = invoke("plan", "--plan", PLANS / "valide.yaml", env={"COLUMNS": "120"})
    assert bon.exit_code == 0, bon.output
    assert "6281 62810008 Cotisation à l'association départementale charge" in lignes(bon.stdout)
    mauvais = invoke("plan", "--plan", PLANS / "nature_inconnue.yaml")
    assert mauvais.exit_code == 1
    assert mauvais.stdout == ""
    assert mauvais.stderr == (
        "Erreur : nature_inconnue.yaml: comptes[3] (6281).nature: nature inconnue « depense » "
        "(attendu : charge, produit, tresorerie, attente, bilan)\n"
    )


def test_plan_refuses_an_unknown_format(invoke: Invoke) -> None:
    result = invoke("plan", "--format", "csv")
    assert result.exit_code == 1
    assert result.stderr == "Erreur : --format: format inconnu « csv » (attendu : table, json)\n"


def test_plan_is_listed_in_the_french_help(invoke: Invoke) -> None:
    aide = invoke("--help")
    assert "plan" in aide.stdout
    assert "Affiche le plan comptable" in aide.stdout
    result = invoke("plan", "--help")
    assert result.exit_code == 0
    assert "--plan" in result.stdout
    assert "RECHERCHE" in result.stdout
