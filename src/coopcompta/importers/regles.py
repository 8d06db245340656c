"""The categorisation rules file (YAML): read, validate against the chart, append rules."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coopcompta.domain.caracteres import caractere_interdit
from coopcompta.domain.categorisation import PartRegle, Regle, ReglesInvalides, cle_libelle
from coopcompta.domain.errors import CoopComptaError, fichier_inutilisable
from coopcompta.domain.model import Nature
from coopcompta.domain.money import lire_montant
from coopcompta.importers.motif import MotifInvalide, compiler_motif

if TYPE_CHECKING:
    from coopcompta.domain.plan_comptable import PlanComptable


FICHIER_REGLES = "regles.yaml"


def _chercheur(motif: str, ou: str) -> Callable[[str], bool]:
    """A test on `cle_libelle(label)`: substring, or a regex written `/…/`, run by RE2
    in linear time whatever the pattern (`importers.motif`)."""
    texte = motif.strip()
    if len(texte) > 2 and texte.startswith("/") and texte.endswith("/"):
        source = unicodedata.normalize("NFKD", texte[1:-1])
        source = "".join(c for c in source if not unicodedata.combining(c))
        try:
            return compiler_motif(source)
        except MotifInvalide as exc:
            raise ReglesInvalides(str(exc), ou) from None
    sous_chaine = cle_libelle(texte)
    if not sous_chaine:
        raise ReglesInvalides("motif vide", ou)
    return lambda cle: sous_chaine in cle


def _texte_yaml(valeur: Any) -> str:
    """The text the user typed. YAML gives 12.5 as a float, whose shortest text ("12.5")
    is it, with a decimal point: written « 12,5 », since lire_montant reads « 12.345 »
    as twelve thousand (a French thousands separator)."""
    if isinstance(valeur, float):
        return str(valeur).replace(".", ",")
    return valeur if isinstance(valeur, str) else str(valeur)


def _montant(valeur: Any, ou: str) -> Decimal:
    texte = _texte_yaml(valeur)
    m = lire_montant(texte, ou)
    if m <= 0:
        raise ReglesInvalides(f"montant positif attendu (« {texte} »)", ou)
    return m


def _part(valeur: Any, ou: str) -> tuple[Decimal | None, Decimal | None]:
    """(percentage, fixed amount) from `60%`, `12,50` or 12.5."""
    texte = _texte_yaml(valeur)
    if texte.strip().endswith("%"):
        chiffres = texte.strip()[:-1].strip().replace(",", ".")
        try:
            p = Decimal(chiffres)
        except ArithmeticError:
            p = Decimal("NaN")
        # Decimal also reads NaN (whose comparison raised), 1E+2 and Arabic-Indic digits
        if not p.is_finite() or not re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", chiffres):
            raise ReglesInvalides(f"pourcentage illisible « {texte} »", ou) from None
        if not 0 < p <= 100:
            raise ReglesInvalides(f"pourcentage hors de 0 à 100 « {texte} »", ou)
        return p, None
    return None, _montant(texte, ou)


def charger_regles(chemin: str | Path, plan: PlanComptable) -> list[Regle]:
    """Read and validate a rules file; an absent file is no rules. Errors name the file,
    the rule (`regles[3] (nom)`) and the field."""
    import yaml

    from coopcompta.importers.yaml_sur import lire_yaml, ou_yaml

    path = Path(chemin)
    try:
        texte = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise ReglesInvalides(fichier_inutilisable(exc), path.name) from None
    except UnicodeDecodeError:
        raise ReglesInvalides("fichier illisible : enregistrez-le en UTF-8", path.name) from None
    try:
        data = lire_yaml(texte)
    except yaml.YAMLError as exc:
        ou, quoi = ou_yaml(exc, path.name, texte)
        raise ReglesInvalides(f"YAML illisible ({quoi})", ou) from None
    return valider_regles(data, path.name, plan)


def valider_regles(data: Any, nom_fichier: str, plan: PlanComptable) -> list[Regle]:
    """Validate parsed YAML (a list of rules) against the chart."""
    from pydantic import ValidationError

    from coopcompta.importers._regles_schema import RegleFichier

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
    from coopcompta.importers.pydantic_fr import message_pydantic

    return str(_MESSAGES.get(err["type"]) or message_pydantic(err))


def _regle(r: Any, index: int, lieu: str, plan: PlanComptable) -> Regle:
    if (r.compte is None) == (r.ventilation is None):
        raise ReglesInvalides("indiquez soit « compte », soit « ventilation »", lieu)
    # The name is printed, the libellé and class written into écritures: a line break or
    # a tabulation (the YAML reader lets them through) is refused as at coop saisie.
    textes = [("nom", r.nom), ("libelle", r.libelle), ("classe", r.classe)]
    textes += [(f"ventilation[{k}].classe", p.classe) for k, p in enumerate(r.ventilation or [])]
    for champ, valeur in textes:
        interdit = caractere_interdit(valeur) if valeur else None
        if interdit:
            raise ReglesInvalides(f"caractère de contrôle {interdit} refusé", f"{lieu}.{champ}")
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


@dataclass(frozen=True)
class RegleListee:
    """One rule of the file as `coop regles` lists it (numbered from 1)."""

    numero: int
    nom: str
    motif: str
    comptes: str  # `6183`, `62810008 80 %, 61681008`, `→ 53` for a virement
    filtres: str  # `dépense, 10,00 € à 50,00 €`


def lister_regles(chemin: str | Path, plan: PlanComptable) -> list[RegleListee]:
    """The rules of the file, validated, in file order."""
    from coopcompta.domain.money import formater_euros

    result = []
    for r in charger_regles(chemin, plan):
        if r.virement:
            comptes = f"virement interne → {r.parts[0].compte}"
        else:
            comptes = ", ".join(
                p.compte
                + (
                    f" {p.pourcentage.normalize():f} %".replace(".", ",")
                    if p.pourcentage is not None
                    else ""
                )
                + (f" {formater_euros(p.montant)}" if p.montant is not None else "")
                for p in r.parts
            )
        filtres = []
        if r.sens:
            filtres.append("recette" if r.sens == "recette" else "dépense")
        if r.montant_min is not None:
            filtres.append(f"≥ {formater_euros(r.montant_min)}")
        if r.montant_max is not None:
            filtres.append(f"≤ {formater_euros(r.montant_max)}")
        if r.source:
            filtres.append(f"source {r.source}")
        result.append(RegleListee(r.index + 1, r.nom, r.motif, comptes, ", ".join(filtres)))
    return result


def supprimer_regle(chemin: str | Path, numero: int, plan: PlanComptable) -> RegleListee:
    """Remove rule n° `numero` (from 1, as listed) from the file, keeping every other line
    of the user's text and comments; the file must then read as the same rules minus
    that one, else it is left unchanged and the removal refused."""
    import yaml

    from coopcompta.importers.yaml_sur import composer_yaml

    path = Path(chemin)
    regles = lister_regles(path, plan)
    if not regles:
        raise ReglesInvalides("aucune règle dans ce fichier", path.name)
    if not 1 <= numero <= len(regles):
        raise ReglesInvalides(
            f"pas de règle n° {numero} (le fichier en a {len(regles)} : coop regles les liste)",
            path.name,
        )
    texte = path.read_text(encoding="utf-8-sig")
    racine = composer_yaml(texte)
    lignes = texte.splitlines(keepends=True)
    if not isinstance(racine, yaml.SequenceNode) or racine.flow_style:
        raise ReglesInvalides(
            "seul un fichier écrit en liste « - nom: … » se modifie ici ; fichier inchangé",
            path.name,
        )
    debuts = [item.start_mark.line for item in racine.value]
    # The comment lines just above a rule belong to it (those above the first one head
    # the file and stay).
    debut, fin = debuts[numero - 1], debuts[numero] if numero < len(debuts) else len(lignes)
    if numero < len(debuts):
        while fin - 1 > debut and lignes[fin - 1].lstrip().startswith("#"):
            fin -= 1
    if numero > 1:
        while debut - 1 > debuts[numero - 2] and lignes[debut - 1].lstrip().startswith("#"):
            debut -= 1
    nouveau = "".join(lignes[:debut] + lignes[fin:])
    path.write_text(nouveau, encoding="utf-8")
    try:
        apres = lister_regles(path, plan)
    except CoopComptaError:
        apres = []
    attendu = [(r.nom, r.motif) for r in regles if r.numero != numero]
    if [(r.nom, r.motif) for r in apres] != attendu:
        path.write_text(texte, encoding="utf-8")
        raise ReglesInvalides(
            f"impossible de retirer la règle n° {numero} sans toucher aux autres ; "
            "fichier laissé inchangé",
            path.name,
        )
    return regles[numero - 1]
