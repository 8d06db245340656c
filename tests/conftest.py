"""Shared fixtures: a CLI runner helper and a fresh ledger (others append their own below)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from coopcompta.cli import app

NOM_COOP = "Coopérative de l'école Jules Ferry"

Invoke = Callable[..., Result]


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
