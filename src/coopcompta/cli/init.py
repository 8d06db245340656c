"""`coop init`: create the cooperative's ledger."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coopcompta.cli.app import DbOption, app, console, demander
from coopcompta.domain.errors import CoopComptaError

if TYPE_CHECKING:
    from decimal import Decimal


def _lire_nom(texte: str | None, ou: str | None = None) -> str:
    nom = (texte or "").strip()
    if not nom:
        raise CoopComptaError("nom de la coopérative vide", ou)
    return nom


def _facultatif(question: str) -> str:
    reponse: str = typer.prompt(question, default="", show_default=False, prompt_suffix=" : ")
    return reponse.strip()


def _parse_ouverture(texte: str) -> tuple[str, str]:
    compte, sep, montant = texte.partition("=")
    if not sep or not compte.strip() or not montant.strip():
        raise CoopComptaError(
            f"« {texte} » : attendu COMPTE=MONTANT, par ex. 512=1500,00", "--ouverture"
        )
    return compte.strip(), montant.strip()


def _lire_solde(texte: str) -> str:
    """An opening balance typed at the prompt, checked now so that a typo is asked again."""
    from coopcompta.domain.money import parse_montant

    if texte.strip():
        parse_montant(texte, None)
    return texte.strip()


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
    from coopcompta.domain.model import Exercice, Nature
    from coopcompta.domain.money import format_euros, parse_montant
    from coopcompta.importers.plan import charger_plan
    from coopcompta.storage import chemin_db, creer

    path = chemin_db(db)
    if path.exists():
        raise CoopComptaError("une comptabilité existe déjà ici ; rien n'a été modifié", str(path))
    plan_comptable = charger_plan(plan)
    interactif = nom is None
    ex = Exercice.depuis_nom(exercice) if exercice else Exercice.contenant(dt.date.today())
    if interactif:
        nom = demander("Nom de la coopérative", _lire_nom)
        ecole = ecole or _facultatif("École")
        numero_occe = numero_occe or _facultatif("Numéro OCCE")
        mandataire = mandataire or _facultatif("Mandataire")
        if exercice is None:
            ex = demander("Premier exercice", Exercice.depuis_nom, ex.nom)
    else:
        nom = _lire_nom(nom, "--nom")

    brutes = [_parse_ouverture(o) for o in ouverture or []]
    if interactif and not brutes:
        for c in plan_comptable.par_nature(Nature.TRESORERIE):
            if c.numero.startswith(("541", "58")):
                continue  # régies and virements internes open at zero
            reponse = demander(
                f"Solde au {ex.debut:%d/%m/%Y} du compte {c.numero} {c.libelle}"
                " (vide si non utilisé)",
                _lire_solde,
                "",
            )
            if reponse:
                brutes.append((c.numero, reponse))
    soldes: dict[str, Decimal] = {}
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
