"""The year-end workbook: openpyxl in write-only mode, fed with report rows and streamed écritures.

No database access here: the caller passes plain data (reports, anomalies, infos)
and an iterator of écritures, so a ledger of any size is written in constant memory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from coopcompta.domain.comptes import COMPTE_ATTENTE, COMPTE_REPORT, COMPTE_RESULTAT
from coopcompta.domain.francais import quantite
from coopcompta.domain.model import Anomalie, Ecriture, Gravite, Nature, Sens
from coopcompta.exports.commun import Informations
from coopcompta.exports.commun import fichier_atomique as fichier_atomique  # re-exported

if TYPE_CHECKING:
    from openpyxl.styles.cell_style import StyleArray

    from coopcompta.domain.dossier import Mois
    from coopcompta.domain.fin_annee import DocumentsFinAnnee
    from coopcompta.domain.plan_comptable import PlanComptable
    from coopcompta.domain.reports import (
        Bilan,
        BilanSimplifie,
        CompteDeFonctionnement,
        LigneCompte,
        Rubrique,
        TotalClasse,
    )

# Number format codes are stored in the file in Excel's neutral (US) notation;
# Excel and LibreOffice show them with the reader's locale: `1 234,56 €` in French.
FORMAT_EUROS = '#,##0.00\\ "€";[Red]\\-#,##0.00\\ "€"'
FORMAT_DATE = "dd/mm/yyyy"
FORMAT_DATE_HEURE = "dd/mm/yyyy hh:mm"
FORMAT_POURCENT = "0.00%"
# Print scale of the sheets too wide for a page: 11 pt text prints at 8.25 pt.
ECHELLE_LARGE = 75

# A cell that starts with one of these is a formula (or a DDE trigger) for a
# spreadsheet that re-parses text: such text is written as a string cell with
# Excel's quote prefix, so it stays literal even when the user edits the cell.
DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")
_MAX_TEXTE = 32767  # Excel's limit for one cell

FEUILLE_CDF = "Compte de fonctionnement"
FEUILLE_BILAN = "Bilan"
FEUILLE_JOURNAL = "Journal"
FEUILLE_CLASSES = "Par classe ou projet"
FEUILLE_CONTROLES = "Contrôles"
FEUILLE_INFOS = "Informations"
FEUILLE_GRAPHIQUES = "Graphiques"
FEUILLES = (
    FEUILLE_CDF,
    FEUILLE_BILAN,
    FEUILLE_JOURNAL,
    FEUILLE_CLASSES,
    FEUILLE_CONTROLES,
    FEUILLE_INFOS,
)


class Pourcent(Decimal):
    """A ratio (0.05 for 5 %) that the workbook shows as a percentage."""


class Titre(str):
    """A section heading inside a sheet (bold, larger)."""


class Piece(int):
    """A pièce number shown as a number (it sorts and filters as one), not as an amount."""


def piece(numero: str | None) -> Piece | str | None:
    """`"12"` -> 12 (a number in the sheet); `"R12"` or `"D3"` stays text (its own series)."""
    return Piece(numero) if numero and numero.isdigit() else numero


@dataclass(frozen=True)
class Resume:
    """What was written: the sheets and the number of écritures in the Journal."""

    feuilles: tuple[str, ...]
    ecritures: int


# -- cells -------------------------------------------------------------------


class _Styles:
    """One StyleArray per kind of cell, copied into each new cell (cheaper than styling it)."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        def style(**attrs: Any) -> StyleArray:
            cell = WriteOnlyCell(ws)
            for name, value in attrs.items():
                setattr(cell, name, value)
            return cell._style  # type: ignore[attr-defined,no-any-return]

        gras = Font(bold=True)
        haut = Border(top=Side(style="thin"))
        # Every cell sits at the top of its row, so that an account number or an amount stays
        # on the first line of a label that wraps (paragraphe) instead of under its last one.
        en_haut = Alignment(vertical="top")
        self.texte = style(alignment=en_haut)
        self.texte_cite = style(quotePrefix=True, alignment=en_haut)
        self.montant = style(number_format=FORMAT_EUROS, alignment=en_haut)
        self.date = style(number_format=FORMAT_DATE, alignment=en_haut)
        self.date_heure = style(number_format=FORMAT_DATE_HEURE, alignment=en_haut)
        self.pourcent = style(number_format=FORMAT_POURCENT, alignment=en_haut)
        self.piece = style(
            number_format="0", alignment=Alignment(horizontal="left", vertical="top")
        )
        self.entete = style(
            font=gras,
            fill=PatternFill("solid", fgColor="DDEBF7"),
            alignment=Alignment(wrap_text=True, vertical="center"),
            border=Border(bottom=Side(style="thin")),
        )
        self.titre = style(font=Font(bold=True, size=13))
        self.total_texte = style(font=gras, border=haut)
        self.total_montant = style(font=gras, border=haut, number_format=FORMAT_EUROS)
        self.total_vide = style(border=haut)
        self.gras_texte = style(font=gras)
        self.gras_montant = style(font=gras, number_format=FORMAT_EUROS)
        self.paragraphe = style(alignment=Alignment(wrap_text=True, vertical="top"))


def texte_sur(valeur: str) -> str:
    """Text Excel accepts: XML-illegal control characters replaced, length capped."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", valeur)[:_MAX_TEXTE]


def _placer(cells: Iterable[Cell | None], row_idx: int) -> Iterator[Cell]:
    for col_idx, cell in enumerate(cells, 1):
        if cell is not None:
            cell.column = col_idx
            cell.row = row_idx
            yield cell


class _Feuille:
    """A write-only sheet with its columns, styles and print setup decided up front."""

    def __init__(
        self,
        wb: Workbook,
        titre: str,
        largeurs: Sequence[float],
        *,
        figer: str | None = None,
        lignes_titre: str | None = None,
        paysage: bool = True,
        colonnes_titre: str | None = None,
    ) -> None:
        self.ws = ws = wb.create_sheet(titre)
        self.styles = _Styles(ws)
        # Column widths, freeze panes and print setup must precede the first row.
        for i, largeur in enumerate(largeurs, 1):
            ws.column_dimensions[get_column_letter(i)].width = largeur
        if figer:
            ws.freeze_panes = figer
        if lignes_titre:
            ws.print_title_rows = lignes_titre
        ws.page_setup.orientation = "landscape" if paysage else "portrait"
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_margins.left = ws.page_margins.right = 0.5
        if colonnes_titre:
            # A wide sheet spans several pages across, at a readable size, with these
            # columns repeated on each (Pièce, Date, Libellé): never shrunk to one width.
            ws.print_title_cols = colonnes_titre
            ws.page_setup.scale = ECHELLE_LARGE
            ws.sheet_properties.pageSetUpPr.fitToPage = False
        else:
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
            ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.gridLines = False
        ws.oddFooter.center.text = f"{titre} — page &P / &N"
        self.nb_lignes = 0
        if hasattr(WriteOnlyWorksheet, "_values_to_row"):
            # Every value we append is already a Cell: skip openpyxl's per-value
            # conversion, which tries `cell.value = <Cell>` and catches the error.
            ws._values_to_row = _placer

    def cellule(self, valeur: object, style: StyleArray | None = None) -> Cell | None:
        """A styled cell for a value; text is always a string cell, never a formula.

        The value is bound directly (not through `Cell.value`), which is several times
        faster on large journals and keeps text out of openpyxl's formula detection.
        """
        if valeur is None:
            return None
        s = self.styles
        if isinstance(valeur, bool):
            valeur = "oui" if valeur else "non"
        texte: object
        if isinstance(valeur, str):
            texte = texte_sur(valeur)
            if style is None:
                style = s.texte_cite if texte.startswith(DEBUTS_DE_FORMULE) else s.texte
            type_ = "s"
        elif isinstance(valeur, Decimal | int):
            texte = valeur
            if isinstance(valeur, Piece):
                style = s.piece
            style = style or (s.pourcent if isinstance(valeur, Pourcent) else s.montant)
            type_ = "n"
        elif isinstance(valeur, dt.date):
            texte = valeur
            style = style or (s.date_heure if isinstance(valeur, dt.datetime) else s.date)
            type_ = "d"
        else:
            raise TypeError(f"valeur inattendue pour une cellule : {valeur!r}")
        cell = Cell(self.ws, row=1, column=1, style_array=style)
        cell._value = texte  # type: ignore[attr-defined]
        cell.data_type = type_
        return cell

    def ligne(self, valeurs: Iterable[object], genre: str = "") -> None:
        """Append a row; `genre` is '', 'entete', 'titre', 'total' or 'gras'."""
        s = self.styles
        cellule = self.cellule
        if not genre:
            cells = [None if v is None else cellule(v) for v in valeurs]
        elif genre == "entete":
            cells = [cellule(v, s.entete) for v in valeurs]
        elif genre == "titre":
            cells = [cellule(v, s.titre) for v in valeurs]
        elif genre == "total":
            cells = [
                cellule(v, s.total_texte)
                if isinstance(v, str)
                else cellule("", s.total_vide)
                if v is None
                else cellule(v, s.total_montant)
                for v in valeurs
            ]
        elif genre == "gras":
            cells = [
                cellule(v, s.gras_texte) if isinstance(v, str) else cellule(v, s.gras_montant)
                for v in valeurs
            ]
        else:
            raise ValueError(f"genre de ligne inconnu : {genre}")
        self.ws.append(cells)
        self.nb_lignes += 1

    def hauteur(self, texte: str, par_ligne: int) -> None:
        """Make the next row tall enough for `texte` wrapped at `par_ligne` characters.

        Excel does not resize rows to wrapped text when it opens a file.
        """
        lignes = sum(1 + len(p) // par_ligne for p in texte.splitlines() or [""])
        if lignes > 1:
            self.ws.row_dimensions[self.nb_lignes + 1].height = 15 * lignes

    def texte_long(self, texte: str, colonne: int = 1, par_ligne: int = 70) -> None:
        """A paragraph in one wrapped cell; the row is made tall enough to show it."""
        self.hauteur(texte, par_ligne)
        self.ws.append([None] * (colonne - 1) + [self.cellule(texte, self.styles.paragraphe)])
        self.nb_lignes += 1

    def vide(self) -> None:
        self.ws.append([])
        self.nb_lignes += 1


# -- the Journal (the OCCE cahier) -------------------------------------------------


def _court(libelle: str) -> str:
    """`Caisse (espèces)` -> `Caisse`: headers stay narrow."""
    return libelle.split(" (")[0].strip()


@dataclass(frozen=True)
class ColonnesJournal:
    """The Journal's account columns, decided before the first row is streamed."""

    tresoreries: tuple[str, ...]
    ventilations: tuple[str, ...]

    @classmethod
    def depuis_comptes(
        cls, plan: PlanComptable, tresoreries: Iterable[str], ventilations: Iterable[str]
    ) -> ColonnesJournal:
        """Order the accounts used as the chart does: charges, then produits, then the rest."""
        ordre = {c.numero: i for i, c in enumerate(plan.comptes)}

        def rang(code: str) -> tuple[int, int, str]:
            compte = plan.trouver(code)
            nature = compte.nature if compte else None
            groupe = {Nature.CHARGE: 0, Nature.PRODUIT: 1}.get(nature, 2)  # type: ignore[arg-type]
            return (groupe, ordre.get(code, len(ordre)), code)

        tres = sorted({t for t in tresoreries if t != COMPTE_REPORT}, key=rang)
        vent = sorted(set(ventilations), key=rang)
        return cls(tuple(tres), tuple(vent))


def _entetes_journal(plan: PlanComptable, colonnes: ColonnesJournal) -> list[str]:
    def nom(code: str) -> str:
        compte = plan.trouver(code)
        return _court(compte.libelle) if compte else code

    noms_t = [nom(t) for t in colonnes.tresoreries]
    # Two treasury accounts with the same short name keep their number to tell them apart.
    noms_t = [
        f"{n} {t}" if noms_t.count(n) > 1 else n
        for n, t in zip(noms_t, colonnes.tresoreries, strict=True)
    ]
    entetes = ["Pièce", "Date", "Libellé", "N° de chèque"]
    for n in noms_t:
        entetes += [f"{n} recette", f"{n} dépense"]
    for v in colonnes.ventilations:
        compte = plan.trouver(v)
        entetes.append(f"{v} {_court(compte.libelle)}" if compte else f"{v} (hors plan)")
    entetes += [f"Solde {n}" for n in noms_t]
    return entetes


def _ecrire_journal(
    f: _Feuille,
    plan: PlanComptable,
    colonnes: ColonnesJournal,
    ecritures: Iterable[Ecriture],
    pieces_voulues: set[int],
) -> tuple[int, dict[int, str]]:
    """Stream the cahier: one row per écriture, running balances, a totals row."""
    nt, nv = len(colonnes.tresoreries), len(colonnes.ventilations)
    col_t = {t: i for i, t in enumerate(colonnes.tresoreries)}
    col_v = {v: i for i, v in enumerate(colonnes.ventilations)}
    # Charges read as debits, everything else (produits, 471…) as credits, so that a
    # column's total is the account's figure in the compte de fonctionnement.
    signe_v = []
    for v in colonnes.ventilations:
        trouve = plan.trouver(v)
        signe_v.append(1 if trouve and trouve.nature is Nature.CHARGE else -1)
    zero = Decimal("0")
    tot_t = [zero] * (2 * nt)
    tot_v = [zero] * nv
    soldes = [zero] * nt
    pieces: dict[int, str] = {}
    n = 0

    f.ligne(_entetes_journal(plan, colonnes), "entete")
    for e in ecritures:
        n += 1
        if e.id is not None and e.id in pieces_voulues:
            pieces[e.id] = e.piece or f"(écriture {e.id})"
        mouv: list[Decimal | None] = [None] * (2 * nt)
        vent: list[Decimal | None] = [None] * nv
        touches: set[int] = set()
        for compte, debit, _classe in e.lignes_comptables():
            if e.sens is Sens.OUVERTURE:
                if compte == COMPTE_REPORT:
                    continue
                i = _colonne(col_t, compte, e)
                soldes[i] += debit
                touches.add(i)
            elif compte == e.tresorerie or (e.sens is Sens.VIREMENT and compte == e.contrepartie):
                i = _colonne(col_t, compte, e)
                soldes[i] += debit
                touches.add(i)
                # A virement is a dépense of its source and a recette of its destination.
                recette = e.sens is Sens.RECETTE or (
                    e.sens is Sens.VIREMENT and compte == e.contrepartie
                )
                k = 2 * i if recette else 2 * i + 1
                valeur = debit if recette else -debit
                mouv[k] = (mouv[k] or zero) + valeur
                tot_t[k] += valeur
            else:
                j = _colonne(col_v, compte, e)
                valeur = signe_v[j] * debit
                vent[j] = (vent[j] or zero) + valeur
                tot_v[j] += valeur
        f.ligne(
            [
                piece(e.piece),
                e.date,
                e.libelle,
                e.cheque,
                *mouv,
                *vent,
                *(soldes[i] if i in touches else None for i in range(nt)),
            ]
        )
    f.ligne([None, None, "Totaux", None, *tot_t, *tot_v, *soldes], "total")
    return n, pieces


def _colonne(colonnes: Mapping[str, int], compte: str, e: Ecriture) -> int:
    try:
        return colonnes[compte]
    except KeyError:
        raise ValueError(
            f"compte {compte} de l'écriture {e.id} ({e.piece}) absent des colonnes du journal"
        ) from None


# -- the statements --------------------------------------------------------------


def _colonne_fonctionnement(
    rubriques: Sequence[Rubrique], libelle_total: str, total: Decimal
) -> list[tuple[list[object], str]]:
    lignes: list[tuple[list[object], str]] = []
    if not rubriques:
        lignes.append(([None, "Aucune", None], ""))
    for r in rubriques:
        lignes.append(([r.nom, None, None], "gras"))
        for c in r.comptes:
            lignes.append(([c.numero, _libelle_compte(c), c.montant], ""))
        lignes.append(([None, f"Sous-total {r.nom}", r.total], "gras"))
    lignes.append(([None, libelle_total, total], "total"))
    return lignes


def _ecrire_fonctionnement(f: _Feuille, cdf: CompteDeFonctionnement) -> None:
    """Charges on the left, produits on the right, as OCCE treasurers read them."""
    f.ligne(["Compte", "Dépenses (charges)", "Montant", None,
             "Compte", "Recettes (produits)", "Montant"], "entete")  # fmt: skip
    gauche = _colonne_fonctionnement(cdf.depenses, "Total des dépenses", cdf.total_depenses)
    droite = _colonne_fonctionnement(cdf.recettes, "Total des recettes", cdf.total_recettes)
    # The totals face each other on the last row.
    n = max(len(gauche), len(droite))
    gauche[-1:-1] = [([None, None, None], "")] * (n - len(gauche))
    droite[-1:-1] = [([None, None, None], "")] * (n - len(droite))
    for (vg, gg), (vd, gd) in zip(gauche, droite, strict=True):
        # A long libellé wraps in its cell: the row grows to show it (LibreOffice and
        # Excel do not resize rows of a generated file).
        libelles = [v[1] for v in (vg, vd) if isinstance(v[1], str)]
        f.hauteur(max(libelles, key=len, default=""), par_ligne=44)
        cells = [*_cellules(f, vg, gg), None, *_cellules(f, vd, gd)]
        f.ws.append(cells)
        f.nb_lignes += 1
    f.vide()
    f.ligne([None, "Résultat de l'exercice (recettes − dépenses)", cdf.resultat], "total")
    f.ligne([None, "Excédent" if cdf.resultat >= 0 else "Déficit"])


def _cellules(f: _Feuille, valeurs: list[object], genre: str) -> list[Cell | None]:
    s = f.styles
    if genre == "gras":
        return [f.cellule(v, s.gras_montant if isinstance(v, Decimal) else s.gras_texte)
                for v in valeurs]  # fmt: skip
    if genre == "total":
        return [f.cellule("" if v is None else v,
                          s.total_montant if isinstance(v, Decimal) else s.total_texte)
                for v in valeurs]  # fmt: skip
    return [f.cellule(v, s.paragraphe if isinstance(v, str) and i == 1 else None)
            for i, v in enumerate(valeurs)]  # fmt: skip


def _libelle_compte(c: LigneCompte) -> str:
    notes = [n for n, oui in (("exceptionnel", c.exceptionnel), ("hors plan", c.hors_plan)) if oui]
    return (
        f"{c.libelle} ({', '.join(notes)})"
        if notes and c.libelle != "compte hors plan"
        else c.libelle
    )


def _ecrire_bilan(f: _Feuille, bilan: Bilan) -> None:
    s, x = bilan.simplifie, bilan.exceptionnel
    f.ligne(["Compte", "Libellé", "Montant"], "entete")
    f.ligne(["Passif : ce que la coopérative possède en propre"], "titre")
    f.ligne([COMPTE_REPORT, "Report à nouveau (soldes au début de l'exercice)", s.report_a_nouveau])
    f.ligne([COMPTE_RESULTAT, "Résultat de l'exercice (recettes − dépenses)", s.resultat])
    if s.a_ventiler:
        f.ligne([COMPTE_ATTENTE, "À ventiler (opérations pas encore classées)", s.a_ventiler])
    for c in s.autres:
        f.ligne([c.numero, c.libelle, c.montant])
    f.ligne([None, "Total du passif", s.passif], "total")
    f.vide()
    f.ligne(["Actif : la trésorerie en fin d'exercice"], "titre")
    for c in s.tresorerie:
        f.ligne([c.numero, c.libelle, c.montant])
    f.ligne([None, "Total de la trésorerie", s.total_tresorerie], "total")
    f.vide()
    f.ligne(["Équilibre du bilan"], "titre")
    f.ligne([None, "Report à nouveau + recettes − dépenses = trésorerie ?", None])
    if s.equilibre:
        f.ligne([None, "Oui : le bilan est équilibré.", None], "gras")
    else:
        f.ligne([None, "NON : le bilan n'est pas équilibré ; écart", s.ecart], "gras")
    f.vide()
    f.ligne(["Charges et produits exceptionnels"], "titre")
    for c in x.comptes:
        f.ligne([c.numero, c.libelle, c.montant])
    f.ligne([None, "Charges exceptionnelles", x.charges])
    f.ligne([None, "Produits exceptionnels", x.produits])
    f.ligne([None, "Solde (produits − charges)", x.solde], "gras")
    part = "sans objet (aucune recette)" if x.part_recettes is None else Pourcent(x.part_recettes)
    f.ligne([None, "Part des recettes de l'exercice", part])
    f.ligne([None, f"Tolérance appliquée : {x.regle.decrire()}", x.tolerance])
    f.ligne([None, "Conforme à la règle de l'OCCE" if x.ok else "HORS TOLÉRANCE"], "gras")
    f.texte_long(x.verdict, colonne=2)
    f.texte_long(x.explication, colonne=2)


def _ecrire_classes(f: _Feuille, classes: Sequence[TotalClasse]) -> None:
    f.ligne(["Classe ou projet", "Dépenses", "Recettes", "Solde (recettes − dépenses)"], "entete")
    if not classes:
        f.ligne(["Aucune écriture n'est rattachée à une classe ou à un projet."])
        return
    zero = Decimal("0")
    td = tr = zero
    for t in classes:
        f.ligne([t.classe, t.depenses, t.recettes, t.solde])
        td += t.depenses
        tr += t.recettes
    f.ligne(["Total des lignes rattachées", td, tr, tr - td], "total")


def _ecrire_controles(
    f: _Feuille, anomalies: Sequence[Anomalie], pieces: Mapping[int, str]
) -> None:
    from coopcompta.domain.dossier import CONTROLES

    f.ligne(["Gravité", "Contrôle", "Message", "Pièces"], "entete")
    if not anomalies:
        f.ligne(["Aucune anomalie", None, "Tous les contrôles de coop verifier sont passés."])
        return
    haut = f.styles.paragraphe
    for a in anomalies:
        refs = a.pieces or tuple(pieces.get(i, f"(écriture {i})") for i in a.ecritures)
        f.hauteur(a.message, par_ligne=60)
        f.ws.append(
            [
                f.cellule(a.gravite.value, haut),
                f.cellule(CONTROLES.get(a.code, a.code), haut),
                f.cellule(a.message, haut),
                f.cellule(", ".join(refs), f.styles.paragraphe) if refs else None,
            ]
        )
        f.nb_lignes += 1
    nb_err = sum(1 for a in anomalies if a.gravite is Gravite.ERREUR)
    nb_av = len(anomalies) - nb_err
    f.vide()
    f.ligne([f"{quantite(nb_err, 'erreur')}, {quantite(nb_av, 'avertissement')}"], "gras")


def _ecrire_informations(f: _Feuille, infos: Informations) -> None:
    ex = infos.exercice
    f.ligne(["Rubrique", "Valeur"], "entete")
    for cle, valeur in (
        ("Coopérative", infos.nom),
        ("École", infos.ecole),
        ("N° OCCE", infos.numero_occe),
        ("Mandataire", infos.mandataire),
        ("Exercice", ex.nom),
        ("Début de l'exercice", ex.debut),
        ("Fin de l'exercice", ex.fin),
        ("Plan comptable", infos.plan),
        ("Tolérance sur l'exceptionnel", infos.tolerance),
        ("Comptabilité", infos.comptabilite),
        ("Produit le", infos.produit_le),
        ("Version de coopcompta", infos.version),
    ):
        f.ligne([cle, valeur if valeur != "" else None])


# -- charts (native, drawn by Excel or LibreOffice from the cells above them) ----------


def _ecrire_graphiques(
    f: _Feuille, cdf: CompteDeFonctionnement, mois: Sequence[Mois], s: BilanSimplifie
) -> None:
    """Four tables, each with its native chart beside it: what a conseil would rather see."""
    from openpyxl.chart import BarChart, LineChart, Reference

    def barres(titre: str, debut: int, fin: int, colonnes: int, horizontal: bool) -> BarChart:
        c = BarChart()
        c.type = "bar" if horizontal else "col"
        c.title = titre
        c.height, c.width = 7.5, 16
        c.legend = None if colonnes == 1 else c.legend
        donnees = Reference(f.ws, min_col=2, max_col=1 + colonnes, min_row=debut - 1, max_row=fin)
        c.add_data(donnees, titles_from_data=True)
        c.set_categories(Reference(f.ws, min_col=1, min_row=debut, max_row=fin))
        return c

    for titre, rubriques in (
        ("Dépenses par rubrique", cdf.depenses),
        ("Recettes par rubrique", cdf.recettes),
    ):
        f.ligne([titre, "Montant"], "entete")
        debut = f.nb_lignes + 1
        for r in rubriques:
            f.ligne([r.nom, r.total])
        if rubriques:
            chart = barres(titre, debut, f.nb_lignes, 1, horizontal=True)
            f.ws.add_chart(chart, f"F{debut - 1}")
        f.ligne([])
        f.ligne([])
        for _ in range(max(0, 14 - len(rubriques))):  # room for the chart beside the table
            f.vide()
    f.ligne(["Mois", "Recettes", "Dépenses", "Trésorerie en fin de mois"], "entete")
    debut = f.nb_lignes + 1
    f.ligne(["ouverture (1er septembre)", None, None, sum((c.montant for c in s.ouvertures),
                                                         Decimal("0.00"))])  # fmt: skip
    for m in mois:
        f.ligne([f"{m.nom} {m.debut.year}", m.recettes, m.depenses, m.tresorerie])
    fin = f.nb_lignes
    mensuel = barres("Recettes et dépenses mois par mois", debut + 1, fin, 2, horizontal=False)
    f.ws.add_chart(mensuel, f"F{debut - 1}")
    courbe = LineChart()
    courbe.title = "Trésorerie au fil de l'année"
    courbe.height, courbe.width = 7.5, 16
    courbe.legend = None
    courbe.add_data(
        Reference(f.ws, min_col=4, min_row=debut - 1, max_row=fin), titles_from_data=True
    )
    courbe.set_categories(Reference(f.ws, min_col=1, min_row=debut, max_row=fin))
    f.ws.add_chart(courbe, f"F{fin + 3}")


# -- the workbook ----------------------------------------------------------------

# Widths in Excel character units.
_LARGEURS_JOURNAL_FIXES = (7, 11, 58, 11)
_LARGEUR_MONTANT = 15
_LARGEURS = {
    FEUILLE_CDF: (10, 40, 14, 2, 10, 40, 14),
    FEUILLE_BILAN: (12, 60, 16),
    FEUILLE_CLASSES: (34, 16, 16, 18),
    FEUILLE_CONTROLES: (14, 40, 70, 22),
    FEUILLE_INFOS: (30, 70),
}


# Sheets printed across (the wide ones); the others are portrait pages.
_PAYSAGE = {FEUILLE_CDF, FEUILLE_JOURNAL, FEUILLE_CONTROLES}


def titre_de_feuille(feuille: str, infos: Informations) -> str:
    """The first row of every sheet, repeated on each printed page."""
    ex = infos.exercice
    qui = f" — {infos.nom}" if infos.nom else ""
    return f"{feuille}{qui} — exercice {ex.nom} (du {ex.debut:%d/%m/%Y} au {ex.fin:%d/%m/%Y})"


def ecrire_classeur(
    chemin: Path,
    *,
    plan: PlanComptable,
    infos: Informations,
    bilan: Bilan,
    colonnes: ColonnesJournal,
    ecritures: Iterable[Ecriture],
    anomalies: Sequence[Anomalie] = (),
    documents: DocumentsFinAnnee | None = None,
    mois: Sequence[Mois] = (),
) -> Resume:
    """Write the whole workbook to `chemin` in openpyxl's write-only mode.

    Every sheet opens with a title row and a header row, both frozen and repeated
    on each printed page.
    """
    wb = Workbook(write_only=True)
    nt, nv = len(colonnes.tresoreries), len(colonnes.ventilations)
    largeurs = dict(_LARGEURS)
    largeurs[FEUILLE_JOURNAL] = (
        *_LARGEURS_JOURNAL_FIXES,
        *[_LARGEUR_MONTANT] * (2 * nt + nv + nt),
    )
    # Sheets are created in reading order; each streams to its own temporary file,
    # so they can be filled in any order.
    feuilles = {}
    for nom in FEUILLES:
        f = _Feuille(
            wb,
            nom,
            largeurs[nom],
            figer="D3" if nom == FEUILLE_JOURNAL else "A3",
            lignes_titre="1:2",
            paysage=nom in _PAYSAGE,
            colonnes_titre="A:C" if nom == FEUILLE_JOURNAL else None,
        )
        f.ligne([titre_de_feuille(nom, infos)], "titre")
        # Headers wrap whole words on two lines (three in the Journal).
        f.ws.row_dimensions[2].height = 48 if nom == FEUILLE_JOURNAL else 32
        feuilles[nom] = f
    try:
        pieces_voulues = {i for a in anomalies if not a.pieces for i in a.ecritures}
        n, pieces = _ecrire_journal(
            feuilles[FEUILLE_JOURNAL], plan, colonnes, ecritures, pieces_voulues
        )
        _ecrire_fonctionnement(feuilles[FEUILLE_CDF], bilan.fonctionnement)
        _ecrire_bilan(feuilles[FEUILLE_BILAN], bilan)
        _ecrire_classes(feuilles[FEUILLE_CLASSES], bilan.classes)
        _ecrire_controles(feuilles[FEUILLE_CONTROLES], anomalies, pieces)
        _ecrire_informations(feuilles[FEUILLE_INFOS], infos)
        noms: tuple[str, ...] = FEUILLES
        if documents is not None:
            from coopcompta.exports.fin_annee import FEUILLE_FIN, LARGEURS, ecrire_fin_annee

            f = _Feuille(wb, FEUILLE_FIN, LARGEURS, figer="A3", lignes_titre="1:2")
            f.ligne([titre_de_feuille(FEUILLE_FIN, infos)], "titre")
            ecrire_fin_annee(f, documents)
            noms = (*FEUILLES, FEUILLE_FIN)
        if mois:
            f = _Feuille(wb, FEUILLE_GRAPHIQUES, (30, 16, 16, 16), lignes_titre="1:2")
            f.ligne([titre_de_feuille(FEUILLE_GRAPHIQUES, infos)], "titre")
            _ecrire_graphiques(f, bilan.fonctionnement, mois, bilan.simplifie)
            noms = (*noms, FEUILLE_GRAPHIQUES)
        wb.save(str(chemin))
    except BaseException:
        _abandonner(wb)
        raise
    return Resume(noms, n)


def _abandonner(wb: Workbook) -> None:
    """Close the sheets' streams and remove their temporary files after a failure."""
    for ws in wb.worksheets:
        rows, writer = getattr(ws, "_rows", None), getattr(ws, "_writer", None)
        with contextlib.suppress(Exception):
            if rows is not None:
                rows.close()
            if writer is not None:
                writer.close()
                writer.cleanup()
