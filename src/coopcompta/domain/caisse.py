"""Cash: the livre de caisse with its running balance, the arrêté de caisse (a count by note and
coin), and the rule that a caisse never goes below zero."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from coopcompta.domain.comptes import PREFIXES_CAISSE
from coopcompta.domain.errors import SaisieInvalide
from coopcompta.domain.money import formater_euros

ZERO = Decimal("0.00")

# Euro notes then coins, largest first.
BILLETS = tuple(Decimal(v) for v in ("500", "200", "100", "50", "20", "10", "5"))
PIECES = tuple(Decimal(v) for v in ("2", "1", "0.50", "0.20", "0.10", "0.05", "0.02", "0.01"))
COUPURES = BILLETS + PIECES


def est_caisse(compte: str) -> bool:
    """Cash (53…) and régies d'avances (54…): accounts that hold counted money."""
    return compte.startswith(PREFIXES_CAISSE)


def nom_coupure(valeur: Decimal) -> str:
    if valeur >= 1:
        quoi = "billet" if valeur in BILLETS else "pièce"
        return f"{quoi} de {int(valeur)} €"
    return f"pièce de {int(valeur * 100)} c"


@dataclass(frozen=True)
class MouvementCaisse:
    """One line of the livre de caisse."""

    date: dt.date
    piece: str | None
    libelle: str
    montant: Decimal  # money in positive
    solde: Decimal  # running balance after this line


@dataclass(frozen=True)
class LivreDeCaisse:
    """Opening balance, every movement with its running balance, closing balance."""

    compte: str
    libelle: str
    ouverture: Decimal
    mouvements: tuple[MouvementCaisse, ...]

    @property
    def entrees(self) -> Decimal:
        return sum((m.montant for m in self.mouvements if m.montant > 0), ZERO)

    @property
    def sorties(self) -> Decimal:
        return -sum((m.montant for m in self.mouvements if m.montant < 0), ZERO)

    @property
    def cloture(self) -> Decimal:
        return self.ouverture + self.entrees - self.sorties

    @property
    def minimum(self) -> Decimal:
        return min([self.ouverture, *(m.solde for m in self.mouvements)])


def livre_de_caisse(
    compte: str,
    libelle: str,
    ouverture: Decimal,
    lignes: Iterable[tuple[dt.date, str | None, str, Decimal]],
) -> LivreDeCaisse:
    """Running balance over (date, pièce, libellé, signed amount) in date order."""
    solde = ouverture
    mouvements = []
    for date, piece, lib, montant in lignes:
        solde += montant
        mouvements.append(MouvementCaisse(date, piece, lib, montant, solde))
    return LivreDeCaisse(compte, libelle, ouverture, tuple(mouvements))


def premier_negatif(
    par_jour: Iterable[tuple[dt.date, Decimal]], depuis: dt.date, ajout: Decimal = ZERO
) -> tuple[dt.date, Decimal] | None:
    """Where a caisse would go below zero if `ajout` were added on `depuis`.

    `par_jour` is the account's net movement per day over the exercice (opening
    included). Returns the first (date, balance) below zero on or after `depuis`.
    """
    jours = dict(par_jour)
    jours[depuis] = jours.get(depuis, ZERO)
    solde = ZERO
    for jour in sorted(jours):
        solde += jours[jour]
        if jour == depuis:
            solde += ajout
        if jour >= depuis and solde < 0:
            return jour, solde
    return None


def refus_caisse_negative(compte: str, jour: dt.date, solde: Decimal, ou: str | None) -> None:
    raise SaisieInvalide(
        f"la caisse {compte} passerait à {formater_euros(solde)} le {jour:%d/%m/%Y} : une caisse "
        "ne peut pas être négative (erreur de saisie ?) ; vérifiez le montant et la date, ou "
        "forcez avec --forcer-caisse ; rien n'a été enregistré",
        ou,
    )


# -- the arrêté de caisse ----------------------------------------------------------

_COMPTAGE = re.compile(r"^\s*([0-9]+(?:[.,][0-9]{1,2})?)\s*(€|c|ct|cts)?\s*[=x×:]\s*(.*)$", re.I)


def lire_comptage(textes: Iterable[str], ou: str = "comptage") -> dict[Decimal, int]:
    """`20=3 5=1 0,50=4 50c=2`: count per denomination; each must be a whole number ≥ 0."""
    quantites: dict[Decimal, int] = {}
    for texte in textes:
        for morceau in texte.split():
            m = _COMPTAGE.match(morceau)
            if not m:
                raise SaisieInvalide(
                    f"comptage illisible « {morceau} » (attendu : valeur=nombre, par ex. 20=3 "
                    "pour trois billets de 20 €, 0,50=4 pour quatre pièces de 50 c)",
                    ou,
                )
            valeur = Decimal(m.group(1).replace(",", "."))
            if (m.group(2) or "").lower().startswith("c"):
                valeur = valeur / 100
            valeur = valeur.quantize(Decimal("0.01"))
            if valeur not in COUPURES:
                raise SaisieInvalide(
                    f"« {morceau} » : {formater_euros(valeur)} n'est ni un billet ni une pièce "
                    "en euros",
                    ou,
                )
            quantites[valeur] = quantites.get(valeur, 0) + lire_nombre(
                m.group(3), f"{ou} {nom_coupure(valeur)}"
            )
    return quantites


def lire_nombre(texte: str, ou: str) -> int:
    """A count of notes or coins: a whole number, zero or more."""
    t = texte.strip()
    if re.fullmatch(r"-\s*[0-9]+([.,][0-9]+)?", t):
        raise SaisieInvalide(f"nombre négatif « {t} » : comptez les billets et pièces présents", ou)
    if re.fullmatch(r"[0-9]+[.,][0-9]+", t):
        raise SaisieInvalide(f"nombre non entier « {t} » : un billet ou une pièce se compte", ou)
    if not re.fullmatch(r"[0-9]{1,9}", t):
        raise SaisieInvalide(f"nombre illisible « {t} » (attendu : un nombre entier)", ou)
    return int(t)


@dataclass(frozen=True)
class ArreteDeCaisse:
    """A cash count at one date, compared with the books."""

    compte: str
    date: dt.date
    par: str
    quantites: Mapping[Decimal, int]
    solde_livre: Decimal

    @property
    def total(self) -> Decimal:
        return sum((v * n for v, n in self.quantites.items()), ZERO)

    @property
    def ecart(self) -> Decimal:
        """Counted − books: positive when there is more cash than recorded."""
        return self.total - self.solde_livre
