"""`coop exercices` and `coop nouvel-exercice`: list the years, open the next one."""

from __future__ import annotations

from typing import Annotated

import typer

from coopcompta.cli.app import DbOption, app, confirmer, console, rien_modifie
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
        str | None,
        typer.Option(
            "--forcer",
            metavar="RAISON",
            help="Clôturer malgré ce qui manque (31 août pas passé, erreurs de `coop verifier`, "
            "rapprochement ou arrêté de caisse absent) ; la raison est gardée et imprimée.",
        ),
    ] = None,
) -> None:
    """Clôture l'exercice ouvert, le scelle et ouvre le suivant (soldes en report à nouveau).

    Il faut le rapprochement bancaire au 31 août et l'arrêté de caisse (ou --forcer "raison").
    L'exercice clos est scellé (chaîne SHA-256) : `coop verifier` signale toute écriture
    modifiée, supprimée ou ajoutée ensuite hors de coopcompta.
    """
    from coopcompta.domain.money import formater_euros
    from coopcompta.usecases.cloture import cloturer, preparer_cloture

    with ouvrir_ledger(db) as ledger:
        cloture = preparer_cloture(ledger, forcer=forcer)
        out = console()
        ancien, nouveau = cloture.ancien, cloture.nouveau
        out.print(f"Clôture de l'exercice {ancien.nom} ; ouverture de {nouveau.nom} avec :")
        for compte, montant in cloture.ouvertures.items():
            out.print(f"  Report à nouveau {compte} : {formater_euros(montant)}")
        if cloture.avertissements:
            out.print("Avertissements de `coop verifier` :")
            for a in cloture.avertissements:
                out.print(f"  ! {a}")
        if cloture.raison:
            out.print(f"Clôture forcée ({cloture.raison}) malgré :")
            for r in cloture.objections:
                out.print(f"  - {r}")
        if not oui and not confirmer("Confirmer la clôture ?", defaut=False):
            rien_modifie()
        cloturer(ledger, cloture)
        bornes = f"du {nouveau.debut:%d/%m/%Y} au {nouveau.fin:%d/%m/%Y}"
        out.print(f"Exercice {ancien.nom} clôturé et scellé.")
        out.print(f"Exercice {nouveau.nom} ouvert ({bornes}).")
