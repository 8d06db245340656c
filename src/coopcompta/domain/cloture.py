"""Year boundaries: the balances a year opens with (report à nouveau), and whether it may close."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from coopcompta.domain.comptes import COMPTE_ATTENTE, PREFIXE_REGIE, PREFIXE_VIREMENTS_INTERNES
from coopcompta.domain.errors import CoopComptaError
from coopcompta.domain.model import Anomalie, Compte, Exercice, Gravite, Nature
from coopcompta.domain.money import formater_euros, lire_montant
from coopcompta.domain.plan_comptable import PlanComptable

# Virements internes in transit: money between two of the coop's own accounts.


def comptes_a_ouvrir(plan: PlanComptable) -> list[Compte]:
    """The treasury accounts a new ledger may open with a balance: not the régies d'avances
    nor the virements internes, which open at zero."""
    return [
        c
        for c in plan.par_nature(Nature.TRESORERIE)
        if not c.numero.startswith((PREFIXE_REGIE, PREFIXE_VIREMENTS_INTERNES))
    ]


def soldes_d_ouverture(
    plan: PlanComptable, saisis: Iterable[tuple[str, str]], ou: str | None = "--ouverture"
) -> dict[str, Decimal]:
    """The opening balances typed at creation, (account, amount as typed), by canonical number.

    Only treasury accounts have one, and each at most once.
    """
    soldes: dict[str, Decimal] = {}
    for code, texte in saisis:
        compte = plan.compte(code, ou)
        if compte.nature is not Nature.TRESORERIE:
            raise CoopComptaError(
                f"le compte {compte.numero} ({compte.libelle}) n'est pas un compte de trésorerie",
                ou,
            )
        montant = lire_montant(texte, ou)
        if compte.numero in soldes:
            raise CoopComptaError(
                f"le compte {compte.numero} a deux soldes d'ouverture "
                f"({formater_euros(soldes[compte.numero])} et {formater_euros(montant)}) : "
                "un seul par compte",
                ou,
            )
        soldes[compte.numero] = montant
    return soldes


def reports_a_nouveau(soldes: Mapping[str, Decimal], plan: PlanComptable) -> dict[str, Decimal]:
    """Closing balance of every treasury account, to open the next exercice with.

    Accounts with a zero balance are left out; an account absent from the chart
    keeps its balance only if it is a treasury account in the chart, so a stray
    code never becomes an opening balance.
    """
    ouvertures: dict[str, Decimal] = {}
    for code, solde in sorted(soldes.items()):
        compte = plan.trouver(code)
        if compte is not None and compte.nature is Nature.TRESORERIE and solde != 0:
            ouvertures[compte.numero] = solde
    return ouvertures


def objections(exercice: Exercice, aujourdhui: dt.date, anomalies: Iterable[Anomalie]) -> list[str]:
    """Why closing now would be premature: the year is not over, or `coop verifier` finds errors.

    The treasurer may override them (`--forcer`); what waits on 471 is checked apart,
    since it would be lost from the next year's books.
    """
    raisons = []
    if aujourdhui <= exercice.fin:
        raisons.append(f"l'exercice {exercice.nom} ne se termine que le {exercice.fin:%d/%m/%Y}")
    raisons.extend(
        f"[{a.code}] {a.message}"
        for a in anomalies
        if a.gravite is Gravite.ERREUR and a.code != "compte-attente-471"
    )
    return raisons


def exiger_attente_soldee(exercice: Exercice, soldes: Mapping[str, Decimal]) -> None:
    """Refuse to close while money waits on 471: it would be lost from next year's books."""
    attente = soldes.get(COMPTE_ATTENTE)
    if attente:
        raise CoopComptaError(
            f"{formater_euros(abs(attente))} restent à ventiler sur le compte {COMPTE_ATTENTE} : "
            "classez-les avant de clôturer (`coop ventiler`)",
            exercice.nom,
        )
