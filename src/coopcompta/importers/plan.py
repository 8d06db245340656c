"""The chart of accounts file (YAML): read and validate into a PlanComptable."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from coopcompta.domain.caracteres import caractere_interdit
from coopcompta.domain.comptes import COMPTE_ATTENTE, COMPTE_REPORT
from coopcompta.domain.errors import PlanInvalide, fichier_inutilisable
from coopcompta.domain.model import Compte, Nature
from coopcompta.domain.plan_comptable import PlanComptable, normaliser_numero

_NUMERO = r"^[0-9]{2,8}$"  # ASCII only: \d would take Arabic-Indic digits


PLAN_PAR_DEFAUT = "plan_comptable.yaml"

_NATURES_FR = {
    Nature.CHARGE: "de charges",
    Nature.PRODUIT: "de produits",
    Nature.TRESORERIE: "de trésorerie",
    Nature.ATTENTE: "d'attente",
    Nature.BILAN: "de bilan",
}

# Accounts the program itself writes to, so every chart must have them (number or alias).
_COMPTES_REQUIS = {
    COMPTE_REPORT: "le report à nouveau (soldes d'ouverture)",
    COMPTE_ATTENTE: "les opérations à ventiler",
}

_MESSAGES = {
    "missing": "champ requis",
    "too_short": "liste vide",
    "extra_forbidden": "champ inconnu",
    "string_type": "texte attendu",
    "bool_type": "oui/non attendu (true ou false)",
    "bool_parsing": "oui/non attendu (true ou false)",
    "list_type": "liste attendue",
    "dict_type": "dictionnaire attendu",
    "model_type": "dictionnaire attendu",
    "string_too_short": "texte vide",
}

_CHAMPS_COMPTE = (
    "numero",
    "libelle",
    "nature",
    "rubrique",
    "exceptionnel",
    "alias",
    "aide",
    "exemples",
    "mots_cles",
)


def charger_plan(chemin: str | Path | None = None) -> PlanComptable:
    """Read a chart file (the shipped default when `chemin` is None) and validate it."""
    import yaml

    from coopcompta.importers.yaml_sur import expliquer_yaml, lire_yaml

    if chemin is None:
        ref = resources.files("coopcompta") / "data" / PLAN_PAR_DEFAUT
        nom_fichier, texte = PLAN_PAR_DEFAUT, ref.read_text(encoding="utf-8")
    else:
        path = Path(chemin)
        nom_fichier = path.name
        try:
            texte = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise PlanInvalide("fichier introuvable", str(path)) from None
        except IsADirectoryError:
            raise PlanInvalide("c'est un dossier, pas un fichier YAML", str(path)) from None
        except UnicodeDecodeError:
            raise PlanInvalide("fichier illisible : enregistrez-le en UTF-8", str(path)) from None
        except OSError as exc:
            raise PlanInvalide(fichier_inutilisable(exc), str(path)) from None
    try:
        data = lire_yaml(texte)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        ou = f"{nom_fichier}:{mark.line + 1}" if mark else nom_fichier
        probleme = getattr(exc, "problem", None) or str(exc)
        lignes = texte.splitlines()
        ligne = lignes[mark.line] if mark and mark.line < len(lignes) else ""
        raise PlanInvalide(f"YAML illisible : {expliquer_yaml(probleme, ligne)}", ou) from None
    return valider_plan(data, nom_fichier, source=str(chemin) if chemin else "défaut")


def valider_plan(data: Any, nom_fichier: str, source: str = "") -> PlanComptable:
    """Validate parsed YAML; every error names the file, the account and the field."""
    from pydantic import ValidationError

    from coopcompta.importers._plan_schema import PlanFichier

    if data is None:
        raise PlanInvalide(
            "fichier vide : attendu « comptes: » suivi de la liste des comptes", nom_fichier
        )
    if not isinstance(data, dict):
        raise PlanInvalide(
            "attendu « nom: » et « comptes: » en début de ligne, suivis de la liste des comptes",
            nom_fichier,
        )
    try:
        fichier = PlanFichier.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        err = errors[0]
        # A misspelt field ("libele") also makes the real one missing: name the typo.
        for other in errors:
            if other["type"] == "extra_forbidden" and other["loc"][:-1] == err["loc"][:-1]:
                err = other
                break
        raise PlanInvalide(_message_pydantic(err), _lieu(nom_fichier, err["loc"], data)) from None

    comptes: list[Compte] = []
    vus: dict[str, tuple[int, str]] = {}  # number or alias -> (index, "numéro" | "alias")
    for i, c in enumerate(fichier.comptes):
        ou = f"{nom_fichier}: comptes[{i}] ({c.numero})"
        for champ in ("libelle", "rubrique"):
            interdit = caractere_interdit(getattr(c, champ))
            if interdit:
                raise PlanInvalide(f"caractère de contrôle {interdit} refusé", f"{ou}.{champ}")
        if c.exceptionnel and c.nature not in (Nature.CHARGE, Nature.PRODUIT):
            raise PlanInvalide(
                f"un compte {_NATURES_FR[c.nature]} ne peut pas être exceptionnel : "
                "seuls les comptes de charges et de produits peuvent l'être",
                f"{ou}.exceptionnel",
            )
        alias = tuple(normaliser_numero(a) for a in c.alias)
        for j, code in enumerate(alias):
            if not re.fullmatch(_NUMERO, code):
                raise PlanInvalide(
                    f"alias mal formé « {c.alias[j]} » (2 à 8 chiffres)", f"{ou}.alias[{j}]"
                )
        codes = [("numero", "numéro", c.numero)]
        codes += [(f"alias[{j}]", "alias", a) for j, a in enumerate(alias)]
        for champ, genre, code in codes:
            if code in vus:
                autre, genre_autre = vus[code]
                qui = (
                    "ce compte"
                    if autre == i
                    else f"comptes[{autre}] ({fichier.comptes[autre].numero})"
                )
                article = "le numéro" if genre_autre == "numéro" else "un alias"
                raise PlanInvalide(f"« {code} » est déjà {article} de {qui}", f"{ou}.{champ}")
            vus[code] = (i, genre)
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
    for code, role in _COMPTES_REQUIS.items():
        if not any(c.numero == code for c in comptes):
            raise PlanInvalide(
                f"compte {code} manquant : coopcompta l'utilise pour {role}",
                f"{nom_fichier}: comptes",
            )
    if not any(c.nature is Nature.TRESORERIE for c in comptes):
        raise PlanInvalide(
            "aucun compte de trésorerie (nature: tresorerie), par ex. 512 Banque",
            f"{nom_fichier}: comptes",
        )
    return PlanComptable(nom=fichier.nom, source=source, comptes=tuple(comptes))


def _message_pydantic(err: Any) -> str:
    kind = err["type"]
    value = err.get("input")
    if value is None and kind in ("string_type", "enum", "list_type", "bool_type"):
        return "champ vide"
    if kind == "enum":
        attendu = ", ".join(n.value for n in Nature)
        return f"nature inconnue « {value} » (attendu : {attendu})"
    if kind == "string_pattern_mismatch":
        return f"numéro mal formé « {value} » (2 à 8 chiffres)"
    if kind == "extra_forbidden":
        champ = str(err["loc"][-1])
        permis = _CHAMPS_COMPTE if len(err["loc"]) > 1 else ("nom", "comptes")
        proche = difflib.get_close_matches(champ, permis, n=1)
        if proche:
            return f"champ inconnu (vouliez-vous dire « {proche[0]} » ?)"
        return f"champ inconnu (champs permis : {', '.join(permis)})"
    from coopcompta.importers.pydantic_fr import message_pydantic

    return _MESSAGES.get(kind) or message_pydantic(err)


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
