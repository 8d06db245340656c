"""The chart loader: the shipped chart, each kind of broken file, and a department's own chart."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import NOM_COOP, Invoke
from coopcompta.domain.comptes import COMPTE_ATTENTE, COMPTE_REPORT
from coopcompta.domain.errors import CompteInconnu, PlanInvalide
from coopcompta.domain.model import Nature
from coopcompta.domain.plan_comptable import PlanComptable
from coopcompta.importers.plan import charger_plan, valider_plan

PLANS = Path(__file__).parents[1] / "data" / "plans"


@pytest.fixture(scope="module")
def plan() -> PlanComptable:
    return charger_plan()


def erreur(chemin: Path | str) -> str:
    with pytest.raises(PlanInvalide) as exc:
        charger_plan(chemin)
    return str(exc.value)


# --- the shipped chart ---


def test_the_shipped_chart_loads_with_every_nature(plan: PlanComptable) -> None:
    assert plan.source == "défaut"
    assert plan.nom == "Plan comptable OCCE (défaut coopcompta)"
    assert {c.nature for c in plan.comptes} == set(Nature)
    assert len(plan.comptes) == 41


def test_the_shipped_chart_finds_accounts_by_number_and_alias(plan: PlanComptable) -> None:
    assert plan.compte("62810008").libelle == "Cotisation OCCE"
    assert plan.compte("6281").numero == "62810008"
    assert plan.compte("7562 008").numero == "75620008"
    assert plan.compte("7562.008").numero == "75620008"
    assert plan.compte("7562").numero == "75620008"
    assert plan.compte("6168").numero == "61681008"
    assert plan.compte(" 512 ").libelle == "Banque"
    assert plan.trouver("9999") is None


def test_an_unknown_account_names_the_place_and_points_to_coop_plan(
    plan: PlanComptable,
) -> None:
    with pytest.raises(CompteInconnu) as exc:
        plan.compte("6999", "--compte")
    assert str(exc.value) == "--compte: compte inconnu « 6999 » (voir `coop plan`)"


def test_every_account_of_the_shipped_chart_has_help_examples_and_keywords(
    plan: PlanComptable,
) -> None:
    for c in plan.comptes:
        assert len(c.aide) > 60, c.numero
        assert 2 <= len(c.exemples) <= 3, c.numero
        assert c.mots_cles, c.numero


def test_the_exceptional_accounts_quote_the_occe_35_rule_and_say_what_does_not_belong(
    plan: PlanComptable,
) -> None:
    exceptionnels = [c for c in plan.comptes if c.exceptionnel]
    assert [c.numero for c in exceptionnels] == ["671", "672", "771", "772"]
    for c in exceptionnels:
        assert "comme leur nom l'indique, exceptionnels !" in c.aide
        assert "leur solde doit être proche de zéro" in c.aide
        assert "OCCE 35" in c.aide
    assert "les photos, les sorties et voyages, la kermesse" in plan.compte("671").aide.lower()


def test_the_help_warns_about_expenses_a_coop_may_not_pay(plan: PlanComptable) -> None:
    assert "relèvent de la commune" in plan.compte("6068").aide
    assert "manuels scolaires" in plan.compte("6183").aide
    assert "pas employer de salarié" in plan.compte("6226").aide
    assert "photocopieuse" in plan.compte("68000008").aide


def test_the_accounts_the_program_writes_to_are_in_the_chart(plan: PlanComptable) -> None:
    assert plan.compte(COMPTE_REPORT).nature is Nature.BILAN
    assert plan.compte(COMPTE_ATTENTE).nature is Nature.ATTENTE


def test_rubriques_keep_the_order_of_the_file(plan: PlanComptable) -> None:
    noms = [nom for nom, _ in plan.rubriques()]
    assert noms[:3] == [
        "Achats pour revente",
        "Charges des activités éducatives",
        "Cotisations et assurances",
    ]
    assert noms[-2:] == ["Trésorerie", "Attente et bilan"]


# --- a department's own chart ---


def test_a_department_chart_loads_with_its_aliases() -> None:
    plan = charger_plan(PLANS / "valide.yaml")
    assert plan.nom == "Plan de test"
    assert plan.source == str(PLANS / "valide.yaml")
    assert plan.compte("62810008").numero == "6281"
    assert plan.compte("7562008").numero == "7560"
    assert plan.compte("6281").mots_cles == ("cotisation", "adhésion")


# --- broken files: the whole message names the file, the account and the field ---


@pytest.mark.parametrize(
    ("fichier", "message"),
    [
        (
            "libelle_manquant.yaml",
            "libelle_manquant.yaml: comptes[3] (6281).libelle: champ requis",
        ),
        (
            "champ_inconnu.yaml",
            "champ_inconnu.yaml: comptes[3] (6281).libele: "
            "champ inconnu (vouliez-vous dire « libelle » ?)",
        ),
        (
            "nature_inconnue.yaml",
            "nature_inconnue.yaml: comptes[3] (6281).nature: nature inconnue « depense » "
            "(attendu : charge, produit, tresorerie, attente, bilan)",
        ),
        (
            "numero_mal_forme.yaml",
            "numero_mal_forme.yaml: comptes[3] (628-1).numero: "
            "numéro mal formé « 628-1 » (2 à 8 chiffres)",
        ),
        (
            "numero_en_double.yaml",
            "numero_en_double.yaml: comptes[4] (6281).numero: "
            "« 6281 » est déjà le numéro de comptes[3] (6281)",
        ),
        (
            "alias_en_double.yaml",
            "alias_en_double.yaml: comptes[4] (62820008).alias[1]: "
            "« 6281 » est déjà un alias de comptes[3] (62810008)",
        ),
        (
            "alias_egal_numero.yaml",
            "alias_egal_numero.yaml: comptes[3] (6070).alias[1]: "
            "« 512 » est déjà le numéro de comptes[0] (512)",
        ),
        (
            "tresorerie_exceptionnelle.yaml",
            "tresorerie_exceptionnelle.yaml: comptes[3] (53).exceptionnel: "
            "un compte de trésorerie ne peut pas être exceptionnel : "
            "seuls les comptes de charges et de produits peuvent l'être",
        ),
        (
            "sans_report.yaml",
            "sans_report.yaml: comptes: compte 110 manquant : "
            "coopcompta l'utilise pour le report à nouveau (soldes d'ouverture)",
        ),
        (
            "yaml_invalide.yaml",
            "yaml_invalide.yaml:8: YAML illisible : "
            "« : » inattendu (mettez un texte qui contient « : » entre guillemets)",
        ),
        (
            "vide.yaml",
            "vide.yaml: fichier vide : attendu « comptes: » suivi de la liste des comptes",
        ),
        (
            "liste.yaml",
            "liste.yaml: attendu « nom: » et « comptes: » en début de ligne, "
            "suivis de la liste des comptes",
        ),
    ],
)
def test_a_broken_chart_is_refused_with_file_account_and_field(fichier: str, message: str) -> None:
    assert erreur(PLANS / fichier) == message


def test_a_missing_chart_file_is_named(tmp_path: Path) -> None:
    assert erreur(tmp_path / "absent.yaml") == f"{tmp_path / 'absent.yaml'}: fichier introuvable"


def test_a_directory_or_a_non_utf8_file_is_refused(tmp_path: Path) -> None:
    assert erreur(tmp_path) == f"{tmp_path}: c'est un dossier, pas un fichier YAML"
    latin1 = tmp_path / "plan.yaml"
    latin1.write_bytes("comptes:\n  - libelle: Dépenses\n".encode("latin-1"))
    assert erreur(latin1) == f"{latin1}: fichier illisible : enregistrez-le en UTF-8"


def test_an_empty_file_and_a_bare_text_are_clean_errors(tmp_path: Path) -> None:
    vide = tmp_path / "vide.yaml"
    vide.write_text("", encoding="utf-8")
    assert (
        erreur(vide)
        == "vide.yaml: fichier vide : attendu « comptes: » suivi de la liste des comptes"
    )
    texte = tmp_path / "texte.yaml"
    texte.write_text("bonjour\n", encoding="utf-8")
    assert erreur(texte).startswith("texte.yaml: attendu « nom: » et « comptes: »")


def test_a_tab_in_the_file_is_explained(tmp_path: Path) -> None:
    f = tmp_path / "plan.yaml"
    f.write_text("comptes:\n\t- numero: '512'\n", encoding="utf-8")
    assert (
        erreur(f)
        == "plan.yaml:2: YAML illisible : tabulation interdite : indentez avec des espaces"
    )


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        ({"comptes": []}, "t.yaml: comptes: liste vide"),
        ({"comptes": ["512"]}, "t.yaml: comptes[0]: dictionnaire attendu"),
        ({"compte": []}, "t.yaml: compte: champ inconnu (vouliez-vous dire « comptes » ?)"),
        (
            {"comptes": [{"numero": "512", "libelle": None, "nature": "tresorerie",
                          "rubrique": "T"}]},
            "t.yaml: comptes[0] (512).libelle: champ vide",
        ),
        (
            {"comptes": [{"numero": "512", "libelle": "Banque", "nature": "tresorerie",
                          "rubrique": "T", "exceptionnel": "peut-être"}]},
            "t.yaml: comptes[0] (512).exceptionnel: oui/non attendu (true ou false)",
        ),
        (
            {"comptes": [{"numero": "512", "libelle": "Banque", "nature": "tresorerie",
                          "rubrique": "T", "alias": ["51-2"]}]},
            "t.yaml: comptes[0] (512).alias[0]: alias mal formé « 51-2 » (2 à 8 chiffres)",
        ),
        (
            {"comptes": [{"numero": "512", "libelle": "Banque", "nature": "tresorerie",
                          "rubrique": "T", "alias": ["512"]}]},
            "t.yaml: comptes[0] (512).alias[0]: « 512 » est déjà le numéro de ce compte",
        ),
        (
            {"comptes": [{"numero": "110", "libelle": "Report", "nature": "bilan",
                          "rubrique": "B"},
                         {"numero": "471", "libelle": "Attente", "nature": "attente",
                          "rubrique": "B"}]},
            "t.yaml: comptes: aucun compte de trésorerie (nature: tresorerie), par ex. 512 Banque",
        ),
    ],
)  # fmt: skip
def test_other_mistakes_in_a_chart_are_explained(donnees: object, message: str) -> None:
    with pytest.raises(PlanInvalide) as exc:
        valider_plan(donnees, "t.yaml")
    assert str(exc.value) == message


def test_numbers_written_without_quotes_are_accepted(tmp_path: Path) -> None:
    f = tmp_path / "plan.yaml"
    f.write_text(
        (PLANS / "valide.yaml").read_text(encoding="utf-8").replace('"512"', "512"),
        encoding="utf-8",
    )
    assert charger_plan(f).compte("512").libelle == "Banque"


# --- through the command line ---


def test_init_with_a_broken_chart_fails_and_creates_no_ledger(
    tmp_path: Path, invoke: Invoke
) -> None:
    db = tmp_path / "coop.db"
    result = invoke(
        "init", "--db", db, "--nom", NOM_COOP, "--plan", PLANS / "libelle_manquant.yaml"
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "Erreur : libelle_manquant.yaml: comptes[3] (6281).libelle: champ requis\n"
    )
    assert not db.exists()


def test_init_with_a_missing_chart_fails_and_creates_no_ledger(
    tmp_path: Path, invoke: Invoke
) -> None:
    db = tmp_path / "coop.db"
    result = invoke("init", "--db", db, "--nom", NOM_COOP, "--plan", tmp_path / "absent.yaml")
    assert result.exit_code == 1
    assert result.stderr == f"Erreur : {tmp_path / 'absent.yaml'}: fichier introuvable\n"
    assert not db.exists()


def test_a_ledger_created_with_its_own_chart_keeps_using_it(tmp_path: Path, invoke: Invoke) -> None:
    from coopcompta.usecases.comptabilite import ouvrir_ledger, plan_du_ledger

    propre = tmp_path / "mon_plan.yaml"
    propre.write_text((PLANS / "valide.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    db = tmp_path / "coop.db"
    result = invoke(
        "init", "--db", db, "--nom", NOM_COOP, "--plan", propre, "--ouverture", "512=10,00"
    )
    assert result.exit_code == 0, result.output
    ledger = ouvrir_ledger(db)
    try:
        assert ledger.meta("plan") == str(propre.resolve())
        plan = plan_du_ledger(ledger)
    finally:
        ledger.close()
    assert plan.nom == "Plan de test"
    assert plan.compte("62810008").numero == "6281"
    # The department's chart has no 6070: the ledger does not fall back to the default.
    assert plan.trouver("6070") is None


def test_a_ledger_without_its_own_chart_uses_the_shipped_one(
    ledger_path: Path,
) -> None:
    from coopcompta.usecases.comptabilite import ouvrir_ledger, plan_du_ledger

    ledger = ouvrir_ledger(ledger_path)
    try:
        assert ledger.meta("plan") is None
        assert plan_du_ledger(ledger).source == "défaut"
    finally:
        ledger.close()
