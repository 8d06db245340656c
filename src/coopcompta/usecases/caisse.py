"""`coop caisse`: the livre de caisse of 53 and every régie, the arrêté de caisse, and the rule
that an entry never takes a caisse below zero."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from coopcompta.domain.caisse import (
    ArreteDeCaisse,
    LivreDeCaisse,
    est_caisse,
    lire_comptage,
    livre_de_caisse,
    premier_negatif,
    refus_caisse_negative,
)
from coopcompta.domain.comptes import COMPTE_CAISSE
from coopcompta.domain.ecritures import formater_date
from coopcompta.domain.errors import DateInvalide, SaisieInvalide
from coopcompta.domain.model import Ecriture, Exercice

if TYPE_CHECKING:
    from coopcompta.domain.plan_comptable import PlanComptable
    from coopcompta.storage import Ledger


def refuser_caisse_negative(
    ledger: Ledger, exercice: str, ecriture: Ecriture, ou: str | None = None
) -> None:
    """Refuse an écriture that would take a cash or régie account below zero on any day."""
    from coopcompta.storage.caisse import par_jour

    effets: dict[str, Decimal] = {}
    for compte, montant, _ in ecriture.lignes_comptables():
        if est_caisse(compte):
            effets[compte] = effets.get(compte, Decimal(0)) + montant
    baisses = {c: m for c, m in effets.items() if m < 0}
    if not baisses:
        return
    jours = par_jour(ledger, exercice, sorted(baisses))
    for compte, montant in baisses.items():
        negatif = premier_negatif(jours[compte], ecriture.date, montant)
        if negatif:
            refus_caisse_negative(compte, negatif[0], negatif[1], ou or ecriture.piece)


def date_par_defaut(ex: Exercice, date: dt.date | None, ou: str) -> dt.date:
    """The date given, inside the exercice; by default its last day (or today, if earlier)."""
    if date is None:
        return min(ex.fin, max(ex.debut, dt.date.today()))
    if date not in ex:
        raise DateInvalide(
            f"date {formater_date(date)} hors de l'exercice {ex.nom} "
            f"(du {formater_date(ex.debut)} au {formater_date(ex.fin)})",
            ou,
        )
    return date


def libelle_compte(plan: PlanComptable | None, compte: str) -> str:
    trouve = plan.trouver(compte) if plan is not None else None
    return trouve.libelle if trouve else compte


def livres(
    ledger: Ledger, exercice: str | None = None, plan: PlanComptable | None = None
) -> list[LivreDeCaisse]:
    """The livre de caisse of 53 (always) and of every régie used in the exercice."""
    from coopcompta.storage.caisse import mouvements

    ex = ledger.exercice(exercice)
    lus = mouvements(ledger, ex.nom)
    comptes = sorted(set(lus) | {COMPTE_CAISSE})
    resultat = []
    for c in comptes:
        m = lus.get(c)
        resultat.append(
            livre_de_caisse(
                c,
                libelle_compte(plan, c),
                m.ouverture if m else Decimal("0.00"),
                m.lignes if m else [],
            )
        )
    return resultat


def arreter(
    ledger: Ledger,
    comptage: Sequence[str],
    par: str,
    compte: str = COMPTE_CAISSE,
    date: dt.date | None = None,
    exercice: str | None = None,
) -> ArreteDeCaisse:
    """Record a cash count by denomination, with the book balance at its date."""
    from coopcompta.storage.caisse import enregistrer_arrete
    from coopcompta.storage.rapprochement import solde_au

    if not par.strip():
        raise SaisieInvalide("indiquez qui a compté la caisse", "--par")
    if not est_caisse(compte):
        raise SaisieInvalide(
            f"le compte {compte} n'est pas une caisse (53 ou une régie)", "--compte"
        )
    quantites = lire_comptage(comptage)
    with ledger.transaction():
        ex = ledger.exercice(exercice)
        jour = date_par_defaut(ex, date, "--date")
        a = ArreteDeCaisse(
            compte, jour, par.strip(), quantites, solde_au(ledger, ex.nom, compte, jour)
        )
        enregistrer_arrete(ledger, ex.nom, a)
    return a


@dataclass(frozen=True)
class EtatArrete:
    """The latest count of a caisse, with the book balance at its date today."""

    arrete: ArreteDeCaisse
    solde_livre_actuel: Decimal

    @property
    def ecart_actuel(self) -> Decimal:
        return self.arrete.total - self.solde_livre_actuel


def arretes(ledger: Ledger, exercice: str) -> list[EtatArrete]:
    from coopcompta.storage.caisse import derniers_arretes
    from coopcompta.storage.rapprochement import solde_au

    return [
        EtatArrete(a, solde_au(ledger, exercice, a.compte, a.date))
        for a in derniers_arretes(ledger, exercice)
    ]
