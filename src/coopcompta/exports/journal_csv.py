"""The journal CSV written by `coop journal --format csv` and `coop export x.csv`."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, TextIO

from coopcompta.domain.ecritures import (
    formater_date,
)
from coopcompta.domain.model import Ecriture, Sens
from coopcompta.domain.money import formater_point
from coopcompta.importers.journal_csv import COLONNES

if TYPE_CHECKING:
    pass


def _montant_csv(montant: Decimal) -> str:
    return formater_point(montant).replace(".", ",")


def ecrire_journal(
    ecritures: Iterable[Ecriture],
    fichier: TextIO,
    piece_annulee: Callable[[Ecriture], str | None] | None = None,
) -> int:
    """Write écritures in the journal CSV format; returns how many were written.

    The `annule` column needs the pièce of the cancelled écriture: `piece_annulee(e)`
    gives it (the journal use case, in constant memory); without it, it is taken from the
    écritures already written (a list in memory).
    """
    writer = csv.writer(fichier, delimiter=";", lineterminator="\n")
    writer.writerow(COLONNES)
    pieces: dict[int, str | None] = {}
    n = 0
    for e in ecritures:
        if piece_annulee is not None:
            annule = piece_annulee(e) or ""
        else:
            if e.id is not None:
                pieces[e.id] = e.piece
            annule = (pieces.get(e.annule) or "") if e.annule is not None else ""
        tete = [formater_date(e.date), e.piece or "", e.libelle, e.sens.value, e.tresorerie]
        tete += [e.mode or "", e.cheque or ""]
        if e.sens in (Sens.RECETTE, Sens.DEPENSE):
            for i, lg in enumerate(e.ventilation):
                total = _montant_csv(e.montant) if i == 0 else ""
                writer.writerow(
                    [*tete, total, lg.compte, _montant_csv(lg.montant), lg.classe or "", annule]
                )
        else:
            compte = e.contrepartie or "" if e.sens is Sens.VIREMENT else ""
            montant = _montant_csv(e.montant)
            writer.writerow([*tete, "", compte, montant, "", annule])
        n += 1
    return n
