"""The year-end commands through the CLI: exit codes, prompts and what the treasurer reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import NOM_COOP, Invoke


def texte(sortie: str) -> str:
    """Output as one line of words, French number spaces as plain spaces (tables wrap)."""
    return " ".join(sortie.replace("\u202f", " ").replace("\xa0", " ").split())


ANNEE = Path(__file__).resolve().parents[2] / "examples" / "jules-ferry-2025-2026.csv"


@pytest.fixture
def exemple(tmp_path: Path, invoke: Invoke) -> Path:
    db = tmp_path / "exemple.db"
    assert invoke("init", "--db", db, "--nom", NOM_COOP, "--exercice", "2025-2026").exit_code == 0
    assert invoke("saisie", "--db", db, "--fichier", ANNEE).exit_code == 0
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
