"""`coop corriger`: put any recette or dépense of the open exercice on other accounts."""

from __future__ import annotations

from typing import Annotated

import typer

from coopcompta.cli.app import DbOption, ExerciceOption, app
from coopcompta.domain.errors import CoopComptaError
from coopcompta.usecases.comptabilite import ouvrir_ledger


@app.command()
def corriger(
    piece: Annotated[
        str, typer.Argument(metavar="PIÈCE", help="Pièce à corriger.", show_default=False)
    ],
    compte: Annotated[
        list[str] | None,
        typer.Option(
            "--compte",
            metavar="COMPTE=MONTANT",
            help="Nouvelle ventilation COMPTE=MONTANT[:classe], répétable ; un seul COMPTE "
            "sans montant prend tout ; un compte de trésorerie seul en fait un virement interne.",
            show_default=False,
        ),
    ] = None,
    exercice: ExerciceOption = None,
    db: DbOption = None,
) -> None:
    """Corrige les comptes d'une recette ou d'une dépense de l'exercice ouvert.

    Toute la ventilation est remplacée (la pièce, la trésorerie et le lien avec le relevé
    restent) ; l'avant/après est gardé, et les imports suivants apprennent de la correction.
    """
    from coopcompta.domain.ecritures import lire_part
    from coopcompta.usecases.ventiler import corriger_piece, description_correction

    if not compte:
        raise CoopComptaError(
            f"indiquez le compte juste, par ex. coop corriger {piece} --compte 68000008",
            "--compte",
        )
    with ouvrir_ledger(db) as ledger:
        v = corriger_piece(ledger, exercice, piece, [lire_part(c) for c in compte])
    typer.echo(description_correction(v))
