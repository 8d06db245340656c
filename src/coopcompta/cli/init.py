"""`coop init`: create the cooperative's ledger."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coopcompta.cli.app import DbOption, app, confirmer, console, demander, rien_modifie
from coopcompta.domain.errors import CoopComptaError

if TYPE_CHECKING:
    from coopcompta.domain.model import Exercice
    from coopcompta.domain.plan_comptable import PlanComptable


def _facultatif(question: str) -> str:
    reponse: str = typer.prompt(question, default="", show_default=False, prompt_suffix=" : ")
    return reponse.strip()


def _lire_ouverture(texte: str, ou: str = "--ouverture") -> tuple[str, str]:
    compte, sep, montant = texte.partition("=")
    if not sep or not compte.strip() or not montant.strip():
        raise CoopComptaError(f"« {texte} » : attendu COMPTE=MONTANT, par ex. 512=1500,00", ou)
    return compte.strip(), montant.strip()


def _resume(
    nom: str,
    ecole: str | None,
    numero_occe: str | None,
    mandataire: str | None,
    ex: Exercice,
    plan: PlanComptable,
    brutes: list[tuple[str, str]],
) -> None:
    """What `coop init` is about to write, to read before saying yes."""
    from coopcompta.domain.cloture import soldes_d_ouverture
    from coopcompta.domain.money import formater_euros

    soldes = soldes_d_ouverture(plan, brutes)
    typer.echo("\nRésumé :")
    typer.echo(f"  Coopérative : {nom}")
    for titre, valeur in (
        ("École", ecole),
        ("Numéro OCCE", numero_occe),
        ("Mandataire", mandataire),
    ):
        typer.echo(f"  {titre} : {valeur or '—'}")
    typer.echo(f"  Exercice : {ex.nom} (du {ex.debut:%d/%m/%Y} au {ex.fin:%d/%m/%Y})")
    if not soldes:
        typer.echo("  Aucun solde d'ouverture.")
    for compte, montant in soldes.items():
        typer.echo(f"  Report à nouveau {compte} : {formater_euros(montant)}")
    typer.echo("  (un solde mal tapé se corrige ensuite : coop init --corriger-ouverture 512=…)")


def _corriger(db: Path | None, saisies: list[str]) -> None:
    from coopcompta.domain.money import formater_euros
    from coopcompta.usecases.comptabilite import ouvrir_ledger
    from coopcompta.usecases.creation import corriger_ouverture

    brutes = [_lire_ouverture(o, "--corriger-ouverture") for o in saisies]
    with ouvrir_ledger(db) as ledger:
        corrections = corriger_ouverture(ledger, brutes)
    for c in corrections:
        typer.echo(
            f"Report à nouveau {c.compte} corrigé : {formater_euros(c.apres)} "
            f"(au lieu de {formater_euros(c.avant)})."
        )


def _lire_solde(texte: str) -> str:
    """An opening balance typed at the prompt, checked now so that a typo is asked again."""
    from coopcompta.domain.money import lire_montant

    if texte.strip():
        lire_montant(texte, None)
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
    corriger_ouverture: Annotated[
        list[str] | None,
        typer.Option(
            "--corriger-ouverture",
            metavar="COMPTE=MONTANT",
            help="Corriger le solde d'ouverture d'un compte de la comptabilité existante, tant "
            "qu'aucune autre écriture de l'exercice ne le touche ; répétable.",
        ),
    ] = None,
) -> None:
    """Crée la comptabilité de la coopérative (refuse d'écraser une comptabilité existante).

    Sans --nom, les questions sont posées une à une et un résumé est montré avant
    d'écrire. --corriger-ouverture 514=0,00 corrige un solde d'ouverture mal tapé.
    """
    if corriger_ouverture:
        _corriger(db, corriger_ouverture)
        return
    from coopcompta.domain.cloture import comptes_a_ouvrir
    from coopcompta.domain.model import Exercice
    from coopcompta.domain.money import formater_euros
    from coopcompta.usecases.creation import (
        charger_plan_choisi,
        creer_comptabilite,
        emplacement_libre,
        nom_de_cooperative,
    )

    path = emplacement_libre(db)
    plan_comptable = charger_plan_choisi(plan)
    interactif = nom is None
    ex = Exercice.depuis_nom(exercice) if exercice else Exercice.contenant(dt.date.today())
    if interactif:
        nom = demander("Nom de la coopérative", nom_de_cooperative)
        ecole = ecole or _facultatif("École")
        numero_occe = numero_occe or _facultatif("Numéro OCCE")
        mandataire = mandataire or _facultatif("Mandataire")
        if exercice is None:
            ex = demander("Premier exercice", Exercice.depuis_nom, ex.nom)
    else:
        nom = nom_de_cooperative(nom, "--nom")

    brutes = [_lire_ouverture(o) for o in ouverture or []]
    if interactif and not brutes:
        for c in comptes_a_ouvrir(plan_comptable):
            reponse = demander(
                f"Solde au {ex.debut:%d/%m/%Y} du compte {c.numero} {c.libelle}"
                " (vide si non utilisé)",
                _lire_solde,
                "",
            )
            if reponse:
                brutes.append((c.numero, reponse))
    if interactif:
        _resume(nom or "", ecole, numero_occe, mandataire, ex, plan_comptable, brutes)
        if not confirmer("Créer la comptabilité ?"):
            rien_modifie()
    creation = creer_comptabilite(
        path,
        plan_comptable,
        ex,
        nom=nom or "",
        ecole=ecole or "",
        numero_occe=numero_occe or "",
        mandataire=mandataire or "",
        ouvertures=brutes,
        series=series,
        fichier_plan=plan,
    )
    out = console()
    out.print(
        f"Comptabilité créée : {creation.chemin} — {creation.nom}, "
        f"exercice {creation.exercice.nom}."
    )
    for code, montant in creation.soldes.items():
        out.print(f"  Report à nouveau {code} : {formater_euros(montant)}")
