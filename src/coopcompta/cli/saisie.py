"""`coop saisie` (step by step, by options, from a journal CSV), `coop virement`, `coop annuler`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coopcompta.cli.app import (
    DbOption,
    ExerciceOption,
    app,
    confirmer,
    console,
    demander,
    demander_classe,
    rien_modifie,
)
from coopcompta.cli.choix_compte import afficher_choix, demander_compte
from coopcompta.domain.comptes import COMPTE_BANQUE, COMPTE_CAISSE
from coopcompta.domain.errors import SaisieInvalide
from coopcompta.domain.model import MODES_PAIEMENT, Sens
from coopcompta.usecases.comptabilite import ouvrir_ledger, plan_du_ledger

if TYPE_CHECKING:
    from decimal import Decimal

    from coopcompta.domain.model import Ecriture


DateOption = Annotated[
    str | None, typer.Option("--date", metavar="JJ/MM/AAAA", help="Date (défaut : aujourd'hui).")
]
LibelleOption = Annotated[str | None, typer.Option("--libelle", metavar="TEXTE", help="Libellé.")]
ModeOption = Annotated[
    str | None,
    typer.Option(
        "--mode",
        metavar="MODE",
        help=f"Mode de paiement : {', '.join(MODES_PAIEMENT)}.",
        show_default=False,
    ),
]
PieceOption = Annotated[
    str | None,
    typer.Option(
        "--piece", metavar="PIÈCE", help="Numéro de pièce (défaut : le suivant de l'exercice)."
    ),
]
ForcerCaisseOption = Annotated[
    bool,
    typer.Option(
        "--forcer-caisse", help="Enregistrer même si la caisse (53, une régie) passe sous zéro."
    ),
]


def _confirmation(e: Ecriture) -> str:
    from coopcompta.domain.ecritures import formater_date, resume

    return f"Enregistré : pièce {e.piece} du {formater_date(e.date)}, {resume(e)}."


@app.command()
def saisie(
    db: DbOption = None,
    date: DateOption = None,
    recette: Annotated[
        str | None,
        typer.Option("--recette", metavar="MONTANT", help="Montant d'une recette, ex. 12,50."),
    ] = None,
    depense: Annotated[
        str | None,
        typer.Option("--depense", metavar="MONTANT", help="Montant d'une dépense, ex. 100,00."),
    ] = None,
    libelle: LibelleOption = None,
    tresorerie: Annotated[
        str | None,
        typer.Option(
            "--tresorerie",
            "-t",
            metavar="COMPTE",
            help="Compte de trésorerie (défaut : 512 banque).",
        ),
    ] = None,
    mode: ModeOption = None,
    cheque: Annotated[
        str | None, typer.Option("--cheque", metavar="NUMÉRO", help="Numéro du chèque.")
    ] = None,
    compte: Annotated[
        list[str] | None,
        typer.Option(
            "--compte",
            metavar="COMPTE=MONTANT",
            help="Ventilation COMPTE=MONTANT[:classe], répétable ; un seul COMPTE sans montant "
            "prend tout le montant.",
        ),
    ] = None,
    piece: PieceOption = None,
    fichier: Annotated[
        Path | None,
        typer.Option(
            "--fichier",
            metavar="FICHIER",
            help="Journal CSV à enregistrer en une fois (tout ou rien).",
            dir_okay=False,
        ),
    ] = None,
    forcer_caisse: ForcerCaisseOption = False,
) -> None:
    """Enregistre une recette ou une dépense : pas à pas, par options, ou depuis un journal CSV.

    Sans --recette ni --depense, les questions sont posées une à une.
    """
    if recette is not None and depense is not None:
        raise SaisieInvalide(
            "--recette et --depense s'excluent : une écriture est une recette ou une dépense"
        )
    if fichier is not None:
        autres = [
            nom
            for nom, valeur in [
                ("--date", date),
                ("--recette", recette),
                ("--depense", depense),
                ("--libelle", libelle),
                ("--tresorerie", tresorerie),
                ("--mode", mode),
                ("--cheque", cheque),
                ("--compte", compte),
                ("--piece", piece),
            ]
            if valeur
        ]
        if autres:
            raise SaisieInvalide(
                f"--fichier ne se combine pas avec {', '.join(autres)} : "
                "chaque ligne du fichier porte ses propres champs"
            )
        _saisie_fichier(db, fichier)
        return
    if recette is None and depense is None:
        if compte:
            raise SaisieInvalide("--compte demande --recette ou --depense (le montant)")
        _saisie_interactive(db, date, libelle, tresorerie, mode, cheque, piece)
        return

    from coopcompta.domain.ecritures import lire_part
    from coopcompta.domain.money import lire_montant
    from coopcompta.usecases.saisie import date_proposee, lire_date_saisie, saisir

    ledger = ouvrir_ledger(db)
    sens = Sens.RECETTE if recette is not None else Sens.DEPENSE
    option_montant = "--recette" if sens is Sens.RECETTE else "--depense"
    montant = lire_montant(recette if recette is not None else depense or "", option_montant)
    jour = lire_date_saisie(ledger, date) if date is not None else date_proposee(ledger)
    if not compte:
        raise SaisieInvalide(
            "ventilation manquante : indiquez --compte COMPTE=MONTANT (répétable)", "--compte"
        )
    ecriture = saisir(
        ledger,
        date=jour,
        sens=sens,
        libelle=libelle or "",
        montant=montant,
        tresorerie=tresorerie or COMPTE_BANQUE,
        parts=[lire_part(c) for c in compte],
        piece=piece,
        mode=mode,
        cheque=cheque,
        ou={
            "libelle": "--libelle",
            "mode": "--mode",
            "cheque": "--cheque",
            "tresorerie": "--tresorerie",
            "compte": "--compte",
            "montant": option_montant,
            "piece": "--piece",
        },
        forcer_caisse=forcer_caisse,
    )
    console().print(_confirmation(ecriture))


def _saisie_fichier(db: Path | None, fichier: Path) -> None:
    from coopcompta.usecases.saisie import enregistrer_journal

    ledger = ouvrir_ledger(db)
    n = enregistrer_journal(ledger, plan_du_ledger(ledger), fichier)
    pluriel = "s" if n > 1 else ""
    console().print(f"{n} écriture{pluriel} enregistrée{pluriel} depuis {fichier.name}.")


# -- interactive ---------------------------------------------------------------


def _lire_sens(texte: str) -> Sens:
    cle = texte.strip().lower()
    if cle in ("r", "recette"):
        return Sens.RECETTE
    if cle in ("d", "depense", "dépense"):
        return Sens.DEPENSE
    raise SaisieInvalide(f"« {texte} » : tapez r (recette) ou d (dépense)")


def _lire_montant_positif(texte: str) -> Decimal:
    from coopcompta.domain.money import lire_montant

    montant = lire_montant(texte)
    if montant <= 0:
        raise SaisieInvalide("le montant doit être positif")
    return montant


def _lire_mode(texte: str) -> str | None:
    from coopcompta.domain.ecritures import lire_mode

    cle = texte.strip()
    if cle.isdigit() and 1 <= int(cle) <= len(MODES_PAIEMENT):
        return MODES_PAIEMENT[int(cle) - 1]
    return lire_mode(cle)


def _lire_libelle(texte: str) -> str:
    from coopcompta.domain.ecritures import controler_texte

    if not texte.strip():
        raise SaisieInvalide("le libellé ne peut pas être vide")
    controler_texte(texte.strip(), "libellé", None)
    return texte.strip()


def _saisie_interactive(
    db: Path | None,
    date: str | None,
    libelle: str | None,
    tresorerie: str | None,
    mode: str | None,
    cheque: str | None,
    piece: str | None,
) -> None:
    from coopcompta.cli.render import table_ventilation
    from coopcompta.domain.ecritures import (
        NOMS_MODES,
        TRESORERIE_PAR_MODE,
        Part,
        compte_tresorerie,
        creer_ecriture,
        formater_date,
        lire_piece,
        reste_a_ventiler,
    )
    from coopcompta.domain.model import Ligne
    from coopcompta.domain.money import formater_euros, lire_montant
    from coopcompta.domain.ventilation import verifier_part
    from coopcompta.usecases.comptabilite import preparer_suggesteur
    from coopcompta.usecases.saisie import (
        classes_connues,
        date_proposee,
        enregistrer_ecriture,
        exercice_de_saisie,
        lire_date_saisie,
        proposer_piece,
        verifier_piece_libre,
    )

    ledger = ouvrir_ledger(db)
    plan = plan_du_ledger(ledger)

    def date_saisie(texte: str) -> dt.date:
        jour = lire_date_saisie(ledger, texte, None)
        exercice_de_saisie(ledger, jour, None)
        return jour

    if date is not None:
        jour = lire_date_saisie(ledger, date)
        exercice_de_saisie(ledger, jour)
    else:
        jour = demander("Date (jj/mm/aaaa)", date_saisie, formater_date(date_proposee(ledger)))
    exercice = exercice_de_saisie(ledger, jour)
    sens = demander("Recette ou dépense ? (r/d)", _lire_sens)
    montant = demander("Montant (ex. 12,50)", _lire_montant_positif)
    libelle = (libelle or "").strip() or demander("Libellé", _lire_libelle)
    if mode is None:
        menu = ", ".join(f"{i} {NOMS_MODES[m]}" for i, m in enumerate(MODES_PAIEMENT, 1))
        typer.echo(f"Modes de paiement : {menu}")
        mode = demander("Mode de paiement", _lire_mode, "1")
    if mode == "cheque" and cheque is None:
        cheque = typer.prompt(
            "Numéro du chèque (facultatif)", default="", show_default=False, prompt_suffix=" : "
        )
    if tresorerie is None:
        tresorerie = demander(
            "Compte de trésorerie",
            lambda t: compte_tresorerie(plan, t),
            TRESORERIE_PAR_MODE.get(mode or "", COMPTE_BANQUE),
        )

    propose = proposer_piece(ledger, exercice.nom, sens)
    if piece is None:

        def choisir_piece(texte: str) -> str | None:
            choisie = lire_piece(texte)
            if choisie is None or choisie == propose:
                return None  # allocated when saving, inside the write transaction
            verifier_piece_libre(ledger, exercice.nom, choisie)
            return choisie

        piece = demander("Pièce", choisir_piece, propose)

    def demander_ventilation(montant: Decimal) -> list[Ligne]:
        suggestions = preparer_suggesteur(ledger, plan).suggerer(libelle or "", sens)
        choix = [(s.compte, s.raison) for s in suggestions]
        lignes: list[Ligne] = []
        reste = montant
        while reste > 0:
            if choix:
                afficher_choix(choix, "Comptes suggérés :" if not lignes else "Comptes :")
            else:
                typer.echo("Aucune suggestion : tapez un numéro de compte ou des mots à chercher.")
            code, choix = demander_compte(plan, sens, choix)

            def part_saisie(texte: str, reste: Decimal = reste) -> Decimal:
                return verifier_part(lire_montant(texte), reste)

            part = demander(
                f"Montant sur {code}",
                part_saisie,
                formater_euros(reste, symbole=False).replace("\u202f", " "),
            )
            classe = demander_classe(classes_connues(ledger))
            lignes.append(Ligne(code, part, classe or None))
            reste = reste_a_ventiler(montant, lignes)
            typer.echo(f"Reste à ventiler : {formater_euros(reste)}")
        return lignes

    lignes = demander_ventilation(montant)
    out = console()
    while True:
        ecriture = creer_ecriture(
            plan,
            date=jour,
            sens=sens,
            libelle=libelle,
            montant=montant,
            tresorerie=tresorerie,
            parts=[Part(lg.compte, lg.montant, lg.classe) for lg in lignes],
            piece=piece,
            mode=mode,
            cheque=cheque,
        )
        quoi = "Recette" if sens is Sens.RECETTE else "Dépense"
        out.print(
            f"\n{quoi} du {formater_date(jour)} — {libelle} — {formater_euros(montant)}"
            f" — pièce {piece or propose} — trésorerie {ecriture.tresorerie}"
        )
        out.print(table_ventilation(ecriture, plan))
        if confirmer("Enregistrer cette écriture ?"):
            break
        # Saying no costs one answer, not a dozen: change what is wrong, keep the rest.
        champ = demander(
            "Corriger : 1 date, 2 libellé, 3 montant, 4 ventilation, 5 mode, 6 trésorerie, "
            "7 pièce (Entrée : abandonner)",
            _lire_champ,
            "",
        )
        if champ == 0:
            rien_modifie()
        elif champ == 1:
            jour = demander("Date (jj/mm/aaaa)", date_saisie, formater_date(jour))
            exercice = exercice_de_saisie(ledger, jour)
            propose = proposer_piece(ledger, exercice.nom, sens)
        elif champ == 2:
            libelle = demander("Libellé", _lire_libelle, libelle)
        elif champ == 3:
            montant = demander(
                "Montant (ex. 12,50)", _lire_montant_positif, formater_euros(montant, symbole=False)
            )
            lignes = demander_ventilation(montant)
        elif champ == 4:
            lignes = demander_ventilation(montant)
        elif champ == 5:
            menu = ", ".join(f"{i} {NOMS_MODES[m]}" for i, m in enumerate(MODES_PAIEMENT, 1))
            typer.echo(f"Modes de paiement : {menu}")
            mode = demander("Mode de paiement", _lire_mode, "1")
            cheque = None
            if mode == "cheque":
                cheque = typer.prompt(
                    "Numéro du chèque (facultatif)",
                    default="",
                    show_default=False,
                    prompt_suffix=" : ",
                )
        elif champ == 6:
            tresorerie = demander(
                "Compte de trésorerie", lambda t: compte_tresorerie(plan, t), tresorerie
            )
        elif champ == 7:

            def autre_piece(
                texte: str, propose: str = propose, nom: str = exercice.nom
            ) -> str | None:
                choisie = lire_piece(texte)
                if choisie is None or choisie == propose:
                    return None
                verifier_piece_libre(ledger, nom, choisie)
                return choisie

            piece = demander("Pièce", autre_piece, piece or propose)
    out.print(_confirmation(enregistrer_ecriture(ledger, ecriture)))


def _lire_champ(texte: str) -> int:
    if not texte.strip():
        return 0
    if texte.strip() in {str(i) for i in range(1, 8)}:
        return int(texte)
    raise SaisieInvalide("tapez un chiffre de 1 à 7, ou Entrée pour abandonner")


# -- virement and annuler -------------------------------------------------------------


@app.command()
def virement(
    montant: Annotated[
        str | None, typer.Option("--montant", metavar="MONTANT", help="Montant, ex. 120,00.")
    ] = None,
    de: Annotated[
        str | None,
        typer.Option("--de", metavar="COMPTE", help="Compte de trésorerie d'où part l'argent."),
    ] = None,
    vers: Annotated[
        str | None,
        typer.Option("--vers", metavar="COMPTE", help="Compte de trésorerie où il arrive."),
    ] = None,
    db: DbOption = None,
    date: DateOption = None,
    libelle: LibelleOption = None,
    mode: ModeOption = None,
    piece: PieceOption = None,
    forcer_caisse: ForcerCaisseOption = False,
) -> None:
    """Enregistre un virement interne entre deux comptes de trésorerie (ex. dépôt d'espèces).

    Sans --montant, --de ou --vers, les questions sont posées une à une, comme pour
    `coop saisie`, et le virement est montré avant d'être enregistré.
    """
    from coopcompta.domain.ecritures import compte_tresorerie, formater_date
    from coopcompta.domain.money import formater_euros, lire_montant
    from coopcompta.usecases.saisie import (
        date_proposee,
        exercice_de_saisie,
        lire_date_saisie,
        saisir,
    )

    ledger = ouvrir_ledger(db)
    interactif = montant is None or de is None or vers is None
    if interactif:
        plan = plan_du_ledger(ledger)

        def date_saisie(texte: str) -> dt.date:
            jour = lire_date_saisie(ledger, texte, None)
            exercice_de_saisie(ledger, jour, None)
            return jour

        def lire_compte(texte: str) -> str:
            return compte_tresorerie(plan, texte)

        if date is None:
            date = formater_date(
                demander("Date (jj/mm/aaaa)", date_saisie, formater_date(date_proposee(ledger)))
            )
        if montant is None:
            montant = str(demander("Montant (ex. 120,00)", _lire_montant_positif))
        de = de or demander("Depuis le compte de trésorerie", lire_compte, COMPTE_CAISSE)
        vers = vers or demander("Vers le compte de trésorerie", lire_compte, COMPTE_BANQUE)
        libelle = libelle or str(
            typer.prompt("Libellé", default=f"Virement interne {de} → {vers}", prompt_suffix=" : ")
        )
        typer.echo(
            f"\nVirement du {date} — {libelle} — {formater_euros(lire_montant(montant))} : "
            f"{de} → {vers}"
        )
        if not confirmer("Enregistrer ce virement ?"):
            rien_modifie()
    assert montant is not None and de is not None and vers is not None
    ecriture = saisir(
        ledger,
        date=lire_date_saisie(ledger, date) if date is not None else date_proposee(ledger),
        sens=Sens.VIREMENT,
        libelle=libelle or f"Virement interne {de} → {vers}",
        montant=lire_montant(montant, "--montant"),
        tresorerie=de,
        contrepartie=vers,
        piece=piece,
        mode=mode,
        ou={
            "tresorerie": "--de",
            "contrepartie": "--vers",
            "montant": "--montant",
            "mode": "--mode",
            "libelle": "--libelle",
            "piece": "--piece",
        },
        forcer_caisse=forcer_caisse,
    )
    console().print(_confirmation(ecriture))


@app.command()
def annuler(
    piece: Annotated[str, typer.Argument(metavar="PIÈCE", help="Pièce de l'écriture à annuler.")],
    db: DbOption = None,
    exercice: ExerciceOption = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="JJ/MM/AAAA",
            help="Date de la contre-passation (défaut : celle de l'écriture annulée).",
        ),
    ] = None,
    motif: Annotated[
        str | None, typer.Option("--motif", metavar="TEXTE", help="Raison de l'annulation.")
    ] = None,
) -> None:
    """Annule une écriture par contre-passation (rien n'est effacé)."""
    from coopcompta.usecases.saisie import annuler_piece, lire_date_saisie

    ledger = ouvrir_ledger(db)
    jour = lire_date_saisie(ledger, date) if date is not None else None
    originale, contre = annuler_piece(ledger, piece, exercice, jour, motif)
    console().print(f"Pièce {originale.piece} annulée. {_confirmation(contre)}")
