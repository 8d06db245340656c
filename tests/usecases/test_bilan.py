"""`coop bilan` and `coop verifier FICHIER` as use cases: the statements and the checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from coopcompta.domain.ecritures import Part
from coopcompta.domain.errors import DonneesInutilisables, MontantInvalide
from coopcompta.domain.model import Sens
from coopcompta.domain.tolerance import META_TOLERANCE_EUROS
from coopcompta.usecases.bilan import etablir_bilan
from coopcompta.usecases.comptabilite import ouvrir_ledger
from coopcompta.usecases.saisie import saisir
from coopcompta.usecases.verifier import verifier_fichier

JOURNAUX = Path(__file__).parent.parent / "data" / "journaux"


def _recette_et_depense(ledger) -> None:
    saisir(
        ledger,
        date=dt.date(2025, 11, 12),
        sens=Sens.RECETTE,
        libelle="Subvention de la mairie",
        montant=Decimal("300"),
        tresorerie="512",
        parts=[Part("7440")],
    )
    saisir(
        ledger,
        date=dt.date(2025, 12, 1),
        sens=Sens.DEPENSE,
        libelle="Car pour le musée",
        montant=Decimal("180"),
        tresorerie="512",
        parts=[Part("6241", classe="CM2")],
    )


def test_the_bilan_gives_the_result_and_balances_with_the_treasury(comptabilite: Path):
    with ouvrir_ledger(comptabilite) as ledger:
        _recette_et_depense(ledger)
        etabli = etablir_bilan(ledger)
    b = etabli.bilan
    assert etabli.cooperative == "Coopérative de l'école Jules Ferry"
    assert b.exercice.nom == "2025-2026"
    assert (b.fonctionnement.total_recettes, b.fonctionnement.total_depenses) == (
        Decimal("300.00"),
        Decimal("180.00"),
    )
    assert b.fonctionnement.resultat == Decimal("120.00")
    assert b.simplifie.equilibre
    assert b.simplifie.total_tresorerie == Decimal("1700.00")
    assert [(c.classe, c.depenses) for c in b.classes] == [("CM2", Decimal("180.00"))]


def test_the_tolerance_is_the_option_else_the_ledger_setting_else_the_default(
    comptabilite: Path,
):
    with ouvrir_ledger(comptabilite) as ledger:
        assert etablir_bilan(ledger).bilan.exceptionnel.regle.euros == Decimal("50")
        with ledger.transaction():
            ledger.ecrire_meta(META_TOLERANCE_EUROS, "80")
        assert etablir_bilan(ledger).bilan.exceptionnel.regle.euros == Decimal("80")
        regle = etablir_bilan(ledger, tolerance_euros="20").bilan.exceptionnel.regle
        assert regle.euros == Decimal("20")
        with pytest.raises(MontantInvalide) as exc:
            etablir_bilan(ledger, tolerance_euros="beaucoup")
        assert str(exc.value) == "--tolerance-euros: montant illisible « beaucoup »"


def test_verifier_reads_a_ledger_or_a_journal_csv_by_what_the_file_is(comptabilite: Path):
    du_ledger = verifier_fichier(comptabilite, None, None, None, None, None)
    assert (du_ledger.source, du_ledger.exercice.nom, du_ledger.erreurs) == (
        str(comptabilite),
        "2025-2026",
        0,
    )
    propre = JOURNAUX / "propre.csv"
    du_journal = verifier_fichier(propre, None, None, None, None, None)
    assert du_journal.source == str(propre)


def test_verifier_says_when_there_is_nothing_to_check(tmp_path: Path):
    absent = tmp_path / "absent.db"
    with pytest.raises(DonneesInutilisables) as exc:
        verifier_fichier(absent, None, None, None, None, None)
    assert str(exc.value) == f"{absent}: fichier introuvable"
