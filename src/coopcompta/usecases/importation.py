"""`coop import` use case: bank lines into the ledger exactly once, categorised, all or nothing.

Each bank line gets a fingerprint (treasury account, date, signed amount, normalised
label, occurrence among identical lines of the same file). A line whose fingerprint the
ledger holds is "déjà présente"; a new one becomes one écriture (two for an AssoConnect
payment with fees), categorised by the rules, then the built-in recognitions (cash
deposits and withdrawals, AssoConnect payouts), then learned suggestions above
`SEUIL_AUTOMATIQUE` (domain.apprentissage), else parked on 471. A new line resembling an
écriture already recorded is imported and reported as "doublon possible", never merged.
`analyser` streams (read-only); `importer` writes in one transaction;
`annuler_dernier_import` undoes.

Each new line becomes écritures as every écriture does (`ecritures_de` calls
`ecritures.nouvelle_ecriture`) and goes through the one writer (`Ledger.enregistreur`).
A big file is written while it is read: from the writer's first full batch, SQLite
inserts in a second thread (storage.ecrivain.Ecrivain) while this one parses and
categorises the next lines. The écritures' amounts stay Decimal: storage converts them.
A bank line's amount in centimes is computed once, for its fingerprint and to match it
with the amounts the ledger holds (storage.imports speaks centimes for those).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from coopcompta.domain.categorisation import (
    Categorisation,
    Categoriseur,
    Regle,
    attente,
    cle_libelle,
)
from coopcompta.domain.comptes import (
    COMPTE_ASSOCONNECT,
    COMPTE_ATTENTE,
    COMPTE_BANQUE,
    COMPTE_CAISSE,
    COMPTE_FRAIS_BANCAIRES,
)
from coopcompta.domain.ecritures import nouvelle_ecriture
from coopcompta.domain.errors import CoopComptaError, SaisieInvalide, fichier_inutilisable
from coopcompta.domain.francais import quantite
from coopcompta.domain.model import Ecriture, Ligne, ReleveLigne, Sens
from coopcompta.domain.money import depuis_centimes, en_centimes, formater_euros, lire_montant
from coopcompta.domain.releve import (
    Cheque,
    _est_depot_especes,
    _est_retrait_especes,
    _similaires,
    deviner_mode,
    trouver_remise,
)

if TYPE_CHECKING:
    from coopcompta.domain.plan_comptable import PlanComptable
    from coopcompta.domain.suggestions import Suggesteur, Suggestion
    from coopcompta.storage import Ledger
    from coopcompta.storage.ecrivain import Acces

# A learned suggestion is applied without asking from this confidence on, and only when it
# may be (`Suggestion.automatique`: a named counterpart, a plausible amount, a consistent
# past): two concordant past écritures (0.85) pass, one alone (0.74) does not; the chart's
# keywords and generic labels (cheques, deposits) never do. Measured by
# benchmarks/bench_categorisation.py (precision of what is applied ≥ 97 %).
SEUIL_AUTOMATIQUE = 0.8
# In the interactive review, Entrée accepts the best suggestion from this confidence on;
# below, the suggestions are listed but Entrée leaves the line waiting on 471.
SEUIL_PROPOSITION = 0.5
JOURS_DOUBLON = 3  # a similar label this close in time, same amount: "doublon possible"
JOURS_VIREMENT = 5  # the two sides of a virement interne (AssoConnect payout, cash deposit)
JOURS_REMISE = 60  # cheques typed by hand that a deposit slip may hold
LOT = 500
CACHE_MAX = 20_000  # labels remembered per import (keys and modes): bounded, memory stays flat

PAIEMENTS_ASSOCONNECT = "assoconnect-paiements"
VERSEMENTS_ASSOCONNECT = "assoconnect-versements"


class ImportImpossible(CoopComptaError):
    """An import or undo refused as a whole (nothing was written)."""


class Statut(StrEnum):
    NOUVELLE = "nouvelle"
    PRESENTE = "déjà présente"
    DOUBLON = "doublon possible"
    HORS_EXERCICE = "hors exercice"
    IGNOREE = "ignorée"


_NOUVELLE, _DOUBLON = Statut.NOUVELLE, Statut.DOUBLON
_RECETTE, _DEPENSE, _VIREMENT = Sens.RECETTE, Sens.DEPENSE, Sens.VIREMENT


def tresorerie_par_defaut(format: str) -> str:
    """517 (AssoConnect) for AssoConnect exports, 512 (banque) otherwise."""
    return COMPTE_ASSOCONNECT if format.startswith("assoconnect") else COMPTE_BANQUE


@dataclass(frozen=True)
class Contexte:
    """What stays the same for every line of one import."""

    plan: PlanComptable
    fichier: str
    format: str
    tresorerie: str
    regles: Sequence[Regle] = ()
    banque: str | None = None
    suggesteur: Suggesteur | None = None
    seuil: float = SEUIL_AUTOMATIQUE


@dataclass(slots=True)
class Analyse:
    """One bank line once compared with the ledger and categorised (before writing)."""

    ligne: ReleveLigne
    empreinte: str
    statut: Statut
    cle: str = ""  # cle_libelle(ligne.libelle)
    exercice: str | None = None
    categorisation: Categorisation | None = None
    suggestions: tuple[Suggestion, ...] = ()
    message: str | None = None  # why it is a doublon possible / already present / skipped
    rapproche: tuple[int, ...] = ()  # écritures this line confirms instead of adding one
    remise: tuple[Cheque, ...] = ()  # typed cheques a deposit line may hold (same total)

    @property
    def credit(self) -> bool:
        return self.ligne.montant > 0

    @property
    def sens(self) -> Sens:
        return Sens.RECETTE if self.ligne.montant > 0 else Sens.DEPENSE

    @property
    def montant(self) -> Decimal:
        return abs(self.ligne.montant)

    @property
    def a_ecrire(self) -> bool:
        return self.statut is _NOUVELLE or self.statut is _DOUBLON

    @property
    def est_remise(self) -> bool:
        cle = self.cle or cle_libelle(self.ligne.libelle)
        return self.ligne.montant > 0 and "REMISE" in cle and deviner_mode(cle) == "cheque"


# --- pure helpers ------------------------------------------------------------------------------


def _pourcent(score: float) -> str:
    return f"{round(score * 100)}\u00a0%"


def _piece(p: str | None) -> str:
    return f"la pièce {p}" if p else "une écriture sans pièce"


# --- analysis (read-only, streamed) ------------------------------------------------------------


class _Analyseur:
    """Analyses the lines of one file in batches. Its SQL goes through `acces` (see
    storage.ecrivain.Ecrivain: during an import the connection may be in the writer thread)."""

    def __init__(
        self,
        ledger: Ledger,
        ctx: Contexte,
        import_courant: int | None,
        acces: Acces | None = None,
    ) -> None:
        from coopcompta.storage.ecrivain import DIRECT
        from coopcompta.storage.imports import Occurrences, deja_importe
        from coopcompta.storage.saisie import exercices_clos

        self.ledger = ledger
        self.ctx = ctx
        self.import_courant = import_courant
        self.acces = acces or DIRECT
        self.sql = self.acces.appeler
        self.exercices = self.sql(ledger.exercices)
        self.clos = self.sql(exercices_clos, ledger)
        self.occurrences = Occurrences(ledger, acces=self.acces)
        t = ctx.tresorerie
        # What the ledger held when the import started, to skip the queries that cannot
        # find anything: none for a first import into a young ledger.
        self.empreintes_possibles = self.sql(deja_importe, ledger, t, import_courant)
        regles = Categoriseur(ctx.regles, format=ctx.format, fichier=ctx.fichier)
        self.regles = regles if regles and ctx.format != VERSEMENTS_ASSOCONNECT else None
        self._cles: dict[str, str] = {}  # label -> cle_libelle(label)
        self._isos: dict[dt.date, str] = {}  # date -> its ISO text
        self._montants: set[int] | None = None
        self._montants_virements: set[int] | None = None
        self._cheques: bool | None = None
        self.confirmes: set[int] = set()  # écritures confirmed by an earlier line of this file
        self._cheques_emis: dict[tuple[str, int], list[dict[str, Any]]] | None = None
        self._ex_cache: dict[dt.date, tuple[str | None, str | None]] = {}
        plan = ctx.plan
        self.caisse = COMPTE_CAISSE if plan.trouver(COMPTE_CAISSE) else None
        self.assoconnect = COMPTE_ASSOCONNECT if plan.trouver(COMPTE_ASSOCONNECT) else None

    def exercice(self, jour: dt.date) -> tuple[str | None, str | None]:
        """(exercice, None) or (None, why the line cannot be imported)."""
        found = self._ex_cache.get(jour)
        if found is None:
            ex = next((e for e in self.exercices if jour in e), None)
            if ex is None:
                found = (None, "hors des exercices de la comptabilité (ouvrez l'exercice d'abord)")
            elif ex.nom in self.clos:
                found = (None, f"exercice {ex.nom} clôturé")
            else:
                found = (ex.nom, None)
            self._ex_cache[jour] = found
        return found

    def montants(self) -> set[int]:
        """Signed amounts of the movements the account had before this import."""
        if self._montants is None:
            from coopcompta.storage.imports import montants_du_compte

            ouverts = [e.nom for e in self.exercices if e.nom not in self.clos]
            self._montants = self.sql(montants_du_compte, self.ledger, self.ctx.tresorerie, ouverts)
        return self._montants

    def montants_virements(self) -> set[int]:
        if self._montants_virements is None:
            from coopcompta.storage.imports import montants_virements

            self._montants_virements = self.sql(
                montants_virements, self.ledger, self.ctx.tresorerie
            )
        return self._montants_virements

    def cheques_saisis(self) -> bool:
        if self._cheques is None:
            from coopcompta.storage.imports import a_des_cheques_saisis

            self._cheques = self.sql(a_des_cheques_saisis, self.ledger, self.ctx.tresorerie)
        return self._cheques

    def noms_exercices(self, debut: dt.date, fin: dt.date) -> list[str]:
        return [e.nom for e in self.exercices if e.debut <= fin and e.fin >= debut] or ["-"]

    # Categorisation

    def integree(self, a: Analyse, cle: str) -> Categorisation | None:
        """Built-in recognitions, after the user's rules: internal transfers."""
        t = self.ctx.tresorerie
        if self.ctx.format == VERSEMENTS_ASSOCONNECT:
            return Categorisation(
                (),
                "versement AssoConnect vers la banque (virement interne)",
                "virement",
                contrepartie=COMPTE_BANQUE,
            )
        if not a.credit:
            if self.ctx.format == PAIEMENTS_ASSOCONNECT:
                return attente(
                    "remboursement d'un paiement AssoConnect d'un export précédent : "
                    f"en attente sur {COMPTE_ATTENTE}, à régulariser"
                )
            if self.caisse and t != self.caisse and _est_retrait_especes(cle):
                return Categorisation(
                    (),
                    f"retrait d'espèces : virement interne vers la caisse ({self.caisse})",
                    "virement",
                    contrepartie=self.caisse,
                )
            return None
        if self.assoconnect and t != self.assoconnect and "ASSOCONNECT" in cle:
            return Categorisation(
                (),
                f"versement AssoConnect : virement interne depuis {self.assoconnect}",
                "virement",
                contrepartie=self.assoconnect,
            )
        if self.caisse and t != self.caisse and "ESP" in cle and _est_depot_especes(cle):
            return Categorisation(
                (),
                f"versement d'espèces : virement interne depuis la caisse ({self.caisse})",
                "virement",
                contrepartie=self.caisse,
            )
        return None

    def categoriser(self, a: Analyse, cle: str, regles: bool = True) -> Categorisation:
        """The line's categorisation (also set on it): the rules (unless `regles` is false:
        already tried), the built-in recognitions, the learned suggestions, else 471."""
        ctx = self.ctx
        if regles and self.regles is not None:
            c = self.regles.categoriser(cle, a.ligne.montant)
            if c is not None:
                a.categorisation = c
                return c
        c = self.integree(a, cle)
        if c is not None:
            a.categorisation = c
            return c
        if ctx.suggesteur is not None:
            a.suggestions = tuple(
                ctx.suggesteur.suggerer(a.ligne.libelle, a.sens, limite=3, montant=a.montant)
            )
        meilleure = a.suggestions[0] if a.suggestions else None
        if meilleure is not None and meilleure.automatique and meilleure.score >= ctx.seuil:
            c = categorisation_suggeree(
                a, meilleure, f"suggestion sûre ({_pourcent(meilleure.score)}) : "
            )
        elif meilleure is not None:
            pourquoi = "trop peu sûre" if meilleure.automatique else "à confirmer"
            c = attente(
                f"suggestion {pourquoi} ({_pourcent(meilleure.score)}, "
                f"{meilleure.compte.numero}) : en attente sur {COMPTE_ATTENTE}"
            )
        else:
            c = attente(f"aucune règle ni suggestion : en attente sur {COMPTE_ATTENTE}")
        a.categorisation = c
        return c

    # Matching with what the ledger holds

    def rapprocher_virements(self, lot: list[tuple[Analyse, int]]) -> None:
        """The other side of a virement interne already recorded (by hand, or by the import
        of the other account's statement): the line confirms it and adds nothing."""
        from coopcompta.storage.imports import virements_a_rapprocher

        connus = self.montants_virements() if lot else set()
        lot = [(a, c) for a, c in lot if abs(c) in connus]
        if not lot:
            return
        t = self.ctx.tresorerie
        marge = dt.timedelta(days=JOURS_VIREMENT)
        debut = min(a.ligne.date for a, _ in lot) - marge
        fin = max(a.ligne.date for a, _ in lot) + marge
        par_montant: dict[int, list[dict[str, Any]]] = {}
        montants = [abs(c) for _, c in lot]
        for row in self.sql(virements_a_rapprocher, self.ledger, t, montants, debut, fin):
            par_montant.setdefault(row["montant"], []).append(row)
        for a, c in lot:
            assert a.categorisation is not None
            autre = a.categorisation.contrepartie
            source, destination = (autre, t) if a.credit else (t, autre)
            proches = [
                (abs((dt.date.fromisoformat(r["date"]) - a.ligne.date).days), r["id"], r)
                for r in par_montant.get(abs(c), ())
                if r["tresorerie"] == source
                and r["contrepartie"] == destination
                and r["id"] not in self.confirmes
            ]
            proches = [p for p in proches if p[0] <= JOURS_VIREMENT]
            if not proches:
                continue
            _, eid, row = min(proches, key=lambda p: (p[0], p[1]))
            self.confirmes.add(eid)
            a.statut = Statut.PRESENTE
            a.rapproche = (eid,)
            jour = dt.date.fromisoformat(row["date"])
            a.message = (
                f"déjà enregistrée : {_piece(row['piece'])} du {jour:%d/%m/%Y}, "
                f"virement interne « {row['libelle']} »"
            )

    def rapprocher_cheques(self, lot: list[tuple[Analyse, int]]) -> list[tuple[Analyse, int]]:
        """A cheque the treasurer already recorded (same number, same amount, same account)
        is cashed weeks later: its bank line confirms it and adds nothing. Returns the
        lines left to check."""
        if not any(a.ligne.cheque and c < 0 for a, c in lot):
            return lot
        if self._cheques_emis is None:
            from coopcompta.storage.imports import cheques_emis

            self._cheques_emis = {}
            for row in self.sql(cheques_emis, self.ledger, self.ctx.tresorerie):
                numero = row["cheque"].lstrip("0")
                self._cheques_emis.setdefault((numero, row["montant"]), []).append(row)
        emis = self._cheques_emis
        if not emis:  # no cheque recorded by hand: every line is left (the common case)
            return lot
        reste = []
        for a, c in lot:
            cheque = a.ligne.cheque
            # Only debits with a number can match (cheques are recorded as positive amounts).
            numero = cheque.lstrip("0") if cheque and c < 0 else ""
            rows = [
                r for r in emis.get((numero, -c), ()) if numero and r["id"] not in self.confirmes
            ]
            if not rows:
                reste.append((a, c))
                continue
            row = rows[0]
            self.confirmes.add(row["id"])
            a.statut = Statut.PRESENTE
            a.rapproche = (row["id"],)
            jour = dt.date.fromisoformat(row["date"])
            a.message = (
                f"déjà enregistrée : {_piece(row['piece'])} du {jour:%d/%m/%Y}, "
                f"chèque n° {row['cheque']} « {row['libelle']} »"
            )
        return reste

    def proposer_remises(self, lot: list[Analyse]) -> None:
        """Deposit lines whose amount is the total of cheques typed by hand and not yet
        deposited: flagged, and offered for matching in the interactive review."""
        from coopcompta.storage.imports import cheques_non_remis

        if not lot or not self.cheques_saisis():
            return
        marge = dt.timedelta(days=JOURS_REMISE)
        debut = min(a.ligne.date for a in lot) - marge
        fin = max(a.ligne.date for a in lot)
        tous = [
            Cheque(
                r["id"], dt.date.fromisoformat(r["date"]), r["piece"], r["libelle"], r["montant"]
            )
            for r in self.sql(cheques_non_remis, self.ledger, self.ctx.tresorerie, debut, fin)
        ]
        for a in lot:
            jour = a.ligne.date
            cheques = [
                ch for ch in tous if jour - marge <= ch.date <= jour and ch.id not in self.confirmes
            ]
            a.remise = trouver_remise(cheques, a.montant) or ()
            if a.remise and a.statut is Statut.NOUVELLE:
                pieces = ", ".join(ch.piece or "?" for ch in a.remise)
                a.statut = Statut.DOUBLON
                a.message = (
                    f"possible doublon des chèques saisis à la main (pièces {pieces}, "
                    "même total) : en interactif, « c » les rapproche"
                )

    def signaler_doublons(self, lot: list[tuple[Analyse, int]]) -> None:
        """Flag new lines resembling a movement already recorded on the same account."""
        from coopcompta.storage.imports import mouvements_proches

        connus = self.montants() if lot else set()
        lot = [(a, c) for a, c in lot if c in connus]
        if not lot:
            return
        debut = min(a.ligne.date for a, _ in lot) - dt.timedelta(days=JOURS_DOUBLON)
        fin = max(a.ligne.date for a, _ in lot) + dt.timedelta(days=JOURS_DOUBLON)
        par_montant: dict[int, list[dict[str, Any]]] = {}
        for row in self.sql(
            mouvements_proches,
            self.ledger,
            self.ctx.tresorerie,
            self.noms_exercices(debut, fin),
            [c for _, c in lot],
            debut,
            fin,
            self.import_courant,
        ):
            par_montant.setdefault(row["montant"], []).append(row)
        if not par_montant:
            return
        for a, c in lot:
            for row in par_montant.get(c, ()):
                if row["id"] in self.confirmes:
                    continue
                jour = dt.date.fromisoformat(row["date"])
                ecart = abs((jour - a.ligne.date).days)
                if ecart > JOURS_DOUBLON or (
                    ecart and not _similaires(a.ligne.libelle, row["libelle"])
                ):
                    continue
                origine = (
                    f"importée de {row['fichier']}" if row["import_id"] else "saisie à la main"
                )
                a.statut = Statut.DOUBLON
                a.message = (
                    f"possible doublon de {_piece(row['piece'])} {origine} "
                    f"le {jour:%d/%m/%Y} (« {row['libelle']} »)"
                )
                break

    def lot(self, lignes: list[ReleveLigne]) -> list[Analyse]:
        from coopcompta.storage.imports import empreintes_connues

        t = self.ctx.tresorerie
        prets = []
        cles = []
        connus = self._cles
        for ligne in lignes:
            libelle = ligne.libelle
            cle = connus.get(libelle)
            if cle is None:
                if len(connus) >= CACHE_MAX:
                    connus.clear()
                cle = connus[libelle] = cle_libelle(libelle)
            jour = ligne.date
            montant = ligne.montant
            # The line's amount in centimes, its fingerprint's unit and the one it is matched
            # on with the ledger (storage.imports): en_centimes(montant), inline.
            decale = montant.scaleb(2)
            c = int(decale)
            if c != decale:
                c = en_centimes(montant)  # raises, naming the amount
            prets.append((ligne, cle, c))
            cles.append((jour, hash((jour, c, cle))))
        occurrences = self.occurrences.suivantes(cles)
        isos = self._isos
        empreintes = [
            # empreinte(t, ligne.date, c, cle, occ), with the dates' text cached
            hashlib.blake2b(
                f"{t}|{isos.get(ligne.date) or self.iso(ligne.date)}|{c}|{cle}|{occ}".encode(),
                digest_size=12,
            ).hexdigest()
            for (ligne, cle, c), occ in zip(prets, occurrences, strict=True)
        ]
        connues = (
            self.sql(empreintes_connues, self.ledger, empreintes)
            if self.empreintes_possibles
            else set()
        )
        analyses = []
        a_verifier: list[tuple[Analyse, int]] = []
        virements: list[tuple[Analyse, int]] = []
        exercices = self._ex_cache
        regles = self.regles.categoriser if self.regles is not None else None
        categoriser = self.categoriser
        for (ligne, cle, c), fp in zip(prets, empreintes, strict=True):
            a = Analyse(ligne, fp, _NOUVELLE, cle)
            analyses.append(a)
            if connues and fp in connues:
                a.statut, a.message = Statut.PRESENTE, "déjà importée"
                continue
            if c == 0:
                a.statut, a.message = Statut.IGNOREE, "montant nul"
                continue
            ex, pourquoi = exercices.get(ligne.date) or self.exercice(ligne.date)
            if ex is None:
                a.statut, a.message = Statut.HORS_EXERCICE, pourquoi
                continue
            a.exercice = ex
            categorisation = regles(cle, ligne.montant) if regles is not None else None
            if categorisation is None:
                categorisation = categoriser(a, cle, False)
            else:
                a.categorisation = categorisation
            (virements if categorisation.contrepartie else a_verifier).append((a, c))
        self.rapprocher_virements(virements)
        a_verifier = self.rapprocher_cheques(a_verifier)
        self.signaler_doublons(a_verifier)
        self.proposer_remises([a for a, _ in a_verifier if "REMISE" in a.cle and a.est_remise])
        return analyses

    def lots(self, lignes: Iterable[ReleveLigne]) -> Iterator[list[Analyse]]:
        """The analyses of the lines, batch after batch."""
        flux = iter(lignes)
        while lot := list(itertools.islice(flux, LOT)):
            yield self.lot(lot)

    def iso(self, jour: dt.date) -> str:
        texte = self._isos[jour] = jour.isoformat()
        return texte


def analyser(
    ledger: Ledger,
    lignes: Iterable[ReleveLigne],
    ctx: Contexte,
    *,
    import_courant: int | None = None,
    acces: Acces | None = None,
) -> Iterator[Analyse]:
    """Compare each bank line with the ledger and categorise it, in file order, streamed
    in batches (constant memory); nothing is written. `acces` runs its queries (for
    `importer`, whose writer thread may hold the connection)."""
    for lot in _Analyseur(ledger, ctx, import_courant, acces).lots(lignes):
        yield from lot


# --- decisions taken during the interactive review ---------------------------------------------


def imputer_ligne_releve(a: Analyse, numero: str, raison: str = "choisi à la main") -> None:
    """The treasurer's account for the whole amount."""
    a.categorisation = Categorisation((Ligne(numero, a.montant),), raison, "manuel")


def categorisation_suggeree(a: Analyse, s: Suggestion, prefixe: str) -> Categorisation:
    """The line as the suggestion says: a virement interne, the learned split (the same
    amounts for the same total, else the same proportions, the last part taking the rest),
    or the whole amount on its account."""
    from coopcompta.domain.categorisation import PartRegle, ventiler_modele

    raison = f"{prefixe}{s.raison}"
    if s.virement:
        return Categorisation((), raison, "suggestion", contrepartie=s.compte.numero, score=s.score)
    ventilation: tuple[Ligne, ...] | None = None
    if len(s.parts) > 1 and s.total > 0:
        centimes = en_centimes(a.montant)
        if centimes == s.total:
            ventilation = tuple(Ligne(c, depuis_centimes(m)) for c, m in s.parts)
        else:
            modele = [
                PartRegle(c, pourcentage=Decimal(m) * 100 / Decimal(s.total)) for c, m in s.parts
            ]
            ventilation = ventiler_modele(modele, a.montant)
    if not ventilation:
        ventilation = (Ligne(s.compte.numero, a.montant),)
    return Categorisation(ventilation, raison, "suggestion", score=s.score)


def accepter_suggestion(a: Analyse, s: Suggestion) -> None:
    a.categorisation = categorisation_suggeree(a, s, "suggestion acceptée : ")


def suggestions_de(a: Analyse, ctx: Contexte, limite: int = 3) -> list[tuple[str, float, str]]:
    """(account, confidence, reason) for a line not yet in the ledger, best first: what a
    rule or a recognition applied comes first (a rule is the treasurer's own decision: 1),
    then the suggestions. [] for a line already present, skipped or out of the exercice."""
    if not a.a_ecrire:
        return []
    result: list[tuple[str, float, str]] = []
    c = a.categorisation
    if c is not None and c.origine in ("regle", "virement") and c.compte:
        result.append((c.compte, 1.0 if c.origine == "regle" else 0.99, c.raison))
    suggestions = a.suggestions
    if not suggestions and ctx.suggesteur is not None:
        suggestions = tuple(
            ctx.suggesteur.suggerer(a.ligne.libelle, a.sens, limite=limite, montant=a.montant)
        )
    for s in suggestions:
        if len(result) >= limite:
            break
        if all(s.compte.numero != r[0] for r in result):
            result.append((s.compte.numero, s.score, s.raison))
    return result


def retenir_decision(ctx: Contexte, a: Analyse) -> None:
    """What the treasurer just decided for this line teaches the suggestions of the next
    lines of the same import (nothing is learned from a line left on 471 or a rule)."""
    from coopcompta.domain.apprentissage import Passe
    from coopcompta.domain.categorisation import est_attente

    c = a.categorisation
    if ctx.suggesteur is None or c is None or not a.a_ecrire:
        return
    if c.origine not in ("manuel", "suggestion") or est_attente(c):
        return
    centimes = en_centimes(a.montant)
    if c.contrepartie:
        t = ctx.tresorerie
        source, destination = (c.contrepartie, t) if a.credit else (t, c.contrepartie)
        passe = Passe(a.ligne.libelle, Sens.VIREMENT, centimes, (), source, destination)
    else:
        parts = tuple((lg.compte, en_centimes(lg.montant)) for lg in c.ventilation)
        passe = Passe(a.ligne.libelle, a.sens, centimes, parts)
    ctx.suggesteur.retenir(passe)


def actualiser_suggestions(ctx: Contexte, a: Analyse) -> None:
    """The line's suggestions again, with what was decided since the analysis."""
    c = a.categorisation
    if ctx.suggesteur is None or (c is not None and c.origine in ("regle", "virement")):
        return
    a.suggestions = tuple(
        ctx.suggesteur.suggerer(a.ligne.libelle, a.sens, limite=3, montant=a.montant)
    )


def mettre_en_attente(a: Analyse) -> None:
    a.categorisation = attente(f"mise en attente sur {COMPTE_ATTENTE}")


def reste_de_ligne_releve(a: Analyse, parts: Sequence[Ligne]) -> Decimal:
    return a.montant - sum((p.montant for p in parts), Decimal("0"))


def ventiler_ligne_releve(
    a: Analyse,
    parts: Sequence[Ligne],
    raison: str = "ventilée à la main",
    classes: Sequence[str] = (),
) -> None:
    """Split the line over several accounts; the parts must add up to its amount. A class
    typed in another case is the one already known (`classes`), as in `coop saisie`."""
    from coopcompta.domain.ventilation import classe_connue

    parts = [Ligne(p.compte, p.montant, classe_connue(p.classe, classes)) for p in parts]
    reste = reste_de_ligne_releve(a, parts)
    if reste != 0 or any(p.montant <= 0 for p in parts):
        raise SaisieInvalide(
            f"la ventilation ne fait pas le montant ({formater_euros(a.montant)} ; "
            f"reste {formater_euros(reste)})"
        )
    fusion: dict[tuple[str, str | None], Decimal] = {}
    for p in parts:
        fusion[(p.compte, p.classe)] = fusion.get((p.compte, p.classe), Decimal("0")) + p.montant
    a.categorisation = Categorisation(
        tuple(Ligne(c, m, k) for (c, k), m in fusion.items()), raison, "manuel"
    )


def saisir_remise(a: Analyse, cheques: Sequence[tuple[str, Decimal, str | None]]) -> None:
    """A deposit slip typed cheque by cheque: (account, amount, payer) -> one receipt
    ventilated by account; payers go into the libellé."""
    ventiler_ligne_releve(
        a, [Ligne(c, m) for c, m, _ in cheques], f"remise de {quantite(len(cheques), 'chèque')}"
    )
    payeurs = [p for _, _, p in cheques if p]
    if payeurs and a.categorisation is not None:
        libelle = f"{a.ligne.libelle} ({', '.join(payeurs)})"
        a.categorisation = replace(a.categorisation, libelle=libelle)


def rapprocher_remise(a: Analyse, cheques: Sequence[Cheque]) -> None:
    """The deposit holds these cheques typed by hand: it confirms them and adds nothing."""
    total = sum((c.montant for c in cheques), Decimal("0"))
    if total != a.montant:
        raise SaisieInvalide(
            f"ces chèques font {formater_euros(total)}, la remise {formater_euros(a.montant)}"
        )
    a.statut = Statut.PRESENTE
    a.rapproche = tuple(c.id for c in cheques)
    pieces = ", ".join(c.piece or "?" for c in cheques)
    a.message = f"remise des chèques déjà saisis (pièces {pieces})"


# --- writing -----------------------------------------------------------------------------------


def ecritures_de(
    a: Analyse,
    ctx: Contexte,
    import_id: int | None = None,
    numeroter: Callable[[str, Sens, dt.date], str] | None = None,
) -> list[Ecriture]:
    """The écriture(s) a new bank line becomes: one recette, dépense or virement, plus the
    fee dépense of an AssoConnect payment; `numeroter(exercice, sens, date)` gives each
    its pièce (none without it)."""
    ligne, t = a.ligne, ctx.tresorerie
    cat = a.categorisation or _ATTENTE
    cheque = ligne.cheque
    cle = a.cle or cle_libelle(ligne.libelle)
    modes = _MODES_CHEQUE if cheque else _MODES
    if ctx.format.startswith("assoconnect"):
        mode = deviner_mode(cle, cheque, ctx.format)
    elif cle in modes:
        mode = modes[cle]
    else:
        if len(modes) >= CACHE_MAX:
            modes.clear()
        mode = modes[cle] = deviner_mode(cle, cheque)
    if mode != "cheque":
        cheque = None
    libelle = (cat.libelle or ligne.libelle).strip() or "(sans libellé)"
    montant = ligne.montant
    credit = montant > 0
    if not credit:
        montant = -montant
    exercice = a.exercice
    contrepartie = cat.contrepartie
    if contrepartie:
        sens = _VIREMENT
        source, destination = (contrepartie, t) if credit else (t, contrepartie)
        ventilation: tuple[Ligne, ...] = ()
    else:
        sens = _RECETTE if credit else _DEPENSE
        source, destination = t, None
        ventilation = cat.ventilation or (Ligne(COMPTE_ATTENTE, montant),)
    if exercice is None or not montant:
        raise SaisieInvalide("écriture sans exercice ou de montant nul", libelle)
    piece = numeroter(exercice, sens, ligne.date) if numeroter is not None else None
    principale = nouvelle_ecriture(
        ligne.date,
        sens,
        libelle,
        montant,
        source,
        ventilation,
        destination,
        piece,
        mode,
        cheque,
        exercice,
        import_id=import_id,
        brut=ligne.brut,
        empreinte=a.empreinte,
    )
    if sens is not _RECETTE or ctx.format != PAIEMENTS_ASSOCONNECT:
        return [principale]
    frais = _frais_assoconnect(a, ctx)
    if not frais:
        return [principale]
    return [
        principale,
        nouvelle_ecriture(
            ligne.date,
            Sens.DEPENSE,
            f"Frais AssoConnect : {libelle}",
            frais,
            t,
            (Ligne(COMPTE_FRAIS_BANCAIRES, frais),),
            None,
            numeroter(exercice, Sens.DEPENSE, ligne.date) if numeroter is not None else None,
            mode,
            None,
            exercice,
            import_id=import_id,
            brut=ligne.brut,
            empreinte=f"{a.empreinte}:frais",
        ),
    ]


_ATTENTE = attente()
# deviner_mode of the labels met (statements repeat them), for lines with a cheque number
# and without; bounded, so that memory stays flat.
_MODES: dict[str, str | None] = {}
_MODES_CHEQUE: dict[str, str | None] = {}


def _frais_assoconnect(a: Analyse, ctx: Contexte) -> Decimal | None:
    if ctx.format != PAIEMENTS_ASSOCONNECT or not a.credit:
        return None
    texte = a.ligne.extra.get("frais", "")
    if not texte.strip():
        return None
    frais = abs(lire_montant(texte, f"{ctx.fichier}:{a.ligne.ligne}"))
    return frais or None


@dataclass
class Resultat:
    """What an import did (or, in a dry run, would do): the counts of the summary."""

    fichier: str
    format: str
    tresorerie: str
    banque: str | None = None
    import_id: int | None = None
    lues: int = 0
    nouvelles: int = 0
    presentes: int = 0
    hors_exercice: int = 0
    ignorees: int = 0
    par_regle: int = 0
    par_suggestion: int = 0
    a_la_main: int = 0
    virements: int = 0
    en_attente: int = 0
    ecritures: int = 0
    doublons: list[Analyse] = field(default_factory=list)
    nb_doublons: int = 0
    rapprochees: list[Analyse] = field(default_factory=list)
    nb_rapprochees: int = 0
    pieces: list[tuple[str, str]] = field(default_factory=list)

    def compter(self, a: Analyse) -> None:
        self.lues += 1
        statut = a.statut
        if statut is _NOUVELLE or statut is _DOUBLON:
            self.nouvelles += 1
            if statut is _DOUBLON:
                self.nb_doublons += 1
                if len(self.doublons) < 200:
                    self.doublons.append(a)
            c = a.categorisation
            origine = c.origine if c is not None else "attente"
            # `c.compte == COMPTE_ATTENTE`, without the property call (once per bank line)
            if (
                origine == "attente"
                or c is None
                or (
                    not c.contrepartie
                    and c.ventilation
                    and c.ventilation[0].compte == COMPTE_ATTENTE
                )
            ):
                self.en_attente += 1
            elif origine == "regle":
                self.par_regle += 1
            elif origine == "suggestion":
                self.par_suggestion += 1
            elif origine == "virement":
                self.virements += 1
            else:
                self.a_la_main += 1
        elif statut is Statut.PRESENTE:
            self.presentes += 1
            if a.rapproche:
                self.nb_rapprochees += 1
                if len(self.rapprochees) < 200:
                    self.rapprochees.append(a)
        elif statut is Statut.HORS_EXERCICE:
            self.hors_exercice += 1
        else:
            self.ignorees += 1


class _Numerotation:
    """Pièce numbers for one import, allocated in file order, each series continuing the
    ledger's; `desordre` when the file was not sorted by date (then renumbered)."""

    def __init__(self, ledger: Ledger, series: str | None, acces: Acces | None = None) -> None:
        from coopcompta.domain.ecritures import serie_piece
        from coopcompta.storage.ecrivain import DIRECT

        self.ledger = ledger
        self.sql = (acces or DIRECT).appeler
        self.series_par_sens = {sens: serie_piece(sens, series) for sens in Sens}
        self.compteurs: dict[tuple[str, str], list[int]] = {}  # -> [first, next]
        self.sens: dict[tuple[str, str], set[Sens]] = {}
        self._par_sens: dict[tuple[str, Sens], tuple[str, list[int]]] = {}
        self.derniere = dt.date.min
        self.desordre = False

    def suivante(self, exercice: str, sens: Sens, date: dt.date) -> str:
        serie_compteur = self._par_sens.get((exercice, sens)) or self._compteur(exercice, sens)
        serie, compteur = serie_compteur
        num = compteur[1]
        compteur[1] = num + 1
        if date < self.derniere:
            self.desordre = True
        self.derniere = date
        return f"{serie}{num}"

    def _compteur(self, exercice: str, sens: Sens) -> tuple[str, list[int]]:
        serie = self.series_par_sens[sens]
        cle = (exercice, serie)
        compteur = self.compteurs.get(cle)
        if compteur is None:
            debut = int(self.sql(self.ledger.prochaine_piece, exercice, serie)[len(serie) :])
            compteur = self.compteurs[cle] = [debut, debut]
            self.sens[cle] = set()
        self.sens[cle].add(sens)
        trouve = self._par_sens[(exercice, sens)] = (serie, compteur)
        return trouve

    def bornes(self) -> list[tuple[str, str]]:
        return [
            (f"{serie}{debut}", f"{serie}{fin - 1}")
            for (_, serie), (debut, fin) in sorted(self.compteurs.items())
        ]


def importer(
    ledger: Ledger,
    ctx: Contexte,
    lignes: Iterable[ReleveLigne] | None = None,
    *,
    analyses: Iterable[Analyse] | None = None,
    series: str | None = None,
    suivi: Callable[[Analyse], None] | None = None,
) -> Resultat:
    """Write an import in ONE transaction: the new lines' écritures with their pièces
    (in date order, continuing the exercice's sequence), the confirmations, the import
    record. Give either the bank `lignes` (analysed while writing, streamed) or the
    `analyses` reviewed beforehand. Any error, including one raised by the parser on
    line 9 000, rolls everything back."""
    from coopcompta.storage import imports as sql

    resultat = Resultat(ctx.fichier, ctx.format, ctx.tresorerie, ctx.banque)
    # Streaming a file, SQLite's inserts can run in a second thread meanwhile (it starts
    # at the writer's first full batch, so a small file never starts it).
    parallele = analyses is None and (os.cpu_count() or 1) > 1
    try:
        with sql.references_sures(ledger), ledger.transaction(), _moins_de_ramassages():
            import_id = sql.creer_import(ledger, ctx.fichier, ctx.format, ctx.tresorerie)
            with ledger.enregistreur(parallele) as enregistreur:
                acces = enregistreur.ecrivain
                lots: Iterable[Iterable[Analyse]] = (
                    [analyses]
                    if analyses is not None
                    else _Analyseur(ledger, ctx, import_id, acces).lots(lignes or ())
                )
                pieces = _Numerotation(ledger, series, acces)
                compter = resultat.compter
                ajouter = enregistreur.ajouter
                numeroter = pieces.suivante
                for lot in lots:
                    for a in lot:
                        compter(a)
                        statut = a.statut
                        if statut is _NOUVELLE or statut is _DOUBLON:
                            for e in ecritures_de(a, ctx, import_id, numeroter):
                                ajouter(e)
                        elif a.rapproche:
                            enregistreur.rapprocher(
                                import_id, a.empreinte, a.rapproche, ctx.tresorerie
                            )
                        if suivi is not None:
                            suivi(a)
            # The writer thread has finished: the connection is this thread's again.
            resultat.ecritures = enregistreur.nb
            if not enregistreur.nb and not resultat.nb_rapprochees:
                sql.oublier_import(ledger, import_id)
                return resultat
            resultat.import_id = import_id
            if pieces.desordre:
                for (exercice, serie), (debut, _) in pieces.compteurs.items():
                    sens = sorted(s.value for s in pieces.sens[(exercice, serie)])
                    sql.renumeroter(ledger, import_id, exercice, sens, serie, debut)
            resultat.pieces = pieces.bornes()
            sql.terminer_import(ledger, import_id, enregistreur.nb)
    except _sqlite_integrity() as exc:
        raise ImportImpossible(
            f"la comptabilité a changé pendant l'import ({exc}) ; rien n'a été enregistré, "
            "relancez la commande",
            ctx.fichier,
        ) from None
    return resultat


@contextlib.contextmanager
def _moins_de_ramassages() -> Iterator[None]:
    """Fewer cyclic garbage collections while importing. The hot path allocates millions
    of short-lived objects that reference counting frees at once; with Python's default
    thresholds they only make the collector run (and walk every object of the program)
    thousands of times, for about a sixth of the import's time."""
    seuils = gc.get_threshold()
    gc.freeze()  # what exists already (modules, the chart...) will not be walked again
    gc.set_threshold(max(seuils[0], 20_000), *seuils[1:])
    try:
        yield
    finally:
        gc.set_threshold(*seuils)
        gc.unfreeze()


def _sqlite_integrity() -> type[Exception]:
    import sqlite3

    return sqlite3.IntegrityError


# --- undo --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Annulation:
    import_id: int
    fichier: str
    importe_le: str
    ecritures: int
    rapprochements: int


@dataclass(frozen=True)
class ApercuAnnulation:
    """What `coop import --annuler` would remove, shown before asking."""

    import_id: int
    fichier: str
    importe_le: str
    ecritures: int
    premieres: list[tuple[str, dt.date, str, Decimal]]  # pièce, date, libellé, montant
    ventilees: int  # écritures ventilated (coop ventiler) since the import
    rapprochees: int  # cheques typed by hand that a deposit line of the import confirmed
    obstacles: list[str]  # why it would be refused


def apercu_annulation(ledger: Ledger) -> ApercuAnnulation:
    """The last import not undone, what deleting it would remove and change; nothing written."""
    from coopcompta.domain.money import depuis_centimes
    from coopcompta.storage import imports as sql
    from coopcompta.storage.saisie import changements_depuis_l_import, ecritures_de_l_import

    imp = sql.dernier_import(ledger)
    if imp is None:
        raise ImportImpossible("aucun import à annuler", "--annuler")
    n, ventilees, rapprochees = changements_depuis_l_import(ledger, imp["id"])
    return ApercuAnnulation(
        imp["id"],
        imp["fichier"],
        imp["importe_le"],
        int(n),
        [
            (p, dt.date.fromisoformat(d), lib, depuis_centimes(m))
            for p, d, lib, m in ecritures_de_l_import(ledger, imp["id"])
        ],
        ventilees,
        rapprochees,
        sql.obstacles_annulation(ledger, imp["id"]),
    )


def annuler_dernier_import(ledger: Ledger) -> Annulation:
    """Delete the écritures of the last import not yet undone, in one transaction.

    Refused when one of them was cancelled (contre-passation) or matched since, or lies
    in a closed exercice: then the ledger is left as it is."""
    from coopcompta.storage import imports as sql
    from coopcompta.storage.saisie import retenir_pieces_de_l_import

    with ledger.transaction():
        imp = sql.dernier_import(ledger)
        if imp is None:
            raise ImportImpossible("aucun import à annuler", "--annuler")
        obstacles = sql.obstacles_annulation(ledger, imp["id"])
        if obstacles:
            raise ImportImpossible(
                f"impossible d'annuler l'import n° {imp['id']} ({imp['fichier']}) : "
                + " ; ".join(obstacles)
                + ". Corrigez plutôt écriture par écriture (coop annuler).",
                "--annuler",
            )
        retenir_pieces_de_l_import(ledger, imp["id"])
        n, r = sql.supprimer_import(ledger, imp["id"])
    return Annulation(imp["id"], imp["fichier"], imp["importe_le"], n, r)


# === The steps of the `coop import` command ======================================================
# What cli/importer.py calls, between its options and its questions: reading the statement
# with its rules, the decisions typed during the review, the rules it adds. Kept apart from
# the import engine above.

if TYPE_CHECKING:
    from pathlib import Path

    from coopcompta.domain.model import Compte
    from coopcompta.importers import Releve


def lire_releve_a_importer(fichier: Path, profil: Path | None = None) -> Releve:
    """The bank or AssoConnect statement, its format recognised (or described by `profil`)."""
    from coopcompta.importers import lire_releve

    return lire_releve(fichier, profil)


def sauver_profil_du_releve(releve: Releve, chemin: Path, remplacer: bool = False) -> None:
    """Save the layout of the CSV just read, for `--profil` next time (an existing file
    only with `remplacer`)."""
    from coopcompta.importers import sauver_profil

    if releve.profil is None:
        raise CoopComptaError(
            "seul un relevé CSV a un profil à enregistrer (OFX et QIF se lisent seuls)",
            "--sauver-profil",
        )
    sauver_profil(releve.profil, chemin, remplacer)


def chemin_des_regles(ledger: Ledger, option: Path | None, avertir: Callable[[str], None]) -> Path:
    """--regles, else the file remembered from a previous --regles, else regles.yaml beside
    the ledger (absent: no rules). A remembered file gone missing is said, then ignored."""
    from pathlib import Path

    from coopcompta.domain.categorisation import ReglesInvalides
    from coopcompta.importers.regles import FICHIER_REGLES

    if option is not None:
        try:
            option.stat()
        except OSError as exc:  # absent, a name too long, a path through a file
            raise ReglesInvalides(
                fichier_inutilisable(exc, "fichier de règles"), str(option)
            ) from None
        return option
    retenu = ledger.meta("regles")
    if retenu:
        if not Path(retenu).exists():
            avertir(f"fichier de règles {retenu} introuvable, ignoré.")
        return Path(retenu)
    return ledger.path.parent / FICHIER_REGLES


def preparer_import(
    ledger: Ledger,
    releve: Releve,
    tresorerie: str | None,
    regles: Path | None,
    avertir: Callable[[str], None],
) -> tuple[Contexte, Path]:
    """What every line of this statement is categorised with: the ledger's chart, the
    treasury account (--tresorerie, else 512, or 517 for AssoConnect), the rules (see
    `chemin_des_regles`; returns their file too, for the rules added during the review)
    and the suggestions learned from the ledger's past écritures."""
    from coopcompta.domain.ecritures import compte_tresorerie
    from coopcompta.importers.regles import charger_regles
    from coopcompta.usecases.comptabilite import plan_du_ledger, preparer_suggesteur

    plan = plan_du_ledger(ledger)
    compte = compte_tresorerie(
        plan, tresorerie or tresorerie_par_defaut(releve.format), "--tresorerie"
    )
    chemin_regles = chemin_des_regles(ledger, regles, avertir)
    ctx = Contexte(
        plan=plan,
        fichier=releve.fichier,
        format=releve.format,
        tresorerie=compte,
        banque=releve.banque,
        regles=charger_regles(chemin_regles, plan),
        suggesteur=preparer_suggesteur(ledger, plan, compte),
    )
    return ctx, chemin_regles


def enregistrer_releve(
    ledger: Ledger,
    ctx: Contexte,
    lignes: Iterable[ReleveLigne] | None = None,
    *,
    analyses: Iterable[Analyse] | None = None,
    suivi: Callable[[Analyse], None] | None = None,
) -> Resultat:
    """Import the statement's lines (or the reviewed `analyses`) with the ledger's pièce
    numbering (one sequence, or R/D series)."""
    return importer(
        ledger, ctx, lignes, analyses=analyses, series=ledger.meta("series"), suivi=suivi
    )


def retenir_regles(
    ledger: Ledger, ctx: Contexte, chemin: Path, textes: Sequence[str], option: Path | None
) -> int:
    """Append the rules added during the review to the rules file, and remember a --regles
    file for the next imports; returns how many rules were added."""
    if textes:
        from coopcompta.importers.regles import ajouter_regles

        ajouter_regles(chemin, textes, ctx.plan)
    if option is not None and ledger.meta("regles") != str(option.resolve()):
        with ledger.transaction():
            ledger.ecrire_meta("regles", str(option.resolve()))
    return len(textes)


@dataclass(frozen=True)
class ApercuReleve:
    """What the treasurer is told before the first question of the review."""

    fichier: str
    banque: str | None
    tresorerie: str
    lignes: int
    par_statut: dict[str, int]
    par_les_regles: int
    a_revoir: int


def apercu_releve(analyses: Sequence[Analyse], ctx: Contexte) -> ApercuReleve:
    """Counts of a statement read and compared with the ledger (nothing written)."""
    par_statut: dict[str, int] = {}
    for a in analyses:
        par_statut[a.statut.value] = par_statut.get(a.statut.value, 0) + 1
    regles = sum(
        1
        for a in analyses
        if a.a_ecrire and a.categorisation is not None and a.categorisation.origine == "regle"
    )
    return ApercuReleve(
        ctx.fichier,
        ctx.banque,
        ctx.tresorerie,
        len(analyses),
        par_statut,
        regles,
        sum(1 for a in analyses if est_a_revoir(a)),
    )


def est_a_revoir(a: Analyse) -> bool:
    """A new line no rule placed (nor a recognised virement), or a cheque deposit."""
    if a.est_remise and a.a_ecrire:
        return True
    c = a.categorisation
    return a.a_ecrire and (c is None or c.origine not in ("regle", "virement"))


def categoriser_par_regles(a: Analyse, ctx: Contexte, regles: Sequence[Regle]) -> bool:
    """Apply the rules added earlier in the review to this line; True if one placed it."""
    from coopcompta.domain.categorisation import appliquer_regles

    c = appliquer_regles(regles, a.ligne, format=ctx.format, fichier=ctx.fichier)
    if c is None:
        return False
    a.categorisation = c
    return True


def affecter_compte(a: Analyse, ctx: Contexte, compte: Compte) -> None:
    """The whole line on this account; a treasury account makes it a virement interne."""
    from coopcompta.domain.ecritures import compte_ventilation
    from coopcompta.domain.model import Nature

    if compte.nature is Nature.TRESORERIE:
        if compte.numero == ctx.tresorerie:
            raise SaisieInvalide(f"{compte.numero} est le compte du relevé lui-même.")
        a.categorisation = Categorisation(
            (), "virement interne choisi à la main", "manuel", contrepartie=compte.numero
        )
        return
    imputer_ligne_releve(a, compte_ventilation(ctx.plan, compte.numero, a.sens))


def motif_propose(a: Analyse) -> str:
    """The part of the line's libellé a rule for it would look for."""
    from coopcompta.importers.regles import motif_pour

    return motif_pour(a.ligne.libelle)


def creer_regle(
    a: Analyse, ctx: Contexte, motif: str, compte: Compte, fichier_regles: str
) -> tuple[Regle, str]:
    """The rule « toujours ce compte pour ce libellé » (checked as the rules file would be)
    and its YAML text, applied to this line at once. Refused when the motif does not
    recognise the line's own libellé."""
    import yaml

    from coopcompta.importers.regles import texte_regle, valider_regles

    texte = texte_regle(motif, motif, compte.numero, a.sens.value)
    regle = valider_regles(yaml.safe_load(texte), fichier_regles, ctx.plan)[0]
    if not categoriser_par_regles(a, ctx, [regle]):
        raise SaisieInvalide("Ce motif ne reconnaît pas ce libellé lui-même ; règle non ajoutée.")
    return regle, texte
