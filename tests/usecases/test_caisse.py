"""The livre de caisse, the arrêté de caisse, and the caisse that never goes below zero."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from coopcompta.domain.errors import CoopComptaError
from coopcompta.domain.model import Ecriture, Ligne, Sens
from coopcompta.importers.plan import charger_plan
from coopcompta.storage import Ledger
from coopcompta.usecases.caisse import arreter, arretes, livres
from coopcompta.usecases.saisie import enregistrer_ecriture

PLAN = charger_plan(None)
COMPTAGE_JUSTE = ["20=2", "5=1", "2=2", "1=1", "0,20=2", "5c=1"]  # 50,45 €


def test_the_cash_book_runs_from_the_opening_to_the_closing_balance(annee: Ledger) -> None:
    caisse, regie = livres(annee, plan=PLAN)
    assert (caisse.compte, caisse.ouverture, caisse.cloture) == (
        "53",
        Decimal("62.30"),
        Decimal("50.45"),
    )
    assert caisse.mouvements[-1].solde == caisse.cloture
    assert caisse.minimum >= 0
    assert (regie.compte, regie.ouverture, regie.entrees, regie.cloture) == (
        "5411",
        Decimal("0.00"),
        Decimal("100.00"),
        Decimal("0.00"),
    )


def test_a_count_equal_to_the_books_shows_no_difference(annee: Ledger) -> None:
    a = arreter(annee, COMPTAGE_JUSTE, "Mme Martin")
    assert (a.date, a.total, a.ecart) == (dt.date(2026, 8, 31), Decimal("50.45"), 0)
    (etat,) = arretes(annee, "2025-2026")
    assert etat.arrete.par == "Mme Martin" and etat.ecart_actuel == 0


def test_a_count_with_a_difference_shows_it_until_an_ecriture_explains_it(annee: Ledger) -> None:
    a = arreter(annee, ["20=2", "5=1", "2=2"], "Mme Martin")
    assert a.ecart == Decimal("-1.45")
    enregistrer_ecriture(
        annee,
        Ecriture(
            date=dt.date(2026, 8, 31),
            sens=Sens.DEPENSE,
            libelle="Erreur de caisse constatée à l'arrêté",
            montant=Decimal("1.45"),
            tresorerie="53",
            ventilation=(Ligne("671", Decimal("1.45")),),
        ),
    )
    (etat,) = arretes(annee, "2025-2026")
    assert etat.ecart_actuel == 0


@pytest.mark.parametrize(
    ("comptage", "message"),
    [
        (["20=-1"], "nombre négatif"),
        (["20=1,5"], "nombre non entier"),
        (["3=1"], "ni un billet ni une pièce"),
        (["vingt"], "comptage illisible"),
    ],
)
def test_a_bad_count_is_refused_and_nothing_is_kept(
    annee: Ledger, comptage: list[str], message: str
) -> None:
    with pytest.raises(CoopComptaError, match=message):
        arreter(annee, comptage, "Mme Martin")
    assert arretes(annee, "2025-2026") == []


def test_an_expense_that_would_take_the_cash_below_zero_is_refused(annee: Ledger) -> None:
    trop = Ecriture(
        date=dt.date(2026, 8, 20),
        sens=Sens.DEPENSE,
        libelle="Goûter",
        montant=Decimal("60.00"),
        tresorerie="53",
        ventilation=(Ligne("6257", Decimal("60.00")),),
    )
    with pytest.raises(CoopComptaError, match="passerait à -9,55"):
        enregistrer_ecriture(annee, trop)
    assert livres(annee, plan=PLAN)[0].cloture == Decimal("50.45")
    enregistrer_ecriture(annee, trop, forcer_caisse=True)
    assert livres(annee, plan=PLAN)[0].cloture == Decimal("-9.55")


def test_an_earlier_expense_is_refused_when_a_later_day_would_go_below_zero(
    annee: Ledger,
) -> None:
    # 20/06: the cash holds more than 50 €, but the deposits of 29/06 and 03/07 follow.
    with pytest.raises(CoopComptaError, match="caisse 53"):
        enregistrer_ecriture(
            annee,
            Ecriture(
                date=dt.date(2026, 6, 20),
                sens=Sens.DEPENSE,
                libelle="Goûter",
                montant=Decimal("60.00"),
                tresorerie="53",
                ventilation=(Ligne("6257", Decimal("60.00")),),
            ),
        )
