"""The closing balance a statement export carries, when it carries one: the last value of a
balance column, a « Solde au jj/mm/aaaa » line, or OFX `LEDGERBAL`. Used by the reconciliation."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from coopcompta.domain.errors import CoopComptaError, ImportInvalide
from coopcompta.domain.money import parse_montant
from coopcompta.importers.texte import encodage, normaliser

_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_MONTANT = r"([+-]?\s*\d[\d \u00a0\u202f.]*(?:,\d{1,2})?\s*-?)"
_SOLDE_AU = re.compile(
    r"solde\s+(?:cr[ée]diteur\s+|d[ée]biteur\s+|final\s+|comptable\s+)?(?:au|en\s+date\s+du)\s+"
    r"(\d{1,2}/\d{1,2}/\d{4})\D*?" + _MONTANT,
    re.I,
)


@dataclass(frozen=True)
class SoldeReleve:
    """A statement's balance at the end of `date`."""

    date: dt.date
    montant: Decimal
    fichier: str


def _date(texte: str) -> dt.date | None:
    m = _DATE.search(texte)
    if not m:
        return None
    try:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def lire_solde(path: Path | str) -> SoldeReleve | None:
    """The statement's closing balance, or None when the export does not carry one."""
    path = Path(path)
    try:
        texte = path.read_bytes().decode(encodage(path), errors="replace")
    except OSError as exc:
        raise ImportInvalide(f"fichier illisible ({exc.strerror})", path.name) from None
    if "<OFX" in texte.upper() or texte.lstrip().upper().startswith("OFXHEADER"):
        return _ofx(texte, path.name)
    return _csv(texte, path.name)


def _ofx(texte: str, nom: str) -> SoldeReleve | None:
    bloc = re.search(r"<LEDGERBAL>(.*?)(?:</LEDGERBAL>|<AVAILBAL>|</STMTRS>)", texte, re.I | re.S)
    if not bloc:
        return None
    montant = re.search(r"<BALAMT>\s*([^<\s]+)", bloc.group(1), re.I)
    date = re.search(r"<DTASOF>\s*(\d{8})", bloc.group(1), re.I)
    if not montant or not date:
        return None
    d = date.group(1)
    return SoldeReleve(
        dt.date(int(d[:4]), int(d[4:6]), int(d[6:8])), parse_montant(montant.group(1), nom), nom
    )


def _csv(texte: str, nom: str) -> SoldeReleve | None:
    lignes = texte.splitlines()
    # A « Solde au 31/08/2026 : 1 234,56 » line wins: the bank states it.
    for ligne in reversed(lignes):
        m = _SOLDE_AU.search(ligne.replace(";", " ").replace('"', " "))
        if m:
            d = _date(m.group(1))
            try:
                montant = parse_montant(m.group(2).strip(), nom)
            except CoopComptaError:
                continue
            if d:
                return SoldeReleve(d, montant, nom)
    delim = ";" if texte.count(";") >= texte.count(",") else ","
    rows = list(csv.reader(io.StringIO(texte), delimiter=delim))
    for i, row in enumerate(rows):
        entete = [normaliser(c) for c in row]
        if "solde" not in entete or not any("date" in c for c in entete):
            continue
        col = entete.index("solde")
        col_date = next(j for j, c in enumerate(entete) if "date" in c)
        valeurs = []
        for r in rows[i + 1 :]:
            if len(r) <= max(col, col_date) or not r[col].strip():
                continue
            d = _date(r[col_date])
            if d is None:
                continue
            try:
                valeurs.append((d, parse_montant(r[col], nom)))
            except CoopComptaError:
                continue
        if not valeurs:
            return None
        # Banks list either oldest or newest first: the closing balance is at the later end.
        dernier = valeurs[-1] if valeurs[-1][0] >= valeurs[0][0] else valeurs[0]
        return SoldeReleve(dernier[0], dernier[1], nom)
    return None
