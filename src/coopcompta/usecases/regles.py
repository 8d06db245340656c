"""`coop regles`: list the categorisation rules `coop import` applies, remove one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coopcompta.importers.regles import RegleListee
    from coopcompta.storage import Ledger


def regles_du_ledger(
    ledger: Ledger, option: Path | None, avertir: Callable[[str], None]
) -> tuple[Path, list[RegleListee]]:
    """The rules file the next import would use (--regles, the remembered one, or
    regles.yaml beside the ledger) and its rules."""
    from coopcompta.importers.regles import lister_regles
    from coopcompta.usecases.comptabilite import plan_du_ledger
    from coopcompta.usecases.importation import chemin_des_regles

    chemin = chemin_des_regles(ledger, option, avertir)
    return chemin, lister_regles(chemin, plan_du_ledger(ledger))


def retirer_regle(
    ledger: Ledger, option: Path | None, numero: int, avertir: Callable[[str], None]
) -> tuple[Path, RegleListee]:
    """Remove rule n° `numero` of that file (the others and their comments stay)."""
    from coopcompta.importers.regles import supprimer_regle
    from coopcompta.usecases.comptabilite import plan_du_ledger
    from coopcompta.usecases.importation import chemin_des_regles

    chemin = chemin_des_regles(ledger, option, avertir)
    return chemin, supprimer_regle(chemin, numero, plan_du_ledger(ledger))
