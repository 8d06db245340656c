"""The year-end commands through the CLI: exit codes, prompts and what the treasurer reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import NOM_COOP, Invoke


def texte(sortie: str) -> str:
    """Output as one line of words, French number spaces as plain spaces (tables wrap)."""
    return " ".join(sortie.replace("\u202f", " ").replace("\xa0", " ").split())


ANNEE = Path(__file__).resolve().parents[2] / "examples" / "jules-ferry-2025-2026.csv"


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


def test_rapprochement_points_everything_but_the_cheque_not_cashed(
    exemple: Path, invoke: Invoke
) -> None:
    r = invoke(
        "rapprochement", "--db", exemple, "--solde", "2 018,77", "--tout-pointer", "--sauf", "181"
    )
    assert r.exit_code == 0, r.output
    out = texte(r.stdout)
    assert "Goûter de fin d'année" in out and "(chèque 4518244)" in out
    assert "Écart : 0,00 €" in out
    assert "Rapprochement du compte 512 au 31/08/2026 enregistré." in out
    out = texte(invoke("rapprochement", "--db", exemple, "--voir").stdout)
    assert "enregistré le" in out and "Solde du livre 1 940,17" in out


def test_rapprochement_that_does_not_balance_exits_1_and_keeps_nothing(
    exemple: Path, invoke: Invoke
) -> None:
    r = invoke("rapprochement", "--db", exemple, "--solde", "2 018,77", "--tout-pointer")
    assert r.exit_code == 1
    assert "le pointage ne s'équilibre pas au 31/08/2026" in r.stderr
    assert "Traceback" not in r.output
    r = invoke("rapprochement", "--db", exemple, "--voir")
    assert "Aucun rapprochement enregistré" in r.stdout


def test_rapprochement_asks_the_balance_and_the_pieces_when_interactive(
    exemple: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setattr(sys.modules["coopcompta.cli.app"], "stdin_interactif", lambda: True)
    r = invoke(
        "rapprochement",
        "--db",
        exemple,
        "--date",
        "30/09/2025",
        input="1 783,27\n3 5-30\n\n-30\n\no\n",
    )
    assert "Solde du relevé au 30/09/2025" in r.output
    assert "écart restant" in r.output


def test_caisse_count_refuses_a_negative_number_of_notes(exemple: Path, invoke: Invoke) -> None:
    r = invoke("caisse", "compter", "--db", exemple, "--par", "Mme Martin", "20=-2")
    assert r.exit_code == 1
    assert "Erreur : comptage billet de 20 €: nombre négatif « -2 »" in texte(r.stderr)


def test_caisse_shows_the_cash_book_and_the_count(exemple: Path, invoke: Invoke) -> None:
    r = invoke("caisse", "--db", exemple, "--compte", "53")
    assert r.exit_code == 0, r.output
    assert "Solde d'ouverture" in r.stdout and "Totaux et solde de clôture" in texte(r.stdout)
    r = invoke(
        "caisse", "compter", "--db", exemple, "--par", "Mme Martin", "20=2", "5=1", "2=2", "1=1"
    )
    assert r.exit_code == 0, r.output
    assert "Écart : -0,45 €" in texte(r.stdout) and "avant de clôturer" in texte(r.stdout)


def test_regie_cycle_and_unknown_name(exemple: Path, invoke: Invoke) -> None:
    r = invoke(
        "regie",
        "ouvrir",
        "CE1",
        "--montant",
        "50",
        "--depuis",
        "512",
        "--date",
        "02/06/2026",
        "--db",
        exemple,
    )
    assert r.exit_code == 0, r.output
    assert "régie CE1, compte 5412" in r.stdout
    r = invoke("regie", "solder", "CE2", "--db", exemple)
    assert r.exit_code == 1 and "régie « CE2 » inconnue (régies : CP, CE1)" in r.stderr
    r = invoke("regie", "solder", "ce1", "--vers", "512", "--date", "30/06/2026", "--db", exemple)
    assert r.exit_code == 0 and "50,00" in r.stdout
    assert "0,00" in invoke("regie", "liste", "--db", exemple).stdout


def test_bilan_json_keeps_its_keys_and_adds_the_opening_balance_per_account(
    exemple: Path, invoke: Invoke
) -> None:
    import json

    invoke(
        "rapprochement", "--db", exemple, "--solde", "2018,77", "--tout-pointer", "--sauf", "181"
    )
    invoke("caisse", "compter", "--db", exemple, "--par", "Mme Martin", "20=2", "5=1", "2=2",
           "1=1", "0,20=2", "0,05=1")  # fmt: skip
    b = json.loads(invoke("bilan", "--db", exemple, "--format", "json").stdout)
    assert b["report_a_nouveau"] == "1874.77"  # still the total
    assert b["tresorerie"]["512"] == "1940.17" and b["tresorerie"]["53"] == "50.45"
    assert b["tresorerie_ouverture"] == {
        "512": "1812.47",
        "517": "0.00",
        "53": "62.30",
        "5411": "0.00",
    }
    assert b["rapprochements"]["512"]["equilibre"] is True
    assert [m["piece"] for m in b["rapprochements"]["512"]["en_suspens"]] == ["181"]
    assert b["arretes_caisse"]["53"]["ecart"] == "0.00"
    assert b["regies"] == {"CP": {"compte": "5411", "solde": "0.00"}}
    assert [s["piece"] for s in b["subventions"]] == ["57", "119"]
    assert [i["piece"] for i in b["inventaire"]] == ["93"]


def test_the_workbook_has_the_year_end_sheet_with_the_cash_book_totals(
    exemple: Path, invoke: Invoke, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    sortie = tmp_path / "bilan.xlsx"
    assert invoke("export", sortie, "--db", exemple).exit_code == 0
    lignes = list(load_workbook(sortie)["Fin d'exercice"].iter_rows(values_only=True))
    textes = [str(r[2]) for r in lignes if r and len(r) > 2]
    assert "Aucun rapprochement enregistré." in textes
    (cloture,) = [r for r in lignes if len(r) > 2 and r[2] == "Totaux et solde de clôture"
                  and str(r[5]) == "50.45"]  # fmt: skip
    assert cloture[3] is not None


def test_verifier_warns_when_a_kept_reconciliation_no_longer_holds(
    exemple: Path, invoke: Invoke
) -> None:
    invoke(
        "rapprochement", "--db", exemple, "--solde", "2018,77", "--tout-pointer", "--sauf", "181"
    )
    r = invoke("saisie", "--db", exemple, "--date", "20/08/2026", "--depense", "10",
               "--libelle", "Frais", "--compte", "627")  # fmt: skip
    assert r.exit_code == 0, r.output
    r = invoke("verifier", "--db", exemple)
    out = texte(r.stdout)
    assert "[rapprochement-rompu] le rapprochement du compte 512 au 31/08/2026 ne tient plus" in out


def test_caisse_options_given_before_compter_hold_for_the_count(
    exemple: Path, invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no coop.db here: the count must go to --db, not the default
    r = invoke("caisse", "--db", exemple, "compter", "--par", "Mme Martin", "20=2", "5=1")
    assert r.exit_code == 0, r.output
    assert not (tmp_path / "coop.db").exists()
    b = json.loads(invoke("bilan", "--db", exemple, "--format", "json").stdout)
    assert b["arretes_caisse"]["53"]["par"] == "Mme Martin"


def test_the_bilan_gives_a_count_not_rows_when_the_subsidies_are_too_many_to_list(
    invoke: Invoke, ledger_path: Path, tmp_path: Path
) -> None:
    journal = tmp_path / "subventions.csv"
    lignes = [
        f"{1 + i % 28:02d}/10/2025;;Subvention {i};recette;512;virement;;10,00;7440;10,00;;"
        for i in range(51)
    ]
    journal.write_text(
        "date;piece;libelle;sens;tresorerie;mode;cheque;total;compte;montant;classe;annule\n"
        + "\n".join(lignes)
        + "\n",
        encoding="utf-8",
    )
    assert invoke("saisie", "--db", ledger_path, "--fichier", journal).exit_code == 0
    b = json.loads(invoke("bilan", "--db", ledger_path, "--format", "json").stdout)
    assert b["subventions"] == [] and b["subventions_non_listees"] == 51
    r = invoke("bilan", "--db", ledger_path)
    assert "51 lignes sur les comptes 74" in texte(r.stdout)
    complet = invoke("subventions", "liste", "--db", ledger_path)
    assert complet.exit_code == 0 and "Subvention 50" in complet.stdout
