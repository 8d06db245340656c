"""French wording for the few help and usage texts that Typer's vendored Click prints in English.

Treasurers read every line `coop` prints; Click has no French catalogue, so the
handful of strings it shows are translated here, in one place, at import time.
"""

from __future__ import annotations

import re
from typing import IO, Any

import typer.core
from typer._click import core as click_core
from typer._click import exceptions as click_exceptions
from typer._click import formatting as click_formatting
from typer._click._compat import get_text_stderr
from typer._click.utils import echo

_MOTS = {
    "Options": "Options",
    "Arguments": "Arguments",
    "Commands": "Commandes",
    "required": "requis",
    "default: {default}": "défaut : {default}",
    "env var: {var}": "variable d'environnement : {var}",
    "Missing command.": "Commande manquante.",
    "No such command {name!r}.": "Commande inconnue : {name!r}.",
    "Aborted!": "Interrompu.",
    "(dynamic)": "(calculé)",
}

_MESSAGES = [
    (
        re.compile(r"^No such option: (.*?)(?: \(Possible options: (.*)\))?$"),
        r"option inconnue : \1",
    ),
    (re.compile(r"^Missing option (.*?)\.(.*)$"), r"option requise manquante : \1.\2"),
    (re.compile(r"^Missing argument (.*?)\.(.*)$"), r"argument requis manquant : \1.\2"),
    (re.compile(r"^Invalid value for (.*?): (.*)$"), r"valeur invalide pour \1 : \2"),
    (re.compile(r"^Got unexpected extra argument \((.*)\)$"), r"argument en trop : \1"),
    (re.compile(r"^Got unexpected extra arguments \((.*)\)$"), r"arguments en trop : \1"),
    (re.compile(r"^Option (.*) requires an argument\.$"), r"l'option \1 attend une valeur."),
    (re.compile(r"^Option (.*) does not take a value\.$"), r"l'option \1 ne prend pas de valeur."),
    (re.compile(r"^'(.*)' is not a valid integer\.$"), r"« \1 » n'est pas un nombre entier."),
    (re.compile(r"^'(.*)' is not one of (.*)\.$"), r"« \1 » n'est pas parmi \2."),
]


def _traduire(texte: str) -> str:
    return _MOTS.get(texte, texte)


# Typer's checks of a path option (`exists=True`, `dir_okay=False`…), inside the
# « valeur invalide pour --fichier : … » above.
_CHEMIN = r"(?:[Ff]ile|[Dd]irectory|[Pp]ath) '(.*?)'"
_CHEMINS = [
    (re.compile(rf"{_CHEMIN} is a directory\."), r"« \1 » : c'est un dossier, pas un fichier"),
    (re.compile(rf"{_CHEMIN} is a file\."), r"« \1 » : c'est un fichier, pas un dossier"),
    (re.compile(rf"{_CHEMIN} does not exist\."), r"« \1 » : introuvable"),
    (re.compile(rf"{_CHEMIN} is not readable\."), r"« \1 » : lecture refusée"),
    (re.compile(rf"{_CHEMIN} is not writable\."), r"« \1 » : écriture refusée"),
]


def _message(texte: str) -> str:
    for motif, remplacement in _MESSAGES:
        if motif.match(texte):
            texte = motif.sub(remplacement, texte)
            break
    for motif, remplacement in _CHEMINS:
        texte = motif.sub(remplacement, texte)
    return texte


def _afficher_erreur_usage(self: click_exceptions.UsageError, file: IO[Any] | None = None) -> None:
    if file is None:
        file = get_text_stderr()
    if self.ctx is not None:
        aide = ""
        if self.ctx.command.get_help_option(self.ctx) is not None:
            aide = f"Aide : {self.ctx.command_path} {self.ctx.help_option_names[0]}\n"
        echo(f"{self.ctx.get_usage()}\n{aide}", file=file, color=self.ctx.color)
    echo(f"Erreur : {_message(self.format_message())}", file=file)


def _afficher_erreur_click(
    self: click_exceptions.ClickException, file: IO[Any] | None = None
) -> None:
    echo(
        f"Erreur : {_message(self.format_message())}",
        file=file or get_text_stderr(),
    )


_write_usage = click_formatting.HelpFormatter.write_usage


def _ecrire_usage_fr(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
    _write_usage(self, prog, args, "Utilisation : " if prefix is None else prefix)


_get_help_option = click_core.Command.get_help_option


def _option_aide_fr(self: Any, ctx: Any) -> Any:
    option = _get_help_option(self, ctx)
    if option is not None:
        option.help = "Affiche cette aide."
    return option


def _type_argument_fr(self: Any, ctx: Any) -> str | None:
    # An argument with a metavar (PIÈCE, FICHIER) is named by it; Typer would add `<str>`.
    return None if self.metavar is not None else _type_argument(self, ctx)


_type_argument = typer.core.TyperArgument.display_type_rich


def _resume(self: Any, limit: int = 45) -> str:
    # `coop --help` lists each command with its first sentence, whole: the list wraps it
    # rather than cutting it mid-word with "...".
    if self.short_help:
        return str(self.short_help).strip()
    premier = (self.help or "").strip().split("\n\n")[0]
    return " ".join(premier.split())


_group_init = typer.core.TyperGroup.__init__


def _group_init_fr(self: Any, *args: Any, **kwargs: Any) -> None:
    if kwargs.get("subcommand_metavar") is None:
        kwargs["subcommand_metavar"] = "COMMANDE [ARGUMENTS]..."
    _group_init(self, *args, **kwargs)


def installer() -> None:
    typer.core.TyperGroup.__init__ = _group_init_fr  # type: ignore[method-assign]
    click_core.Command.get_short_help_str = _resume  # type: ignore[method-assign]
    typer.core._ = _traduire  # type: ignore[attr-defined,assignment]
    click_exceptions.UsageError.show = _afficher_erreur_usage  # type: ignore[method-assign]
    click_exceptions.ClickException.show = _afficher_erreur_click  # type: ignore[method-assign]
    click_formatting.HelpFormatter.write_usage = _ecrire_usage_fr  # type: ignore[method-assign]
    click_core.Command.get_help_option = _option_aide_fr  # type: ignore[method-assign]
    typer.core.TyperArgument.display_type_rich = _type_argument_fr  # type: ignore[method-assign]
