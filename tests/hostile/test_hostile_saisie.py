"""Hostile arguments to `coop saisie`: refused with where and what, the ledger untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

BASE = ("--date", "12/10/2025", "--libelle", "Photos", "--compte", "7068")

CAS = [
    pytest.param(("--recette", "12,3O"), "--recette", "12,3O", id="montant-lettre-O"),
    pytest.param(("--recette", "1.2.3"), "--recette", "1.2.3", id="montant-deux-points"),
    pytest.param(("--recette", "-5,00"), "--recette", "montant négatif", id="recette-negative"),
    pytest.param(("--recette", "0"), "--recette", "montant nul", id="montant-nul"),
]


@pytest.mark.parametrize(("args", "ou", "quoi"), CAS)
def test_a_bad_amount_is_refused_naming_the_option_and_the_value(
    refuser, ledger_path: Path, args: tuple[str, ...], ou: str, quoi: str
) -> None:
    refuser(["saisie", "--db", ledger_path, *BASE, *args], ledger=ledger_path, ou=ou, quoi=quoi)
