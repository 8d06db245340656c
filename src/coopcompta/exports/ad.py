"""The departmental workbook (`coop consolider --export ad.xlsx`): list, totals, anomalies.

Written in openpyxl's write-only mode from the rows `coop consolider` streams back,
so a thousand cooperatives take no more memory than ten. Sheets print like the
year-end workbook's: A4 landscape on the page width, title and header repeated on
each page, page numbers in the footer. No database access here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from coopcompta.domain.consolidation import (
    AnomalieCooperative,
    Ecartee,
    LigneCooperative,
    Totaux,
)
from coopcompta.exports.excel import FORMAT_EUROS, _abandonner, _Feuille

FEUILLE_LISTE = "Coopératives"
FEUILLE_TOTAUX = "Totaux par rubrique"
FEUILLE_ANOMALIES = "Anomalies"
FEUILLES = (FEUILLE_LISTE, FEUILLE_TOTAUX, FEUILLE_ANOMALIES)

ENTETES_LISTE = (
    "À regarder",
    "Coopérative",
    "N° OCCE",
    "Résultat",
    "Trésorerie en fin d'exercice",
    "Solde exceptionnel",
    "Exceptionnel",
    "Rapprochement bancaire",
    "Arrêté de caisse",
    "Erreurs",
    "Avertissements",
    "Motifs",
    "Fichier",
)
# Widths in Excel character units: about 190 on landscape A4 at a readable size.
LARGEURS_LISTE = (10, 30, 10, 12, 12, 12, 15, 15, 13, 8, 14, 28, 28)
LARGEURS_TOTAUX = (52, 16, 14)
LARGEURS_ANOMALIES = (28, 11, 14, 22, 80, 7, 12)
NON_ENREGISTRE = "sans objet"  # a journal CSV keeps no year-end document


@dataclass(frozen=True)
class EnTete:
    """What every sheet's title says."""

    exercice: str
    cooperatives: int
    produit_le: dt.datetime


def _titre(feuille: str, e: EnTete) -> str:
    return (
        f"{feuille} — exercice {e.exercice} — {e.cooperatives} coopérative(s) — "
        f"produit le {e.produit_le:%d/%m/%Y à %H:%M}"
    )


def _oui_non(valeur: bool | None) -> str:
    return NON_ENREGISTRE if valeur is None else "oui" if valeur else "non"


class _Styles:
    """The cell styles this workbook adds to the year-end workbook's."""

    def __init__(self, f: _Feuille) -> None:
        entier = WriteOnlyCell(f.ws)
        entier.number_format = "0"
        entier.alignment = Alignment(vertical="top")
        rouge = WriteOnlyCell(f.ws)
        rouge.font = Font(bold=True, color="C00000")
        rouge.alignment = Alignment(wrap_text=True, vertical="top")
        haut = WriteOnlyCell(f.ws)
        haut.alignment = Alignment(wrap_text=True, vertical="top")
        montant = WriteOnlyCell(f.ws)
        montant.number_format = FORMAT_EUROS
        montant.alignment = Alignment(vertical="top")
        centre = WriteOnlyCell(f.ws)
        centre.number_format = "0"
        centre.alignment = Alignment(horizontal="center", vertical="top")
        self.montant = montant._style  # type: ignore[attr-defined]
        self.centre = centre._style  # type: ignore[attr-defined]
        self.entier = entier._style  # type: ignore[attr-defined]
        self.rouge = rouge._style  # type: ignore[attr-defined]
        self.haut = haut._style  # type: ignore[attr-defined]


def _hauteur(f: _Feuille, *cellules: tuple[str, int]) -> None:
    """Make the next row tall enough for its wrapped cells (text, column index); Excel and
    LibreOffice do not resize rows to wrapped text when they open a file."""
    # A column of width N shows about 1.15 N characters of the default proportional font.
    lignes = max(math.ceil(len(texte) / (1.15 * LARGEURS_LISTE[i])) for texte, i in cellules)
    if lignes > 1:
        f.ws.row_dimensions[f.nb_lignes + 1].height = 15 * lignes


def _ecrire_liste(
    f: _Feuille, lignes: Iterable[LigneCooperative], ecartees: Iterable[Ecartee]
) -> None:
    s = _Styles(f)
    f.ws.row_dimensions[2].height = 45  # headers on up to three lines; set before the row
    f.ligne(ENTETES_LISTE, "entete")
    for ligne in lignes:
        motifs = ", ".join(ligne.motifs)
        _hauteur(f, (ligne.nom, 1), (motifs, 11), (ligne.fichier, 12))
        f.ws.append(
            [
                f.cellule("OUI", s.rouge) if ligne.a_regarder else f.cellule("non", s.haut),
                f.cellule(ligne.nom, s.haut),
                f.cellule(ligne.numero_occe, s.haut) if ligne.numero_occe else None,
                f.cellule(ligne.resultat, s.montant),
                f.cellule(ligne.tresorerie, s.montant),
                f.cellule(ligne.solde_exceptionnel, s.montant),
                f.cellule(
                    "conforme" if ligne.exceptionnel_ok else "hors tolérance",
                    s.haut if ligne.exceptionnel_ok else s.rouge,
                ),
                f.cellule(_oui_non(ligne.rapprochement), s.haut),
                f.cellule(_oui_non(ligne.arrete_caisse), s.haut),
                f.cellule(ligne.erreurs, s.centre),
                f.cellule(ligne.avertissements, s.centre),
                f.cellule(motifs, s.rouge) if motifs else None,
                f.cellule(ligne.fichier, s.haut),
            ]
        )
        f.nb_lignes += 1
    premiere = True
    for e in ecartees:
        if premiere:
            f.vide()
            f.ligne(["Fichiers écartés (non comptés dans les totaux)"], "titre")
            premiere = False
        raison = e.raison if e.ligne is None else f"ligne {e.ligne} : {e.raison}"
        _hauteur(f, (raison, 11), (e.fichier, 12))
        f.ws.append(
            [
                f.cellule("ÉCARTÉ", s.rouge),
                f.cellule(e.genre, s.haut),
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                f.cellule(raison, s.haut),
                f.cellule(e.fichier, s.haut),
            ]
        )
        f.nb_lignes += 1


def _ecrire_totaux(f: _Feuille, t: Totaux) -> None:
    s = _Styles(f)
    f.ligne(["Rubrique", "Montant", "Coopératives"], "entete")
    for titre, montants, nombres, libelle_total, total in (
        ("Dépenses", t.depenses, t.nb_depenses, "Total des dépenses", t.total_depenses),
        ("Recettes", t.recettes, t.nb_recettes, "Total des recettes", t.total_recettes),
    ):
        f.ligne([titre], "titre")
        if not montants:
            f.ligne(["Aucune"])
        for rubrique, montant in montants.items():
            f.ws.append(
                [f.cellule(rubrique), f.cellule(montant), f.cellule(nombres[rubrique], s.entier)]
            )
            f.nb_lignes += 1
        f.ligne([libelle_total, total, None], "total")
        f.vide()
    f.ligne(["Résultat cumulé (recettes − dépenses)", t.resultat, None], "total")
    f.ligne(["Trésorerie cumulée en fin d'exercice", t.tresorerie, None], "gras")
    f.vide()
    f.ligne(["Charges et produits exceptionnels"], "titre")
    f.ligne(["Charges exceptionnelles", t.charges_exceptionnelles])
    f.ligne(["Produits exceptionnels", t.produits_exceptionnels])
    f.ws.append(
        [
            f.cellule("Coopératives au solde exceptionnel hors tolérance"),
            None,
            f.cellule(t.hors_tolerance, s.entier),
        ]
    )
    f.nb_lignes += 1
    f.vide()
    f.ws.append(
        [
            f.cellule("Coopératives comptées"),
            None,
            f.cellule(t.cooperatives, s.entier),
        ]
    )
    f.ws.append([f.cellule("dont à regarder"), None, f.cellule(t.a_regarder, s.entier)])
    f.nb_lignes += 2


def _ecrire_anomalies(f: _Feuille, anomalies: Iterable[AnomalieCooperative]) -> None:
    s = _Styles(f)
    f.ligne(["Coopérative", "Gravité", "Code", "Fichier", "Message", "Ligne", "Pièces"], "entete")
    aucune = True
    for a in anomalies:
        aucune = False
        f.hauteur(a.message, par_ligne=85)
        f.ws.append(
            [
                f.cellule(a.nom, s.haut),
                f.cellule(a.gravite.value, s.haut),
                f.cellule(a.code, s.haut),
                f.cellule(a.fichier, s.haut),
                f.cellule(a.message, f.styles.paragraphe),
                f.cellule(a.ligne, s.centre) if a.ligne is not None else None,
                f.cellule(", ".join(a.pieces[:20]) + (" …" if len(a.pieces) > 20 else ""), s.haut)
                if a.pieces
                else None,
            ]
        )
        f.nb_lignes += 1
    if aucune:
        f.ligne(["Aucune anomalie dans les coopératives comptées."])


def ecrire_classeur_ad(
    chemin: Path,
    entete: EnTete,
    cooperatives: Iterable[LigneCooperative],
    totaux: Totaux,
    anomalies: Iterable[AnomalieCooperative],
    ecartees: Iterable[Ecartee],
) -> tuple[str, ...]:
    """Write the workbook to `chemin`; returns its sheet names."""
    wb = Workbook(write_only=True)
    feuilles = {}
    for nom, largeurs, figer in (
        (FEUILLE_LISTE, LARGEURS_LISTE, "C3"),
        (FEUILLE_TOTAUX, LARGEURS_TOTAUX, "A3"),
        (FEUILLE_ANOMALIES, LARGEURS_ANOMALIES, "B3"),
    ):
        f = _Feuille(wb, nom, largeurs, figer=figer, lignes_titre="1:2")
        f.ligne([_titre(nom, entete)], "titre")
        feuilles[nom] = f
    try:
        _ecrire_liste(feuilles[FEUILLE_LISTE], cooperatives, ecartees)
        _ecrire_totaux(feuilles[FEUILLE_TOTAUX], totaux)
        _ecrire_anomalies(feuilles[FEUILLE_ANOMALIES], anomalies)
        wb.save(str(chemin))
    except BaseException:
        _abandonner(wb)
        raise
    return FEUILLES
