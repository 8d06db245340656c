"""The one YAML reader of the user's files (chart, rules, bank profiles): safe tags only,
and aliases bounded, so that a « billion laughs » file cannot fill memory.

A YAML alias (`*a`) repeats an anchored node (`&a`) without copying it: nine levels of
nine aliases are 81 aliases in the text but a billion values once something walks the
data (pydantic did, and reached 2.2 GB). The composed node graph is therefore measured
as it would be expanded, before any value is built: more than `ALIAS_MAX` aliases or
`NOEUDS_MAX` nodes once expanded, or an alias that contains itself, is refused with the
line of the alias. A chart, a rules file or a profile needs neither.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from coopcompta.domain.caracteres import caractere_interdit, echapper

ALIAS_MAX = 100
NOEUDS_MAX = 200_000  # nodes once aliases are expanded: ~20 times the biggest real chart
PROFONDEUR_MAX = 100  # nesting levels (a chart needs 4)

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# PyYAML's most frequent complaints, in the treasurer's words.
_PROBLEMES_YAML = {
    "could not find expected ':'": "« : » manquant après le nom d'un champ",
    "mapping values are not allowed": (
        "« : » inattendu (mettez un texte qui contient « : » entre guillemets)"
    ),
    "expected <block end>": "indentation incohérente",
    "did not find expected '-' indicator": "indentation incohérente dans une liste",
    "did not find expected key": "indentation incohérente",
    "found unexpected end of stream": "guillemet non refermé",
    "expected ',' or ']'": "crochet « ] » non refermé",
    "found undefined alias": "référence « * » à une ancre « & » inconnue",
    "but found another document": "plusieurs documents (« --- ») : un seul par fichier",
    "expected ',' or '}'": "accolade « } » non refermée",
    "found a tab character": "tabulation interdite : indentez avec des espaces",
}


def expliquer_yaml(probleme: str, ligne: str = "") -> str:
    """PyYAML's complaint in French (`ligne`: the text of the line it points at)."""
    if probleme.startswith("found character"):
        if "\t" in ligne:
            return "tabulation interdite : indentez avec des espaces"
        return "caractère inattendu (mettez le texte entre guillemets)"
    for anglais, francais in _PROBLEMES_YAML.items():
        if anglais in probleme:
            return francais
    return probleme


def ou_yaml(exc: yaml.YAMLError, nom: str, texte: str) -> tuple[str, str]:
    """(`fichier:ligne`, what in French) for a YAML error on the file `nom` of `texte`."""
    mark = getattr(exc, "problem_mark", None)
    probleme = str(getattr(exc, "problem", None) or exc)
    if mark is None:
        return nom, expliquer_yaml(probleme)
    lignes = texte.splitlines()
    ligne = lignes[mark.line] if mark.line < len(lignes) else ""
    return f"{nom}:{mark.line + 1}", expliquer_yaml(probleme, ligne)


class YamlRefuse(yaml.YAMLError):
    """A YAML document refused before being built; `problem` in French, `problem_mark`
    at the offending alias (the attributes yaml.MarkedYAMLError has, so that callers'
    `fichier:ligne` handling applies)."""

    def __init__(self, probleme: str, mark: Any) -> None:
        super().__init__(probleme)
        self.problem = probleme
        self.problem_mark = mark


class _Chargeur(_Base):  # type: ignore[misc]
    # !!binary would give bytes, which pydantic turns into text unchecked (an escape
    # sequence written in base64): refused like any tag other than the plain ones.
    yaml_constructors = {
        k: v for k, v in _Base.yaml_constructors.items() if k != "tag:yaml.org,2002:binary"
    }

    def construire_entier(self, node: yaml.ScalarNode) -> Any:
        """A plain decimal integer; any other YAML 1.1 integer (0512 in octal is 330,
        0x1F, 6_27, the sexagesimal 1:20 is 80) stays the text typed: an account
        written 0512 is « 0512 », not the account 330."""
        if _ENTIER.fullmatch(node.value):
            return int(node.value)
        return node.value

    def get_single_node(self) -> Any:
        node = super().get_single_node()
        if node is not None:
            _mesurer(node)
        return node


_Chargeur.yaml_constructors["tag:yaml.org,2002:int"] = _Chargeur.construire_entier
_ENTIER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")


def _mesurer(racine: yaml.Node) -> None:
    """Refuse a node graph whose aliases repeat too much (see the module docstring)."""
    taille: dict[int, int] = {}  # node -> its size once expanded, for nodes done
    en_cours: set[int] = set()  # nodes whose subtree is being measured
    alias = 0

    def mesurer(node: yaml.Node, profondeur: int) -> int:
        nonlocal alias
        k = id(node)
        if k in taille:  # met before: this is an alias
            alias += 1
            if alias > ALIAS_MAX:
                raise YamlRefuse(
                    f"plus de {ALIAS_MAX} alias (*…) : écrivez les valeurs sans ancres ni alias",
                    node.start_mark,
                )
            return taille[k]
        if isinstance(node, yaml.ScalarNode):
            _controler_texte(node)
        if k in en_cours:
            raise YamlRefuse("alias (*…) qui se contient lui-même", node.start_mark)
        if profondeur > PROFONDEUR_MAX:
            raise YamlRefuse(
                f"plus de {PROFONDEUR_MAX} niveaux imbriqués : ce n'est pas un fichier de "
                "coopcompta",
                node.start_mark,
            )
        if isinstance(node, yaml.MappingNode):
            _controler_cles(node)
        en_cours.add(k)
        n = 1 + sum(mesurer(e, profondeur + 1) for e in _enfants(node))
        en_cours.discard(k)
        if n > NOEUDS_MAX:
            raise YamlRefuse(
                f"document trop grand une fois les alias (*…) développés (plus de "
                f"{NOEUDS_MAX} éléments) : écrivez les valeurs sans ancres ni alias",
                node.start_mark,
            )
        taille[k] = n
        return n

    mesurer(racine, 0)


def _controler_texte(node: yaml.ScalarNode) -> None:
    """Refuse a control character, escape sequence or bidi override in a value (a
    tabulation and a line break may be needed, as a separator or a block of text)."""
    valeur = node.value
    if valeur.isprintable():
        return
    interdit = caractere_interdit(valeur.replace("\t", " ").replace("\n", " "))
    if interdit:
        raise YamlRefuse(
            f"caractère de contrôle {interdit} refusé dans « {echapper(valeur)} »",
            node.start_mark,
        )


def _controler_cles(node: yaml.MappingNode) -> None:
    """Refuse a key given twice in one mapping: YAML kept the last value and dropped
    the first unseen (a rule with two « compte: » lines)."""
    vues: set[tuple[str, str]] = set()
    for cle, _ in node.value:
        if isinstance(cle, yaml.ScalarNode) and cle.tag != "tag:yaml.org,2002:merge":
            if (cle.tag, cle.value) in vues:
                raise YamlRefuse(
                    f"clé « {echapper(cle.value)} » répétée : une seule valeur par clé",
                    cle.start_mark,
                )
            vues.add((cle.tag, cle.value))


def _enfants(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [x for paire in node.value for x in paire]
    return []


def lire_yaml(texte: str) -> Any:
    """Parse one YAML document with the safe tags only and bounded aliases; raises
    yaml.YAMLError (YamlRefuse for a refused alias or tag) with a mark where known."""
    try:
        return yaml.load(texte, Loader=_Chargeur)
    except yaml.constructor.ConstructorError as exc:
        debut = "could not determine a constructor for the tag "
        if exc.problem and exc.problem.startswith(debut):
            etiquette = exc.problem.removeprefix(debut).strip("'")
            etiquette = etiquette.replace("tag:yaml.org,2002:", "!!", 1)
            raise YamlRefuse(
                f"étiquette « {echapper(etiquette)} » refusée : un fichier de "
                "coopcompta ne contient que du texte, des nombres, des listes et des "
                "dictionnaires",
                exc.problem_mark,
            ) from None
        raise


def composer_yaml(texte: str) -> Any:
    """The node tree of one YAML document (to edit the file's text), aliases bounded."""
    return yaml.compose(texte, Loader=_Chargeur)
