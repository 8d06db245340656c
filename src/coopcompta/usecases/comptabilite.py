"""The ledger a command works on: opening it, the chart it was created with, its learned history.

Every use case starts here. Storage and the chart reader load inside the functions, so
that a CLI module may import this one at import time and `coop --help` stays fast.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import TYPE_CHECKING

from coopcompta.domain.errors import CoopComptaError, fichier_inutilisable

if TYPE_CHECKING:
    from coopcompta.domain.plan_comptable import PlanComptable
    from coopcompta.domain.suggestions import Suggesteur

    # Re-exported for the CLI's annotations: the CLI does not import storage.
    from coopcompta.storage import Ledger as Ledger


def ouvrir_ledger(db: Path | None) -> Ledger:
    """Open the ledger named by --db / $COOP_DB / ./coop.db."""
    from coopcompta.storage import chemin_db, ouvrir

    return ouvrir(chemin_db(db))


# Errors of the disk itself: whatever file was being written, the user must hear why.
_DISQUE = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS, errno.EIO)


def erreur_utilisateur(exc: BaseException) -> CoopComptaError | None:
    """The French error a user should see for an exception from the ledger or the disk:
    SQLite's own errors (a damaged file, another command writing, a full disk), a disk
    that refuses writes. None for anything else: a bug, which keeps its traceback."""
    from coopcompta.storage import traduire_erreur

    traduite = traduire_erreur(exc)
    if traduite is not None:
        return traduite
    if isinstance(exc, OSError) and exc.errno in _DISQUE:
        ou = str(exc.filename) if exc.filename else None
        return CoopComptaError(
            fichier_inutilisable(exc, "écriture", "impossible") + " ; la comptabilité est"
            " inchangée",
            ou,
        )
    return None


def signature_plan(chemin: str | Path | None = None) -> str:
    """What changes when a chart file changes: its path, size and modification time
    ('' when it cannot be read: loading it will say why)."""
    from importlib import resources

    from coopcompta import __version__

    if chemin:
        path = Path(chemin)
    else:
        path = Path(str(resources.files("coopcompta"))) / "data" / "plan_comptable.yaml"
    try:
        st = path.stat()
    except OSError:
        return ""
    return f"{__version__}|{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"


# The ledger's meta key holding its chart as validated JSON (domain.plan_comptable).
META_PLAN_COMPILE = "plan_compile"


def plan_du_ledger(ledger: Ledger) -> PlanComptable:
    """The chart the ledger was created with (its own file, or the shipped default).

    Read from the copy the ledger keeps while the file is unchanged: parsing and
    validating the YAML (yaml, pydantic) would cost most of an everyday command's time.
    """
    from coopcompta.domain.errors import PlanInvalide
    from coopcompta.domain.plan_comptable import plan_depuis_cache, plan_vers_cache

    chemin = ledger.meta("plan")
    signature = signature_plan(chemin)
    if signature:
        plan = plan_depuis_cache(ledger.meta(META_PLAN_COMPILE), signature)
        if plan is not None:
            return plan
    from coopcompta.importers.plan import charger_plan

    try:
        plan = charger_plan(chemin)
        if signature:
            ledger.memoriser_meta(META_PLAN_COMPILE, plan_vers_cache(plan, signature))
        return plan
    except PlanInvalide as exc:
        if chemin is None:
            raise
        raise PlanInvalide(
            f"{exc.message} : c'est le plan comptable de cette comptabilité "
            f"({ledger.path}) ; remettez-le en place",
            exc.ou,
        ) from None


def plan_a_consulter(db: Path | None, fichier: Path | None) -> PlanComptable:
    """The chart `coop plan` shows: the file asked for, else the ledger's if there is one,
    else the shipped one (before `coop init`)."""
    from coopcompta.storage import chemin_db

    if fichier is None and chemin_db(db).exists():
        with ouvrir_ledger(db) as ledger:
            return plan_du_ledger(ledger)
    from coopcompta.importers.plan import charger_plan

    return charger_plan(fichier)


def preparer_suggesteur(
    ledger: Ledger, plan: PlanComptable, tresorerie: str | None = None
) -> Suggesteur:
    """Account suggestions from the chart's keywords and the ledger's past écritures (their
    libellés, amounts, splits; virements to or from `tresorerie`, the statement's account)."""
    from coopcompta.domain.suggestions import Suggesteur
    from coopcompta.storage.apprentissage import passe_recent

    return Suggesteur(plan, passe=passe_recent(ledger), tresorerie=tresorerie)
