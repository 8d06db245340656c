"""What the ledger teaches the suggestions: only what the treasurer really classified."""

from typer.testing import CliRunner

from coopcompta.cli import app
from coopcompta.storage import ouvrir

runner = CliRunner()


def _saisie(db, *args):
    result = runner.invoke(app, ["saisie", "--db", str(db), *args])
    assert result.exit_code == 0, result.output


def test_cancelled_and_parked_entries_teach_nothing(ledger_path):
    db = ledger_path
    commun = ["--date", "02/10/2025", "--tresorerie", "512"]
    _saisie(db, *commun, "--depense", "40,00", "--libelle", "Car musée", "--compte", "6241")
    _saisie(db, *commun, "--depense", "40,00", "--libelle", "Car zoo", "--compte", "6251")
    _saisie(db, *commun, "--recette", "15,00", "--libelle", "VIR INCONNU", "--compte", "471")
    result = runner.invoke(app, ["annuler", "2", "--db", str(db), "--date", "03/10/2025"])
    assert result.exit_code == 0, result.output
    with ouvrir(db) as ledger:
        assert ledger.historique_libelles() == [("Car musée", "6241", 1)]
