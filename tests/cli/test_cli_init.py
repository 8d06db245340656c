import sqlite3

from typer.testing import CliRunner

from coopcompta.cli import app

runner = CliRunner()


def _init(db, *args, **kw):
    return runner.invoke(app, ["init", "--db", str(db), *args], **kw)


def test_init_creates_a_ledger_with_its_opening_balances(tmp_path):
    db = tmp_path / "coop.db"
    result = _init(
        db,
        "--nom",
        "Coopérative de l'école Jules Ferry",
        "--exercice",
        "2025-2026",
        "--ouverture",
        "512=1500,00",
        "--ouverture",
        "53=80,00",
    )
    assert result.exit_code == 0, result.output
    assert "exercice 2025-2026" in result.output
    assert "Report à nouveau 512 : 1\u202f500,00\u00a0€" in result.output
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT compte, sum(montant) FROM lignes GROUP BY compte").fetchall()
    assert dict(rows) == {"512": 150000, "53": 8000, "110": -158000}


def test_init_refuses_to_overwrite_an_existing_ledger(tmp_path):
    db = tmp_path / "coop.db"
    assert _init(db, "--nom", "A", "--exercice", "2025-2026").exit_code == 0
    before = db.read_bytes()
    result = _init(db, "--nom", "B", "--exercice", "2025-2026", "--ouverture", "512=1")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Erreur : {db}: une comptabilité existe déjà ici ; rien n'a été modifié"
    )
    assert db.read_bytes() == before


def test_bad_opening_balance_leaves_no_ledger_behind(tmp_path):
    db = tmp_path / "coop.db"
    result = _init(db, "--nom", "A", "--ouverture", "512=12,3O")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Erreur : --ouverture: montant illisible « 12,3O »"
    assert not db.exists()


def test_opening_balance_on_a_non_treasury_account_is_refused(tmp_path):
    db = tmp_path / "coop.db"
    result = _init(db, "--nom", "A", "--ouverture", "6281=10")
    assert result.exit_code == 1
    assert "le compte 62810008 (Cotisation OCCE) n'est pas un compte de trésorerie" in result.stderr
    assert not db.exists()


def test_init_asks_its_questions_when_no_name_is_given(tmp_path):
    db = tmp_path / "coop.db"
    reponses = "\n".join(
        ["Coop Pasteur", "École Pasteur", "035-123", "Mme Martin", "2025-2026", "1 200,50", "42"]
        + [""] * 10
    )
    result = _init(db, input=reponses + "\n")
    assert result.exit_code == 0, result.output
    assert "Coop Pasteur, exercice 2025-2026" in result.output
    with sqlite3.connect(db) as conn:
        meta = dict(conn.execute("SELECT cle, valeur FROM meta").fetchall())
        soldes = dict(conn.execute("SELECT compte, montant FROM lignes WHERE compte != '110'"))
    assert meta["mandataire"] == "Mme Martin"
    assert soldes == {"512": 120050, "514": 4200}


def test_help_is_in_french():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "Utilisation : coop" in result.output
    assert "Affiche cette aide." in result.output
    assert "Commandes" in result.output
    assert "init" in result.output


def test_unknown_option_is_reported_in_french():
    result = runner.invoke(app, ["init", "--bogus"])
    assert result.exit_code == 2
    assert "Erreur : option inconnue : --bogus" in result.stderr


def test_a_ledger_whose_own_chart_was_moved_says_so(tmp_path):
    from importlib import resources

    plan = tmp_path / "mon_plan.yaml"
    plan.write_text(
        (resources.files("coopcompta") / "data" / "plan_comptable.yaml").read_text("utf-8"),
        encoding="utf-8",
    )
    db = tmp_path / "coop.db"
    assert _init(db, "--nom", "A", "--exercice", "2025-2026", "--plan", str(plan)).exit_code == 0
    plan.unlink()
    result = runner.invoke(app, ["plan", "--db", str(db)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Erreur : {plan}: fichier introuvable : c'est le plan comptable de cette comptabilité "
        f"({db}) ; remettez-le en place"
    )


def test_the_same_account_opened_twice_is_refused_not_overwritten(tmp_path):
    db = tmp_path / "coop.db"
    result = _init(db, "--nom", "A", "--ouverture", "512=1500,00", "--ouverture", "512=15,00")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Erreur : --ouverture: le compte 512 a deux soldes d'ouverture (1\u202f500,00\u00a0€ "
        "et 15,00\u00a0€) : un seul par compte"
    )
    assert not db.exists()


def test_every_help_names_its_values_in_french_not_by_python_type():
    commandes = [
        "init", "plan", "saisie", "virement", "annuler", "journal", "import", "bilan",
        "verifier", "export", "exercices", "nouvel-exercice",
    ]  # fmt: skip
    for commande in commandes:
        aide = runner.invoke(app, [commande, "--help"]).output
        for type_python in ("<path>", "<str>", "<int>", "<list[str]>", "<bool>"):
            assert type_python not in aide, (commande, type_python)
    aide = runner.invoke(app, ["journal", "--help"]).output
    assert "--db FICHIER" in aide
    assert "-e, --exercice AAAA-AAAA" in aide
    assert "-f, --format FORMAT" in aide


def test_init_asks_again_after_a_bad_answer_showing_why(tmp_path):
    db = tmp_path / "coop.db"
    reponses = ["  ", "Coop Pasteur", "", "", "", "2025", "2025-2026", "12,3O", "1 200,50"]
    result = _init(db, input="\n".join(reponses + [""] * 10) + "\n")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "  nom de la coopérative vide\n"
        "  exercice illisible « 2025 » (attendu : 2025-2026)\n"
        "  montant illisible « 12,3O »\n"
    )
    assert "Coop Pasteur, exercice 2025-2026" in result.stdout
    with sqlite3.connect(db) as conn:
        soldes = dict(conn.execute("SELECT compte, montant FROM lignes WHERE compte != '110'"))
    assert soldes == {"512": 120050}


def test_init_prompts_end_like_saisie_s(tmp_path):
    result = _init(tmp_path / "coop.db", "--exercice", "2025-2026", input="Coop\n" + "\n" * 12)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "Nom de la coopérative : Coop\nÉcole : \nNuméro OCCE : \nMandataire : \n"
        "Solde au 01/09/2025 du compte 512 Banque (vide si non utilisé) : \n"
    )


def test_an_empty_name_is_refused(tmp_path):
    db = tmp_path / "coop.db"
    for nom in ("", "   "):
        result = _init(db, "--nom", nom, "--exercice", "2025-2026")
        assert (result.exit_code, result.stderr) == (
            1,
            "Erreur : --nom: nom de la coopérative vide\n",
        )
        assert not db.exists()
