"""Class and project names: one name whatever its case, offered again, listed when used."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from coopcompta.domain.ecritures import Part
from coopcompta.domain.model import Sens
from coopcompta.usecases.bilan import charger_bilan
from coopcompta.usecases.comptabilite import ouvrir_ledger
from coopcompta.usecases.saisie import annuler_piece, classes_connues, saisir


def recette(ledger, montant: str, classe: str):
    return saisir(
        ledger,
        date=dt.date(2025, 10, 1),
        sens=Sens.RECETTE,
        libelle="Photos",
        montant=Decimal(montant),
        tresorerie="512",
        parts=[Part("7070", Decimal(montant), classe)],
    )


def test_a_class_typed_in_another_case_is_the_same_class(comptabilite: Path):
    with ouvrir_ledger(comptabilite) as ledger:
        recette(ledger, "10.00", "CP")
        e = recette(ledger, "5.00", " cp ")
        assert e.ventilation[0].classe == "CP"
        assert classes_connues(ledger) == ["CP"]
        classes = charger_bilan(ledger).classes
    assert [(t.classe, t.recettes) for t in classes] == [("CP", Decimal("15.00"))]


def test_a_class_whose_total_is_zero_is_not_listed(comptabilite: Path):
    with ouvrir_ledger(comptabilite) as ledger:
        recette(ledger, "10.00", "CE1")
        recette(ledger, "8.00", "CM2")
        annuler_piece(ledger, "1", motif="erreur de classe")
        classes = charger_bilan(ledger).classes
    assert [t.classe for t in classes] == ["CM2"]


def test_the_class_prompt_offers_the_classes_already_used(invoke, ledger_path):
    r = invoke(
        "saisie", "--db", ledger_path, "--date", "01/10/2025", "--recette", "10",
        "--libelle", "Photos", "--compte", "7070=10:CE2",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    entree = "\n".join(["", "r", "4,00", "Photos", "2", "", "", "7070", "", "ce2", "o"]) + "\n"
    r = invoke("saisie", "--db", ledger_path, input=entree)
    assert r.exit_code == 0, r.output
    assert "Classe ou projet (facultatif ; déjà utilisées : CE2) : ce2" in r.output
    assert "7070 4,00\u00a0€ [CE2]" in r.stdout
