"""The hostile-input corpus (issue 8): every case runs `coop` on bad input and asserts
what a treasurer would see: an exit code other than 0, a French message that says where
and what, no traceback, and a ledger byte-identical to what it was (`iterdump` hash).

`refuser(...)` is the one assertion; each test module of this folder builds its cases
(arguments, statement files, YAML, journal CSV, ledger files) and calls it.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
import sqlite3
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
import typer.main
from click.testing import CliRunner, Result

from coopcompta.cli import app


def empreinte_ledger(chemin: Path) -> str:
    """SHA-256 of the ledger's SQL dump (read only), or of the file's absence."""
    if not chemin.exists():
        return "absent"
    if chemin.stat().st_size == 0:
        return "vide"
    conn = sqlite3.connect(f"file:{chemin}?mode=ro", uri=True)
    try:
        h = hashlib.sha256()
        for ligne in conn.iterdump():
            h.update(ligne.encode())
        return h.hexdigest()
    finally:
        conn.close()


def _normaliser(texte: str) -> str:
    return " ".join(unicodedata.normalize("NFC", texte).split())


@functools.cache
def _commande() -> click.Command:
    """The click command of `coop`, built once: typer builds it again at each invoke
    (about 80 ms, four times what a refused command costs)."""
    return typer.main.get_command(app)


@dataclass(frozen=True)
class Refus:
    """What a refusal printed, for extra assertions."""

    code: int
    sortie: str


Refuser = Callable[..., Refus]


@pytest.fixture
def refuser() -> Refuser:
    """refuser(args, ledger=PATH, ou="releve.csv:3", quoi="montant illisible", input=...)

    Runs `coop ARGS` in-process with exceptions caught, then asserts: exit code ≠ 0
    (or `code`), no traceback, `ou` and `quoi` in the output (whitespace-normalised),
    and the ledger unchanged (same dump hash, or still absent)."""
    runner = CliRunner()

    def lancer(
        args: Sequence[object],
        *,
        ledger: Path | None = None,
        ou: str = "",
        quoi: str = "",
        code: int | None = None,
        input: str | None = None,
        env: dict[str, str] | None = None,
    ) -> Refus:
        avant = empreinte_ledger(ledger) if ledger is not None else None
        r: Result = runner.invoke(_commande(), [str(a) for a in args], input=input, env=env)
        sortie = r.output
        assert r.exception is None or isinstance(r.exception, SystemExit), (
            f"exception non gérée : {r.exception!r}\n{sortie}"
        )
        assert "Traceback" not in sortie, sortie
        if code is None:
            assert r.exit_code != 0, sortie
        else:
            assert r.exit_code == code, sortie
        texte = _normaliser(sortie)
        assert _normaliser(ou) in texte, f"« {ou} » absent de :\n{sortie}"
        assert _normaliser(quoi) in texte, f"« {quoi} » absent de :\n{sortie}"
        if ledger is not None:
            assert empreinte_ledger(ledger) == avant, "la comptabilité a été modifiée"
        return Refus(r.exit_code, sortie)

    return lancer


# A ledger created once per session and copied for each case (a copy costs a millisecond,
# `coop init` about 80 ms): the corpus stays within the suite's time budget.
@pytest.fixture(scope="session")
def _modele(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from coopcompta.domain.model import Exercice
    from coopcompta.usecases.creation import charger_plan_choisi, creer_comptabilite

    chemin = tmp_path_factory.mktemp("modele") / "coop.db"
    creer_comptabilite(
        chemin,
        charger_plan_choisi(None),
        Exercice.depuis_nom("2025-2026"),
        nom="Coopérative de l'école Jules Ferry",
        ouvertures=[("512", "1500,00"), ("53", "80,00")],
    )
    return chemin


@pytest.fixture
def ledger_copie(_modele: Path, tmp_path: Path) -> Path:
    """A fresh 2025-2026 ledger (512: 1 500,00 €, 53: 80,00 €), in the test's folder."""
    chemin = tmp_path / "coop.db"
    shutil.copyfile(_modele, chemin)
    return chemin
