"""`coop journal` use case: the écritures of an exercice, filtered, streamed from the ledger."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from coopcompta.domain.model import Ecriture, Exercice
    from coopcompta.storage import Ledger


@dataclass
class Journal:
    """The écritures asked for, in date order (read as they are used: constant memory).

    `compte` is the canonical number of the account filtered on. A contre-passation
    names the pièce it cancels: `piece_annulee` finds it among the écritures already
    read, else asks the ledger, which must stay open while the journal is read.
    """

    ledger: Ledger
    exercice: Exercice
    ecritures: Iterator[Ecriture]
    mois: int | None = None
    compte: str | None = None
    classe: str | None = None
    _pieces: dict[int, str | None] = field(default_factory=dict, repr=False)
    _annulees: set[int] | None = field(default=None, repr=False)

    def piece_de(self, ecriture_id: int) -> str | None:
        """The pièce of an écriture of the ledger, by id."""
        if ecriture_id not in self._pieces:
            e = self.ledger.ecriture(ecriture_id)
            self._pieces[ecriture_id] = e.piece if e else None
        return self._pieces[ecriture_id]

    def piece_annulee(self, e: Ecriture) -> str | None:
        """The pièce `e` cancels (None if it is no contre-passation). The pièces of the
        écritures some contre-passation cancels are remembered as they go by, and only
        those: memory follows the corrections, not the length of the journal."""
        if self._annulees is None:
            from coopcompta.storage.export import ecritures_annulees

            self._annulees = ecritures_annulees(self.ledger, self.exercice.nom)
        if e.id is not None and e.id in self._annulees:
            self._pieces[e.id] = e.piece
        return self.piece_de(e.annule) if e.annule is not None else None


def consulter_journal(
    ledger: Ledger,
    exercice: str | None = None,
    *,
    mois: int | None = None,
    compte: str | None = None,
    classe: str | None = None,
    texte: str | None = None,
    montant: str | None = None,
    cheque: str | None = None,
    pieces: str | None = None,
    du: str | None = None,
    au: str | None = None,
) -> Journal:
    """The exercice's écritures, of one month, touching one account or one class tag (any
    case), holding every word of `texte`, of one amount (écriture or line), one cheque,
    a range of pièces (`12-20`), between two dates (`16/09`: the exercice's year)."""
    from coopcompta.domain.ecritures import lire_date
    from coopcompta.domain.journal import Recherche, lire_pieces
    from coopcompta.domain.money import lire_montant
    from coopcompta.usecases.comptabilite import plan_du_ledger

    ex = ledger.exercice(exercice)
    numero = plan_du_ledger(ledger).compte(compte, "--compte").numero if compte else None
    recherche = Recherche(
        mots=tuple((texte or "").split()),
        montant=abs(lire_montant(montant, "--montant")) if montant is not None else None,
        cheque=cheque.strip() if cheque else None,
        pieces=lire_pieces(pieces) if pieces else None,
        du=lire_date(du, "--du", ex) if du is not None else None,
        au=lire_date(au, "--au", ex) if au is not None else None,
    )
    ecritures = ledger.ecritures(ex.nom, mois=mois, compte=numero, classe=classe)
    if not recherche.vide:
        ecritures = (e for e in ecritures if recherche.retient(e))
    return Journal(ledger, ex, ecritures, mois, numero, classe)


def ecrire_journal_csv(journal: Journal, sortie: TextIO) -> int:
    """Write the journal in the CSV format `coop saisie --fichier` reads; returns how many."""
    from coopcompta.exports.journal_csv import ecrire_journal

    return ecrire_journal(journal.ecritures, sortie, journal.piece_annulee)
