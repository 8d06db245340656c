"""The year-end documents of one exercice gathered for `coop bilan`, the export and the checks."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Literal

from coopcompta.domain.comptes import PREFIXE_BANQUES
from coopcompta.domain.fin_annee import (
    ArreteFait,
    ClotureFaite,
    DocumentsFinAnnee,
    RapprochementFait,
    avec_ouvertures,
    controler_fin_annee,
)

if TYPE_CHECKING:
    from coopcompta.domain.model import Anomalie, Exercice
    from coopcompta.domain.plan_comptable import PlanComptable
    from coopcompta.domain.registres import Subvention
    from coopcompta.domain.reports import Bilan
    from coopcompta.storage import Ledger


def par_compte(ledger: Ledger, bilan: Bilan) -> Bilan:
    """The bilan with each treasury account's opening balance and régies named by class."""
    from coopcompta.storage.tresorerie import ouvertures
    from coopcompta.usecases.regies import regies

    nom = bilan.exercice.nom
    return avec_ouvertures(bilan, ouvertures(ledger, nom), regies(ledger, nom))


# `coop bilan` lists the subsidies up to this many; `coop subventions liste` lists them all.
SUBVENTIONS_AU_BILAN = 50


def documents(
    ledger: Ledger,
    exercice: Exercice,
    plan: PlanComptable | None = None,
    *,
    pour: Literal["export", "bilan", "verifier"] = "export",
) -> DocumentsFinAnnee:
    """The year-end documents as each reader needs them: all of them for the export; for
    `coop bilan`, no cash book (`coop caisse` shows it) and the first subsidies; for
    `coop verifier`, only what its checks read (reconciliations, cash counts, closing), so
    that both stay fast on a ledger of a million écritures."""
    from coopcompta.storage.scellement import clotures
    from coopcompta.usecases.caisse import arretes, livres
    from coopcompta.usecases.rapprochement import rapprochements
    from coopcompta.usecases.regies import regies
    from coopcompta.usecases.registres import inventaire, lignes_de_subventions, subventions

    nom = exercice.nom
    cloture = next(
        (ClotureFaite(c.cloture_le, c.racine, c.raison_forcee) for c in clotures(ledger)
         if c.exercice == nom),
        None,
    )  # fmt: skip
    controles = DocumentsFinAnnee(
        cloture=cloture,
        rapprochements=tuple(
            RapprochementFait(r.fait_le, r.source, r.actuel) for r in rapprochements(ledger, nom)
        ),
        arretes=tuple(ArreteFait(a.arrete, a.solde_livre_actuel) for a in arretes(ledger, nom)),
    )
    if pour == "verifier":
        return controles
    listees: tuple[Subvention, ...] = ()
    en_plus = 0
    if pour == "bilan" and (n := lignes_de_subventions(ledger, nom)) > SUBVENTIONS_AU_BILAN:
        en_plus = n  # not a register any more: the bilan gives the count, not the rows
    else:
        listees = tuple(subventions(ledger, nom))
    return replace(
        controles,
        livres=tuple(livres(ledger, nom, plan)) if pour == "export" else (),
        regies=tuple(regies(ledger, nom)),
        subventions=listees,
        subventions_non_listees=en_plus,
        inventaire=tuple(inventaire(ledger, nom)),
    )


def anomalies(ledger: Ledger, exercice: Exercice) -> list[Anomalie]:
    """What `coop verifier` adds for a ledger: reconciliation, cash count, régies by name."""
    from coopcompta.domain.comptes import COMPTES_BANCAIRES
    from coopcompta.usecases.scellement import verifier_sceaux

    docs = documents(ledger, exercice, pour="verifier")
    soldes = ledger.soldes(exercice.nom, PREFIXE_BANQUES)
    bancaires = [c for c in COMPTES_BANCAIRES if c in soldes]
    return verifier_sceaux(ledger) + controler_fin_annee(exercice.fin, docs, bancaires)
