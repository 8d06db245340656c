"""The closing balance of a statement, read from its two ends whatever its size."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from coopcompta.importers.solde import lire_solde


def _releve(path: Path, lignes: int, ordre_croissant: bool = True) -> Path:
    jours = [dt.date(2025, 9, 1) + dt.timedelta(days=i % 365) for i in range(lignes)]
    jours.sort(reverse=not ordre_croissant)
    rangs = [
        f"{j:%d/%m/%Y};CB LIBRAIRIE {i};-1,00;;{1000 + i},{i % 100:02d}"
        for i, j in enumerate(jours)
    ]
    path.write_text(
        "Compte 123;;;;\nDate;Libellé;Débit;Crédit;Solde\n" + "\n".join(rangs) + "\n",
        encoding="cp1252",
    )
    return path


@pytest.mark.parametrize("lignes", [10, 20_000])
def test_the_balance_column_gives_the_balance_of_the_last_day(tmp_path: Path, lignes: int) -> None:
    solde = lire_solde(_releve(tmp_path / "releve.csv", lignes))
    assert solde is not None
    derniere = lignes - 1
    assert solde.montant == Decimal(f"{1000 + derniere}.{derniere % 100:02d}")


def test_a_big_statement_listed_newest_first_gives_its_first_row(tmp_path: Path) -> None:
    solde = lire_solde(_releve(tmp_path / "releve.csv", 20_000, ordre_croissant=False))
    assert solde is not None and solde.date == dt.date(2026, 8, 31)
    assert solde.montant == Decimal("1000.00")


def test_a_solde_au_line_at_the_end_of_a_big_statement_wins(tmp_path: Path) -> None:
    path = _releve(tmp_path / "releve.csv", 20_000)
    with open(path, "a", encoding="cp1252") as f:
        f.write("Solde au 31/08/2026;;;;2 018,77\n")
    solde = lire_solde(path)
    assert solde is not None
    assert (solde.date, solde.montant) == (dt.date(2026, 8, 31), Decimal("2018.77"))


def test_a_statement_without_balance_gives_none(tmp_path: Path) -> None:
    path = tmp_path / "releve.csv"
    path.write_text("Date;Libellé;Montant\n" + "01/09/2025;CB;-1,00\n" * 20_000)
    assert lire_solde(path) is None
