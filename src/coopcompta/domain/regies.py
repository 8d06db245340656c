"""Régies d'avances: a class's petty cash, named by its class (or teacher), advanced by the coop,
justified by ventilated expenses, and back to zero before the end of the year."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from coopcompta.domain.comptes import PREFIXE_REGIE
from coopcompta.domain.errors import SaisieInvalide
from coopcompta.domain.money import formater_euros

PLAFOND = Decimal("150.00")  # OCCE: a régie normally holds 150 € at most


@dataclass(frozen=True)
class Regie:
    """A régie: its class name, its treasury account and its balance."""

    nom: str
    compte: str
    solde: Decimal = Decimal("0.00")
    nommee: bool = True  # False when the name comes from the class tag of its expenses


def comptes_de_regie(comptes: Iterable[str]) -> list[str]:
    return sorted(c for c in comptes if c.startswith(PREFIXE_REGIE))


def trouver(regies: Sequence[Regie], nom: str, ou: str | None = None) -> Regie:
    """The régie of that class name (case ignored); SaisieInvalide listing the régies otherwise."""
    cle = nom.strip().casefold()
    for r in regies:
        if r.nom.casefold() == cle:
            return r
    connues = ", ".join(r.nom for r in regies) or "aucune"
    raise SaisieInvalide(
        f"régie « {nom.strip()} » inconnue (régies : {connues}) ; "
        "ouvrez-la avec `coop regie ouvrir NOM --montant …`",
        ou,
    )


def compte_libre(comptes_plan: Sequence[str], pris: Iterable[str], nom: str) -> str:
    """The first régie account of the chart no other régie uses."""
    occupes = set(pris)
    for c in comptes_de_regie(comptes_plan):
        if c not in occupes:
            return c
    raise SaisieInvalide(
        f"plus de compte de régie libre dans le plan comptable ({', '.join(sorted(occupes))} "
        "sont pris) : soldez une régie ou ajoutez un compte 541x au plan",
        f"régie {nom}",
    )


def nommer(
    noms: Mapping[str, str], soldes: Mapping[str, Decimal], etiquettes: Mapping[str, set[str]]
) -> list[Regie]:
    """Every régie of the ledger: those opened by name, and régie accounts used without a name,
    named by the single class tag of their expenses when there is one, else by their account."""
    regies = [
        Regie(nom, compte, soldes.get(compte, Decimal("0.00"))) for compte, nom in noms.items()
    ]
    for compte in comptes_de_regie(set(soldes) | set(etiquettes)):
        if compte in noms:
            continue
        tags = etiquettes.get(compte, set())
        nom = next(iter(tags)) if len(tags) == 1 else f"régie {compte}"
        regies.append(Regie(nom, compte, soldes.get(compte, Decimal("0.00")), nommee=False))
    return sorted(regies, key=lambda r: r.compte)


def avertissement_plafond(regie: Regie, apres: Decimal) -> str | None:
    if apres > PLAFOND:
        return (
            f"la régie {regie.nom} détiendra {formater_euros(apres)}, au-delà des "
            f"{formater_euros(PLAFOND)} habituels d'une régie d'avances (OCCE)"
        )
    return None
