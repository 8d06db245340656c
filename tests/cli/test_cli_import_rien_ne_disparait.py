"""coop import drops no bank line unseen (issue 8, item 1) and lets no control character
of a bank's label reach the ledger or the terminal (item 9)."""

from __future__ import annotations

import json
from pathlib import Path

RELEVE = (
    "Relevé de compte n° 123\n"
    "Date;Libellé;Débit;Crédit\n"
    "01/10/2025;ACHAT A;-10,00;\n"
    "\n"
    "Page 2\n"
    "03/10/2025;VIR;;20,00\n"
    "04/10/2025;FRAIS;-1,50;0,00\n"
    "Solde au 31/10/2025;;;1000,00\n"
)


def test_the_rows_that_are_not_transactions_are_listed_with_their_numbers(
    invoke, ledger_path: Path, tmp_path: Path
) -> None:
    releve = tmp_path / "r.csv"
    releve.write_text(RELEVE, encoding="utf-8")
    r = invoke("import", releve, "--db", ledger_path, "--non-interactif")
    assert r.exit_code == 0, r.output
    assert "r.csv (csv) sur le compte 512 : 3 lignes lues" in r.stdout
    assert (
        "  lignes ignorées (pas des opérations) : 1 (avant l'en-tête), 4 (ligne vide), "
        "5 (titre ou note), 8 (solde ou total)\n" in r.stdout
    )


def test_the_json_summary_lists_the_ignored_rows(invoke, ledger_path: Path, tmp_path: Path) -> None:
    releve = tmp_path / "r.csv"
    releve.write_text(RELEVE, encoding="utf-8")
    r = invoke("import", releve, "--db", ledger_path, "--format", "json")
    assert r.exit_code == 0, r.output
    resume = json.loads(r.stdout)
    assert resume["lues"] == 3
    assert resume["lignes_ignorees"] == [
        {"debut": 1, "fin": 1, "raison": "avant l'en-tête"},
        {"debut": 4, "fin": 4, "raison": "ligne vide"},
        {"debut": 5, "fin": 5, "raison": "titre ou note"},
        {"debut": 8, "fin": 8, "raison": "solde ou total"},
    ]


def test_a_zero_in_the_other_column_is_not_a_debit_and_a_credit(
    invoke, ledger_path: Path, tmp_path: Path
) -> None:
    # Many banks write 0,00 in the unused column: only two non-zero amounts are refused.
    releve = tmp_path / "r.csv"
    releve.write_text(RELEVE, encoding="utf-8")
    r = invoke("import", releve, "--db", ledger_path, "--dry-run", "--format", "json")
    assert r.exit_code == 0, r.output
    assert [ligne["montant"] for ligne in json.loads(r.stdout)] == ["-10.00", "20.00", "-1.50"]


def test_a_bank_label_with_escape_sequences_is_cleaned_before_it_is_recorded(
    invoke, ledger_path: Path, tmp_path: Path
) -> None:
    # Past the first 4 KB (where control bytes mean a binary file), an escape sequence
    # and a bell in a label: the line is imported, its label without them.
    remplissage = "".join(f"0{1 + k % 9}/10/2025;ACHAT {k};-1,00;\n" for k in range(150))
    releve = tmp_path / "r.csv"
    releve.write_text(
        "Date;Libellé;Débit;Crédit\n"
        + remplissage
        + "10/10/2025;CB\x1b[2J\x1b[31m LIBRAIRIE\x07;-12,00;\n",
        encoding="utf-8",
    )
    r = invoke("import", releve, "--db", ledger_path, "--non-interactif")
    assert r.exit_code == 0, r.output
    journal = invoke("journal", "--db", ledger_path, "--format", "json")
    libelles = [e["libelle"] for e in json.loads(journal.stdout) if "LIBRAIRIE" in e["libelle"]]
    assert libelles == ["CB LIBRAIRIE"]
    assert "\x1b" not in journal.stdout and "\x07" not in journal.stdout
