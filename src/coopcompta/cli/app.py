"""The Typer application, its error handling and the options shared by every command.

Command modules import only typer and light coopcompta modules at import time, so
that `coop --help` stays fast; storage, pydantic and openpyxl load inside commands.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from typer._click import exceptions as click_exceptions
from typer.core import TyperGroup

from coopcompta.cli.francais import installer as _installer_francais
from coopcompta.cli.options_legeres import installer as _installer_options_legeres
from coopcompta.domain.caracteres import echapper
from coopcompta.domain.errors import CoopComptaError

_installer_francais()
_installer_options_legeres()

if TYPE_CHECKING:
    from rich.console import Console


T = TypeVar("T")


class CoopGroup(TyperGroup):
    """Turns every CoopComptaError into `where: what` on stderr and its exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CoopComptaError as exc:
            # Quoted user text never reaches the terminal raw (`domain.caracteres`).
            lignes = str(exc).split("\n")
            typer.echo("Erreur : " + "\n".join(echapper(x) for x in lignes), err=True)
            raise typer.Exit(exc.exit_code) from None
        except (KeyboardInterrupt, EOFError, typer.Abort):
            typer.echo("\nInterrompu : rien n'a été enregistré.", err=True)
            raise typer.Exit(1) from None
        except (typer.Exit, click_exceptions.ClickException):
            raise  # click's own ends (--help, usage errors): not errors to translate
        except Exception as exc:
            # SQLite's and the disk's errors (damaged file, full disk, another writer)
            # in French; anything else is a bug and keeps its traceback.
            from coopcompta.usecases.comptabilite import erreur_utilisateur

            traduite = erreur_utilisateur(exc)
            if traduite is None:
                raise
            typer.echo(f"Erreur : {traduite}", err=True)
            raise typer.Exit(traduite.exit_code) from None


app = typer.Typer(
    cls=CoopGroup,
    name="coop",
    help="Comptabilité de la coopérative scolaire (OCCE) : saisie, import bancaire, bilan.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        envvar="COOP_DB",
        metavar="FICHIER",
        help="Fichier de la comptabilité (défaut : ./coop.db, ou $COOP_DB).",
        show_default=False,
    ),
]

ExerciceOption = Annotated[
    str | None,
    typer.Option(
        "--exercice",
        "-e",
        metavar="AAAA-AAAA",
        help="Exercice, par ex. 2025-2026 (défaut : le dernier).",
    ),
]

FormatOption = Annotated[
    str,
    typer.Option("--format", "-f", metavar="FORMAT", help="Sortie : table, json ou csv."),
]


def console(stderr: bool = False) -> Console:
    """The terminal, with rich markup off: a libellé like `Goûter [ce2]` prints as typed.

    Styles are given as `rich.text.Text` objects (see `render.style`), never as markup
    in a string, so that no user text can be read as a tag.
    """
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True, markup=False)


def verifier_format(fmt: str, permis: tuple[str, ...] = ("table", "json", "csv")) -> str:
    if fmt not in permis:
        raise CoopComptaError(
            f"format inconnu « {fmt} » (attendu : {', '.join(permis)})", "--format"
        )
    return fmt


def stdin_interactif() -> bool:
    return sys.stdin.isatty()


def demander(question: str, lire: Callable[[str], T], defaut: str | None = None) -> T:
    """Ask `question : ` until `lire` accepts the answer; each refusal prints its message."""
    while True:
        texte = typer.prompt(
            question, default=defaut, show_default=bool(defaut), prompt_suffix=" : "
        )
        try:
            return lire(texte)
        except CoopComptaError as exc:
            typer.echo(f"  {echapper(exc.message)}", err=True)


def demander_classe(connues: list[str], retrait: str = "") -> str:
    """The class or project of a line (optional); the names already used are offered, and
    a name typed in another case is taken as the known one when saving."""
    question = "Classe ou projet (facultatif"
    if connues:
        question += " ; déjà utilisées : " + ", ".join(connues)
    texte = typer.prompt(
        f"{retrait}{question})", default="", show_default=False, prompt_suffix=" : "
    )
    return str(texte).strip()


def rien_modifie() -> NoReturn:
    """The treasurer said no: nothing was written, and that is not a failure (exit 0)."""
    typer.echo("Rien n'a été modifié.", err=True)
    raise typer.Exit(0)


def confirmer(question: str, defaut: bool = True) -> bool:
    """A French yes/no question (o/n), asked again until understood."""
    while True:
        reponse = typer.prompt(
            f"{question} (o/n)", default="o" if defaut else "n", prompt_suffix=" : "
        )
        cle = reponse.strip().lower()
        if cle in ("o", "oui", "y", "yes"):
            return True
        if cle in ("n", "non", "no"):
            return False
        typer.echo("  Répondez o (oui) ou n (non).", err=True)


def _version(valeur: bool) -> None:
    if valeur:
        from coopcompta import __version__

        typer.echo(f"coopcompta {__version__}")
        raise typer.Exit()


@app.callback()
def _racine(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Affiche la version de coopcompta.",
        ),
    ] = False,
) -> None:
    """Comptabilité de la coopérative scolaire (OCCE) : saisie, import bancaire, bilan.

    La comptabilité est le fichier ./coop.db (ou --db, ou la variable COOP_DB).
    """
