"""The « Fin d'exercice » sheet: reconciliation, cash counts, cash books, régies, registers."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coopcompta.domain.fin_annee import DocumentsFinAnnee
    from coopcompta.exports.excel import _Feuille

FEUILLE_FIN = "Fin d'exercice"
LARGEURS = (14, 12, 50, 14, 14, 14)


def ecrire_fin_annee(f: _Feuille, docs: DocumentsFinAnnee) -> None:
    from coopcompta.exports.excel import piece

    f.ligne(["Pièce", "Date", "Libellé", "Entrée", "Sortie", "Solde"], "entete")
    if docs.cloture is not None:
        c = docs.cloture
        f.ligne(["Clôture"], "titre")
        f.ligne([None, None, f"Exercice clôturé et scellé le {c.cloture_le[:10]}"])
        f.ligne([None, None, f"Sceau SHA-256 : {c.racine}"])
        if c.raison_forcee:
            f.ligne([None, None, f"Clôture forcée : {c.raison_forcee}"], "gras")
        f.vide()
    f.ligne(["Rapprochement bancaire"], "titre")
    if not docs.rapprochements:
        f.ligne([None, None, "Aucun rapprochement enregistré."])
    for r in docs.rapprochements:
        t = r.tableau
        f.ligne([t.compte, t.date, f"Solde du relevé ({r.source or 'saisi'})", None, None,
                 t.solde_releve])  # fmt: skip
        for m in t.en_suspens:
            quoi = "pas encore sur le relevé" + (f", chèque {m.cheque}" if m.cheque else "")
            f.ligne([piece(m.piece), m.date, f"{m.libelle} ({quoi})",
                     m.montant if m.montant > 0 else None,
                     -m.montant if m.montant < 0 else None, None])  # fmt: skip
        for h in t.hors_livre:
            f.ligne([None, None, f"{h.libelle} (sur le relevé, pas dans le livre)", None, None,
                     -h.montant])  # fmt: skip
        f.ligne([None, None, "Solde du livre", None, None, t.solde_livre], "total")
        f.ligne([None, None, "Écart", None, None, t.ecart], "gras")
    f.vide()
    f.ligne(["Arrêtés de caisse"], "titre")
    if not docs.arretes:
        f.ligne([None, None, "Aucun arrêté de caisse enregistré."])
    for a in docs.arretes:
        f.ligne([a.arrete.compte, a.arrete.date, f"Compté par {a.arrete.par}", None, None,
                 a.arrete.total])  # fmt: skip
        f.ligne([None, None, "Solde du livre", None, None, a.solde_livre_actuel])
        f.ligne([None, None, "Écart", None, None, a.ecart], "gras")
    for lv in docs.livres:
        f.vide()
        f.ligne([f"Livre de caisse — {lv.compte} {lv.libelle}"], "titre")
        f.ligne([None, None, "Solde d'ouverture", None, None, lv.ouverture])
        for mv in lv.mouvements:
            f.ligne([piece(mv.piece), mv.date, mv.libelle, mv.montant if mv.montant > 0 else None,
                     -mv.montant if mv.montant < 0 else None, mv.solde])  # fmt: skip
        f.ligne([None, None, "Totaux et solde de clôture", lv.entrees, lv.sorties, lv.cloture],
                "total")  # fmt: skip
    f.vide()
    f.ligne(["Régies d'avances"], "titre")
    for g in docs.regies:
        f.ligne([g.compte, None, f"Régie {g.nom}", None, None, g.solde])
    f.vide()
    f.ligne(["Tableau des subventions"], "titre")
    for s in docs.subventions:
        details = " ; ".join(
            x
            for x in (
                s.financeur or "financeur à compléter",
                s.objet,
                f"décision du {s.decision:%d/%m/%Y}" if s.decision else "",
                f"justificatif {s.justificatif}" if s.justificatif else "justificatif à compléter",
                f"utilisé {s.utilise}" if s.utilise is not None else "",
            )
            if x
        )
        f.ligne([piece(s.piece), s.date, f"{s.compte} — {details}", s.montant, None, None])
    f.vide()
    f.ligne(["Cahier d'inventaire"], "titre")
    for b in docs.inventaire:
        ou = f"lieu : {b.lieu}" if b.lieu else "lieu à compléter"
        sortie = f" ; sorti le {b.sortie:%d/%m/%Y}" if b.sortie else ""
        f.ligne([piece(b.piece), b.date, f"{b.nom} ({ou}{sortie})", None, None, b.valeur])
