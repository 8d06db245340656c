"""`coop caisse`: the livre de caisse (53 and régies) and `coop caisse compter`, the arrêté."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from coopcompta.cli.app import DbOption, ExerciceOption, app, console
from coopcompta.domain.comptes import COMPTE_CAISSE
from coopcompta.usecases.comptabilite import ouvrir_ledger, plan_du_ledger

if TYPE_CHECKING:
    from rich.console import RenderableType

    from coopcompta.domain.caisse import ArreteDeCaisse, LivreDeCaisse

caisse_app = typer.Typer(
    help="Livre de caisse et arrêté de caisse (comptage des billets et pièces).",
    no_args_is_help=False,
    invoke_without_command=True,
    rich_markup_mode=None,
)
app.add_typer(caisse_app, name="caisse")

CompteCaisseOption = Annotated[
    str | None,
    typer.Option(
        "--compte", metavar="COMPTE", help="Caisse (53) ou régie (5411…) ; défaut : toutes."
    ),
]


@caisse_app.callback()
def livre(
    ctx: typer.Context,
    db: DbOption = None,
    exercice: ExerciceOption = None,
    compte: CompteCaisseOption = None,
) -> None:
    """Livre de caisse : solde d'ouverture, chaque mouvement avec le solde, solde de clôture.

    Pour la caisse 53 et chaque régie. `coop caisse compter` enregistre l'arrêté de caisse.
    """
    if ctx.invoked_subcommand is not None:
        # `coop caisse --db X compter`: the group's options hold for the subcommand too.
        ctx.obj = {"db": db, "exercice": exercice}
        return
    from coopcompta.usecases.caisse import livres

    with ouvrir_ledger(db) as ledger:
        tous = livres(ledger, exercice, plan_du_ledger(ledger))
    out = console()
    choisis = [lv for lv in tous if compte is None or lv.compte == compte]
    if not choisis:
        from coopcompta.domain.errors import SaisieInvalide

        connus = ", ".join(lv.compte for lv in tous)
        raise SaisieInvalide(f"pas de caisse {compte} (caisses : {connus})", "--compte")
    for lv in choisis:
        for bloc in rendu_livre(lv):
            out.print(bloc)


def rendu_livre(lv: LivreDeCaisse) -> list[RenderableType]:
    from coopcompta.cli.render import Colonne, style, tableau
    from coopcompta.domain.money import formater_euros

    lignes: list[list[object]] = [["", "", "Solde d'ouverture", None, None, lv.ouverture]]
    for m in lv.mouvements:
        lignes.append(
            [
                m.piece or "",
                f"{m.date:%d/%m/%Y}",
                m.libelle,
                m.montant if m.montant > 0 else None,
                -m.montant if m.montant < 0 else None,
                m.solde,
            ]
        )
    blocs: list[RenderableType] = [
        tableau(
            [
                Colonne("Pièce", no_wrap=True),
                Colonne("Date", no_wrap=True),
                Colonne("Libellé"),
                Colonne("Entrée", montant=True),
                Colonne("Sortie", montant=True),
                Colonne("Solde", montant=True),
            ],
            lignes,
            titre=f"Livre de caisse — {lv.compte} {lv.libelle}",
            totaux=[["", "", "Totaux et solde de clôture", lv.entrees, lv.sorties, lv.cloture]],
        )
    ]
    if lv.minimum < 0:
        blocs.append(
            style(
                f"La caisse est passée à {formater_euros(lv.minimum)} : une caisse ne peut pas "
                "être négative ; cherchez l'écriture mal saisie.",
                "bold red",
            )
        )
    return blocs


@caisse_app.command()
def compter(
    ctx: typer.Context,
    comptage: Annotated[
        list[str],
        typer.Argument(
            metavar="VALEUR=NOMBRE…",
            help="Billets et pièces comptés, ex. 20=3 5=1 2=4 0,50=6 (50c=6 aussi).",
            show_default=False,
        ),
    ],
    par: Annotated[str, typer.Option("--par", metavar="NOM", help="Qui a compté la caisse.")],
    db: DbOption = None,
    exercice: ExerciceOption = None,
    compte: Annotated[
        str, typer.Option("--compte", metavar="COMPTE", help="Caisse comptée (défaut : 53).")
    ] = COMPTE_CAISSE,
    date: Annotated[
        str | None,
        typer.Option("--date", metavar="JJ/MM/AAAA", help="Date du comptage (défaut : 31 août)."),
    ] = None,
) -> None:
    """Arrêté de caisse : compte les billets et pièces et compare avec le livre."""
    from coopcompta.domain.ecritures import lire_date
    from coopcompta.usecases.caisse import arreter

    du_groupe = ctx.obj if isinstance(ctx.obj, dict) else {}
    db = db if db is not None else du_groupe.get("db")
    exercice = exercice if exercice is not None else du_groupe.get("exercice")
    with ouvrir_ledger(db) as ledger:
        a = arreter(
            ledger,
            comptage,
            par,
            compte,
            lire_date(date, "--date") if date is not None else None,
            exercice,
        )
    out = console()
    for bloc in rendu_arrete(a):
        out.print(bloc)


def rendu_arrete(a: ArreteDeCaisse) -> list[RenderableType]:
    from coopcompta.cli.render import Colonne, balise, tableau
    from coopcompta.domain.caisse import COUPURES, nom_coupure
    from coopcompta.domain.money import formater_euros

    lignes = [
        [nom_coupure(v), str(a.quantites[v]), v * a.quantites[v]]
        for v in COUPURES
        if a.quantites.get(v)
    ]
    blocs: list[RenderableType] = [
        tableau(
            [Colonne("Coupure"), Colonne("Nombre", montant=True), Colonne("Montant", montant=True)],
            lignes,
            titre=f"Arrêté de caisse {a.compte} au {a.date:%d/%m/%Y}, compté par {a.par}",
            totaux=[["Total compté", None, a.total], ["Solde du livre", None, a.solde_livre]],
        )
    ]
    if a.ecart == 0:
        blocs.append(balise("Écart : [bold green]0,00 €[/bold green] — la caisse est juste."))
    else:
        quoi = "de plus" if a.ecart > 0 else "de moins"
        blocs.append(
            balise(
                f"Écart : [bold red]{formater_euros(a.ecart)}[/bold red] "
                f"({formater_euros(abs(a.ecart))} {quoi} que le livre). Expliquez-le par une "
                "écriture (une recette ou une dépense oubliée, ou en 671/771 pour une erreur "
                "de caisse) avant de clôturer, puis recomptez."
            )
        )
    blocs.append("Arrêté enregistré.")
    return blocs
