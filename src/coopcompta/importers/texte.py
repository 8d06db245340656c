"""Shared reading helpers for statement files: encoding, dates, labels, cheque numbers."""

from __future__ import annotations

import codecs
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from coopcompta.domain.caracteres import nettoyer
from coopcompta.domain.errors import ImportInvalide, MontantInvalide, fichier_inutilisable
from coopcompta.domain.money import lire_montant

TETE = 64 * 1024  # bytes read to detect a format
_CHUNK = 1 << 20

# Bytes cp1252 leaves undefined: a file holding them is read as ISO-8859-1.
_HORS_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
# Bytes cp1252 uses for printable characters (€ ’ œ …): never found in ISO-8859-15 text.
_C1 = re.compile(rb"[\x80-\x9f]")
_ASCII = bytes(range(128))
# Bytes where ISO-8859-15 differs from cp1252 / ISO-8859-1 (€ Š š Ž ž Œ œ Ÿ).
_LATIN9 = re.compile(rb"[\xa4\xa6\xa8\xb4\xb8\xbc\xbd\xbe]")
# C0 controls other than TAB, LF, CR, FF and SUB (0x1a, old DOS end of file): binary data.
_BINAIRE = re.compile(rb"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f]")


def lire_tete(path: Path, taille: int = TETE) -> bytes:
    """The first bytes of a file; a directory or missing file is an ImportInvalide."""
    try:
        with open(path, "rb") as f:
            return f.read(taille)
    except OSError as exc:
        raise ImportInvalide(fichier_inutilisable(exc), path.name) from exc


def encodage(path: Path, tete: bytes | None = None, complet: bool = True) -> str:
    """The encoding to read the whole file with: UTF-16 by BOM, UTF-8 (BOM or not) when the
    whole file (or only its head, `complet=False`) decodes strictly, otherwise cp1252,
    or ISO-8859-15 when the text has its € / œ bytes and none of cp1252's 0x80-0x9F."""
    tete = lire_tete(path) if tete is None else tete
    if tete.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if not tete.strip():
        raise ImportInvalide("fichier vide", path.name)
    nuls = tete.count(0) + len(_BINAIRE.findall(tete[:4096]))
    if nuls:
        raise ImportInvalide("fichier illisible (binaire ?)", path.name)
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, c1, latin9, hors = True, False, False, False
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK if complet else len(tete)):
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            # The three patterns only match bytes >= 0x80: search those alone (20x faster).
            haut = chunk.translate(None, _ASCII)
            c1 = c1 or bool(_C1.search(haut))
            latin9 = latin9 or bool(_LATIN9.search(haut))
            hors = hors or bool(_HORS_CP1252.search(haut))
            if not complet:
                break
    if utf8 and not complet:
        return "utf-8-sig"
    if utf8:
        try:
            decoder.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError:
            pass
    if not c1:
        return "iso-8859-15" if latin9 else "cp1252"
    return "latin-1" if hors else "cp1252"


def encodage_impose(path: Path, enc: str) -> str:
    """The encoding a profile names, once the whole file is checked to decode with it
    (else ImportInvalide at the first line that does not); UTF-8 accepts a BOM."""
    nom = enc
    if codecs.lookup(enc).name == "utf-8":
        enc = "utf-8-sig"
    decoder = codecs.getincrementaldecoder(enc)()
    lignes = 1
    try:
        with open(path, "rb") as f:
            while chunk := f.read(_CHUNK):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    lignes += chunk.count(b"\n", 0, exc.start)
                    raise ImportInvalide(
                        f"octet illisible en {nom} (l'encodage du profil) : le fichier est "
                        "dans un autre encodage ; retirez « encodage » du profil pour qu'il "
                        "soit détecté",
                        f"{path.name}:{lignes}",
                    ) from None
                lignes += chunk.count(b"\n")
            decoder.decode(b"", final=True)
    except OSError as exc:
        raise ImportInvalide(fichier_inutilisable(exc), path.name) from exc
    except UnicodeDecodeError:
        raise ImportInvalide(
            f"fin de fichier illisible en {nom} (l'encodage du profil)", path.name
        ) from None
    return enc


def texte_tete(tete: bytes, enc: str) -> str:
    """Decode the head of a file, tolerating a character cut at the end."""
    return codecs.getincrementaldecoder(enc)(errors="replace").decode(tete, final=False)


def normaliser(texte: str) -> str:
    """Accent-free lower-case words: `Date de l'opération` -> `date de l operation`."""
    t = unicodedata.normalize("NFKD", texte)
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", t).split())


def nettoyer_libelle(texte: str) -> str:
    """Multi-line labels joined with one space, runs of spaces collapsed; escape sequences
    and control characters a bank's file may hold become spaces (`domain.caracteres`):
    nothing raw reaches the ledger or the terminal."""
    return " ".join(nettoyer(texte).split())


def joindre_libelles(parts: list[str]) -> str:
    """Several label columns as one libellé, dropping a part another one already holds."""
    propres = [p for p in (nettoyer_libelle(p) for p in parts) if p]
    garde: list[str] = []
    for k, p in enumerate(propres):
        up = p.upper()
        if any(
            up in q.upper() for j, q in enumerate(propres) if j != k and (len(q) > len(p) or j < k)
        ):
            continue
        garde.append(p)
    return " ".join(garde)


# --- dates -----------------------------------------------------------------------------------

FORMATS_DATE = {
    "jj/mm/aaaa": "jma",
    "jj/mm/aa": "jma",
    "aaaa-mm-jj": "amj",
    "aaaammjj": "amj8",
    "mm/jj/aaaa": "mja",
    "mm/jj/aa": "mja",
}
# re.ASCII: only 0-9 are digits (int() would read Arabic-Indic or full-width ones).
_DATE = re.compile(
    r"^\s*(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{2,4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s*$",
    re.ASCII,
)
_DATE8 = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$", re.ASCII)


def annee(texte: str) -> int:
    """A year written with 2 or 4 digits (2-digit years are in 2000-2099)."""
    y = int(texte)
    return y + 2000 if len(texte) <= 2 else y


def lecteur_date(ordre: str) -> Callable[[str], dt.date]:
    """A fast parser for one date order (`jma`, `amj`, `mja`, `amj8`); raises ValueError.

    The common `31/12/2025` shape is sliced by hand: strptime is ten times slower.
    """

    def general(s: str) -> dt.date:
        m = _DATE8.match(s) if ordre == "amj8" else _DATE.match(s)
        if not m:
            raise ValueError(s)
        a, b, c = m.groups()
        if ordre == "amj" or ordre == "amj8":
            return dt.date(annee(a), int(b), int(c))
        if len(a) > 2:
            raise ValueError(s)
        if ordre == "mja":
            return dt.date(annee(c), int(a), int(b))
        return dt.date(annee(c), int(b), int(a))

    if ordre != "jma":
        return general

    def jma(s: str) -> dt.date:
        if len(s) == 10 and s[2] == "/" and s[5] == "/" and s.isascii():
            return dt.date(int(s[6:]), int(s[3:5]), int(s[:2]))
        return general(s)

    return jma


def deviner_ordre(valeurs: list[str]) -> str | None:
    """The date order all these non-empty texts agree on, French day-first when ambiguous."""
    valeurs = [v for v in valeurs if v.strip()]
    if not valeurs:
        return None
    for ordre in ("jma", "amj", "amj8", "mja"):
        lire = lecteur_date(ordre)
        try:
            for v in valeurs:
                lire(v)
        except ValueError:
            continue
        return ordre
    return None


def est_date(texte: str) -> bool:
    return bool(_DATE.match(texte) or _DATE8.match(texte))


# --- amounts, cheques, errors ----------------------------------------------------------------


def lire_montant_releve(texte: str, ou: str, anglais: bool = False) -> Decimal:
    """money.lire_montant (the one amount parser), its error an ImportInvalide."""
    try:
        return lire_montant(texte, anglais=anglais)
    except MontantInvalide as exc:
        raise ImportInvalide(exc.message, ou) from exc


_CHEQUE = re.compile(
    r"\b(?:CH[EÈÉ]QUE|CHQ)\.?\s*(?:EMIS\s+|PAYE\s+)?(?:N\s*[°O.]?\s*|NUM[EÉ]RO\s+)?"
    r"([0-9]{3,})",
    re.I,
)
_REMISE = re.compile(r"\bREMISE\b", re.I)


def cheque_du_libelle(libelle: str) -> str | None:
    """The cheque number a label gives (`CHEQUE 1234567`), not a deposit slip number."""
    if "CH" not in libelle.upper() or _REMISE.search(libelle):
        return None
    m = _CHEQUE.search(libelle)
    return m.group(1) if m else None


def date_illisible(texte: str, ou: str) -> ImportInvalide:
    return ImportInvalide(f"date illisible « {texte.strip()} »", ou)


def expliquer_erreur_csv(exc: Exception) -> str:
    """What Python's csv module refused, in French (its messages are English)."""
    import csv

    texte = str(exc)
    if texte.startswith("field larger than field limit"):
        limite = f"{csv.field_size_limit():,}".replace(",", "\u202f")
        return f"champ de plus de {limite} caractères (guillemet non fermé ?)"
    if texte == "unexpected end of data":
        return "guillemet non fermé : le champ court jusqu'à la fin du fichier"
    if texte.endswith("expected after '\"'"):
        return 'texte après un guillemet fermant (doublez les guillemets dans un champ : "")'
    return f"CSV illisible ({texte})"
