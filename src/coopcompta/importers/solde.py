"""The closing balance a statement export carries, when it carries one: the last value of a
balance column, a « Solde au jj/mm/aaaa » line, or OFX `LEDGERBAL`. Used by the reconciliation."""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from coopcompta.domain.errors import CoopComptaError, ImportInvalide
from coopcompta.domain.money import lire_montant
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


# Only the two ends of a statement are read: a closing balance is in its last lines (or, for
# the few banks that list newest first, its first ones), so a big export costs no more than
# a small one and is not read a second time after `coop import`.
_BORD = 64 * 1024


def lire_solde(path: Path | str) -> SoldeReleve | None:
    """The statement's closing balance, or None when the export does not carry one."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            taille = f.seek(0, 2)
            f.seek(0)
            tete = f.read(_BORD)
            queue = b""
            if taille > 2 * _BORD:
                f.seek(taille - _BORD)
                queue = f.read()
            else:
                tete += f.read()
    except OSError as exc:
        raise ImportInvalide(f"fichier illisible ({exc.strerror})", path.name) from None
    code = encodage(path, tete, complet=not queue)
    if queue and code == "utf-16":  # no safe place to cut: the rare UTF-16 export is read whole
        tete, queue = path.read_bytes(), b""
    debut = tete.decode(code, errors="replace")
    # The tail starts mid-line: its first, partial line is dropped.
    fin = queue.decode(code, errors="replace").partition("\n")[2] if queue else ""
    if "<OFX" in debut.upper() or debut.lstrip().upper().startswith("OFXHEADER"):
        return _ofx(fin or debut, path.name)
    return _csv(debut, fin, path.name)


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
        dt.date(int(d[:4]), int(d[4:6]), int(d[6:8])), lire_montant(montant.group(1), nom), nom
    )


def _valeur(r: list[str], col: int, col_date: int, nom: str) -> tuple[dt.date, Decimal] | None:
    """(date, balance) of a statement row, or None when it carries none."""
    if len(r) <= max(col, col_date) or not r[col].strip():
        return None
    d = _date(r[col_date])
    if d is None:
        return None
    try:
        return d, lire_montant(r[col], nom)
    except CoopComptaError:
        return None


def _csv(debut: str, fin: str, nom: str) -> SoldeReleve | None:
    """`debut` is the statement's head (all of it when small), `fin` its tail or ""."""
    lignes_debut = debut.splitlines()
    if fin:
        lignes_debut = lignes_debut[:-1]  # the head ends mid-line too
    lignes_fin = fin.splitlines()
    # A « Solde au 31/08/2026 : 1 234,56 » line wins: the bank states it; the last one counts.
    for ligne in [*reversed(lignes_fin), *reversed(lignes_debut)]:
        m = _SOLDE_AU.search(ligne.replace(";", " ").replace('"', " "))
        if m:
            d = _date(m.group(1))
            try:
                montant = lire_montant(m.group(2).strip(), nom)
            except CoopComptaError:
                continue
            if d:
                return SoldeReleve(d, montant, nom)
    lcl = _lcl([*lignes_debut, *lignes_fin[1:]] if fin else lignes_debut, nom)
    if lcl is not None:
        return lcl
    delim = ";" if debut.count(";") >= debut.count(",") else ","
    rows = list(csv.reader(lignes_debut, delimiter=delim))
    for i, row in enumerate(rows):
        entete = [normaliser(c) for c in row]
        if "solde" not in entete or not any("date" in c for c in entete):
            continue
        col = entete.index("solde")
        col_date = next(j for j, c in enumerate(entete) if "date" in c)

        suite = rows[i + 1 :]
        queue = list(csv.reader(lignes_fin, delimiter=delim)) if fin else suite
        premier = next(
            (v for r in suite if (v := _valeur(r, col, col_date, nom)) is not None), None
        )
        dernier = next(
            (v for r in reversed(queue) if (v := _valeur(r, col, col_date, nom)) is not None), None
        )
        if premier is None or dernier is None:
            return None
        # Banks list either oldest or newest first: the closing balance is at the later end.
        fin_releve = dernier if dernier[0] >= premier[0] else premier
        return SoldeReleve(fin_releve[0], fin_releve[1], nom)
    return None


# LCL: no header; the file starts and ends with `date;solde;;n° de compte`.
_SOLDE_LCL = re.compile(r"^(\d\d/\d\d/\d{4});([-+]?\d[\d \u00a0]*(?:,\d{1,2})?);;[^;]*;?\s*$")


def _lcl(lignes: list[str], nom: str) -> SoldeReleve | None:
    """The closing balance line of an LCL export (the later of its two balance lines;
    `lignes`: the head and the tail of the file, whole lines only)."""
    pleines = [ligne for ligne in lignes if ligne.strip()]
    if not pleines or not _SOLDE_LCL.match(pleines[0]):
        return None
    soldes = []
    for ligne in pleines:
        m = _SOLDE_LCL.match(ligne)
        d = _date(m.group(1)) if m else None
        if m and d:
            soldes.append((d, lire_montant(m.group(2), nom)))
    dernier = soldes[-1] if soldes[-1][0] >= soldes[0][0] else soldes[0]
    return SoldeReleve(dernier[0], dernier[1], nom)
