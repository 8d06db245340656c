"""French agreement of counted words: `1 écriture`, `2 écritures`, never `écriture(s)`."""

from __future__ import annotations


def accord(n: int, un: str, plusieurs: str | None = None) -> str:
    """The word for `n` things: singular for 0 and 1 (French usage), else the plural
    (`plusieurs`, or `un` + s)."""
    return un if abs(n) < 2 else (plusieurs or un + "s")


def quantite(n: int, un: str, plusieurs: str | None = None) -> str:
    """`n` and its word: `1 écriture`, `3 chèques manquants`."""
    return f"{n} {accord(n, un, plusieurs)}"
