"""`coop plan`: show the chart of accounts, or search it and explain what goes in each account."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coopcompta.cli.app import DbOption, app, console, verifier_format

if TYPE_CHECKING:
    from rich.console import Console

    from coopcompta.domain.model import Compte
    from coopcompta.domain.plan_comptable import PlanComptable

# Beyond this many accounts found, the others are only named.
RESULTATS_DETAILLES = 8

NATURES = {
    "charge": "charge",
    "produit": "produit",
    "tresorerie": "trésorerie",
    "attente": "attente",
    "bilan": "bilan",
}


@app.command("plan")
def plan(
    recherche: Annotated[
        list[str] | None,
        typer.Argument(
            help="Numéro, alias ou mots à chercher (par ex. photos, 6281, « car sortie »).",
            metavar="RECHERCHE",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    fichier: Annotated[
        Path | None,
        typer.Option(
            "--plan",
            metavar="FICHIER",
            help="Afficher (et vérifier) ce fichier de plan au lieu de celui de la comptabilité.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", metavar="FORMAT", help="Sortie : table ou json (tous les champs)."
        ),
    ] = "table",
) -> None:
    """Affiche le plan comptable, ou cherche un compte et explique ce qu'on y met.

    Sans recherche : la liste des comptes par rubrique. Avec une recherche
    (`coop plan photos`) : les comptes trouvés, avec l'aide et des exemples.
    Le plan est celui de la comptabilité si elle existe, sinon le plan fourni.
    """
    from coopcompta.domain.suggestions import rechercher_comptes
    from coopcompta.usecases.comptabilite import plan_a_consulter

    verifier_format(fmt, ("table", "json"))
    plan_comptable = plan_a_consulter(db, fichier)
    texte = " ".join(recherche or []).strip()
    comptes = list(plan_comptable.comptes)
    if texte:
        comptes = rechercher_comptes(plan_comptable, texte, tous_les_mots=True)
    if fmt == "json":
        json.dump([_compte_json(c) for c in comptes], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif texte and not comptes:
        # Finding nothing is an answer, not an error (exit 0).
        typer.echo(
            f"Aucun compte ne contient tous les mots « {texte} ». Essayez moins de mots ou un "
            "autre mot, ou `coop plan` pour la liste complète."
        )
    elif texte:
        _afficher_recherche(console(), texte, comptes)
    else:
        _afficher_liste(console(), plan_comptable)


def _compte_json(c: Compte) -> dict[str, object]:
    return {
        "numero": c.numero,
        "libelle": c.libelle,
        "nature": c.nature.value,
        "rubrique": c.rubrique,
        "exceptionnel": c.exceptionnel,
        "alias": list(c.alias),
        "aide": c.aide,
        "exemples": list(c.exemples),
        "mots_cles": list(c.mots_cles),
    }


def _afficher_liste(out: Console, plan_comptable: PlanComptable) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    source = "" if plan_comptable.source == "défaut" else f" — {plan_comptable.source}"
    table = Table(
        title=f"{plan_comptable.nom} : {len(plan_comptable.comptes)} comptes{source}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    # Narrow (80 columns, a pipe), the aliases go under the libellé to leave it room.
    compact = out.width < 100
    table.add_column("Numéro", no_wrap=True)
    if not compact:
        table.add_column("Alias", no_wrap=True)
    table.add_column("Libellé", ratio=1)
    table.add_column("Nature", no_wrap=True)
    table.add_column("Exc.", no_wrap=True)
    groupes = list(plan_comptable.rubriques())
    for i, (rubrique, comptes) in enumerate(groupes):
        table.add_row("", *([] if compact else [""]), Text(rubrique, style="bold"), "", "")
        for j, c in enumerate(comptes):
            alias = ", ".join(c.alias)
            libelle = Text(c.libelle)
            if compact and alias:
                libelle.append(f"\nalias : {alias}", style="dim")
            table.add_row(
                c.numero,
                *([] if compact else [alias]),
                libelle,
                NATURES[c.nature.value],
                "oui" if c.exceptionnel else "",
                end_section=j == len(comptes) - 1 and i < len(groupes) - 1,
            )
    out.print(table)
    out.print(
        "Exc. : compte exceptionnel. Pour savoir quoi mettre dans un compte : "
        "coop plan MOT (par ex. coop plan photos).",
        soft_wrap=False,
    )


def _afficher_recherche(out: Console, texte: str, comptes: list[Compte]) -> None:
    from rich.text import Text

    n = len(comptes)
    out.print(f"{n} compte{'s' if n > 1 else ''} pour « {texte} » :")
    for c in comptes[:RESULTATS_DETAILLES]:
        out.print()
        alias = f"  (alias : {', '.join(c.alias)})" if c.alias else ""
        out.print(Text.assemble((f"{c.numero}  {c.libelle}", "bold"), alias))
        exceptionnel = " — compte exceptionnel" if c.exceptionnel else ""
        out.print(f"  Rubrique : {c.rubrique} — {NATURES[c.nature.value]}{exceptionnel}")
        if c.aide:
            _paragraphe(out, c.aide, "  ")
        if c.exemples:
            out.print("  Exemples :")
            for exemple in c.exemples:
                _paragraphe(out, exemple, "    • ", "      ")
        if c.mots_cles:
            _paragraphe(out, f"Mots-clés : {', '.join(c.mots_cles)}", "  ")
    if n > RESULTATS_DETAILLES:
        autres = ", ".join(c.numero for c in comptes[RESULTATS_DETAILLES:])
        out.print()
        out.print(f"Autres comptes qui correspondent : {autres} (précisez la recherche).")


def _paragraphe(out: Console, texte: str, retrait: str, suite: str | None = None) -> None:
    """Print text wrapped to the terminal (at most 100 columns), without trailing spaces."""
    import textwrap

    largeur = min(out.width, 100)
    lignes = textwrap.wrap(
        texte, largeur, initial_indent=retrait, subsequent_indent=suite or retrait
    )
    for ligne in lignes:
        out.print(ligne)
