"""The journal CSV format: read écritures (`coop saisie --fichier`, `coop verifier`), write them.

Format (UTF-8, a BOM is accepted; `;` separator; one header row; one row per
ventilation line)::

    date;piece;libelle;sens;tresorerie;mode;cheque;total;compte;montant;classe;annule

- `date` jj/mm/aaaa; `sens` recette | depense | virement | ouverture; amounts in
  French (`80,00`, `1 234,56`; `ecrire_journal` writes `1234,56`).
- Consecutive rows with the same non-empty `piece` (same date, sens and
  trésorerie) form one écriture; a row with an empty `piece` is an écriture on its
  own and gets the next pièce number when recorded. `libelle`, `mode`, `cheque`,
  `annule` are read from the écriture's first row (later rows may repeat them).
- `total` (optional, on the first row): the écriture's total; when empty it is the
  sum of the rows' `montant`. A single row with a `total` and no `montant` takes
  the whole total.
- `virement`: one row, `tresorerie` = source, `compte` = destination.
  `ouverture`: one row, `tresorerie` = the treasury account, `compte` empty,
  `montant` = the opening balance (report à nouveau).
- `mode`: cheque | especes | virement | carte | prelevement | assoconnect
  (accents and case ignored); `cheque`: the cheque number.
- `classe`: optional class or project tag. `annule`: the pièce of the écriture
  this one cancels (a contre-passation: amounts negative).
- Columns may come in any order; only `date`, `sens`, `tresorerie` and `montant`
  are required; an unknown column is an error. Empty rows are skipped.
- Text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
  a tab or a carriage return, after any apostrophes) is written behind one more
  apostrophe (`'=HYPERLINK(…)`), which the reader takes off: the text reads back as it
  was (`neutraliser` and `lire_texte`). Amounts are left as they are (`-12,50` is a
  number for a spreadsheet, not a formula).

`lire_journal(path, plan, strict=True)` yields one `LigneJournal` per écriture:
`ligne` (the CSV line of its first row), `ecriture` (accounts resolved to their
numbers; `exercice`, `id` and `annule` not set, `piece` None when empty),
`total_annonce` (the `total` column, or None) and `annule_piece` (the `annule`
column, or None). Errors are CoopComptaError subclasses placed `journal.csv:LINE`.

- strict=True (saisie) also refuses: a total different from the sum of the rows,
  an account whose nature does not fit (treasury, charge for a dépense, produit
  for a recette, 471 in both), negative amounts outside a contre-passation, a
  zero amount, several rows for a virement or an ouverture, and rows of one pièce
  whose date, sens or trésorerie differ.
- strict=False (`coop verifier`) refuses only what it cannot read (file,
  header, dates, amounts, sens, mode), raising DonneesInutilisables; otherwise it
  yields the écriture as written (an account absent from the chart keeps its code,
  for the `compte-hors-plan` check):
  `ecriture.montant` is the sum of the rows and `total_annonce` the announced
  total, so `LigneJournal.ecart` tells the discrepancy; rows of one pièce that
  disagree start a new écriture.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from coopcompta.domain.ecritures import (
    Part,
    creer_ecriture,
    lire_date,
    lire_sens,
    sans_accents,
)
from coopcompta.domain.errors import (
    CoopComptaError,
    DonneesInutilisables,
    SaisieInvalide,
    fichier_inutilisable,
)
from coopcompta.domain.model import Compte, Ecriture, Sens
from coopcompta.domain.money import formater_euros, lire_montant
from coopcompta.importers.texte import expliquer_erreur_csv

if TYPE_CHECKING:
    from coopcompta.domain.plan_comptable import PlanComptable

COLONNES = (
    "date",
    "piece",
    "libelle",
    "sens",
    "tresorerie",
    "mode",
    "cheque",
    "total",
    "compte",
    "montant",
    "classe",
    "annule",
)
OBLIGATOIRES = ("date", "sens", "tresorerie", "montant")
# The columns that hold text (not a date, not an amount): a spreadsheet must not run them.
COLONNES_TEXTE = frozenset(COLONNES) - {"date", "total", "montant"}
DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def _formule(texte: str) -> bool:
    """Whether a spreadsheet would run `texte` (after any leading apostrophes)."""
    return texte.lstrip("'").startswith(DEBUTS_DE_FORMULE)


def neutraliser(texte: str) -> str:
    """Text for a CSV cell that no spreadsheet runs as a formula: `=1+1` -> `'=1+1`.

    `'=1+1` itself gets one more apostrophe, so that `lire_texte` gives back exactly
    what was written; any other text is unchanged."""
    return "'" + texte if _formule(texte) else texte


def lire_texte(cellule: str) -> str:
    """The text `neutraliser` wrote: one apostrophe taken off a would-be formula.

    An apostrophe before ordinary text (`'Noël' à l'école`) is the text's own."""
    return cellule[1:] if cellule[:1] == "'" and _formule(cellule[1:]) else cellule


@dataclass(frozen=True)
class LigneJournal:
    """One écriture read from a journal CSV, with where it starts and what it announced."""

    ligne: int
    ecriture: Ecriture
    total_annonce: Decimal | None = None
    annule_piece: str | None = None

    @property
    def ecart(self) -> Decimal | None:
        """Announced total minus the sum of the rows, when they differ (None otherwise)."""
        if self.total_annonce is None or self.total_annonce == self.ecriture.montant:
            return None
        return self.total_annonce - self.ecriture.montant


class _Rang(dict[str, str]):
    """One CSV row: every column (missing ones empty), stripped, and its line number."""

    ligne: int


def _entete(brute: list[str], nom: str) -> list[str]:
    # A BOM repeated by a spreadsheet's re-save would make « date » unknown, unseen.
    colonnes = [sans_accents(c).strip().lstrip("\ufeff").lower() for c in brute]
    for c in colonnes:
        if c not in COLONNES:
            separateur = "" if len(brute) > 1 else " ; le séparateur attendu est « ; »"
            raise SaisieInvalide(
                f"colonne inconnue « {c} » (colonnes : {';'.join(COLONNES)}){separateur}",
                f"{nom}:1",
            )
    for c in OBLIGATOIRES:
        if c not in colonnes:
            raise SaisieInvalide(f"colonne « {c} » manquante", f"{nom}:1")
    return colonnes


def _rangs(fichier: TextIO, nom: str) -> Iterator[_Rang]:
    # strict: a quote left open is an error at its line, not a field swallowing the rest
    reader = csv.reader(fichier, delimiter=";", strict=True)
    debut = 1
    try:
        entete = next(reader, None)
        if entete is None:
            raise SaisieInvalide("fichier vide (il faut au moins la ligne d'en-tête)", nom)
        colonnes = _entete(entete, nom)
        texte = [c for c in colonnes if c in COLONNES_TEXTE]
        vide = dict.fromkeys(COLONNES, "")
        debut = reader.line_num + 1
        for valeurs in reader:
            ligne, debut = debut, reader.line_num + 1
            if len(valeurs) > len(colonnes):
                raise SaisieInvalide(
                    f"{len(valeurs)} colonnes au lieu de {len(colonnes)}", f"{nom}:{ligne}"
                )
            rang = _Rang(vide)
            rang.update(zip(colonnes, map(str.strip, valeurs), strict=False))
            if not any(rang.values()):
                continue
            for c in texte:
                if rang[c][:1] == "'":
                    rang[c] = lire_texte(rang[c])
            rang.ligne = ligne
            yield rang
    except UnicodeDecodeError:
        raise SaisieInvalide(
            "fichier illisible : il doit être encodé en UTF-8 (enregistrez-le en « CSV UTF-8 »)",
            nom,
        ) from None
    except csv.Error as exc:
        raise SaisieInvalide(expliquer_erreur_csv(exc), f"{nom}:{debut}") from None


def _meme_ecriture(groupe: list[_Rang], rang: _Rang) -> bool:
    return bool(rang["piece"]) and rang["piece"] == groupe[0]["piece"]


def _entetes_concordent(premier: _Rang, rang: _Rang) -> bool:
    return all(
        premier[c] == rang[c] or sans_accents(premier[c]).lower() == sans_accents(rang[c]).lower()
        for c in ("date", "sens", "tresorerie")
    )


def _construire(groupe: list[_Rang], plan: PlanComptable, nom: str, strict: bool) -> LigneJournal:
    premier = groupe[0]
    ou = f"{nom}:{premier.ligne}"
    date = lire_date(premier["date"], ou)
    sens = lire_sens(premier["sens"], ou)
    annule_piece = premier["annule"] or None
    total = None
    if premier["total"]:
        total = lire_montant(premier["total"], ou)
    for rang in groupe[1:]:
        if rang["total"] and strict:
            raise SaisieInvalide(
                "le total se donne sur la première ligne de l'écriture seulement",
                f"{nom}:{rang.ligne}",
            )
        if rang["total"] and total is None:
            total = lire_montant(rang["total"], f"{nom}:{rang.ligne}")
    if strict and len(groupe) > 1 and sens in (Sens.VIREMENT, Sens.OUVERTURE):
        quoi = "un virement" if sens is Sens.VIREMENT else "une ouverture"
        raise SaisieInvalide(
            f"{quoi} tient sur une seule ligne (pièce {premier['piece']} répétée)",
            f"{nom}:{groupe[1].ligne}",
        )

    parts: list[Part] = []
    for rang in groupe:
        lieu = f"{nom}:{rang.ligne}"
        montant = lire_montant(rang["montant"], lieu) if rang["montant"] else None
        if montant is None and not (len(groupe) == 1 and total is not None):
            raise SaisieInvalide("montant vide", lieu)
        if sens in (Sens.RECETTE, Sens.DEPENSE) and not rang["compte"]:
            raise SaisieInvalide("compte vide : indiquez le compte de la ventilation", lieu)
        parts.append(Part(rang["compte"], montant, rang["classe"] or None, lieu))

    somme = sum((p.montant for p in parts if p.montant is not None), Decimal("0"))
    if parts[0].montant is None:
        assert total is not None
        somme = total
    if strict and total is not None and total != somme:
        raise SaisieInvalide(
            f"le total ({formater_euros(total)}) ne correspond pas à la somme des lignes "
            f"({formater_euros(somme)})",
            ou,
        )
    contrepartie = None
    if sens is Sens.VIREMENT:
        contrepartie = premier["compte"]
        if not contrepartie:
            raise SaisieInvalide("virement sans compte de destination (colonne compte)", ou)
    if sens is Sens.OUVERTURE and premier["compte"] and strict:
        raise SaisieInvalide(
            "une ouverture n'a pas de compte de ventilation : laissez la colonne compte vide", ou
        )
    ecriture = creer_ecriture(
        plan,
        date=date,
        sens=sens,
        libelle=premier["libelle"],
        montant=somme,
        tresorerie=premier["tresorerie"],
        parts=parts if sens in (Sens.RECETTE, Sens.DEPENSE) else (),
        contrepartie=contrepartie,
        piece=premier["piece"] or None,
        mode=premier["mode"],
        cheque=premier["cheque"],
        ou=ou,
        contre=annule_piece is not None,
        strict=strict,
    )
    return LigneJournal(premier.ligne, ecriture, total, annule_piece)


class _ComptesVus:
    """The chart's account lookup, remembered: a journal names the same accounts again and again."""

    def __init__(self, plan: PlanComptable) -> None:
        self.plan = plan
        self.vus: dict[str, Compte] = {}

    def compte(self, code: str, ou: str | None = None) -> Compte:
        found = self.vus.get(code)
        if found is None:
            found = self.vus[code] = self.plan.compte(code, ou)
        return found

    def trouver(self, code: str) -> Compte | None:
        found = self.vus.get(code)
        if found is None and (found := self.plan.trouver(code)) is not None:
            self.vus[code] = found
        return found


def lire_journal(
    path: str | Path, plan: PlanComptable, strict: bool = True
) -> Iterator[LigneJournal]:
    """Stream the écritures of a journal CSV, in file order (see the module docstring)."""
    plan = cast("PlanComptable", _ComptesVus(plan))
    path = Path(path)
    nom = path.name
    try:
        fichier = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        erreur = SaisieInvalide(fichier_inutilisable(exc), str(path))
        if strict:
            raise erreur from None
        raise DonneesInutilisables(erreur.message, erreur.ou) from None
    try:
        with fichier:
            groupe: list[_Rang] = []
            for rang in _rangs(fichier, nom):
                if groupe and _meme_ecriture(groupe, rang):
                    if _entetes_concordent(groupe[0], rang):
                        groupe.append(rang)
                        continue
                    if strict:
                        raise SaisieInvalide(
                            f"même pièce {rang['piece']} que la ligne {groupe[0].ligne} mais "
                            "date, sens ou trésorerie différents",
                            f"{nom}:{rang.ligne}",
                        )
                if groupe:
                    yield _construire(groupe, plan, nom, strict)
                groupe = [rang]
            if groupe:
                yield _construire(groupe, plan, nom, strict)
    except CoopComptaError as exc:
        if strict or isinstance(exc, DonneesInutilisables):
            raise
        raise DonneesInutilisables(exc.message, exc.ou) from None
