"""`coop init` use case: create the ledger, its first exercice and its opening balances."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from coopcompta.domain.errors import CoopComptaError

if TYPE_CHECKING:
    from coopcompta.domain.model import Exercice
    from coopcompta.domain.plan_comptable import PlanComptable
    from coopcompta.storage import Ledger


@dataclass(frozen=True)
class Creation:
    """A ledger just created: where, for which coop and exercice, with which opening balances."""

    chemin: Path
    nom: str
    exercice: Exercice
    soldes: dict[str, Decimal]


def emplacement_libre(db: Path | None) -> Path:
    """Where the new ledger goes (--db, $COOP_DB, ./coop.db); refused if one is already there."""
    from coopcompta.storage import chemin_db
    from coopcompta.storage import emplacement_libre as verifier_emplacement

    chemin = chemin_db(db)
    verifier_emplacement(chemin)
    return chemin


def charger_plan_choisi(fichier: Path | None) -> PlanComptable:
    """The department's chart file, or the shipped one."""
    from coopcompta.importers.plan import charger_plan

    return charger_plan(fichier)


def nom_de_cooperative(texte: str | None, ou: str | None = None) -> str:
    """The coop's name, trimmed; an empty one is refused."""
    nom = (texte or "").strip()
    if not nom:
        raise CoopComptaError("nom de la coopérative vide", ou)
    return nom


def creer_comptabilite(
    chemin: Path,
    plan: PlanComptable,
    exercice: Exercice,
    *,
    nom: str,
    ecole: str = "",
    numero_occe: str = "",
    mandataire: str = "",
    ouvertures: Sequence[tuple[str, str]] = (),
    series: bool = False,
    fichier_plan: Path | None = None,
) -> Creation:
    """Create the ledger at `chemin` with its first exercice and the opening balances typed as
    (account, amount) text: treasury accounts only, one each. Nothing is written on refusal.

    `fichier_plan` is the chart file `plan` was read from (None: the shipped chart); the
    ledger remembers it, and every later command reads that chart.
    """
    from coopcompta.domain.cloture import soldes_d_ouverture
    from coopcompta.domain.plan_comptable import plan_vers_cache
    from coopcompta.storage import creer
    from coopcompta.usecases.comptabilite import META_PLAN_COMPILE, signature_plan

    nom = nom_de_cooperative(nom, "--nom")
    soldes = soldes_d_ouverture(plan, ouvertures)
    infos = {
        "nom": nom,
        "ecole": ecole,
        "numero_occe": numero_occe,
        "mandataire": mandataire,
        "series": "RD" if series else "",
    }
    if fichier_plan is not None:
        infos["plan"] = str(fichier_plan.resolve())
    signature = signature_plan(infos.get("plan"))
    if signature:
        infos[META_PLAN_COMPILE] = plan_vers_cache(plan, signature)
    creer(chemin, infos, exercice, soldes).close()
    return Creation(chemin, nom, exercice, soldes)


@dataclass(frozen=True)
class Correction:
    """An opening balance corrected: the account, the amount before and after."""

    compte: str
    avant: Decimal
    apres: Decimal


def corriger_ouverture(
    ledger: Ledger, saisies: Sequence[tuple[str, str]], exercice: str | None = None
) -> list[Correction]:
    """Replace opening balances typed wrong at `coop init` (all or nothing).

    Allowed while the exercice is open and has no other écriture on that account: once
    money moved, the balance is history, and a correction is an écriture of the year.
    """
    from coopcompta.domain.cloture import soldes_d_ouverture
    from coopcompta.domain.model import Ecriture, Sens
    from coopcompta.domain.money import depuis_centimes
    from coopcompta.storage import saisie as sql
    from coopcompta.usecases.comptabilite import plan_du_ledger

    option = "--corriger-ouverture"
    soldes = soldes_d_ouverture(plan_du_ledger(ledger), saisies, option)
    corrections = []
    with ledger.transaction():
        ex = ledger.exercice(exercice)
        if ex.nom in sql.exercices_clos(ledger):
            raise CoopComptaError(f"l'exercice {ex.nom} est clôturé", option)
        for compte, montant in soldes.items():
            n = sql.mouvements_du_compte(ledger, ex.nom, compte)
            if n:
                raise CoopComptaError(
                    f"le compte {compte} a déjà {n} écriture{'s' if n > 1 else ''} dans "
                    f"l'exercice {ex.nom} : son solde d'ouverture ne se corrige plus ; "
                    "enregistrez la correction comme une écriture (coop saisie)",
                    option,
                )
            ancienne = sql.ouverture_du_compte(ledger, ex.nom, compte)
            avant = depuis_centimes(ancienne[1]) if ancienne else Decimal("0")
            if ancienne:
                sql.supprimer_ouverture(ledger, ancienne[0])
            if montant:
                ledger.ajouter(
                    Ecriture(
                        date=ex.debut,
                        sens=Sens.OUVERTURE,
                        libelle="Report à nouveau",
                        montant=montant,
                        tresorerie=compte,
                        exercice=ex.nom,
                    )
                )
            corrections.append(Correction(compte, avant, montant))
    return corrections
