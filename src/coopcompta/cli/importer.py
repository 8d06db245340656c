"""`coop import`: bring a bank or AssoConnect statement into the ledger, once, categorised."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coopcompta.cli.app import (
    DbOption,
    app,
    confirmer,
    rien_modifie,
    verifier_format,
)
from coopcompta.domain.caracteres import echapper
from coopcompta.domain.ecritures import formater_date
from coopcompta.domain.errors import CoopComptaError
from coopcompta.usecases.comptabilite import ouvrir_ledger

# The module, not the Typer object `coopcompta.cli.app` also names: tests replace its
# stdin_interactif.
_app = sys.modules[__package__ + ".app"]

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from coopcompta.domain.categorisation import Regle
    from coopcompta.domain.model import Compte, ReleveLigne
    from coopcompta.domain.plan_comptable import PlanComptable
    from coopcompta.usecases.comptabilite import Ledger
    from coopcompta.usecases.importation import Analyse, ApercuReleve, Contexte, Resultat

# Above this many bytes, a terminal shows a progress bar while importing.
TAILLE_BARRE = 256 * 1024


@app.command("import")
def importer_releve(
    fichier: Annotated[
        Path | None,
        typer.Argument(
            metavar="RELEVÉ",
            help="Relevé à importer : CSV de la banque, OFX, QIF, export AssoConnect.",
            show_default=False,
        ),
    ] = None,
    tresorerie: Annotated[
        str | None,
        typer.Option(
            "--tresorerie",
            "-t",
            metavar="COMPTE",
            help="Compte de trésorerie du relevé (défaut : 512, ou 517 pour AssoConnect).",
            show_default=False,
        ),
    ] = None,
    profil: Annotated[
        Path | None,
        typer.Option(
            "--profil", metavar="PROFIL.yaml", help="Profil YAML décrivant un CSV inhabituel."
        ),
    ] = None,
    regles: Annotated[
        Path | None,
        typer.Option(
            "--regles",
            metavar="REGLES.yaml",
            help="Fichier de règles (YAML) ; retenu pour les imports suivants "
            "(défaut : regles.yaml à côté de la comptabilité).",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--simulation", "--dry-run", help="Lire et catégoriser sans rien enregistrer."
        ),
    ] = False,
    format: Annotated[
        str, typer.Option("--format", "-f", metavar="table|json", help="Sortie : table ou json.")
    ] = "table",
    interactif: Annotated[
        bool | None,
        typer.Option(
            "--interactif/--non-interactif",
            help="Revoir une à une les lignes sans règle (défaut : oui dans un terminal).",
            show_default=False,
        ),
    ] = None,
    annuler: Annotated[
        bool,
        typer.Option("--annuler", help="Annuler le dernier import (supprime ses écritures)."),
    ] = False,
    sauver_profil: Annotated[
        Path | None,
        typer.Option(
            "--sauver-profil",
            metavar="PROFIL.yaml",
            help="Enregistrer la disposition du CSV lu comme profil YAML (pour --profil).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Avec --sauver-profil : remplacer un fichier existant."),
    ] = False,
    oui: Annotated[
        bool,
        typer.Option("--oui", help="Ne pas demander de confirmation (pour les scripts)."),
    ] = False,
    db: DbOption = None,
) -> None:
    """Importe un relevé bancaire ou AssoConnect : chaque ligne une seule fois, catégorisée."""
    fmt = verifier_format(format, ("table", "json"))
    if annuler:
        if fichier is not None:
            raise CoopComptaError("--annuler s'emploie sans fichier", "--annuler")
        _annuler(db, fmt, oui)
        return
    if fichier is None:
        raise CoopComptaError("indiquez le fichier du relevé, par ex. coop import releve.csv")
    from coopcompta.usecases import importation as uc

    def avertir(message: str) -> None:
        typer.echo(f"Attention : {echapper(message)}", err=True)

    from coopcompta.usecases.saisie import classes_connues

    with ouvrir_ledger(db) as ledger:
        releve = uc.lire_releve_a_importer(fichier, profil)
        for note in releve.avertissements:
            avertir(f"{releve.fichier} : {note}")
        if sauver_profil is not None and dry_run:
            typer.echo(f"Simulation : profil non enregistré dans {sauver_profil}.", err=True)
        elif sauver_profil is not None:
            uc.sauver_profil_du_releve(releve, sauver_profil, force)
            typer.echo(
                f"Profil enregistré dans {sauver_profil} (réutilisable avec --profil).", err=True
            )
        ctx, chemin_regles = uc.preparer_import(ledger, releve, tresorerie, regles, avertir)
        if dry_run:
            _simuler(ledger, ctx, releve.lignes, fmt, releve.ignorees)
            _notes(releve.notes)
            return
        if interactif is None:  # a script asking for JSON gets no questions
            interactif = fmt != "json" and _app.stdin_interactif()
        nouvelles_regles: list[str] = []
        if interactif:
            analyses = list(uc.analyser(ledger, releve.lignes, ctx))
            _montrer_releve(uc.apercu_releve(analyses, ctx))
            connues = classes_connues(ledger)
            nouvelles_regles = _revoir(analyses, ctx, chemin_regles, connues)
            if not confirmer("Enregistrer ?"):
                rien_modifie()
            resultat = uc.enregistrer_releve(ledger, ctx, analyses=analyses)
        else:
            resultat = _importer_avec_barre(ledger, ctx, releve.lignes, fichier)
        _notes(releve.notes)
        from coopcompta.usecases.rapprochement import retenir_solde_du_releve

        retenir_solde_du_releve(ledger, fichier, ctx.tresorerie)
        n = uc.retenir_regles(ledger, ctx, chemin_regles, nouvelles_regles, regles)
        if n:
            from coopcompta.cli.render import pluriel

            quoi = pluriel(n, "règle ajoutée", "règles ajoutées")
            typer.echo(f"{quoi} à {chemin_regles}.")
        _afficher_resultat(resultat, fmt, simulation=False, ignorees=releve.ignorees)


_STATUTS_PLURIEL = {
    "nouvelle": "nouvelles",
    "déjà présente": "déjà présentes",
    "doublon possible": "doublons possibles",
    "ignorée": "ignorées",
}


def _montrer_releve(ap: ApercuReleve) -> None:
    """The statement in one glance before the first question: bank, account, counts."""
    from coopcompta.domain.francais import quantite

    banque = f"{ap.banque}, " if ap.banque else ""
    details = ", ".join(
        quantite(n, statut, _STATUTS_PLURIEL.get(statut, statut))
        for statut, n in ap.par_statut.items()
    )
    typer.echo(
        f"Relevé {ap.fichier} ({banque}compte {ap.tresorerie}) : "
        f"{quantite(ap.lignes, 'ligne')} — {details}."
    )
    typer.echo(
        f"{quantite(ap.par_les_regles, 'ligne classée', 'lignes classées')} par les règles, "
        f"{quantite(ap.a_revoir, 'ligne', 'lignes')} à revoir. Rien n'est enregistré avant la "
        "fin des questions."
    )


def _notes(notes: list[str]) -> None:
    """Rows the reader skipped on purpose (a refunded AssoConnect payment…), on stderr."""
    for note in notes:
        # a note quotes the file's cells (an AssoConnect status): never a raw control
        typer.echo(f"Note : {echapper(note)}", err=True)


def _importer_avec_barre(
    ledger: Ledger, ctx: Contexte, lignes: Iterable[ReleveLigne], fichier: Path
) -> Resultat:
    from coopcompta.usecases.importation import enregistrer_releve

    if not (sys.stderr.isatty() and fichier.stat().st_size > TAILLE_BARRE):
        return enregistrer_releve(ledger, ctx, lignes)
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with open(fichier, "rb") as f:
        total = sum(bloc.count(b"\n") for bloc in iter(lambda: f.read(1 << 20), b""))
    with Progress(
        TextColumn("Import de {task.description}", markup=False),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} lignes"),
        TimeRemainingColumn(),
        console=_app.console(stderr=True),
        transient=True,
    ) as barre:
        tache = barre.add_task(ctx.fichier, total=total)
        compteur = [0]

        def suivi(a: Analyse) -> None:
            compteur[0] += 1
            if compteur[0] % 2000 == 0:
                barre.update(tache, completed=a.ligne.ligne)

        return enregistrer_releve(ledger, ctx, lignes, suivi=suivi)


# --- output ------------------------------------------------------------------------------------


def _compte_affiche(a: Analyse) -> str | None:
    from coopcompta.domain.comptes import COMPTE_ATTENTE
    from coopcompta.usecases.importation import Statut

    if not a.a_ecrire and a.statut is not Statut.PRESENTE:
        return None
    c = a.categorisation
    if c is None or a.statut is Statut.PRESENTE:
        return None
    compte = c.compte
    return None if compte in (None, COMPTE_ATTENTE) and c.origine == "attente" else compte


def _raison(a: Analyse) -> str:
    parts = []
    if a.categorisation is not None and a.a_ecrire:
        parts.append(a.categorisation.raison)
    if a.message:
        parts.append(a.message)
    return " ; ".join(parts) or a.statut.value


def _analyse_json(a: Analyse, ctx: Contexte) -> dict[str, object]:
    from coopcompta.domain.money import formater_point
    from coopcompta.usecases.importation import suggestions_de

    return {
        "date": a.ligne.date.isoformat(),
        "libelle": a.ligne.libelle,
        "montant": formater_point(a.ligne.montant),
        "compte": _compte_affiche(a),
        "raison": _raison(a),
        "statut": a.statut.value,
        "suggestions": [
            {"compte": c, "confiance": round(score, 2), "raison": r}
            for c, score, r in suggestions_de(a, ctx)
        ],
    }


def _simuler(
    ledger: Ledger,
    ctx: Contexte,
    lignes: object,
    fmt: str,
    ignorees: Sequence[tuple[int, int, str]] = (),
) -> None:
    """--dry-run: every line, in file order, with its status; nothing written."""
    from coopcompta.domain.comptes import COMPTE_ATTENTE
    from coopcompta.domain.money import formater_euros
    from coopcompta.usecases.importation import Resultat, analyser

    resultat = Resultat(ctx.fichier, ctx.format, ctx.tresorerie, ctx.banque)
    ecrire = sys.stdout.write
    premiere = True
    if fmt == "json":
        ecrire("[")
    else:
        ecrire(
            f"{'Ligne':>5}  {'Date':<10}  {'Montant':>14}  {'Compte':<9} {'Statut':<16} "
            "Libellé — raison\n"
        )
    for a in analyser(ledger, lignes, ctx):  # type: ignore[arg-type]
        resultat.compter(a)
        if fmt == "json":
            ecrire(
                ("\n  " if premiere else ",\n  ")
                + json.dumps(_analyse_json(a, ctx), ensure_ascii=False)
            )
        else:
            compte = _compte_affiche(a) or (COMPTE_ATTENTE if a.a_ecrire else "—")
            ecrire(
                f"{a.ligne.ligne:>5}  {formater_date(a.ligne.date)}  "
                f"{formater_euros(a.ligne.montant):>14}"
                f"  {compte:<9} {a.statut.value:<16} {a.ligne.libelle} — {_raison(a)}\n"
            )
        premiere = False
    if fmt == "json":
        ecrire("\n]\n" if not premiere else "]\n")
    _afficher_resultat(resultat, "table", simulation=True, err=fmt == "json", ignorees=ignorees)


_IGNOREES_MONTREES = 12


def _lignes_ignorees(ignorees: Sequence[tuple[int, int, str]]) -> str:
    """`1 à 3 (avant l'en-tête), 9 (solde)`: the rows the reader did not take as
    transactions, the first dozen."""
    montrees = [
        f"{a} ({raison})" if a == b else f"{a} à {b} ({raison})"
        for a, b, raison in ignorees[:_IGNOREES_MONTREES]
    ]
    reste = len(ignorees) - len(montrees)
    return ", ".join(montrees) + (f", … et {reste} autres" if reste else "")


def _afficher_resultat(
    r: Resultat,
    fmt: str,
    simulation: bool,
    err: bool = False,
    ignorees: Sequence[tuple[int, int, str]] = (),
) -> None:
    from coopcompta.cli.render import pluriel
    from coopcompta.domain.money import formater_euros

    if fmt == "json":
        typer.echo(
            json.dumps(
                {
                    "import": r.import_id,
                    "fichier": r.fichier,
                    "format": r.format,
                    "tresorerie": r.tresorerie,
                    "lues": r.lues,
                    "nouvelles": r.nouvelles,
                    "deja_presentes": r.presentes,
                    "doublons_possibles": r.nb_doublons,
                    "rapprochees": r.nb_rapprochees,
                    "par_regle": r.par_regle,
                    "par_suggestion": r.par_suggestion,
                    "a_la_main": r.a_la_main,
                    "virements_internes": r.virements,
                    "en_attente_471": r.en_attente,
                    "hors_exercice": r.hors_exercice,
                    "ignorees": r.ignorees,
                    "lignes_ignorees": [
                        {"debut": a, "fin": b, "raison": raison} for a, b, raison in ignorees
                    ],
                    "ecritures": r.ecritures,
                    "pieces": [list(p) for p in r.pieces],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return

    def dire(texte: str = "") -> None:
        typer.echo(texte, err=err)

    source = f"{r.banque}, {r.format}" if r.banque and r.banque != "AssoConnect" else r.format
    dire(
        f"{r.fichier} ({source}) sur le compte {r.tresorerie} : "
        + pluriel(r.lues, "ligne lue", "lignes lues")
    )
    dire(
        f"  {pluriel(r.nouvelles, 'nouvelle', 'nouvelles')}, "
        f"{pluriel(r.presentes, 'déjà présente', 'déjà présentes')}, "
        f"{pluriel(r.nb_doublons, 'doublon possible', 'doublons possibles')}"
    )
    if r.nouvelles:
        details = [
            f"{r.par_regle} par règle",
            f"{r.par_suggestion} par suggestion",
        ]
        if r.a_la_main:
            details.append(f"{r.a_la_main} à la main")
        if r.virements:
            details.append(pluriel(r.virements, "virement interne", "virements internes"))
        details.append(f"{r.en_attente} en attente sur 471")
        dire(f"  catégorisées : {', '.join(details)}")
    if r.hors_exercice:
        quoi = pluriel(r.hors_exercice, "ligne", "lignes") + " hors exercice, non "
        dire(f"  {quoi}{'importées' if r.hors_exercice > 1 else 'importée'}")
    if r.ignorees:
        quoi = pluriel(r.ignorees, "ligne", "lignes") + " de montant nul, "
        dire(f"  {quoi}{'ignorées' if r.ignorees > 1 else 'ignorée'}")
    if ignorees:
        dire(f"  lignes ignorées (pas des opérations) : {_lignes_ignorees(ignorees)}")

    def lister(titre: str, analyses: list[Analyse], total: int) -> None:
        if not analyses:
            return
        dire(titre)
        for a in analyses:
            dire(
                f"  {r.fichier}:{a.ligne.ligne}  {formater_date(a.ligne.date)}  "
                f"{formater_euros(a.ligne.montant)}  {a.ligne.libelle} : {a.message}"
            )
        if total > len(analyses):
            dire(f"  … et {pluriel(total - len(analyses), 'autre', 'autres')}")

    lister("Doublons possibles (importés quand même, à vérifier) :", r.doublons, r.nb_doublons)
    lister("Rapprochées d'écritures déjà enregistrées :", r.rapprochees, r.nb_rapprochees)
    if simulation:
        dire("Simulation : rien n'a été enregistré.")
        return
    if r.import_id is None:
        dire("Rien de nouveau : la comptabilité est inchangée.")
        return
    pieces = ", ".join(a if a == b else f"{a} à {b}" for a, b in r.pieces)
    seule = len(r.pieces) == 1 and r.pieces[0][0] == r.pieces[0][1]
    quoi = pluriel(r.ecritures, "écriture", "écritures")
    if pieces:
        quoi += f", pièce{'' if seule else 's'} {pieces}"
    if r.nb_rapprochees:
        quoi += f", {pluriel(r.nb_rapprochees, 'ligne rapprochée', 'lignes rapprochées')}"
    dire(f"Import n° {r.import_id} enregistré : {quoi}. Pour l'annuler : coop import --annuler")
    if r.en_attente:
        dire(
            f"{pluriel(r.en_attente, 'écriture attend', 'écritures attendent')} sur 471 "
            "(à ventiler) : coop verifier les signale."
        )


def _annuler(db: Path | None, fmt: str, oui: bool) -> None:
    from coopcompta.usecases.importation import annuler_dernier_import

    with ouvrir_ledger(db) as ledger:
        if not oui:
            _montrer_annulation(ledger)
            if not confirmer("Supprimer ces écritures ?", defaut=False):
                rien_modifie()
        a = annuler_dernier_import(ledger)
    if fmt == "json":
        typer.echo(
            json.dumps(
                {"import": a.import_id, "fichier": a.fichier, "ecritures_supprimees": a.ecritures},
                ensure_ascii=False,
            )
        )
        return
    import datetime as dt

    from coopcompta.cli.render import pluriel

    quand = dt.datetime.fromisoformat(a.importe_le)
    typer.echo(
        f"Import n° {a.import_id} ({a.fichier}, importé le {quand:%d/%m/%Y à %H:%M}) annulé : "
        f"{pluriel(a.ecritures, 'écriture supprimée', 'écritures supprimées')}."
    )


def _montrer_annulation(ledger: Ledger) -> None:
    """What --annuler would remove and what changed since the import, before asking."""
    import datetime as dt

    from coopcompta.domain.francais import quantite
    from coopcompta.domain.money import formater_euros
    from coopcompta.usecases.importation import ImportImpossible, apercu_annulation

    ap = apercu_annulation(ledger)
    if ap.obstacles:
        raise ImportImpossible(
            f"impossible d'annuler l'import n° {ap.import_id} ({ap.fichier}) : "
            + " ; ".join(ap.obstacles)
            + ". Corrigez plutôt écriture par écriture (coop annuler).",
            "--annuler",
        )
    quand = dt.datetime.fromisoformat(ap.importe_le)
    typer.echo(
        f"Import n° {ap.import_id} ({ap.fichier}, importé le {quand:%d/%m/%Y à %H:%M}) : "
        f"{quantite(ap.ecritures, 'écriture')} à supprimer."
    )
    for piece, jour, libelle, montant in ap.premieres:
        typer.echo(
            f"  pièce {piece or '—'} du {formater_date(jour)}  {libelle}  {formater_euros(montant)}"
        )
    if ap.ecritures > len(ap.premieres):
        typer.echo(f"  … et {ap.ecritures - len(ap.premieres)} autres.")
    if ap.ventilees:
        typer.echo(
            f"Attention : {quantite(ap.ventilees, 'écriture')} de cet import "
            f"{'a été ventilée' if ap.ventilees == 1 else 'ont été ventilées'} depuis : "
            "ces ventilations seront perdues (coop ventiler les reproposera).",
            err=True,
        )
    if ap.rapprochees:
        un = ap.rapprochees == 1
        typer.echo(
            f"Attention : {quantite(ap.rapprochees, 'chèque saisi', 'chèques saisis')} à la "
            f"main et {'confirmé' if un else 'confirmés'} par une remise de cet import ne "
            f"{'le sera' if un else 'le seront'} plus.",
            err=True,
        )
    typer.echo("Les numéros de pièce de ces écritures ne seront pas redonnés.")


# --- interactive review ------------------------------------------------------------------------

AIDE = (
    "  Entrée : accepter la proposition · 1, 2… : une suggestion de la liste\n"
    "  numéro ou alias de compte, ou mots à chercher (ex. « photos ») : un autre compte\n"
    "  v : ventiler sur plusieurs comptes · a : laisser en attente sur 471\n"
    "  t : toujours ce compte pour ce libellé (ajoute une règle)\n"
    "  c : rapprocher des chèques déjà saisis · b : saisir les chèques du bordereau"
)


def _revoir(
    analyses: list[Analyse], ctx: Contexte, chemin_regles: Path, classes: Sequence[str] = ()
) -> list[str]:
    """Ask about each line without a rule; returns the YAML of the rules to append.
    Nothing is written before every answer is in."""
    from coopcompta.usecases.importation import (
        actualiser_suggestions,
        categoriser_par_regles,
        est_a_revoir,
        retenir_decision,
    )

    a_revoir = [a for a in analyses if est_a_revoir(a)]
    if not a_revoir:
        return []
    from coopcompta.cli.render import pluriel

    typer.echo(
        f"{pluriel(len(a_revoir), 'ligne', 'lignes')} à revoir. À chaque ligne : Entrée "
        "accepte la proposition ;"
        " un numéro de la liste, un compte ou des mots à chercher ; v ventiler ;"
        " a attente sur 471 ; t toujours ce compte ; ? aide."
    )
    textes: list[str] = []
    ajoutees: list[Regle] = []
    utilises: set[int] = set()
    for n, a in enumerate(a_revoir, 1):
        if ajoutees and not a.est_remise and categoriser_par_regles(a, ctx, ajoutees):
            raison = a.categorisation.raison if a.categorisation else ""
            typer.echo(f"[{n}/{len(a_revoir)}] {a.ligne.libelle} : {raison} appliquée.")
            continue
        if n > 1:  # what was decided on the lines before counts too
            actualiser_suggestions(ctx, a)
        _revoir_ligne(a, n, len(a_revoir), ctx, chemin_regles, textes, ajoutees, utilises, classes)
        retenir_decision(ctx, a)
    return textes


def _afficher_ligne_releve(a: Analyse, n: int, total: int, ctx: Contexte) -> None:
    from coopcompta.domain.money import formater_euros

    typer.echo(
        f"\n[{n}/{total}] {ctx.fichier}:{a.ligne.ligne}  {a.ligne.date:%d/%m/%Y}  "
        f"{a.ligne.libelle}  {formater_euros(a.ligne.montant)}"
    )
    if a.message:
        typer.echo(f"  ⚠ {a.message}")


def _revoir_ligne(
    a: Analyse,
    n: int,
    total: int,
    ctx: Contexte,
    chemin_regles: Path,
    textes: list[str],
    ajoutees: list[Regle],
    utilises: set[int],
    classes: Sequence[str] = (),
) -> None:
    from coopcompta.domain.money import formater_euros
    from coopcompta.usecases import importation as uc

    plan = ctx.plan
    _afficher_ligne_releve(a, n, total, ctx)
    suggestions = a.suggestions[:3]  # the three best, each with its reason
    choix: list[Compte] = [s.compte for s in suggestions]
    for i, s in enumerate(suggestions, 1):
        typer.echo(
            f"  {i}. {s.compte.numero} {s.compte.libelle} — {s.raison} ({round(s.score * 100)} %)"
        )
    remise = tuple(ch for ch in a.remise if ch.id not in utilises)
    if remise:
        liste = ", ".join(f"pièce {ch.piece} {formater_euros(ch.montant)}" for ch in remise)
        typer.echo(f"  Chèques saisis de même total : {liste} (c : les rapprocher)")
    if a.est_remise:
        typer.echo("  b : saisir les chèques du bordereau de remise")
    c = a.categorisation
    appliquer: Callable[[], None]
    if remise:
        # A deposit of cheques already typed by hand: matching them is the usual answer;
        # adding the line would count those receipts twice.
        defaut = "rapprocher des chèques saisis"

        def appliquer() -> None:
            uc.rapprocher_remise(a, remise)
            utilises.update(ch.id for ch in remise)
            typer.echo(f"  → {a.message} : rien ne sera ajouté.")

    elif c is not None and c.origine in ("regle", "virement"):
        defaut, appliquer = c.raison, lambda: None
    elif a.suggestions and a.suggestions[0].score >= uc.SEUIL_PROPOSITION:
        s0 = a.suggestions[0]
        defaut = f"{s0.compte.numero} {s0.compte.libelle}"
        appliquer = lambda: uc.accepter_suggestion(a, s0)  # noqa: E731
    else:
        defaut, appliquer = "attente sur 471", lambda: uc.mettre_en_attente(a)
    while True:
        reponse = typer.prompt(
            f"Choix [Entrée = {defaut}]", default="", show_default=False, prompt_suffix=" : "
        ).strip()
        cle = reponse.lower()
        if not reponse:
            appliquer()
            return
        if cle == "?":
            typer.echo(AIDE)
            continue
        if cle == "a":
            uc.mettre_en_attente(a)
            return
        if cle == "v":
            _ventiler(a, plan, classes)
            return
        if cle == "c":
            if not remise:
                typer.echo("  Aucun ensemble de chèques saisis ne fait ce montant.", err=True)
                continue
            uc.rapprocher_remise(a, remise)
            utilises.update(ch.id for ch in remise)
            typer.echo(f"  → {a.message} : rien ne sera ajouté.")
            return
        if cle == "b":
            if not a.est_remise:
                typer.echo("  « b » sert aux remises de chèques.", err=True)
                continue
            _bordereau(a, plan)
            return
        if cle == "t":
            if _toujours(a, ctx, chemin_regles, textes, ajoutees, choix):
                return
            continue
        if reponse.isdigit() and 1 <= int(reponse) <= len(choix) and len(reponse) == 1:
            compte = choix[int(reponse) - 1]
        else:
            trouve = _compte_ou_recherche(plan, reponse, a)
            if isinstance(trouve, list):
                choix = trouve
                continue
            compte = trouve
        if _affecter(a, compte, ctx):
            return


def _compte_ou_recherche(plan: PlanComptable, texte: str, a: Analyse) -> Compte | list[Compte]:
    """An account by number or alias; otherwise the search results, listed and numbered."""
    from coopcompta.domain.comptes import COMPTE_ATTENTE
    from coopcompta.domain.ecritures import NATURE_ATTENDUE
    from coopcompta.domain.model import Nature
    from coopcompta.domain.suggestions import rechercher_comptes

    compte = plan.trouver(texte)
    if compte is not None:
        return compte
    attendue = NATURE_ATTENDUE[a.sens]
    trouves = [
        c
        for c in rechercher_comptes(plan, texte)
        if c.nature in (attendue, Nature.TRESORERIE) or c.numero == COMPTE_ATTENTE
    ][:9]
    if not trouves:
        typer.echo(f"  Aucun compte ne correspond à « {texte} » (voir `coop plan`).", err=True)
        return []
    typer.echo(f"  Comptes trouvés pour « {texte} » :")
    for i, c in enumerate(trouves, 1):
        typer.echo(f"  {i}. {c.numero} {c.libelle}")
    return trouves


def _affecter(a: Analyse, compte: Compte, ctx: Contexte) -> bool:
    """Put the whole line on this account (a treasury account: a virement interne)."""
    from coopcompta.usecases.importation import affecter_compte

    try:
        affecter_compte(a, ctx, compte)
    except CoopComptaError as exc:
        typer.echo(f"  {exc.message}", err=True)
        return False
    return True


def _demander_compte_de_ligne(plan: PlanComptable, a: Analyse, question: str) -> str:
    from coopcompta.domain.ecritures import compte_ventilation

    choix: list[Compte] = []
    while True:
        texte = typer.prompt(question, prompt_suffix=" : ").strip()
        if not texte:
            continue
        if texte.isdigit() and len(texte) == 1 and 1 <= int(texte) <= len(choix):
            compte: Compte | list[Compte] = choix[int(texte) - 1]
        else:
            compte = _compte_ou_recherche(plan, texte, a)
        if isinstance(compte, list):
            choix = compte
            continue
        try:
            return compte_ventilation(plan, compte.numero, a.sens)
        except CoopComptaError as exc:
            typer.echo(f"  {exc.message}", err=True)


def _ventiler(a: Analyse, plan: PlanComptable, classes: Sequence[str] = ()) -> None:
    """Account, amount and optional class, part by part, like `coop saisie` and `coop ventiler`."""
    from coopcompta.cli.app import demander_classe
    from coopcompta.cli.choix_compte import demander_montant
    from coopcompta.domain.model import Ligne
    from coopcompta.usecases.importation import reste_de_ligne_releve, ventiler_ligne_releve

    parts: list[Ligne] = []
    while (reste := reste_de_ligne_releve(a, parts)) > 0:
        compte = _demander_compte_de_ligne(plan, a, f"Ventilation {len(parts) + 1} : compte")
        montant = demander_montant("  montant", reste)
        parts.append(Ligne(compte, montant, demander_classe(list(classes), "  ") or None))
    ventiler_ligne_releve(a, parts, classes=classes)


def _bordereau(a: Analyse, plan: PlanComptable) -> None:
    """Type the cheques of the deposit slip until their total is the bank line's amount."""
    from coopcompta.cli.choix_compte import demander_montant
    from coopcompta.domain.model import Ligne
    from coopcompta.usecases.importation import reste_de_ligne_releve, saisir_remise

    cheques: list[tuple[str, Decimal, str | None]] = []
    while (reste := reste_de_ligne_releve(a, [Ligne(c, m) for c, m, _ in cheques])) > 0:
        k = len(cheques) + 1
        montant = demander_montant(f"Chèque {k} : montant", reste)
        compte = _demander_compte_de_ligne(plan, a, f"Chèque {k} : compte")
        payeur = typer.prompt(
            f"Chèque {k} : payeur (facultatif)", default="", show_default=False, prompt_suffix=" : "
        ).strip()
        cheques.append((compte, montant, payeur or None))
    saisir_remise(a, cheques)


def _toujours(
    a: Analyse,
    ctx: Contexte,
    chemin_regles: Path,
    textes: list[str],
    ajoutees: list[Regle],
    choix: list[Compte],
) -> bool:
    """ "Toujours ce compte pour ce libellé": a rule, after confirmation; applies at once."""
    from coopcompta.usecases.importation import creer_regle, motif_propose

    plan = ctx.plan
    defaut = choix[0].numero if choix else None
    question = "Compte pour ce libellé" + (f" [Entrée = {defaut}]" if defaut else "")
    texte = typer.prompt(question, default="", show_default=False, prompt_suffix=" : ").strip() or (
        defaut or ""
    )
    if not texte:
        return False
    trouve = _compte_ou_recherche(plan, texte, a)
    if isinstance(trouve, list):
        return False
    motif = typer.prompt("Motif (texte du libellé à reconnaître)", default=motif_propose(a)).strip()
    if not motif:
        return False
    if not confirmer(
        f"Ajouter à {chemin_regles.name} la règle « {motif} » → {trouve.numero} "
        f"{trouve.libelle} ({'crédits' if a.credit else 'débits'}) ?"
    ):
        return False
    try:
        regle, yaml_regle = creer_regle(a, ctx, motif, trouve, chemin_regles.name)
    except CoopComptaError as exc:
        typer.echo(f"  {exc}", err=True)
        return False
    textes.append(yaml_regle)
    ajoutees.append(regle)
    return True
