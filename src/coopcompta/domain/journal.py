"""What the journal counts: the recette and dépense columns and their totals, filtered or not.

Filtered by an account or a class tag, a recette or dépense counts only its matching
lines, so that the totals are those of `coop bilan` for that account or class. A
virement or an ouverture (report à nouveau) is neither: it stays out of the totals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from coopcompta.domain.ecritures import numero_piece, sans_accents
from coopcompta.domain.errors import SaisieInvalide
from coopcompta.domain.model import Ecriture, Ligne, Sens

ZERO = Decimal("0")


def lignes_retenues(
    e: Ecriture, compte: str | None = None, classe: str | None = None
) -> tuple[Ligne, ...]:
    """The ventilation lines of `e` that a journal filtered by account and/or class counts.

    A treasury account keeps every line of the écritures paid from it (its side is the
    whole amount); any other account, and a class, keep only their own lines.
    """
    return tuple(
        lg
        for lg in e.ventilation
        if (classe is None or (lg.classe or "").casefold() == classe.casefold())
        and (compte is None or compte in (lg.compte, e.tresorerie))
    )


@dataclass
class TotauxJournal:
    """The journal's running totals, counted écriture by écriture as it is read."""

    compte: str | None = None
    classe: str | None = None
    recettes: Decimal = ZERO
    depenses: Decimal = ZERO
    ecritures: int = 0

    @property
    def filtre(self) -> bool:
        return self.compte is not None or self.classe is not None

    def compter(
        self, e: Ecriture
    ) -> tuple[Decimal | None, Decimal | None, tuple[Ligne, ...] | None]:
        """Count `e`: its recette, its dépense (None when it is not one) and, filtered, the
        lines retained."""
        self.ecritures += 1
        retenues = lignes_retenues(e, self.compte, self.classe) if self.filtre else None
        montant = e.montant if retenues is None else sum((lg.montant for lg in retenues), ZERO)
        recette = montant if e.sens is Sens.RECETTE else None
        depense = montant if e.sens is Sens.DEPENSE else None
        self.recettes += recette or ZERO
        self.depenses += depense or ZERO
        return recette, depense, retenues


@dataclass(frozen=True)
class Recherche:
    """What `coop journal` looks for besides an account and a class; every criterion given
    must hold.

    `mots`: each word somewhere in the libellé, pièce, cheque number, accounts or classes
    (case and accents ignored); `montant`: the écriture's amount or one of its lines;
    `cheque`: the cheque number; `pieces`: a range of pièce numbers of one series;
    `du` / `au`: dates, both included.
    """

    mots: tuple[str, ...] = ()
    montant: Decimal | None = None
    cheque: str | None = None
    pieces: tuple[str, int, int] | None = None
    du: dt.date | None = None
    au: dt.date | None = None

    @property
    def vide(self) -> bool:
        return self == Recherche()

    def retient(self, e: Ecriture) -> bool:
        if self.du is not None and e.date < self.du:
            return False
        if self.au is not None and e.date > self.au:
            return False
        if self.cheque is not None and (e.cheque or "").lstrip("0") != self.cheque.lstrip("0"):
            return False
        if self.montant is not None and self.montant not in (
            abs(e.montant),
            *(abs(lg.montant) for lg in e.ventilation),
        ):
            return False
        if self.pieces is not None:
            num = numero_piece(e.piece or "")
            serie, debut, fin = self.pieces
            if num is None or num[0] != serie or not debut <= num[1] <= fin:
                return False
        if self.mots:
            texte = _normaliser(
                " ".join(
                    [
                        e.libelle,
                        e.piece or "",
                        e.cheque or "",
                        e.tresorerie,
                        e.contrepartie or "",
                        *(f"{lg.compte} {lg.classe or ''}" for lg in e.ventilation),
                    ]
                )
            )
            if not all(_normaliser(m) in texte for m in self.mots):
                return False
        return True


def _normaliser(texte: str) -> str:
    return sans_accents(texte).casefold()


def lire_pieces(texte: str, ou: str | None = "--pieces") -> tuple[str, int, int]:
    """`12-20`, `R3-R9` or `15`: a range of pièce numbers of one series, both included."""
    morceaux = [m.strip() for m in texte.split("-")]
    nums = [numero_piece(m) for m in morceaux]
    if len(morceaux) > 2 or any(n is None for n in nums):
        raise SaisieInvalide(f"plage de pièces illisible « {texte} » (ex. 12-20 ou R3-R9)", ou)
    debut, fin = nums[0], nums[-1]
    assert debut is not None and fin is not None
    if debut[0] != fin[0] or debut[1] > fin[1]:
        raise SaisieInvalide(f"plage de pièces illisible « {texte} » (ex. 12-20 ou R3-R9)", ou)
    return debut[0], debut[1], fin[1]
