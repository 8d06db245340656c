"""What the year-end documents add to the bilan and to `coop verifier`: treasury per account with
its opening balance, régies named by class, reconciliations, cash counts and the registers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from coopcompta.domain.caisse import ArreteDeCaisse, LivreDeCaisse
from coopcompta.domain.model import Anomalie, Gravite
from coopcompta.domain.money import formater_euros
from coopcompta.domain.rapprochement import Tableau
from coopcompta.domain.regies import Regie
from coopcompta.domain.registres import BienDurable, Subvention
from coopcompta.domain.reports import Bilan, LigneCompte

ZERO = Decimal("0.00")


def avec_ouvertures(
    bilan: Bilan, ouvertures: Mapping[str, Decimal], regies: Sequence[Regie]
) -> Bilan:
    """The bilan with the opening balance of each treasury account and régies named by class."""
    noms = {r.compte: r.nom for r in regies}

    def nommee(c: LigneCompte) -> LigneCompte:
        nom = noms.get(c.numero)
        return replace(c, libelle=f"Régie d'avances {nom}") if nom else c

    s = bilan.simplifie
    tresorerie = tuple(nommee(c) for c in s.tresorerie)
    lignes = tuple(replace(c, montant=ouvertures.get(c.numero, ZERO)) for c in tresorerie)
    return replace(bilan, simplifie=replace(s, tresorerie=tresorerie, ouvertures=lignes))


@dataclass(frozen=True)
class RapprochementFait:
    """A kept reconciliation: when, from what balance, and its tableau with today's books."""

    fait_le: str
    source: str | None
    tableau: Tableau


@dataclass(frozen=True)
class ArreteFait:
    """A kept cash count and the book balance at its date today."""

    arrete: ArreteDeCaisse
    solde_livre_actuel: Decimal

    @property
    def ecart(self) -> Decimal:
        return self.arrete.total - self.solde_livre_actuel


@dataclass(frozen=True)
class ClotureFaite:
    """A closed exercice: when, the root of its seal, and the reason when it was forced."""

    cloture_le: str
    racine: str
    raison_forcee: str | None


@dataclass(frozen=True)
class DocumentsFinAnnee:
    """Everything the AD asks besides the statements, for one exercice."""

    rapprochements: tuple[RapprochementFait, ...] = ()
    arretes: tuple[ArreteFait, ...] = ()
    livres: tuple[LivreDeCaisse, ...] = ()
    regies: tuple[Regie, ...] = ()
    subventions: tuple[Subvention, ...] = ()
    inventaire: tuple[BienDurable, ...] = ()
    cloture: ClotureFaite | None = None
    # Lines on subsidy accounts, when too many to list in `coop bilan` (subventions then empty).
    subventions_non_listees: int = 0


def _a(gravite: Gravite, code: str, message: str) -> Anomalie:
    return Anomalie(gravite, code, message)


def controler_fin_annee(
    fin: dt.date, docs: DocumentsFinAnnee, comptes_bancaires: Sequence[str]
) -> list[Anomalie]:
    """A reconciliation at the last day that still holds, and cash counts that match the books.

    Régies not back to zero are `regie-non-soldee` (checks), named by class in the bilan.
    """
    out: list[Anomalie] = []
    par_compte = {r.tableau.compte: r for r in docs.rapprochements}
    for compte in comptes_bancaires:
        r = par_compte.get(compte)
        # Only once the treasurer reconciles this account: `coop nouvel-exercice` refuses to
        # close without a reconciliation at the last day, so nothing is lost mid-year.
        if r is not None and r.tableau.date != fin:
            quand = f" (le dernier date du {r.tableau.date:%d/%m/%Y})" if r else ""
            out.append(
                _a(
                    Gravite.AVERTISSEMENT,
                    "rapprochement-manquant",
                    f"aucun rapprochement bancaire du compte {compte} au {fin:%d/%m/%Y}{quand} : "
                    "lancez `coop rapprochement` avec le relevé du 31 août",
                )
            )
    for r in docs.rapprochements:
        if not r.tableau.equilibre:
            out.append(
                _a(
                    Gravite.AVERTISSEMENT,
                    "rapprochement-rompu",
                    f"le rapprochement du compte {r.tableau.compte} au {r.tableau.date:%d/%m/%Y} "
                    f"ne tient plus (écart {formater_euros(r.tableau.ecart)}) : une écriture de la "
                    "banque datée d'avant a été ajoutée, modifiée ou supprimée ; refaites-le",
                )
            )
    for a in docs.arretes:
        if a.ecart:
            out.append(
                _a(
                    Gravite.AVERTISSEMENT,
                    "caisse-ecart",
                    f"l'arrêté de caisse {a.arrete.compte} du {a.arrete.date:%d/%m/%Y} "
                    f"({formater_euros(a.arrete.total)} comptés) diffère du livre de "
                    f"{formater_euros(a.ecart)} : expliquez l'écart par une écriture",
                )
            )
    return out


def documents_json(docs: DocumentsFinAnnee) -> dict[str, object]:
    """The keys `coop bilan --format json` adds for the year-end documents (amounts as strings)."""
    from coopcompta.domain.money import formater_point

    def iso(d: dt.date | None) -> str | None:
        return d.isoformat() if d else None

    c = docs.cloture
    return {
        "cloture": None
        if c is None
        else {"le": c.cloture_le, "sceau": c.racine, "raison_forcee": c.raison_forcee},
        "rapprochements": {
            r.tableau.compte: {
                "date": iso(r.tableau.date),
                "solde_releve": formater_point(r.tableau.solde_releve),
                "solde_livre": formater_point(r.tableau.solde_livre),
                "en_suspens": [
                    {
                        "piece": m.piece,
                        "date": iso(m.date),
                        "libelle": m.libelle,
                        "montant": formater_point(m.montant),
                    }
                    for m in r.tableau.en_suspens
                ],
                "ecart": formater_point(r.tableau.ecart),
                "equilibre": r.tableau.equilibre,
            }
            for r in docs.rapprochements
        },
        "arretes_caisse": {
            a.arrete.compte: {
                "date": iso(a.arrete.date),
                "par": a.arrete.par,
                "total": formater_point(a.arrete.total),
                "solde_livre": formater_point(a.solde_livre_actuel),
                "ecart": formater_point(a.ecart),
            }
            for a in docs.arretes
        },
        "regies": {
            g.nom: {"compte": g.compte, "solde": formater_point(g.solde)} for g in docs.regies
        },
        "subventions": [
            {
                "piece": s.piece,
                "date": iso(s.date),
                "compte": s.compte,
                "montant": formater_point(s.montant),
                "financeur": s.financeur,
                "decision": iso(s.decision),
                "objet": s.objet,
                "justificatif": s.justificatif,
                "utilise": None if s.utilise is None else formater_point(s.utilise),
            }
            for s in docs.subventions
        ],
        "subventions_non_listees": docs.subventions_non_listees,
        "inventaire": [
            {
                "piece": b.piece,
                "exercice": b.exercice,
                "date": iso(b.date),
                "bien": b.nom,
                "valeur": formater_point(b.valeur),
                "lieu": b.lieu,
                "sortie": iso(b.sortie),
            }
            for b in docs.inventaire
        ],
    }
