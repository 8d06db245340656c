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
from coopcompta.importers.journal_csv import COLONNES, neutraliser

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
    ordinaire = csv.writer(fichier, delimiter=";", lineterminator="\n")
    # csv quotes a field holding "\n" but not one holding a lone "\r", which a reader
    # takes for the end of the row: such a row (an older ledger's text) is quoted whole.
    tout_cite = csv.writer(fichier, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_ALL)
    ordinaire.writerow(COLONNES)
    pieces: dict[int, str | None] = {}
    n = 0
    for e in ecritures:
        if piece_annulee is not None:
            annule = piece_annulee(e) or ""
        else:
            if e.id is not None:
                pieces[e.id] = e.piece
            annule = (pieces.get(e.annule) or "") if e.annule is not None else ""
        # Text cells a spreadsheet would run are neutralised; dates, sens and amounts
        # cannot start like a formula (`-12,50` is a number).
        tete = [
            formater_date(e.date),
            neutraliser(e.piece or ""),
            neutraliser(e.libelle),
            e.sens.value,
            neutraliser(e.tresorerie),
            neutraliser(e.mode or ""),
            neutraliser(e.cheque or ""),
        ]
        annule = neutraliser(annule)
        textes = (
            e.libelle,
            e.piece or "",
            e.cheque or "",
            *(lg.classe or "" for lg in e.ventilation),
        )
        writer = tout_cite if any("\r" in t for t in textes) else ordinaire
        if e.sens in (Sens.RECETTE, Sens.DEPENSE):
            for i, lg in enumerate(e.ventilation):
                total = _montant_csv(e.montant) if i == 0 else ""
                writer.writerow(
                    [
                        *tete,
                        total,
                        neutraliser(lg.compte),
                        _montant_csv(lg.montant),
                        neutraliser(lg.classe or ""),
                        annule,
                    ]
                )
        else:
            compte = neutraliser(e.contrepartie or "") if e.sens is Sens.VIREMENT else ""
            montant = _montant_csv(e.montant)
            writer.writerow([*tete, "", compte, montant, "", annule])
        n += 1
    return n
