"""The seal of a closed exercice: a SHA-256 chain over its écritures, so that an écriture changed,
deleted or added behind the tool's back (in the SQLite file) is found and named by its pièce.

Each écriture's content hash covers its canonical content (every column and every line);
each link of the chain covers the previous link and that content.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coopcompta.domain.model import Anomalie, Gravite

CODE = "exercice-clos-modifie"


@dataclass(frozen=True)
class Sceau:
    """One écriture's place in the chain."""

    ecriture_id: int
    piece: str | None
    date: str
    contenu: str  # SHA-256 of its canonical content
    chaine: str  # SHA-256 of the previous link and `contenu`


@dataclass(frozen=True)
class EcritureBrute:
    """An écriture as stored: its columns and its lines, in storage order."""

    id: int
    piece: str | None
    date: str
    colonnes: Sequence[object]
    lignes: Sequence[Sequence[object]]


def canonique(e: EcritureBrute) -> bytes:
    return json.dumps(
        [list(e.colonnes), [list(lg) for lg in e.lignes]],
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    ).encode("utf-8")


def origine(exercice: str) -> str:
    return hashlib.sha256(f"coopcompta:{exercice}".encode()).hexdigest()


def sceller(exercice: str, ecritures: Iterable[EcritureBrute]) -> list[Sceau]:
    """The chain over the écritures in id order."""
    precedent = origine(exercice)
    sceaux = []
    for e in ecritures:
        contenu = hashlib.sha256(canonique(e)).hexdigest()
        precedent = hashlib.sha256((precedent + contenu).encode()).hexdigest()
        sceaux.append(Sceau(e.id, e.piece, e.date, contenu, precedent))
    return sceaux


def racine(exercice: str, sceaux: Sequence[Sceau]) -> str:
    return sceaux[-1].chaine if sceaux else origine(exercice)


def _nom(s: Sceau) -> str:
    return f"pièce {s.piece}" if s.piece else f"écriture n°{s.ecriture_id} (sans pièce)"


def comparer(
    exercice: str, scelles: Sequence[Sceau], racine_scellee: str, actuels: Sequence[Sceau]
) -> list[Anomalie]:
    """What changed in a closed exercice since it was sealed, each named by its pièce."""
    avant = {s.ecriture_id: s for s in scelles}
    maintenant = {s.ecriture_id: s for s in actuels}
    out: list[Anomalie] = []

    def erreur(s: Sceau, quoi: str) -> None:
        out.append(
            Anomalie(
                Gravite.ERREUR,
                CODE,
                f"{_nom(s)} du {s.date[8:10]}/{s.date[5:7]}/{s.date[:4]} {quoi} dans l'exercice "
                f"clos {exercice}, hors de coopcompta : un exercice clos ne se corrige que par "
                "une écriture dans l'exercice ouvert",
                pieces=(s.piece,) if s.piece else (),
            )
        )

    for i, s in avant.items():
        if i not in maintenant:
            erreur(s, "a été supprimée")
        elif maintenant[i].contenu != s.contenu:
            erreur(maintenant[i], "a été modifiée")
    for i, s in maintenant.items():
        if i not in avant:
            erreur(s, "a été ajoutée")
    if not out and (racine(exercice, scelles) != racine_scellee):
        out.append(
            Anomalie(
                Gravite.ERREUR,
                CODE,
                f"le sceau de l'exercice clos {exercice} a été altéré hors de coopcompta",
            )
        )
    return out
