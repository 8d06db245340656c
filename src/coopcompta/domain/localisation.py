"""Where each anomaly of `coop verifier` is: accounts, CSV lines, for JSON and CI annotations.

The checks place an anomaly by the écritures, pièces, days and accounts they name
(`Anomalie.lieux`). What they cannot know — the accounts of each écriture, the line
of a journal CSV it was read from — comes from the use case as `Reperes`, and
`localiser` completes the places. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from coopcompta.domain.model import Anomalie, Lieu


@dataclass(frozen=True)
class Reperes:
    """What places the écritures of one input: their accounts, and for a journal CSV the line
    of each écriture, of each pièce and of each day's first movement on a treasury account."""

    comptes: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    lignes: Mapping[int, int] = field(default_factory=dict)
    pieces: Mapping[str, int] = field(default_factory=dict)
    jours: Mapping[tuple[dt.date, str], int] = field(default_factory=dict)


def ecritures_citees(anomalies: Iterable[Anomalie]) -> list[int]:
    """Ids of the écritures the anomalies place, once each (to read their accounts in one go)."""
    return list(
        dict.fromkeys(lieu.ecriture for a in anomalies for lieu in a.lieux if lieu.ecriture)
    )


def _ligne(lieu: Lieu, reperes: Reperes) -> int | None:
    if lieu.ligne is not None:
        return lieu.ligne
    if lieu.ecriture is not None and lieu.ecriture in reperes.lignes:
        return reperes.lignes[lieu.ecriture]
    if lieu.piece is not None and lieu.piece in reperes.pieces:
        return reperes.pieces[lieu.piece]
    if lieu.date is not None:
        for compte in lieu.comptes:
            if (lieu.date, compte) in reperes.jours:
                return reperes.jours[(lieu.date, compte)]
    return None


def localiser(
    anomalies: Iterable[Anomalie], reperes: Reperes, garder_ids: bool = True
) -> tuple[Anomalie, ...]:
    """The anomalies with their places completed from `reperes`.

    `garder_ids=False` drops écriture ids (those of a journal CSV loaded in memory mean
    nothing to the reader: its places carry CSV lines instead).
    """
    out = []
    for a in anomalies:
        lieux = tuple(
            replace(
                lieu,
                ecriture=lieu.ecriture if garder_ids else None,
                comptes=lieu.comptes or reperes.comptes.get(lieu.ecriture or 0, ()),
                ligne=_ligne(lieu, reperes),
            )
            for lieu in a.lieux
        )
        out.append(replace(a, lieux=lieux, ecritures=a.ecritures if garder_ids else ()))
    return tuple(out)


def lieu_principal(a: Anomalie) -> Lieu | None:
    """The place a reader opens first: the first one with a CSV line, else the first one."""
    for lieu in a.lieux:
        if lieu.ligne is not None:
            return lieu
    return a.lieux[0] if a.lieux else None


def comptes_concernes(a: Anomalie) -> tuple[str, ...]:
    """The anomaly's own accounts, else those of the écritures it names."""
    return a.comptes or tuple(dict.fromkeys(c for lieu in a.lieux for c in lieu.comptes))


def lieu_vers_json(lieu: Lieu) -> dict[str, Any]:
    return {
        "ecriture": lieu.ecriture,
        "ligne": lieu.ligne,
        "piece": lieu.piece,
        "date": lieu.date.isoformat() if lieu.date else None,
        "comptes": list(lieu.comptes),
    }


def anomalie_vers_json(a: Anomalie, fichier: str) -> dict[str, Any]:
    """One anomaly of `coop verifier --format json`: the message beside where it is."""
    principal = lieu_principal(a) or Lieu()
    return {
        "gravite": a.gravite.value,
        "code": a.code,
        "message": a.message,
        "pieces": list(a.pieces),
        "ecritures": list(a.ecritures),
        "fichier": fichier,
        "ligne": principal.ligne,
        # A finding made elsewhere (a sealed year's pièce) may name its pièce without a place.
        "piece": principal.piece or (a.pieces[0] if a.pieces else None),
        "date": principal.date.isoformat() if principal.date else None,
        "comptes": list(comptes_concernes(a)),
        "lieux": [lieu_vers_json(lieu) for lieu in a.lieux],
    }
