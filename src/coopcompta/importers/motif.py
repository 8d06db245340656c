"""Patterns a user writes (rules' `/…/`, bank profiles' `ignorer`, `fin`, `solde`,
`preambule`), run by RE2: linear time in the label whatever the pattern.

Python's `re` backtracks: `(a+)+$` takes seconds on a label of 26 characters and hangs
beyond, and no check at load can tell every such pattern apart (`(\\d+)+$` slipped past
the timing probe this module replaces). RE2 never backtracks, so a user's YAML cannot
stall an import. The price is the features that need backtracking: back-references
(`\\1`) and lookarounds (`(?=…)`, `(?!…)`, `(?<=…)`) are refused at load, with the file
and the rule or field named by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# Python's `\u00a0` escape (unknown to RE2) as RE2's `\x{00a0}`, unless the backslash is
# itself escaped.
_ECHAPPEMENT_U = re.compile(r"(?<!\\)((?:\\\\)*)\\u([0-9a-fA-F]{4})")

# A pattern's compiled program is capped (RE2's default is 8 MiB): `(a{1000}){1000}`
# is refused at load instead of filling memory.
_MEMOIRE_MAX = 8 << 20


class MotifInvalide(ValueError):
    """A pattern RE2 refuses; the message is French and says what is wrong."""


def _options(ignorer_casse: bool) -> Any:
    import re2

    options = re2.Options()
    options.case_sensitive = not ignorer_casse
    options.never_capture = True
    options.log_errors = False  # RE2 would print its own English error on stderr
    options.max_mem = _MEMOIRE_MAX
    return options


def compiler_motif(
    source: str, *, ignorer_casse: bool = True, multiligne: bool = False
) -> Callable[[str], bool]:
    """`texte -> the pattern occurs in it`, run in linear time; MotifInvalide if RE2
    cannot run it (syntax, back-reference, lookaround, too big)."""
    from re2 import _re2

    source = _ECHAPPEMENT_U.sub(r"\1\\x{\2}", source)
    if multiligne:  # ^ and $ at each line's ends, as re.M
        source = "(?m)" + source
    programme = _re2.RE2(source.encode("utf-8", "surrogatepass"), _options(ignorer_casse))
    if not programme.ok():
        raise MotifInvalide(_expliquer(programme.error()))
    match = programme.Match
    libre = _re2.RE2.Anchor.UNANCHORED

    def cherche(texte: str) -> bool:
        octets = texte.encode("utf-8", "surrogatepass")
        return bool(match(libre, octets, 0, len(octets))[0][0] != -1)

    return cherche


def _expliquer(erreur: str | bytes) -> str:
    texte = erreur.decode("utf-8", "replace") if isinstance(erreur, bytes) else erreur
    if "(?=" in texte or "(?!" in texte or "(?<=" in texte or "(?<!" in texte:
        return (
            f"expression régulière refusée ({texte}) : les assertions (?=…), (?!…), "
            "(?<=…), (?<!…) ne sont pas acceptées (les motifs sont lus en temps linéaire)"
        )
    if "invalid escape sequence: \\" in texte and texte[-1:].isdigit():
        return (
            f"expression régulière refusée ({texte}) : les références arrière (\\1…) ne "
            "sont pas acceptées (les motifs sont lus en temps linéaire)"
        )
    if "pattern too large" in texte:
        return f"expression régulière trop grande ({texte}) : simplifiez-la"
    return f"expression régulière invalide ({texte})"
