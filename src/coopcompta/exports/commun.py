"""What every export shares, light to import: the cooperative's particulars and the atomic file."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from coopcompta.domain.errors import CoopComptaError, fichier_inutilisable
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


@contextlib.contextmanager
def fichier_atomique(chemin: Path, *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside `chemin`; rename it over `chemin` only on success.

    An error (or Ctrl-C) leaves neither a half-written file nor a changed target.
    Refuses an existing target unless `force`.
    """
    if chemin.is_dir():
        raise CoopComptaError("c'est un dossier, pas un fichier", str(chemin))
    if chemin.exists() and not force:
        raise CoopComptaError(
            "le fichier existe déjà ; ajoutez --force pour le remplacer", str(chemin)
        )
    dossier = chemin.parent
    if not dossier.is_dir():
        raise CoopComptaError(f"dossier introuvable « {dossier} »", str(chemin))
    tmp = dossier / f".{chemin.name}.{secrets.token_hex(4)}.tmp"
    try:
        yield tmp
        os.replace(tmp, chemin)
    except OSError as exc:  # refused, disk full, read-only: a file problem, said in French
        raise CoopComptaError(
            fichier_inutilisable(exc, "écriture", "impossible"), str(chemin)
        ) from None
    finally:
        tmp.unlink(missing_ok=True)
