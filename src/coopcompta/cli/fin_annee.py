"""Rendering of the year-end documents in `coop bilan`: reconciliation, cash, régies, registers."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import RenderableType

    from coopcompta.domain.fin_annee import DocumentsFinAnnee


def rendu_documents(docs: DocumentsFinAnnee) -> list[RenderableType]:
    from rich.markup import escape

    from coopcompta.cli.registres import tableau_inventaire, tableau_subventions
    from coopcompta.cli.render import Colonne, balise, style, tableau
    from coopcompta.domain.francais import quantite
    from coopcompta.domain.money import formater_euros

    blocs: list[RenderableType] = [
        "",
        style("Documents de fin d'exercice", "bold underline"),
    ]
    if docs.cloture is not None:
        c = docs.cloture
        forcee = f" ; clôture forcée : {c.raison_forcee}" if c.raison_forcee else ""
        blocs.append(f"Exercice clôturé et scellé le {c.cloture_le[:10]}{forcee}.")
    if not docs.rapprochements:
        blocs.append(
            balise("Rapprochement bancaire : [yellow]aucun[/yellow] (`coop rapprochement`).")
        )
    for r in docs.rapprochements:
        t = r.tableau
        etat = (
            "[green]juste[/green]" if t.equilibre else f"[red]écart {formater_euros(t.ecart)}[/red]"
        )
        blocs.append(
            balise(
                f"Rapprochement {t.compte} au {t.date:%d/%m/%Y} : relevé "
                f"{formater_euros(t.solde_releve)}, {quantite(len(t.en_suspens), 'opération')} "
                f"en suspens, livre {formater_euros(t.solde_livre)} — {etat} "
                "(`coop rapprochement --voir`)."
            )
        )
    if not docs.arretes:
        blocs.append(balise("Arrêté de caisse : [yellow]aucun[/yellow] (`coop caisse compter`)."))
    for a in docs.arretes:
        etat = (
            "[green]juste[/green]"
            if a.ecart == 0
            else f"[red]écart {formater_euros(a.ecart)}[/red]"
        )
        blocs.append(
            balise(
                f"Arrêté de caisse {a.arrete.compte} au {a.arrete.date:%d/%m/%Y} par "
                f"{escape(a.arrete.par)} : {formater_euros(a.arrete.total)} comptés — {etat}."
            )
        )
    if docs.regies:
        blocs.append(
            tableau(
                [Colonne("Régie"), Colonne("Compte"), Colonne("Solde", montant=True)],
                [[g.nom, g.compte, g.solde] for g in docs.regies],
                titre="Régies d'avances",
            )
        )
    if docs.subventions:
        blocs.append(tableau_subventions(list(docs.subventions)))
    if docs.subventions_non_listees:
        blocs.append(
            f"Tableau des subventions : {quantite(docs.subventions_non_listees, 'ligne')} sur "
            "les comptes 74, trop pour le bilan : `coop subventions liste` les donne toutes."
        )
    if docs.inventaire:
        blocs.append(tableau_inventaire(list(docs.inventaire)))
    return blocs
