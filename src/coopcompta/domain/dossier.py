"""What the year-end dossier adds to the statements: the year month by month, and the checks
said in words (those that passed as well as those that did not).

Pure: the monthly figures come from per-month account balances (one GROUP BY in storage),
classified with the chart exactly as the bilan classifies the year's balances, so that the
twelve months add up to the compte de fonctionnement to the centime.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from coopcompta.domain.model import Anomalie, Exercice, Gravite, Nature
from coopcompta.domain.reports import nature_du_compte

if TYPE_CHECKING:
    from coopcompta.domain.plan_comptable import PlanComptable

ZERO = Decimal("0.00")

MOIS = (
    "septembre", "octobre", "novembre", "décembre", "janvier", "février",
    "mars", "avril", "mai", "juin", "juillet", "août",
)  # fmt: skip
# The abbreviations of the French typographic usage, for chart axes.
MOIS_COURTS = (
    "sept.", "oct.", "nov.", "déc.", "janv.", "févr.",
    "mars", "avr.", "mai", "juin", "juil.", "août",
)  # fmt: skip


@dataclass(frozen=True)
class Mois:
    """One month of the exercice: receipts, expenses, treasury at its last day."""

    debut: dt.date
    recettes: Decimal
    depenses: Decimal
    tresorerie: Decimal

    @property
    def nom(self) -> str:
        return MOIS[(self.debut.month - 9) % 12]

    @property
    def court(self) -> str:
        return MOIS_COURTS[(self.debut.month - 9) % 12]


def mois_de(exercice: Exercice) -> list[dt.date]:
    """The first day of each month of the exercice, in order."""
    out, jour = [], exercice.debut.replace(day=1)
    while jour <= exercice.fin:
        out.append(jour)
        jour = dt.date(jour.year + jour.month // 12, jour.month % 12 + 1, 1)
    return out


def evolution_mensuelle(
    exercice: Exercice, soldes_par_mois: Mapping[tuple[str, str], Decimal], plan: PlanComptable
) -> tuple[Mois, ...]:
    """Receipts, expenses and closing treasury of each month.

    `soldes_par_mois` maps ("YYYY-MM", account) to the signed balance of that month's lines
    (debits positive); the opening balances are September's treasury movements.
    """
    recettes: dict[str, Decimal] = {}
    depenses: dict[str, Decimal] = {}
    tresorerie: dict[str, Decimal] = {}
    for (mois, code), solde in soldes_par_mois.items():
        nature = nature_du_compte(code, plan)
        if nature is Nature.CHARGE:
            depenses[mois] = depenses.get(mois, ZERO) + solde
        elif nature is Nature.PRODUIT:
            recettes[mois] = recettes.get(mois, ZERO) - solde
        elif nature is Nature.TRESORERIE:
            tresorerie[mois] = tresorerie.get(mois, ZERO) + solde
    out, cumul = [], ZERO
    for debut in mois_de(exercice):
        cle = f"{debut:%Y-%m}"
        cumul += tresorerie.get(cle, ZERO)
        out.append(Mois(debut, recettes.get(cle, ZERO), depenses.get(cle, ZERO), cumul))
    return tuple(out)


# -- the checks in words ----------------------------------------------------------------

# What each check verifies, said as the sentence a vérificateur reads when it passes.
CONTROLES: dict[str, str] = {
    "ventilation-desequilibree": "Chaque écriture est ventilée exactement sur son montant.",
    "equilibre-bilan": "Le bilan est équilibré : report à nouveau + recettes − dépenses "
    "= trésorerie.",
    "exceptionnel-hors-tolerance": "Le solde des charges et produits exceptionnels est proche "
    "de zéro (règle de l'OCCE).",
    "date-hors-exercice": "Toutes les écritures sont datées dans l'exercice.",
    "compte-attente-471": "Aucune opération n'attend d'être ventilée (compte 471 vide).",
    "piece-en-double": "Aucun numéro de pièce n'est utilisé deux fois.",
    "piece-manquante": "Les pièces sont numérotées sans trou.",
    "regie-non-soldee": "Les régies d'avances sont revenues à zéro.",
    "compte-hors-plan": "Tous les comptes utilisés sont au plan comptable.",
    "cheque-hors-sequence": "Les chèques émis se suivent sans trou inexpliqué.",
    "depense-interdite": "Aucune dépense ne ressemble à une dépense interdite "
    "(salaire, dépense de la commune, revente…).",
    "caisse-negative": "La caisse n'est jamais passée en dessous de zéro.",
    "rapprochement-manquant": "Le compte bancaire est rapproché du relevé au 31 août.",
    "rapprochement-rompu": "Le rapprochement bancaire enregistré tient toujours.",
    "caisse-ecart": "L'arrêté de caisse correspond au livre de caisse.",
    "exercice-clos-modifie": "Les exercices clos n'ont pas été modifiés depuis leur clôture.",
}


@dataclass(frozen=True)
class Controle:
    """One check as the dossier states it: its sentence and what it found (nothing: passed)."""

    code: str
    intitule: str
    anomalies: tuple[Anomalie, ...] = ()

    @property
    def passe(self) -> bool:
        return not self.anomalies

    @property
    def gravite(self) -> Gravite | None:
        if not self.anomalies:
            return None
        graves = any(a.gravite is Gravite.ERREUR for a in self.anomalies)
        return Gravite.ERREUR if graves else Gravite.AVERTISSEMENT


def controles_en_clair(anomalies: Sequence[Anomalie]) -> tuple[Controle, ...]:
    """Every known check with what it found, failed ones first; unknown codes are kept too."""
    par_code: dict[str, list[Anomalie]] = {}
    for a in anomalies:
        par_code.setdefault(a.code, []).append(a)
    codes = list(CONTROLES) + [c for c in par_code if c not in CONTROLES]
    tous = [
        Controle(c, CONTROLES.get(c, c), tuple(par_code.get(c, ()))) for c in codes
    ]  # fmt: skip
    return tuple(sorted(tous, key=lambda c: (c.passe, c.gravite is not Gravite.ERREUR)))
