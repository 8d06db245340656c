"""`coop ventiler`: classify the écritures waiting on 471 (à ventiler), one by one or by pièce."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from coopcompta.cli.app import (
    DbOption,
    ExerciceOption,
    app,
    verifier_format,
)
from coopcompta.domain.errors import CoopComptaError
from coopcompta.usecases.comptabilite import ouvrir_ledger

# The module, not the Typer object `coopcompta.cli.app` also names: tests replace its
# stdin_interactif.
_app = sys.modules[__package__ + ".app"]

if TYPE_CHECKING:
    import datetime as dt
    from decimal import Decimal

    from coopcompta.cli.choix_compte import Choix
    from coopcompta.domain.ecritures import Part
    from coopcompta.domain.model import Ecriture
    from coopcompta.domain.plan_comptable import PlanComptable
    from coopcompta.domain.suggestions import Suggesteur
    from coopcompta.usecases.ventiler import Ventilation

AIDE = (
    "  Entrée : accepter la proposition (passer s'il n'y en a pas)\n"
    "  1, 2… : un compte de la liste · numéro ou alias de compte · mots à chercher "
    "(ex. « livres »)\n"
    "  un compte de trésorerie (ex. 53 caisse) : l'écriture devient un virement interne\n"
    "  v : ventiler sur plusieurs comptes (Entrée seule : revenir) · p : passer (reste sur 471)\n"
    "  q : arrêter là (ce qui est déjà répondu est enregistré)"
)

# Answer meaning "stop here" in the interactive loop (None means "pass").
_ARRET: Literal["q"] = "q"


@app.command()
def ventiler(
    piece: Annotated[
        str | None,
        typer.Argument(
            metavar="PIÈCE",
            help="Pièce à ventiler avec --compte ; sans pièce, les écritures en attente une à une.",
            show_default=False,
        ),
    ] = None,
    compte: Annotated[
        list[str] | None,
        typer.Option(
            "--compte",
            metavar="COMPTE=MONTANT",
            help="Ventilation COMPTE=MONTANT[:classe], répétable ; un seul COMPTE sans montant "
            "prend tout ce qui attend sur 471 ; un compte de trésorerie seul en fait un "
            "virement interne.",
            show_default=False,
        ),
    ] = None,
    liste: Annotated[
        bool, typer.Option("--liste", help="Lister les écritures en attente sur 471.")
    ] = False,
    format: Annotated[
        str,
        typer.Option(
            "--format", "-f", metavar="table|json", help="Sortie de --liste : table ou json."
        ),
    ] = "table",
    interactif: Annotated[
        bool,
        typer.Option("--interactif", help="Poser les questions même hors d'un terminal."),
    ] = False,
    exercice: ExerciceOption = None,
    db: DbOption = None,
) -> None:
    """Ventile les écritures laissées sur 471 (à ventiler) : une à une, ou par pièce.

    Seules les lignes sur 471 changent ; la pièce, la trésorerie et le lien avec le
    relevé importé restent. Tout est enregistré en une fois à la fin (Ctrl-C : rien).
    --liste montre ce qui attend ; --format json pour les scripts.
    """
    fmt = verifier_format(format, ("table", "json"))
    if liste:
        if piece is not None or compte:
            raise CoopComptaError(
                "--liste ne se combine pas avec une pièce ni avec --compte", "--liste"
            )
        _lister(db, exercice, fmt)
        return
    if fmt != "table":
        raise CoopComptaError("--format s'emploie avec --liste", "--format")
    if piece is not None:
        if not compte:
            raise CoopComptaError(
                f"indiquez le compte, par ex. coop ventiler {piece} --compte 6183 "
                "(ou sans pièce, pour répondre aux questions)",
                "--compte",
            )
        _par_piece(db, exercice, piece, compte)
        return
    if compte:
        raise CoopComptaError(
            "s'emploie avec la pièce à ventiler, par ex. coop ventiler 12 --compte 6183",
            "--compte",
        )
    if not (interactif or _app.stdin_interactif()):
        raise CoopComptaError(
            "hors d'un terminal, indiquez la pièce et le compte (coop ventiler 12 --compte "
            "6183), ou --liste ; --interactif pour répondre aux questions quand même",
            "PIÈCE",
        )
    _interactif(db, exercice)


def _par_piece(db: Path | None, exercice: str | None, piece: str, comptes: list[str]) -> None:
    from coopcompta.domain.ecritures import lire_part
    from coopcompta.usecases.ventiler import ventiler_piece

    with ouvrir_ledger(db) as ledger:
        v, restantes = ventiler_piece(ledger, exercice, piece, [lire_part(c) for c in comptes])
    _afficher([v], restantes)


def _afficher(ventilations: list[Ventilation], restantes: int) -> None:
    from coopcompta.usecases.ventiler import description, resume_ecritures

    for v in ventilations:
        typer.echo(description(v))
    typer.echo(resume_ecritures(len(ventilations), restantes))


# --- --liste -------------------------------------------------------------------------------------


def _lister(db: Path | None, exercice: str | None, fmt: str) -> None:
    import json

    from coopcompta.domain.ecritures import NOMS_SENS, formater_date
    from coopcompta.domain.money import formater_euros, formater_point
    from coopcompta.usecases.ventiler import lister_en_attente, sur_attente

    with ouvrir_ledger(db) as ledger:
        liste = lister_en_attente(ledger, exercice)
    ex, attente, suggestions = liste.exercice, liste.ecritures, liste.suggestions
    if fmt == "json":
        objets = [
            {
                "id": e.id,
                "piece": e.piece,
                "date": e.date.isoformat(),
                "libelle": e.libelle,
                "sens": e.sens.value,
                "tresorerie": e.tresorerie,
                "montant": formater_point(e.montant),
                "sur_471": formater_point(sur_attente(e)),
                "brut": e.brut,
                "suggestions": [
                    {
                        "compte": s.compte.numero,
                        "libelle": s.compte.libelle,
                        "score": s.score,
                        "raison": s.raison,
                    }
                    for s in ss
                ],
            }
            for e, ss in zip(attente, suggestions, strict=True)
        ]
        typer.echo(json.dumps(objets, ensure_ascii=False, indent=2))
        return
    if not attente:
        typer.echo(f"Rien n'attend sur 471 dans l'exercice {ex.nom}.")
        return
    from coopcompta.cli.app import console
    from coopcompta.cli.render import Colonne, tableau

    lignes = [
        [
            formater_date(e.date),
            e.piece,
            e.libelle,
            NOMS_SENS[e.sens],
            e.montant,
            sur_attente(e),
            f"{ss[0].compte.numero} ({round(ss[0].score * 100)} %)" if ss else "",
        ]
        for e, ss in zip(attente, suggestions, strict=True)
    ]
    total = liste.total
    console().print(
        tableau(
            [
                Colonne("Date", no_wrap=True),
                Colonne("Pièce", no_wrap=True),
                Colonne("Libellé", max_width=40),
                "Sens",
                Colonne("Montant", montant=True),
                Colonne("Sur 471", montant=True),
                Colonne("Suggestion", no_wrap=True),
            ],
            lignes,
            titre=f"En attente sur 471 — exercice {ex.nom}",
        )
    )
    n = len(attente)
    quoi = "écriture attend" if n == 1 else "écritures attendent"
    typer.echo(f"{n} {quoi} sur 471 ({formater_euros(total)}) : coop ventiler pour les classer.")


# --- interactive ---------------------------------------------------------------------------------


def _interactif(db: Path | None, exercice: str | None) -> None:
    from coopcompta.usecases.saisie import classes_connues
    from coopcompta.usecases.ventiler import (
        apprendre_ventilation,
        enregistrer_ventilations,
        ouvrir_seance,
        resume_ecritures,
    )

    with ouvrir_ledger(db) as ledger:
        seance = ouvrir_seance(ledger, exercice)
        ex, attente = seance.exercice, seance.ecritures
        if not attente:
            typer.echo(f"Rien n'attend sur 471 dans l'exercice {ex.nom}.")
            typer.echo(resume_ecritures(0, 0))
            return
        n = len(attente)
        typer.echo(
            f"{n} écriture{'s' if n > 1 else ''} en attente sur 471 dans l'exercice {ex.nom}. "
            "À chaque écriture : Entrée accepte la proposition ; un numéro de la liste, un "
            "compte ou des mots à chercher ; v ventiler sur plusieurs comptes ; p passer ; "
            "q arrêter ; ? aide."
        )
        decisions: list[Ventilation] = []
        connues = classes_connues(ledger)
        for i, e in enumerate(attente, 1):
            assert e.id is not None
            reponse = _demander(
                seance.plan, seance.suggesteur, e, i, n, seance.avant.get(e.id), connues
            )
            if isinstance(reponse, str):  # _ARRET
                break
            if reponse is None:
                continue
            decisions.append(reponse)
            apprendre_ventilation(seance.suggesteur, reponse)
        restantes = enregistrer_ventilations(ledger, ex.nom, decisions) if decisions else n
    typer.echo("")
    _afficher(decisions, restantes)


def _afficher_ecriture(e: Ecriture, i: int, n: int) -> None:
    from coopcompta.domain.caracteres import echapper
    from coopcompta.domain.comptes import COMPTE_ATTENTE
    from coopcompta.domain.ecritures import NOMS_SENS, formater_date
    from coopcompta.domain.money import formater_euros
    from coopcompta.usecases.ventiler import nom_piece, sur_attente

    typer.echo(
        f"\n[{i}/{n}] {nom_piece(e)} du {formater_date(e.date)} — {e.libelle} — "
        f"{NOMS_SENS[e.sens]} de {formater_euros(e.montant)} sur {e.tresorerie}"
    )
    if e.brut:
        # the statement's line as the bank wrote it, escape sequences and all: shown escaped
        typer.echo(f"  relevé : {echapper(e.brut)}")
    attente = sur_attente(e)
    if attente != e.montant:
        deja = ", ".join(
            f"{lg.compte} {formater_euros(lg.montant)}"
            for lg in e.ventilation
            if lg.compte != COMPTE_ATTENTE
        )
        typer.echo(f"  déjà ventilé : {deja} ; sur 471 : {formater_euros(attente)}")


def _demander(
    plan: PlanComptable,
    suggesteur: Suggesteur,
    e: Ecriture,
    i: int,
    n: int,
    avant: tuple[dt.date, Ventilation] | None,
    classes: list[str] | None = None,
) -> Ventilation | Literal["q"] | None:
    """One écriture: a Ventilation, None to pass, or _ARRET to stop. `avant` is how this
    bank line was ventilated before its import was undone: then Entrée repeats it."""
    from coopcompta.cli.choix_compte import afficher_choix, essayer_compte
    from coopcompta.domain.ecritures import Part, formater_date
    from coopcompta.usecases.importation import SEUIL_PROPOSITION
    from coopcompta.usecases.ventiler import decider, destination, sur_attente

    _afficher_ecriture(e, i, n)
    suggestions = suggesteur.suggerer(e.libelle, e.sens, montant=e.montant)
    choix = [(s.compte, f"{s.raison} ({round(s.score * 100)} %)") for s in suggestions]
    if choix:
        afficher_choix(choix, "  Suggestions :")
    else:
        typer.echo("  Aucune suggestion : tapez un numéro de compte ou des mots à chercher.")
    proposee = suggestions[0] if suggestions and suggestions[0].score >= SEUIL_PROPOSITION else None
    defaut = f"{proposee.compte.numero} {proposee.compte.libelle}" if proposee else "passer"
    if avant is not None:
        typer.echo(
            f"  Ventilée le {formater_date(avant[0])}, avant l'annulation de son import : "
            f"{destination(avant[1])}"
        )
        defaut = "comme avant"
    while True:
        reponse = typer.prompt(
            f"Choix [Entrée = {defaut}]", default="", show_default=False, prompt_suffix=" : "
        ).strip()
        cle = reponse.lower()
        parts: list[Part]
        if not reponse:
            if avant is not None:
                return avant[1]
            if proposee is None:
                return None
            parts = [Part(proposee.compte.numero)]
        elif cle == "?":
            typer.echo(AIDE)
            continue
        elif cle == "p":
            return None
        elif cle == "q":
            return _ARRET
        elif cle == "v":
            reparties = _repartir(plan, e, sur_attente(e), choix, classes or [])
            if reparties is None:
                continue
            parts = reparties
        else:
            lu, choix = essayer_compte(plan, reponse, e.sens, choix, tresorerie=True, attente=False)
            if lu is None:
                continue
            parts = [Part(lu)]
        try:
            return decider(plan, e, parts, None)
        except CoopComptaError as exc:
            typer.echo(f"  {exc.message}", err=True)


def _repartir(
    plan: PlanComptable, e: Ecriture, attente: Decimal, choix: Choix, classes: list[str]
) -> list[Part] | None:
    """`v`: account, amount and optional class tag, line by line, until nothing remains.
    Entrée alone instead of an account goes back to the choice (None)."""
    from coopcompta.cli.app import demander_classe
    from coopcompta.cli.choix_compte import demander_montant, essayer_compte
    from coopcompta.domain.ecritures import Part, reste_a_ventiler
    from coopcompta.domain.model import Ligne
    from coopcompta.domain.money import formater_euros
    from coopcompta.domain.ventilation import classe_connue

    lignes: list[Ligne] = []
    while (reste := reste_a_ventiler(attente, lignes)) > 0:
        if lignes:
            typer.echo(f"  Reste à ventiler : {formater_euros(reste)}")
        texte = typer.prompt(
            f"Ventilation {len(lignes) + 1} : compte [Entrée = revenir au choix]",
            default="",
            show_default=False,
            prompt_suffix=" : ",
        ).strip()
        if not texte:
            return None
        lu, choix = essayer_compte(plan, texte, e.sens, choix, attente=False)
        if lu is None:
            continue
        montant = demander_montant("  montant", reste)
        classe = classe_connue(demander_classe(classes, "  "), classes)
        lignes.append(Ligne(lu, montant, classe))
    return [Part(lg.compte, lg.montant, lg.classe) for lg in lignes]
