"""`coop journal`: the écritures of an exercice, as a table, JSON or journal CSV."""

from __future__ import annotations

import shutil
import sys
from typing import Annotated

import typer

from coopcompta.cli.app import (
    DbOption,
    ExerciceOption,
    FormatOption,
    app,
    console,
    verifier_format,
)
from coopcompta.domain.errors import CoopComptaError
from coopcompta.usecases.comptabilite import ouvrir_ledger

# Narrower than this, the journal prints as plain text with the mode and accounts under
# the libellé (cli/journal_texte); side by side they would leave the libellé a few
# characters.
LARGEUR_JOURNAL_COMPLET = 120


@app.command()
def journal(
    db: DbOption = None,
    exercice: ExerciceOption = None,
    mois: Annotated[
        int | None, typer.Option("--mois", metavar="MOIS", help="Mois (1 à 12).")
    ] = None,
    compte: Annotated[
        str | None,
        typer.Option(
            "--compte",
            metavar="COMPTE",
            help="Seulement les écritures touchant ce compte ; le tableau ne compte que ses "
            "lignes (ses totaux sont ceux de `coop bilan`), le JSON et le CSV donnent les "
            "écritures entières.",
        ),
    ] = None,
    classe: Annotated[
        str | None,
        typer.Option(
            "--classe",
            metavar="CLASSE",
            help="Seulement les écritures de cette classe ou projet ; le tableau ne compte que "
            "ses lignes (ses totaux sont ceux de `coop bilan`), le JSON et le CSV donnent les "
            "écritures entières.",
        ),
    ] = None,
    texte: Annotated[
        str | None,
        typer.Option(
            "--texte",
            "-t",
            metavar="MOTS",
            help="Seulement les écritures contenant tous ces mots (libellé, pièce, chèque, "
            "comptes, classes ; majuscules et accents ignorés).",
        ),
    ] = None,
    montant: Annotated[
        str | None,
        typer.Option(
            "--montant", metavar="MONTANT", help="Montant de l'écriture ou d'une de ses lignes."
        ),
    ] = None,
    cheque: Annotated[
        str | None, typer.Option("--cheque", metavar="NUMÉRO", help="Numéro de chèque.")
    ] = None,
    pieces: Annotated[
        str | None,
        typer.Option("--pieces", metavar="DE-À", help="Plage de pièces, par ex. 12-20 ou R3-R9."),
    ] = None,
    du: Annotated[
        str | None,
        typer.Option("--du", metavar="DATE", help="À partir de cette date (16/09 ou 16/09/2025)."),
    ] = None,
    au: Annotated[
        str | None, typer.Option("--au", metavar="DATE", help="Jusqu'à cette date incluse.")
    ] = None,
    format: FormatOption = "table",
) -> None:
    """Affiche les écritures de l'exercice, ou celles que l'on cherche.

    Filtres : mois, compte, classe, mots (--texte), montant, chèque, plage de pièces,
    dates (--du, --au) ; ils se cumulent.

    --format json ou csv pour les scripts ; le CSV est le format journal que relit
    `coop saisie --fichier`.
    """
    import json

    from coopcompta.cli.journal_texte import ecrire_journal_texte
    from coopcompta.domain.ecritures import ecriture_json
    from coopcompta.usecases.journal import Journal, consulter_journal, ecrire_journal_csv

    fmt = verifier_format(format)
    if mois is not None and not 1 <= mois <= 12:
        raise CoopComptaError(f"mois invalide « {mois} » (attendu : 1 à 12)", "--mois")
    with ouvrir_ledger(db) as ledger:

        def consulter() -> Journal:
            return consulter_journal(
                ledger,
                exercice,
                mois=mois,
                compte=compte,
                classe=classe,
                texte=texte,
                montant=montant,
                cheque=cheque,
                pieces=pieces,
                du=du,
                au=au,
            )

        journal = consulter()
        if fmt == "csv":
            ecrire_journal_csv(journal, sys.stdout)
        elif fmt == "json":
            sys.stdout.write("[")
            n = 0
            for n, e in enumerate(journal.ecritures, 1):
                objet = json.dumps(ecriture_json(e, journal.piece_annulee(e)), ensure_ascii=False)
                sys.stdout.write(("\n  " if n == 1 else ",\n  ") + objet)
            sys.stdout.write("\n]\n" if n else "]\n")
        else:
            numero = journal.compte
            filtres = [
                f"mois {mois}" if mois else "",
                f"compte {numero}" if numero else "",
                f"classe {classe}" if classe else "",
                f"« {texte} »" if texte else "",
                f"montant {montant}" if montant else "",
                f"chèque {cheque}" if cheque else "",
                f"pièces {pieces}" if pieces else "",
                f"du {du}" if du else "",
                f"au {au}" if au else "",
            ]
            titre = " — ".join(["Journal " + journal.exercice.nom, *(f for f in filtres if f)])
            largeur = shutil.get_terminal_size().columns
            if largeur < LARGEUR_JOURNAL_COMPLET:
                # Read twice (columns, then rows) rather than held in memory.
                ecrire_journal_texte(
                    lambda: consulter().ecritures,
                    sys.stdout,
                    titre,
                    compte=numero,
                    classe=classe,
                    largeur=largeur,
                )
                return
            from coopcompta.cli.render import table_journal

            console().print(table_journal(journal.ecritures, titre, compte=numero, classe=classe))
