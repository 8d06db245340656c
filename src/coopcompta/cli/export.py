"""`coop export`: the year-end workbook (.xlsx) or the journal in CSV (.csv)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coopcompta.cli.app import DbOption, ExerciceOption, app
from coopcompta.usecases.comptabilite import ouvrir_ledger


@app.command()
def export(
    fichier: Annotated[
        Path,
        typer.Argument(
            metavar="FICHIER",
            help="Fichier à écrire : .xlsx pour le classeur de fin d'année, "
            ".pdf pour le dossier à imprimer et signer (compte rendu financier, "
            "graphiques, quitus), .csv pour le journal (relisible par coop saisie --fichier).",
            show_default=False,
        ),
    ],
    exercice: ExerciceOption = None,
    db: DbOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Remplacer le fichier s'il existe déjà.")
    ] = False,
) -> None:
    """Exporte l'exercice : classeur Excel, dossier PDF à signer ou journal CSV."""
    from coopcompta.usecases.export import exporter, sorte_d_export

    sorte_d_export(fichier)  # a wrong extension is said before the ledger is opened
    with ouvrir_ledger(db) as ledger:
        fait = exporter(ledger, fichier, exercice, force=force)
    if fait.pages:
        quoi = f"dossier de fin d'exercice de {fait.pages} pages"
    elif fait.feuilles:
        quoi = f"classeur de {len(fait.feuilles)} feuilles ({', '.join(fait.feuilles)})"
    else:
        quoi = "journal CSV"
    n = fait.ecritures
    pluriel = "s" if n > 1 else ""
    typer.echo(f"{fichier} : {quoi}, exercice {fait.exercice.nom}, {n} écriture{pluriel}.")
