"""`coop export` use case: the year-end workbook (.xlsx), the dossier to print and sign (.pdf)
or the journal CSV of an exercice.

The workbook and the dossier show the same figures: one `Annee` is computed (bilan, checks,
year-end documents) and handed to whichever writer is asked for.

The target is checked before the (long) computation, and nothing is written until
the end: an error or Ctrl-C leaves no half-written file and an existing one unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coopcompta.domain.errors import CoopComptaError

if TYPE_CHECKING:
    from coopcompta.domain.fin_annee import DocumentsFinAnnee
    from coopcompta.domain.model import Anomalie, Exercice
    from coopcompta.domain.plan_comptable import PlanComptable
    from coopcompta.domain.reports import Bilan
    from coopcompta.exports.commun import Informations
    from coopcompta.storage import Ledger

CLASSEUR = ".xlsx"
JOURNAL_CSV = ".csv"
DOSSIER = ".pdf"


@dataclass(frozen=True)
class Export:
    """What was written: the workbook's sheets (none for the journal CSV), how many écritures."""

    fichier: Path
    exercice: Exercice
    ecritures: int
    feuilles: tuple[str, ...] = ()
    pages: int = 0


def sorte_d_export(fichier: Path) -> str:
    """What the file's extension asks for (.xlsx, .pdf or .csv); any other is refused."""
    extension = fichier.suffix.lower()
    if extension not in (CLASSEUR, DOSSIER, JOURNAL_CSV):
        raise CoopComptaError(
            f"extension inconnue « {fichier.suffix or '(aucune)'} » : "
            "choisissez .xlsx (classeur), .pdf (dossier à imprimer) ou .csv (journal)",
            str(fichier),
        )
    return extension


def exporter(
    ledger: Ledger, fichier: Path, exercice: str | None = None, *, force: bool = False
) -> Export:
    """Write the exercice's workbook or journal CSV to `fichier` (replaced only if `force`)."""
    sorte = sorte_d_export(fichier)
    ex = ledger.exercice(exercice)
    if sorte == CLASSEUR:
        return _exporter_classeur(ledger, ex, fichier, force)
    if sorte == DOSSIER:
        return _exporter_dossier(ledger, ex, fichier, force)
    return _exporter_journal(ledger, ex, fichier, force)


def _exporter_journal(ledger: Ledger, ex: Exercice, fichier: Path, force: bool) -> Export:
    from coopcompta.exports.excel import fichier_atomique
    from coopcompta.usecases.journal import consulter_journal, ecrire_journal_csv

    with (
        fichier_atomique(fichier, force=force) as tmp,
        tmp.open("w", encoding="utf-8", newline="") as f,
    ):
        n = ecrire_journal_csv(consulter_journal(ledger, ex.nom), f)
    return Export(fichier, ex, n)


@dataclass(frozen=True)
class Annee:
    """The year as the workbook and the dossier show it, computed once."""

    plan: PlanComptable
    infos: Informations
    bilan: Bilan
    anomalies: tuple[Anomalie, ...]
    documents: DocumentsFinAnnee


def annee(ledger: Ledger, ex: Exercice) -> Annee:
    """Compute the exercice's statements, checks and year-end documents once."""
    import datetime as dt

    from coopcompta import __version__
    from coopcompta.exports.commun import Informations
    from coopcompta.usecases.bilan import charger_bilan, tolerance_de
    from coopcompta.usecases.comptabilite import plan_du_ledger
    from coopcompta.usecases.fin_annee import documents
    from coopcompta.usecases.verifier import verifier_ledger

    plan = plan_du_ledger(ledger)
    # The ledger's own tolerance (coop bilan's options are not remembered).
    tolerance = tolerance_de(ledger)
    bilan = charger_bilan(ledger, ex.nom, plan, tolerance)
    verification = verifier_ledger(ledger, ex.nom, plan, tolerance)
    metas = ledger.metas()
    infos = Informations(
        nom=metas.get("nom", ""),
        ecole=metas.get("ecole", ""),
        numero_occe=metas.get("numero_occe", ""),
        mandataire=metas.get("mandataire", ""),
        exercice=ex,
        plan=plan.nom if plan.source == "défaut" else f"{plan.nom} ({plan.source})",
        tolerance=tolerance.decrire(),
        produit_le=dt.datetime.now().replace(microsecond=0),
        version=__version__,
        # The file's name only: a printed page carries no local path.
        comptabilite=ledger.path.name,
    )
    return Annee(plan, infos, bilan, verification.anomalies, documents(ledger, ex, plan))


def _exporter_dossier(ledger: Ledger, ex: Exercice, fichier: Path, force: bool) -> Export:
    from coopcompta.domain.dossier import evolution_mensuelle
    from coopcompta.exports.commun import fichier_atomique
    from coopcompta.exports.dossier import Dossier, ecrire_dossier
    from coopcompta.storage.evolution import nombre_ecritures, soldes_par_mois

    with fichier_atomique(fichier, force=force) as tmp:
        a = annee(ledger, ex)
        mois = evolution_mensuelle(ex, soldes_par_mois(ledger, ex.nom), a.plan)
        pages = ecrire_dossier(tmp, Dossier(a.infos, a.bilan, a.documents, a.anomalies, mois))
    return Export(fichier, ex, nombre_ecritures(ledger, ex.nom), pages=pages)


def _exporter_classeur(ledger: Ledger, ex: Exercice, fichier: Path, force: bool) -> Export:
    from coopcompta.domain.dossier import evolution_mensuelle
    from coopcompta.exports.excel import ColonnesJournal, ecrire_classeur, fichier_atomique
    from coopcompta.storage.evolution import soldes_par_mois
    from coopcompta.storage.export import comptes_du_journal

    with fichier_atomique(fichier, force=force) as tmp:
        a = annee(ledger, ex)
        tresoreries, ventilations = comptes_du_journal(ledger, ex.nom)
        resume = ecrire_classeur(
            tmp,
            plan=a.plan,
            infos=a.infos,
            bilan=a.bilan,
            colonnes=ColonnesJournal.depuis_comptes(a.plan, tresoreries, ventilations),
            ecritures=ledger.ecritures(ex.nom),
            anomalies=a.anomalies,
            documents=a.documents,
            mois=evolution_mensuelle(ex, soldes_par_mois(ledger, ex.nom), a.plan),
        )
    return Export(fichier, ex, resume.ecritures, resume.feuilles)
