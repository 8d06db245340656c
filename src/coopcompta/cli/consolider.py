"""`coop consolider`: the departmental association's view of many cooperatives' books."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coopcompta.cli.app import ExerciceOption, app, console, verifier_format
from coopcompta.cli.bilan import (
    PlanJournauxOption,
    ProcessusOption,
    ToleranceEurosOption,
    TolerancePartOption,
)
from coopcompta.domain.errors import CoopComptaError, DonneesInutilisables

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from coopcompta.domain.consolidation import LigneCooperative, Totaux
    from coopcompta.usecases.consolider import Consolidation

LIGNES_PAR_TABLEAU = 100  # the list is printed in slices: memory stays flat
LARGEURS = {"resultat": 10, "tresorerie": 10, "exceptionnel": 9}


@app.command()
def consolider(
    fichiers: Annotated[
        list[Path],
        typer.Argument(
            metavar="FICHIER|DOSSIER...",
            help="Comptabilités (.db) et journaux CSV des coopératives, ou dossiers qui en "
            "contiennent.",
            show_default=False,
        ),
    ],
    exercice: ExerciceOption = None,
    format: Annotated[
        str,
        typer.Option("--format", "-f", metavar="FORMAT", help="Sortie : table ou json."),
    ] = "table",
    export: Annotated[
        Path | None,
        typer.Option(
            "--export",
            metavar="FICHIER.xlsx",
            help="Écrit aussi le classeur de l'association départementale (liste, totaux, "
            "anomalies).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Remplacer le classeur s'il existe déjà.")
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Les avertissements mettent aussi la coopérative à regarder."
        ),
    ] = False,
    tolerance_euros: ToleranceEurosOption = None,
    tolerance_part: TolerancePartOption = None,
    plan: PlanJournauxOption = None,
    processus: ProcessusOption = 0,
) -> None:
    """Réunit les comptes de nombreuses coopératives d'un même exercice (vue de l'AD).

    Une ligne par coopérative (résultat, trésorerie, solde exceptionnel, erreurs et
    avertissements de `coop verifier`), celles à regarder en premier ; les totaux par
    rubrique de toutes les coopératives. Un fichier illisible, d'un autre exercice ou
    d'une coopérative déjà comptée est écarté et nommé. Code de sortie : 0 si rien n'est
    à regarder, 1 si une coopérative est à regarder, 2 si un fichier a été écarté.
    """
    from coopcompta.usecases.consolider import consolidation
    from coopcompta.usecases.controle import Reglages

    reglages = Reglages(exercice, tolerance_euros, tolerance_part, plan)
    try:
        fmt = verifier_format(format, ("table", "json"))
        reglages.valider()
    except CoopComptaError as exc:
        raise DonneesInutilisables(exc.message, exc.ou) from None
    with consolidation(fichiers, reglages, strict, processus, export, force) as resultat:
        _afficher(resultat, fmt, export)
        code = resultat.code_sortie()
    raise typer.Exit(code)


def _afficher(r: Consolidation, fmt: str, export: Path | None = None) -> None:
    from coopcompta.domain.consolidation import DOUBLON

    for e in r.inputs_ecartes():
        typer.echo(f"{'Attention' if e.genre == DOUBLON else 'Erreur'} : {e.place()}", err=True)
    if fmt == "json":
        _json(r)
    elif export is None:
        out = console()
        out.print(_entete(r))
        for bloc in _tables_liste(r.cooperatives(), out):
            out.print(bloc)
        out.print(_table_totaux(r.totaux))
    else:
        console().print(_entete(r))
    if export is not None:
        n, feuilles = len(r.feuilles), ", ".join(r.feuilles)
        typer.echo(f"{export} : classeur de {n} feuilles ({feuilles}).", err=fmt == "json")


def _entete(r: Consolidation) -> Text:
    from rich.text import Text

    from coopcompta.cli.render import pluriel

    t = r.totaux
    texte = Text.assemble(
        (f"Consolidation de l'exercice {r.exercice or '—'}", "bold"),
        f" : {pluriel(t.cooperatives, 'coopérative', 'coopératives')}, ",
        (f"{t.a_regarder} à regarder", f"bold {'red' if t.a_regarder else 'green'}"),
    )
    if r.ecartees:
        texte.append(", ")
        texte.append(pluriel(r.ecartees, "fichier écarté", "fichiers écartés"), "bold red")
    texte.append(".")
    return texte


def _json(r: Consolidation) -> None:
    """The document, written as the rows come back: one cooperative per line."""
    typer.echo("{")
    typer.echo(f'  "exercice": {json.dumps(r.exercice)},')
    typer.echo('  "cooperatives": [', nl=False)
    premiere = True
    for ligne in r.cooperatives():
        typer.echo(("\n    " if premiere else ",\n    "), nl=False)
        typer.echo(json.dumps(ligne.vers_json(), ensure_ascii=False), nl=False)
        premiere = False
    typer.echo("\n  ]," if not premiere else "],")
    typer.echo('  "ecartes": [', nl=False)
    premiere = True
    for e in r.inputs_ecartes():
        typer.echo(("\n    " if premiere else ",\n    "), nl=False)
        typer.echo(json.dumps(e.vers_json(), ensure_ascii=False), nl=False)
        premiere = False
    typer.echo("\n  ]," if not premiere else "],")
    totaux = json.dumps(r.totaux.vers_json(), ensure_ascii=False, indent=2)
    typer.echo('  "totaux": ' + totaux.replace("\n", "\n  "))
    typer.echo("}")


def _table_vide(titre: Text | None, entetes: bool) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(
        title=titre,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        header_style="bold",
        show_header=entetes,
        pad_edge=False,
        collapse_padding=True,
        expand=True,
    )
    table.add_column("Coopérative", ratio=1, overflow="fold")
    for titre_colonne, cle in (
        ("Résultat", "resultat"),
        ("Trésorerie", "tresorerie"),
        ("Except.", "exceptionnel"),
    ):
        table.add_column(titre_colonne, justify="right", no_wrap=True, width=LARGEURS[cle])
    return table


def _tables_liste(lignes: Iterable[LigneCooperative], out: Console) -> Iterator[object]:
    """The list in slices of LIGNES_PAR_TABLEAU rows with the same columns: to look at, then the
    others. Each cooperative: name and OCCE number, its file, its errors and warnings and
    why to look at it; then résultat, treasury and exceptional balance."""
    from rich.text import Text

    from coopcompta.cli.render import pluriel
    from coopcompta.domain.money import formater_euros

    section: bool | None = None
    table: Table | None = None
    n = 0
    for ligne in lignes:
        if ligne.a_regarder is not section or n == LIGNES_PAR_TABLEAU:
            if table is not None:
                yield table
            titre = None
            if ligne.a_regarder is not section:
                titre = "À regarder en premier" if ligne.a_regarder else "Sans erreur"
            table = _table_vide(
                Text(f"\n{titre}", "bold underline") if titre else None, titre is not None
            )
            section, n = ligne.a_regarder, 0
        assert table is not None
        nom = Text(ligne.nom, "bold")
        if ligne.numero_occe:
            nom.append(f"\nn° {ligne.numero_occe} · ")
        else:
            nom.append("\n")
        nom.append(ligne.fichier, "dim")
        comptes = [
            pluriel(n, un, plusieurs)
            for n, un, plusieurs in (
                (ligne.erreurs, "erreur", "erreurs"),
                (ligne.avertissements, "avertissement", "avertissements"),
            )
            if n
        ]
        if comptes:
            nom.append("\n" + ", ".join(comptes), "bold red" if ligne.a_regarder else "yellow")
            if ligne.motifs:
                nom.append(" : " + ", ".join(ligne.motifs), "red")
        exceptionnel = Text(
            formater_euros(ligne.solde_exceptionnel, symbole=False),
            "" if ligne.exceptionnel_ok else "bold red",
        )
        table.add_row(
            nom,
            formater_euros(ligne.resultat, symbole=False),
            formater_euros(ligne.tresorerie, symbole=False),
            exceptionnel,
        )
        n += 1
    if table is not None:
        yield table
    yield Text("Except. : solde exceptionnel (en rouge : hors tolérance).", "dim")


def _table_totaux(t: Totaux) -> Table:
    from rich.text import Text

    from coopcompta.cli.render import Colonne, tableau

    lignes: list[list[object]] = []
    for titre, montants, nombres, libelle, total in (
        ("Dépenses", t.depenses, t.nb_depenses, "Total des dépenses", t.total_depenses),
        ("Recettes", t.recettes, t.nb_recettes, "Total des recettes", t.total_recettes),
    ):
        lignes.append([Text(titre, "bold"), None, None])
        for rubrique, montant in montants.items():
            lignes.append([f"  {rubrique}", montant, str(nombres[rubrique])])
        lignes.append([Text(f"  {libelle}", "italic"), total, None])
    table = tableau(
        [Colonne("Rubrique"), Colonne("Montant", montant=True), Colonne("Coop.", montant=True)],
        lignes,
        titre=Text(f"\nTotaux des {t.cooperatives} coopératives", "bold underline"),
        totaux=[
            ["Résultat cumulé (recettes − dépenses)", t.resultat, None],
            ["Trésorerie cumulée en fin d'exercice", t.tresorerie, None],
            ["Charges exceptionnelles", t.charges_exceptionnelles, None],
            ["Produits exceptionnels", t.produits_exceptionnels, None],
            ["Coopératives à l'exceptionnel hors tolérance", None, str(t.hors_tolerance)],
        ],
    )
    table.title_justify = "left"
    return table
