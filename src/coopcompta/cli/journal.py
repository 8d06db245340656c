"""`coop journal`: the écritures of an exercice, as a table, JSON or journal CSV."""

from __future__ import annotations

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
from coopcompta.usecases.comptabilite import ouvrir_ledger, plan_du_ledger


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
    format: FormatOption = "table",
) -> None:
    """Affiche les écritures de l'exercice (filtres par mois, compte, classe).

    --format json ou csv pour les scripts ; le CSV est le format journal que relit
    `coop saisie --fichier`.
    """
    import json

    from coopcompta.cli.render import table_journal
    from coopcompta.domain.ecritures import ecriture_json
    from coopcompta.exports.journal_csv import ecrire_journal

    fmt = verifier_format(format)
    if mois is not None and not 1 <= mois <= 12:
        raise CoopComptaError(f"mois invalide « {mois} » (attendu : 1 à 12)", "--mois")
    ledger = ouvrir_ledger(db)
    ex = ledger.exercice(exercice)
    numero = plan_du_ledger(ledger).compte(compte, "--compte").numero if compte else None
    ecritures = ledger.ecritures(ex.nom, mois=mois, compte=numero, classe=classe)
    pieces: dict[int, str | None] = {}

    def piece_de(ecriture_id: int) -> str | None:
        if ecriture_id not in pieces:
            e = ledger.ecriture(ecriture_id)
            pieces[ecriture_id] = e.piece if e else None
        return pieces[ecriture_id]

    if fmt == "csv":
        ecrire_journal(ecritures, sys.stdout, piece_de)
    elif fmt == "json":
        sys.stdout.write("[")
        n = 0
        for n, e in enumerate(ecritures, 1):
            if e.id is not None:
                pieces[e.id] = e.piece
            annule = piece_de(e.annule) if e.annule is not None else None
            objet = json.dumps(ecriture_json(e, annule), ensure_ascii=False)
            sys.stdout.write(("\n  " if n == 1 else ",\n  ") + objet)
        sys.stdout.write("\n]\n" if n else "]\n")
    else:
        filtres = [
            f"mois {mois}" if mois else "",
            f"compte {numero}" if numero else "",
            f"classe {classe}" if classe else "",
        ]
        titre = " — ".join(["Journal " + ex.nom, *(f for f in filtres if f)])
        console().print(table_journal(ecritures, titre, compte=numero, classe=classe))
