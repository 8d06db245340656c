"""QIF statements (`!Type:Bank`): D date, T/U amount, P payee, M memo, N number, `^` ends."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from coopcompta.domain.errors import ImportInvalide
from coopcompta.domain.model import ReleveLigne
from coopcompta.importers.csv_releve import ignorer_lignes
from coopcompta.importers.texte import (
    annee,
    cheque_du_libelle,
    date_illisible,
    joindre_libelles,
    lire_montant_releve,
)

if TYPE_CHECKING:
    from coopcompta.importers import Releve
    from coopcompta.importers.csv_releve import Ignoree

_DATE_QIF = re.compile(r"^\s*(\d{1,4})\s*[/.\-]\s*(\d{1,2})\s*['/.\-]\s*(\d{2,4})\s*$", re.ASCII)
_TYPES_NON_BANCAIRES = ("!TYPE:INVST", "!TYPE:CAT", "!TYPE:CLASS", "!TYPE:MEMORIZED")


def lire_qif(path: Path, enc: str) -> Releve:
    """A QIF file as a Releve; the day/month order is found from the dates of the file."""
    from coopcompta.importers import Releve

    jour_d_abord, note = _ordre(path, enc)
    avertissements = (note,) if note else ()
    ignorees: list[Ignoree] = []
    lignes = _lignes(path, enc, jour_d_abord, ignorees)
    return Releve(path.name, "qif", None, avertissements, lignes, ignorees=ignorees)


def _ordre(path: Path, enc: str) -> tuple[bool, str | None]:
    """Day first (French) unless a date of the file can only be month first."""
    jour_possible = mois_possible = True
    vues = 0
    with open(path, encoding=enc) as f:
        for line in f:
            if line[:1] in "Dd" and (m := _DATE_QIF.match(line[1:])):
                a, b = int(m.group(1)), int(m.group(2))
                if len(m.group(1)) == 4:
                    continue
                vues += 1
                if a > 12:
                    mois_possible = False
                if b > 12:
                    jour_possible = False
    if jour_possible:
        ambigu = mois_possible and vues > 0
        return True, "dates lues jour/mois (aucune date ne permet de trancher)" if ambigu else None
    return False, "dates lues mois/jour (format américain)"


def _date(texte: str, jour_d_abord: bool, ou: str) -> dt.date:
    m = _DATE_QIF.match(texte)
    if not m:
        raise date_illisible(texte, ou)
    a, b, c = m.groups()
    try:
        if len(a) == 4:
            return dt.date(int(a), int(b), int(c))
        j, mo = (a, b) if jour_d_abord else (b, a)
        return dt.date(annee(c), int(mo), int(j))
    except ValueError:
        raise date_illisible(texte, ou) from None


def _lignes(
    path: Path, enc: str, jour_d_abord: bool, ignorees: list[Ignoree]
) -> Iterator[ReleveLigne]:
    nom = path.name
    champs: dict[str, str] = {}
    brut: list[str] = []
    debut = 0
    ignorer = False  # inside a non-bank section (!Account, categories…)
    section = ""  # the `!…` line of a non-bank section holding records
    compte: str | None = None  # the account named by the last !Account record
    compte_des_operations: str | None = None

    def operation() -> ReleveLigne:
        nonlocal compte_des_operations
        if compte_des_operations is None:
            compte_des_operations = compte
        elif compte != compte_des_operations:
            # Quicken exports every account in one file: one treasury account here
            raise ImportInvalide(
                f"opérations d'un deuxième compte (« {compte} » après "
                f"« {compte_des_operations} ») : exportez un fichier par compte",
                f"{nom}:{debut}",
            )
        return _ligne(champs, debut, brut, nom, jour_d_abord)

    with open(path, encoding=enc) as f:
        for numero, line in enumerate(f, 1):
            texte = line.rstrip("\r\n")
            if not texte.strip():
                continue
            if texte.startswith("!"):
                haut = texte.strip().upper()
                ignorer = haut.startswith(("!ACCOUNT", "!OPTION", "!CLEAR")) or haut.startswith(
                    _TYPES_NON_BANCAIRES
                )
                section = texte.strip() if haut.startswith(_TYPES_NON_BANCAIRES) else ""
                if haut.startswith("!ACCOUNT"):
                    section = "!Account"
                champs, brut = {}, []
                continue
            if texte.startswith("^"):
                if champs and not ignorer:
                    yield operation()
                elif champs and section == "!Account":
                    compte = champs.get("N", "")
                elif champs and section:
                    raison = f"section {section} : pas des opérations d'un compte bancaire"
                    ignorer_lignes(ignorees, debut, numero, raison)
                champs, brut = {}, []
                continue
            if not brut:
                debut = numero
            brut.append(texte)
            code, valeur = texte[0].upper(), texte[1:].strip()
            if code in "SE$":
                continue  # split lines: categories, not bank data
            if code in champs and code in "PM":
                champs[code] += " " + valeur
            elif code in champs and code in "DTU" and champs[code] != valeur:
                quoi = "deux dates" if code == "D" else "deux montants"
                raise ImportInvalide(
                    f"{quoi} dans la même opération (« {champs[code]} » et « {valeur} ») : "
                    "il manque sans doute la ligne « ^ » qui la termine",
                    f"{nom}:{numero}",
                )
            else:
                champs[code] = valeur
    if champs and not ignorer:
        yield operation()
    elif champs and section and section != "!Account":
        raison = f"section {section} : pas des opérations d'un compte bancaire"
        ignorer_lignes(ignorees, debut, numero, raison)


def _ligne(
    champs: dict[str, str],
    debut: int,
    brut: list[str],
    nom: str,
    jour_d_abord: bool,
) -> ReleveLigne:
    ou = f"{nom}:{debut}"
    if "D" not in champs:
        raise ImportInvalide("date absente (ligne D)", ou)
    date = _date(champs["D"], jour_d_abord, ou)
    texte = champs.get("T") or champs.get("U") or ""
    if not texte:
        raise ImportInvalide("montant absent (ligne T)", ou)
    montant = lire_montant_releve(texte, ou, anglais=True)
    libelle = joindre_libelles([champs.get("P", ""), champs.get("M", "")])
    numero = champs.get("N", "").strip()
    cheque = numero if numero.isascii() and numero.isdigit() else cheque_du_libelle(libelle)
    extra = {k: v for k, v in (("categorie", champs.get("L", "")), ("numero", numero)) if v}
    return ReleveLigne(
        date=date,
        libelle=libelle,
        montant=montant,
        ligne=debut,
        brut="\n".join(brut),
        cheque=cheque,
        extra=extra,
    )
