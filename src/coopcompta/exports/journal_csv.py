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
    piece_de: Callable[[int], str | None] | None = None,
) -> int:
    """Write écritures in the journal CSV format; returns how many were written.

    The `annule` column needs the pièce of the cancelled écriture: it is taken from
    the écritures already written, else asked to `piece_de(id)` (e.g. the ledger),
    for a filtered journal where the original is not part of the output.
    """
    writer = csv.writer(fichier, delimiter=";", lineterminator="\n")
    writer.writerow(COLONNES)
    pieces: dict[int, str | None] = {}
    n = 0
    for e in ecritures:
        if e.id is not None:
            pieces[e.id] = e.piece
        annule = ""
        if e.annule is not None:
            piece = pieces.get(e.annule)
            if piece is None and piece_de is not None:
                piece = piece_de(e.annule)
            annule = piece or ""
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
