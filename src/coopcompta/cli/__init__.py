"""The `coop` command line: a thin layer that parses, calls the domain, and renders."""

from __future__ import annotations

from coopcompta.cli.app import app

# Each module registers its commands on `app` when imported, in the order `coop --help` lists them:
# a treasurer's year, from creating the ledger to closing it.
from coopcompta.cli import init  # noqa: E402,F401  isort: skip
from coopcompta.cli import plan  # noqa: E402,F401  isort: skip
from coopcompta.cli import saisie  # noqa: E402,F401  isort: skip
from coopcompta.cli import journal  # noqa: E402,F401  isort: skip
from coopcompta.cli import importer  # noqa: E402,F401  isort: skip
from coopcompta.cli import ventiler  # noqa: E402,F401  isort: skip
from coopcompta.cli import rapprochement  # noqa: E402,F401  isort: skip
from coopcompta.cli import caisse  # noqa: E402,F401  isort: skip
from coopcompta.cli import regie  # noqa: E402,F401  isort: skip
from coopcompta.cli import registres  # noqa: E402,F401  isort: skip
from coopcompta.cli import bilan  # noqa: E402,F401  isort: skip
from coopcompta.cli import export  # noqa: E402,F401  isort: skip
from coopcompta.cli import exercice  # noqa: E402,F401  isort: skip
from coopcompta.cli import consolider  # noqa: E402,F401  isort: skip

__all__ = ["app", "main"]


def main() -> None:
    app()
