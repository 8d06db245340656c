"""domain/journal: what the journal counts in its recette and dépense columns and totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from coopcompta.domain.journal import TotauxJournal, lignes_retenues
from coopcompta.domain.model import Ecriture, Ligne, Sens

D = Decimal
JOUR = dt.date(2025, 10, 3)
DEPENSE = Ecriture(
    date=JOUR,
    sens=Sens.DEPENSE,
    libelle="Cotisation et assurance",
    montant=D("100"),
    tresorerie="512",
    ventilation=(Ligne("62810008", D("80")), Ligne("61681008", D("20"), "CM1")),
)
RECETTE = Ecriture(
    date=JOUR,
    sens=Sens.RECETTE,
    libelle="Familles",
    montant=D("30"),
    tresorerie="53",
    ventilation=(Ligne("75620008", D("30"), "CM1"),),
)
VIREMENT = Ecriture(
    date=JOUR, sens=Sens.VIREMENT, libelle="Dépôt", montant=D("50"), tresorerie="53",
    contrepartie="512",
)  # fmt: skip


def test_unfiltered_the_totals_are_the_recettes_and_depenses_virements_left_out():
    totaux = TotauxJournal()
    assert totaux.compter(DEPENSE) == (None, D("100"), None)
    assert totaux.compter(VIREMENT) == (None, None, None)
    assert totaux.compter(RECETTE) == (D("30"), None, None)
    assert (totaux.ecritures, totaux.recettes, totaux.depenses) == (3, D("30"), D("100"))


def test_filtered_by_class_only_its_lines_count():
    totaux = TotauxJournal(classe="CM1")
    assert totaux.compter(DEPENSE) == (None, D("20"), (Ligne("61681008", D("20"), "CM1"),))
    totaux.compter(RECETTE)
    assert (totaux.recettes, totaux.depenses) == (D("30"), D("20"))


def test_a_treasury_account_keeps_every_line_of_what_it_paid():
    assert lignes_retenues(DEPENSE, compte="512") == DEPENSE.ventilation
    assert lignes_retenues(DEPENSE, compte="62810008") == (Ligne("62810008", D("80")),)
    assert lignes_retenues(RECETTE, compte="512") == ()
