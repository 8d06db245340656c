"""SQL of what the suggestions learn: the recent écritures with their amounts, splits, virements."""

from __future__ import annotations

from coopcompta.domain.apprentissage import Passe
from coopcompta.domain.comptes import COMPTE_ATTENTE
from coopcompta.domain.model import Sens
from coopcompta.storage import Ledger

# A correction (`coop corriger`: an account changed that was not 471) teaches this much more
# than an écriture left as it was imported.
POIDS_CORRECTION = 3.0


def passe_recent(ledger: Ledger, limite: int = 5000) -> list[Passe]:
    """The `limite` most recent recettes, dépenses and virements (neither cancelled nor
    cancelling, nothing left on 471), oldest first, in one query."""
    conn = ledger.conn
    corrigees = {
        r[0]
        for r in conn.execute(
            "SELECT ecriture_id FROM ventilations_differees"
            " WHERE ecriture_id IS NOT NULL AND avant NOT LIKE ?",
            [f'%"{COMPTE_ATTENTE}"%'],
        )
    }
    rows = conn.execute(
        "SELECT e.id, e.libelle, e.sens, e.montant, e.tresorerie, e.contrepartie,"
        " l.compte, l.montant, e.exercice, e.piece FROM"
        " (SELECT * FROM ecritures WHERE annule IS NULL"
        "  AND sens IN ('recette', 'depense', 'virement') ORDER BY id DESC LIMIT ?) e"
        " LEFT JOIN lignes l ON l.ecriture_id = e.id AND l.role = 'v'"
        " WHERE NOT EXISTS (SELECT 1 FROM ecritures c WHERE c.annule = e.id)"
        " ORDER BY e.id, l.id",
        [limite],
    )
    result: list[Passe] = []
    parts: list[tuple[str, int]] = []
    courant: tuple[int, str, str, int, str, str | None] | None = None
    ou = ""

    def fin() -> None:
        if courant is None:
            return
        eid, libelle, sens, montant, tresorerie, contrepartie = courant
        poids = POIDS_CORRECTION if eid in corrigees else 1.0
        if sens == "virement":
            result.append(
                Passe(
                    libelle,
                    Sens.VIREMENT,
                    abs(montant),
                    source=tresorerie,
                    destination=contrepartie,
                    poids=poids,
                    piece=ou,
                )
            )
        elif parts and all(c != COMPTE_ATTENTE for c, _ in parts):
            passe = Passe(libelle, Sens(sens), abs(montant), tuple(parts), poids=poids, piece=ou)
            result.append(passe)

    for eid, libelle, sens, montant, tresorerie, contrepartie, compte, m, ex, piece in rows:
        if courant is None or courant[0] != eid:
            fin()
            courant = (eid, libelle, sens, montant, tresorerie, contrepartie)
            ou = f"{ex} pièce {piece}" if piece else f"{ex} écriture n° {eid}"
            parts = []
        if compte is not None:
            parts.append((compte, abs(m)))
    fin()
    return result
