"""Money: Decimal euros in the domain, integer centimes in storage; French parsing and display."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from coopcompta.domain.caracteres import chiffre_non_ascii, echapper
from coopcompta.domain.errors import MontantInvalide

CENT = Decimal("0.01")
# Far above any cooperative's figures, far below SQLite's 64-bit integers (in centimes,
# even summed over millions of lines): a larger amount is a typo, refused where it is read.
MONTANT_MAX = Decimal("99999999999.99")
NNBSP = "\u202f"

# Spaces used as thousands marks by French software: space, NBSP, narrow NBSP, thin space.
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")
# re.ASCII: \d is 0-9 only (Python's would take Arabic-Indic or full-width digits, and
# Decimal reads them).
_FRENCH = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d{1,3}( \d{3})+|\d+)(,\d{1,2})?[+-]?$", re.ASCII)
_POINT = re.compile(r"^[+-]?\d+(\.\d{1,2})?[+-]?$", re.ASCII)
_MILLIERS_POINT = re.compile(r"^\d{1,3}(\.\d{3})+$", re.ASCII)
# `1,234.56`: comma thousands marks before a point (OFX and QIF files write it).
_ANGLAIS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+\.\d{1,2}[+-]?$", re.ASCII)
# Most of what is read, taken at once: the form coopcompta writes (`1234,56`) and the
# shapes bank exports use for nearly every line (`-12,34`, `-12.34`); exact as they stand:
# two places, within MONTANT_MAX (at most 11 digits before them).
_SIMPLE = re.compile(r"-?\d{1,11}[,.]\d\d", re.ASCII).fullmatch


def lire_montant(text: str, ou: str | None = None, *, anglais: bool = False) -> Decimal:
    """Read a French amount: `12,50`, `1 234,56`, `1.234,56`, `-12,50`, `12,50-`, `+3`, `12.50`;
    with `anglais`, also `1,234.56`. The one amount parser of coopcompta.

    Returns a Decimal with exactly two decimal places; raises MontantInvalide
    quoting the text otherwise.
    """
    if _SIMPLE(text):
        return Decimal(text.replace(",", "."))
    raw = text
    if not text.strip():
        raise MontantInvalide("montant vide", ou)
    s = _SPACES.sub(" ", text).replace("€", "").replace("EUR", "").strip()
    if anglais and _ANGLAIS.match(s):
        s = s.replace(",", "")
    if not (_FRENCH.match(s) or _POINT.match(s)) or s.count("-") + s.count("+") > 1:
        if chiffre_non_ascii(raw):
            raise MontantInvalide(
                f"montant « {echapper(raw.strip())} » : chiffres à écrire de 0 à 9", ou
            )
        raise MontantInvalide(f"montant illisible « {echapper(raw.strip())} »", ou)
    s = s.replace(" ", "")
    negative = s.startswith("-") or s.endswith("-")
    s = s.strip("+-")
    if "," in s:
        s = s.replace(".", "").replace(",", ".")
    elif _MILLIERS_POINT.match(s):
        if anglais and s.count(".") == 1:
            # OFX and QIF write a decimal point: 1.234 is 1,234 € there as much as
            # 1 234 € (it was read 1 234,00 €, a thousand times the other reading)
            raise MontantInvalide(
                f"montant ambigu « {echapper(raw.strip())} » : 1 234 € ou 1,234 € ?", ou
            )
        # "1.234" or "1.234.567" alone: thousands marks in French exports, not 1,234 €.
        s = s.replace(".", "")
    try:
        value = Decimal(s).quantize(CENT)
    except InvalidOperation as exc:  # pragma: no cover - the regexes above exclude it
        raise MontantInvalide(f"montant illisible « {raw.strip()} »", ou) from exc
    if value > MONTANT_MAX:
        raise MontantInvalide(
            f"montant trop grand « {raw.strip()} » (au plus {formater_euros(MONTANT_MAX)})", ou
        )
    return -value if negative else value


def en_centimes(montant: Decimal) -> int:
    """Exact conversion to integer centimes; refuses fractions of a centime.

    `scaleb` shifts the exponent without rounding: the fast path of bulk imports.
    """
    c = montant.scaleb(2)
    i = int(c)
    if i != c:
        raise MontantInvalide(f"montant avec plus de deux décimales « {montant} »")
    return i


def depuis_centimes(centimes: int) -> Decimal:
    """Integer centimes to a two-place Decimal."""
    return (Decimal(centimes) / 100).quantize(CENT)


def formater_euros(montant: Decimal | int, symbole: bool = True) -> str:
    """French display: `1 234,56 €` (narrow no-break space as thousands mark)."""
    if isinstance(montant, int):
        montant = depuis_centimes(montant)
    sign = "-" if montant < 0 else ""
    entier, _, dec = f"{abs(montant.quantize(CENT)):.2f}".partition(".")
    groups: list[str] = []
    while len(entier) > 3:
        groups.insert(0, entier[-3:])
        entier = entier[:-3]
    groups.insert(0, entier)
    text = sign + NNBSP.join(groups) + "," + dec
    return f"{text}\u00a0€" if symbole else text


def formater_point(montant: Decimal | int) -> str:
    """Machine display for JSON/CSV contracts: `-1234.50`."""
    if isinstance(montant, int):
        montant = depuis_centimes(montant)
    return f"{montant.quantize(CENT):.2f}"
