"""`coop bilan` (the year-end statements) and `coop verifier` (the checks before signing)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coopcompta.cli.app import DbOption, ExerciceOption, app, console, verifier_format
from coopcompta.domain.errors import CoopComptaError, DonneesInutilisables

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

    from coopcompta.domain.checks import Verification
    from coopcompta.domain.reports import Bilan, Rubrique

ToleranceEurosOption = Annotated[
    str | None,
    typer.Option(
        "--tolerance-euros",
        metavar="MONTANT",
        help="Écart toléré sur le solde exceptionnel, en euros (défaut : 50).",
        show_default=False,
    ),
]
FormatOption = Annotated[
    str,
    typer.Option(
        "--format", "-f", metavar="FORMAT", help="Sortie : table ou json (pour les scripts)."
    ),
]
TolerancePartOption = Annotated[
    str | None,
    typer.Option(
        "--tolerance-part",
        metavar="POURCENT",
        help="Écart toléré en pourcentage des recettes (défaut : 1) ; le plus grand des deux "
        "s'applique.",
        show_default=False,
    ),
]


@app.command()
def bilan(
    db: DbOption = None,
    exercice: ExerciceOption = None,
    format: FormatOption = "table",
    tolerance_euros: ToleranceEurosOption = None,
    tolerance_part: TolerancePartOption = None,
) -> None:
    """Affiche le compte de fonctionnement, le bilan simplifié et le contrôle des exceptionnels.

    Comme la « page de bilan » du compte rendu financier : dépenses et recettes par
    rubrique, résultat, trésorerie et équilibre du bilan, charges et produits
    exceptionnels, totaux par classe ou projet. --format json pour les scripts.
    """
    from coopcompta.domain.fin_annee import documents_json
    from coopcompta.usecases.bilan import etablir_bilan
    from coopcompta.usecases.comptabilite import ouvrir_ledger
    from coopcompta.usecases.fin_annee import documents

    fmt = verifier_format(format, ("table", "json"))
    with ouvrir_ledger(db) as ledger:
        etabli = etablir_bilan(ledger, exercice, tolerance_euros, tolerance_part)
        docs = documents(ledger, etabli.bilan.exercice, pour="bilan")
    resultat, cooperative = etabli.bilan, etabli.cooperative
    if fmt == "json":
        sortie = resultat.vers_json() | documents_json(docs)
        typer.echo(json.dumps(sortie, ensure_ascii=False, indent=2))
        return
    from coopcompta.cli.fin_annee import rendu_documents

    out = console()
    for bloc in [*_rendu_bilan(resultat, cooperative, out.width), *rendu_documents(docs)]:
        out.print(bloc, soft_wrap=False)


FormatVerifierOption = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="Sortie : table, json (pour les scripts), github (annotations d'un workflow "
        "GitHub Actions) ou junit (rapport XML pour GitLab, Jenkins…).",
    ),
]
PlanJournauxOption = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        metavar="FICHIER",
        help="Plan comptable (YAML) pour lire les journaux CSV (défaut : le plan fourni).",
        show_default=False,
    ),
]
ProcessusOption = Annotated[
    int,
    typer.Option(
        "--processus",
        "-j",
        metavar="N",
        min=0,
        help="Fichiers vérifiés en même temps (défaut : un par cœur).",
        show_default=False,
    ),
]


@app.command()
def verifier(
    fichiers: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[FICHIER|DOSSIER]...",
            help="Comptabilités (.db), journaux CSV (format de `coop saisie --fichier`) ou "
            "dossiers qui en contiennent ; défaut : la comptabilité de --db.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    exercice: ExerciceOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Les avertissements font aussi échouer.")
    ] = False,
    format: FormatVerifierOption = "table",
    tolerance_euros: ToleranceEurosOption = None,
    tolerance_part: TolerancePartOption = None,
    plan: PlanJournauxOption = None,
    processus: ProcessusOption = 0,
) -> None:
    """Vérifie la comptabilité avant de faire signer le bilan.

    Ventilations, équilibre du bilan, solde des exceptionnels, dates, compte 471,
    pièces manquantes ou en double, régies, comptes hors plan, chèques, dépenses
    interdites. Plusieurs fichiers ou un dossier : chacun est vérifié à part, puis un
    tableau les résume. Code de sortie : 0 si tout va bien, 1 s'il y a des erreurs (ou
    des avertissements avec --strict), 2 si une vérification est impossible (fichier
    illisible, exercice inconnu, option invalide) ; avec plusieurs fichiers, le pire.
    """
    from coopcompta.cli.verification import FORMATS, executer
    from coopcompta.usecases.controle import Reglages, chemins_ou_ledger

    reglages = Reglages(exercice, tolerance_euros, tolerance_part, plan)
    try:
        fmt = verifier_format(format, FORMATS)
        reglages.valider()
    except DonneesInutilisables:
        raise
    except CoopComptaError as exc:
        # CI must tell "the ledger has errors" (1) from "nothing could be checked" (2).
        raise DonneesInutilisables(exc.message, exc.ou) from None
    raise typer.Exit(executer(chemins_ou_ledger(fichiers, db), reglages, fmt, strict, processus))


# -- rendering -------------------------------------------------------------------------


def _rubriques(titre: str, rubriques: tuple[Rubrique, ...], total: object, total_nom: str) -> Table:
    from coopcompta.cli.render import Colonne, style, tableau

    lignes: list[list[object]] = []
    for r in rubriques:
        lignes.append(["", style(r.nom, "bold"), None])
        for c in r.comptes:
            libelle = style("  (compte hors plan)", "italic") if c.hors_plan else f"  {c.libelle}"
            lignes.append([c.numero, libelle, c.montant])
        lignes.append(["", style("  Sous-total", "italic"), r.total])
    if not rubriques:
        lignes.append(["", style("aucune", "italic"), None])
    return tableau(
        [Colonne("Compte", no_wrap=True), Colonne("Libellé"), Colonne("Montant", montant=True)],
        lignes,
        titre=titre,
        totaux=[["", total_nom, total]],
    )


def _rendu_bilan(b: Bilan, cooperative: str, largeur: int) -> list[RenderableType]:
    from rich.table import Table
    from rich.text import Text

    from coopcompta.cli.render import Colonne, style, tableau
    from coopcompta.domain.money import formater_euros

    f, s, x = b.fonctionnement, b.simplifie, b.exceptionnel
    ex = b.exercice
    blocs: list[RenderableType] = []
    entete = Text.assemble(
        (f"Bilan de l'exercice {ex.nom}", "bold"),
        f" (du {ex.debut:%d/%m/%Y} au {ex.fin:%d/%m/%Y})",
        f" — {cooperative}" if cooperative else "",
    )
    blocs.append(entete)

    depenses = _rubriques("Dépenses", f.depenses, f.total_depenses, "Total des dépenses")
    recettes = _rubriques("Recettes", f.recettes, f.total_recettes, "Total des recettes")
    if largeur >= 140:
        cote = Table.grid(padding=(0, 4))
        cote.add_row(depenses, recettes)
        blocs += ["", style("Compte de fonctionnement", "bold underline"), cote]
    else:
        blocs += ["", style("Compte de fonctionnement", "bold underline"), depenses, recettes]
    qualif = "excédent" if f.resultat > 0 else "déficit" if f.resultat < 0 else "équilibre"
    blocs.append(
        Text.assemble(
            (
                f"Résultat = recettes − dépenses = {formater_euros(f.total_recettes)} − "
                f"{formater_euros(f.total_depenses)} = {formater_euros(f.resultat)}",
                "bold",
            ),
            f" ({qualif})",
        )
    )

    passif: list[list[object]] = [
        ["Report à nouveau (début d'exercice)", s.report_a_nouveau],
        ["+ Résultat de l'exercice", s.resultat],
    ]
    if s.a_ventiler:
        passif.append(["+ À ventiler (471) : opérations non classées", s.a_ventiler])
    for a in s.autres:
        hp = " (compte hors plan)" if a.hors_plan else ""
        passif.append([f"+ {a.numero} {a.libelle}{hp}", a.montant])
    passif.append([style("= Avoir de la coopérative", "bold"), s.passif])
    tresorerie: list[list[object]] = [[f"{t.numero} {t.libelle}", t.montant] for t in s.tresorerie]
    tresorerie.append([style("= Total de la trésorerie", "bold"), s.total_tresorerie])
    colonnes = [Colonne("Poste"), Colonne("Montant", montant=True)]
    blocs += ["", tableau(colonnes, passif + [["", None]] + tresorerie, titre="Bilan simplifié")]
    if s.ouvertures:
        ouverture = {o.numero: o.montant for o in s.ouvertures}
        blocs.append(
            tableau(
                [
                    Colonne("Compte de trésorerie"),
                    Colonne("Ouverture", montant=True),
                    Colonne("Clôture", montant=True),
                ],
                [
                    [f"{t.numero} {t.libelle}", ouverture.get(t.numero), t.montant]
                    for t in s.tresorerie
                ],
                titre="Trésorerie par compte",
                totaux=[["Total", s.report_a_nouveau, s.total_tresorerie]],
            )
        )
    if s.equilibre:
        blocs.append(
            Text.assemble(
                "Équilibre du bilan : ",
                ("oui", "bold green"),
                " — report à nouveau + recettes − dépenses"
                + (" + à ventiler" if s.a_ventiler else "")
                + " = total de la trésorerie.",
            )
        )
    else:
        blocs.append(
            Text.assemble(
                "Équilibre du bilan : ",
                ("non", "bold red"),
                f" — écart de {formater_euros(s.ecart)} "
                "entre l'avoir et la trésorerie (lancez `coop verifier`).",
            )
        )
    if s.a_ventiler:
        blocs.append(
            style(
                f"Attention : {formater_euros(s.a_ventiler)} restent sur le compte 471 "
                "(à ventiler) : classez ces opérations avant d'arrêter les comptes.",
                "yellow",
            )
        )

    part = "—" if x.part_recettes is None else f"{x.part_recettes * 100:.2f} %".replace(".", ",")
    lignes_x: list[list[object]] = [
        ["Charges exceptionnelles", x.charges],
        ["Produits exceptionnels", x.produits],
        [style("Solde (produits − charges)", "bold"), x.solde],
        ["Part des recettes de l'exercice", part],
        [f"Tolérance appliquée ({x.regle.decrire()})", x.tolerance],
    ]
    blocs += ["", tableau(colonnes, lignes_x, titre="Charges et produits exceptionnels")]
    couleur = "green" if x.ok else "red"
    blocs.append(
        Text.assemble(
            ("Conforme" if x.ok else "Hors tolérance", f"bold {couleur}"), f" : {x.verdict}"
        )
    )
    if not x.ok:
        blocs.append(style(x.explication, "dim"))

    if b.classes:
        blocs.append("")
        blocs.append(
            tableau(
                [
                    Colonne("Classe ou projet"),
                    Colonne("Dépenses", montant=True),
                    Colonne("Recettes", montant=True),
                    Colonne("Solde", montant=True),
                ],
                [[t.classe, t.depenses, t.recettes, t.solde] for t in b.classes],
                titre="Par classe ou projet",
            )
        )
    if b.hors_plan:
        blocs.append(
            style(
                f"Comptes hors plan ({b.plan}) : {', '.join(b.hors_plan)} — voir `coop verifier`.",
                "yellow",
            )
        )
    return blocs


def _rendu_verification(v: Verification, strict: bool) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    from coopcompta.domain.model import Gravite

    lignes: list[RenderableType] = [
        Text.assemble(("Vérification de ", ""), (v.source, "bold"), f" — exercice {v.exercice.nom}")
    ]
    for a in v.anomalies:
        erreur = a.gravite is Gravite.ERREUR
        lignes.append(
            Text.assemble(
                (
                    "✗ erreur" if erreur else "! avertissement",
                    "bold red" if erreur else "bold yellow",
                ),
                f" [{a.code}] ",
                a.message,
            )
        )
    n_e, n_a = v.erreurs, v.avertissements
    if not v.anomalies:
        bilan = Text(
            "Aucune anomalie : la comptabilité peut être présentée aux vérificateurs.", "bold green"
        )
    else:
        echec = n_e or (strict and n_a)
        bilan = Text(
            f"{n_e} erreur{'s' if n_e > 1 else ''}, {n_a} avertissement{'s' if n_a > 1 else ''}"
            + (" (--strict : les avertissements comptent)" if strict and n_a else ""),
            "bold red" if echec else "bold yellow",
        )
    lignes.append(bilan)
    return Group(*lignes)
