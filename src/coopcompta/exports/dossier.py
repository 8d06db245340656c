"""The year-end dossier (PDF): the statements, charts and year-end documents typeset by Typst.

Fed with report rows, no database. The figures are formatted here, in French, once; the
Typst template (`dossier.typ`, beside this module) receives them as JSON through
`sys.inputs`, so a libellé is always text in the PDF, never Typst markup. Chart values go
as integer centimes: no float leaves Python.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coopcompta.domain.dossier import Controle, Mois, controles_en_clair
from coopcompta.domain.francais import accord, quantite
from coopcompta.domain.model import Anomalie, Gravite
from coopcompta.domain.money import NNBSP, en_centimes, formater_euros
from coopcompta.domain.reports import CE_QUI_VA_EN_EXCEPTIONNEL, CITATION_OCCE

if TYPE_CHECKING:
    from coopcompta.domain.fin_annee import DocumentsFinAnnee
    from coopcompta.domain.reports import Bilan, LigneCompte, Rubrique
    from coopcompta.exports.commun import Informations

MODELE = Path(__file__).with_name("dossier.typ")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Dossier:
    """Everything the dossier shows, computed once by the use case."""

    infos: Informations
    bilan: Bilan
    documents: DocumentsFinAnnee
    anomalies: Sequence[Anomalie]
    mois: Sequence[Mois]


def _e(montant: Decimal) -> str:
    return formater_euros(montant)


def _date(jour: Any) -> str:
    return "" if jour is None else f"{jour:%d/%m/%Y}"


def _piece(piece: str | None) -> str:
    return piece or ""


def _compte(c: LigneCompte) -> dict[str, str]:
    libelle = (
        f"{c.libelle} (hors plan)" if c.hors_plan and "hors plan" not in c.libelle else c.libelle
    )
    return {"numero": c.numero, "libelle": libelle, "montant": _e(c.montant)}


def _rubriques(rubriques: Sequence[Rubrique]) -> list[dict[str, Any]]:
    return [
        {"nom": r.nom, "comptes": [_compte(c) for c in r.comptes], "total": _e(r.total)}
        for r in rubriques
    ]


def _barres(rubriques: Sequence[Rubrique]) -> list[dict[str, Any]]:
    return [
        {"nom": r.nom, "centimes": en_centimes(r.total), "montant": _e(r.total)} for r in rubriques
    ]


def _controle(c: Controle) -> dict[str, Any]:
    etat = "ok" if c.passe else "erreur" if c.gravite is Gravite.ERREUR else "avertissement"
    details = []
    for a in c.anomalies:
        refs = f" (pièces {', '.join(a.pieces)})" if a.pieces else ""
        details.append(f"{a.message}{refs}")
    return {"intitule": c.intitule, "etat": etat, "details": details}


# Rows of a register (subsidies, durable goods) printed in the dossier: a cooperative has a
# handful; a ledger with thousands keeps them in the workbook and the listing commands, so
# that the PDF (laid out in memory by Typst) stays the size of a school year's.
LIGNES_DE_REGISTRE = 200


def _en_plus(lignes: Sequence[object], quoi: tuple[str, str], commande: str) -> str:
    """`et N autres …` for the rows of a register left out of the dossier ("" if none)."""
    n = len(lignes) - LIGNES_DE_REGISTRE
    if n <= 0:
        return ""
    nombre = f"{n:,}".replace(",", NNBSP)
    return (
        f"et {nombre} {accord(n, *quoi)} : le classeur (coop export fichier.xlsx) et "
        f"coop {commande} liste les donnent toutes."
    )


def donnees(dossier: Dossier) -> dict[str, Any]:
    """The JSON document the template reads: every amount already in French."""
    infos, bilan, docs = dossier.infos, dossier.bilan, dossier.documents
    f, s, x = bilan.fonctionnement, bilan.simplifie, bilan.exceptionnel
    ex = infos.exercice
    ouvertures = {c.numero: c.montant for c in s.ouvertures}
    tresorerie = [
        {
            "numero": c.numero,
            "libelle": c.libelle,
            "ouverture": _e(ouvertures.get(c.numero, ZERO)),
            "cloture": _e(c.montant),
        }
        for c in s.tresorerie
    ]
    total_ouverture = sum(ouvertures.values(), ZERO)
    points = [total_ouverture, *(m.tresorerie for m in dossier.mois)]
    controles = controles_en_clair(dossier.anomalies)
    nb_err = sum(a.gravite is Gravite.ERREUR for a in dossier.anomalies)
    nb_av = len(dossier.anomalies) - nb_err
    passes = sum(c.passe for c in controles)
    resume = (
        f"{passes} contrôles sur {len(controles)} sont conformes ; "
        f"{quantite(nb_err, 'erreur')}, {quantite(nb_av, 'avertissement')}."
    )
    classes = bilan.classes
    td = sum((c.depenses for c in classes), ZERO)
    tr = sum((c.recettes for c in classes), ZERO)
    return {
        "coop": {
            "nom": infos.nom or "Coopérative scolaire",
            "ecole": infos.ecole,
            "numero_occe": infos.numero_occe,
            "mandataire": infos.mandataire,
            "plan": infos.plan,
            "produit_le": f"{infos.produit_le:%d/%m/%Y à %H:%M}",
            "version": infos.version,
        },
        "exercice": {"nom": ex.nom, "debut": _date(ex.debut), "fin": _date(ex.fin)},
        "fonctionnement": {
            "depenses": _rubriques(f.depenses),
            "recettes": _rubriques(f.recettes),
            "total_depenses": _e(f.total_depenses),
            "total_recettes": _e(f.total_recettes),
            "resultat": _e(f.resultat),
            "sens": "excédent" if f.resultat >= 0 else "déficit",
        },
        "bilan": {
            "tresorerie": tresorerie,
            "total_ouverture": _e(total_ouverture),
            "total_cloture": _e(s.total_tresorerie),
            "report": _e(s.report_a_nouveau),
            "resultat": _e(s.resultat),
            "a_ventiler": _e(s.a_ventiler) if s.a_ventiler else None,
            "autres": [_compte(c) for c in s.autres],
            "passif": _e(s.passif),
            "equilibre": s.equilibre,
            "ecart": _e(s.ecart),
        },
        "exceptionnel": {
            "comptes": [_compte(c) for c in x.comptes],
            "charges": _e(x.charges),
            "produits": _e(x.produits),
            "solde": _e(x.solde),
            "part": "sans objet"
            if x.part_recettes is None
            else f"{x.part_recettes * 100:.2f}".replace(".", ",") + " %",
            "regle": x.regle.decrire(),
            "tolerance": _e(x.tolerance),
            "ok": x.ok,
            "verdict": x.verdict,
            "citation": CITATION_OCCE,
            "explication": CE_QUI_VA_EN_EXCEPTIONNEL,
        },
        "graphiques": {
            "depenses": _barres(f.depenses),
            "recettes": _barres(f.recettes),
            "mois": [
                {
                    "court": m.court,
                    "recettes": en_centimes(m.recettes),
                    "depenses": en_centimes(m.depenses),
                }
                for m in dossier.mois
            ],
            "tresorerie": [en_centimes(p) for p in points],
            "etiquettes_tresorerie": [
                "ouverture",
                *(f"{m.debut:%m/%y}" for m in dossier.mois),
            ],
            "tresorerie_min": _e(min(points)),
            "tresorerie_max": _e(max(points)),
        },
        "rapprochements": [
            {
                "compte": r.tableau.compte,
                "date": _date(r.tableau.date),
                "source": r.source or "saisi",
                "solde_releve": _e(r.tableau.solde_releve),
                "suspens": [
                    {
                        "piece": _piece(m.piece),
                        "date": _date(m.date),
                        "libelle": m.libelle,
                        "quoi": "pas encore sur le relevé"
                        + (f", chèque n° {m.cheque}" if m.cheque else ""),
                        "montant": _e(m.montant),
                    }
                    for m in r.tableau.en_suspens
                ],
                "hors_livre": [
                    {"libelle": h.libelle, "montant": _e(-h.montant)} for h in r.tableau.hors_livre
                ],
                "solde_livre": _e(r.tableau.solde_livre),
                "ecart": _e(r.tableau.ecart),
                "equilibre": r.tableau.equilibre,
            }
            for r in docs.rapprochements
        ],
        "arretes": [
            {
                "compte": a.arrete.compte,
                "date": _date(a.arrete.date),
                "par": a.arrete.par or "—",
                "lignes": [
                    {"valeur": _e(v), "nombre": str(n), "total": _e(v * n)}
                    for v, n in sorted(a.arrete.quantites.items(), reverse=True)
                    if n
                ],
                "total": _e(a.arrete.total),
                "solde_livre": _e(a.solde_livre_actuel),
                "ecart": _e(a.ecart),
                "juste": a.ecart == 0,
            }
            for a in docs.arretes
        ],
        "regies": [
            {"nom": g.nom, "compte": g.compte, "solde": _e(g.solde), "soldee": g.solde == 0}
            for g in docs.regies
        ],
        "subventions": [
            {
                "piece": _piece(sv.piece),
                "date": _date(sv.date),
                "financeur": sv.financeur or "financeur à compléter",
                "objet": sv.objet or sv.libelle,
                "justificatif": "; ".join(
                    t
                    for t in (
                        f"décision du {sv.decision:%d/%m/%Y}" if sv.decision else "",
                        sv.justificatif or "justificatif à compléter",
                        f"utilisé : {_e(sv.utilise)}" if sv.utilise is not None else "",
                    )
                    if t
                ),
                "montant": _e(sv.montant),
            }
            for sv in docs.subventions[:LIGNES_DE_REGISTRE]
        ],
        "subventions_en_plus": _en_plus(
            docs.subventions,
            ("autre ligne de subvention", "autres lignes de subvention"),
            "subventions",
        ),
        "total_subventions": _e(sum((sv.montant for sv in docs.subventions), ZERO)),
        "inventaire": [
            {
                "piece": _piece(b.piece),
                "date": _date(b.date),
                "bien": b.nom,
                "lieu": (b.lieu or "lieu à compléter")
                + (f" ; sorti le {b.sortie:%d/%m/%Y}" if b.sortie else ""),
                "valeur": _e(b.valeur),
            }
            for b in docs.inventaire[:LIGNES_DE_REGISTRE]
        ],
        "inventaire_en_plus": _en_plus(
            docs.inventaire, ("autre bien durable", "autres biens durables"), "inventaire"
        ),
        "classes": [
            {
                "classe": c.classe,
                "depenses": _e(c.depenses),
                "recettes": _e(c.recettes),
                "solde": _e(c.solde),
            }
            for c in classes
        ],
        "total_classes": {"depenses": _e(td), "recettes": _e(tr), "solde": _e(tr - td)},
        "controles": [_controle(c) for c in controles],
        "resume_controles": resume,
        "quitus": {
            "report": _e(s.report_a_nouveau),
            "recettes": _e(f.total_recettes),
            "depenses": _e(f.total_depenses),
            "resultat": _e(f.resultat),
            "tresorerie": tresorerie,
            "total": _e(s.total_tresorerie),
        },
    }


def ecrire_dossier(chemin: Path, dossier: Dossier) -> int:
    """Typeset the dossier into `chemin` (a PDF); return its number of pages."""
    import typst

    entrees = {"donnees": json.dumps(donnees(dossier), ensure_ascii=False)}
    compilateur = typst.Compiler(MODELE, ignore_system_fonts=True, sys_inputs=entrees)
    pdf = compilateur.compile(format="pdf", timestamp=dossier.infos.produit_le.astimezone())
    if not isinstance(pdf, bytes):  # a one-file PDF is bytes; anything else is a bug
        raise TypeError(f"Typst a rendu {type(pdf).__name__} au lieu d'un PDF")
    chemin.write_bytes(pdf)
    return len(re.findall(rb"/Type\s*/Page\b", pdf))
