"""The year-end statements: a small year computed by hand, and the équilibre of any year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopcompta.domain.model import Ecriture, Exercice, Ligne, Nature, Sens
from coopcompta.domain.reports import calculer_bilan
from coopcompta.domain.tolerance import Tolerance
from coopcompta.importers.plan import charger_plan
from coopcompta.storage.verifications import ledger_en_memoire
from coopcompta.usecases.bilan import charger_bilan

EX = Exercice.depuis_nom("2025-2026")
PLAN = charger_plan(None)
D = Decimal


def ecriture(jour: str, sens: Sens, montant: str, tresorerie: str, *lignes, **kw) -> Ecriture:
    """`lignes` are (compte, montant) or (compte, montant, classe); a virement names its
    destination with contrepartie=."""
    j, m, a = (int(x) for x in jour.split("/"))
    return Ecriture(
        date=dt.date(a, m, j),
        sens=sens,
        libelle=kw.pop("libelle", "écriture"),
        montant=D(montant),
        tresorerie=tresorerie,
        ventilation=tuple(Ligne(c, D(x), *rest) for c, x, *rest in lignes),
        exercice=EX.nom,
        **kw,
    )


R, DEP, V, OUV = Sens.RECETTE, Sens.DEPENSE, Sens.VIREMENT, Sens.OUVERTURE

# The school year of tests/data/journaux/propre.csv, written as écritures.
ANNEE = [
    ecriture("01/09/2025", OUV, "1500.00", "512"),
    ecriture("01/09/2025", OUV, "80.00", "53"),
    ecriture("15/09/2025", DEP, "100.00", "512", ("62810008", "80.00"), ("61681008", "20.00"),
             piece="1", mode="cheque", cheque="1000001"),
    ecriture("22/09/2025", R, "500.00", "512", ("75620008", "450.00"), ("7070", "50.00", "CP"),
             piece="2"),
    ecriture("10/10/2025", DEP, "40.00", "512", ("6070", "40.00", "CP"), piece="3",
             mode="cheque", cheque="1000002"),
    ecriture("05/11/2025", R, "30.00", "53", ("7070", "30.00", "CE1"), piece="4"),
    ecriture("12/11/2025", V, "60.00", "53", contrepartie="512", piece="5"),
    ecriture("01/12/2025", DEP, "25.50", "53", ("6257", "25.50"), piece="6"),
    ecriture("15/01/2026", R, "300.00", "512", ("7440", "300.00"), piece="7"),
    ecriture("10/03/2026", DEP, "300.00", "512", ("6251", "180.00", "CM2"),
             ("6241", "120.00", "CM2"), piece="8", mode="cheque", cheque="1000003"),
    ecriture("20/03/2026", R, "90.00", "517", ("7068", "90.00", "CM2"), piece="9"),
    ecriture("20/03/2026", DEP, "1.87", "517", ("627", "1.87"), piece="10"),
    ecriture("25/03/2026", V, "88.13", "517", contrepartie="512", piece="11"),
    ecriture("02/04/2026", V, "50.00", "512", contrepartie="5411", piece="12"),
    ecriture("03/04/2026", DEP, "45.00", "5411", ("6068", "45.00", "CP"), piece="13"),
    ecriture("10/04/2026", V, "5.00", "5411", contrepartie="512", piece="14"),
    ecriture("10/05/2026", R, "12.00", "53", ("771", "12.00"), piece="15"),
    ecriture("11/05/2026", DEP, "3.00", "53", ("671", "3.00"), piece="16"),
    ecriture("15/06/2026", R, "210.00", "53", ("7088", "210.00"), piece="17"),
    ecriture("16/06/2026", V, "200.00", "53", contrepartie="512", piece="18"),
    ecriture("30/06/2026", DEP, "4.50", "512", ("627", "4.50"), piece="19"),
]  # fmt: skip


@pytest.fixture
def annee():
    ledger = ledger_en_memoire(EX)
    ledger.ajouter_plusieurs(ANNEE)
    yield ledger
    ledger.close()


def test_the_hand_computed_year_matches_every_figure_of_the_bilan(annee):
    b = charger_bilan(annee, plan=PLAN)
    f, s, x = b.fonctionnement, b.simplifie, b.exceptionnel
    assert f.comptes_depenses() == {
        "6070": D("40.00"),
        "6068": D("45.00"),
        "6241": D("120.00"),
        "6251": D("180.00"),
        "6257": D("25.50"),
        "62810008": D("80.00"),
        "61681008": D("20.00"),
        "627": D("6.37"),
        "671": D("3.00"),
    }
    assert f.comptes_recettes() == {
        "7070": D("80.00"),
        "75620008": D("450.00"),
        "7068": D("90.00"),
        "7088": D("210.00"),
        "7440": D("300.00"),
        "771": D("12.00"),
    }
    assert [(r.nom, r.total) for r in f.depenses] == [
        ("Achats pour revente", D("40.00")),
        ("Charges des activités éducatives", D("370.50")),
        ("Cotisations et assurances", D("100.00")),
        ("Services bancaires", D("6.37")),
        ("Charges exceptionnelles", D("3.00")),
    ]
    assert [(r.nom, r.total) for r in f.recettes] == [
        ("Ventes", D("80.00")),
        ("Participation des familles", D("540.00")),
        ("Manifestations", D("210.00")),
        ("Subventions", D("300.00")),
        ("Produits exceptionnels", D("12.00")),
    ]
    assert f.total_depenses == D("519.87")
    assert f.total_recettes == D("1142.00")
    assert f.resultat == D("622.13")

    assert s.report_a_nouveau == D("1580.00")
    assert s.resultat == D("622.13")
    assert s.a_ventiler == D("0.00")
    assert s.autres == ()
    assert s.passif == D("2202.13")
    assert [(t.numero, t.montant) for t in s.tresorerie] == [
        ("512", D("2158.63")),
        ("517", D("0.00")),
        ("53", D("43.50")),
        ("5411", D("0.00")),
    ]
    assert s.total_tresorerie == D("2202.13")
    assert s.ecart == D("0.00")
    assert s.equilibre is True

    assert (x.charges, x.produits, x.solde) == (D("3.00"), D("12.00"), D("9.00"))
    assert x.part_recettes == D("0.0079")  # 9 / 1142
    assert x.tolerance == D("50.00")  # 1 % of 1 142 € is less than 50 €
    assert x.ok is True
    assert [c.numero for c in x.comptes] == ["671", "771"]

    assert [(t.classe, t.depenses, t.recettes, t.solde) for t in b.classes] == [
        ("CE1", D("0.00"), D("30.00"), D("30.00")),
        ("CM2", D("300.00"), D("90.00"), D("-210.00")),
        ("CP", D("85.00"), D("50.00"), D("-35.00")),
    ]
    assert b.hors_plan == ()


def test_the_json_document_gives_amounts_as_point_strings(annee):
    doc = charger_bilan(annee, plan=PLAN).vers_json()
    assert doc["exercice"] == "2025-2026"
    assert doc["depenses"]["627"] == "6.37"
    assert doc["recettes"]["7440"] == "300.00"
    assert doc["total_depenses"] == "519.87"
    assert doc["total_recettes"] == "1142.00"
    assert doc["resultat"] == "622.13"
    assert doc["report_a_nouveau"] == "1580.00"
    assert doc["tresorerie"] == {"512": "2158.63", "517": "0.00", "53": "43.50", "5411": "0.00"}
    assert doc["equilibre"] is True
    assert doc["exceptionnel"] == {
        "charges": "3.00",
        "produits": "12.00",
        "solde": "9.00",
        "part_recettes_pourcent": "0.79",
        "tolerance": "50.00",
        "tolerance_euros": "50.00",
        "tolerance_pourcent": "1.00",
        "ok": True,
        "verdict": "Solde exceptionnel de 9,00\u00a0€ (0,79 % des recettes), dans la tolérance de "
        "50,00\u00a0€ : proche de zéro, conforme à la règle de l'OCCE.",
    }
    assert doc["classes"]["CM2"] == {"depenses": "300.00", "recettes": "90.00", "solde": "-210.00"}


def test_a_contre_passation_takes_the_cancelled_amount_out_of_its_account(annee):
    [eid] = annee.ajouter_plusieurs(
        [ecriture("01/07/2026", DEP, "10.00", "512", ("6183", "10.00"), piece="20")]
    )
    annee.ajouter(
        ecriture("02/07/2026", DEP, "-10.00", "512", ("6183", "-10.00"), piece="21", annule=eid)
    )
    b = charger_bilan(annee, plan=PLAN)
    assert "6183" not in b.fonctionnement.comptes_depenses()  # back to zero: not shown
    assert b.fonctionnement.total_depenses == D("519.87")
    assert b.simplifie.equilibre


# -- pure classification ------------------------------------------------------------------


def test_an_account_off_the_chart_is_shown_by_its_class_digit_and_listed():
    soldes = {"512": D("900"), "110": D("-1000"), "6999": D("100"), "7999": D("-0.00")}
    b = calculer_bilan(EX, soldes, PLAN)
    assert b.hors_plan == ("6999", "7999")
    [rubrique] = [r for r in b.fonctionnement.depenses if r.nom == "Comptes hors plan"]
    [ligne] = rubrique.comptes
    assert (ligne.numero, ligne.libelle, ligne.montant, ligne.hors_plan) == (
        "6999",
        "compte hors plan",
        D("100"),
        True,
    )
    assert b.fonctionnement.comptes_recettes() == {}  # zero: listed off the chart, not shown
    assert b.simplifie.equilibre


def test_an_alias_stored_in_the_ledger_is_merged_into_its_account():
    soldes = {"6281": D("80"), "62810008": D("20"), "512": D("-100")}
    b = calculer_bilan(EX, soldes, PLAN)
    assert b.fonctionnement.comptes_depenses() == {"62810008": D("100")}
    assert b.hors_plan == ()


def test_lines_left_on_471_are_their_own_term_so_the_equation_holds_and_shows_them():
    # A 30 € expense and a 100 € receipt not yet classified, a 50 € classified receipt.
    soldes = {"512": D("1120"), "110": D("-1000"), "471": D("-70"), "7088": D("-50")}
    s = calculer_bilan(EX, soldes, PLAN).simplifie
    assert s.a_ventiler == D("70")
    assert s.resultat == D("50")
    assert s.passif == s.total_tresorerie == D("1120")
    assert s.equilibre


def test_a_ledger_whose_lines_do_not_balance_breaks_the_equilibre():
    soldes = {"512": D("1010"), "110": D("-1000")}
    s = calculer_bilan(EX, soldes, PLAN).simplifie
    assert not s.equilibre
    assert s.ecart == D("-10")


@pytest.mark.parametrize(
    ("recettes", "solde", "tolerance", "ok"),
    [
        ("1000", "50.00", "50.00", True),  # 1 % is 10 €: the 50 € floor applies
        ("1000", "50.01", "50.00", False),
        ("20000", "-200.00", "200.00", True),  # 1 % of 20 000 €
        ("20000", "-200.01", "200.00", False),
    ],
)
def test_the_exceptional_tolerance_is_the_larger_of_50_euros_and_1_percent(
    recettes, solde, tolerance, ok
):
    solde = D(solde)
    charges = max(-solde, D(0))
    produits = max(solde, D(0))
    ordinaires = D(recettes) - produits
    soldes = {
        "7088": -ordinaires,
        "771": -produits,
        "671": charges,
        "512": ordinaires + produits - charges,
    }
    x = calculer_bilan(EX, soldes, PLAN).exceptionnel
    assert x.solde == solde
    assert x.tolerance == D(tolerance)
    assert x.ok is ok
    assert "Les charges et produits exceptionnels sont" in x.explication
    assert ("conforme à la règle de l'OCCE" in x.verdict) is ok


def test_a_tolerance_given_by_the_user_replaces_the_defaults():
    soldes = {"7088": D("-1000"), "771": D("-30"), "512": D("1030")}
    regle = Tolerance(euros=D("20"), part=D("0.02"))
    x = calculer_bilan(EX, soldes, PLAN, tolerance=regle).exceptionnel
    assert x.tolerance == D("20.60")  # 2 % of 1 030 €
    assert not x.ok
    assert "de plus que la tolérance de 20,60\u00a0€" in x.verdict


def test_a_year_without_exceptional_accounts_says_so():
    x = calculer_bilan(EX, {"7088": D("-10"), "53": D("10")}, PLAN).exceptionnel
    assert x.ok and x.solde == 0
    assert x.verdict == (
        "Aucune charge ni aucun produit exceptionnel : conforme à la règle de l'OCCE."
    )


# -- any balanced year balances ----------------------------------------------------------

CHARGES = [c.numero for c in PLAN.par_nature(Nature.CHARGE)]
PRODUITS = [c.numero for c in PLAN.par_nature(Nature.PRODUIT)]
TRESORERIE = [c.numero for c in PLAN.par_nature(Nature.TRESORERIE)]
montants = st.integers(min_value=1, max_value=500_000).map(lambda c: D(c) / 100)
jours = st.integers(min_value=0, max_value=364).map(lambda n: EX.debut + dt.timedelta(days=n))
classes = st.sampled_from([None, None, "CP", "CE1", "Voyage"])


@st.composite
def ecritures(draw):
    sens = draw(st.sampled_from([R, DEP, V, OUV]))
    tresorerie = draw(st.sampled_from(TRESORERIE))
    if sens is V:
        autre = draw(st.sampled_from([t for t in TRESORERIE if t != tresorerie]))
        return Ecriture(draw(jours), V, "v", draw(montants), tresorerie, contrepartie=autre,
                        exercice=EX.nom)  # fmt: skip
    if sens is OUV:
        return Ecriture(EX.debut, OUV, "o", draw(montants), tresorerie, exercice=EX.nom)
    comptes = CHARGES if sens is DEP else PRODUITS
    comptes = [*comptes, "471"]
    lignes = draw(
        st.lists(st.tuples(st.sampled_from(comptes), montants, classes), min_size=1, max_size=4)
    )
    ventilation = tuple(Ligne(c, m, k) for c, m, k in lignes)
    total = sum((lg.montant for lg in ventilation), D(0))
    return Ecriture(draw(jours), sens, "e", total, tresorerie, ventilation, exercice=EX.nom)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ecritures(), max_size=25))
def test_any_set_of_balanced_ecritures_gives_a_balanced_bilan(lot):
    with ledger_en_memoire(EX) as ledger:
        ledger.ajouter_plusieurs(lot)
        b = charger_bilan(ledger, plan=PLAN)
    f, s = b.fonctionnement, b.simplifie
    recettes = sum(
        (lg.montant for e in lot if e.sens is R for lg in e.ventilation if lg.compte != "471"),
        D(0),
    )
    depenses = sum(
        (lg.montant for e in lot if e.sens is DEP for lg in e.ventilation if lg.compte != "471"),
        D(0),
    )
    ouvertures = sum((e.montant for e in lot if e.sens is OUV), D(0))
    assert f.total_recettes == recettes
    assert f.total_depenses == depenses
    assert f.resultat == recettes - depenses
    assert s.report_a_nouveau == ouvertures
    assert s.equilibre, s
    assert s.report_a_nouveau + f.resultat + s.a_ventiler == s.total_tresorerie
    assert sum((t.solde for t in b.classes), D(0)) == sum(
        (
            (lg.montant if e.sens is R else -lg.montant)
            for e in lot
            for lg in e.ventilation
            if lg.classe and lg.compte != "471"
        ),
        D(0),
    )
