"""`coop verifier` on one or many inputs: run the checks, print them in the format asked.

One file prints as it always did. Several files, or a folder: each input with
anomalies is shown as it is checked, unusable ones are named on stderr, and a
summary table closes the run. `github` and `junit` print what CI platforms read.
The exit code is the worst of all inputs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from coopcompta.cli.app import console

if TYPE_CHECKING:
    from rich.table import Table

    from coopcompta.domain.controle import Controle
    from coopcompta.usecases.controle import Reglages

FORMATS = ("table", "json", "github", "junit")


@dataclass(frozen=True)
class _Resume:
    """One row of the summary table: what is left of an input once its anomalies are printed."""

    fichier: str
    cooperative: str
    exercice: str | None
    resultat: Decimal | None
    solde_exceptionnel: Decimal | None
    exceptionnel_ok: bool | None
    erreurs: int
    avertissements: int
    code: int

    @classmethod
    def de(cls, c: Controle, strict: bool) -> _Resume:
        from coopcompta.domain.controle import resultat_et_exceptionnel

        resultat, solde, ok = resultat_et_exceptionnel(c)
        return cls(
            c.fichier,
            c.cooperative,
            c.verification.exercice.nom if c.verification else None,
            resultat,
            solde,
            ok,
            c.erreurs,
            c.avertissements,
            c.code_sortie(strict),
        )


def executer(
    chemins: Sequence[Path], reglages: Reglages, fmt: str, strict: bool, processus: int
) -> int:
    """Check the inputs, print the results; returns the exit code (the worst of all)."""
    from coopcompta.cli.bilan import _rendu_verification
    from coopcompta.usecases.controle import controler_tous, entrees, plusieurs

    seul = not plusieurs(chemins)
    resumes: list[_Resume] = []
    gardes: list[Controle] = []  # json and junit are written once every input is checked
    out = console()
    for c in controler_tous(entrees(chemins), reglages, processus):
        resumes.append(_Resume.de(c, strict))
        if c.probleme is not None:
            place = c.probleme.texte if seul else c.probleme.place(c.fichier)
            typer.echo(f"Erreur : {place}", err=True)
        if fmt == "github":
            for ligne in _annotations(c):
                typer.echo(ligne)
        elif fmt in ("json", "junit"):
            gardes.append(c)
        elif c.verification is not None and (seul or c.verification.anomalies):
            out.print(_rendu_verification(c.verification, strict))
            if not seul:
                out.print()
    code = max((r.code for r in resumes), default=0)
    if fmt == "json" and seul:
        v = gardes[0].verification
        if v is not None:
            typer.echo(json.dumps(v.vers_json(strict), ensure_ascii=False, indent=2))
    elif fmt == "json":
        typer.echo(json.dumps(_json(gardes, resumes, strict), ensure_ascii=False, indent=2))
    elif fmt == "junit":
        from coopcompta.cli.ci import junit_xml

        typer.echo(junit_xml(gardes, strict))
    elif fmt == "table" and not seul:
        from rich.text import Text

        out.print(_table_resume(resumes, strict))
        out.print(Text(_bilan_texte(resumes, strict), "bold red" if code else "bold green"))
    if fmt in ("github", "junit"):
        typer.echo(_bilan_texte(resumes, strict), err=True)
    return code


def _annotations(c: Controle) -> Iterable[str]:
    from coopcompta.cli.ci import annotations_github

    return annotations_github(c, _depuis_le_depot(c.fichier))


def _depuis_le_depot(fichier: str) -> str:
    """GitHub places annotations by path from the repository root: the working directory."""
    chemin = Path(fichier)
    if chemin.is_absolute():
        try:
            chemin = chemin.relative_to(Path.cwd())
        except ValueError:
            return fichier
    return chemin.as_posix()


def _json(controles: Sequence[Controle], resumes: Sequence[_Resume], strict: bool) -> object:
    return {
        "ok": all(r.code == 0 for r in resumes),
        "erreurs": sum(r.erreurs for r in resumes),
        "avertissements": sum(r.avertissements for r in resumes),
        "inutilisables": sum(r.code == 2 for r in resumes),
        "fichiers": [c.vers_json(strict) for c in controles],
    }


def _table_resume(resumes: Sequence[_Resume], strict: bool) -> Table:
    from rich.text import Text

    from coopcompta.cli.render import Colonne, tableau
    from coopcompta.domain.money import formater_euros

    lignes: list[list[object]] = []
    for r in resumes:
        if r.exercice is None:
            lignes.append([r.fichier, Text("inutilisable", "bold red"), "", None, None, "", ""])
            continue
        exceptionnel: object = r.solde_exceptionnel
        if r.solde_exceptionnel is not None and not r.exceptionnel_ok:
            exceptionnel = Text(formater_euros(r.solde_exceptionnel, symbole=False), "bold red")
        lignes.append(
            [
                r.fichier,
                r.cooperative,
                r.exercice,
                r.resultat,
                exceptionnel,
                _nombre(r.erreurs, "bold red"),
                _nombre(r.avertissements, "bold red" if strict else "yellow"),
            ]
        )
    table = tableau(
        [
            Colonne("Fichier"),
            Colonne("Coopérative"),
            Colonne("Exercice", no_wrap=True),
            Colonne("Résultat", montant=True),
            Colonne("Except.", montant=True),
            Colonne("Err.", montant=True),
            Colonne("Av.", montant=True),
        ],
        lignes,
        titre="Résumé",
        legende="Except. : solde exceptionnel (en rouge : hors tolérance).",
    )
    for colonne in table.columns[:2]:
        colonne.overflow = "fold"  # a path is one long word: cut, it would lose its end
    return table


def _nombre(n: int, style: str) -> object:
    from rich.text import Text

    return Text(str(n), style) if n else "0"


def _bilan_texte(resumes: Sequence[_Resume], strict: bool) -> str:
    """`3 fichiers : 1 sans anomalie, 1 en échec, 1 inutilisable — 1 erreur, 0 avertissement`."""
    from coopcompta.cli.render import pluriel

    inutilisables = sum(r.code == 2 for r in resumes)
    echecs = sum(r.code == 1 for r in resumes)
    propres = sum(r.code == 0 and not r.erreurs and not r.avertissements for r in resumes)
    parties = [f"{propres} sans anomalie"]
    if len(resumes) - propres - echecs - inutilisables:
        parties.append(f"{len(resumes) - propres - echecs - inutilisables} avec avertissements")
    parties.append(f"{echecs} en échec")
    parties.append(pluriel(inutilisables, "inutilisable", "inutilisables"))
    erreurs = sum(r.erreurs for r in resumes)
    avertissements = sum(r.avertissements for r in resumes)
    return (
        f"{pluriel(len(resumes), 'fichier', 'fichiers')} : {', '.join(parties)} — "
        f"{pluriel(erreurs, 'erreur', 'erreurs')}, "
        f"{pluriel(avertissements, 'avertissement', 'avertissements')}"
        + (" (--strict : les avertissements comptent)" if strict and avertissements else "")
    )
