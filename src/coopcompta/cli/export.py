"""`coop export`: the year-end workbook (.xlsx) or the journal in CSV (.csv)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coopcompta.cli.app import DbOption, ExerciceOption, app
from coopcompta.domain.errors import CoopComptaError
from coopcompta.usecases.comptabilite import ouvrir_ledger, plan_du_ledger

if TYPE_CHECKING:
    from coopcompta.domain.model import Exercice
    from coopcompta.exports.excel import Resume
    from coopcompta.storage import Ledger

EXTENSIONS = (".xlsx", ".csv")


@app.command()
def export(
    fichier: Annotated[
        Path,
        typer.Argument(
            metavar="FICHIER",
            help="Fichier à écrire : .xlsx pour le classeur de fin d'année, "
            ".csv pour le journal (relisible par coop saisie --fichier).",
            show_default=False,
        ),
    ],
    exercice: ExerciceOption = None,
    db: DbOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Remplacer le fichier s'il existe déjà.")
    ] = False,
) -> None:
    """Exporte l'exercice : classeur Excel (bilan, journal, contrôles) ou journal CSV."""
    extension = fichier.suffix.lower()
    if extension not in EXTENSIONS:
        raise CoopComptaError(
            f"extension inconnue « {fichier.suffix or '(aucune)'} » : "
            "choisissez .xlsx (classeur) ou .csv (journal)",
            str(fichier),
        )
    with ouvrir_ledger(db) as ledger:
        ex = ledger.exercice(exercice)
        if extension == ".xlsx":
            resume = _exporter_classeur(ledger, ex, fichier, force)
            quoi = f"classeur de {len(resume.feuilles)} feuilles ({', '.join(resume.feuilles)})"
            n = resume.ecritures
        else:
            n = _exporter_journal(ledger, ex, fichier, force)
            quoi = "journal CSV"
    pluriel = "s" if n > 1 else ""
    typer.echo(f"{fichier} : {quoi}, exercice {ex.nom}, {n} écriture{pluriel}.")


def _exporter_journal(ledger: Ledger, ex: Exercice, fichier: Path, force: bool) -> int:
    from coopcompta.exports.excel import fichier_atomique
    from coopcompta.exports.journal_csv import ecrire_journal

    def piece_de(ecriture_id: int) -> str | None:
        e = ledger.ecriture(ecriture_id)
        return e.piece if e else None

    with (
        fichier_atomique(fichier, force=force) as tmp,
        tmp.open("w", encoding="utf-8", newline="") as f,
    ):
        return ecrire_journal(ledger.ecritures(ex.nom), f, piece_de)


def _exporter_classeur(ledger: Ledger, ex: Exercice, fichier: Path, force: bool) -> Resume:
    import datetime as dt

    from coopcompta import __version__
    from coopcompta.exports.excel import (
        ColonnesJournal,
        Informations,
        ecrire_classeur,
        fichier_atomique,
    )
    from coopcompta.storage.export import comptes_du_journal
    from coopcompta.usecases.bilan import charger_bilan, tolerance_de
    from coopcompta.usecases.verifier import verifier_ledger

    # The target is checked before the (long) computation; nothing is written until the end.
    with fichier_atomique(fichier, force=force) as tmp:
        plan = plan_du_ledger(ledger)
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
            comptabilite=str(ledger.path.resolve()),
        )
        tresoreries, ventilations = comptes_du_journal(ledger, ex.nom)
        return ecrire_classeur(
            tmp,
            plan=plan,
            infos=infos,
            bilan=bilan,
            colonnes=ColonnesJournal.depuis_comptes(plan, tresoreries, ventilations),
            ecritures=ledger.ecritures(ex.nom),
            anomalies=verification.anomalies,
        )
