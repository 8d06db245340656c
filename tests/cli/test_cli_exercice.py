"""`coop nouvel-exercice` and `coop exercices`: closing a year, carrying the balances forward."""

import datetime as dt
import sqlite3

from typer.testing import CliRunner

from coopcompta.cli import app
from coopcompta.domain.model import Exercice

runner = CliRunner()


def _ledger(tmp_path):
    db = tmp_path / "coop.db"
    result = runner.invoke(
        app,
        [
            "init",
            "--db",
            str(db),
            "--nom",
            "Coop",
            "--exercice",
            "2025-2026",
            "--ouverture",
            "512=1500,00",
            "--ouverture",
            "53=80,00",
        ],
    )
    assert result.exit_code == 0, result.output
    return db


def _fin_annee(db, *billets):
    """The year-end work closing requires: the bank reconciled at 31 August, the cash counted."""
    r = runner.invoke(app, ["rapprochement", "--db", str(db), "--solde", "1500", "--oui"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["caisse", "compter", "--db", str(db), "--par", "Mme M", *billets])
    assert r.exit_code == 0, r.output


def test_next_exercice_opens_with_the_closing_treasury_balances(tmp_path):
    db = _ledger(tmp_path)
    with sqlite3.connect(db) as conn:  # a 30 € expense paid from the cash box
        conn.execute(
            "INSERT INTO ecritures(id, exercice, date, sens, piece, libelle, tresorerie, montant)"
            " VALUES (99, '2025-2026', '2026-06-01', 'depense', '1', 'Goûter', '53', 3000)"
        )
        conn.executemany(
            "INSERT INTO lignes(ecriture_id, exercice, role, compte, montant) VALUES (?,?,?,?,?)",
            [(99, "2025-2026", "v", "6257", 3000), (99, "2025-2026", "t", "53", -3000)],
        )
    _fin_annee(db, "50=1")
    result = runner.invoke(app, ["nouvel-exercice", "--db", str(db), "--oui"])
    assert result.exit_code == 0, result.output
    assert "Report à nouveau 53 : 50,00\u00a0€" in result.output
    assert "Exercice 2026-2027 ouvert (du 01/09/2026 au 31/08/2027)." in result.output
    with sqlite3.connect(db) as conn:
        soldes = dict(
            conn.execute(
                "SELECT compte, sum(montant) FROM lignes"
                " WHERE exercice = '2026-2027' GROUP BY compte"
            )
        )
    assert soldes == {"512": 150000, "53": 5000, "110": -155000}
    listing = runner.invoke(app, ["exercices", "--db", str(db)])
    assert listing.output.splitlines() == [
        "2025-2026  du 01/09/2025 au 31/08/2026  clôturé",
        "2026-2027  du 01/09/2026 au 31/08/2027  ouvert",
    ]


def test_closing_is_refused_while_lines_wait_on_471(tmp_path):
    db = _ledger(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO ecritures(id, exercice, date, sens, piece, libelle, tresorerie, montant)"
            " VALUES (99, '2025-2026', '2026-06-01', 'recette', '1', 'VIR X', '512', 1000)"
        )
        conn.executemany(
            "INSERT INTO lignes(ecriture_id, exercice, role, compte, montant) VALUES (?,?,?,?,?)",
            [(99, "2025-2026", "v", "471", -1000), (99, "2025-2026", "t", "512", 1000)],
        )
    result = runner.invoke(app, ["nouvel-exercice", "--db", str(db), "--oui"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Erreur : 2025-2026: 10,00\u00a0€ restent à ventiler sur le compte 471 : "
        "classez-les avant de clôturer (`coop ventiler`)"
    )
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM exercices").fetchone()[0] == 1


def test_closing_asks_for_confirmation_and_does_nothing_on_no(tmp_path):
    db = _ledger(tmp_path)
    _fin_annee(db, "50=1", "20=1", "10=1")
    result = runner.invoke(app, ["nouvel-exercice", "--db", str(db)], input="n\n")
    # Saying no is not a failure (issue 12).
    assert result.exit_code == 0
    assert result.stderr.endswith("Rien n'a été modifié.\n")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM exercices").fetchone()[0] == 1


def test_closing_is_confirmed_in_french_with_o(tmp_path):
    db = _ledger(tmp_path)
    _fin_annee(db, "50=1", "20=1", "10=1")
    result = runner.invoke(app, ["nouvel-exercice", "--db", str(db)], input="o\n")
    assert result.exit_code == 0, result.output
    assert "Confirmer la clôture ? (o/n) [n] : " in result.output
    assert "Exercice 2026-2027 ouvert (du 01/09/2026 au 31/08/2027)." in result.output
    assert "Error" not in result.output


def test_closing_asks_again_until_the_answer_is_understood(tmp_path):
    db = _ledger(tmp_path)
    _fin_annee(db, "50=1", "20=1", "10=1")
    result = runner.invoke(app, ["nouvel-exercice", "--db", str(db)], input="peut-être\nnon\n")
    assert result.exit_code == 0
    assert "Répondez o (oui) ou n (non)." in result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM exercices").fetchone()[0] == 1


def test_closing_before_the_end_of_the_year_is_refused_unless_forced(tmp_path):
    db = tmp_path / "coop.db"
    ex = Exercice.contenant(dt.date.today())
    result = runner.invoke(
        app,
        ["init", "--db", str(db), "--nom", "Coop", "--exercice", ex.nom, "--ouverture", "512=10"],
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["nouvel-exercice", "--db", str(db), "--oui"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Erreur : {ex.nom}: clôture refusée :\n"
        f"  - l'exercice {ex.nom} ne se termine que le {ex.fin:%d/%m/%Y}\n"
        f"  - pas de rapprochement bancaire du compte 512 au {ex.fin:%d/%m/%Y} "
        "(`coop rapprochement`)\n"
        'Corrigez d\'abord (voir `coop verifier`), ou relancez avec --forcer "raison".'
    )
    forced = runner.invoke(
        app, ["nouvel-exercice", "--db", str(db), "--oui", "--forcer", "départ de l'école"]
    )
    assert forced.exit_code == 0, forced.output
    assert "Report à nouveau 512 : 10,00\u00a0€" in forced.output


def test_closing_is_refused_while_verifier_finds_errors():
    import datetime as dt

    from coopcompta.domain.cloture import objections
    from coopcompta.domain.model import Anomalie, Gravite

    ex = Exercice.commencant(2025)
    anomalies = [
        Anomalie(Gravite.ERREUR, "regie-non-soldee", "la régie 5411 n'est pas revenue à zéro"),
        Anomalie(Gravite.AVERTISSEMENT, "piece-manquante", "pièce 4 manquante"),
        Anomalie(Gravite.ERREUR, "compte-attente-471", "471 non soldé"),
    ]
    assert objections(ex, dt.date(2026, 9, 15), anomalies) == [
        "[regie-non-soldee] la régie 5411 n'est pas revenue à zéro"
    ]
    assert objections(ex, dt.date(2026, 9, 15), anomalies[1:]) == []
    assert objections(ex, dt.date(2026, 8, 31), []) == [
        "l'exercice 2025-2026 ne se termine que le 31/08/2026"
    ]
