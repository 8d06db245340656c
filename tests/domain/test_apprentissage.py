"""Learned suggestions: confidence that means what it says, amounts, counterpart names, splits."""

from __future__ import annotations

from coopcompta.domain.apprentissage import Memoire, Passe, est_generique, mots_contrepartie
from coopcompta.domain.model import Sens

D, R, V = Sens.DEPENSE, Sens.RECETTE, Sens.VIREMENT


def depense(libelle: str, centimes: int, compte: str) -> Passe:
    return Passe(libelle, D, centimes, ((compte, centimes),))


def recette(libelle: str, centimes: int, compte: str) -> Passe:
    return Passe(libelle, R, centimes, ((compte, centimes),))


def test_the_counterpart_name_survives_card_numbers_store_numbers_and_dates() -> None:
    assert mots_contrepartie("CB ACTION 1234 CESSON 03/11") == ("action", "cesson")
    assert mots_contrepartie("CARTE X4127 ACTION 2187 RENNES 12/10") == ("action", "renne")
    assert mots_contrepartie("PRLV SEPA ASSOCIATION DEPARTEMENTALE OCCE35")[-1] == "occe"


def test_labels_that_name_no_counterpart_are_generic() -> None:
    for libelle in (
        "CHEQUE 4518210",
        "REMISE CHEQUES 0001234",
        "REM CHQ N 755830",
        "VERSEMENT ESPECES",
        "RETRAIT DAB 12/10 RENNES",
    ):
        assert est_generique(libelle), libelle
    assert not est_generique("CB LIBRAIRIE LE FAILLER 12/10")


def test_a_generic_cheque_is_never_applied_automatically_even_after_identical_ones() -> None:
    m = Memoire(
        [depense("CHEQUE 4518100", 12000, "62810008"), depense("CHEQUE 4518101", 12000, "62810008")]
    )
    (p,) = m.proposer("CHEQUE 4518210", 12000, credit=False)
    assert p.compte == "62810008"
    assert not p.automatique
    assert p.confiance <= 0.6
    assert "sans nom de tiers" in p.raison


def test_deposit_slips_filed_under_several_accounts_are_asked_not_guessed() -> None:
    passe = [recette(f"REMISE CHEQUES {i}", 30000 + i * 1000, "75620008") for i in range(5)]
    passe += [recette(f"REMISE CHEQUES {i}", 30000 + i * 700, "7068") for i in range(8)]
    passe += [recette(f"REMISE CHEQUES {i}", 30000 + i * 500, "7070") for i in range(4)]
    propositions = Memoire(passe).proposer("REM CHQ N 99 REMISE CHEQUES", 31000, credit=True)
    assert propositions
    assert all(not p.automatique and p.confiance < 0.8 for p in propositions)


def test_a_label_that_went_to_four_accounts_is_far_from_sure() -> None:
    passe = [depense("CB CARREFOUR MARKET", 2000, c) for c in ["6068"] * 8 + ["6257"] * 5]
    passe += [depense("CB CARREFOUR MARKET", 2000, "6183"), depense("CB CARREFOUR", 2000, "6181")]
    best = Memoire(passe).proposer("CB CARREFOUR MARKET 12/10", 2000, credit=False)[0]
    assert best.compte == "6068"
    assert best.confiance < 0.6 and not best.automatique
    assert "plusieurs comptes" in best.raison


def test_a_durable_good_is_not_filed_like_two_small_purchases_of_the_same_shop() -> None:
    m = Memoire(
        [
            depense("CB BUREAU VALLEE 02/10", 1200, "6068"),
            depense("CB BUREAU VALLEE 14/01", 1500, "6068"),
            depense("CB BUREAU VALLEE 20/03", 1350, "6068"),
        ]
    )
    grosse = m.proposer("CARTE X4127 BUREAU VALLEE CESSON", 27500, credit=False)[0]
    assert not grosse.automatique and grosse.confiance < 0.8
    assert "montant inhabituel" in grosse.raison
    petite = m.proposer("CARTE X4127 BUREAU VALLEE CESSON", 1300, credit=False)[0]
    assert petite.automatique and petite.confiance >= 0.8


def test_a_chain_store_renamed_by_the_bank_is_still_recognised() -> None:
    m = Memoire([depense(f"CB ACTION 1234 CESSON {j:02d}/11", 2000 + j, "6068") for j in (3, 9)])
    best = m.proposer("CARTE X4127 ACTION 2187 RENNES 15/10", 2400, credit=False)[0]
    assert best.compte == "6068"
    assert best.automatique and best.confiance >= 0.8


def test_the_occe_direct_debit_split_is_learned_with_its_amounts() -> None:
    occe = Passe(
        "PRLV SEPA OCCE 35 COTISATION", D, 55800, (("62810008", 43200), ("61681008", 12600))
    )
    best = Memoire([occe]).proposer("PRLV SEPA ASSOCIATION DEPARTEMENTALE OCCE35", 60000, False)[0]
    assert best.parts == (("62810008", 43200), ("61681008", 12600))
    assert best.total == 55800 and best.compte == "62810008"


def test_virements_are_learned_in_both_directions_from_the_statement_account() -> None:
    passe = [
        Passe("VIR SEPA RECU /DE SUMUP PAYMENTS", V, 20000, source="5171", destination="512"),
        Passe("VIR SEPA RECU /DE SUMUP PAYMENTS", V, 25000, source="5171", destination="512"),
        Passe("VIR REGIE CM1 AVANCE", V, 15000, source="512", destination="5411"),
    ]
    m = Memoire(passe, tresorerie="512")
    assert m.proposer("VIR SEPA RECU /DE SUMUP PID 8812", 22000, credit=True)[0].virement == "5171"
    assert m.proposer("VIR REGIE CM1 AVANCE SEPT", 15000, credit=False)[0].virement == "5411"
    assert Memoire(passe, tresorerie="53").proposer("VIR REGIE CM1", 15000, False) == []


def test_a_correction_weighs_more_than_the_lines_it_corrects() -> None:
    passe = [depense("CB BOULANGER 12/10", 2000, "6068") for _ in range(2)]
    passe.append(Passe("CB BOULANGER 14/11", D, 2000, (("6257", 2000),), poids=3.0))
    assert Memoire(passe).proposer("CB BOULANGER", 2000, False)[0].compte == "6257"


def test_the_same_monthly_amount_is_sure_after_two_months() -> None:
    passe = [depense("PRLV SEPA BAYARD PRESSE", 890, "6183") for _ in range(2)]
    best = Memoire(passe).proposer("PRLV SEPA BAYARD PRESSE ABONNEMENT", 890, False)[0]
    assert best.automatique and best.confiance >= 0.8
    seul = Memoire(passe[:1]).proposer("PRLV SEPA BAYARD PRESSE", 890, False)[0]
    assert seul.confiance < 0.8  # one past use is not enough to apply without asking


def test_a_learned_split_that_does_not_add_up_is_refused_naming_the_piece() -> None:
    import pytest

    from coopcompta.domain.apprentissage import DonneesInvalides

    faux = Passe("PRLV OCCE", D, 55800, (("62810008", 43200), ("61681008", 1000)), piece="P12")
    with pytest.raises(DonneesInvalides, match="ne fait pas le montant") as exc:
        Memoire([faux])
    assert exc.value.ou == "P12"
