"""`coop subventions` and `coop inventaire`: the registers, listed and completed by pièce."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from coopcompta.cli.app import DbOption, ExerciceOption, app, console
from coopcompta.usecases.comptabilite import ouvrir_ledger

if TYPE_CHECKING:
    from rich.table import Table

    from coopcompta.domain.registres import BienDurable, Subvention

subventions_app = typer.Typer(
    help="Tableau des subventions (comptes 74…) : lister, compléter.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
inventaire_app = typer.Typer(
    help="Cahier d'inventaire des biens durables (68000008) : lister, compléter.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(subventions_app, name="subventions")
app.add_typer(inventaire_app, name="inventaire")

PieceArgument = Annotated[
    str, typer.Argument(metavar="PIECE", help="Pièce de l'écriture.", show_default=False)
]


def _date(texte: str | None, ou: str):  # type: ignore[no-untyped-def]
    from coopcompta.domain.ecritures import lire_date

    return lire_date(texte, ou) if texte is not None else None


def tableau_subventions(liste_: list[Subvention]) -> Table:
    from rich.markup import escape

    from coopcompta.cli.render import Colonne, balise, tableau

    return tableau(
        [
            Colonne("Pièce", no_wrap=True),
            Colonne("Date", no_wrap=True),
            Colonne("Financeur"),
            Colonne("Objet"),
            Colonne("Justificatif"),
            Colonne("Montant", montant=True),
            Colonne("Utilisé", montant=True),
        ],
        [
            [
                s.piece or "",
                f"{s.date:%d/%m/%Y}",
                s.financeur or balise(f"[yellow]à compléter[/yellow] ({escape(s.libelle[:30])})"),
                s.objet + (f" (décision du {s.decision:%d/%m/%Y})" if s.decision else ""),
                s.justificatif or balise("[yellow]à compléter[/yellow]"),
                s.montant,
                s.utilise,
            ]
            for s in liste_
        ],
        titre="Tableau des subventions",
        totaux=[["", "", "Total", "", "", sum((s.montant for s in liste_), 0), None]],
    )


def tableau_inventaire(liste_: list[BienDurable]) -> Table:

    from coopcompta.cli.render import Colonne, balise, tableau

    return tableau(
        [
            Colonne("Pièce", no_wrap=True),
            Colonne("Acquis le", no_wrap=True),
            Colonne("Bien"),
            Colonne("Lieu"),
            Colonne("Sorti le", no_wrap=True),
            Colonne("Valeur", montant=True),
        ],
        [
            [
                f"{b.piece or ''} ({b.exercice})",
                f"{b.date:%d/%m/%Y}",
                b.nom,
                b.lieu or balise("[yellow]à compléter[/yellow]"),
                f"{b.sortie:%d/%m/%Y}" if b.sortie else "",
                b.valeur,
            ]
            for b in liste_
        ],
        titre="Cahier d'inventaire",
    )


@subventions_app.command("liste")
def subventions_liste(db: DbOption = None, exercice: ExerciceOption = None) -> None:
    """Les subventions reçues dans l'exercice, avec ce que le trésorier y a ajouté."""
    from coopcompta.usecases.registres import subventions

    with ouvrir_ledger(db) as ledger:
        console().print(tableau_subventions(subventions(ledger, exercice)))


@subventions_app.command("modifier")
def subventions_modifier(
    piece: PieceArgument,
    financeur: Annotated[str | None, typer.Option(metavar="TEXTE", help="Qui l'accorde.")] = None,
    decision: Annotated[
        str | None, typer.Option(metavar="JJ/MM/AAAA", help="Date de la décision.")
    ] = None,
    objet: Annotated[str | None, typer.Option(metavar="TEXTE", help="Pour quoi.")] = None,
    justificatif: Annotated[
        str | None, typer.Option(metavar="TEXTE", help="Référence de la pièce qui la prouve.")
    ] = None,
    utilise: Annotated[
        str | None, typer.Option(metavar="MONTANT", help="Montant déjà utilisé.")
    ] = None,
    db: DbOption = None,
    exercice: ExerciceOption = None,
) -> None:
    """Complète la ligne d'une subvention (financeur, décision, objet, justificatif, utilisé)."""
    from coopcompta.domain.money import lire_montant
    from coopcompta.usecases.registres import completer_subvention

    with ouvrir_ledger(db) as ledger:
        s = completer_subvention(
            ledger,
            piece,
            exercice=exercice,
            financeur=financeur,
            decision=_date(decision, "--decision"),
            objet=objet,
            justificatif=justificatif,
            utilise=lire_montant(utilise, "--utilise") if utilise else None,
        )
        console().print(tableau_subventions([s]))


@inventaire_app.command("liste")
def inventaire_liste(db: DbOption = None, exercice: ExerciceOption = None) -> None:
    """Les biens durables achetés jusqu'à la fin de l'exercice, années précédentes comprises."""
    from coopcompta.usecases.registres import inventaire

    with ouvrir_ledger(db) as ledger:
        console().print(tableau_inventaire(inventaire(ledger, exercice)))


@inventaire_app.command("modifier")
def inventaire_modifier(
    piece: PieceArgument,
    designation: Annotated[
        str | None, typer.Option(metavar="TEXTE", help="Le bien (défaut : le libellé).")
    ] = None,
    lieu: Annotated[str | None, typer.Option(metavar="TEXTE", help="Où il se trouve.")] = None,
    sortie: Annotated[
        str | None, typer.Option(metavar="JJ/MM/AAAA", help="Date de sortie (cédé, jeté).")
    ] = None,
    db: DbOption = None,
    exercice: ExerciceOption = None,
) -> None:
    """Complète la ligne d'un bien durable acheté dans l'exercice (désignation, lieu, sortie)."""
    from coopcompta.usecases.registres import completer_bien

    with ouvrir_ledger(db) as ledger:
        b = completer_bien(
            ledger,
            piece,
            exercice=exercice,
            designation=designation,
            lieu=lieu,
            sortie=_date(sortie, "--sortie"),
        )
        console().print(tableau_inventaire([b]))
