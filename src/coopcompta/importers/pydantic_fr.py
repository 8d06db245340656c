"""pydantic's validation errors in French: a user's YAML (chart, rules, bank profile)
is refused in the user's language, whatever field or type went wrong."""

from __future__ import annotations

from typing import Any

_MESSAGES = {
    "missing": "champ requis",
    "extra_forbidden": "champ inconnu",
    "string_type": "texte attendu",
    "string_too_short": "texte vide",
    "string_too_long": "texte trop long (au plus {max_length} caractères)",
    "string_pattern_mismatch": "texte mal formé",
    "string_unicode": "texte attendu",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu (sans virgule)",
    "float_type": "nombre attendu",
    "float_parsing": "nombre attendu",
    "decimal_type": "nombre attendu",
    "decimal_parsing": "nombre attendu",
    "bool_type": "oui ou non attendu (true ou false)",
    "bool_parsing": "oui ou non attendu (true ou false)",
    "list_type": "liste attendue",
    "tuple_type": "liste attendue",
    "set_type": "liste attendue",
    "dict_type": "dictionnaire attendu (des lignes « clé: valeur »)",
    "model_type": "dictionnaire attendu (des lignes « clé: valeur »)",
    "model_attributes_type": "dictionnaire attendu (des lignes « clé: valeur »)",
    "date_type": "date attendue (AAAA-MM-JJ)",
    "date_parsing": "date attendue (AAAA-MM-JJ)",
    "date_from_datetime_parsing": "date attendue (AAAA-MM-JJ)",
    "none_required": "aucune valeur attendue",
    "literal_error": "valeur attendue : {expected}",
    "enum": "valeur attendue : {expected}",
    "greater_than": "doit dépasser {gt}",
    "greater_than_equal": "doit valoir au moins {ge}",
    "less_than": "doit être inférieur à {lt}",
    "less_than_equal": "doit valoir au plus {le}",
    "too_short": "au moins {min_length} élément(s) attendu(s)",
    "too_long": "au plus {max_length} élément(s) attendu(s)",
    "union_tag_invalid": "valeur inattendue",
    "is_instance_of": "valeur d'un type inattendu",
}


def message_pydantic(err: Any) -> str:
    """The French text of one pydantic error (`ValidationError.errors()[i]`). A message
    our own validators raise (`ValueError("…")`, in French) is kept as it is."""
    kind = str(err.get("type", ""))
    if kind in ("value_error", "assertion_error"):
        return (
            str(err.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        )
    modele = _MESSAGES.get(kind)
    if modele is None:
        return "valeur invalide"
    ctx = {k: str(v).replace("'", "") for k, v in (err.get("ctx") or {}).items()}
    try:
        texte = modele.format(**ctx)
    except (KeyError, IndexError):
        texte = modele.split(" : ")[0].split(" (")[0]
    return texte.replace(" or ", " ou ")
