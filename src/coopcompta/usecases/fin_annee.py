"""The year-end documents of one exercice gathered for `coop bilan`, the export and the checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coopcompta.domain.fin_annee import (
    ArreteFait,
    ClotureFaite,
    DocumentsFinAnnee,
    RapprochementFait,
    avec_ouvertures,
    check_fin_annee,
)

if TYPE_CHECKING:
    from coopcompta.domain.model import Anomalie, Exercice
    from coopcompta.domain.plan_comptable import PlanComptable
    from coopcompta.domain.reports import Bilan
    from coopcompta.storage import Ledger


def par_compte(ledger: Ledger, bilan: Bilan) -> Bilan:
    """The bilan with each treasury account's opening balance and régies named by class."""
    from coopcompta.storage.tresorerie import ouvertures
    from coopcompta.usecases.regies import regies

    nom = bilan.exercice.nom
    return avec_ouvertures(bilan, ouvertures(ledger, nom), regies(ledger, nom))


def documents(
    ledger: Ledger, exercice: Exercice, plan: PlanComptable | None = None
) -> DocumentsFinAnnee:
    from coopcompta.storage.scellement import clotures
    from coopcompta.usecases.caisse import arretes, livres
    from coopcompta.usecases.rapprochement import rapprochements
    from coopcompta.usecases.regies import regies
    from coopcompta.usecases.registres import inventaire, subventions

    nom = exercice.nom
    cloture = next(
        (ClotureFaite(c.cloture_le, c.racine, c.raison_forcee) for c in clotures(ledger)
         if c.exercice == nom),
        None,
    )  # fmt: skip
    return DocumentsFinAnnee(
        cloture=cloture,
        rapprochements=tuple(
            RapprochementFait(r.fait_le, r.source, r.actuel) for r in rapprochements(ledger, nom)
        ),
        arretes=tuple(ArreteFait(a.arrete, a.solde_livre_actuel) for a in arretes(ledger, nom)),
        livres=tuple(livres(ledger, nom, plan)),
        regies=tuple(regies(ledger, nom)),
        subventions=tuple(subventions(ledger, nom)),
        inventaire=tuple(inventaire(ledger, nom)),
    )


def anomalies(ledger: Ledger, exercice: Exercice) -> list[Anomalie]:
    """What `coop verifier` adds for a ledger: reconciliation, cash count, régies by name."""
    from coopcompta.usecases.rapprochement import COMPTES_BANCAIRES
    from coopcompta.usecases.scellement import verifier_sceaux

    docs = documents(ledger, exercice)
    soldes = ledger.soldes(exercice.nom)
    bancaires = [c for c in COMPTES_BANCAIRES if c in soldes]
    return verifier_sceaux(ledger) + check_fin_annee(exercice.fin, docs, bancaires)
