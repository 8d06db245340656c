"""`coop exercices` and `coop nouvel-exercice`: list the years, open the next one."""

from __future__ import annotations

from typing import Annotated

import typer

from coopcompta.cli.app import DbOption, app, confirmer, console
from coopcompta.domain.errors import CoopComptaError
from coopcompta.usecases.comptabilite import ouvrir_ledger, plan_du_ledger


@app.command()
def exercices(db: DbOption = None) -> None:
    """Liste les exercices de la comptabilité (le dernier est l'exercice ouvert)."""
    from coopcompta.storage.exercices import est_cloture

    with ouvrir_ledger(db) as ledger:
        out = console()
        for ex in ledger.exercices():
            etat = "clôturé" if est_cloture(ledger, ex.nom) else "ouvert"
            out.print(f"{ex.nom}  du {ex.debut:%d/%m/%Y} au {ex.fin:%d/%m/%Y}  {etat}")


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
    import datetime as dt

    from coopcompta.domain.cloture import objections, reports_a_nouveau
    from coopcompta.domain.model import Exercice
    from coopcompta.domain.money import format_euros
    from coopcompta.storage.exercices import ouvrir_exercice_suivant
    from coopcompta.usecases.verifier import verifier_ledger

    with ouvrir_ledger(db) as ledger:
        plan = plan_du_ledger(ledger)
        ancien = ledger.exercice()
        nouveau = Exercice.commencant(ancien.debut.year + 1)
        soldes = ledger.soldes(ancien.nom)
        attente = soldes.get("471")
        if attente:
            raise CoopComptaError(
                f"{format_euros(abs(attente))} restent à ventiler sur le compte 471 : classez-les "
                "avant de clôturer (`coop ventiler`)",
                ancien.nom,
            )
        raisons = objections(
            ancien, dt.date.today(), verifier_ledger(ledger, ancien.nom, plan).anomalies
        )
        if raisons and not forcer:
            details = "".join(f"\n  - {r}" for r in raisons)
            raise CoopComptaError(
                f"clôture refusée :{details}\nCorrigez d'abord (voir `coop verifier`), "
                "ou relancez avec --forcer.",
                ancien.nom,
            )
        ouvertures = reports_a_nouveau(soldes, plan)
        out = console()
        out.print(f"Clôture de l'exercice {ancien.nom} ; ouverture de {nouveau.nom} avec :")
        for compte, montant in ouvertures.items():
            out.print(f"  Report à nouveau {compte} : {format_euros(montant)}")
        if not oui and not confirmer("Confirmer la clôture ?", defaut=False):
            raise typer.Abort()
        ouvrir_exercice_suivant(ledger, ancien, nouveau, ouvertures)
        bornes = f"du {nouveau.debut:%d/%m/%Y} au {nouveau.fin:%d/%m/%Y}"
        out.print(f"Exercice {nouveau.nom} ouvert ({bornes}).")
