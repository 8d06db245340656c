"""Categorisation rules for imported bank lines: YAML patterns -> accounts, applied purely.

The file is a YAML list; each rule has a `nom`, a `motif` (a piece of the bank label,
or a regular expression written between slashes), optional filters (`montant_min`,
`montant_max`, `sens`, `source`) and either a `compte` or a `ventilation` template.
`charger_regles` validates it against the chart (pydantic at the edge, `extra="forbid"`),
and `appliquer_regles` returns the categorisation of the first matching rule.
"""

from __future__ import annotations

import fnmatch
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from coopcompta.domain.comptes import COMPTE_ATTENTE
from coopcompta.domain.errors import CoopComptaError
from coopcompta.domain.model import Ligne, Nature, ReleveLigne
from coopcompta.domain.money import CENT

if TYPE_CHECKING:
    pass

CENTS = Decimal("100")


class ReglesInvalides(CoopComptaError):
    """A rules file that is malformed or names unknown accounts."""


def cle_libelle(texte: str) -> str:
    """Comparable form of a label: no accents, upper case, single spaces (`Fête  école` ->
    `FETE ECOLE`). Used to match rules and to fingerprint bank lines."""
    if texte.isascii():
        return " ".join(texte.upper().split())
    t = unicodedata.normalize("NFKD", texte)
    t = "".join(c for c in t if not unicodedata.combining(c))
    return " ".join(t.upper().split())


@dataclass(frozen=True)
class PartRegle:
    """One line of a rule's ventilation template: a percentage, a fixed amount, or the rest."""

    compte: str
    pourcentage: Decimal | None = None
    montant: Decimal | None = None
    classe: str | None = None


@dataclass(frozen=True)
class Regle:
    """A validated rule, its pattern precompiled. `index` is its 0-based place in the file."""

    nom: str
    motif: str
    cherche: Callable[[str], bool]
    parts: tuple[PartRegle, ...]
    sous_chaine: str | None = None  # the plain motif, tested inline (hot loop)
    index: int = 0
    montant_min: Decimal | None = None
    montant_max: Decimal | None = None
    sens: str | None = None  # "recette" (credit) or "depense" (debit)
    source: str | None = None
    libelle: str | None = None
    natures: frozenset[Nature] = frozenset()  # natures of the accounts, to check the sens
    virement: bool = False  # the account is a treasury account: a virement interne

    @property
    def raison(self) -> str:
        return f"règle « {self.nom} »"


@dataclass(slots=True)
class Categorisation:
    """Where a bank line goes and why.

    `ventilation` for a recette or dépense; `contrepartie` for a virement interne
    (the other treasury account). `origine` is regle, suggestion, manuel, attente or
    virement; `raison` is shown to the treasurer.
    """

    ventilation: tuple[Ligne, ...]
    raison: str
    origine: str
    libelle: str | None = None
    contrepartie: str | None = None
    score: float | None = None

    @property
    def compte(self) -> str | None:
        """The main account (first of the ventilation, or the other treasury account)."""
        if self.contrepartie:
            return self.contrepartie
        return self.ventilation[0].compte if self.ventilation else None


# --- applying --------------------------------------------------------------------------------


def ventiler_modele(parts: Sequence[PartRegle], total: Decimal) -> tuple[Ligne, ...] | None:
    """Spread a positive total over a template: percentages rounded to the centime, fixed
    amounts as given, the last line takes the rest. None when the fixed parts exceed it."""
    lignes: list[Ligne] = []
    reste = total
    for p in parts[:-1]:
        if p.pourcentage is not None:
            m = (total * p.pourcentage / CENTS).quantize(CENT, rounding=ROUND_HALF_UP)
        else:
            m = p.montant or Decimal("0")
        reste -= m
        if m > 0:
            lignes.append(Ligne(p.compte, m, p.classe))
    if reste < 0:
        return None
    dernier = parts[-1]
    if reste > 0:
        lignes.append(Ligne(dernier.compte, reste, dernier.classe))
    return tuple(lignes)


def appliquer_regles(
    regles: Sequence[Regle],
    ligne: ReleveLigne,
    *,
    format: str = "",
    fichier: str = "",
    cle: str | None = None,
) -> Categorisation | None:
    """The categorisation given by the first rule matching this bank line, or None.

    A rule applies when its motif is found in the label (accent- and case-insensitive),
    the absolute amount is within `montant_min`..`montant_max`, the sign fits `sens`,
    `source` names the file's format or matches its name (glob), and its accounts fit
    the line: charges for a debit, produits for a credit (471 and treasury accounts fit both).
    `cle` is `cle_libelle(ligne.libelle)` when the caller already has it.
    """
    if cle is None:
        cle = cle_libelle(ligne.libelle)
    credit = ligne.montant > 0
    montant = abs(ligne.montant)
    for r in regles:
        if r.sous_chaine is not None:
            if r.sous_chaine not in cle:
                continue
        elif not r.cherche(cle):
            continue
        if r.sens is not None and (r.sens == "recette") != credit:
            continue
        if r.montant_min is not None and montant < r.montant_min:
            continue
        if r.montant_max is not None and montant > r.montant_max:
            continue
        if r.source is not None and not _source_convient(r.source, format, fichier):
            continue
        if (Nature.CHARGE if credit else Nature.PRODUIT) in r.natures:
            continue
        raison = r.raison
        if r.virement:
            return Categorisation((), raison, "regle", r.libelle, contrepartie=r.parts[0].compte)
        ventilation: tuple[Ligne, ...]
        if len(r.parts) == 1:
            ventilation = (Ligne(r.parts[0].compte, montant, r.parts[0].classe),)
        else:
            modele = ventiler_modele(r.parts, montant)
            if modele is None:
                continue
            ventilation = modele
        return Categorisation(ventilation, raison, "regle", r.libelle)
    return None


class Categoriseur:
    """The rules of one import, compiled: `appliquer_regles` for many lines of one file.

    What does not change from line to line is decided once: the rules whose `source`
    does not fit the file are dropped, and each sign of amount (credit, debit) keeps its
    own list of the rules that may apply to it (`sens`, natures of the accounts). Which
    motifs a label matches is remembered per label (statements repeat their labels), in
    a bounded table, so that memory stays flat. Same result as `appliquer_regles`.
    """

    CACHE_MAX = 20_000

    def __init__(self, regles: Sequence[Regle], *, format: str = "", fichier: str = "") -> None:
        fichier_ok = [
            r for r in regles if r.source is None or _source_convient(r.source, format, fichier)
        ]
        self._par_signe = {
            True: tuple(
                r for r in fichier_ok if r.sens != "depense" and Nature.CHARGE not in r.natures
            ),
            False: tuple(
                r for r in fichier_ok if r.sens != "recette" and Nature.PRODUIT not in r.natures
            ),
        }
        self._trouvees: dict[tuple[str, bool], tuple[Regle, ...]] = {}
        self._raisons = {id(r): r.raison for r in fichier_ok}

    def __bool__(self) -> bool:
        return bool(self._par_signe[True] or self._par_signe[False])

    def regles_du_libelle(self, cle: str, credit: bool) -> tuple[Regle, ...]:
        """The rules whose motif is in this label and that fit this sign, in file order."""
        found = self._trouvees.get((cle, credit))
        if found is None:
            found = tuple(
                r
                for r in self._par_signe[credit]
                if (r.sous_chaine in cle if r.sous_chaine is not None else r.cherche(cle))
            )
            if len(self._trouvees) >= self.CACHE_MAX:
                self._trouvees.clear()
            self._trouvees[(cle, credit)] = found
        return found

    def categoriser(self, cle: str, montant: Decimal) -> Categorisation | None:
        """The categorisation of the first rule fitting a line (`cle` is
        `cle_libelle(label)`, `montant` the signed amount), or None."""
        credit = montant > 0
        regles = self._trouvees.get((cle, credit))
        if regles is None:
            regles = self.regles_du_libelle(cle, credit)
        if not regles:
            return None
        montant = abs(montant)
        for r in regles:
            if r.montant_min is not None and montant < r.montant_min:
                continue
            if r.montant_max is not None and montant > r.montant_max:
                continue
            raison = self._raisons[id(r)]
            if r.virement:
                return Categorisation((), raison, "regle", r.libelle, r.parts[0].compte)
            parts = r.parts
            if len(parts) == 1:
                part = parts[0]
                return Categorisation(
                    (Ligne(part.compte, montant, part.classe),), raison, "regle", r.libelle
                )
            ventilation = ventiler_modele(parts, montant)
            if ventilation is not None:
                return Categorisation(ventilation, raison, "regle", r.libelle)
        return None


def _source_convient(source: str, format: str, fichier: str) -> bool:
    s = source.lower()
    return s == format.lower() or fnmatch.fnmatch(fichier.lower(), s)


def attente(raison: str = "aucune règle ni suggestion sûre") -> Categorisation:
    """The line waits on 471 (à ventiler) until the treasurer categorises it."""
    return Categorisation((), raison, "attente")


def est_attente(c: Categorisation) -> bool:
    return c.origine == "attente" or (
        len(c.ventilation) == 1 and c.ventilation[0].compte == COMPTE_ATTENTE
    )


# --- loading ---------------------------------------------------------------------------------


# --- writing ("toujours ce compte pour ce libellé") ------------------------------------------
