"""OFX statements, 1.x (SGML, tags often left open) and 2.x (XML), read with a small tokenizer.

One regex tokenizer serves both versions: `<TAG>value` pairs inside each `<STMTTRN>`,
whether or not `</TAG>` follows. The file is read in chunks, so a large export streams
in flat memory. No dependency: `ofxparse` is unmaintained and chokes on the French banks'
SGML quirks (comma decimals, missing closing tags, cp1252 accents).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from coopcompta.domain.errors import ImportInvalide
from coopcompta.domain.model import ReleveLigne
from coopcompta.importers.texte import (
    cheque_du_libelle,
    date_illisible,
    joindre_libelles,
    lire_montant_releve,
    nettoyer_libelle,
)

if TYPE_CHECKING:
    from coopcompta.importers import Releve

_TOKEN = re.compile(r"<(/?)([A-Za-z0-9_.]+)[^>]*>([^<]*)")
_DATE_OFX = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})", re.ASCII)
_OPERATION = re.compile(r"<STMTTRN[\s>]")
_BANKID = re.compile(r"<BANKID>\s*(\d{5})", re.I)
_CHUNK = 1 << 16

# Bank codes (code banque of the RIB) of the networks coops use.
CODES_BANQUE = {
    "10278": "Crédit Mutuel / CIC",
    "30066": "Crédit Mutuel / CIC",
    "10096": "Crédit Mutuel / CIC",
    "30027": "Crédit Mutuel / CIC",
    "20041": "La Banque Postale",
    "30003": "Société Générale",
    "30004": "BNP Paribas",
    "30002": "LCL",
    "42559": "Crédit Coopératif",
}


def lire_ofx(path: Path, tete: str, enc: str) -> Releve:
    """An OFX file as a Releve; the bank is named from its BANKID when known."""
    from coopcompta.importers import Releve

    m = _BANKID.search(tete)
    banque = CODES_BANQUE.get(m.group(1)) if m else None
    haut = tete.upper()
    # `<STMTTRN>` itself: `<STMTTRNRS>`, the response wrapper, holds no transaction.
    if not _OPERATION.search(haut) and "<BANKTRANLIST" not in haut and "</OFX>" in haut:
        raise ImportInvalide("fichier OFX sans liste d'opérations (BANKTRANLIST)", path.name)
    return Releve(path.name, "ofx", banque, (), _lignes(path, enc))


def _date(valeur: str, ou: str) -> dt.date:
    m = _DATE_OFX.match(valeur)
    if not m:
        raise date_illisible(valeur, ou)
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise date_illisible(valeur, ou) from None


def _tokens(path: Path, enc: str) -> Iterator[tuple[int, int, str, str, str]]:
    """(line, offset in the raw text, '/' or '', TAG, value) for each tag of the file."""
    ligne = 1
    reste = ""
    with open(path, encoding=enc, newline="") as f:
        while True:
            chunk = f.read(_CHUNK)
            texte = reste + chunk
            # Keep an unfinished tag (and its value) for the next round.
            coupe = texte.rfind("<") if chunk else len(texte)
            if coupe <= 0 and chunk:
                reste = texte
                continue
            pos = 0
            for m in _TOKEN.finditer(texte, 0, coupe):
                ligne += texte.count("\n", pos, m.start())
                pos = m.start()
                yield ligne, pos, m.group(1), m.group(2).upper(), m.group(3)
            ligne += texte.count("\n", pos, coupe)
            reste = texte[coupe:]
            if not chunk:
                return


# A transaction's own data: met outside a <STMTTRN>, or twice with two values inside one,
# they tell a lost tag (two transactions merged, or one read as nothing).
_UNIQUES = ("TRNAMT", "DTPOSTED", "DTUSER", "FITID")


def _lignes(path: Path, enc: str) -> Iterator[ReleveLigne]:
    nom = path.name
    courant: dict[str, str] | None = None
    debut = 0
    brut: list[str] = []
    dans_liste = False
    compte: str | None = None  # the ACCTID of the statement
    for ligne, _, ferme, tag, valeur in _tokens(path, enc):
        if tag == "STMTTRN":
            if courant is not None:
                yield _ligne(courant, debut, brut, nom)
            courant, debut, brut = (None, 0, []) if ferme else ({}, ligne, ["<STMTTRN>"])
            continue
        if tag == "BANKTRANLIST":
            dans_liste = not ferme
        if courant is None:
            if ferme or not valeur.strip():
                continue
            if tag in _UNIQUES and dans_liste:
                raise ImportInvalide(
                    f"<{tag}> hors d'une opération : il manque sans doute la balise "
                    "<STMTTRN> qui l'ouvre",
                    f"{nom}:{ligne}",
                )
            if tag == "ACCTID":
                if compte is not None and valeur.strip() != compte:
                    raise ImportInvalide(
                        f"relevé d'un deuxième compte (ACCTID {valeur.strip()} après "
                        f"{compte}) : exportez un fichier par compte",
                        f"{nom}:{ligne}",
                    )
                compte = valeur.strip()
            continue
        if tag == "BANKTRANLIST" and ferme:
            yield _ligne(courant, debut, brut, nom)
            courant, brut = None, []
            continue
        brut.append(f"<{ferme}{tag}>{valeur.strip()}")
        if not ferme and valeur.strip():
            texte = html.unescape(valeur.strip())
            if tag in _UNIQUES and courant.get(tag, texte) != texte:
                raise ImportInvalide(
                    f"deux <{tag}> dans la même opération (« {courant[tag]} » et "
                    f"« {texte} ») : il manque sans doute </STMTTRN><STMTTRN> entre deux "
                    "opérations",
                    f"{nom}:{ligne}",
                )
            courant[tag] = texte
    if courant is not None:
        yield _ligne(courant, debut, brut, nom)


def _ligne(champs: dict[str, str], debut: int, brut: list[str], nom: str) -> ReleveLigne:
    ou = f"{nom}:{debut}"
    quand = champs.get("DTUSER") or champs.get("DTPOSTED")
    if not quand:
        raise ImportInvalide("date absente (DTPOSTED)", ou)
    date = _date(quand, ou)
    montant_txt = champs.get("TRNAMT", "").strip()
    if not montant_txt:
        raise ImportInvalide("montant absent (TRNAMT)", ou)
    montant = lire_montant_releve(montant_txt, ou, anglais=True)
    libelle = joindre_libelles([champs.get("NAME", ""), champs.get("MEMO", "")])
    cheque = champs.get("CHECKNUM") or cheque_du_libelle(libelle)
    extra = {}
    for tag, cle in (
        ("FITID", "fitid"),
        ("TRNTYPE", "type"),
        ("DTPOSTED", "date_comptable"),
        ("DTUSER", "date_operation"),
        ("REFNUM", "reference"),
    ):
        if tag in champs:
            extra[cle] = champs[tag]
    return ReleveLigne(
        date=date,
        libelle=nettoyer_libelle(libelle),
        montant=montant,
        ligne=debut,
        brut="".join(brut),
        cheque=cheque,
        extra=extra,
    )
