"""The departmental view (`coop consolider`): one row per cooperative, totals across all of them.

The association départementale (AD) receives hundreds of cooperatives' books and
must find, fast, the few that need a look: an exceptional balance off, a régie not
back to zero, a bilan that does not balance. Each checked input becomes a
`LigneCooperative`; `Totaux` adds up the statements by OCCE rubrique as rows come,
in memory that does not grow with their number. Pure: no I/O.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from coopcompta.domain.model import Gravite
from coopcompta.domain.money import formater_point

if TYPE_CHECKING:
    from coopcompta.domain.controle import Controle
    from coopcompta.domain.reports import Bilan

ZERO = Decimal("0.00")

# Why a cooperative needs a look, in the AD's words, per check code.
MOTIFS = {
    "equilibre-bilan": "bilan déséquilibré",
    "exceptionnel-hors-tolerance": "exceptionnel hors tolérance",
    "regie-non-soldee": "régie non soldée",
    "ventilation-desequilibree": "ventilation fausse",
    "compte-attente-471": "opérations non classées (471)",
    "date-hors-exercice": "dates hors exercice",
    "piece-en-double": "pièces en double",
    "compte-hors-plan": "comptes hors plan",
    "piece-manquante": "pièces manquantes",
    "cheque-hors-sequence": "chèques hors séquence",
    "depense-interdite": "dépense à confirmer",
    "caisse-negative": "caisse négative",
}

# Why an input is not in the consolidation.
INUTILISABLE = "inutilisable"
AUTRE_EXERCICE = "autre exercice"
DOUBLON = "doublon"


@dataclass(frozen=True)
class LigneCooperative:
    """What the AD reads about one cooperative.

    `rapprochement` and `arrete_caisse` say whether a ledger holds a bank reconciliation
    at the exercice's last day and a cash count; None for a journal CSV, which keeps
    neither. `motifs` are the reasons it needs a look.
    """

    fichier: str
    nom: str
    numero_occe: str
    exercice: str
    recettes: Decimal
    depenses: Decimal
    resultat: Decimal
    tresorerie: Decimal
    solde_exceptionnel: Decimal
    exceptionnel_ok: bool
    erreurs: int
    avertissements: int
    motifs: tuple[str, ...] = ()
    rapprochement: bool | None = None
    arrete_caisse: bool | None = None

    @property
    def a_regarder(self) -> bool:
        return bool(self.motifs)

    def vers_json(self) -> dict[str, Any]:
        return {
            "fichier": self.fichier,
            "nom": self.nom,
            "numero_occe": self.numero_occe or None,
            "exercice": self.exercice,
            "recettes": formater_point(self.recettes),
            "depenses": formater_point(self.depenses),
            "resultat": formater_point(self.resultat),
            "tresorerie": formater_point(self.tresorerie),
            "solde_exceptionnel": formater_point(self.solde_exceptionnel),
            "exceptionnel_ok": self.exceptionnel_ok,
            "rapprochement": self.rapprochement,
            "arrete_caisse": self.arrete_caisse,
            "erreurs": self.erreurs,
            "avertissements": self.avertissements,
            "a_regarder": self.a_regarder,
            "motifs": list(self.motifs),
        }


@dataclass(frozen=True)
class AnomalieCooperative:
    """One anomaly as the AD's list shows it: which cooperative, where, what."""

    nom: str
    fichier: str
    gravite: Gravite
    code: str
    message: str
    ligne: int | None = None
    pieces: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ecartee:
    """An input left out of the consolidation: `genre` (INUTILISABLE, AUTRE_EXERCICE,
    DOUBLON) and why, in French, placed at `ligne` when the input is a journal CSV."""

    fichier: str
    genre: str
    raison: str
    ligne: int | None = None

    def place(self) -> str:
        ou = f"{self.fichier}:{self.ligne}" if self.ligne is not None else self.fichier
        return f"{ou}: {self.raison}"

    def vers_json(self) -> dict[str, Any]:
        return {
            "fichier": self.fichier,
            "genre": self.genre,
            "raison": self.raison,
            "ligne": self.ligne,
        }


def motifs(c: Controle, strict: bool = False) -> tuple[str, ...]:
    """Why the cooperative needs a look: its errors (and warnings with --strict), by kind."""
    v = c.verification
    if v is None:
        return ()
    return tuple(
        dict.fromkeys(
            MOTIFS.get(a.code, a.code) for a in v.anomalies if strict or a.gravite is Gravite.ERREUR
        )
    )


def ligne_de(c: Controle, strict: bool = False) -> LigneCooperative:
    """The row of a checked input (it must have a verification with its bilan)."""
    v = c.verification
    assert v is not None and v.bilan is not None
    f, s, x = v.bilan.fonctionnement, v.bilan.simplifie, v.bilan.exceptionnel
    return LigneCooperative(
        fichier=c.fichier,
        nom=c.cooperative,
        numero_occe=c.numero_occe,
        exercice=v.exercice.nom,
        recettes=f.total_recettes,
        depenses=f.total_depenses,
        resultat=f.resultat,
        tresorerie=s.total_tresorerie,
        solde_exceptionnel=x.solde,
        exceptionnel_ok=x.ok,
        erreurs=v.erreurs,
        avertissements=v.avertissements,
        motifs=motifs(c, strict),
        rapprochement=c.rapprochement,
        arrete_caisse=c.arrete_caisse,
    )


def _normaliser(nom: str) -> str:
    decomposed = unicodedata.normalize("NFKD", nom.casefold())
    sans_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(sans_accents.replace("'", " ").replace("-", " ").split())


def cle_cooperative(c: Controle) -> str:
    """Who an input claims to be, for one exercice: its OCCE number, else its name; a journal
    CSV names no cooperative and is known by its content (two copies are one)."""
    v = c.verification
    exercice = v.exercice.nom if v else ""
    if c.numero_occe.strip():
        return f"{exercice} occe {_normaliser(c.numero_occe)}"
    if c.empreinte is not None:
        return f"{exercice} contenu {c.empreinte}"
    return f"{exercice} nom {_normaliser(c.cooperative)}"


def comment_elle_se_presente(c: Controle) -> str:
    """`n° OCCE 035-0042`, `« École Jules Ferry »` or `même contenu`: what made two inputs one."""
    if c.numero_occe.strip():
        return f"n° OCCE {c.numero_occe.strip()}"
    if c.empreinte is not None:
        return "même contenu"
    return f"« {c.cooperative} »"


@dataclass
class Totaux:
    """Totals across the cooperatives counted, by OCCE rubrique; fed one bilan at a time."""

    exercice: str = ""
    cooperatives: int = 0
    a_regarder: int = 0
    erreurs: int = 0
    avertissements: int = 0
    depenses: dict[str, Decimal] = field(default_factory=dict)
    recettes: dict[str, Decimal] = field(default_factory=dict)
    # How many cooperatives have something in each rubrique.
    nb_depenses: dict[str, int] = field(default_factory=dict)
    nb_recettes: dict[str, int] = field(default_factory=dict)
    total_depenses: Decimal = ZERO
    total_recettes: Decimal = ZERO
    tresorerie: Decimal = ZERO
    charges_exceptionnelles: Decimal = ZERO
    produits_exceptionnels: Decimal = ZERO
    hors_tolerance: int = 0

    @property
    def resultat(self) -> Decimal:
        return self.total_recettes - self.total_depenses

    def ajouter(self, bilan: Bilan, ligne: LigneCooperative) -> None:
        f, x = bilan.fonctionnement, bilan.exceptionnel
        self.exercice = self.exercice or ligne.exercice
        self.cooperatives += 1
        self.a_regarder += ligne.a_regarder
        self.erreurs += ligne.erreurs
        self.avertissements += ligne.avertissements
        for rubriques, totaux, nombres in (
            (f.depenses, self.depenses, self.nb_depenses),
            (f.recettes, self.recettes, self.nb_recettes),
        ):
            for r in rubriques:
                totaux[r.nom] = totaux.get(r.nom, ZERO) + r.total
                nombres[r.nom] = nombres.get(r.nom, 0) + 1
        self.total_depenses += f.total_depenses
        self.total_recettes += f.total_recettes
        self.tresorerie += bilan.simplifie.total_tresorerie
        self.charges_exceptionnelles += x.charges
        self.produits_exceptionnels += x.produits
        self.hors_tolerance += not x.ok

    def vers_json(self) -> dict[str, Any]:
        return {
            "cooperatives": self.cooperatives,
            "a_regarder": self.a_regarder,
            "erreurs": self.erreurs,
            "avertissements": self.avertissements,
            "depenses": {k: formater_point(v) for k, v in self.depenses.items()},
            "recettes": {k: formater_point(v) for k, v in self.recettes.items()},
            "total_depenses": formater_point(self.total_depenses),
            "total_recettes": formater_point(self.total_recettes),
            "resultat": formater_point(self.resultat),
            "tresorerie": formater_point(self.tresorerie),
            "charges_exceptionnelles": formater_point(self.charges_exceptionnelles),
            "produits_exceptionnels": formater_point(self.produits_exceptionnels),
            "exceptionnel_hors_tolerance": self.hors_tolerance,
        }
