"""What every export shares, light to import: the cooperative's particulars and the atomic file."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from coopcompta.domain.errors import CoopComptaError, fichier_inutilisable

try:
    import fcntl
except ImportError:  # Windows: no flock, stale temporary files are left alone
    fcntl = None  # type: ignore[assignment]
from coopcompta.domain.model import Exercice


@dataclass(frozen=True)
class Informations:
    """What the Informations sheet says about the cooperative and the export."""

    nom: str
    ecole: str
    numero_occe: str
    mandataire: str
    exercice: Exercice
    plan: str
    produit_le: dt.datetime
    version: str
    tolerance: str = ""
    comptabilite: str = ""


# -- files -------------------------------------------------------------------


# A private folder beside the target, `.NAME.0123abcd.tmp`, holds the file being written
# and the temporary files of the export. The same pattern names the temporary file of earlier
# versions (a file, not a folder): both are ours, and only ours are ever removed.
_TEMPORAIRE = re.compile(r"\.(.+\.(?:xlsx|csv|pdf))\.[0-9a-f]{8}\.tmp", re.IGNORECASE)


@contextlib.contextmanager
def fichier_atomique(chemin: Path, *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside `chemin`; rename it over `chemin` only on success.

    An error (or Ctrl-C) leaves neither a half-written file nor a changed target.
    Refuses an existing target unless `force`.

    The temporary path lies in a private folder beside the target, which also receives
    every temporary file made with Python's `tempfile` meanwhile (openpyxl's write-only
    sheets: a copy of the journal), and which is removed at the end. An export killed
    outright (SIGKILL, power cut) cannot remove it: the next export into the same folder
    does, as it holds no lock any more (a running export keeps its folder locked).
    """
    try:
        est_dossier, existe = chemin.is_dir(), chemin.exists()
    except OSError as exc:  # a name too long, a path through a file: said in French
        raise CoopComptaError(
            fichier_inutilisable(exc, "écriture", "impossible"), str(chemin)
        ) from None
    if est_dossier:
        raise CoopComptaError("c'est un dossier, pas un fichier", str(chemin))
    if existe and not force:
        raise CoopComptaError(
            "le fichier existe déjà ; ajoutez --force pour le remplacer", str(chemin)
        )
    dossier = chemin.parent
    if not dossier.is_dir():
        raise CoopComptaError(f"dossier introuvable « {dossier} »", str(chemin))
    nettoyer_temporaires(dossier)
    prive = dossier / f".{chemin.name}.{secrets.token_hex(4)}.tmp"
    tmp = prive / chemin.name
    verrou: int | None = None
    ancien = tempfile.tempdir
    try:
        prive.mkdir()
        verrou = _verrouiller(prive)
        tempfile.tempdir = str(prive)
        yield tmp
        os.replace(tmp, chemin)
    except OSError as exc:  # refused, disk full, read-only: a file problem, said in French
        raise CoopComptaError(
            fichier_inutilisable(exc, "écriture", "impossible"), str(chemin)
        ) from None
    finally:
        tempfile.tempdir = ancien
        shutil.rmtree(prive, ignore_errors=True)
        if verrou is not None:
            os.close(verrou)


def _verrouiller(dossier: Path) -> int | None:
    """Hold an exclusive lock on the folder while the export runs (released at exit, even
    on SIGKILL): the open descriptor, or None where there are no such locks."""
    if fcntl is None:
        return None
    fd = os.open(dossier, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def nettoyer_temporaires(dossier: Path) -> list[Path]:
    """Remove what killed exports left in `dossier`: our own temporary files and folders
    (`_TEMPORAIRE`), when no running export holds them. Returns what was removed."""
    if fcntl is None:
        return []
    retires = []
    with contextlib.suppress(OSError):
        for entree in os.scandir(dossier):
            if _TEMPORAIRE.fullmatch(entree.name) is None:
                continue
            try:
                fd = os.open(entree.path, os.O_RDONLY)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a running export's
            else:
                if entree.is_dir(follow_symlinks=False):
                    shutil.rmtree(entree.path, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        os.unlink(entree.path)
                retires.append(Path(entree.path))
            finally:
                os.close(fd)
    return retires
