"""The domain: small frozen dataclasses for accounts, entries, exercices and anomalies."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from coopcompta.domain.comptes import COMPTE_REPORT
from coopcompta.domain.errors import DateInvalide, SaisieInvalide
from coopcompta.domain.money import formater_euros

# The account that balances the opening entry (report à nouveau) and the suspense account.


class Nature(StrEnum):
    """Kind of an account in the chart."""

    CHARGE = "charge"
    PRODUIT = "produit"
    TRESORERIE = "tresorerie"
    ATTENTE = "attente"
    BILAN = "bilan"


class Sens(StrEnum):
    """What an écriture is, from the treasurer's point of view."""

    RECETTE = "recette"
    DEPENSE = "depense"
    VIREMENT = "virement"  # between two treasury accounts, no ventilation
    OUVERTURE = "ouverture"  # report à nouveau of one treasury account


# The members, bound once: reading `Sens.RECETTE` costs an enum lookup each time.
_RECETTE, _DEPENSE, _VIREMENT = Sens.RECETTE, Sens.DEPENSE, Sens.VIREMENT

MODES_PAIEMENT = ("cheque", "especes", "virement", "carte", "prelevement", "assoconnect")


@dataclass(frozen=True)
class Compte:
    """One account of the chart, with the help shown to the treasurer."""

    numero: str
    libelle: str
    nature: Nature
    rubrique: str
    exceptionnel: bool = False
    alias: tuple[str, ...] = ()
    aide: str = ""
    exemples: tuple[str, ...] = ()
    mots_cles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Exercice:
    """A bookkeeping year, 1 September to 31 August, named `2025-2026`."""

    nom: str
    debut: dt.date
    fin: dt.date

    @classmethod
    def depuis_nom(cls, nom: str) -> Exercice:
        m = re.fullmatch(r"\s*([0-9]{4})\s*[-/]\s*([0-9]{4})\s*", nom)
        if not m or int(m.group(2)) != int(m.group(1)) + 1:
            raise DateInvalide(f"exercice illisible « {nom} » (attendu : 2025-2026)", "--exercice")
        return cls.commencant(int(m.group(1)))

    @classmethod
    def commencant(cls, annee: int) -> Exercice:
        return cls(f"{annee}-{annee + 1}", dt.date(annee, 9, 1), dt.date(annee + 1, 8, 31))

    @classmethod
    def contenant(cls, jour: dt.date) -> Exercice:
        return cls.commencant(jour.year if jour.month >= 9 else jour.year - 1)

    def __contains__(self, jour: object) -> bool:
        return isinstance(jour, dt.date) and self.debut <= jour <= self.fin


@dataclass(frozen=True)
class Ligne:
    """One line of a ventilation: an account, a positive share of the total, an optional tag."""

    compte: str
    montant: Decimal
    classe: str | None = None


@dataclass(frozen=True)
class Ecriture:
    """One recorded movement.

    For a recette or dépense, `tresorerie` is the treasury account that received
    or paid `montant`, and `ventilation` spreads it over the chart (its lines add up
    to `montant`). For a virement, money moves from `tresorerie` to `contrepartie`.
    A contre-passation has negated amounts and `annule` set to the id it cancels.
    """

    date: dt.date
    sens: Sens
    libelle: str
    montant: Decimal
    tresorerie: str
    ventilation: tuple[Ligne, ...] = ()
    contrepartie: str | None = None
    piece: str | None = None
    mode: str | None = None
    cheque: str | None = None
    exercice: str | None = None
    id: int | None = None
    annule: int | None = None
    import_id: int | None = None
    brut: str | None = None
    empreinte: str | None = None

    def lignes_comptables(self) -> list[tuple[str, Decimal, str | None]]:
        """Double entry: (account, signed amount, tag), debits positive; they sum to zero."""
        if self.sens is Sens.VIREMENT:
            if not self.contrepartie:
                raise SaisieInvalide("virement sans compte de destination")
            return [(self.contrepartie, self.montant, None), (self.tresorerie, -self.montant, None)]
        if self.sens is Sens.OUVERTURE:
            return [(self.tresorerie, self.montant, None), (COMPTE_REPORT, -self.montant, None)]
        signe = 1 if self.sens is Sens.DEPENSE else -1
        lignes = [(lg.compte, signe * lg.montant, lg.classe) for lg in self.ventilation]
        lignes.append((self.tresorerie, -signe * self.montant, None))
        return lignes

    def verifier_ventilation(self) -> None:
        """The double-entry rule, stated here only; SaisieInvalide when it is broken.

        A recette or dépense is ventilated: its lines add up exactly to `montant`. A
        virement moves `montant` from `tresorerie` to a `contrepartie`, an ouverture
        balances `tresorerie` with the report à nouveau: neither has ventilation lines.
        Then `lignes_comptables` sums to zero. `ecritures.nouvelle_ecriture` applies this
        rule to every écriture it builds; storage checks the stored lines once more
        before its write transaction ends.
        """
        sens = self.sens
        ventilation = self.ventilation
        if sens is _RECETTE or sens is _DEPENSE:
            if not ventilation:
                raise SaisieInvalide("ventilation vide : indiquez au moins un compte")
            if len(ventilation) == 1:
                total = ventilation[0].montant
            else:
                total = sum((lg.montant for lg in ventilation), Decimal("0"))
            if total != self.montant:
                raise SaisieInvalide(
                    f"la ventilation ({formater_euros(total)}) ne correspond pas "
                    f"au montant ({formater_euros(self.montant)})"
                )
            return
        if sens is _VIREMENT and not self.contrepartie:
            raise SaisieInvalide("virement sans compte de destination")
        if ventilation:
            quoi = "un virement interne" if sens is _VIREMENT else "un report à nouveau"
            raise SaisieInvalide(f"{quoi} n'a pas de ventilation")


class ReleveLigne(NamedTuple):
    """One transaction read from a bank or AssoConnect export, before categorisation.

    `montant` is signed from the account holder's side (credit positive). `ligne`
    is the 1-based line of the file where it starts, `brut` the raw text kept with
    the imported écriture. A NamedTuple, as beancount's directives are: immutable like
    the dataclasses here, and built in one C call, where a frozen dataclass sets each
    field through object.__setattr__ (a statement is read at 100 000 lines a go).
    """

    date: dt.date
    libelle: str
    montant: Decimal
    ligne: int
    brut: str
    cheque: str | None = None
    extra: Mapping[str, str] = MappingProxyType({})


class Gravite(StrEnum):
    ERREUR = "erreur"
    AVERTISSEMENT = "avertissement"


@dataclass(frozen=True)
class Lieu:
    """Where an anomaly is: one écriture (its pièce, date and accounts, and its line when it
    was read from a journal CSV), or a day, a pièce or an account of the exercice."""

    ecriture: int | None = None
    piece: str | None = None
    date: dt.date | None = None
    comptes: tuple[str, ...] = ()
    ligne: int | None = None


@dataclass(frozen=True)
class Anomalie:
    """A finding of `coop verifier`: severity, stable code, French message, écritures concerned.

    `comptes` are the accounts the finding is about (471, a régie, the exceptional
    accounts…); `lieux` place it, first the écriture a reader should open first.
    """

    gravite: Gravite
    code: str
    message: str
    ecritures: tuple[int, ...] = ()
    pieces: tuple[str, ...] = ()
    comptes: tuple[str, ...] = ()
    lieux: tuple[Lieu, ...] = ()
