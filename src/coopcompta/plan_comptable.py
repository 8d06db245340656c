"""Load and validate the chart of accounts (plan comptable) from YAML into a PlanComptable."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import CompteInconnu, PlanInvalide
from .model import Compte, Nature

PLAN_PAR_DEFAUT = "plan_comptable.yaml"
_NUMERO = r"^\d{2,8}$"


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


def charger_plan(chemin: str | Path | None = None) -> PlanComptable:
    """Read a chart file (the shipped default when `chemin` is None) and validate it."""
    import yaml

    if chemin is None:
        ref = resources.files("coopcompta") / "data" / PLAN_PAR_DEFAUT
        nom_fichier, texte = PLAN_PAR_DEFAUT, ref.read_text(encoding="utf-8")
    else:
        path = Path(chemin)
        nom_fichier = path.name
        try:
            texte = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise PlanInvalide("fichier introuvable", str(path)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise PlanInvalide(f"fichier illisible ({exc})", str(path)) from None
    try:
        data = yaml.load(texte, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        ou = f"{nom_fichier}:{mark.line + 1}" if mark else nom_fichier
        raise PlanInvalide(f"YAML illisible ({getattr(exc, 'problem', exc)})", ou) from None
    return valider_plan(data, nom_fichier, source=str(chemin) if chemin else "défaut")


def valider_plan(data: Any, nom_fichier: str, source: str = "") -> PlanComptable:
    """Validate parsed YAML; every error names the file, the account and the field."""
    from pydantic import ValidationError

    from ._plan_schema import PlanFichier

    try:
        fichier = PlanFichier.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise PlanInvalide(_message_pydantic(err), _lieu(nom_fichier, err["loc"], data)) from None

    comptes: list[Compte] = []
    vus: dict[str, int] = {}
    for i, c in enumerate(fichier.comptes):
        ou = f"{nom_fichier}: comptes[{i}] ({c.numero})"
        if c.exceptionnel and c.nature is Nature.TRESORERIE:
            raise PlanInvalide(
                "un compte de trésorerie ne peut pas être exceptionnel", f"{ou}.exceptionnel"
            )
        alias = tuple(normaliser_numero(a) for a in c.alias)
        for champ, code in [("numero", c.numero), *(("alias", a) for a in alias)]:
            if code in vus:
                raise PlanInvalide(
                    f"« {code} » déjà utilisé par comptes[{vus[code]}]", f"{ou}.{champ}"
                )
            vus[code] = i
        comptes.append(
            Compte(
                numero=c.numero,
                libelle=c.libelle,
                nature=c.nature,
                rubrique=c.rubrique,
                exceptionnel=c.exceptionnel,
                alias=alias,
                aide=c.aide,
                exemples=tuple(c.exemples),
                mots_cles=tuple(m.lower() for m in c.mots_cles),
            )
        )
    return PlanComptable(nom=fichier.nom, source=source, comptes=tuple(comptes))


_MESSAGES = {
    "missing": "champ requis",
    "extra_forbidden": "champ inconnu",
    "string_type": "texte attendu",
    "bool_type": "oui/non attendu (true ou false)",
    "bool_parsing": "oui/non attendu (true ou false)",
    "list_type": "liste attendue",
    "dict_type": "dictionnaire attendu",
    "model_type": "dictionnaire attendu",
    "string_too_short": "texte vide",
}


def _message_pydantic(err: Any) -> str:
    kind = err["type"]
    value = err.get("input")
    if kind == "enum":
        attendu = ", ".join(n.value for n in Nature)
        return f"nature inconnue « {value} » (attendu : {attendu})"
    if kind == "string_pattern_mismatch":
        return f"numéro mal formé « {value} » (2 à 8 chiffres)"
    return _MESSAGES.get(kind, err["msg"])


def _lieu(nom_fichier: str, loc: Iterable[Any], data: Any) -> str:
    """`plan.yaml: comptes[3] (6281).libelle` from a pydantic location."""
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int):
            parts[-1] += f"[{item}]"
            node = node[item] if isinstance(node, list) and item < len(node) else None
            if isinstance(node, dict) and "numero" in node and len(parts) == 1:
                parts[-1] += f" ({node['numero']})"
        else:
            parts.append(str(item))
            node = node.get(item) if isinstance(node, dict) else None
    return f"{nom_fichier}: {'.'.join(parts)}" if parts else nom_fichier
