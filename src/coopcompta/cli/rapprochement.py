"""`coop rapprochement`: point the books against the bank statement, show and keep the tableau."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coopcompta.cli.app import DbOption, ExerciceOption, app, console
from coopcompta.domain.comptes import COMPTE_BANQUE
from coopcompta.usecases.comptabilite import ouvrir_ledger, plan_du_ledger

_app = sys.modules[__package__ + ".app"]

if TYPE_CHECKING:
    from decimal import Decimal

    from rich.console import RenderableType

    from coopcompta.domain.rapprochement import LigneHorsLivre, Tableau
    from coopcompta.usecases.rapprochement import Preparation


@app.command()
def rapprochement(
    db: DbOption = None,
    exercice: ExerciceOption = None,
    compte: Annotated[
        str, typer.Option("--compte", metavar="COMPTE", help="Compte bancaire (défaut : 512).")
    ] = COMPTE_BANQUE,
    date: Annotated[
        str | None,
        typer.Option("--date", metavar="JJ/MM/AAAA", help="Date du relevé (défaut : 31 août)."),
    ] = None,
    solde: Annotated[
        str | None,
        typer.Option("--solde", metavar="MONTANT", help="Solde du relevé à cette date."),
    ] = None,
    releve: Annotated[
        Path | None,
        typer.Option(
            "--releve",
            metavar="FICHIER",
            help="Export du relevé qui porte son solde (colonne Solde, « Solde au », OFX).",
        ),
    ] = None,
    pointer: Annotated[
        list[str] | None,
        typer.Option(
            "--pointer", metavar="PIECE", help="Pièce vue sur le relevé (répétable ; plage 40-52)."
        ),
    ] = None,
    tout_pointer: Annotated[
        bool,
        typer.Option("--tout-pointer", help="Tout est sur le relevé, sauf les pièces de --sauf."),
    ] = False,
    sauf: Annotated[
        list[str] | None,
        typer.Option("--sauf", metavar="PIECE", help="Pièce pas encore sur le relevé."),
    ] = None,
    hors_livre: Annotated[
        list[str] | None,
        typer.Option(
            "--hors-livre",
            metavar="LIBELLE=MONTANT",
            help="Ligne du relevé absente de la comptabilité (montant signé comme sur le relevé).",
        ),
    ] = None,
    voir: Annotated[
        bool, typer.Option("--voir", help="Afficher les rapprochements enregistrés, sans pointer.")
    ] = False,
    oui: Annotated[bool, typer.Option("--oui", help="Enregistrer sans demander.")] = False,
) -> None:
    """Rapprochement bancaire : pointe les écritures sur le relevé et garde le tableau.

    Les lignes importées du relevé (coop import) sont pointées d'office ; les écritures
    saisies à la main se pointent avec --pointer, --tout-pointer --sauf, ou une à une.
    Le tableau (solde du relevé − chèques non encaissés + dépôts non crédités = solde du
    livre) n'est enregistré que s'il tombe juste au centime.
    """
    from coopcompta.domain.ecritures import lire_date
    from coopcompta.domain.errors import SaisieInvalide
    from coopcompta.domain.money import lire_montant
    from coopcompta.domain.rapprochement import lire_hors_livre
    from coopcompta.usecases import rapprochement as uc

    with ouvrir_ledger(db) as ledger:
        if voir:
            out = console()
            faits = uc.rapprochements(ledger, ledger.exercice(exercice).nom)
            if not faits:
                out.print("Aucun rapprochement enregistré pour cet exercice.")
            for r in faits:
                for bloc in rendu_tableau(r.actuel, f"enregistré le {r.fait_le[:10]}"):
                    out.print(bloc)
            return
        prep = uc.preparer(
            ledger,
            plan_du_ledger(ledger),
            compte,
            lire_date(date, "--date") if date is not None else None,
            lire_montant(solde, "--solde") if solde else None,
            releve,
            exercice,
        )
        lignes_hors = [lire_hors_livre(h) for h in hors_livre or []]
        interactif = _app.stdin_interactif()
        montant = prep.solde_releve
        if montant is None:
            if not interactif:
                raise SaisieInvalide(
                    "solde du relevé inconnu : indiquez-le avec --solde (ou --releve)", "--solde"
                )
            montant = _app.demander(
                f"Solde du relevé au {prep.date:%d/%m/%Y}", lambda t: lire_montant(t, "solde")
            )
        pointes = uc.pointes_demandes(prep, pointer or [], tout_pointer, sauf or [])
        if interactif and not pointer and not tout_pointer:
            pointes = _pointer_a_la_main(prep, pointes, lignes_hors, montant)
        t = prep.tableau(pointes, lignes_hors, montant)
        out = console()
        for bloc in rendu_tableau(t, prep.source or "saisi"):
            out.print(bloc)
        demander = t.equilibre and interactif and not oui
        if demander and not _app.confirmer("Enregistrer ce rapprochement ?", defaut=True):
            raise typer.Abort()
        uc.enregistrer(ledger, prep, t, pointes)
        out.print(f"Rapprochement du compte {t.compte} au {t.date:%d/%m/%Y} enregistré.")


def _pointer_a_la_main(
    prep: Preparation, pointes: set[int], hors: list[LigneHorsLivre], montant: Decimal
) -> set[int]:
    """Ask for pièces seen on the statement until Enter; sum and difference always on screen."""
    from coopcompta.domain.errors import CoopComptaError
    from coopcompta.domain.francais import quantite
    from coopcompta.domain.money import formater_euros
    from coopcompta.domain.rapprochement import choisir

    out = console()
    out.print(f"Écritures du compte {prep.compte} pas encore pointées au {prep.date:%d/%m/%Y} :")
    for m in prep.mouvements:
        out.print(
            f"  {m.piece or '-':>6}  {m.date:%d/%m/%Y}  {m.libelle[:44]:44} "
            f"{formater_euros(m.montant):>12}"
        )
    while True:
        t = prep.tableau(pointes, hors, montant)
        selection = sum((m.montant for m in prep.mouvements if m.ecriture_id in pointes), 0)
        out.print(
            f"Pointé : {formater_euros(selection)} ({quantite(len(pointes), 'écriture')}) ; "
            f"écart restant : {formater_euros(t.ecart)}"
        )
        texte = typer.prompt(
            "Pièces vues sur le relevé (« -12 » pour dépointer, Entrée pour finir)",
            default="",
            show_default=False,
            prompt_suffix=" : ",
        )
        if not texte.strip():
            return pointes
        try:
            retirer = [p[1:] for p in texte.split() if p.startswith("-") and len(p) > 1]
            ajouter = [p for p in texte.split() if not p.startswith("-")]
            pointes = (pointes | (choisir(prep.mouvements, ajouter) if ajouter else set())) - (
                choisir(prep.mouvements, retirer) if retirer else set()
            )
        except CoopComptaError as exc:
            typer.echo(f"  {exc.message}", err=True)


def rendu_tableau(t: Tableau, source: str) -> list[RenderableType]:
    from coopcompta.cli.render import Colonne, balise, tableau
    from coopcompta.domain.money import formater_euros

    colonnes = [
        Colonne("Pièce", no_wrap=True),
        Colonne("Date", no_wrap=True),
        Colonne("Libellé"),
        Colonne("Montant", montant=True),
    ]
    lignes: list[list[object]] = [["", "", f"Solde du relevé ({source})", t.solde_releve]]
    cheques, depots = t.cheques_non_encaisses, t.depots_non_credites
    lignes.append(["", "", f"− Sorties pas encore sur le relevé ({len(cheques)})", None])
    for m in cheques:
        quoi = f"{m.libelle} (chèque {m.cheque})" if m.cheque else m.libelle
        lignes.append([m.piece or "", f"{m.date:%d/%m/%Y}", f"  {quoi}", -m.montant])
    lignes.append(["", "", f"+ Entrées pas encore sur le relevé ({len(depots)})", None])
    for m in depots:
        lignes.append([m.piece or "", f"{m.date:%d/%m/%Y}", f"  {m.libelle}", m.montant])
    if t.hors_livre:
        lignes.append(["", "", "− Lignes du relevé absentes de la comptabilité", None])
        for h in t.hors_livre:
            lignes.append(["", "", f"  {h.libelle}", h.montant])
    lignes.append(["", "", "= Solde expliqué", t.solde_calcule])
    titre = f"Rapprochement du compte {t.compte} au {t.date:%d/%m/%Y}"
    blocs: list[RenderableType] = [
        tableau(colonnes, lignes, titre=titre, totaux=[["", "", "Solde du livre", t.solde_livre]])
    ]
    if t.equilibre:
        blocs.append(
            balise("Écart : [bold green]0,00 €[/bold green] — le rapprochement tombe juste.")
        )
    else:
        blocs.append(
            balise(
                f"Écart : [bold red]{formater_euros(t.ecart)}[/bold red] — pointez ce qui figure "
                "sur le relevé, ou saisissez ce qui manque."
            )
        )
    return blocs
