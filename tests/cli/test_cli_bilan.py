"""`coop bilan`: the year-end statements as the treasurer reads them, and as JSON for scripts."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from coopcompta import storage
from coopcompta.domain.model import Ecriture, Ligne, Sens

PROPRE = Path(__file__).parents[1] / "data" / "journaux" / "propre.csv"
NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture
def annee(tmp_path, invoke) -> Path:
    """A ledger holding the school year of propre.csv (its ouvertures included)."""
    db = tmp_path / "annee.db"
    assert invoke("init", "--db", db, "--nom", "Coop Jules Ferry", "--exercice", "2025-2026")
    r = invoke("saisie", "--db", db, "--fichier", PROPRE)
    assert r.exit_code == 0, r.output
    return db


def test_bilan_json_gives_the_hand_computed_figures(invoke, annee):
    r = invoke("bilan", "--db", annee, "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["exercice"] == "2025-2026"
    assert doc["depenses"] == {
        "6070": "40.00",
        "6068": "45.00",
        "6241": "120.00",
        "6251": "180.00",
        "6257": "25.50",
        "62810008": "80.00",
        "61681008": "20.00",
        "627": "6.37",
        "671": "3.00",
    }
    assert doc["recettes"] == {
        "7070": "80.00",
        "75620008": "450.00",
        "7068": "90.00",
        "7088": "210.00",
        "7440": "300.00",
        "771": "12.00",
    }
    assert (doc["total_depenses"], doc["total_recettes"], doc["resultat"]) == (
        "519.87",
        "1142.00",
        "622.13",
    )
    assert doc["report_a_nouveau"] == "1580.00"
    assert doc["tresorerie"] == {"512": "2158.63", "517": "0.00", "53": "43.50", "5411": "0.00"}
    assert doc["equilibre"] is True
    x = doc["exceptionnel"]
    assert (x["charges"], x["produits"], x["solde"], x["tolerance"], x["ok"]) == (
        "3.00",
        "12.00",
        "9.00",
        "50.00",
        True,
    )
    assert doc["classes"]["CP"] == {"depenses": "85.00", "recettes": "50.00", "solde": "-35.00"}
    assert doc["hors_plan"] == []


def test_bilan_table_shows_both_sides_the_result_and_the_equilibre(invoke, annee):
    r = invoke("bilan", "--db", annee, env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert out.startswith(
        "Bilan de l'exercice 2025-2026 (du 01/09/2025 au 31/08/2026) — Coop Jules Ferry\n"
    )
    assert "Compte de fonctionnement" in out
    lignes = out.splitlines()
    # Wide terminal: dépenses and recettes side by side, as on the OCCE's page de bilan.
    titres = next(line for line in lignes if "Dépenses" in line)
    assert titres.split() == ["Dépenses", "Recettes"]
    assert any(
        "62810008" in line and "Cotisation OCCE" in line and "80,00" in line for line in lignes
    )
    assert any("Total des dépenses" in line and "519,87" in line for line in lignes)
    assert any("Total des recettes" in line and f"1{NNBSP}142,00" in line for line in lignes)
    assert (
        f"Résultat = recettes − dépenses = 1{NNBSP}142,00{NBSP}€ − 519,87{NBSP}€ = "
        f"622,13{NBSP}€ (excédent)"
    ) in out
    assert any("Report à nouveau (début d'exercice)" in line and f"1{NNBSP}580,00" in line
               for line in lignes)  # fmt: skip
    assert any("= Total de la trésorerie" in line and f"2{NNBSP}202,13" in line for line in lignes)
    assert (
        "Équilibre du bilan : oui — report à nouveau + recettes − dépenses = total de la "
        "trésorerie."
    ) in out
    assert any("Tolérance appliquée" in line and "50,00" in line for line in lignes)
    assert "Conforme : Solde exceptionnel de 9,00" in out
    # The OCCE's quotation is for when the check fails (issue 12).
    assert "« Les charges et produits exceptionnels sont, comme leur nom l'indique" not in out
    assert any(line.split()[:4] == ["CM2", "300,00", "90,00", "-210,00"] for line in lignes)


def test_a_narrow_terminal_stacks_depenses_above_recettes(invoke, annee):
    r = invoke("bilan", "--db", annee, env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    titres = [
        line.strip() for line in r.stdout.splitlines() if line.strip() in ("Dépenses", "Recettes")
    ]
    assert titres == ["Dépenses", "Recettes"]
    assert r.stdout.index("Total des dépenses") < r.stdout.index("Recettes")


def test_a_tolerance_option_changes_the_verdict(invoke, annee):
    r = invoke(
        "bilan", "--db", annee, "-f", "json", "--tolerance-euros", "5", "--tolerance-part", "0,5"
    )
    x = json.loads(r.stdout)["exceptionnel"]
    assert (x["tolerance"], x["tolerance_euros"], x["tolerance_pourcent"], x["ok"]) == (
        "5.71",  # 0,5 % of 1 142 €
        "5.00",
        "0.50",
        False,
    )
    assert x["verdict"].startswith(f"Solde exceptionnel de 9,00{NBSP}€ (0,79 % des recettes) : ")


def test_an_account_off_the_chart_is_shown_and_flagged(invoke, annee):
    with storage.ouvrir(annee) as ledger:
        ledger.ajouter(
            Ecriture(
                date=dt.date(2026, 7, 1),
                sens=Sens.DEPENSE,
                libelle="Compte inventé",
                montant=Decimal("8.00"),
                tresorerie="512",
                ventilation=(Ligne("6999", Decimal("8.00")),),
                piece="20",
                exercice="2025-2026",
            )
        )
    doc = json.loads(invoke("bilan", "--db", annee, "-f", "json").stdout)
    assert doc["depenses"]["6999"] == "8.00"
    assert doc["hors_plan"] == ["6999"]
    assert doc["equilibre"] is True
    out = invoke("bilan", "--db", annee, env={"COLUMNS": "200"}).stdout
    assert any(
        line.split()[:4] == ["6999", "(compte", "hors", "plan)"] for line in out.splitlines()
    )
    assert "Comptes hors plan (Plan comptable OCCE (défaut coopcompta)) : 6999" in out


def test_bilan_refuses_an_unknown_exercice_and_format(invoke, annee):
    r = invoke("bilan", "--db", annee, "--exercice", "2024-2025")
    assert r.exit_code == 1
    assert r.stderr == "Erreur : --exercice: exercice 2024-2025 inconnu (exercices : 2025-2026)\n"
    r = invoke("bilan", "--db", annee, "--format", "csv")
    assert r.exit_code == 1
    assert r.stderr == "Erreur : --format: format inconnu « csv » (attendu : table, json)\n"
    r = invoke("bilan", "--db", annee, "--tolerance-part", "beaucoup")
    assert r.exit_code == 1
    assert r.stderr == (
        "Erreur : --tolerance-part: pourcentage illisible « beaucoup » (par ex. 1 ou 1,5)\n"
    )


def test_bilan_without_a_ledger_says_how_to_create_one(invoke, tmp_path):
    r = invoke("bilan", "--db", tmp_path / "absent.db")
    assert r.exit_code == 1
    assert "aucune comptabilité ici : lancez `coop init`" in r.stderr


def test_a_tolerance_kept_in_the_ledger_applies_until_an_option_overrides_it(invoke, annee):
    with storage.ouvrir(annee) as ledger, ledger.transaction():
        ledger.ecrire_meta("tolerance_exceptionnel_euros", "5,00")
        ledger.ecrire_meta("tolerance_exceptionnel_pourcent", "0")
    x = json.loads(invoke("bilan", "--db", annee, "-f", "json").stdout)["exceptionnel"]
    assert (x["tolerance"], x["ok"]) == ("5.00", False)
    assert invoke("verifier", "--db", annee).exit_code == 1
    x = json.loads(invoke("bilan", "--db", annee, "-f", "json", "--tolerance-euros", "10").stdout)[
        "exceptionnel"
    ]
    assert (x["tolerance"], x["ok"]) == ("10.00", True)
