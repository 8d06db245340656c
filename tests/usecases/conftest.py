"""A ledger holding the example school year, shared by the year-end use case tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coopcompta.domain.model import Exercice
from coopcompta.importers.plan import charger_plan
from coopcompta.storage import Ledger, creer, ouvrir
from coopcompta.usecases.saisie import enregistrer_journal

ANNEE = Path(__file__).resolve().parents[2] / "examples" / "jules-ferry-2025-2026.csv"


@pytest.fixture
def annee(tmp_path: Path) -> Iterator[Ledger]:
    """The Jules Ferry year 2025-2026, loaded as `coop saisie --fichier` does."""
    path = tmp_path / "annee.db"
    creer(path, {"nom": "Jules Ferry"}, Exercice.depuis_nom("2025-2026"), {}).close()
    with ouvrir(path) as ledger:
        enregistrer_journal(ledger, charger_plan(None), ANNEE)
        yield ledger
