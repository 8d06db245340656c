"""`coop regie`: a class's régie d'avances by name — ouvrir, depense, solder, liste."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from coopcompta.cli.app import DbOption, ExerciceOption, app, console
from coopcompta.domain.comptes import COMPTE_CAISSE
from coopcompta.usecases.comptabilite import ouvrir_ledger, plan_du_ledger

if TYPE_CHECKING:
    from coopcompta.usecases.regies import Mouvement

regie_app = typer.Typer(
    help="Régies d'avances par classe : ouvrir, dépenser, solder, lister.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(regie_app, name="regie")

NomArgument = Annotated[
    str,
    typer.Argument(metavar="NOM", help="La classe ou l'enseignant, ex. CP.", show_default=False),
]
DateOption = Annotated[
    str | None, typer.Option("--date", metavar="JJ/MM/AAAA", help="Date (défaut : aujourd'hui).")
]
PieceOption = Annotated[
    str | None,
    typer.Option("--piece", metavar="PIECE", help="Numéro de pièce (défaut : le suivant)."),
]
ForcerOption = Annotated[
    bool,
    typer.Option("--forcer-caisse", help="Accepter que la caisse passe sous zéro."),
]


def _date(texte: str | None):  # type: ignore[no-untyped-def]
    from coopcompta.domain.ecritures import lire_date

    return lire_date(texte, "--date") if texte is not None else None


def _afficher(m: Mouvement) -> None:
    from coopcompta.domain.money import formater_euros

    e = m.ecriture
    console().print(
        f"Pièce {e.piece} du {e.date:%d/%m/%Y} : {e.libelle}, {formater_euros(e.montant)} "
        f"(régie {m.regie.nom}, compte {m.regie.compte})."
    )
    for a in m.avertissements:
        typer.echo(f"Attention : {a}", err=True)


@regie_app.command()
def ouvrir(
    nom: NomArgument,
    montant: Annotated[
        str, typer.Option("--montant", metavar="MONTANT", help="Avance, ex. 100,00.")
    ],
    depuis: Annotated[
        str, typer.Option("--depuis", metavar="COMPTE", help="D'où part l'argent (défaut : 53).")
    ] = COMPTE_CAISSE,
    cheque: Annotated[
        str | None, typer.Option("--cheque", metavar="NUMÉRO", help="Avance par chèque.")
    ] = None,
    date: DateOption = None,
    piece: PieceOption = None,
    forcer_caisse: ForcerOption = False,
    db: DbOption = None,
) -> None:
    """Avance de l'argent à la régie d'une classe (l'ouvre la première fois) : virement interne."""
    from coopcompta.domain.money import lire_montant
    from coopcompta.usecases.regies import ouvrir as uc

    with ouvrir_ledger(db) as ledger:
        _afficher(
            uc(
                ledger,
                plan_du_ledger(ledger),
                nom,
                lire_montant(montant, "--montant"),
                date=_date(date),
                depuis=depuis,
                mode="cheque" if cheque else "especes",
                cheque=cheque,
                piece=piece,
                forcer_caisse=forcer_caisse,
            )
        )


@regie_app.command()
def depense(
    nom: NomArgument,
    montant: Annotated[str, typer.Option("--montant", metavar="MONTANT", help="Montant payé.")],
    compte: Annotated[
        str, typer.Option("--compte", metavar="COMPTE", help="Compte de charge, ex. 6068.")
    ],
    libelle: Annotated[
        str, typer.Option("--libelle", metavar="TEXTE", help="Ce qui a été acheté.")
    ],
    date: DateOption = None,
    piece: PieceOption = None,
    forcer_caisse: ForcerOption = False,
    db: DbOption = None,
) -> None:
    """Enregistre une dépense justifiée payée par la régie (ventilée, rattachée à la classe)."""
    from coopcompta.domain.money import lire_montant
    from coopcompta.usecases.regies import depense as uc

    with ouvrir_ledger(db) as ledger:
        _afficher(
            uc(
                ledger,
                plan_du_ledger(ledger),
                nom,
                lire_montant(montant, "--montant"),
                compte,
                libelle,
                date=_date(date),
                piece=piece,
                forcer_caisse=forcer_caisse,
            )
        )


@regie_app.command()
def solder(
    nom: NomArgument,
    vers: Annotated[
        str, typer.Option("--vers", metavar="COMPTE", help="Où revient le reliquat (défaut : 53).")
    ] = COMPTE_CAISSE,
    date: DateOption = None,
    piece: PieceOption = None,
    db: DbOption = None,
) -> None:
    """Rend le reliquat de la régie : elle revient à zéro."""
    from coopcompta.usecases.regies import solder as uc

    with ouvrir_ledger(db) as ledger:
        m = uc(ledger, plan_du_ledger(ledger), nom, date=_date(date), vers=vers, piece=piece)
    if m is None:
        console().print(f"La régie {nom} est déjà à zéro : rien à rendre.")
    else:
        _afficher(m)


@regie_app.command()
def liste(db: DbOption = None, exercice: ExerciceOption = None) -> None:
    """Liste les régies, leur compte et leur solde."""
    from coopcompta.cli.render import Colonne, tableau
    from coopcompta.usecases.regies import regies

    with ouvrir_ledger(db) as ledger:
        toutes = regies(ledger, exercice)
    if not toutes:
        console().print("Aucune régie : `coop regie ouvrir CP --montant 100` en ouvre une.")
        return
    console().print(
        tableau(
            [Colonne("Régie"), Colonne("Compte"), Colonne("Solde", montant=True)],
            [[r.nom, r.compte, r.solde] for r in toutes],
            titre="Régies d'avances",
        )
    )
