"""`coop saisie`, `coop virement`, `coop annuler` use cases: one entry, a journal CSV batch,
a contre-passation.

Each runs in one write transaction (BEGIN IMMEDIATE), so the pièce number is
allocated and checked while no other `coop` process can take it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from coopcompta.domain.ecritures import (
    NOMS_SENS,
    Numeroteur,
    Part,
    contre_passation,
    creer_ecriture,
    exercice_pour,
    formater_date,
    lire_date,
    serie_piece,
    verifier_annulable,
    verifier_piece_automatique,
)
from coopcompta.domain.errors import SaisieInvalide
from coopcompta.domain.model import Ecriture, Exercice, Sens
from coopcompta.domain.money import formater_euros

if TYPE_CHECKING:
    from coopcompta.domain.plan_comptable import PlanComptable
    from coopcompta.storage import Ledger


def exercice_de_saisie(ledger: Ledger, jour: dt.date, ou: str | None = "--date") -> Exercice:
    """The open exercice an écriture dated `jour` belongs to (bounds in the error)."""
    from coopcompta.storage.saisie import exercices_clos

    return exercice_pour(jour, ledger.exercices(), ou, exercices_clos(ledger))


def exercice_ouvert(ledger: Ledger) -> Exercice:
    """The exercice new écritures go to: the last one not closed (else the last one)."""
    from coopcompta.storage.saisie import exercices_clos

    clos = exercices_clos(ledger)
    exercices = ledger.exercices()
    ouverts = [ex for ex in exercices if ex.nom not in clos]
    return (ouverts or exercices)[-1]


def lire_date_saisie(ledger: Ledger, texte: str, ou: str | None = "--date") -> dt.date:
    """A date as typed (16/09, 16/9/25, 16-09-2025…): a date without its year falls in the
    open exercice."""
    return lire_date(texte, ou, exercice_ouvert(ledger))


def classes_connues(ledger: Ledger) -> list[str]:
    """The class and project names already used, offered at the class prompt."""
    from coopcompta.storage.saisie import classes_connues as sql

    return sql(ledger)


def date_proposee(ledger: Ledger) -> dt.date:
    """The date offered at the prompt: that of the last écriture typed, else today, kept
    inside the open exercice (after 31 August, today is outside the year being finished)."""
    from coopcompta.storage.saisie import derniere_date

    ex = exercice_ouvert(ledger)
    jour = derniere_date(ledger, ex.nom) or dt.date.today()
    return min(max(jour, ex.debut), ex.fin)


CONSEIL_PIECE = "donnez vous-même le numéro de la pièce avec --piece"


def proposer_piece(
    ledger: Ledger,
    exercice: str,
    sens: Sens,
    conseil: str = CONSEIL_PIECE,
    ou: str | None = "--piece",
) -> str:
    """The pièce number the next écriture of this sens would get (shown before saving);
    refused past 9 digits, with `conseil` telling the treasurer what to do instead."""
    piece = ledger.prochaine_piece(exercice, serie_piece(sens, ledger.meta("series")))
    return verifier_piece_automatique(piece, conseil, ou)


def verifier_piece_libre(ledger: Ledger, exercice: str, piece: str, ou: str = "--piece") -> None:
    from coopcompta.storage.saisie import piece_utilisee

    if piece_utilisee(ledger, exercice, piece):
        raise SaisieInvalide(f"pièce {piece} déjà utilisée dans l'exercice {exercice}", ou)


def enregistrer_ecriture(
    ledger: Ledger, ecriture: Ecriture, *, forcer_caisse: bool = False
) -> Ecriture:
    """Record one recette, dépense or virement; a missing pièce gets the next number.

    A movement that would take a caisse (53, a régie) below zero is refused unless forced.
    """
    from coopcompta.domain.ventilation import classe_connue
    from coopcompta.storage.saisie import classes_connues
    from coopcompta.usecases.caisse import refuser_caisse_negative

    with ledger.transaction():
        ex = exercice_de_saisie(ledger, ecriture.date)
        if any(lg.classe for lg in ecriture.ventilation):
            connues = classes_connues(ledger)
            ecriture = replace(
                ecriture,
                ventilation=tuple(
                    replace(lg, classe=classe_connue(lg.classe, connues))
                    for lg in ecriture.ventilation
                ),
            )
        if not forcer_caisse:
            refuser_caisse_negative(ledger, ex.nom, ecriture)
        if ecriture.piece:
            verifier_piece_libre(ledger, ex.nom, ecriture.piece)
            piece = ecriture.piece
        else:
            piece = proposer_piece(ledger, ex.nom, ecriture.sens)
        ecriture = replace(ecriture, exercice=ex.nom, piece=piece)
        return replace(ecriture, id=ledger.ajouter(ecriture))


def saisir(
    ledger: Ledger,
    *,
    date: dt.date,
    sens: Sens,
    libelle: str,
    montant: Decimal,
    tresorerie: str,
    parts: Sequence[Part] = (),
    contrepartie: str | None = None,
    piece: str | None = None,
    mode: str | None = None,
    cheque: str | None = None,
    ou: Mapping[str, str | None] | str | None = None,
    forcer_caisse: bool = False,
) -> Ecriture:
    """Build a recette, dépense or virement from the values typed, check it against the
    ledger's chart, and record it (`ou` names the option each value came from)."""
    from coopcompta.usecases.comptabilite import plan_du_ledger

    ecriture = creer_ecriture(
        plan_du_ledger(ledger),
        date=date,
        sens=sens,
        libelle=libelle,
        montant=montant,
        tresorerie=tresorerie,
        parts=parts,
        contrepartie=contrepartie,
        piece=piece,
        mode=mode,
        cheque=cheque,
        ou=ou,
    )
    return enregistrer_ecriture(ledger, ecriture, forcer_caisse=forcer_caisse)


def _originale(ledger: Ledger, exercice: str, piece: str, ou: str | None) -> Ecriture:
    """The écriture a contre-passation cancels, refusing what cannot be cancelled."""
    trouvees = ledger.par_piece(exercice, piece)
    if not trouvees:
        raise SaisieInvalide(f"pièce {piece} inconnue dans l'exercice {exercice}", ou)
    candidates = [e for e in trouvees if e.annule is None]
    if not candidates:
        verifier_annulable(trouvees[0], None, ou)  # a contre-passation: refused
    for e in candidates:
        assert e.id is not None
        if ledger.annulation_de(e.id) is None:
            return e
    derniere = candidates[-1]
    assert derniere.id is not None
    annulation = ledger.ecriture(ledger.annulation_de(derniere.id) or 0)
    verifier_annulable(derniere, (annulation.piece if annulation else None) or "?", ou)
    raise AssertionError("unreachable")  # pragma: no cover


def annuler_piece(
    ledger: Ledger,
    piece: str,
    exercice: str | None = None,
    date: dt.date | None = None,
    motif: str | None = None,
) -> tuple[Ecriture, Ecriture]:
    """Record the contre-passation of pièce `piece` (any case); returns (cancelled, reversal)."""
    from coopcompta.storage.saisie import piece_enregistree

    with ledger.transaction():
        ex = ledger.exercice(exercice)
        piece = piece.strip()
        enregistree = piece_enregistree(ledger, ex.nom, piece)
        if enregistree is None:
            raise SaisieInvalide(f"inconnue dans l'exercice {ex.nom}", f"pièce {piece}")
        originale = _originale(ledger, ex.nom, enregistree, None)
        if date is None:
            # The reversal is dated like the écriture it cancels, when that year is open.
            ouvert = exercice_ouvert(ledger)
            date = originale.date if originale.date in ouvert else date_proposee(ledger)
        ex_contre = exercice_de_saisie(ledger, date)
        contre = contre_passation(originale, date, motif=motif)
        numero = None
        if contre.sens is not Sens.OUVERTURE:
            numero = proposer_piece(
                ledger,
                ex_contre.nom,
                contre.sens,
                "saisissez l'écriture inverse vous-même (coop saisie avec --piece)",
                ou=None,
            )
        contre = replace(contre, exercice=ex_contre.nom, piece=numero)
        return originale, replace(contre, id=ledger.ajouter(contre))


def enregistrer_journal(ledger: Ledger, plan: PlanComptable, path: Path) -> int:
    """Record every écriture of a journal CSV in one transaction (all or nothing).

    Rows are streamed: memory stays flat for a 100 000-row file.
    """
    from coopcompta.importers.journal_csv import lire_journal
    from coopcompta.storage.saisie import exercices_clos, ouvertures, pieces_utilisees

    nom = Path(path).name
    with ledger.enregistreur() as enregistreur:
        exercices = ledger.exercices()
        clos = exercices_clos(ledger)
        numeroteur = Numeroteur(pieces_utilisees(ledger), ledger.meta("series"))
        ouverts = ouvertures(ledger)

        def preparer() -> Iterator[Ecriture]:
            for lu in lire_journal(path, plan, strict=True):
                ou = f"{nom}:{lu.ligne}"
                e = lu.ecriture
                ex = exercice_pour(e.date, exercices, ou, clos)
                annule = None
                if lu.annule_piece:
                    # The cancelled écriture may be a row above: written first.
                    originale = enregistreur.appeler(
                        _originale, ledger, ex.nom, lu.annule_piece, ou
                    )
                    _verifier_contre_passation(originale, e, ou)
                    annule = originale.id
                if e.sens is Sens.OUVERTURE:
                    cle = (ex.nom, e.tresorerie)
                    if annule is not None:
                        ouverts.discard(cle)
                    elif cle in ouverts:
                        raise SaisieInvalide(
                            f"le compte {e.tresorerie} a déjà un report à nouveau dans "
                            f"l'exercice {ex.nom}",
                            ou,
                        )
                    else:
                        ouverts.add(cle)
                if e.piece:
                    piece: str | None = numeroteur.utiliser(ex.nom, e.piece, ou)
                elif e.sens is Sens.OUVERTURE:
                    piece = None
                else:
                    piece = verifier_piece_automatique(
                        numeroteur.prochaine(ex.nom, e.sens),
                        "donnez le numéro de la pièce dans la colonne piece",
                        ou,
                    )
                yield replace(e, exercice=ex.nom, piece=piece, annule=annule)

        for e in preparer():
            enregistreur.ajouter(e)
        return enregistreur.nb


def _verifier_contre_passation(originale: Ecriture, contre: Ecriture, ou: str) -> None:
    if contre.sens is not originale.sens or contre.montant != -originale.montant:
        raise SaisieInvalide(
            f"la contre-passation de la pièce {originale.piece} "
            f"({NOMS_SENS[originale.sens]} de {formater_euros(originale.montant)} du "
            f"{formater_date(originale.date)}) doit avoir le même sens et un montant de "
            f"{formater_euros(-originale.montant)}",
            ou,
        )
    if contre.date < originale.date:
        raise SaisieInvalide(
            f"une contre-passation ne peut pas précéder l'écriture annulée "
            f"(pièce {originale.piece} du {formater_date(originale.date)})",
            ou,
        )
