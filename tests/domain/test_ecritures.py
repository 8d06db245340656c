"""Pure écriture builders: parsing what was typed, account checks, pièces, contre-passations."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from coopcompta.domain.ecritures import (
    Numeroteur,
    Part,
    contre_passation,
    creer_ecriture,
    ecriture_json,
    exercice_pour,
    lire_date,
    lire_mode,
    lire_part,
    resume,
    serie_piece,
    verifier_annulable,
)
from coopcompta.domain.errors import (
    CompteInconnu,
    DateInvalide,
    MontantInvalide,
    SaisieInvalide,
)
from coopcompta.domain.model import Ecriture, Exercice, Ligne, Sens
from coopcompta.importers.plan import charger_plan

PLAN = charger_plan()
EX = Exercice.depuis_nom("2025-2026")
D = Decimal
LIBELLE_6070 = PLAN.compte("6070").libelle


def depense(**kw: object) -> Ecriture:
    champs: dict[str, object] = dict(
        date=dt.date(2025, 9, 16),
        sens=Sens.DEPENSE,
        libelle="Cotisation OCCE et assurance",
        montant=D("100.00"),
        tresorerie="512",
        parts=[Part("62810008", D("80.00")), Part("61681008", D("20.00"))],
        mode="cheque",
        cheque="1234567",
        ou={"compte": "--compte", "tresorerie": "--tresorerie", "montant": "--depense"},
    )
    champs.update(kw)
    return creer_ecriture(PLAN, **champs)  # type: ignore[arg-type]


def test_a_ventilation_part_reads_account_amount_and_class():
    assert lire_part("62810008=80,00") == Part("62810008", D("80.00"), None, "--compte")
    assert lire_part("6251=1 234,50:CM2") == Part("6251", D("1234.50"), "CM2", "--compte")
    assert lire_part("6070") == Part("6070", None, None, "--compte")
    assert lire_part("7070:CP") == Part("7070", None, "CP", "--compte")


def test_a_ventilation_part_with_a_bad_amount_quotes_it():
    with pytest.raises(MontantInvalide) as exc:
        lire_part("6070=12,3O")
    assert str(exc.value) == "--compte: montant illisible « 12,3O »"


def test_a_ventilation_part_without_account_says_the_expected_shape():
    with pytest.raises(SaisieInvalide) as exc:
        lire_part("=12,00")
    assert str(exc.value) == (
        "--compte: « =12,00 » : attendu COMPTE=MONTANT[:classe], par ex. 62810008=80,00"
    )


def test_dates_are_read_day_first_and_impossible_ones_refused():
    assert lire_date("16/09/2025") == dt.date(2025, 9, 16)
    assert lire_date("1/9/2025") == dt.date(2025, 9, 1)
    with pytest.raises(DateInvalide) as exc:
        lire_date("2025-09-16", "--date")
    assert str(exc.value) == "--date: date illisible « 2025-09-16 » (attendu : jj/mm/aaaa)"
    with pytest.raises(DateInvalide) as exc:
        lire_date("31/02/2026", "--date")
    assert str(exc.value) == "--date: date impossible « 31/02/2026 »"


def test_payment_modes_accept_accents_and_case():
    assert lire_mode("Chèque") == "cheque"
    assert lire_mode("espèces") == "especes"
    assert lire_mode("AssoConnect") == "assoconnect"
    assert lire_mode("") is None
    with pytest.raises(SaisieInvalide) as exc:
        lire_mode("bitcoin", "--mode")
    assert str(exc.value) == (
        "--mode: mode de paiement inconnu « bitcoin » "
        "(attendu : cheque, especes, virement, carte, prelevement, assoconnect)"
    )


def test_a_split_expense_is_built_with_its_lines():
    e = depense()
    assert e.ventilation == (Ligne("62810008", D("80.00")), Ligne("61681008", D("20.00")))
    assert e.mode == "cheque" and e.cheque == "1234567"
    assert resume(e) == (
        "dépense de 100,00\u00a0€ : 512 → 62810008 80,00\u00a0€, 61681008 20,00\u00a0€"
    )


def test_aliases_resolve_to_the_chart_number():
    e = depense(tresorerie="5120", parts=[Part("6281", D("80.00")), Part("6168", D("20.00"))])
    assert e.tresorerie == "512"
    assert [lg.compte for lg in e.ventilation] == ["62810008", "61681008"]


def test_a_single_account_without_amount_takes_the_whole_total():
    e = depense(parts=[Part("6070", None, "CP")])
    assert e.ventilation == (Ligne("6070", D("100.00"), "CP"),)


def test_an_amountless_account_in_a_split_is_refused():
    with pytest.raises(SaisieInvalide) as exc:
        depense(parts=[Part("6070", None, None, "--compte"), Part("6181", D("20.00"))])
    assert str(exc.value) == (
        "--compte: « 6070 » sans montant : indiquez COMPTE=MONTANT pour chaque compte "
        "d'une ventilation sur plusieurs comptes"
    )


def test_a_ventilation_that_does_not_add_up_is_refused():
    with pytest.raises(SaisieInvalide) as exc:
        depense(parts=[Part("62810008", D("80.00")), Part("61681008", D("10.00"))])
    assert str(exc.value) == (
        "--compte: la ventilation (90,00\u00a0€) ne correspond pas au montant (100,00\u00a0€)"
    )


def test_a_receipt_on_a_charge_account_is_refused_with_the_kind_expected():
    with pytest.raises(SaisieInvalide) as exc:
        depense(sens=Sens.RECETTE, parts=[Part("6070", None)], mode=None, cheque=None)
    assert str(exc.value) == (
        f"--compte: le compte 6070 ({LIBELLE_6070}) est un compte de charge (6…) ; "
        "une recette se ventile sur un compte de produit (7…) ou sur 471"
    )


def test_the_suspense_account_fits_both_receipts_and_expenses():
    e = depense(sens=Sens.RECETTE, parts=[Part("471", None)], mode=None, cheque=None)
    assert e.ventilation == (Ligne("471", D("100.00")),)
    assert depense(parts=[Part("471", None)]).ventilation[0].compte == "471"


def test_the_treasury_account_must_be_a_treasury_account():
    with pytest.raises(SaisieInvalide) as exc:
        depense(tresorerie="6070")
    assert str(exc.value) == (
        f"--tresorerie: le compte 6070 ({LIBELLE_6070}) n'est pas un compte "
        "de trésorerie (banque, caisse…)"
    )


def test_an_unknown_account_is_named():
    with pytest.raises(CompteInconnu) as exc:
        depense(parts=[Part("9999", None, None, "--compte")])
    assert str(exc.value) == "--compte: compte inconnu « 9999 » (voir `coop plan`)"


def test_negative_amounts_belong_to_contre_passations_only():
    with pytest.raises(SaisieInvalide) as exc:
        depense(montant=D("-100.00"), parts=[Part("6070", None)])
    assert str(exc.value) == (
        "--depense: montant négatif : seule une contre-passation (`coop annuler`) "
        "a des montants négatifs"
    )


def test_a_cheque_number_with_another_mode_is_refused_and_implies_cheque_alone():
    assert depense(mode=None).mode == "cheque"
    with pytest.raises(SaisieInvalide) as exc:
        depense(mode="especes", ou="x.csv:3")
    assert str(exc.value) == "x.csv:3: numéro de chèque donné pour un paiement par espèces"


def test_a_virement_needs_two_different_treasury_accounts():
    v = creer_ecriture(
        PLAN,
        date=dt.date(2025, 10, 5),
        sens=Sens.VIREMENT,
        libelle="Dépôt",
        montant=D("120.00"),
        tresorerie="530",
        contrepartie="5120",
    )
    assert (v.tresorerie, v.contrepartie, v.ventilation) == ("53", "512", ())
    with pytest.raises(SaisieInvalide) as exc:
        creer_ecriture(
            PLAN,
            date=v.date,
            sens=Sens.VIREMENT,
            libelle="x",
            montant=D("1"),
            tresorerie="512",
            contrepartie="5120",
            ou={"contrepartie": "--vers"},
        )
    assert str(exc.value) == (
        "--vers: virement de 512 vers lui-même : indiquez deux comptes différents"
    )


def test_a_date_outside_the_exercice_names_its_bounds():
    with pytest.raises(DateInvalide) as exc:
        exercice_pour(dt.date(2026, 9, 1), [EX], "--date")
    assert str(exc.value) == (
        "--date: date 01/09/2026 hors de l'exercice 2025-2026 (du 01/09/2025 au 31/08/2026)"
    )


def test_a_date_in_a_closed_exercice_points_to_the_open_one():
    suivant = Exercice.depuis_nom("2026-2027")
    assert exercice_pour(dt.date(2026, 9, 1), [EX, suivant], None, {"2025-2026"}) == suivant
    with pytest.raises(DateInvalide) as exc:
        exercice_pour(dt.date(2026, 3, 1), [EX, suivant], None, {"2025-2026"})
    assert str(exc.value) == (
        "date 01/03/2026 dans l'exercice 2025-2026, qui est clôturé : une correction "
        "s'enregistre dans l'exercice ouvert ; exercice ouvert : 2026-2027 "
        "(du 01/09/2026 au 31/08/2027)"
    )


def test_pieces_follow_one_sequence_or_the_r_and_d_series():
    assert serie_piece(Sens.DEPENSE, "") == ""
    assert serie_piece(Sens.DEPENSE, "RD") == "D"
    assert serie_piece(Sens.RECETTE, "RD") == "R"
    n = Numeroteur({"2025-2026": {"1", "2", "7"}}, "")
    assert n.prochaine("2025-2026", Sens.DEPENSE) == "8"
    assert n.prochaine("2026-2027", Sens.DEPENSE) == "1"
    rd = Numeroteur({"2025-2026": {"R1", "D1", "D2"}}, "RD")
    assert rd.prochaine("2025-2026", Sens.DEPENSE) == "D3"
    assert rd.prochaine("2025-2026", Sens.RECETTE) == "R2"


def test_a_piece_used_twice_in_a_batch_is_refused():
    n = Numeroteur({}, "")
    n.utiliser("2025-2026", "4", "j.csv:2")
    assert n.prochaine("2025-2026", Sens.RECETTE) == "5"
    with pytest.raises(SaisieInvalide) as exc:
        n.utiliser("2025-2026", "4", "j.csv:9")
    assert str(exc.value) == "j.csv:9: pièce 4 déjà utilisée dans l'exercice 2025-2026"


def test_a_contre_passation_negates_every_amount_and_points_to_the_original():
    originale = replace(depense(), id=7, piece="3", exercice="2025-2026")
    contre = contre_passation(originale, dt.date(2025, 10, 1), motif="chèque perdu")
    assert contre.montant == D("-100.00")
    assert contre.ventilation == (
        Ligne("62810008", D("-80.00")),
        Ligne("61681008", D("-20.00")),
    )
    assert contre.annule == 7 and contre.id is None and contre.piece is None
    assert contre.libelle == "Annulation pièce 3 : Cotisation OCCE et assurance (chèque perdu)"
    assert sum(m for _, m, _ in contre.lignes_comptables()) == 0


def test_a_contre_passation_cannot_precede_the_original():
    originale = replace(depense(), id=7, piece="3")
    with pytest.raises(DateInvalide) as exc:
        contre_passation(originale, dt.date(2025, 9, 1))
    assert str(exc.value) == (
        "--date: une annulation ne peut pas précéder l'écriture annulée (16/09/2025)"
    )


def test_cancelled_entries_and_reversals_cannot_be_cancelled():
    originale = replace(depense(), id=7, piece="3")
    with pytest.raises(SaisieInvalide) as exc:
        verifier_annulable(originale, "5")
    assert str(exc.value) == "la pièce 3 est déjà annulée (pièce 5)"
    with pytest.raises(SaisieInvalide) as exc:
        verifier_annulable(replace(originale, annule=2), None)
    assert str(exc.value) == "la pièce 3 est elle-même une contre-passation : elle ne s'annule pas"


def test_the_json_view_uses_point_decimals_as_strings():
    e = replace(depense(parts=[Part("6070", None, "CP")]), id=1, piece="1", exercice="2025-2026")
    assert ecriture_json(e) == {
        "id": 1,
        "date": "2025-09-16",
        "exercice": "2025-2026",
        "piece": "1",
        "libelle": "Cotisation OCCE et assurance",
        "sens": "depense",
        "mode": "cheque",
        "cheque": "1234567",
        "tresorerie": "512",
        "contrepartie": None,
        "montant": "100.00",
        "ventilation": [{"compte": "6070", "montant": "100.00", "classe": "CP"}],
        "annule": None,
    }
