"""Text safe for a terminal and a ledger: control characters refused at entry, shown
escaped in messages, taken out of bank labels.

A libellé typed by a user (`coop saisie`, a journal CSV, a correction) holding a control
character or an ANSI escape sequence (`\\x1b[2J` clears the screen, `\\x1b]8;;…` makes a
link) would be replayed raw by every `coop journal`; a bidi override (U+202E) reverses
what the terminal shows. Such text is refused at entry, and the refusal quotes it
escaped (`\\x1b`), never raw. A bank's label cannot be refused (the line must be
imported): its control characters are removed when the statement is read
(`nettoyer`), so nothing raw reaches the ledger or the terminal.
"""

from __future__ import annotations

import re

# Controls (C0, DEL, C1), line and paragraph separators, and the bidi embeddings,
# overrides and isolates that reorder displayed text. Zero-width joiners (emoji) and
# soft hyphens stay.
_INTERDITS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# An ANSI/VT escape sequence: CSI (`ESC [ … final`), OSC (`ESC ] … BEL or ESC \\`), or
# a two-character escape.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]"
)


def _echapper_un(m: re.Match[str]) -> str:
    c = m.group()
    o = ord(c)
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c) or (
        f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"
    )


def echapper(texte: str) -> str:
    """The text with its control characters written as escapes (`\\x1b`, `\\n`,
    `\\u202e`): safe to print."""
    if texte.isprintable():
        return texte
    return _INTERDITS.sub(_echapper_un, texte)


def caractere_interdit(texte: str) -> str | None:
    """The first forbidden character of the text, escaped (`\\x1b`), or None."""
    if texte.isprintable():  # the common case, one C-level pass
        return None
    m = _INTERDITS.search(texte)
    return _echapper_un(m) if m else None


def nettoyer(texte: str) -> str:
    """A bank label without escape sequences or control characters (each a space)."""
    if texte.isprintable():
        return texte
    return _INTERDITS.sub(" ", _ANSI.sub(" ", texte))


def chiffre_non_ascii(texte: str) -> bool:
    """A digit other than 0-9 (Arabic-Indic `١٢`, full-width `１２`…): Python's int() and
    Decimal read them, coopcompta refuses them."""
    return not texte.isascii() and any(c.isdigit() and not c.isascii() for c in texte)
