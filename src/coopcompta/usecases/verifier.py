"""`coop verifier` use case: read a ledger or a journal CSV, gather facts, run the checks."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from coopcompta.domain.errors import DonneesInutilisables
from coopcompta.domain.faits import (
    Constats,
    Desequilibre,
    Ref,
)
from coopcompta.domain.model import Ecriture, Exercice, Sens
from coopcompta.storage import Ledger

if TYPE_CHECKING:
    from coopcompta.domain.plan_comptable import PlanComptable
    from coopcompta.importers.journal_csv import LigneJournal


from collections.abc import Callable
from typing import TYPE_CHECKING

from coopcompta.domain.checks import Lieux, Verification, verifier
from coopcompta.domain.localisation import Reperes, ecritures_citees, localiser
from coopcompta.storage.verifications import index_differes, ledger_en_memoire

if TYPE_CHECKING:
    from coopcompta.domain.plan_comptable import PlanComptable
    from coopcompta.domain.tolerance import Tolerance
    from coopcompta.storage import Ledger


def verifier_ledger(
    ledger: Ledger,
    exercice: str | None = None,
    plan: PlanComptable | None = None,
    tolerance: Tolerance | None = None,
    lieux: Lieux = None,
    source: str | None = None,
    constats_en_plus: Callable[[Constats], Constats] | None = None,
    documents: bool = True,
    reperes: Reperes | None = None,
) -> Verification:
    """Compute the bilan and the SQL facts of one exercice, then run every check.

    Each anomaly is placed (`Anomalie.lieux`): the accounts of the écritures it names
    are read in one query; `reperes` adds the CSV lines of a journal loaded in memory,
    whose écriture ids are then dropped.
    """
    from coopcompta.storage import verifications as sql
    from coopcompta.usecases.bilan import charger_bilan

    if plan is None:
        from coopcompta.usecases.comptabilite import plan_du_ledger

        plan = plan_du_ledger(ledger)
    # The passes that do not need the bilan (integrity, cheques, daily cash balances) start
    # first, in another thread, and overlap the bilan's own reading.
    with sql.lectures_en_parallele(ledger, ledger.exercice(exercice).nom, plan) as lectures:
        bilan = charger_bilan(ledger, exercice, plan, tolerance)
        constats = sql.constater(ledger, bilan, plan, lectures)
    if constats_en_plus is not None:
        constats = constats_en_plus(constats)
    anomalies = verifier(bilan, constats, lieux)
    if documents:  # a ledger keeps its reconciliations and cash counts; a journal CSV has none
        from coopcompta.usecases.fin_annee import anomalies as fin_annee

        anomalies += fin_annee(ledger, bilan.exercice)
    comptes = sql.comptes_des_ecritures(ledger, ecritures_citees(anomalies))
    if reperes is None:
        anomalies_placees = localiser(anomalies, Reperes(comptes=comptes))
    else:
        anomalies_placees = localiser(anomalies, replace(reperes, comptes=comptes), False)
    return Verification(
        source=source or str(ledger.path),
        exercice=bilan.exercice,
        anomalies=tuple(sorted(anomalies_placees, key=lambda a: a.gravite.value != "erreur")),
        bilan=bilan,
    )


def verifier_journal(
    path: Path,
    plan: PlanComptable,
    exercice: str | None = None,
    tolerance: Tolerance | None = None,
) -> Verification:
    """Load a journal CSV into an in-memory ledger as written, then check it like a ledger.

    Anomalies carry CSV lines (in their messages and `lieux`), not the ids of the
    throw-away ledger.
    """
    chargement = charger_journal(path, plan, exercice)
    with chargement.ledger as ledger:
        desequilibres = tuple(
            Desequilibre(
                Ref(eid, lj.ecriture.piece, lj.ecriture.date, lj.ecriture.libelle),
                ecart=lj.ecart,
                total=lj.total_annonce,
                lignes=lj.ecriture.montant,
            )
            for eid, lj in chargement.ecarts
            if lj.ecart is not None
        )

        def ajouter(c: Constats) -> Constats:
            total = len(desequilibres) + c.total("desequilibres", c.desequilibres)
            return replace(
                c,
                desequilibres=desequilibres + c.desequilibres,
                totaux={**c.totaux, "desequilibres": total},
            )

        return verifier_ledger(
            ledger,
            chargement.exercice.nom,
            plan,
            tolerance,
            lieux=chargement.lieux,
            source=str(path),
            constats_en_plus=ajouter,
            documents=False,
            reperes=chargement.reperes(),
        )


@dataclass
class ChargementJournal:
    """A journal CSV in an in-memory ledger: the CSV place of each écriture, the bad totals."""

    ledger: Ledger
    exercice: Exercice
    lieux: dict[int, str]
    ecarts: list[tuple[int, LigneJournal]]
    lignes: dict[int, int] = field(default_factory=dict)  # écriture id -> CSV line
    # The first CSV line of each pièce, and of each day's movements on a treasury account.
    pieces: dict[str, int] = field(default_factory=dict)
    jours: dict[tuple[dt.date, str], int] = field(default_factory=dict)

    def reperes(self) -> Reperes:
        return Reperes(lignes=self.lignes, pieces=self.pieces, jours=self.jours)


def _exercice_du_journal(lignes: Sequence[LigneJournal], nom: str | None) -> Exercice:
    if nom:
        return Exercice.depuis_nom(nom)
    ouvertures = [lj.ecriture.date for lj in lignes if lj.ecriture.sens is Sens.OUVERTURE]
    if ouvertures:
        return Exercice.contenant(min(ouvertures))
    compte: dict[str, int] = {}
    for lj in lignes:
        n = Exercice.contenant(lj.ecriture.date).nom
        compte[n] = compte.get(n, 0) + 1
    return Exercice.depuis_nom(max(sorted(compte), key=compte.__getitem__))


def charger_journal(
    path: Path, plan: PlanComptable, exercice: str | None = None
) -> ChargementJournal:
    """Read a journal CSV leniently and record it as written (dates, pièces, totals included).

    The exercice is `exercice`, else the one its ouvertures open, else the one
    most of its dates fall in; écritures dated outside it stay in it, for the
    date check to report. Empty pièces get the next number, as `coop saisie` does.
    """
    from coopcompta.domain.ecritures import Numeroteur
    from coopcompta.importers.journal_csv import lire_journal

    if not path.exists():
        raise DonneesInutilisables("fichier introuvable", str(path))
    if path.is_dir():
        raise DonneesInutilisables("c'est un dossier, pas un journal CSV", str(path))
    lignes = list(lire_journal(path, plan, strict=False))
    if not lignes:
        raise DonneesInutilisables("aucune écriture dans ce journal", str(path))
    ex = _exercice_du_journal(lignes, exercice)
    series = "RD" if any(re.fullmatch(r"[RD]\d+", lj.ecriture.piece or "") for lj in lignes) else ""
    numeroteur = Numeroteur({}, series)
    for lj in lignes:
        piece = lj.ecriture.piece
        if piece and piece not in numeroteur.utilisees.get(ex.nom, set()):
            numeroteur.utiliser(ex.nom, piece)
    ledger = ledger_en_memoire(ex, {"nom": path.name, "series": series})
    lieux: dict[int, str] = {}
    lignes_csv: dict[int, int] = {}
    pieces: dict[str, int] = {}
    jours: dict[tuple[dt.date, str], int] = {}
    ecarts: list[tuple[int, LigneJournal]] = []
    par_piece: dict[str, int] = {}
    prets: list[tuple[LigneJournal, Ecriture]] = []

    def ecrire() -> None:
        for eid, (lj, e) in zip(ledger.ajouter_plusieurs(e for _, e in prets), prets, strict=True):
            if e.piece:
                par_piece.setdefault(e.piece, eid)
                pieces.setdefault(e.piece, lj.ligne)
            lieux[eid] = f"{path.name}:{lj.ligne}"
            lignes_csv[eid] = lj.ligne
            for compte in (e.tresorerie, e.contrepartie):
                if compte:
                    jours.setdefault((e.date, compte), lj.ligne)
            if lj.ecart is not None:
                ecarts.append((eid, lj))
        prets.clear()

    # The écritures go through the one writer in runs, the indexes are built once at the
    # end (a journal of 1 000 écritures loads in 20 ms instead of 27). A contre-passation
    # needs the id of the écriture it cancels: the run before it is written first.
    with ledger.transaction(), index_differes(ledger):
        for lj in lignes:
            e = lj.ecriture
            piece = e.piece
            if piece is None and e.sens is not Sens.OUVERTURE:
                piece = numeroteur.prochaine(ex.nom, e.sens)
            annule = None
            if lj.annule_piece:
                ecrire()
                annule = par_piece.get(lj.annule_piece)
            prets.append((lj, replace(e, piece=piece, exercice=ex.nom, annule=annule)))
        ecrire()
    return ChargementJournal(ledger, ex, lieux, ecarts, lignes_csv, pieces, jours)


# --- `coop verifier FICHIER`: which file, read how (moved from cli/bilan.py) -----------------


def verifier_fichier(
    fichier: Path | None,
    db: Path | None,
    exercice: str | None,
    tolerance_euros: str | None,
    tolerance_part: str | None,
    plan: Path | None,
) -> Verification:
    """Check the ledger or journal CSV `coop verifier` was given (`fichier`, else the
    ledger of --db): a SQLite file is a ledger, anything else is read as a journal CSV.

    One input of `usecases.controle`, which checks many.
    """
    from coopcompta.usecases.controle import Reglages, chemins_ou_ledger, verifier_chemin

    reglages = Reglages(exercice, tolerance_euros, tolerance_part, plan)
    (path,) = chemins_ou_ledger([fichier] if fichier else None, db)
    return verifier_chemin(path, reglages)[0]
