"""Dates offered and read at the prompts: inside the open exercice, typed as one writes them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from coopcompta.usecases.comptabilite import ouvrir_ledger
from coopcompta.usecases.saisie import date_proposee


def saisir(invoke, db: Path, *args: str):
    r = invoke("saisie", "--db", db, *args)
    assert r.exit_code == 0, r.output
    return r


def test_without_ecriture_the_date_offered_is_inside_the_exercice(ledger_path):
    with ouvrir_ledger(ledger_path) as ledger:
        jour = date_proposee(ledger)
    assert dt.date(2025, 9, 1) <= jour <= dt.date(2026, 8, 31)


def test_enter_at_the_date_prompt_takes_the_last_date_typed(invoke, ledger_path):
    saisir(
        invoke,
        ledger_path,
        "--date",
        "16/09",
        "--depense",
        "10",
        "--compte",
        "6068",
        "--libelle",
        "Colle",
    )
    entree = "\n".join(["", "d", "5,00", "Colle", "2", "", "", "6068", "", "", "o"]) + "\n"
    r = invoke("saisie", "--db", ledger_path, input=entree)
    assert r.exit_code == 0, r.output
    assert "Date (jj/mm/aaaa) [16/09/2025] : " in r.output
    assert "Enregistré : pièce 2 du 16/09/2025, dépense de 5,00" in r.stdout


def test_short_dates_take_the_year_from_the_exercice(invoke, ledger_path):
    r = saisir(
        invoke,
        ledger_path,
        "--date",
        "3/2",
        "--depense",
        "10",
        "--compte",
        "6068",
        "--libelle",
        "Colle",
    )
    assert "pièce 1 du 03/02/2026" in r.stdout
    r = saisir(
        invoke,
        ledger_path,
        "--date",
        "16-9-25",
        "--recette",
        "10",
        "--compte",
        "7088",
        "--libelle",
        "Kermesse",
    )
    assert "pièce 2 du 16/09/2025" in r.stdout


def test_annuler_dates_the_reversal_like_the_ecriture_it_cancels(invoke, ledger_path):
    saisir(
        invoke,
        ledger_path,
        "--date",
        "16/09/2025",
        "--depense",
        "10",
        "--compte",
        "6068",
        "--libelle",
        "Colle",
    )
    r = invoke("annuler", "1", "--db", ledger_path, "--motif", "erreur")
    assert r.exit_code == 0, r.output
    assert "Pièce 1 annulée. Enregistré : pièce 2 du 16/09/2025" in r.stdout
