"""Account search and suggestions from the chart's keywords and from past écritures."""

from __future__ import annotations

import time

import pytest

from coopcompta.domain.model import Nature, Sens
from coopcompta.domain.plan_comptable import PlanComptable
from coopcompta.domain.suggestions import (
    Suggesteur,
    normaliser_libelle,
    rechercher_comptes,
    suggerer,
)
from coopcompta.importers.plan import charger_plan, valider_plan


@pytest.fixture(scope="module")
def plan() -> PlanComptable:
    return charger_plan()


def numeros(suggestions) -> list[str]:
    return [s.compte.numero for s in suggestions]


# --- normalisation ---


def test_a_bank_label_is_reduced_to_its_meaningful_words() -> None:
    assert normaliser_libelle("CB LIBRAIRIE 12/10") == ("librairie",)
    assert normaliser_libelle("REMISE CHEQUES 0001234") == ("cheque", "remise")
    assert normaliser_libelle("VIR SEPA RECU /DE MAIRIE DE RENNES") == ("mairie", "renne")
    assert normaliser_libelle("Photos de classe") == normaliser_libelle("PHOTO CLASSES")
    assert normaliser_libelle("Fête de l'école") == ("ecole", "fete")
    assert normaliser_libelle("12/10 0001234") == ()


# --- suggestions from the chart ---


def test_a_keyword_of_the_chart_suggests_its_account_and_says_so(plan: PlanComptable) -> None:
    s = suggerer(plan, "Photographe : photos de classe", sens=Sens.DEPENSE)
    assert s[0].compte.numero == "6070"
    assert s[0].raison == "mot-clé « photos de classe »"
    assert 0 < s[0].score <= 1


@pytest.mark.parametrize(
    ("libelle", "sens", "attendu"),
    [
        ("PRLV SEPA OCCE 35 COTISATION", Sens.DEPENSE, "62810008"),
        ("Transport en car pour la piscine", Sens.DEPENSE, "6241"),
        ("CB LIBRAIRIE 12/10", Sens.DEPENSE, "6183"),
        ("Assurance MAE", Sens.DEPENSE, "61681008"),
        ("FRAIS TENUE DE COMPTE", Sens.DEPENSE, "627"),
        ("VIR SEPA RECU /DE MAIRIE DE RENNES", Sens.RECETTE, "7440"),
        ("Kermesse : buvette et tombola", Sens.RECETTE, "7088"),
        ("Cotisation des familles septembre", Sens.RECETTE, "75620008"),
        ("Participation sortie au zoo", Sens.RECETTE, "7068"),
        ("Vente des photos de classe", Sens.RECETTE, "7070"),
        ("VERSEMENT ESPECES", Sens.VIREMENT, "53"),
    ],
)
def test_typical_labels_get_the_expected_account_first(
    plan: PlanComptable, libelle: str, sens: Sens, attendu: str
) -> None:
    assert numeros(suggerer(plan, libelle, sens=sens))[0] == attendu


def test_suggestions_ignore_accents_and_case(plan: PlanComptable) -> None:
    avec = suggerer(plan, "Sortie au Musée, entrées", sens=Sens.DEPENSE)
    sans = suggerer(plan, "SORTIE AU MUSEE ENTREES", sens=Sens.DEPENSE)
    assert avec == sans
    assert avec[0].compte.numero == "6251"


def test_sens_keeps_charges_for_an_expense_and_produits_for_a_receipt(
    plan: PlanComptable,
) -> None:
    depense = suggerer(plan, "photos de classe", sens=Sens.DEPENSE)
    recette = suggerer(plan, "photos de classe", sens=Sens.RECETTE)
    assert {s.compte.nature for s in depense} == {Nature.CHARGE}
    assert {s.compte.nature for s in recette} == {Nature.PRODUIT}
    assert depense[0].compte.numero == "6070"
    assert recette[0].compte.numero == "7070"


def test_no_suggestion_for_nonsense_or_only_numbers(plan: PlanComptable) -> None:
    assert suggerer(plan, "xyzzy plugh") == []
    assert suggerer(plan, "0001234 12/10") == []
    assert suggerer(plan, "") == []


def test_the_limit_bounds_the_number_of_suggestions(plan: PlanComptable) -> None:
    assert len(suggerer(plan, "subvention", sens=Sens.RECETTE, limite=2)) == 2


def test_a_suggestion_ranks_a_specific_keyword_above_a_word_shared_by_many_accounts(
    plan: PlanComptable,
) -> None:
    s = suggerer(plan, "Subvention de la mairie", sens=Sens.RECETTE)
    assert s[0].compte.numero == "7440"
    assert len(s) > 1  # the other subventions follow


# --- learned from past écritures ---


def test_several_identical_past_uses_beat_a_keyword_and_the_reason_says_so(
    plan: PlanComptable,
) -> None:
    # This cooperative records the photographer's bill as a class project (6068).
    historique = [("PHOTOS CLASSE CP", "6068", 4), ("Car piscine", "6241", 2)]
    s = suggerer(plan, "PHOTOS CLASSE CP 0001234", historique, sens=Sens.DEPENSE)
    assert s[0].compte.numero == "6068"
    assert s[0].raison == "comme 4 écritures passées, ex. « PHOTOS CLASSE CP »"
    assert s[1].compte.numero == "6070"
    assert s[1].raison == "mot-clé « photos de classe »"
    assert s[0].score > s[1].score


def test_keywords_alone_stay_below_the_confidence_of_two_identical_past_uses(
    plan: PlanComptable,
) -> None:
    riche = "Photographe photos de classe portrait tirages photo individuelle"
    assert suggerer(plan, riche, sens=Sens.DEPENSE)[0].score < 0.8
    appris = suggerer(plan, "Atelier Dupont", [("Atelier Dupont", "6226", 2)])
    assert appris[0].score >= 0.8


def test_a_single_past_use_is_reported_in_the_singular(plan: PlanComptable) -> None:
    s = suggerer(plan, "Atelier poterie Mme Durand", [("Atelier poterie Mme Durand", "6226", 1)])
    assert s[0].compte.numero == "6226"
    assert s[0].raison.startswith("comme 1 écriture passée, ex. « Atelier poterie Mme Durand »")


def test_a_similar_past_label_counts_a_different_one_does_not(plan: PlanComptable) -> None:
    historique = [("VIR SEPA RECU /DE APE LES P'TITS LOUPS", "7460", 3)]
    proche = suggerer(plan, "VIR RECU APE LES P'TITS LOUPS NOEL", historique, sens=Sens.RECETTE)
    assert proche[0].compte.numero == "7460"
    assert proche[0].raison.startswith("comme 3 écritures passées")
    loin = suggerer(plan, "VIR RECU MAIRIE", historique, sens=Sens.RECETTE)
    assert "7460" not in numeros(loin[:1])


def test_past_uses_are_filtered_by_sens_and_unknown_accounts_ignored(
    plan: PlanComptable,
) -> None:
    historique = [("Photos CP", "6070", 3), ("Photos CP", "7070", 5), ("Photos CP", "9999", 9)]
    assert numeros(suggerer(plan, "Photos CP", historique, sens=Sens.DEPENSE))[0] == "6070"
    assert numeros(suggerer(plan, "Photos CP", historique, sens=Sens.RECETTE))[0] == "7070"


def test_a_suggesteur_learns_as_lines_are_categorised(plan: PlanComptable) -> None:
    sg = Suggesteur(plan)
    assert sg.suggerer("SARL DUPONT ET FILS", Sens.DEPENSE) == []
    sg.apprendre("SARL DUPONT ET FILS 12/10", "6257", 2)
    s = sg.suggerer("SARL DUPONT ET FILS 03/11", Sens.DEPENSE)
    assert numeros(s) == ["6257"]
    assert s[0].raison == "comme 2 écritures passées, ex. « SARL DUPONT ET FILS 12/10 »"


def test_a_suggesteur_is_fast_on_many_bank_lines(plan: PlanComptable) -> None:
    noms = [f"{nom} {forme}" for nom in NOMS for forme in ("SARL", "SAS", "LIBRAIRIE", "CARS")]
    historique = [(f"CB {noms[i % 36]} {i:07d}", "6068", 1 + i % 3) for i in range(2000)]
    sg = Suggesteur(plan, historique)
    lignes = [f"PRLV SEPA {noms[(7 * i) % 36]} REF{i:07d} {i % 28:02d}/10" for i in range(20000)]
    debut = time.perf_counter()
    for ligne in lignes:
        sg.suggerer(ligne, Sens.DEPENSE)
    assert time.perf_counter() - debut < 2.0
    assert numeros(sg.suggerer("CB DUPONT LIBRAIRIE 12/10", Sens.DEPENSE))[:2] == ["6068", "6183"]


NOMS = ["DUPONT", "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS"]


# --- search ---


@pytest.mark.parametrize(
    ("texte", "premier"),
    [
        ("62810008", "62810008"),
        ("6281", "62810008"),
        ("628", "62810008"),
        ("7562 008", "75620008"),
        ("photos", "6070"),
        ("PHOTOS", "6070"),
        ("cinéma", "6251"),
        ("cinema", "6251"),
        ("kermesse", "7088"),
        ("assurance", "61681008"),
        ("à ventiler", "471"),
    ],
)
def test_search_finds_by_number_alias_prefix_and_words(
    plan: PlanComptable, texte: str, premier: str
) -> None:
    assert [c.numero for c in rechercher_comptes(plan, texte)][0] == premier


def test_search_by_number_prefix_lists_the_accounts_beginning_with_it(
    plan: PlanComptable,
) -> None:
    found = [c.numero for c in rechercher_comptes(plan, "74")]
    assert found == ["7410", "7420", "7430", "7440", "7460"]


def test_search_wants_every_word_then_falls_back_to_any(plan: PlanComptable) -> None:
    assert [c.numero for c in rechercher_comptes(plan, "photos ventes")][0] == "7070"
    assert set(c.numero for c in rechercher_comptes(plan, "kermesse xyzzy")) >= {"7088"}


def test_search_finds_nothing_for_nonsense(plan: PlanComptable) -> None:
    assert rechercher_comptes(plan, "xyzzy") == []
    assert rechercher_comptes(plan, "99") == []
    assert rechercher_comptes(plan, "  ") == []


def test_search_and_suggestions_work_on_a_chart_without_help() -> None:
    plan = valider_plan(
        {"comptes": [
            {"numero": "606", "libelle": "Fournitures", "nature": "charge", "rubrique": "A"},
            {"numero": "512", "libelle": "Banque", "nature": "tresorerie", "rubrique": "T"},
            {"numero": "471", "libelle": "Attente", "nature": "attente", "rubrique": "B"},
            {"numero": "110", "libelle": "Report", "nature": "bilan", "rubrique": "B"},
        ]},
        "mini.yaml",
    )  # fmt: skip
    assert [c.numero for c in rechercher_comptes(plan, "fourniture")] == ["606"]
    assert numeros(suggerer(plan, "FOURNITURES BUREAU", sens=Sens.DEPENSE)) == ["606"]


def test_ordinary_words_never_suggest_an_exceptional_account():
    from coopcompta.domain.model import Sens
    from coopcompta.domain.suggestions import suggerer
    from coopcompta.importers.plan import charger_plan

    plan = charger_plan()
    for libelle, sens in [
        ("Remise de chèques : photos et participation", Sens.RECETTE),
        ("Séjour classe de neige", Sens.DEPENSE),
        ("Appareil photo", Sens.DEPENSE),
    ]:
        proposes = [s.compte.numero for s in suggerer(plan, libelle, sens=sens)]
        assert not {"671", "672", "771", "772"} & set(proposes), (libelle, proposes)
