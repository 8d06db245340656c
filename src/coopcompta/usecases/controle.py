"""Check many inputs at once: ledgers and journal CSVs, files and folders, one process per core.

Used by `coop verifier FICHIERS…` and `coop consolider`. Each input is checked on
its own: one that cannot be read becomes a `Controle` with its `Probleme`, and the
others are still checked. Results come back in input order; at most a few inputs
are in flight at a time, so memory does not grow with their number.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING

from coopcompta.domain.controle import Controle, Probleme
from coopcompta.domain.errors import CoopComptaError, DonneesInutilisables, fichier_inutilisable

if TYPE_CHECKING:
    from coopcompta.domain.checks import Verification
    from coopcompta.domain.model import Exercice
    from coopcompta.domain.plan_comptable import PlanComptable
    from coopcompta.storage import Ledger

# What SQLite leaves beside a ledger: not inputs of their own.
ANNEXES_SQLITE = ("-wal", "-shm", "-journal")
EXTENSIONS_JOURNAL = (".csv",)
EN_VOL_PAR_PROCESSUS = 4  # inputs handed to each worker ahead of the one being read


@dataclass(frozen=True)
class Reglages:
    """The options of one run, the same for every input.

    `exercice_souple` (consolider): a ledger is read for `exercice` when it holds it,
    else for its latest one, and a journal for its own; the caller compares.
    """

    exercice: str | None = None
    tolerance_euros: str | None = None
    tolerance_part: str | None = None
    plan: Path | None = None
    exercice_souple: bool = False

    def valider(self) -> None:
        """Refuse unusable options before any input is read (they would fail every one)."""
        from coopcompta.domain.model import Exercice
        from coopcompta.usecases.bilan import tolerance_de

        if self.exercice is not None:
            Exercice.depuis_nom(self.exercice)
        tolerance_de(None, self.tolerance_euros, self.tolerance_part)
        if self.plan is not None:
            _plan(self.plan)


@dataclass(frozen=True)
class Entree:
    """An input to check; `dans_dossier` when found by walking a folder given by the user."""

    chemin: Path
    dans_dossier: bool = False


def entrees(chemins: Iterable[Path]) -> Iterator[Entree]:
    """The inputs named: files as given, folders walked in name order (hidden names and
    SQLite's side files left out). A file reached twice is checked once."""
    vus: set[Path] = set()

    def nouveau(chemin: Path) -> bool:
        cle = chemin.resolve()
        if cle in vus:
            return False
        vus.add(cle)
        return True

    for chemin in chemins:
        if not _dossier(chemin):
            if nouveau(chemin):
                yield Entree(chemin)
            continue
        trouve = False
        for racine, dossiers, fichiers in os.walk(chemin):
            dossiers[:] = sorted(d for d in dossiers if not d.startswith("."))
            for nom in sorted(fichiers):
                if nom.startswith(".") or nom.endswith(ANNEXES_SQLITE):
                    continue
                trouve = True
                fichier = Path(racine) / nom
                if nouveau(fichier):
                    yield Entree(fichier, dans_dossier=True)
        if not trouve:
            yield Entree(chemin)  # an empty folder: said so by `controler`


def est_sqlite(path: Path) -> bool:
    """Whether the file starts like an SQLite database (a ledger), whatever its name."""
    if _dossier(path):
        return False  # the journal reader says what is wrong with it
    try:
        with path.open("rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError as exc:
        raise DonneesInutilisables(fichier_inutilisable(exc), str(path)) from None


@functools.lru_cache(maxsize=16)
def _plan_en_cache(chemin: str | None, _version: tuple[int, int]) -> PlanComptable:
    from coopcompta.importers.plan import charger_plan

    return charger_plan(chemin)


def _plan(chemin: str | Path | None) -> PlanComptable:
    """A chart read once per run and process, not once per input (a file edited is read again)."""
    version = (0, 0)
    if chemin is not None:
        try:
            st = Path(chemin).stat()
            version = (st.st_mtime_ns, st.st_size)
        except OSError:
            pass  # charger_plan says what is wrong with it
    return _plan_en_cache(None if chemin is None else str(chemin), version)


def chemins_ou_ledger(fichiers: Sequence[Path] | None, db: Path | None) -> list[Path]:
    """The inputs named, else the ledger of --db / $COOP_DB / ./coop.db."""
    from coopcompta.storage import chemin_db

    return list(fichiers) if fichiers else [chemin_db(db)]


def verifier_chemin(
    path: Path, reglages: Reglages, dans_dossier: bool = False
) -> tuple[Verification, dict[str, str] | None, tuple[bool, bool] | None]:
    """Check one ledger or journal CSV: its verification, the ledger's metas and whether it
    holds a reconciliation at the exercice's last day and a cash count (both None for a
    journal CSV, which names no cooperative and keeps no such document).

    Raises DonneesInutilisables (exit 2) for anything that keeps it from being checked.
    """
    from coopcompta.storage import ouvrir
    from coopcompta.usecases.bilan import tolerance_de
    from coopcompta.usecases.comptabilite import plan_du_ledger
    from coopcompta.usecases.verifier import verifier_journal, verifier_ledger

    try:
        try:
            mode = path.stat().st_mode
        except OSError as exc:  # absent, a name too long, a path through a file
            raise DonneesInutilisables(fichier_inutilisable(exc), str(path)) from None
        if stat.S_ISDIR(mode):
            raise DonneesInutilisables(
                "dossier sans comptabilité ni journal CSV (fichiers cachés ignorés)", str(path)
            )
        if est_sqlite(path):
            with ouvrir(path) as ledger:
                tolerance = tolerance_de(ledger, reglages.tolerance_euros, reglages.tolerance_part)
                # The ledger keeps its chart validated (plan_du_ledger): no YAML to parse.
                plan = _plan(reglages.plan) if reglages.plan else plan_du_ledger(ledger)
                exercice = reglages.exercice
                if reglages.exercice_souple and exercice is not None:
                    noms = {e.nom for e in ledger.exercices()}
                    exercice = exercice if exercice in noms else None
                verification = verifier_ledger(ledger, exercice, plan, tolerance, source=str(path))
                return verification, ledger.metas(), _documents(ledger, verification.exercice)
        if dans_dossier and path.suffix.lower() not in EXTENSIONS_JOURNAL:
            raise DonneesInutilisables(
                "ni une comptabilité coopcompta (base SQLite) ni un journal CSV (.csv)", str(path)
            )
        tolerance = tolerance_de(None, reglages.tolerance_euros, reglages.tolerance_part)
        exercice = None if reglages.exercice_souple else reglages.exercice
        return verifier_journal(path, _plan(reglages.plan), exercice, tolerance), None, None
    except DonneesInutilisables:
        raise
    except CoopComptaError as exc:
        # CI must tell "the ledger has errors" (1) from "nothing could be checked" (2).
        raise DonneesInutilisables(exc.message, exc.ou) from None


def _documents(ledger: Ledger, exercice: Exercice) -> tuple[bool, bool]:
    """A bank reconciliation kept at the exercice's last day; a cash count kept in it."""
    from coopcompta.usecases.caisse import arretes
    from coopcompta.usecases.rapprochement import rapprochements

    rapproche = any(r.enregistre.date == exercice.fin for r in rapprochements(ledger, exercice.nom))
    return rapproche, bool(arretes(ledger, exercice.nom))


def _empreinte(path: Path) -> str | None:
    """The content's SHA-256: two copies of one journal CSV are one cooperative."""
    try:
        with path.open("rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


def controler(entree: Entree, reglages: Reglages) -> Controle:
    """Check one input; never raises for a bad input (any other exception is a bug)."""
    debut = time.perf_counter()
    path = entree.chemin
    fichier = str(path)
    try:
        verification, metas, documents = verifier_chemin(path, reglages, entree.dans_dossier)
    except CoopComptaError as exc:
        return Controle(
            fichier, probleme=Probleme.depuis(exc, path), duree=time.perf_counter() - debut
        )
    if metas is None:  # a journal CSV: its name is the cooperative's
        return Controle(
            fichier,
            verification,
            cooperative=path.stem,
            empreinte=_empreinte(path),
            duree=time.perf_counter() - debut,
        )
    rapprochement, arrete = documents or (None, None)
    return Controle(
        fichier,
        verification,
        cooperative=metas.get("nom", ""),
        numero_occe=metas.get("numero_occe", ""),
        rapprochement=rapprochement,
        arrete_caisse=arrete,
        duree=time.perf_counter() - debut,
    )


def processus_par_defaut() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def controler_tous(
    a_controler: Iterable[Entree], reglages: Reglages, processus: int = 0
) -> Iterator[Controle]:
    """Check every input, in order, on `processus` worker processes (0: one per core).

    A single input, or `processus=1`, is checked here, without workers.
    """
    processus = processus or processus_par_defaut()
    suite = iter(a_controler)
    tete = list(islice(suite, 2))
    toutes = chain(tete, suite)
    if processus <= 1 or len(tete) < 2:
        for entree in toutes:
            yield controler(entree, reglages)
        return
    with ProcessPoolExecutor(max_workers=processus) as pool:
        en_vol: deque[Future[Controle]] = deque()
        for entree in toutes:
            en_vol.append(pool.submit(controler, entree, reglages))
            if len(en_vol) >= EN_VOL_PAR_PROCESSUS * processus:
                yield en_vol.popleft().result()
        while en_vol:
            yield en_vol.popleft().result()


def plusieurs(chemins: Sequence[Path]) -> bool:
    """Whether a run reports inputs one by one with a summary (several, or a folder)."""
    return len(chemins) > 1 or any(_dossier(c) for c in chemins)


def _dossier(chemin: Path) -> bool:
    try:
        return chemin.is_dir()
    except OSError:  # a name too long: reading it says so
        return False
