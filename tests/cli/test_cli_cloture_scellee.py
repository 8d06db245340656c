"""The sealed closing: what `coop nouvel-exercice` requires, and a closed year that cannot be
changed behind the tool's back without `coop verifier` naming the pièce."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from tests.conftest import NOM_COOP, Invoke

ANNEE = Path(__file__).resolve().parents[2] / "examples" / "jules-ferry-2025-2026.csv"
COMPTAGE = ["20=2", "5=1", "2=2", "1=1", "0,20=2", "0,05=1"]


def texte(sortie: str) -> str:
    return " ".join(sortie.replace("\u202f", " ").replace("\xa0", " ").split())


@pytest.fixture(scope="session")
def exemple_charge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README's ledger, loaded once through the CLI."""
    from typer.testing import CliRunner

    from coopcompta.cli import app

    db = tmp_path_factory.mktemp("exemple") / "exemple.db"
    runner = CliRunner()
    init = ["init", "--db", str(db), "--nom", NOM_COOP, "--exercice", "2025-2026"]
    assert runner.invoke(app, init).exit_code == 0
    assert runner.invoke(app, ["saisie", "--db", str(db), "--fichier", str(ANNEE)]).exit_code == 0
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


@pytest.fixture
def exemple(exemple_charge: Path, tmp_path: Path) -> Path:
    """A copy of the example ledger each test may change."""
    import shutil

    db = tmp_path / "exemple.db"
    shutil.copy(exemple_charge, db)
    return db


def fin_annee(db: Path, invoke: Invoke) -> None:
    r = invoke("rapprochement", "--db", db, "--solde", "2018,77", "--tout-pointer", "--sauf", "181")
    assert r.exit_code == 0, r.output
    assert invoke("caisse", "compter", "--db", db, "--par", "Mme Martin", *COMPTAGE).exit_code == 0


def test_closing_is_refused_without_reconciliation_and_cash_count(
    exemple: Path, invoke: Invoke
) -> None:
    r = invoke("nouvel-exercice", "--db", exemple, "--oui")
    assert r.exit_code == 1
    err = texte(r.stderr)
    assert "pas de rapprochement bancaire du compte 512 au 31/08/2026" in err
    assert "pas d'arrêté de caisse" in err
    assert len(json.loads(invoke("bilan", "--db", exemple, "-f", "json").stdout)) > 0
    with sqlite3.connect(exemple) as conn:
        assert conn.execute("SELECT count(*) FROM exercices").fetchone()[0] == 1


def test_the_next_year_opens_with_each_treasury_account(exemple: Path, invoke: Invoke) -> None:
    fin_annee(exemple, invoke)
    r = invoke("nouvel-exercice", "--db", exemple, "--oui")
    assert r.exit_code == 0, r.output
    assert "Exercice 2025-2026 clôturé et scellé." in r.stdout
    b = json.loads(invoke("bilan", "--db", exemple, "-f", "json").stdout)
    assert b["exercice"] == "2026-2027"
    assert b["tresorerie_ouverture"] == {"512": "1940.17", "53": "50.45"}
    assert b["report_a_nouveau"] == "1990.62"


def test_an_amount_edited_in_the_file_of_a_closed_year_is_reported_with_its_piece(
    exemple: Path, invoke: Invoke
) -> None:
    fin_annee(exemple, invoke)
    assert invoke("nouvel-exercice", "--db", exemple, "--oui").exit_code == 0
    assert invoke("verifier", "--db", exemple).exit_code == 0
    with sqlite3.connect(exemple) as conn:
        conn.execute(
            "UPDATE lignes SET montant = montant + 1000 WHERE ecriture_id ="
            " (SELECT id FROM ecritures WHERE exercice = '2025-2026' AND piece = '93')"
            " AND role = 'v'"
        )
        conn.execute(
            "DELETE FROM lignes WHERE ecriture_id ="
            " (SELECT id FROM ecritures WHERE exercice = '2025-2026' AND piece = '185')"
        )
        conn.execute("DELETE FROM ecritures WHERE exercice = '2025-2026' AND piece = '185'")
    r = invoke("verifier", "--db", exemple)
    assert r.exit_code == 1
    out = texte(r.stdout)
    assert (
        "[exercice-clos-modifie] pièce 93 du 05/03/2026 a été modifiée dans l'exercice clos "
        "2025-2026, hors de coopcompta"
    ) in out
    assert "pièce 185 du 05/08/2026 a été supprimée dans l'exercice clos 2025-2026" in out
    doc = json.loads(invoke("verifier", "--db", exemple, "-f", "json").stdout)
    assert "exercice-clos-modifie" in json.dumps(doc)


def test_a_forced_closing_keeps_its_reason_and_the_export_prints_it(
    exemple: Path, invoke: Invoke, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    r = invoke("nouvel-exercice", "--db", exemple, "--oui", "--forcer", "relevé du 31 août perdu")
    assert r.exit_code == 0, r.output
    assert "Clôture forcée (relevé du 31 août perdu) malgré :" in r.stdout
    sortie = tmp_path / "b.xlsx"
    assert invoke("export", sortie, "--db", exemple, "--exercice", "2025-2026").exit_code == 0
    valeurs = [
        str(v)
        for row in load_workbook(sortie)["Fin d'exercice"].iter_rows(values_only=True)
        for v in row
        if v
    ]
    assert any("relevé du 31 août perdu" in v for v in valeurs)


def test_a_negative_caisse_refuses_the_closing_even_when_forced(
    exemple: Path, invoke: Invoke
) -> None:
    r = invoke("saisie", "--db", exemple, "--date", "31/08/2026", "--depense", "60", "--libelle",
               "Goûter", "--compte", "6257", "-t", "53", "--forcer-caisse")  # fmt: skip
    assert r.exit_code == 0, r.output
    r = invoke("nouvel-exercice", "--db", exemple, "--oui", "--forcer", "pressé")
    assert r.exit_code == 1
    assert "la caisse 53 finit l'exercice à -9,55 €" in texte(r.stderr)
