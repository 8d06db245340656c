"""`coop verifier`: exit codes and JSON on a ledger and on journal CSVs, as a CI job uses them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

JOURNAUX = Path(__file__).parents[1] / "data" / "journaux"
PROPRE = JOURNAUX / "propre.csv"
NBSP = "\u00a0"


@pytest.fixture
def annee(tmp_path, invoke) -> Path:
    db = tmp_path / "annee.db"
    assert invoke("init", "--db", db, "--nom", "Coop", "--exercice", "2025-2026").exit_code == 0
    r = invoke("saisie", "--db", db, "--fichier", PROPRE)
    assert r.exit_code == 0, r.output
    return db


def depense(invoke, db: Path, libelle: str, compte: str, montant: str = "12,00"):
    r = invoke(
        "saisie", "--db", db, "--date", "01/07/2026", "--depense", montant,
        "--libelle", libelle, "--compte", compte, "--mode", "virement",
    )  # fmt: skip
    assert r.exit_code == 0, r.output


def test_a_clean_ledger_exits_0(invoke, annee):
    r = invoke("verifier", "--db", annee)
    assert r.exit_code == 0, r.output
    assert r.stdout == (
        f"Vérification de {annee} — exercice 2025-2026\n"
        "Aucune anomalie : la comptabilité peut être présentée aux vérificateurs.\n"
    )
    assert invoke("verifier", annee, "--strict").exit_code == 0


def test_a_ledger_with_an_error_exits_1_and_lists_it_in_json(invoke, annee):
    depense(invoke, annee, "Facture à classer", "471")
    r = invoke("verifier", "--db", annee, "--format", "json")
    assert r.exit_code == 1
    assert json.loads(r.stdout) == {
        "ok": False,
        "source": str(annee),
        "exercice": "2025-2026",
        "erreurs": 1,
        "avertissements": 0,
        "anomalies": [
            {
                "gravite": "erreur",
                "code": "compte-attente-471",
                "message": "1 écriture encore sur le compte 471 (à ventiler), solde "
                f"-12,00{NBSP}€ : ventilez-les sur leurs vrais comptes avant le bilan — "
                "pièce 20 du 01/07/2026.",
                "pieces": ["20"],
                "ecritures": [22],
                # Where it is, beside the message (issue 14).
                "fichier": str(annee),
                "ligne": None,
                "piece": "20",
                "date": "2026-07-01",
                "comptes": ["471"],
                "lieux": [
                    {
                        "ecriture": 22,
                        "ligne": None,
                        "piece": "20",
                        "date": "2026-07-01",
                        "comptes": ["471", "512"],
                    }
                ],
            }
        ],
    }


def test_warnings_pass_unless_strict(invoke, annee):
    depense(invoke, annee, "Salaire de l'animatrice", "6226")
    r = invoke("verifier", "--db", annee)
    assert r.exit_code == 0
    assert r.stdout.splitlines()[1].startswith(
        "! avertissement [depense-interdite] pièce 20 du 01/07/2026 « Salaire de l'animatrice »"
    )
    assert r.stdout.splitlines()[-1] == "0 erreur, 1 avertissement"
    r = invoke("verifier", "--db", annee, "--strict")
    assert r.exit_code == 1
    assert r.stdout.splitlines()[-1] == (
        "0 erreur, 1 avertissement (--strict : les avertissements comptent)"
    )
    doc = json.loads(invoke("verifier", "--db", annee, "--strict", "-f", "json").stdout)
    assert (doc["ok"], doc["erreurs"], doc["avertissements"]) == (False, 0, 1)
    assert doc["anomalies"][0]["code"] == "depense-interdite"


def test_a_missing_file_exits_2(invoke, tmp_path):
    r = invoke("verifier", tmp_path / "absent.db")
    assert r.exit_code == 2
    assert r.stderr == f"Erreur : {tmp_path / 'absent.db'}: fichier introuvable\n"
    r = invoke("verifier", "--db", tmp_path / "absent.db")
    assert r.exit_code == 2


def test_unusable_input_exits_2(invoke, tmp_path):
    texte = tmp_path / "notes.txt"
    texte.write_text("bonjour\n", encoding="utf-8")
    r = invoke("verifier", texte)
    assert r.exit_code == 2
    assert r.stderr.startswith("Erreur : notes.txt:1: colonne inconnue « bonjour »")
    # A folder is walked (issue 14): a file in it that is no ledger nor journal is named.
    r = invoke("verifier", tmp_path)
    assert r.exit_code == 2
    assert r.stderr == (
        f"Erreur : {texte}: ni une comptabilité coopcompta (base SQLite) ni un journal CSV (.csv)\n"
    )
    vide = tmp_path / "vide"
    vide.mkdir()
    r = invoke("verifier", vide)
    assert r.exit_code == 2
    assert r.stderr == (
        f"Erreur : {vide}: dossier sans comptabilité ni journal CSV (fichiers cachés ignorés)\n"
    )


def test_a_clean_journal_csv_exits_0_without_a_ledger(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke("verifier", PROPRE, "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == {
        "ok": True,
        "source": str(PROPRE),
        "exercice": "2025-2026",
        "erreurs": 0,
        "avertissements": 0,
        "anomalies": [],
    }
    assert list(tmp_path.iterdir()) == []  # checked in memory: nothing written


def test_a_journal_csv_with_a_wrong_total_exits_1(invoke):
    r = invoke("verifier", JOURNAUX / "total_faux.csv", "--format", "json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert (doc["ok"], doc["erreurs"], doc["avertissements"]) == (False, 1, 0)
    assert doc["anomalies"] == [
        {
            "gravite": "erreur",
            "code": "ventilation-desequilibree",
            "message": "pièce 8 du 10/03/2026 (total_faux.csv:13) : la ventilation ne "
            f"correspond pas au montant — total annoncé 310,00{NBSP}€, somme des lignes "
            f"300,00{NBSP}€ (écart 10,00{NBSP}€).",
            "pieces": ["8"],
            "ecritures": [],
            # Where it is, beside the message (issue 14): the CSV line of the écriture.
            "fichier": str(JOURNAUX / "total_faux.csv"),
            "ligne": 13,
            "piece": "8",
            "date": "2026-03-10",
            "comptes": ["6251", "6241", "512"],
            "lieux": [
                {
                    "ecriture": None,
                    "ligne": 13,
                    "piece": "8",
                    "date": "2026-03-10",
                    "comptes": ["6251", "6241", "512"],
                }
            ],
        }
    ]


def test_a_journal_csv_with_exceptional_balance_far_from_zero_exits_1(invoke):
    r = invoke("verifier", JOURNAUX / "exceptionnel.csv")
    assert r.exit_code == 1
    lignes = r.stdout.splitlines()
    assert lignes[1].startswith(
        f"✗ erreur [exceptionnel-hors-tolerance] Solde exceptionnel de 309,00{NBSP}€ "
        "(27,06 % des recettes)"
    )
    assert lignes[-1] == "1 erreur, 0 avertissement"
    # The department may tolerate more: options move the limit.
    assert (
        invoke("verifier", JOURNAUX / "exceptionnel.csv", "--tolerance-euros", "400").exit_code == 0
    )
    r = invoke("verifier", JOURNAUX / "exceptionnel.csv", "--tolerance-part", "30", "-f", "json")
    assert json.loads(r.stdout)["ok"] is True


def test_verifier_checks_the_exercice_asked_for(invoke, annee):
    r = invoke("verifier", PROPRE, "--exercice", "2026-2027", "-f", "json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["exercice"] == "2026-2027"
    assert {a["code"] for a in doc["anomalies"]} == {"date-hors-exercice"}
    r = invoke("verifier", "--db", annee, "--exercice", "2024-2025")
    assert r.exit_code == 2
    assert r.stderr == ("Erreur : --exercice: exercice 2024-2025 inconnu (exercices : 2025-2026)\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--exercice", "2025"], "--exercice: exercice illisible « 2025 » (attendu : 2025-2026)"),
        (["--tolerance-euros", "abc"], "--tolerance-euros: montant illisible « abc »"),
        (["--tolerance-part", "-3"], "--tolerance-part: pourcentage hors de 0 à 100 « -3 »"),
        (["--plan", "absent.yaml"], "absent.yaml: fichier introuvable"),
        (
            ["--format", "xml"],
            "--format: format inconnu « xml » (attendu : table, json, github, junit)",
        ),
    ],
)
@pytest.mark.parametrize("source", ["ledger", "journal"])
def test_an_unusable_option_exits_2_not_1(
    invoke, annee, tmp_path, monkeypatch, args, message, source
):
    """CI tells "the ledger has errors" (1) from "nothing could be checked" (2)."""
    monkeypatch.chdir(tmp_path)
    cible = ["--db", annee] if source == "ledger" else [PROPRE]
    r = invoke("verifier", *cible, *args)
    assert (r.exit_code, r.stdout, r.stderr) == (2, "", f"Erreur : {message}\n")


def test_an_account_absent_from_the_chart_in_a_journal_csv_is_reported_like_on_a_ledger(
    invoke, tmp_path
):
    inconnu = tmp_path / "inconnu.csv"
    inconnu.write_text(
        PROPRE.read_text(encoding="utf-8").replace(";6257;25,50;", ";6999;25,50;"),
        encoding="utf-8",
    )
    r = invoke("verifier", inconnu)
    assert r.exit_code == 1, r.output
    assert r.stdout.splitlines()[1:] == [
        "✗ erreur [compte-hors-plan] compte 6999 absent du plan comptable (Plan comptable OCCE "
        "(défaut coopcompta)), utilisé par 1 écriture : pièce 6 du 01/12/2025 "
        "(inconnu.csv:11).",
        "1 erreur, 0 avertissement",
    ]
    # Recording it stays refused.
    db = tmp_path / "coop.db"
    assert invoke("init", "--db", db, "--nom", "Coop", "--exercice", "2025-2026").exit_code == 0
    r = invoke("saisie", "--db", db, "--fichier", inconnu)
    assert (r.exit_code, r.stderr) == (
        1,
        "Erreur : inconnu.csv:11: compte inconnu « 6999 » (voir `coop plan`)\n",
    )


CAISSE_NEGATIVE = (
    "! avertissement [caisse-negative] la caisse (53) est négative le 12/03/2026 : "
    f"-420,00{NBSP}€ (au plus bas -440,00{NBSP}€ le 15/03/2026) ; une caisse ne peut pas "
    "contenir moins que rien — une recette en espèces oubliée ?"
)


def test_taking_more_cash_than_the_box_holds_is_a_warning(invoke, ledger_path):
    # 80,00 € in cash; 500,00 € taken to the bank, then a 20,00 € goûter paid in cash.
    r = invoke("virement", "--db", ledger_path, "--de", "53", "--vers", "512",
               "--montant", "500", "--date", "12/03/2026", "--forcer-caisse")  # fmt: skip
    assert r.exit_code == 0, r.output
    r = invoke("saisie", "--db", ledger_path, "--date", "15/03/2026", "--depense", "20",
               "--libelle", "Goûter", "--compte", "6257", "-t", "53",
               "--forcer-caisse")  # fmt: skip
    assert r.exit_code == 0, r.output
    r = invoke("verifier", "--db", ledger_path)
    assert r.exit_code == 0
    assert r.stdout.splitlines()[1:] == [CAISSE_NEGATIVE, "0 erreur, 1 avertissement"]
    assert invoke("verifier", "--db", ledger_path, "--strict").exit_code == 1


def test_a_journal_csv_emptying_the_cash_box_twice_is_a_warning(invoke, tmp_path):
    journal = tmp_path / "journal.csv"
    journal.write_text(
        "date;piece;libelle;sens;tresorerie;mode;cheque;total;compte;montant;classe;annule\n"
        "01/09/2025;;Report à nouveau;ouverture;53;;;;;80,00;;\n"
        "01/09/2025;;Report à nouveau;ouverture;512;;;;;1000,00;;\n"
        "12/03/2026;1;Versement d'espèces en banque;virement;53;especes;;;512;500,00;;\n"
        "15/03/2026;2;Goûter;depense;53;especes;;;6257;20,00;;\n"
        "20/03/2026;3;Kermesse;recette;53;especes;;;7088;600,00;;\n",
        encoding="utf-8",
    )
    r = invoke("verifier", journal)
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[1:] == [CAISSE_NEGATIVE, "0 erreur, 1 avertissement"]
