"""The `coop` command line: a thin layer that parses, calls the domain, and renders."""

from __future__ import annotations

import sys

from coopcompta.cli.app import app

# Each module registers its commands on `app` when imported, in the order `coop --help` lists them:
# a treasurer's year, from creating the ledger to closing it.
from coopcompta.cli import init  # noqa: E402,F401  isort: skip
from coopcompta.cli import plan  # noqa: E402,F401  isort: skip
from coopcompta.cli import saisie  # noqa: E402,F401  isort: skip
from coopcompta.cli import journal  # noqa: E402,F401  isort: skip
from coopcompta.cli import importer  # noqa: E402,F401  isort: skip
from coopcompta.cli import ventiler  # noqa: E402,F401  isort: skip
from coopcompta.cli import corriger  # noqa: E402,F401  isort: skip
from coopcompta.cli import regles  # noqa: E402,F401  isort: skip
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
    _seulement_la_commande(sys.argv[1:2])
    app()


def _seulement_la_commande(args: list[str]) -> None:
    """Keep only the command named on the command line.

    Typer builds the options of every registered command on each run, reading each
    function's signature and type hints: with twenty-odd commands that is most of a
    quick command's time. `coop --help`, `coop` alone or an unknown name keep them all.
    """
    if not args or args[0].startswith("-"):
        return
    nom = args[0]
    commandes = [
        c
        for c in app.registered_commands
        if (c.name or (c.callback.__name__ if c.callback else "").replace("_", "-")) == nom
    ]
    groupes = [g for g in app.registered_groups if g.name == nom]
    if commandes or groupes:
        app.registered_commands = commandes
        app.registered_groups = groupes
