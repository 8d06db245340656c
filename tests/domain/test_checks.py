"""The checks of `coop verifier`: each fires on a faulty year and stays silent on a clean one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from coopcompta.domain import checks
from coopcompta.domain.checks import analyser_cheques, analyser_numeros, verifier
from coopcompta.domain.faits import (
    CaisseNegative,
    Constats,
    Desequilibre,
    Doublon,
    Ref,
    RuptureCheque,
    Trou,
)
from coopcompta.domain.model import Ecriture, Exercice, Gravite, Ligne, Sens
from coopcompta.domain.reports import calculer_bilan
from coopcompta.importers.plan import charger_plan
from coopcompta.storage import verifications as sql
from coopcompta.usecases.bilan import charger_bilan
from coopcompta.usecases.verifier import charger_journal, verifier_journal, verifier_ledger

EX = Exercice.depuis_nom("2025-2026")
PLAN = charger_plan(None)
D = Decimal
JOURNAUX = Path(__file__).parents[1] / "data" / "journaux"
PROPRE = JOURNAUX / "propre.csv"
# A balanced year: 1 000 € opened at the bank, 200 € of kermesse takings, 150 € spent.
SOLDES = {"110": D("-1000"), "512": D("1050"), "7088": D("-200"), "6257": D("150")}


def ref(piece: str | None, jour: int = 1, libelle: str = "Goûter", id: int | None = None) -> Ref:
    return Ref(id, piece, dt.date(2025, 10, jour), libelle)


def codes(anomalies) -> list[str]:
    return [a.code for a in anomalies]


def bilan(soldes=SOLDES):
    return calculer_bilan(EX, soldes, PLAN)


# -- pure checks, from facts -----------------------------------------------------------


def test_a_clean_year_has_no_anomaly():
    assert verifier(bilan(), Constats(EX)) == []


def test_a_ventilation_that_does_not_add_up_is_an_error():
    c = Constats(EX, desequilibres=(Desequilibre(ref("8", 10), D("10.00"), D("310"), D("300")),))
    [a] = checks.controler_ventilations(c)
    assert a.gravite is Gravite.ERREUR
    assert a.code == "ventilation-desequilibree"
    assert a.message == (
        "pièce 8 du 10/10/2025 : la ventilation ne correspond pas au montant — total annoncé "
        "310,00\u00a0€, somme des lignes 300,00\u00a0€ (écart 10,00\u00a0€)."
    )
    assert a.pieces == ("8",)
    assert checks.controler_ventilations(Constats(EX)) == []


def test_an_unbalanced_bilan_is_an_error_with_its_figures():
    [a] = checks.controler_equilibre(bilan({**SOLDES, "512": D("1060")}))
    assert (a.gravite, a.code) == (Gravite.ERREUR, "equilibre-bilan")
    assert a.message == (
        "le bilan n'est pas équilibré : report à nouveau + recettes − dépenses = "
        "1\u202f050,00\u00a0€, mais la trésorerie totalise 1\u202f060,00\u00a0€ "
        "(écart -10,00\u00a0€)."
    )
    assert checks.controler_equilibre(bilan()) == []


def test_an_exceptional_balance_beyond_tolerance_is_an_error_naming_the_ecritures():
    b = bilan({**SOLDES, "771": D("-300"), "512": D("1350")})
    c = Constats(EX, exceptionnelles=(ref("7", 15, "Subvention de la mairie"),))
    [a] = checks.controler_exceptionnel(b, c)
    assert (a.gravite, a.code) == (Gravite.ERREUR, "exceptionnel-hors-tolerance")
    assert a.message.startswith(
        "Solde exceptionnel de 300,00\u00a0€ (60,00 % des recettes) : les produits "
        "exceptionnels dépassent les charges exceptionnelles de plus que la tolérance de "
        "50,00\u00a0€."
    )
    assert "Écritures concernées : pièce 7 du 15/10/2025." in a.message
    assert "« Les charges et produits exceptionnels sont, comme leur nom l'indique" in a.message
    assert a.pieces == ("7",)
    assert checks.controler_exceptionnel(bilan({**SOLDES, "771": D("-40"), "512": D("1090")})) == []


def test_an_ecriture_dated_outside_its_exercice_is_an_error():
    c = Constats(EX, hors_exercice=(Ref(3, "12", dt.date(2026, 9, 2), "Photos"),))
    [a] = checks.controler_dates(c, {3: "journal.csv:14"})
    assert a.code == "date-hors-exercice"
    assert a.message == (
        "pièce 12 du 02/09/2026 (journal.csv:14) : date hors de l'exercice 2025-2026 "
        "(du 01/09/2025 au 31/08/2026)."
    )
    assert checks.controler_dates(Constats(EX)) == []


def test_lines_left_on_471_are_an_error():
    b = bilan({**SOLDES, "471": D("-20"), "512": D("1070")})
    [a] = checks.controler_attente(b, Constats(EX, attente=(ref("4", 3),)))
    assert (a.gravite, a.code) == (Gravite.ERREUR, "compte-attente-471")
    assert a.message == (
        "1 écriture encore sur le compte 471 (à ventiler), solde 20,00\u00a0€ : ventilez-les "
        "sur leurs vrais comptes avant le bilan — pièce 4 du 03/10/2025."
    )
    assert checks.controler_attente(bilan(), Constats(EX)) == []


def test_a_long_list_names_a_few_ecritures_and_counts_the_rest():
    refs = tuple(ref(str(n), 1) for n in range(1, 11))
    c = Constats(EX, attente=refs, totaux={"attente": 250})
    [a] = checks.controler_attente(bilan({**SOLDES, "471": D("-1"), "512": D("1051")}), c)
    assert a.message.startswith("250 écritures encore sur le compte 471")
    assert a.message.endswith("pièce 8 du 01/10/2025, et 242 autres.")
    assert len(a.pieces) == 10


def test_a_pièce_used_twice_is_an_error_and_a_gap_a_warning():
    c = Constats(
        EX,
        doublons=(Doublon("D3", (ref("D3", 2, "Car"), ref("D3", 4, "Musée"))),),
        trous=(Trou("D", 5, 5), Trou("D", 8, 10)),
        sans_piece=(ref(None, 6, "Versement espèces"),),
    )
    doublon, trou, sans = checks.controler_pieces(c)
    assert (doublon.gravite, doublon.code) == (Gravite.ERREUR, "piece-en-double")
    assert doublon.message == (
        "pièce D3 utilisée par 2 écritures : pièce D3 du 02/10/2025 « Car », "
        "pièce D3 du 04/10/2025 « Musée »."
    )
    assert (trou.gravite, trou.code) == (Gravite.AVERTISSEMENT, "piece-manquante")
    assert trou.message == (
        "4 numéros de pièce manquants dans la suite : D5, D8 à D10 (une pièce annulée "
        "garde son numéro : notez-la comme annulée)."
    )
    assert trou.pieces == ("D5", "D8", "D9", "D10")
    assert sans.code == "piece-manquante"
    assert sans.message == (
        "1 écriture sans numéro de pièce : écriture du 06/10/2025 « Versement espèces »."
    )
    assert checks.controler_pieces(Constats(EX)) == []


def test_pieces_used_twice_beyond_those_named_are_counted_in_one_more_error():
    c = Constats(
        EX,
        doublons=(Doublon("D3", (ref("D3", 2, "Car"), ref("D3", 4, "Musée"))),),
        totaux={"doublons": 1201},
    )
    nommee, autres = checks.controler_pieces(c)
    assert nommee.pieces == ("D3",)
    assert (autres.gravite, autres.code) == (Gravite.ERREUR, "piece-en-double")
    assert autres.message == (
        "et 1\u202f200 autres pièces utilisées par plusieurs écritures : "
        "chaque écriture a son propre numéro de pièce."
    )


def test_a_regie_not_back_to_zero_is_an_error():
    [a] = checks.controler_regies(bilan({**SOLDES, "5412": D("35"), "512": D("1015")}))
    assert (a.gravite, a.code) == (Gravite.ERREUR, "regie-non-soldee")
    assert a.message.startswith(
        "la régie 5412 (Régie d'avances, classe 2) a un solde de 35,00\u00a0€ : elle doit "
        "revenir à zéro avant la fin de l'exercice (31/08/2026)"
    )
    assert checks.controler_regies(bilan({**SOLDES, "5412": D("0")})) == []


def test_an_account_off_the_chart_is_an_error():
    b = bilan({**SOLDES, "6999": D("10"), "512": D("1040")})
    [a] = checks.controler_hors_plan(b, Constats(EX, hors_plan={"6999": (ref("9", 9),)}))
    assert (a.gravite, a.code) == (Gravite.ERREUR, "compte-hors-plan")
    assert a.message == (
        "compte 6999 absent du plan comptable (Plan comptable OCCE (défaut coopcompta)), "
        "utilisé par 1 écriture : pièce 9 du 09/10/2025."
    )
    assert checks.controler_hors_plan(bilan(), Constats(EX)) == []


def test_cheques_out_of_sequence_are_warnings():
    ruptures = (
        RuptureCheque("512", "ordre", ref("D9", 9), 1003, ref("D8", 8), 1005),
        RuptureCheque("512", "double", ref("D10", 9), 1005, ref("D8", 8), 1005),
        RuptureCheque("512", "trou", ref("D11", 12), 1009, ref("D8", 8), 1005),
    )
    ordre, double, trou = checks.controler_cheques(Constats(EX, cheques=ruptures))
    assert {a.gravite for a in (ordre, double, trou)} == {Gravite.AVERTISSEMENT}
    assert ordre.message == (
        "chèque n° 1003 (pièce D9 du 09/10/2025, compte 512) émis après le chèque n° 1005 "
        "(pièce D8 du 08/10/2025) : les numéros doivent suivre l'ordre des dates d'émission."
    )
    assert double.message == (
        "chèque n° 1005 (pièce D10 du 09/10/2025, compte 512) : numéro déjà utilisé "
        "(pièce D8 du 08/10/2025)."
    )
    assert trou.message == (
        "3 chèques manquants avant le chèque n° 1009 (pièce D11 du 12/10/2025, compte "
        "512), après le n° 1005 : un chèque annulé ou perdu se note aussi."
    )
    assert ordre.pieces == ("D9", "D8")
    assert checks.controler_cheques(Constats(EX)) == []


def test_cheque_ruptures_beyond_those_named_are_counted_in_one_more_warning():
    ruptures = (
        RuptureCheque("512", "ordre", ref("D9", 9), 1003, ref("D8", 8), 1005),
        RuptureCheque("5412", "trou", ref("D11", 12), 209, ref("D8", 8), 205),
    )
    totaux = {"cheques:512:ordre": 1200, "cheques:512:double": 1, "cheques:5412:trou": 1}
    trouvees = checks.controler_cheques(Constats(EX, cheques=ruptures, totaux=totaux))
    assert [a.comptes for a in trouvees] == [("512",), ("512",), ("5412",)]
    assert trouvees[1].gravite is Gravite.AVERTISSEMENT
    assert trouvees[1].message == (
        "et 1\u202f200 autres ruptures de la suite des chèques du compte 512 (en tout : "
        "1\u202f200 chèques émis après un numéro plus élevé, 1 numéro utilisé deux fois) : "
        "comparez les numéros avec les talons du chéquier."
    )


@pytest.mark.parametrize(
    "libelle",
    [
        "Salaire animatrice juin",
        "URSSAF 2e trimestre",
        "Contrat de maintenance photocopieur",
        "Manuels scolaires CM1",
        "Structure de jeux pour la cour",
        "Versement sur Livret A",
        "Remboursement du prêt",
    ],
)
def test_an_expense_a_coop_may_not_make_is_a_warning(libelle):
    [a] = checks.controler_depenses_interdites(
        Constats(EX, depenses_candidates=(ref("D4", 4, libelle),))
    )
    assert (a.gravite, a.code) == (Gravite.AVERTISSEMENT, "depense-interdite")
    assert a.message.startswith(f"pièce D4 du 04/10/2025 « {libelle} » : dépense qu'une")
    assert a.message.endswith("(à confirmer avec l'association départementale).")


@pytest.mark.parametrize(
    "libelle",
    ["Frais Crédit Agricole", "Interprète en langue des signes", "Travaux manuels", "Paiement CB"],
)
def test_ordinary_expenses_with_lookalike_words_are_not_flagged(libelle):
    c = Constats(EX, depenses_candidates=(ref("D4", 4, libelle),))
    assert checks.controler_depenses_interdites(c) == []


def test_errors_come_before_warnings():
    c = Constats(EX, trous=(Trou("", 2, 2),), hors_exercice=(ref("1"),))
    assert [a.gravite for a in verifier(bilan(), c)] == [Gravite.ERREUR, Gravite.AVERTISSEMENT]


def test_pièce_numbers_are_analysed_into_missing_ranges_and_duplicates():
    assert analyser_numeros([1, 2, 3]) == ([], [])
    assert analyser_numeros([3, 1, 2, 2, 6, 9]) == ([(4, 5), (7, 8)], [2])
    assert analyser_numeros([]) == ([], [])


def test_cheque_numbers_are_analysed_in_date_order():
    assert analyser_cheques([101, 102, 103]) == ([], {"ordre": 0, "double": 0, "trou": 0})
    assert analyser_cheques([101, 103, 102])[0] == [("ordre", 2, 1)]
    assert analyser_cheques([101, 102, 102])[0] == [("double", 2, 1)]
    assert analyser_cheques([101, 104])[0] == [("trou", 1, 0)]
    # A jump of more than 25 numbers is a new chéquier, not missing cheques.
    assert analyser_cheques([101, 2001, 2002])[0] == []
    # A gap is named by the first cheque of each number in date order.
    assert analyser_cheques([101, 104, 101, 104])[0] == [
        ("ordre", 2, 1),
        ("double", 3, 1),
        ("trou", 1, 0),
    ]


def test_a_messy_chequier_names_a_few_ruptures_of_each_kind_and_counts_the_rest():
    # Every other number skipped, each number written twice, two cheques cashed late.
    numeros = [n for n in range(1, 10_000, 2) for _ in (1, 2)] + [3, 5]
    ruptures, nombres = analyser_cheques(numeros, garder=2)
    assert nombres == {"ordre": 2, "double": 5000, "trou": 4999}
    assert ruptures == [
        ("double", 1, 0),
        ("double", 3, 2),
        ("ordre", 10_000, 9998),
        ("ordre", 10_001, 9998),
        ("trou", 2, 0),
        ("trou", 4, 2),
    ]


# -- the SQL facts, on small ledgers ------------------------------------------------------


@pytest.fixture
def annee():
    """The clean year of propre.csv in an in-memory ledger."""
    chargement = charger_journal(PROPRE, PLAN)
    yield chargement.ledger
    chargement.ledger.close()


def ecriture(jour: str, sens: Sens, montant: str, tresorerie: str, *lignes, **kw) -> Ecriture:
    j, m, a = (int(x) for x in jour.split("/"))
    return Ecriture(
        date=dt.date(a, m, j),
        sens=sens,
        libelle=kw.pop("libelle", "Achat"),
        montant=D(montant),
        tresorerie=tresorerie,
        ventilation=tuple(Ligne(c, D(x)) for c, x in lignes),
        exercice=EX.nom,
        **kw,
    )


def anomalies(ledger):
    return verifier_ledger(ledger, plan=PLAN).anomalies


def test_the_clean_journal_passes_every_check(annee):
    assert anomalies(annee) == ()


def test_an_ecriture_edited_outside_coop_breaks_the_balance_and_is_named(annee):
    (eid,) = annee.conn.execute("SELECT id FROM ecritures WHERE piece = '8'").fetchone()
    annee.conn.execute(
        "UPDATE lignes SET montant = montant + 1000 WHERE ecriture_id = ? AND compte = '6251'",
        [eid],
    )
    found = anomalies(annee)
    assert codes(found) == ["ventilation-desequilibree", "equilibre-bilan"]
    assert found[0].message == (
        "pièce 8 du 10/03/2026 : la ventilation ne correspond pas au montant — ses lignes ne "
        "s'équilibrent pas (écart 10,00\u00a0€)."
    )
    assert found[0].ecritures == (eid,)


def test_duplicate_and_missing_pieces_are_found_in_each_series(annee, monkeypatch):
    monkeypatch.setattr(sql, "BLOC", 3)  # gaps across several blocks
    annee.ajouter_plusieurs(
        [
            ecriture("01/07/2026", Sens.DEPENSE, "5", "53", ("6257", "5"), piece="D1"),
            ecriture("02/07/2026", Sens.DEPENSE, "5", "53", ("6257", "5"), piece="D2"),
            ecriture("03/07/2026", Sens.DEPENSE, "5", "53", ("6257", "5"), piece="D2"),
            ecriture("04/07/2026", Sens.DEPENSE, "5", "53", ("6257", "5"), piece="D9"),
            ecriture("05/07/2026", Sens.RECETTE, "5", "53", ("7088", "5"), piece="R2"),
            ecriture("06/07/2026", Sens.RECETTE, "5", "53", ("7088", "5"), piece="Facture EDF"),
            ecriture("07/07/2026", Sens.RECETTE, "5", "53", ("7088", "5"), piece="Facture EDF"),
        ]
    )
    annee.conn.execute("DELETE FROM lignes WHERE ecriture_id IN "
                       "(SELECT id FROM ecritures WHERE piece IN ('6', '7'))")  # fmt: skip
    annee.conn.execute("DELETE FROM ecritures WHERE piece IN ('6', '7')")
    found = anomalies(annee)
    assert codes(found) == ["piece-en-double", "piece-en-double", "piece-manquante"]
    assert [a.pieces for a in found] == [
        ("D2",),
        ("Facture EDF",),
        ("6", "7", "D3", "D4", "D5", "D6", "D7", "D8", "R1"),
    ]
    assert found[2].message.startswith(
        "9 numéros de pièce manquants dans la suite : 6 à 7, D3 à D8, R1 "
    )


def test_a_ledger_full_of_duplicate_pieces_names_a_few_and_still_finds_the_one_gap(
    annee, monkeypatch
):
    monkeypatch.setattr(sql, "BLOC", 7)
    monkeypatch.setattr(sql, "DOUBLONS_MAX", 2)
    # D1…D40 each written twice, D41 missing, D42 once: the duplicates must not hide the gap.
    annee.ajouter_plusieurs(
        [
            ecriture("01/07/2026", Sens.DEPENSE, "5", "53", ("6257", "5"), piece=f"D{n}")
            for n in [*range(1, 41), *range(1, 41), 42]
        ]
    )
    found = [a for a in anomalies(annee) if a.code.startswith("piece-")]
    assert [a.pieces for a in found] == [("D1",), ("D10",), (), ("D41",)]
    assert found[2].message.startswith("et 38 autres pièces utilisées par plusieurs écritures")
    assert found[3].message.startswith("1 numéro de pièce manquant dans la suite : D41 ")


MANQUANTES_FIN = " (une pièce annulée garde son numéro : notez-la comme annulée)."
SAUT_FIN = (
    " : une autre numérotation ou une faute de frappe ? Gardez une seule suite de numéros "
    "par exercice (corrigez la pièce par une contre-passation)."
)


def test_a_jump_to_another_numbering_is_one_warning_naming_both_pièces(annee):
    # 999999999 used to make the check count a billion numbers; 2025001 two million.
    annee.ajouter_plusieurs(
        [
            ecriture("01/07/2026", Sens.DEPENSE, "5", "53", ("6257", "5"), piece="2025001"),
            ecriture("02/07/2026", Sens.DEPENSE, "5", "53", ("6257", "5"), piece="2025003"),
            ecriture("03/07/2026", Sens.DEPENSE, "5", "53", ("6257", "5"), piece="999999999"),
        ]
    )
    found = anomalies(annee)
    assert [(a.code, a.message, a.pieces) for a in found] == [
        (
            "piece-manquante",
            "1 numéro de pièce manquant dans la suite : 2025002" + MANQUANTES_FIN,
            ("2025002",),
        ),
        (
            "piece-manquante",
            "la numérotation des pièces saute de la pièce 19 à la pièce 2025001 "
            "(2\u202f024\u202f981 numéros sautés)" + SAUT_FIN,
            ("19", "2025001"),
        ),
        (
            "piece-manquante",
            "la numérotation des pièces saute de la pièce 2025003 à la pièce 999999999 "
            "(997\u202f974\u202f995 numéros sautés)" + SAUT_FIN,
            ("2025003", "999999999"),
        ),
    ]


def test_a_series_starting_far_from_1_is_a_jump_from_the_start():
    chargement = charger_journal(PROPRE, PLAN)
    with chargement.ledger as ledger:
        ledger.conn.execute("UPDATE ecritures SET piece = 'R' || (2025000 + piece_num),"
                            " piece_num = 2025000 + piece_num WHERE piece IS NOT NULL")  # fmt: skip
        [a] = anomalies(ledger)
    assert a.message == (
        "la numérotation des pièces commence à la pièce R2025001 au lieu de R1 "
        "(2\u202f025\u202f000 numéros sautés)" + SAUT_FIN
    )


def test_many_gaps_are_listed_as_a_few_ranges_with_the_real_counts(annee, monkeypatch):
    monkeypatch.setattr(sql, "BLOC", 4)
    monkeypatch.setattr(sql, "TROUS_MAX", 5)  # storage keeps 5 ranges, counts them all
    annee.ajouter_plusieurs(
        ecriture("01/07/2026", Sens.DEPENSE, "1", "53", ("6257", "1"), piece=str(n))
        for n in range(21, 62, 2)
    )
    [a] = anomalies(annee)
    assert a.message == (
        "21 numéros de pièce manquants dans la suite : 20, 22, 24, 26, 28, "
        "et 16 autres plages" + MANQUANTES_FIN
    )
    assert a.pieces == ("20", "22", "24", "26", "28")


def test_a_cash_box_below_zero_at_the_end_of_a_day_is_a_warning(annee):
    # propre.csv holds 24,50 € in cash from December; 500,00 € are taken to the bank.
    annee.ajouter(ecriture("12/03/2026", Sens.VIREMENT, "500", "53", contrepartie="512",
                           piece="20"))  # fmt: skip
    [a] = anomalies(annee)
    assert (a.gravite, a.code) == (Gravite.AVERTISSEMENT, "caisse-negative")
    assert a.message == (
        "la caisse (53) est négative le 12/03/2026 : -475,50\u00a0€ ; une caisse ne peut pas "
        "contenir moins que rien — une recette en espèces oubliée ?"
    )


def test_the_order_of_a_day_s_cash_movements_does_not_matter(annee):
    # 43,50 € in cash on 1 July: 100,00 € spent before the takings are typed, same day.
    annee.ajouter_plusieurs(
        [
            ecriture("01/07/2026", Sens.DEPENSE, "100", "53", ("6257", "100"), piece="20"),
            ecriture("01/07/2026", Sens.RECETTE, "100", "53", ("7088", "100"), piece="21"),
            # A régie advanced and spent the next day stays at zero.
            ecriture("02/07/2026", Sens.VIREMENT, "30", "512", contrepartie="5412", piece="22"),
            ecriture("03/07/2026", Sens.DEPENSE, "30", "5412", ("6068", "30"), piece="23"),
        ]
    )
    assert anomalies(annee) == ()


def test_a_regie_and_the_cash_box_are_followed_each_on_its_own(annee):
    annee.ajouter_plusieurs(
        [
            ecriture("02/07/2026", Sens.VIREMENT, "30", "53", contrepartie="5412", piece="20"),
            ecriture("03/07/2026", Sens.DEPENSE, "45", "5412", ("6068", "45"), piece="21"),
            ecriture("04/07/2026", Sens.RECETTE, "15", "5412", ("7088", "15"), piece="22"),
        ]
    )
    found = [a for a in anomalies(annee) if a.code == "caisse-negative"]
    assert [a.message.split(" ; ")[0] for a in found] == [
        "la régie (5412) est négative le 03/07/2026 : -15,00\u00a0€"
    ]


def test_a_regie_spending_more_than_its_advance_names_its_lowest_balance():
    c = Constats(
        EX,
        caisses_negatives=(
            CaisseNegative("5412", dt.date(2026, 4, 3), D("-5"), dt.date(2026, 4, 9), D("-45")),
        ),
    )
    [a] = checks.controler_caisses(c)
    assert a.message == (
        "la régie (5412) est négative le 03/04/2026 : -5,00\u00a0€ (au plus bas -45,00\u00a0€ "
        "le 09/04/2026) ; une caisse ne peut pas contenir moins que rien — une recette en "
        "espèces oubliée ?"
    )
    assert checks.comptes_de_caisse(PLAN)[:2] == ["53", "5411"]


def test_an_ecriture_without_piece_is_reported_but_not_an_opening(annee):
    annee.ajouter(ecriture("01/07/2026", Sens.VIREMENT, "10", "53", contrepartie="512"))
    [a] = anomalies(annee)
    assert a.code == "piece-manquante"
    assert a.message == "1 écriture sans numéro de pièce : écriture du 01/07/2026 « Achat »."


def test_cheques_written_by_virement_count_in_the_sequence(annee):
    cheque = {"mode": "cheque"}
    annee.ajouter_plusieurs(
        [
            # 1000004 advances a régie, 1000005 pays: no gap, the régie comes back to zero.
            ecriture("01/07/2026", Sens.VIREMENT, "20", "512", contrepartie="5412", piece="20",
                     cheque="1000004", **cheque),
            ecriture("02/07/2026", Sens.DEPENSE, "20", "5412", ("6068", "20"), piece="21"),
            ecriture("03/07/2026", Sens.DEPENSE, "9", "512", ("6183", "9"), piece="22",
                     cheque="1000005", **cheque),
            # A family's cheque received is not in the coop's sequence.
            ecriture("04/07/2026", Sens.RECETTE, "9", "512", ("7068", "9"), piece="23",
                     cheque="5551234", **cheque),
        ]
    )  # fmt: skip
    assert anomalies(annee) == ()


def test_a_cheque_missing_or_written_out_of_order_is_found(annee):
    cheque = {"mode": "cheque"}
    annee.ajouter_plusieurs(
        [
            ecriture("01/07/2026", Sens.DEPENSE, "9", "512", ("6183", "9"), piece="20",
                     cheque="1000006", **cheque),
            ecriture("02/07/2026", Sens.DEPENSE, "9", "512", ("6183", "9"), piece="21",
                     cheque="1000005", **cheque),
        ]
    )  # fmt: skip
    found = anomalies(annee)
    assert codes(found) == ["cheque-hors-sequence", "cheque-hors-sequence"]
    assert found[0].message.startswith("chèque n° 1000005 (pièce 21 du 02/07/2026, compte 512)")
    assert found[1].message.startswith("1 chèque manquant avant le chèque n° 1000005")


def test_an_imported_chequier_in_disorder_gives_a_bounded_report(annee):
    cheque = {"mode": "cheque"}
    annee.ajouter_plusieurs(
        [
            ecriture(f"{dt.date(2026, 7, 1) + dt.timedelta(days=k):%d/%m/%Y}", Sens.DEPENSE,
                     "9", "512", ("6183", "9"), piece=str(20 + k),
                     cheque=str(1_000_300 - 2 * k), **cheque)
            for k in range(60)
        ]
        + [
            # Numbers that are not numbers are not in the sequence.
            ecriture("02/07/2026", Sens.DEPENSE, "9", "512", ("6183", "9"), piece="80",
                     cheque="A1000301", **cheque),
        ]
    )  # fmt: skip
    found = anomalies(annee)
    assert codes(found) == ["cheque-hors-sequence"] * (2 * checks.CHEQUES_CITES + 1)
    assert found[-1].message.startswith(
        "et 108 autres ruptures de la suite des chèques du compte 512 (en tout : "
        "59 chèques émis après un numéro plus élevé, 59 trous dans la suite)"
    )


def test_471_a_regie_and_an_account_off_the_chart_are_found(annee):
    annee.ajouter_plusieurs(
        [
            ecriture("01/07/2026", Sens.DEPENSE, "12", "512", ("471", "12"), piece="20"),
            ecriture("02/07/2026", Sens.VIREMENT, "30", "512", contrepartie="5413", piece="21"),
            ecriture("03/07/2026", Sens.DEPENSE, "8", "512", ("6999", "8"), piece="22"),
        ]
    )
    found = anomalies(annee)
    assert codes(found) == ["compte-attente-471", "regie-non-soldee", "compte-hors-plan"]
    assert found[0].pieces == ("20",)
    assert found[2].pieces == ("22",)


def test_a_corrected_ecriture_on_471_is_no_longer_reported(annee):
    [eid] = annee.ajouter_plusieurs(
        [ecriture("01/07/2026", Sens.DEPENSE, "12", "512", ("471", "12"), piece="20")]
    )
    annee.ajouter_plusieurs(
        [
            ecriture("02/07/2026", Sens.DEPENSE, "-12", "512", ("471", "-12"), piece="21",
                     annule=eid),
            ecriture("02/07/2026", Sens.DEPENSE, "12", "512", ("6183", "12"), piece="22"),
        ]
    )  # fmt: skip
    assert anomalies(annee) == ()


def test_a_forbidden_expense_is_found_unless_cancelled(annee):
    [eid] = annee.ajouter_plusieurs(
        [ecriture("01/07/2026", Sens.DEPENSE, "90", "512", ("6068", "90"), piece="20",
                  libelle="Contrat photocopieur")]
    )  # fmt: skip
    [a] = anomalies(annee)
    assert (a.code, a.pieces) == ("depense-interdite", ("20",))
    annee.ajouter(
        ecriture("02/07/2026", Sens.DEPENSE, "-90", "512", ("6068", "-90"), piece="21",
                 libelle="Annulation pièce 20", annule=eid)
    )  # fmt: skip
    assert anomalies(annee) == ()


def test_many_ecritures_on_one_account_are_counted_not_all_named(annee, monkeypatch):
    monkeypatch.setattr(sql, "REFS_MAX", 2)
    annee.ajouter_plusieurs(
        ecriture("01/07/2026", Sens.DEPENSE, "1", "53", ("471", "1"), piece=str(20 + n))
        for n in range(10)
    )
    [a] = anomalies(annee)
    assert a.message.startswith("10 écritures encore sur le compte 471")
    assert len(a.pieces) == 2


def test_a_ledger_broken_everywhere_names_a_few_of_each_and_counts_the_rest(annee, monkeypatch):
    """Bounded output whatever the ledger: each check names its first écritures (by date),
    one more anomaly counts the others, and the facts kept in memory stay bounded too."""
    monkeypatch.setattr(sql, "REFS_MAX", 3)
    monkeypatch.setattr(checks, "NOMMEES_MAX", 2)
    n = 12
    annee.ajouter_plusieurs(
        ecriture(f"{1 + k:02d}/07/2026", Sens.DEPENSE, "9", "512", ("6068", "9"),
                 piece=f"{40 + k}", libelle=f"Contrat photocopieur {k}")
        for k in range(n)
    )  # fmt: skip
    contrats = "(SELECT id FROM ecritures WHERE libelle LIKE 'Contrat%')"
    for sql_ in (
        "UPDATE ecritures SET date = '2026-09-02' WHERE piece = '8'",
        f"UPDATE ecritures SET date = '2027-01-15', piece = NULL WHERE id IN {contrats}",
        f"UPDATE lignes SET montant = montant + 1 WHERE ecriture_id IN {contrats}",
    ):
        annee.conn.execute(sql_)
    constats = sql.constater(annee, charger_bilan(annee, EX.nom, PLAN), PLAN)
    for faits in ("hors_exercice", "desequilibres", "sans_piece", "depenses_candidates"):
        assert len(getattr(constats, faits)) == 3, faits
    trouvees = anomalies(annee)
    par_code: dict[str, list[str]] = {}
    for a in trouvees:
        par_code.setdefault(a.code, []).append(a.message)
    assert par_code["date-hors-exercice"][2] == (
        "et 11 autres écritures datées hors de l'exercice 2025-2026 (du 01/09/2025 au 31/08/2026)."
    )
    assert len(par_code["date-hors-exercice"]) == 3
    assert par_code["ventilation-desequilibree"][2].startswith(
        f"et {n - 2} autres écritures dont la ventilation ne correspond pas au montant"
    )
    assert par_code["depense-interdite"][2].startswith(
        f"et {n - 2} autres dépenses qu'une coopérative ne fait pas normalement"
    )
    [sans] = [m for m in par_code["piece-manquante"] if "sans numéro" in m]
    assert sans.startswith(f"{n} écritures sans numéro de pièce : ")
    assert sans.endswith(f"et {n - 3} autres.")
    assert sum(len(a.ecritures) for a in trouvees) < 30


def test_a_piece_used_by_many_ecritures_names_the_first_and_counts_them_all(annee, monkeypatch):
    monkeypatch.setattr(sql, "REFS_MAX", 3)
    annee.ajouter_plusieurs(
        ecriture(f"{10 - k:02d}/07/2026", Sens.DEPENSE, "5", "53", ("6257", "5"), piece="D1")
        for k in range(9)
    )
    [a] = [a for a in anomalies(annee) if a.code == "piece-en-double"]
    assert a.message.startswith(
        "pièce D1 utilisée par 9 écritures : pièce D1 du 02/07/2026 « Achat », "
        "pièce D1 du 03/07/2026 « Achat », pièce D1 du 04/07/2026 « Achat », et 6 autres."
    )
    assert len(a.ecritures) == 3


# -- journal CSVs --------------------------------------------------------------------------


def test_a_journal_total_that_differs_from_its_lines_is_reported_with_its_line():
    v = verifier_journal(JOURNAUX / "total_faux.csv", PLAN)
    [a] = v.anomalies
    assert a.code == "ventilation-desequilibree"
    assert a.message == (
        "pièce 8 du 10/03/2026 (total_faux.csv:13) : la ventilation ne correspond pas au "
        "montant — total annoncé 310,00\u00a0€, somme des lignes 300,00\u00a0€ (écart "
        "10,00\u00a0€)."
    )
    assert a.ecritures == ()  # ids of a throw-away ledger would mean nothing


def test_a_journal_line_dated_outside_the_exercice_is_reported(tmp_path):
    texte = PROPRE.read_text(encoding="utf-8").replace("30/06/2026;19;", "02/09/2026;19;")
    fichier = tmp_path / "journal.csv"
    fichier.write_text(texte, encoding="utf-8")
    v = verifier_journal(fichier, PLAN)
    assert v.exercice.nom == "2025-2026"  # the exercice its ouvertures open
    [a] = v.anomalies
    assert a.code == "date-hors-exercice"
    assert a.message.startswith("pièce 19 du 02/09/2026 (journal.csv:25) : date hors")


def test_a_journal_exceptional_balance_far_from_zero_is_an_error():
    [a] = verifier_journal(JOURNAUX / "exceptionnel.csv", PLAN).anomalies
    assert a.code == "exceptionnel-hors-tolerance"
    assert a.pieces == ("7", "15", "16")
