"""`coop init`: create the cooperative's ledger."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from ..errors import CoopComptaError
from .app import DbOption, app, console


def _parse_ouverture(texte: str) -> tuple[str, str]:
    compte, sep, montant = texte.partition("=")
    if not sep or not compte.strip() or not montant.strip():
        raise CoopComptaError(
            f"« {texte} » : attendu COMPTE=MONTANT, par ex. 512=1500,00", "--ouverture"
        )
    return compte.strip(), montant.strip()


@app.command()
def init(
    db: DbOption = None,
    nom: Annotated[str | None, typer.Option(metavar="TEXTE", help="Nom de la coopérative.")] = None,
    ecole: Annotated[str | None, typer.Option(metavar="TEXTE", help="École.")] = None,
    numero_occe: Annotated[
        str | None,
        typer.Option("--numero-occe", metavar="NUMÉRO", help="Numéro d'affiliation OCCE."),
    ] = None,
    mandataire: Annotated[
        str | None, typer.Option(metavar="TEXTE", help="Nom du mandataire.")
    ] = None,
    exercice: Annotated[
        str | None,
        typer.Option(
            metavar="AAAA-AAAA",
            help="Premier exercice, par ex. 2025-2026 (défaut : celui d'aujourd'hui).",
        ),
    ] = None,
    ouverture: Annotated[
        list[str] | None,
        typer.Option(
            metavar="COMPTE=MONTANT",
            help="Solde d'ouverture (report à nouveau), COMPTE=MONTANT ; répétable.",
        ),
    ] = None,
    plan: Annotated[
        Path | None,
        typer.Option(
            metavar="FICHIER",
            help="Plan comptable du département (YAML) à la place du plan fourni.",
        ),
    ] = None,
    series: Annotated[
        bool,
        typer.Option("--series/--serie-unique", help="Numéroter les pièces R1, R2… et D1, D2…."),
    ] = False,
) -> None:
    """Crée la comptabilité de la coopérative (refuse d'écraser une comptabilité existante)."""
    from ..model import Exercice, Nature
    from ..money import format_euros, parse_montant
    from ..plan_comptable import charger_plan
    from ..storage import chemin_db, creer

    path = chemin_db(db)
    if path.exists():
        raise CoopComptaError("une comptabilité existe déjà ici ; rien n'a été modifié", str(path))
    plan_comptable = charger_plan(plan)
    interactif = nom is None
    if interactif:
        nom = typer.prompt("Nom de la coopérative")
        ecole = ecole or typer.prompt("École", default="", show_default=False)
        numero_occe = numero_occe or typer.prompt("Numéro OCCE", default="", show_default=False)
        mandataire = mandataire or typer.prompt("Mandataire", default="", show_default=False)
        exercice = exercice or typer.prompt(
            "Premier exercice", default=Exercice.contenant(dt.date.today()).nom
        )
    ex = Exercice.depuis_nom(exercice) if exercice else Exercice.contenant(dt.date.today())

    brutes = [_parse_ouverture(o) for o in ouverture or []]
    if interactif and not brutes:
        for c in plan_comptable.par_nature(Nature.TRESORERIE):
            if c.numero.startswith(("541", "58")):
                continue  # régies and virements internes open at zero
            reponse = typer.prompt(
                f"Solde au {ex.debut:%d/%m/%Y} du compte {c.numero} {c.libelle}"
                " (vide si non utilisé)",
                default="",
                show_default=False,
            )
            if reponse.strip():
                brutes.append((c.numero, reponse))
    soldes = {}
    for code, texte in brutes:
        compte = plan_comptable.compte(code, "--ouverture")
        if compte.nature is not Nature.TRESORERIE:
            raise CoopComptaError(
                f"le compte {compte.numero} ({compte.libelle}) n'est pas un compte de trésorerie",
                "--ouverture",
            )
        montant = parse_montant(texte, "--ouverture")
        if compte.numero in soldes:
            raise CoopComptaError(
                f"le compte {compte.numero} a deux soldes d'ouverture "
                f"({format_euros(soldes[compte.numero])} et {format_euros(montant)}) : "
                "un seul par compte",
                "--ouverture",
            )
        soldes[compte.numero] = montant

    infos = {
        "nom": nom or "",
        "ecole": ecole or "",
        "numero_occe": numero_occe or "",
        "mandataire": mandataire or "",
        "series": "RD" if series else "",
    }
    if plan is not None:
        infos["plan"] = str(plan.resolve())
    creer(path, infos, ex, soldes).close()
    out = console()
    out.print(f"Comptabilité créée : [bold]{path}[/bold] — {nom}, exercice {ex.nom}.")
    for code, montant in soldes.items():
        out.print(f"  Report à nouveau {code} : {format_euros(montant)}")
