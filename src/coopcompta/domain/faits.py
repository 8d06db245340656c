"""Facts the checks need: `storage.verifications` gathers them, `domain.checks` reads them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from coopcompta.domain.model import Exercice

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class Ref:
    """An écriture as an anomaly names it."""

    id: int | None
    piece: str | None
    date: dt.date | None = None
    libelle: str = ""


@dataclass(frozen=True)
class Desequilibre:
    """An écriture whose ventilation does not add up: `ecart` = announced total − lines."""

    ref: Ref
    ecart: Decimal
    total: Decimal | None = None
    lignes: Decimal | None = None


@dataclass(frozen=True)
class Doublon:
    """One pièce number used by several écritures (`nombre`; the first ones in `refs`)."""

    piece: str
    refs: tuple[Ref, ...]
    nombre: int | None = None  # None: as many as refs

    @property
    def total(self) -> int:
        return len(self.refs) if self.nombre is None else self.nombre


@dataclass(frozen=True)
class Trou:
    """Pièce numbers missing in a series: `premier` to `dernier` (inclusive)."""

    serie: str
    premier: int
    dernier: int


@dataclass(frozen=True)
class Saut:
    """A jump of many numbers in a series: from pièce `avant` (None: from the start) to `apres`."""

    serie: str
    avant: str | None
    apres: str
    manquants: int


@dataclass(frozen=True)
class RuptureCheque:
    """A cheque written out of sequence: before a lower number, twice, or after a gap."""

    tresorerie: str
    genre: str  # "ordre", "double" or "trou"
    ref: Ref
    numero: int
    precedent: Ref | None = None
    numero_precedent: int | None = None


@dataclass(frozen=True)
class CaisseNegative:
    """A cash account whose end-of-day balance fell below zero: the first such day, its
    balance, and the lowest balance of the exercice with its day."""

    compte: str
    date: dt.date
    solde: Decimal
    date_plus_bas: dt.date
    plus_bas: Decimal


@dataclass(frozen=True)
class Constats:
    """What SQL found in one exercice, for the pure checks."""

    exercice: Exercice
    desequilibres: tuple[Desequilibre, ...] = ()
    hors_exercice: tuple[Ref, ...] = ()
    attente: tuple[Ref, ...] = ()
    sans_piece: tuple[Ref, ...] = ()
    trous: tuple[Trou, ...] = ()
    sauts: tuple[Saut, ...] = ()
    doublons: tuple[Doublon, ...] = ()
    cheques: tuple[RuptureCheque, ...] = ()
    depenses_candidates: tuple[Ref, ...] = ()
    hors_plan: Mapping[str, tuple[Ref, ...]] = field(default_factory=dict)
    exceptionnelles: tuple[Ref, ...] = ()
    caisses_negatives: tuple[CaisseNegative, ...] = ()
    # Real sizes of the lists above that storage cut at REFS_MAX ("attente",
    # "exceptionnelles", "hors_plan:6999"), or at TROUS_MAX ("trous" ranges and
    # "pieces_manquantes" numbers) and SAUTS_MAX ("sauts"); a list absent from here
    # is complete.
    totaux: Mapping[str, int] = field(default_factory=dict)

    def total(self, cle: str, refs: Sequence[object]) -> int:
        return self.totaux.get(cle, len(refs))
