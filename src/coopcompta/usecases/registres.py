"""The registers: the tableau des subventions and the cahier d'inventaire, listed and completed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from coopcompta.domain.errors import SaisieInvalide
from coopcompta.domain.registres import BienDurable, Subvention

if TYPE_CHECKING:
    from coopcompta.storage import Ledger


def subventions(
    ledger: Ledger, exercice: str | None = None, limite: int | None = None
) -> list[Subvention]:
    from coopcompta.storage.registres import subventions as lire

    return lire(ledger, ledger.exercice(exercice).nom, limite)


def lignes_de_subventions(ledger: Ledger, exercice: str | None = None) -> int:
    from coopcompta.storage.registres import lignes_de_subventions as compter

    return compter(ledger, ledger.exercice(exercice).nom)


def inventaire(ledger: Ledger, exercice: str | None = None) -> list[BienDurable]:
    """The cahier d'inventaire up to the end of the exercice (goods of earlier years included)."""
    from coopcompta.storage.registres import inventaire as lire

    return lire(ledger, ledger.exercice(exercice).fin)


def _ligne(lignes: list[Any], piece: str, quoi: str, exercice: str) -> Any:
    cle = piece.strip().casefold()
    trouvees = [x for x in lignes if (x.piece or "").casefold() == cle]
    if not trouvees:
        connues = ", ".join(x.piece or "?" for x in lignes) or "aucune"
        raise SaisieInvalide(
            f"aucune {quoi} à la pièce {piece} dans l'exercice {exercice} (pièces : {connues})",
            "PIECE",
        )
    return trouvees[0]


def completer_subvention(
    ledger: Ledger,
    piece: str,
    *,
    exercice: str | None = None,
    financeur: str | None = None,
    decision: dt.date | None = None,
    objet: str | None = None,
    justificatif: str | None = None,
    utilise: Decimal | None = None,
) -> Subvention:
    from coopcompta.storage.registres import completer

    with ledger.transaction():
        ex = ledger.exercice(exercice)
        s = _ligne(subventions(ledger, ex.nom), piece, "subvention", ex.nom)
        if utilise is not None and not (0 <= utilise <= s.montant):
            raise SaisieInvalide(
                f"montant utilisé hors de 0 et du montant de la subvention ({s.montant})",
                "--utilise",
            )
        champs = {
            k: v
            for k, v in {
                "financeur": financeur,
                "decision": decision,
                "objet": objet,
                "justificatif": justificatif,
                "utilise": utilise,
            }.items()
            if v is not None
        }
        completer(ledger, "registre_subventions", s.ecriture_id, champs)
        return _ligne(subventions(ledger, ex.nom), piece, "subvention", ex.nom)  # type: ignore[no-any-return]


def completer_bien(
    ledger: Ledger,
    piece: str,
    *,
    exercice: str | None = None,
    designation: str | None = None,
    lieu: str | None = None,
    sortie: dt.date | None = None,
) -> BienDurable:
    from coopcompta.storage.registres import completer

    with ledger.transaction():
        ex = ledger.exercice(exercice)
        biens = [b for b in inventaire(ledger, ex.nom) if b.exercice == ex.nom]
        b = _ligne(biens, piece, "acquisition de bien durable (68000008)", ex.nom)
        if sortie is not None and sortie < b.date:
            raise SaisieInvalide(
                f"date de sortie {sortie:%d/%m/%Y} antérieure à l'achat ({b.date:%d/%m/%Y})",
                "--sortie",
            )
        champs = {
            k: v
            for k, v in {"designation": designation, "lieu": lieu, "sortie": sortie}.items()
            if v is not None
        }
        completer(ledger, "registre_inventaire", b.ecriture_id, champs)
        biens = [x for x in inventaire(ledger, ex.nom) if x.exercice == ex.nom]
        return _ligne(biens, piece, "acquisition", ex.nom)  # type: ignore[no-any-return]
