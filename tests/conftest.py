"""Shared fixtures: a CLI runner helper and a fresh ledger (others append their own below)."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer.main
import typer.testing
from typer.testing import CliRunner, Result

from coopcompta.cli import app
from coopcompta.domain.model import Exercice
from coopcompta.importers.plan import charger_plan
from coopcompta.storage import Ledger, creer, ouvrir
from coopcompta.usecases.saisie import enregistrer_journal

NOM_COOP = "Coopérative de l'école Jules Ferry"

Invoke = Callable[..., Result]

# typer's test runner builds the click command of `coop` again at each invoke (about 80 ms,
# more than most commands under test cost): build it once per test process.
typer.testing._get_command = functools.cache(typer.main.get_command)  # type: ignore[attr-defined]


@pytest.fixture
def invoke() -> Invoke:
    """Run `coop ARGS…` in-process; `input=` feeds the prompts. Bugs keep their traceback."""
    runner = CliRunner()

    def run(*args: object, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(
            app, [str(a) for a in args], input=input, env=env, catch_exceptions=False
        )

    return run


@pytest.fixture
def ledger_path(tmp_path: Path, invoke: Invoke) -> Path:
    """A ledger for 2025-2026 with 1 500,00 € at the bank (512) and 80,00 € in cash (53)."""
    path = tmp_path / "coop.db"
    result = invoke(
        "init",
        "--db",
        path,
        "--nom",
        NOM_COOP,
        "--exercice",
        "2025-2026",
        "--ouverture",
        "512=1500,00",
        "--ouverture",
        "53=80,00",
    )
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def comptabilite(tmp_path: Path) -> Path:
    """The same ledger as `ledger_path`, created by the use case (no CLI): 2025-2026, with
    1 500,00 € at the bank (512) and 80,00 € in cash (53)."""
    from coopcompta.domain.model import Exercice
    from coopcompta.usecases.creation import charger_plan_choisi, creer_comptabilite

    chemin = tmp_path / "coop.db"
    creer_comptabilite(
        chemin,
        charger_plan_choisi(None),
        Exercice.depuis_nom("2025-2026"),
        nom=NOM_COOP,
        ouvertures=[("512", "1500,00"), ("53", "80,00")],
    )
    return chemin


# A ledger holding the example school year, shared by the year-end use case tests.
ANNEE = Path(__file__).resolve().parents[1] / "examples" / "jules-ferry-2025-2026.csv"


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
