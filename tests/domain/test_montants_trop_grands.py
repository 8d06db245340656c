"""An absurdly large amount is refused where it is read, never a traceback from SQLite."""

from __future__ import annotations

import sqlite3

import pytest

from coopcompta.domain.errors import MontantInvalide
from coopcompta.domain.money import lire_montant

ENORME = "99999999999999999999"


def _nombre_ecritures(db) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM ecritures").fetchone()[0]


def test_parse_montant_refuses_more_than_a_hundred_billion_euros():
    assert lire_montant("99 999 999 999,99") == lire_montant("99999999999.99")
    with pytest.raises(MontantInvalide) as exc:
        lire_montant(ENORME, "--depense")
    assert str(exc.value) == (
        f"--depense: montant trop grand « {ENORME} » "
        "(au plus 99\u202f999\u202f999\u202f999,99\u00a0€)"
    )


def test_a_huge_expense_is_refused_and_the_ledger_unchanged(invoke, ledger_path):
    avant = _nombre_ecritures(ledger_path)
    r = invoke(
        "saisie", "--db", ledger_path, "--date", "06/10/2025", "--depense", ENORME,
        "--libelle", "Goûter", "--compte", "6257",
    )  # fmt: skip
    assert r.exit_code == 1
    assert r.stderr.startswith(f"Erreur : --depense: montant trop grand « {ENORME} »")
    assert _nombre_ecritures(ledger_path) == avant


def test_a_huge_amount_in_a_bank_statement_names_the_line(invoke, ledger_path, tmp_path):
    releve = tmp_path / "releve.csv"
    releve.write_text(
        f"Date;Libellé;Montant\n01/10/2025;A;12,00\n02/10/2025;B;-{ENORME},00\n", encoding="utf-8"
    )
    avant = _nombre_ecritures(ledger_path)
    r = invoke("import", "--db", ledger_path, releve, "--non-interactif")
    assert r.exit_code == 1
    assert f"Erreur : releve.csv:3: montant trop grand « -{ENORME},00 »" in r.stderr
    assert _nombre_ecritures(ledger_path) == avant
