"""A ledger holding the example school year, shared by the year-end use case tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from coopcompta.domain.model import Exercice
from coopcompta.importers.plan import charger_plan
from coopcompta.storage import Ledger, creer, ouvrir
from coopcompta.usecases.saisie import enregistrer_journal

ANNEE = Path(__file__).resolve().parents[2] / "examples" / "jules-ferry-2025-2026.csv"


@pytest.fixture(scope="session")
def annee_chargee(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Jules Ferry year 2025-2026 loaded once, as `coop saisie --fichier` does."""
    path = tmp_path_factory.mktemp("annee") / "annee.db"
    creer(path, {"nom": "Jules Ferry"}, Exercice.depuis_nom("2025-2026"), {}).close()
    with ouvrir(path) as ledger:
        enregistrer_journal(ledger, charger_plan(None), ANNEE)
        ledger.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def annee(annee_chargee: Path, tmp_path: Path) -> Iterator[Ledger]:
    """A copy of the example year each test may change."""
    path = tmp_path / "annee.db"
    shutil.copy(annee_chargee, path)
    with ouvrir(path) as ledger:
        yield ledger
