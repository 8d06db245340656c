"""Bank reconciliation (rapprochement bancaire): pointing écritures, and the tableau that explains
the gap between the statement and the books at one date.

balance per statement − cheques written not yet cashed + deposits not yet credited
− bank lines not in the books = balance per books, to the centime.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from coopcompta.domain.errors import SaisieInvalide
from coopcompta.domain.money import formater_euros

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Mouvement:
    """One écriture seen from one treasury account: its signed effect (money in positive)."""

    ecriture_id: int
    date: dt.date
    piece: str | None
    libelle: str
    montant: Decimal
    cheque: str | None = None
    pointe: bool = False


@dataclass(frozen=True)
class LigneHorsLivre:
    """A statement line the books do not hold yet (bank fees not entered): as on the statement,
    credit positive."""

    libelle: str
    montant: Decimal


@dataclass(frozen=True)
class Tableau:
    """The tableau de rapprochement of one account at one date."""

    compte: str
    date: dt.date
    solde_releve: Decimal
    solde_livre: Decimal
    en_suspens: tuple[Mouvement, ...]  # in the books, not yet on the statement
    hors_livre: tuple[LigneHorsLivre, ...] = ()

    @property
    def cheques_non_encaisses(self) -> tuple[Mouvement, ...]:
        return tuple(m for m in self.en_suspens if m.montant < 0)

    @property
    def depots_non_credites(self) -> tuple[Mouvement, ...]:
        return tuple(m for m in self.en_suspens if m.montant > 0)

    @property
    def solde_calcule(self) -> Decimal:
        """The books' balance as the statement explains it."""
        return (
            self.solde_releve
            + sum((m.montant for m in self.en_suspens), ZERO)
            - sum((h.montant for h in self.hors_livre), ZERO)
        )

    @property
    def ecart(self) -> Decimal:
        """What nothing explains: 0,00 when the reconciliation holds."""
        return self.solde_livre - self.solde_calcule

    @property
    def equilibre(self) -> bool:
        return self.ecart == 0


def tableau(
    compte: str,
    date: dt.date,
    solde_releve: Decimal,
    solde_livre: Decimal,
    mouvements: Iterable[Mouvement],
    pointes: set[int],
    hors_livre: Sequence[LigneHorsLivre] = (),
) -> Tableau:
    """The tableau once `pointes` (écriture ids) and those pointed before are on the statement."""
    suspens = tuple(
        m for m in mouvements if not m.pointe and m.ecriture_id not in pointes and m.date <= date
    )
    return Tableau(compte, date, solde_releve, solde_livre, suspens, tuple(hors_livre))


_PLAGE = re.compile(r"^\s*([A-Za-z]*)(\d+)\s*[-–]\s*\1?(\d+)\s*$")


def choisir(
    mouvements: Sequence[Mouvement], pieces: Iterable[str], ou: str = "--pointer"
) -> set[int]:
    """Ids of the unpointed écritures the pièces name (`12`, `R3`, a range `40-52`).

    A pièce that names no unpointed écriture of the account is refused, saying which.
    """
    par_piece: dict[str, list[int]] = {}
    for m in mouvements:
        if not m.pointe and m.piece:
            par_piece.setdefault(m.piece.upper(), []).append(m.ecriture_id)
    choisis: set[int] = set()
    for texte in pieces:
        for morceau in texte.replace(",", " ").split():
            plage = _PLAGE.match(morceau)
            if plage:
                serie, debut, fin = plage.group(1).upper(), int(plage.group(2)), int(plage.group(3))
                if fin < debut:
                    raise SaisieInvalide(f"plage de pièces à l'envers « {morceau} »", ou)
                trouves = [
                    i for n in range(debut, fin + 1) for i in par_piece.get(f"{serie}{n}", [])
                ]
                if not trouves:
                    raise SaisieInvalide(
                        f"aucune écriture non pointée dans la plage « {morceau} »", ou
                    )
                choisis.update(trouves)
                continue
            ids = par_piece.get(morceau.upper())
            if not ids:
                raise SaisieInvalide(
                    f"pièce {morceau} : aucune écriture non pointée de ce compte à cette date", ou
                )
            choisis.update(ids)
    return choisis


def refuser_si_desequilibre(t: Tableau, ou: str = "rapprochement") -> None:
    """A reconciliation is recorded only when it holds to the centime."""
    if not t.equilibre:
        raise SaisieInvalide(
            f"le pointage ne s'équilibre pas au {t.date:%d/%m/%Y} : solde du relevé "
            f"{formater_euros(t.solde_releve)}, solde du livre {formater_euros(t.solde_livre)}, "
            f"écart inexpliqué {formater_euros(t.ecart)} ; pointez les écritures qui figurent sur "
            "le relevé (ou celles qui n'y figurent pas avec --sauf) ; rien n'a été enregistré",
            ou,
        )


def lire_hors_livre(texte: str, ou: str = "--hors-livre") -> LigneHorsLivre:
    """`libellé=montant` (as on the statement, debit negative)."""
    from coopcompta.domain.money import lire_montant

    libelle, sep, montant = texte.rpartition("=")
    if not sep or not libelle.strip():
        raise SaisieInvalide(
            f"ligne du relevé illisible « {texte} » (attendu : libellé=montant, "
            "par ex. « FRAIS TENUE DE COMPTE=-3,60 »)",
            ou,
        )
    return LigneHorsLivre(libelle.strip(), lire_montant(montant, ou))
