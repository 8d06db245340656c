"""`coop regles`: the categorisation rules `coop import` applies, listed; one removed."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from coopcompta.cli.app import DbOption, app, verifier_format
from coopcompta.usecases.comptabilite import ouvrir_ledger


@app.command()
def regles(
    supprimer: Annotated[
        int | None,
        typer.Option(
            "--supprimer",
            metavar="N",
            help="Retirer la règle n° N (voir la liste).",
            show_default=False,
        ),
    ] = None,
    fichier: Annotated[
        Path | None,
        typer.Option(
            "--regles",
            metavar="REGLES.yaml",
            help="Fichier de règles (défaut : celui que coop import utilise).",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        str, typer.Option("--format", "-f", metavar="table|json", help="Sortie : table ou json.")
    ] = "table",
    db: DbOption = None,
) -> None:
    """Liste les règles de catégorisation (dont « toujours ce compte ») ; en retire une."""
    from coopcompta.usecases.regles import regles_du_ledger, retirer_regle

    fmt = verifier_format(format, ("table", "json"))

    def avertir(message: str) -> None:
        typer.echo(f"Attention : {message}", err=True)

    with ouvrir_ledger(db) as ledger:
        if supprimer is not None:
            chemin, r = retirer_regle(ledger, fichier, supprimer, avertir)
            typer.echo(
                f"Règle n° {r.numero} « {r.nom} » ({r.motif} → {r.comptes}) retirée de {chemin}."
            )
            return
        chemin, liste = regles_du_ledger(ledger, fichier, avertir)
    if fmt == "json":
        typer.echo(json.dumps([asdict(r) for r in liste], ensure_ascii=False, indent=2))
        return
    if not liste:
        typer.echo(f"Aucune règle ({chemin}).")
        return
    typer.echo(f"Règles de {chemin} (appliquées dans cet ordre) :")
    for r in liste:
        filtres = f" [{r.filtres}]" if r.filtres else ""
        typer.echo(f"{r.numero:>3}. {r.nom} : « {r.motif} » → {r.comptes}{filtres}")
