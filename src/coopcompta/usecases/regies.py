"""`coop regie`: a class's régie d'avances by name — advanced, spent (ventilated, tagged with the
class), and settled back to zero. Each step goes through the one écriture writer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from coopcompta.domain.comptes import COMPTE_CAISSE, PREFIXE_REGIE
from coopcompta.domain.ecritures import Part, creer_ecriture
from coopcompta.domain.errors import SaisieInvalide
from coopcompta.domain.model import Ecriture, Sens
from coopcompta.domain.regies import (
    Regie,
    avertissement_plafond,
    compte_libre,
    comptes_de_regie,
    nommer,
    trouver,
)

if TYPE_CHECKING:
    from coopcompta.domain.plan_comptable import PlanComptable
    from coopcompta.storage import Ledger


def regies(ledger: Ledger, exercice: str | None = None) -> list[Regie]:
    """Every régie with its balance in the exercice (the open one by default)."""
    from coopcompta.storage import regies as sql

    ex = ledger.exercice(exercice)
    soldes = ledger.soldes(ex.nom, PREFIXE_REGIE)
    return nommer(sql.noms(ledger), soldes, sql.etiquettes(ledger, ex.nom))


@dataclass(frozen=True)
class Mouvement:
    """What a régie command recorded, and what the treasurer should know about it."""

    regie: Regie
    ecriture: Ecriture
    avertissements: tuple[str, ...] = ()


def _jour(date: dt.date | None) -> dt.date:
    return date or dt.date.today()


def ouvrir(
    ledger: Ledger,
    plan: PlanComptable,
    nom: str,
    montant: Decimal,
    *,
    date: dt.date | None = None,
    depuis: str = COMPTE_CAISSE,
    mode: str | None = "especes",
    cheque: str | None = None,
    piece: str | None = None,
    forcer_caisse: bool = False,
) -> Mouvement:
    """Advance `montant` to the class's régie (opened on a free 541x account the first time)."""
    from coopcompta.storage import regies as sql
    from coopcompta.usecases.saisie import enregistrer_ecriture

    nom = nom.strip()
    if not nom:
        raise SaisieInvalide("indiquez le nom de la classe (ou de l'enseignant)", "NOM")
    if montant <= 0:
        raise SaisieInvalide("le montant avancé doit être positif", "--montant")
    jour = _jour(date)
    with ledger.transaction():
        existantes = regies(ledger)
        try:
            regie = trouver(existantes, nom)
        except SaisieInvalide:
            noms = sql.noms(ledger)
            pris = set(noms) | {r.compte for r in existantes}
            compte = compte_libre([c.numero for c in plan.comptes], pris, nom)
            sql.nommer(ledger, nom, compte, jour)
            regie = Regie(nom, compte)
        if not regie.nommee:
            sql.nommer(ledger, regie.nom, regie.compte, jour)
        ecriture = creer_ecriture(
            plan,
            date=jour,
            sens=Sens.VIREMENT,
            libelle=f"Avance à la régie {regie.nom}",
            montant=montant,
            tresorerie=depuis,
            contrepartie=regie.compte,
            mode=mode,
            cheque=cheque,
            piece=piece,
            ou={"tresorerie": "--depuis", "montant": "--montant", "piece": "--piece"},
        )
        ecrite = enregistrer_ecriture(ledger, ecriture, forcer_caisse=forcer_caisse)
    avert = avertissement_plafond(regie, regie.solde + montant)
    return Mouvement(regie, ecrite, (avert,) if avert else ())


def depense(
    ledger: Ledger,
    plan: PlanComptable,
    nom: str,
    montant: Decimal,
    compte: str,
    libelle: str,
    *,
    date: dt.date | None = None,
    piece: str | None = None,
    forcer_caisse: bool = False,
) -> Mouvement:
    """A justified expense paid from the régie, ventilated and tagged with the class."""
    from coopcompta.usecases.saisie import enregistrer_ecriture

    regie = trouver(regies(ledger), nom, "NOM")
    ecriture = creer_ecriture(
        plan,
        date=_jour(date),
        sens=Sens.DEPENSE,
        libelle=libelle or f"Dépense de la régie {regie.nom}",
        montant=montant,
        tresorerie=regie.compte,
        parts=[Part(compte, montant, regie.nom, "--compte")],
        mode="especes",
        piece=piece,
        ou={"montant": "--montant", "compte": "--compte", "piece": "--piece"},
    )
    return Mouvement(regie, enregistrer_ecriture(ledger, ecriture, forcer_caisse=forcer_caisse))


def solder(
    ledger: Ledger,
    plan: PlanComptable,
    nom: str,
    *,
    date: dt.date | None = None,
    vers: str = COMPTE_CAISSE,
    piece: str | None = None,
) -> Mouvement | None:
    """Return what is left of the régie; None when it is already at zero."""
    from coopcompta.storage.rapprochement import solde_au
    from coopcompta.usecases.saisie import enregistrer_ecriture, exercice_de_saisie

    jour = _jour(date)
    with ledger.transaction():
        regie = trouver(regies(ledger), nom, "NOM")
        ex = exercice_de_saisie(ledger, jour)
        reste = solde_au(ledger, ex.nom, regie.compte, ex.fin)
        if reste == 0:
            return None
        if reste < 0:
            raise SaisieInvalide(
                f"la régie {regie.nom} est négative ({reste}) : une dépense a été saisie en trop",
                regie.compte,
            )
        ecriture = creer_ecriture(
            plan,
            date=jour,
            sens=Sens.VIREMENT,
            libelle=f"Reliquat de la régie {regie.nom} rendu",
            montant=reste,
            tresorerie=regie.compte,
            contrepartie=vers,
            mode="especes",
            piece=piece,
            ou={"contrepartie": "--vers", "piece": "--piece"},
        )
        return Mouvement(regie, enregistrer_ecriture(ledger, ecriture))


def regies_non_soldees(ledger: Ledger, exercice: str) -> list[Regie]:
    return [r for r in regies(ledger, exercice) if r.solde != 0]


__all__ = ["comptes_de_regie", "depense", "ouvrir", "regies", "regies_non_soldees", "solder"]
