"""Prompts of `coop saisie`, `coop ventiler` and `coop import`: an account (a list number, an
account, or words), and the amount of one line of a split."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from coopcompta.domain.errors import CoopComptaError, SaisieInvalide
from coopcompta.domain.model import Sens

if TYPE_CHECKING:
    from decimal import Decimal

    from coopcompta.domain.model import Compte
    from coopcompta.domain.plan_comptable import PlanComptable

Choix = list[tuple["Compte", str]]

QUESTION = "Compte (numéro de la liste, numéro de compte, ou mots à chercher)"


def afficher_choix(choix: Choix, titre: str) -> None:
    """`titre` then `  1. 6183 Livres… — reason` for each account."""
    typer.echo(titre)
    for i, (c, raison) in enumerate(choix, 1):
        suffixe = f" — {raison}" if raison else ""
        typer.echo(f"  {i}. {c.numero} {c.libelle}{suffixe}")


def lire_compte(
    plan: PlanComptable,
    texte: str,
    sens: Sens,
    choix: Choix,
    *,
    tresorerie: bool = False,
    attente: bool = True,
) -> str | Choix:
    """One answer: a number of `choix`, an account number or alias -> its canonical number
    (nature checked for the sens); words -> the matching accounts, shown and numbered (the
    new list). `tresorerie` also accepts treasury accounts; `attente=False` refuses 471.
    Raises SaisieInvalide (message for the prompt) otherwise."""
    from coopcompta.domain.comptes import COMPTE_ATTENTE
    from coopcompta.domain.ecritures import NATURE_ATTENDUE, NOMS_NATURES, compte_ventilation
    from coopcompta.domain.model import Nature
    from coopcompta.domain.suggestions import rechercher_comptes

    texte = texte.strip()
    attendue = NATURE_ATTENDUE[sens]
    if texte.isdigit() and 1 <= int(texte) <= len(choix):
        compte = choix[int(texte) - 1][0]
    else:
        trouve = plan.trouver(texte)
        if trouve is None:

            def permis(c: Compte) -> bool:
                return (
                    c.nature is attendue
                    or (attente and c.numero == COMPTE_ATTENTE)
                    or (tresorerie and c.nature is Nature.TRESORERIE)
                )

            compatibles = [c for c in rechercher_comptes(plan, texte) if permis(c)]
            if not compatibles:
                genre = NOMS_NATURES[attendue] + (" ni de trésorerie" if tresorerie else "")
                raise SaisieInvalide(
                    f"Aucun compte {genre} ne correspond à « {texte} » (voir `coop plan`)."
                )
            nouveaux: Choix = [(c, "") for c in compatibles[:10]]
            afficher_choix(nouveaux, f"Comptes trouvés pour « {texte} » :")
            return nouveaux
        compte = trouve
    if tresorerie and compte.nature is Nature.TRESORERIE:
        return compte.numero
    if attente:
        return compte_ventilation(plan, compte.numero, sens)
    if compte.numero == COMPTE_ATTENTE:
        raise SaisieInvalide(
            f"{COMPTE_ATTENTE} est le compte d'attente lui-même : indiquez le compte définitif"
        )
    if compte.nature is not attendue:
        quoi = "une dépense" if sens is Sens.DEPENSE else "une recette"
        raise SaisieInvalide(
            f"le compte {compte.numero} ({compte.libelle}) est un compte "
            f"{NOMS_NATURES[compte.nature]} ; {quoi} se ventile sur un compte "
            f"{NOMS_NATURES[attendue]}"
        )
    return compte.numero


def essayer_compte(
    plan: PlanComptable,
    texte: str,
    sens: Sens,
    choix: Choix,
    *,
    tresorerie: bool = False,
    attente: bool = True,
) -> tuple[str | None, Choix]:
    """One answer read: the account it names, or None after showing a search list (which
    becomes the new choice) or saying why it does not fit."""
    try:
        lu = lire_compte(plan, texte, sens, choix, tresorerie=tresorerie, attente=attente)
    except CoopComptaError as exc:
        typer.echo(f"  {exc.message}", err=True)
        return None, choix
    if isinstance(lu, list):
        return None, lu
    return lu, choix


def demander_compte(
    plan: PlanComptable,
    sens: Sens,
    choix: Choix,
    question: str = QUESTION,
    *,
    tresorerie: bool = False,
    attente: bool = True,
) -> tuple[str, Choix]:
    """Ask until an account fits; returns its number and the list last shown."""
    while True:
        texte = typer.prompt(question, prompt_suffix=" : ").strip()
        if not texte:
            continue
        lu, choix = essayer_compte(plan, texte, sens, choix, tresorerie=tresorerie, attente=attente)
        if lu is not None:
            return lu, choix


def demander_montant(question: str, reste: Decimal) -> Decimal:
    """The amount of one line of a split: Entrée takes all that remains; asked again until
    it is between 0,01 € and what remains."""
    from coopcompta.domain.money import CENT, formater_euros, lire_montant
    from coopcompta.domain.ventilation import verifier_part

    while True:
        texte = typer.prompt(
            f"{question} [Entrée = {formater_euros(reste)}]",
            default="",
            show_default=False,
            prompt_suffix=" : ",
        )
        if not texte.strip():
            return reste
        try:
            m = lire_montant(texte, None)
        except CoopComptaError as exc:
            typer.echo(f"  {exc.message}", err=True)
            continue
        try:
            return verifier_part(m, reste)
        except SaisieInvalide:
            typer.echo(
                f"  Montant entre {formater_euros(CENT)} et {formater_euros(reste)} attendu.",
                err=True,
            )
