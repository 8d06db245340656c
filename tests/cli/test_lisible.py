"""What the treasurer reads: user text shown as typed, tables readable on 80 columns."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

EXEMPLE = Path(__file__).resolve().parents[2] / "examples" / "jules-ferry-2025-2026.csv"
ATTENDU = Path(__file__).resolve().parents[1] / "data" / "rendu"


def lignes(texte: str) -> list[str]:
    """Output lines without the padding rich adds at their end."""
    return [ligne.rstrip() for ligne in texte.splitlines()]


@pytest.fixture(scope="module")
def exemple(tmp_path_factory) -> Path:
    """The example school year of examples/, loaded as the README does."""
    from typer.testing import CliRunner

    from coopcompta.cli import app

    db = tmp_path_factory.mktemp("exemple") / "coop.db"
    runner = CliRunner()
    for args in (
        ["init", "--db", db, "--nom", "Jules Ferry", "--exercice", "2025-2026"],
        ["saisie", "--db", db, "--fichier", EXEMPLE],
    ):
        result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return db


def comparer(obtenu: str, nom: str) -> None:
    """Compare with tests/data/rendu/NOM; COOP_REGENERER=1 rewrites the expected file."""
    attendu = ATTENDU / nom
    texte = "\n".join(lignes(obtenu)) + "\n"
    if os.environ.get("COOP_REGENERER"):
        attendu.write_text(texte, encoding="utf-8")
    assert texte == attendu.read_text(encoding="utf-8")


def test_text_in_square_brackets_is_shown_as_typed_in_tables_and_messages(invoke, ledger_path):
    libelle = "Goûter [ce2] sortie [bold]zoo"
    r = invoke(
        "saisie", "--db", ledger_path, "--date", "16/09/2025", "--depense", "10,00",
        "--libelle", libelle, "--compte", "6257=10,00:[cp]", "--mode", "especes",
        "--tresorerie", "53",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "6257 10,00\u00a0€ [[cp]]" in r.stdout
    for largeur in ("80", "140"):
        journal = invoke("journal", "--db", ledger_path, env={"COLUMNS": largeur}).stdout
        assert libelle in journal
        assert "[[cp]]" in journal
    bilan = invoke("bilan", "--db", ledger_path, env={"COLUMNS": "80"}).stdout
    assert " [cp] " in bilan


def test_the_journal_of_the_example_year_on_80_columns_is_the_expected_text(invoke, exemple):
    r = invoke("journal", "--db", exemple, env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    assert all(len(ligne) <= 80 for ligne in lignes(r.stdout))
    comparer(r.stdout, "journal-exemple-80.txt")


def test_bilan_and_plan_fit_80_columns(invoke, exemple):
    for commande in ("bilan", "plan"):
        r = invoke(commande, "--db", exemple, env={"COLUMNS": "80"})
        assert r.exit_code == 0, r.output
        trop_longues = [ligne for ligne in lignes(r.stdout) if len(ligne) > 80]
        assert trop_longues == [], commande


def test_the_occe_quotation_shows_only_when_the_exceptional_check_fails(invoke, exemple):
    bilan = invoke("bilan", "--db", exemple, env={"COLUMNS": "80"}).stdout
    assert "Conforme" in bilan
    assert "(OCCE)" not in bilan
