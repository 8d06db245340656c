"""Load and validate the chart of accounts (plan comptable) from YAML into a PlanComptable."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

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
