"""Mistakes are cheap to fix: a summary before creating, an opening balance corrected."""

from __future__ import annotations

from pathlib import Path

from coopcompta.usecases.comptabilite import ouvrir_ledger


def soldes(db: Path) -> dict[str, object]:
    with ouvrir_ledger(db) as ledger:
        return {c: str(m) for c, m in ledger.soldes("2025-2026").items() if c != "110"}


REPONSES = ["Coop Pasteur", "", "", "", "2025-2026", "1 200,50", "42"] + [""] * 2


def test_init_shows_a_summary_and_writes_nothing_when_declined(invoke, tmp_path):
    db = tmp_path / "coop.db"
    r = invoke("init", "--db", db, input="\n".join([*REPONSES, "n"]) + "\n")
    assert r.exit_code == 0, r.output
    assert "Résumé :\n  Coopérative : Coop Pasteur\n" in r.output
    assert "  Report à nouveau 512 : 1\u202f200,50\u00a0€\n" in r.output
    assert "Créer la comptabilité ? (o/n) [o] : n" in r.output
    assert r.stderr.endswith("Rien n'a été modifié.\n")
    assert not db.exists()


def test_an_opening_balance_is_corrected_while_nothing_else_moved_the_account(invoke, ledger_path):
    r = invoke("init", "--db", ledger_path, "--corriger-ouverture", "53=62,30")
    assert r.exit_code == 0, r.output
    assert r.stdout == "Report à nouveau 53 corrigé : 62,30\u00a0€ (au lieu de 80,00\u00a0€).\n"
    r = invoke("init", "--db", ledger_path, "--corriger-ouverture", "514=10")
    assert r.stdout == "Report à nouveau 514 corrigé : 10,00\u00a0€ (au lieu de 0,00\u00a0€).\n"
    invoke("init", "--db", ledger_path, "--corriger-ouverture", "514=0")
    assert soldes(ledger_path) == {"512": "1500.00", "53": "62.30"}


def test_an_opening_balance_no_longer_changes_once_the_account_moved(invoke, ledger_path):
    r = invoke(
        "saisie", "--db", ledger_path, "--date", "16/09", "--depense", "10", "--libelle",
        "Goûter", "--compte", "6257", "-t", "53", "--mode", "especes",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    r = invoke("init", "--db", ledger_path, "--corriger-ouverture", "53=100")
    assert r.exit_code == 1
    assert r.stderr.startswith(
        "Erreur : --corriger-ouverture: le compte 53 a déjà 1 écriture dans l'exercice 2025-2026"
    )
    assert soldes(ledger_path)["53"] == "70.00"


def test_virement_asks_its_questions_when_options_are_missing(invoke, ledger_path):
    entree = "\n".join(["5/10", "50", "", "", "", "o"]) + "\n"
    r = invoke("virement", "--db", ledger_path, input=entree)
    assert r.exit_code == 0, r.output
    assert "Depuis le compte de trésorerie [53] : " in r.output
    assert (
        "Virement du 05/10/2025 — Virement interne 53 → 512 — 50,00\u00a0€ : 53 → 512" in r.output
    )
    assert r.stdout.endswith(
        "Enregistré : pièce 1 du 05/10/2025, virement de 50,00\u00a0€ : 53 → 512.\n"
    )
    assert soldes(ledger_path) == {"512": "1550.00", "53": "30.00"}
