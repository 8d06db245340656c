"""Rich rendering shared by the commands: tables with French amounts right-aligned.

Imported inside command functions only (it loads rich).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from rich import box
from rich.table import Table
from rich.text import Text

from coopcompta.domain.ecritures import NOMS_MODES, formater_date
from coopcompta.domain.journal import TotauxJournal
from coopcompta.domain.model import Ecriture, Ligne, Sens
from coopcompta.domain.money import formater_euros

if TYPE_CHECKING:
    from coopcompta.domain.plan_comptable import PlanComptable


@dataclass(frozen=True)
class Colonne:
    """A table column; `montant=True` right-aligns it and formats Decimals in French."""

    titre: str
    montant: bool = False
    no_wrap: bool = False
    max_width: int | None = None
    min_width: int | None = None


def style(texte: str, style: str) -> Text:
    """`texte` shown in `style` ("bold", "italic"…), taken literally: never read as markup."""
    return Text(texte, style=style)


def balise(texte: str) -> Text:
    """Our own rich markup (`[green]juste[/green]`) made into styled text; any user text
    inside must go through `rich.markup.escape` first."""
    return Text.from_markup(texte)


def cellule(valeur: object, montant: bool = False) -> str | Text:
    """Text of one cell: '' for None, `1 234,56` for a Decimal (no € sign), str otherwise."""
    if valeur is None:
        return ""
    if isinstance(valeur, Text):
        return valeur
    if isinstance(valeur, Decimal | int) and (montant or isinstance(valeur, Decimal)):
        return formater_euros(valeur, symbole=False)
    return Text(str(valeur))


def tableau(
    colonnes: Sequence[Colonne | str],
    lignes: Iterable[Sequence[object]],
    *,
    titre: str | Text | None = None,
    totaux: Sequence[Sequence[object]] = (),
    legende: str | None = None,
) -> Table:
    """A rich Table; `totaux` rows are shown in bold below a separator."""
    cols = [c if isinstance(c, Colonne) else Colonne(c) for c in colonnes]
    table = Table(
        title=titre,
        caption=legende,
        box=box.SIMPLE_HEAD,
        header_style="bold",
        caption_justify="left",
        pad_edge=False,
        collapse_padding=True,
    )
    for c in cols:
        table.add_column(
            c.titre,
            justify="right" if c.montant else "left",
            no_wrap=c.no_wrap or c.montant,
            max_width=c.max_width,
            min_width=c.min_width,
        )
    for ligne in lignes:
        table.add_row(*(cellule(v, c.montant) for v, c in zip(ligne, cols, strict=True)))
    if totaux:
        table.add_section()
        for ligne in totaux:
            table.add_row(
                *(cellule(v, c.montant) for v, c in zip(ligne, cols, strict=True)), style="bold"
            )
    return table


def mode_texte(e: Ecriture) -> str:
    if not e.mode:
        return ""
    nom = NOMS_MODES.get(e.mode, e.mode)
    return f"{nom} {e.cheque}" if e.cheque else nom


def pluriel(n: int, un: str, plusieurs: str) -> str:
    """`1 écriture`, `2 écritures`: the count and the right form (0 takes the singular)."""
    return f"{n} {plusieurs if n > 1 else un}"


def comptes_texte(e: Ecriture, retenues: tuple[Ligne, ...] | None = None) -> str | Text:
    """Where the money went: `512 → 6070`, or one line per account for a split.

    With `retenues` (a filtered journal), the lines left out are dimmed.
    """
    if e.sens is Sens.VIREMENT:
        return f"{e.tresorerie} → {e.contrepartie} : {formater_euros(e.montant, symbole=False)}"
    if e.sens is Sens.OUVERTURE:
        return f"{e.tresorerie} : {formater_euros(e.montant, symbole=False)}"
    prefixe = f"{e.tresorerie} {'→' if e.sens is Sens.DEPENSE else '←'} "
    if len(e.ventilation) == 1 and (retenues is None or retenues == e.ventilation):
        lg = e.ventilation[0]
        return prefixe + lg.compte + (f" [{lg.classe}]" if lg.classe else "")
    texte = Text(prefixe)
    for i, lg in enumerate(e.ventilation):
        if i:
            texte.append("\n" + " " * len(prefixe))
        ligne = f"{lg.compte} {formater_euros(lg.montant, symbole=False)}" + (
            f" [{lg.classe}]" if lg.classe else ""
        )
        texte.append(ligne, style="" if retenues is None or lg in retenues else "dim")
    return texte if retenues is not None else texte.plain


def table_journal(
    ecritures: Iterable[Ecriture],
    titre: str | None = None,
    *,
    compte: str | None = None,
    classe: str | None = None,
) -> Table:
    """The journal on a wide terminal (cli/journal_texte prints it narrower): date, pièce,
    libellé, mode, recette, dépense, comptes; totals at the bottom.

    A virement or an ouverture (report à nouveau) is neither a recette nor a dépense:
    its amount shows in the Comptes column and stays out of the totals. Filtered by
    `compte` or `classe`, a recette or dépense counts only its matching lines (the others
    are dimmed), so the totals are those of `coop bilan` for that account or class.
    """
    colonnes = [
        Colonne("Date", no_wrap=True),
        Colonne("Pièce", no_wrap=True),
        Colonne("Libellé"),
        Colonne("Mode"),
        Colonne("Recette", montant=True),
        Colonne("Dépense", montant=True),
        Colonne("Comptes", no_wrap=True),
    ]
    totaux = TotauxJournal(compte, classe)
    lignes = []
    for e in ecritures:
        recette, depense, retenues = totaux.compter(e)
        lignes.append(
            [
                formater_date(e.date),
                e.piece,
                e.libelle,
                mode_texte(e),
                recette,
                depense,
                comptes_texte(e, retenues),
            ]
        )
    legende = pluriel(totaux.ecritures, "écriture", "écritures")
    if totaux.filtre:
        quoi = " et ".join(
            x
            for x in (
                f"du compte {compte}" if compte else "",
                f"de la classe {classe}" if classe else "",
            )
            if x
        )
        legende += f" — montants : les seules lignes {quoi} (les autres lignes en grisé)"
    total = [["Total", None, None, None, totaux.recettes, totaux.depenses, None]]
    return tableau(colonnes, lignes, titre=titre, totaux=total, legende=legende)


def table_ventilation(e: Ecriture, plan: PlanComptable) -> Table:
    """The lines of one écriture with the accounts' labels (the summary before saving)."""
    lignes = []
    for lg in e.ventilation:
        compte = plan.trouver(lg.compte)
        lignes.append([lg.compte, compte.libelle if compte else "", lg.classe, lg.montant])
    return tableau(
        ["Compte", "Libellé du compte", "Classe", Colonne("Montant", montant=True)],
        lignes,
        totaux=[["Total", None, None, e.montant]],
    )
