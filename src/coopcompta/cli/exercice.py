"""`coop exercices` and `coop nouvel-exercice`: list the years, open the next one."""

from __future__ import annotations

from typing import Annotated

import typer

from coopcompta.cli.app import DbOption, app, confirmer, console
from coopcompta.usecases.comptabilite import ouvrir_ledger


@app.command()
def exercices(db: DbOption = None) -> None:
    """Liste les exercices de la comptabilité (le dernier est l'exercice ouvert)."""
    from coopcompta.usecases.cloture import lister_exercices

    with ouvrir_ledger(db) as ledger:
        etats = lister_exercices(ledger)
    out = console()
    for etat in etats:
        ex = etat.exercice
        out.print(
            f"{ex.nom}  du {ex.debut:%d/%m/%Y} au {ex.fin:%d/%m/%Y}  "
            + ("clôturé" if etat.cloture else "ouvert")
        )


@app.command("nouvel-exercice")
def nouvel_exercice(
    db: DbOption = None,
    oui: Annotated[bool, typer.Option("--oui", help="Ne pas demander de confirmation.")] = False,
    forcer: Annotated[
        bool,
        typer.Option(
            "--forcer",
            help="Clôturer même avant le 31 août ou malgré les erreurs de `coop verifier`.",
        ),
    ] = False,
) -> None:
    """Clôture l'exercice ouvert et ouvre le suivant (soldes de trésorerie en report à nouveau)."""
    from coopcompta.domain.money import format_euros
    from coopcompta.usecases.cloture import cloturer, preparer_cloture

    with ouvrir_ledger(db) as ledger:
        cloture = preparer_cloture(ledger, forcer=forcer)
        out = console()
        ancien, nouveau = cloture.ancien, cloture.nouveau
        out.print(f"Clôture de l'exercice {ancien.nom} ; ouverture de {nouveau.nom} avec :")
        for compte, montant in cloture.ouvertures.items():
            out.print(f"  Report à nouveau {compte} : {format_euros(montant)}")
        if not oui and not confirmer("Confirmer la clôture ?", defaut=False):
            raise typer.Abort()
        cloturer(ledger, cloture)
        bornes = f"du {nouveau.debut:%d/%m/%Y} au {nouveau.fin:%d/%m/%Y}"
        out.print(f"Exercice {nouveau.nom} ouvert ({bornes}).")
