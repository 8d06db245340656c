"""A cheque typed by hand is cashed weeks later: its bank line must not count it twice."""

import json

from typer.testing import CliRunner

from coopcompta.cli import app

runner = CliRunner()

RELEVE = (
    "Date;Date de valeur;Débit;Crédit;Libellé;Solde\r\n"
    "06/10/2025;06/10/2025;-52,00;;CHEQUE 4518203;1448,00\r\n"
    "07/10/2025;07/10/2025;-15,00;;CHEQUE 4518204;1433,00\r\n"
)


def _ledger(tmp_path):
    db = tmp_path / "coop.db"
    commandes = [
        ["init", "--nom", "Coop", "--exercice", "2025-2026", "--ouverture", "512=1500,00"],
        [
            "saisie",
            "--date",
            "29/09/2025",
            "--depense",
            "52,00",
            "--libelle",
            "Abonnement",
            "--mode",
            "cheque",
            "--cheque",
            "4518203",
            "--compte",
            "6183",
        ],
    ]
    for args in commandes:
        result = runner.invoke(app, [*args, "--db", str(db)])
        assert result.exit_code == 0, result.output
    releve = tmp_path / "octobre.csv"
    releve.write_bytes(RELEVE.encode("cp1252"))
    return db, releve


def _importer(db, releve):
    return runner.invoke(app, ["import", str(releve), "--db", str(db), "--non-interactif"])


def test_a_cheque_already_recorded_is_recognised_weeks_later_and_not_added(tmp_path):
    db, releve = _ledger(tmp_path)
    result = _importer(db, releve)
    assert result.exit_code == 0, result.output
    assert "1 nouvelle, 1 déjà présente" in result.output
    assert "chèque n° 4518203 « Abonnement »" in result.output
    journal = runner.invoke(app, ["journal", "--db", str(db), "--format", "json"])
    cheques = [e["cheque"] for e in json.loads(journal.output) if e["cheque"]]
    assert sorted(cheques) == ["4518203", "4518204"]  # each cheque once
    again = _importer(db, releve)
    assert "0 nouvelle, 2 déjà présentes" in again.output


def test_a_cheque_of_another_amount_is_not_taken_for_the_recorded_one(tmp_path):
    db, releve = _ledger(tmp_path)
    releve.write_bytes(RELEVE.replace("-52,00", "-25,00").encode("cp1252"))
    result = _importer(db, releve)
    assert result.exit_code == 0, result.output
    assert "2 nouvelles, 0 déjà présente" in result.output
