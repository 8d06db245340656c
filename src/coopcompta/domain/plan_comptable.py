"""Load and validate the chart of accounts (plan comptable) from YAML into a PlanComptable."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from coopcompta.domain.errors import CompteInconnu
from coopcompta.domain.model import Compte, Nature


def normaliser_numero(code: str) -> str:
    """`7562 008` and `7562.008` name the same account as `7562008`."""
    return re.sub(r"[\s.\u00a0]", "", code.strip())


@dataclass(frozen=True)
class PlanComptable:
    """A validated chart: accounts in file order, lookup by number or alias."""

    nom: str
    source: str
    comptes: tuple[Compte, ...]

    def __post_init__(self) -> None:
        index: dict[str, Compte] = {}
        for c in self.comptes:
            index[c.numero] = c
            for a in c.alias:
                index[a] = c
        object.__setattr__(self, "_index", index)

    def trouver(self, code: str) -> Compte | None:
        """The account with this number or alias, or None."""
        return self._index.get(normaliser_numero(code))  # type: ignore[attr-defined, no-any-return]

    def compte(self, code: str, ou: str | None = None) -> Compte:
        """The account with this number or alias; CompteInconnu otherwise."""
        found = self.trouver(code)
        if found is None:
            raise CompteInconnu(f"compte inconnu « {code} » (voir `coop plan`)", ou)
        return found

    def par_nature(self, *natures: Nature) -> list[Compte]:
        return [c for c in self.comptes if c.nature in natures]

    def rubriques(self) -> Iterator[tuple[str, list[Compte]]]:
        """Accounts grouped by rubrique, in the order rubriques first appear."""
        groups: dict[str, list[Compte]] = {}
        for c in self.comptes:
            groups.setdefault(c.rubrique, []).append(c)
        yield from groups.items()


def plan_vers_cache(plan: PlanComptable, signature: str) -> str:
    """A validated chart as JSON, stamped with the `signature` of the file it was read from.

    A ledger keeps it so that commands need not parse and validate the YAML again.
    """
    comptes = [asdict(c) for c in plan.comptes]
    return json.dumps(
        {"signature": signature, "nom": plan.nom, "source": plan.source, "comptes": comptes},
        ensure_ascii=False,
    )


def plan_depuis_cache(texte: str | None, signature: str) -> PlanComptable | None:
    """The chart `plan_vers_cache` wrote, or None when absent, stale or unreadable."""
    if not texte:
        return None
    try:
        data = json.loads(texte)
        if data["signature"] != signature:
            return None
        comptes = tuple(
            Compte(
                numero=c["numero"],
                libelle=c["libelle"],
                nature=Nature(c["nature"]),
                rubrique=c["rubrique"],
                exceptionnel=c["exceptionnel"],
                alias=tuple(c["alias"]),
                aide=c["aide"],
                exemples=tuple(c["exemples"]),
                mots_cles=tuple(c["mots_cles"]),
            )
            for c in data["comptes"]
        )
        return PlanComptable(data["nom"], data["source"], comptes)
    except (ValueError, KeyError, TypeError):
        return None
