"""SQL for opening and closing exercices."""

from __future__ import annotations

from decimal import Decimal

from coopcompta.domain.ecritures import nouvelle_ecriture
from coopcompta.domain.model import Exercice, Sens
from coopcompta.storage import Ledger


def est_cloture(ledger: Ledger, nom: str) -> bool:
    row = ledger.conn.execute("SELECT cloture FROM exercices WHERE nom = ?", [nom]).fetchone()
    return bool(row and row[0])


def ouvrir_exercice_suivant(
    ledger: Ledger, ancien: Exercice, nouveau: Exercice, ouvertures: dict[str, Decimal]
) -> None:
    """Close `ancien` and open `nouveau` with its reports à nouveau, all or nothing."""
    with ledger.transaction():
        ledger.conn.execute("UPDATE exercices SET cloture = 1 WHERE nom = ?", [ancien.nom])
        ledger.ajouter_exercice(nouveau)
        ledger.ajouter_plusieurs(
            nouvelle_ecriture(
                nouveau.debut,
                Sens.OUVERTURE,
                f"Report à nouveau de l'exercice {ancien.nom}",
                montant,
                compte,
                exercice=nouveau.nom,
            )
            for compte, montant in ouvertures.items()
        )
