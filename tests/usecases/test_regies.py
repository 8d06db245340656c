"""A régie d'avances by class name: opened, spent, settled, and listed by name."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from coopcompta.domain.errors import CoopComptaError
from coopcompta.importers.plan import charger_plan
from coopcompta.storage import Ledger
from coopcompta.usecases import regies as uc

PLAN = charger_plan(None)


def test_a_full_regie_cycle_by_class_name(annee: Ledger) -> None:
    ouverte = uc.ouvrir(annee, PLAN, "CE1", Decimal("80"), date=dt.date(2026, 6, 1), depuis="512")
    assert (ouverte.regie.compte, ouverte.avertissements) == ("5412", ())
    assert ouverte.ecriture.sens.value == "virement" and ouverte.ecriture.contrepartie == "5412"
    d = uc.depense(
        annee, PLAN, "ce1", Decimal("12.30"), "6068", "Feutres", date=dt.date(2026, 6, 2)
    )
    assert d.ecriture.ventilation[0].classe == "CE1"
    assert {r.nom: r.solde for r in uc.regies(annee)}["CE1"] == Decimal("67.70")
    retour = uc.solder(annee, PLAN, "CE1", date=dt.date(2026, 6, 30), vers="512")
    assert retour is not None and retour.ecriture.montant == Decimal("67.70")
    assert {r.nom: r.solde for r in uc.regies(annee)} == {"CP": 0, "CE1": 0}
    assert uc.regies_non_soldees(annee, "2025-2026") == []


def test_the_example_regie_is_known_by_the_class_of_its_expenses(annee: Ledger) -> None:
    (cp,) = uc.regies(annee)
    assert (cp.nom, cp.compte, cp.solde, cp.nommee) == ("CP", "5411", 0, False)


def test_an_advance_above_150_euros_is_warned(annee: Ledger) -> None:
    m = uc.ouvrir(annee, PLAN, "CM2", Decimal("160"), date=dt.date(2026, 7, 2), depuis="512")
    assert "au-delà des 150,00" in m.avertissements[0]


def test_an_unknown_regie_is_refused_listing_the_known_ones(annee: Ledger) -> None:
    with pytest.raises(CoopComptaError, match=r"régie « CE3 » inconnue \(régies : CP\)"):
        uc.solder(annee, PLAN, "CE3", date=dt.date(2026, 6, 30))
