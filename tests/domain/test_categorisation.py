"""Import rules: the YAML file validated at the edge, applied by one pure function."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from coopcompta.domain.categorisation import ReglesInvalides, appliquer_regles, cle_libelle
from coopcompta.domain.errors import CoopComptaError
from coopcompta.domain.model import Ligne, ReleveLigne
from coopcompta.domain.money import CENT
from coopcompta.importers.plan import charger_plan
from coopcompta.importers.regles import (
    ajouter_regles,
    charger_regles,
    motif_pour,
    texte_regle,
    valider_regles,
)

PLAN = charger_plan()
EXEMPLES = Path(__file__).parents[2] / "examples"


def ligne(libelle: str, montant: str) -> ReleveLigne:
    return ReleveLigne(dt.date(2025, 10, 6), libelle, Decimal(montant).quantize(CENT), 2, libelle)


def regles(texte: str, fichier: str = "regles.yaml"):
    return valider_regles(yaml.safe_load(texte), fichier, PLAN)


def comptes(c) -> list[tuple[str, str]]:
    return [(lg.compte, str(lg.montant)) for lg in c.ventilation]


# --- matching --------------------------------------------------------------------------------


def test_a_plain_motif_matches_whatever_the_case_and_accents():
    r = regles("- {nom: Librairie, motif: librairie du centre, compte: '6183'}")
    c = appliquer_regles(r, ligne("CB Librairie  DU Centre 30/09", "-12.50"))
    assert c is not None
    assert comptes(c) == [("6183", "12.50")]
    assert c.raison == "règle « Librairie »"
    assert c.origine == "regle"
    r = regles("- {nom: Fête, motif: fête de l'école, compte: '7088'}")
    assert appliquer_regles(r, ligne("VIR FETE DE L'ECOLE", "300")) is not None


def test_a_motif_between_slashes_is_a_regular_expression():
    r = regles("- {nom: OCCE, motif: '/^PRLV .*OCCE/', compte: '62810008'}")
    assert appliquer_regles(r, ligne("PRLV SEPA OCCE 35", "-120")) is not None
    assert appliquer_regles(r, ligne("REMB PRLV SEPA OCCE", "-120")) is None


def test_the_first_matching_rule_wins():
    r = regles(
        """
- {nom: Photos, motif: PHOTO, compte: '6070'}
- {nom: Tout achat carte, motif: CB, compte: '6068'}
"""
    )
    assert appliquer_regles(r, ligne("CB PHOTO EXPRESS", "-80")).raison == "règle « Photos »"
    assert appliquer_regles(r, ligne("CB MAGASIN", "-80")).raison == "règle « Tout achat carte »"


def test_amount_range_and_sens_filter_the_lines():
    r = regles(
        """
- nom: Petits achats
  motif: CB
  montant_min: 10
  montant_max: "50,00"
  sens: depense
  compte: "6068"
"""
    )
    assert appliquer_regles(r, ligne("CB X", "-10.00")) is not None
    assert appliquer_regles(r, ligne("CB X", "-50.00")) is not None
    assert appliquer_regles(r, ligne("CB X", "-9.99")) is None
    assert appliquer_regles(r, ligne("CB X", "-50.01")) is None
    assert appliquer_regles(r, ligne("CB X", "20.00")) is None  # a credit


def test_source_names_a_format_or_a_file_name_pattern():
    r = regles(
        """
- {nom: Familles en ligne, motif: cotisation, source: assoconnect-paiements, compte: '75620008'}
- {nom: Fichier caisse, motif: vente, source: 'caisse-*.csv', compte: '7088'}
"""
    )
    paiement = ligne("Cotisation coopérative DUPONT", "15")
    assert appliquer_regles(r, paiement, format="assoconnect-paiements") is not None
    assert appliquer_regles(r, paiement, format="csv", fichier="releve.csv") is None
    vente = ligne("Vente gâteaux", "45")
    assert appliquer_regles(r, vente, format="csv", fichier="Caisse-juin.CSV") is not None
    assert appliquer_regles(r, vente, format="csv", fichier="releve.csv") is None


def test_a_rule_to_a_charge_account_never_categorises_a_credit():
    r = regles("- {nom: Librairie, motif: LIBRAIRIE, compte: '6183'}")
    assert appliquer_regles(r, ligne("VIR LIBRAIRIE AVOIR", "12.50")) is None


def test_a_split_template_rounds_percentages_and_gives_the_rest_to_the_last_line():
    r = regles(
        """
- nom: Cotisation et assurance
  motif: OCCE
  ventilation:
    - {compte: "62810008", part: 80%}
    - {compte: "61681008"}
"""
    )
    assert comptes(appliquer_regles(r, ligne("PRLV OCCE", "-100"))) == [
        ("62810008", "80.00"),
        ("61681008", "20.00"),
    ]
    c = appliquer_regles(r, ligne("PRLV OCCE", "-0.99"))
    assert comptes(c) == [("62810008", "0.79"), ("61681008", "0.20")]
    assert sum(lg.montant for lg in c.ventilation) == Decimal("0.99")


def test_a_fixed_part_is_taken_first_and_a_rule_whose_parts_exceed_the_amount_does_not_apply():
    r = regles(
        """
- nom: Sortie et car
  motif: SORTIE
  ventilation:
    - {compte: "6241", part: "150,00", classe: CM2}
    - {compte: "6251"}
- {nom: Repli, motif: SORTIE, compte: "471"}
"""
    )
    c = appliquer_regles(r, ligne("CHQ SORTIE MUSEE", "-400"))
    assert c.ventilation == (
        Ligne("6241", Decimal("150.00"), "CM2"),
        Ligne("6251", Decimal("250.00")),
    )
    assert appliquer_regles(r, ligne("CHQ SORTIE", "-100")).raison == "règle « Repli »"


def test_a_rule_to_a_treasury_account_is_a_virement_interne():
    r = regles("- {nom: Espèces, motif: VERSEMENT ESPECES, compte: 53}")
    c = appliquer_regles(r, ligne("VERSEMENT ESPECES", "95"))
    assert c.contrepartie == "53"
    assert c.ventilation == ()
    assert c.compte == "53"


def test_a_rule_may_rewrite_the_libelle_and_tag_a_class():
    r = regles(
        "- {nom: Mairie, motif: MAIRIE, compte: '7440', libelle: Subvention communale, classe: CP}"
    )
    c = appliquer_regles(r, ligne("VIR SEPA RECU /DE MAIRIE", "500"))
    assert c.libelle == "Subvention communale"
    assert c.ventilation == (Ligne("7440", Decimal("500.00"), "CP"),)


def test_aliases_resolve_to_the_account_number():
    r = regles("- {nom: OCCE, motif: OCCE, compte: 6281}")
    assert comptes(appliquer_regles(r, ligne("PRLV OCCE", "-10"))) == [("62810008", "10.00")]


def test_the_example_rules_file_loads():
    r = charger_regles(EXEMPLES / "regles.yaml", PLAN)
    assert [x.nom for x in r][:3] == [
        "Frais bancaires",
        "Espèces versées à la banque",
        "Versements AssoConnect",
    ]


def test_an_absent_rules_file_is_no_rules(tmp_path):
    assert charger_regles(tmp_path / "regles.yaml", PLAN) == []


# --- validation errors name the file, the rule and the field ---------------------------------


@pytest.mark.parametrize(
    ("texte", "erreur"),
    [
        (
            "- {nom: A, motif: X, compte: '6000'}",
            "regles.yaml: regles[0] (A).compte: compte inconnu « 6000 » (voir `coop plan`)",
        ),
        (
            "- {nom: A, motif: X, compte: '6183'}\n- {nom: B, motif: Y, compt: '6183'}",
            "regles.yaml: regles[1] (B).compt: champ inconnu",
        ),
        ("- {motif: X, compte: '6183'}", "regles.yaml: regles[0].nom: champ requis"),
        (
            "- {nom: A, motif: X}",
            "regles.yaml: regles[0] (A): indiquez soit « compte », soit « ventilation »",
        ),
        (
            "- {nom: A, motif: X, compte: '6183', ventilation: [{compte: '6068'}]}",
            "regles.yaml: regles[0] (A): indiquez soit « compte », soit « ventilation »",
        ),
        (
            "- {nom: A, motif: '/(PRLV/', compte: '6183'}",
            "regles.yaml: regles[0] (A).motif: expression régulière invalide (missing ): (PRLV)",
        ),
        (
            "- {nom: A, motif: X, sens: credit, compte: '6183'}",
            "regles.yaml: regles[0] (A).sens: valeur attendue : recette ou depense",
        ),
        (
            "- {nom: A, motif: X, montant_min: 'douze', compte: '6183'}",
            "regles.yaml: regles[0] (A).montant_min: montant illisible « douze »",
        ),
        (
            "- nom: A\n  motif: X\n  ventilation:\n    - {compte: '6241'}\n    - {compte: '6251'}",
            "regles.yaml: regles[0] (A).ventilation[0].part: part requise "
            "(sauf pour la dernière ligne, qui reçoit le reste)",
        ),
        (
            "- nom: A\n  motif: X\n  ventilation:\n    - {compte: '6241', part: 60%}\n"
            "    - {compte: '6251', part: 50%}",
            "regles.yaml: regles[0] (A).ventilation[1].part: la dernière ligne reçoit le reste :"
            " retirez « part » (ou donnez des pourcentages dont la somme fait 100 %)",
        ),
        (
            "- nom: A\n  motif: X\n  ventilation:\n    - {compte: '6241', part: 120%}\n"
            "    - {compte: '6251'}",
            "regles.yaml: regles[0] (A).ventilation[0].part: pourcentage hors de 0 à 100 « 120% »",
        ),
        (
            "- nom: A\n  motif: X\n  ventilation:\n    - {compte: '6241', part: 50%}\n"
            "    - {compte: '7088'}",
            "regles.yaml: regles[0] (A).ventilation: ventilation mêlant comptes de charge et de "
            "produit",
        ),
        (
            "- {nom: A, motif: X, sens: recette, compte: '6183'}",
            "regles.yaml: regles[0] (A).sens: une règle « recette » ne peut aller vers un compte "
            "de charge",
        ),
        (
            "- {nom: A, motif: X, compte: '110'}",
            "regles.yaml: regles[0] (A).compte: le compte 110 (Report à nouveau) n'est pas un "
            "compte de charge, de produit ou de trésorerie",
        ),
        (
            "nom: A\nmotif: X",
            "regles.yaml: liste de règles attendue (chaque règle commence par « - nom: … »)",
        ),
    ],
)
def test_an_invalid_rule_is_refused_naming_file_rule_and_field(texte, erreur):
    with pytest.raises(CoopComptaError) as exc:
        regles(texte)
    assert str(exc.value) == erreur


def test_an_unreadable_yaml_names_the_line(tmp_path):
    path = tmp_path / "regles.yaml"
    path.write_text("- nom: A\n  motif: [X\n", encoding="utf-8")
    with pytest.raises(ReglesInvalides) as exc:
        charger_regles(path, PLAN)
    assert str(exc.value).startswith("regles.yaml:3: YAML illisible")


# --- "toujours ce compte pour ce libellé" --------------------------------------------------


def test_the_motif_proposed_for_a_label_drops_dates_and_numbers():
    assert motif_pour("CB LIBRAIRIE DU CENTRE 12/10") == "CB LIBRAIRIE DU CENTRE"
    assert motif_pour("VIR SEPA RECU /DE MAIRIE REF 2025-123") == "VIR SEPA RECU /DE MAIRIE REF"
    assert motif_pour("12/10 0001234") == "12/10 0001234"


def test_appending_a_rule_keeps_the_users_comments_and_the_rule_loads(tmp_path):
    path = tmp_path / "regles.yaml"
    path.write_text("# mes règles\n- nom: A\n  motif: X\n  compte: '6183'  # livres", "utf-8")
    ajouter_regles(path, [texte_regle('CB "LIBRAIRIE"', 'CB "LIBRAIRIE"', "6183", "depense")], PLAN)
    texte = path.read_text("utf-8")
    assert texte.startswith("# mes règles\n- nom: A\n  motif: X\n  compte: '6183'  # livres\n")
    r = charger_regles(path, PLAN)
    assert [x.nom for x in r] == ["A", 'CB "LIBRAIRIE"']
    assert appliquer_regles(r[1:], ligne('CB "LIBRAIRIE" 12/10', "-3")) is not None


def test_appending_to_a_new_file_creates_it(tmp_path):
    path = tmp_path / "regles.yaml"
    ajouter_regles(path, [texte_regle("MAIRIE", "MAIRIE", "7440", "recette")], PLAN)
    assert [x.nom for x in charger_regles(path, PLAN)] == ["MAIRIE"]


def test_appending_to_a_flow_style_file_is_refused_and_leaves_it_unchanged(tmp_path):
    path = tmp_path / "regles.yaml"
    path.write_text("[{nom: A, motif: X, compte: '6183'}]\n", "utf-8")
    with pytest.raises(ReglesInvalides):
        ajouter_regles(path, [texte_regle("B", "B", "6183")], PLAN)
    assert path.read_text("utf-8") == "[{nom: A, motif: X, compte: '6183'}]\n"


def test_label_keys_ignore_case_accents_and_spacing():
    assert cle_libelle("  Fête de  l'école\n") == "FETE DE L'ECOLE"
    assert cle_libelle("CB  X") == "CB X"
