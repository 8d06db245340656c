"""Categorisation rules for imported bank lines: YAML patterns -> accounts, applied purely.

The file is a YAML list; each rule has a `nom`, a `motif` (a piece of the bank label,
or a regular expression written between slashes), optional filters (`montant_min`,
`montant_max`, `sens`, `source`) and either a `compte` or a `ventilation` template.
`charger_regles` validates it against the chart (pydantic at the edge, `extra="forbid"`),
and `appliquer_regles` returns the categorisation of the first matching rule.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import CoopComptaError
from .model import COMPTE_ATTENTE, Ligne, Nature, ReleveLigne
from .money import CENT, parse_montant

if TYPE_CHECKING:
    from .plan_comptable import PlanComptable

FICHIER_REGLES = "regles.yaml"
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
        if len(r.parts) == 1:
            ventilation: tuple[Ligne, ...] | None = (
                Ligne(r.parts[0].compte, montant, r.parts[0].classe),
            )
        else:
            ventilation = ventiler_modele(r.parts, montant)
            if ventilation is None:
                continue
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
                    (_ligne(part.compte, montant, part.classe),), raison, "regle", r.libelle
                )
            ventilation = ventiler_modele(parts, montant)
            if ventilation is not None:
                return Categorisation(ventilation, raison, "regle", r.libelle)
        return None


def _ligne(compte: str, montant: Decimal, classe: str | None) -> Ligne:
    """Ligne(…), faster: a frozen dataclass's __init__ sets each field through
    object.__setattr__; its __dict__ filled at once gives the same object."""
    lg = _NOUVEAU(Ligne)
    lg.__dict__.update(compte=compte, montant=montant, classe=classe)
    return lg


_NOUVEAU = object.__new__
if (
    tuple(f.name for f in dataclasses.fields(Ligne)) != ("compte", "montant", "classe")
    or hasattr(Ligne, "__slots__")
    or hasattr(Ligne, "__post_init__")
):  # the model changed shape: its own constructor
    _ligne = Ligne  # type: ignore[assignment]  # noqa: F811


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


def _chercheur(motif: str, ou: str) -> Callable[[str], bool]:
    """A test on `cle_libelle(label)`: substring, or a regex written `/…/`."""
    texte = motif.strip()
    if len(texte) > 2 and texte.startswith("/") and texte.endswith("/"):
        source = unicodedata.normalize("NFKD", texte[1:-1])
        source = "".join(c for c in source if not unicodedata.combining(c))
        try:
            rx = re.compile(source, re.IGNORECASE)
        except re.error as exc:
            raise ReglesInvalides(f"expression régulière invalide ({exc})", ou) from None
        search = rx.search
        return lambda cle: search(cle) is not None
    sous_chaine = cle_libelle(texte)
    if not sous_chaine:
        raise ReglesInvalides("motif vide", ou)
    return lambda cle: sous_chaine in cle


def _montant(valeur: Any, ou: str) -> Decimal:
    # YAML gives 12.5 as a float: its shortest text ("12.5") is what the user typed.
    texte = valeur if isinstance(valeur, str) else str(valeur)
    m = parse_montant(texte, ou)
    if m <= 0:
        raise ReglesInvalides(f"montant positif attendu (« {texte} »)", ou)
    return m


def _part(valeur: Any, ou: str) -> tuple[Decimal | None, Decimal | None]:
    """(percentage, fixed amount) from `60%`, `12,50` or 12.5."""
    texte = valeur if isinstance(valeur, str) else str(valeur)
    if texte.strip().endswith("%"):
        chiffres = texte.strip()[:-1].strip().replace(",", ".")
        try:
            p = Decimal(chiffres)
        except ArithmeticError:
            raise ReglesInvalides(f"pourcentage illisible « {texte} »", ou) from None
        if not 0 < p <= 100:
            raise ReglesInvalides(f"pourcentage hors de 0 à 100 « {texte} »", ou)
        return p, None
    return None, _montant(texte, ou)


def charger_regles(chemin: str | Path, plan: PlanComptable) -> list[Regle]:
    """Read and validate a rules file; an absent file is no rules. Errors name the file,
    the rule (`regles[3] (nom)`) and the field."""
    import yaml

    path = Path(chemin)
    try:
        texte = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise ReglesInvalides(f"fichier illisible ({exc})", path.name) from None
    try:
        data = yaml.load(texte, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        ou = f"{path.name}:{mark.line + 1}" if mark else path.name
        raise ReglesInvalides(f"YAML illisible ({getattr(exc, 'problem', exc)})", ou) from None
    return valider_regles(data, path.name, plan)


def valider_regles(data: Any, nom_fichier: str, plan: PlanComptable) -> list[Regle]:
    """Validate parsed YAML (a list of rules) against the chart."""
    from pydantic import ValidationError

    from ._regles_schema import RegleFichier

    if data is None:
        return []
    if not isinstance(data, list):
        raise ReglesInvalides(
            "liste de règles attendue (chaque règle commence par « - nom: … »)", nom_fichier
        )
    regles: list[Regle] = []
    for i, brut in enumerate(data):
        nom = brut.get("nom") if isinstance(brut, dict) else None
        lieu = f"{nom_fichier}: regles[{i}]" + (f" ({nom})" if nom else "")
        try:
            r = RegleFichier.model_validate(brut)
        except ValidationError as exc:
            err = exc.errors()[0]
            champ = ".".join(
                f"[{x}]" if isinstance(x, int) else str(x) for x in err["loc"]
            ).replace(".[", "[")
            ou = f"{lieu}.{champ}" if champ else lieu
            raise ReglesInvalides(_message(err), ou) from None
        regles.append(_regle(r, i, lieu, plan))
    return regles


_MESSAGES = {
    "missing": "champ requis",
    "extra_forbidden": "champ inconnu",
    "string_type": "texte attendu",
    "list_type": "liste attendue",
    "model_type": "dictionnaire attendu",
    "dict_type": "dictionnaire attendu",
    "string_too_short": "texte vide",
    "literal_error": "valeur attendue : recette ou depense",
}


def _message(err: Any) -> str:
    return _MESSAGES.get(err["type"], err["msg"])


def _regle(r: Any, index: int, lieu: str, plan: PlanComptable) -> Regle:
    if (r.compte is None) == (r.ventilation is None):
        raise ReglesInvalides("indiquez soit « compte », soit « ventilation »", lieu)
    cherche = _chercheur(r.motif, f"{lieu}.motif")
    mini = _montant(r.montant_min, f"{lieu}.montant_min") if r.montant_min is not None else None
    maxi = _montant(r.montant_max, f"{lieu}.montant_max") if r.montant_max is not None else None
    if mini is not None and maxi is not None and mini > maxi:
        raise ReglesInvalides("montant_min dépasse montant_max", f"{lieu}.montant_min")
    natures: set[Nature] = set()
    if r.compte is not None:
        compte = plan.compte(str(r.compte), f"{lieu}.compte")
        parts: tuple[PartRegle, ...] = (PartRegle(compte.numero, classe=r.classe),)
        comptes = [compte]
    else:
        if not r.ventilation:
            raise ReglesInvalides("ventilation vide", f"{lieu}.ventilation")
        lst: list[PartRegle] = []
        comptes = []
        dernier = len(r.ventilation) - 1
        pourcentages = Decimal("0")
        for k, p in enumerate(r.ventilation):
            ou = f"{lieu}.ventilation[{k}]"
            compte = plan.compte(str(p.compte), f"{ou}.compte")
            comptes.append(compte)
            pct = fixe = None
            if p.part is not None:
                pct, fixe = _part(p.part, f"{ou}.part")
            elif k != dernier:
                raise ReglesInvalides(
                    "part requise (sauf pour la dernière ligne, qui reçoit le reste)",
                    f"{ou}.part",
                )
            if k == dernier and p.part is not None:
                total = pourcentages + (pct or 0)
                if pct is None or total != 100 or any(x.montant for x in lst):
                    raise ReglesInvalides(
                        "la dernière ligne reçoit le reste : retirez « part » "
                        "(ou donnez des pourcentages dont la somme fait 100 %)",
                        f"{ou}.part",
                    )
            pourcentages += pct or 0
            lst.append(PartRegle(compte.numero, pct, fixe, p.classe or r.classe))
        if pourcentages > 100:
            raise ReglesInvalides("les pourcentages dépassent 100 %", f"{lieu}.ventilation")
        parts = tuple(lst)
    tresorerie = [c for c in comptes if c.nature is Nature.TRESORERIE]
    if tresorerie and len(comptes) > 1:
        raise ReglesInvalides(
            f"le compte de trésorerie {tresorerie[0].numero} ne se ventile pas "
            "(un virement interne va vers un seul compte)",
            f"{lieu}.ventilation",
        )
    for c in comptes:
        if c.nature is Nature.BILAN:
            raise ReglesInvalides(
                f"le compte {c.numero} ({c.libelle}) n'est pas un compte de charge, de produit "
                "ou de trésorerie",
                f"{lieu}.{'compte' if r.compte is not None else 'ventilation'}",
            )
        if c.nature in (Nature.CHARGE, Nature.PRODUIT):
            natures.add(c.nature)
    if natures == {Nature.CHARGE, Nature.PRODUIT}:
        raise ReglesInvalides(
            "ventilation mêlant comptes de charge et de produit", f"{lieu}.ventilation"
        )
    sens = r.sens
    if (
        sens == "recette"
        and Nature.CHARGE in natures
        or sens == "depense"
        and (Nature.PRODUIT in natures)
    ):
        raise ReglesInvalides(
            f"une règle « {sens} » ne peut aller vers un compte "
            f"{'de charge' if sens == 'recette' else 'de produit'}",
            f"{lieu}.sens",
        )
    motif = r.motif.strip()
    est_regex = len(motif) > 2 and motif.startswith("/") and motif.endswith("/")
    return Regle(
        nom=r.nom,
        motif=r.motif,
        cherche=cherche,
        sous_chaine=None if est_regex else cle_libelle(motif),
        parts=parts,
        index=index,
        montant_min=mini,
        montant_max=maxi,
        sens=sens,
        source=r.source,
        libelle=r.libelle,
        natures=frozenset(natures),
        virement=bool(tresorerie),
    )


# --- writing ("toujours ce compte pour ce libellé") ------------------------------------------

_MOT_AVEC_CHIFFRE = re.compile(r"\S*\d\S*")


def motif_pour(libelle: str) -> str:
    """A pattern for similar future labels: the label without its dates, numbers and
    references (`CB LIBRAIRIE DU CENTRE 12/10` -> `CB LIBRAIRIE DU CENTRE`)."""
    sans = " ".join(_MOT_AVEC_CHIFFRE.sub(" ", libelle).split()).strip(" -/:")
    return sans or libelle.strip()


def texte_regle(nom: str, motif: str, compte: str, sens: str | None = None) -> str:
    """The YAML text of one simple rule, as appended to the rules file."""
    import json

    # JSON strings are valid YAML scalars and escape whatever the label holds.
    lignes = [
        f"- nom: {json.dumps(nom, ensure_ascii=False)}",
        f"  motif: {json.dumps(motif, ensure_ascii=False)}",
    ]
    if sens:
        lignes.append(f"  sens: {sens}")
    lignes.append(f'  compte: "{compte}"')
    return "\n".join(lignes) + "\n"


def ajouter_regles(chemin: str | Path, textes: Sequence[str], plan: PlanComptable) -> None:
    """Append rules to the file (created if absent), keeping the user's text and comments,
    then check the file still reads as the same rules plus the new ones."""
    path = Path(chemin)
    avant = path.read_text(encoding="utf-8-sig") if path.exists() else ""
    n_avant = len(charger_regles(path, plan)) if avant.strip() else 0
    entete = "" if avant.strip() else "# Règles de catégorisation de coop import (voir le README)\n"
    separateur = "" if not avant or avant.endswith("\n") else "\n"
    nouveau = avant + separateur + entete + "".join(textes)
    path.write_text(nouveau, encoding="utf-8")
    try:
        n_apres = len(charger_regles(path, plan))
    except CoopComptaError:
        n_apres = -1
    if n_apres != n_avant + len(textes):
        path.write_text(avant, encoding="utf-8")
        raise ReglesInvalides(
            "impossible d'ajouter la règle à la fin de ce fichier (écrit en style [ … ] ?) ; "
            "fichier laissé inchangé",
            path.name,
        )
