"""Year-end statements (compte de fonctionnement, bilan simplifié) from account balances.

Pure: everything is derived from `soldes` (account -> signed balance, debits
positive, as returned by `Ledger.soldes(exercice)`, aggregated in SQL) and the
chart. Only the few dozen account totals are classified here.

API (stable; `export_excel.py` and `cli/bilan.py` consume it):

- `calculer_bilan(exercice, soldes, plan, soldes_par_classe={}, tolerance=Tolerance()) -> Bilan`
- `charger_bilan(ledger, exercice=None, plan=None, tolerance=None) -> Bilan` (reads the ledger)
- `Bilan`: `exercice` (Exercice), `plan` (chart name), `fonctionnement`
  (CompteDeFonctionnement), `simplifie` (BilanSimplifie), `exceptionnel`
  (BlocExceptionnel), `classes` (tuple[TotalClasse]), `hors_plan` (account numbers
  used but absent from the chart), and `vers_json()` (the `coop bilan --format json` dict).
- `CompteDeFonctionnement`: `depenses` / `recettes` (tuple[Rubrique], chart order;
  charge and produit accounts whose total is zero are left out),
  `total_depenses`, `total_recettes`, `resultat` (= recettes − dépenses),
  `comptes_depenses()` / `comptes_recettes()` (numero -> amount).
- `Rubrique`: `nom`, `comptes` (tuple[LigneCompte]), `total`.
- `LigneCompte`: `numero`, `libelle`, `rubrique`, `montant` (a charge or produit as a
  positive total; a treasury account as its balance), `exceptionnel`, `hors_plan`.
- `BilanSimplifie`: `report_a_nouveau`, `resultat`, `a_ventiler` (net amount still on
  471: unclassified receipts − unclassified expenses), `autres` (other balance-sheet or
  unclassifiable accounts, as passif terms), `passif` (report + résultat + à ventiler +
  autres), `tresorerie` (tuple[LigneCompte]), `total_tresorerie`, `ecart`
  (passif − trésorerie) and `equilibre` (ecart == 0):
  `report à nouveau + recettes − dépenses (+ 471) = Σ treasury balances`.
- `BlocExceptionnel`: `charges`, `produits`, `solde` (= produits − charges),
  `part_recettes` (|solde| / total recettes as a fraction, None without receipts),
  `tolerance` (euros applied), `regle` (Tolerance), `ok`, `verdict` (French
  judgement), `explication` (what belongs in those accounts, with the OCCE quote),
  `comptes` (the exceptional accounts used).
- `TotalClasse`: `classe`, `depenses`, `recettes`, `solde` (= recettes − dépenses).

All amounts are Decimal euros with two places.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from coopcompta.domain.comptes import COMPTE_ATTENTE, COMPTE_REPORT, PREFIXES_TRESORERIE
from coopcompta.domain.model import Compte, Exercice, Nature
from coopcompta.domain.money import formater_euros, formater_point
from coopcompta.domain.tolerance import Tolerance

if TYPE_CHECKING:
    from coopcompta.domain.plan_comptable import PlanComptable

ZERO = Decimal("0.00")
RUBRIQUE_HORS_PLAN = "Comptes hors plan"
LIBELLE_HORS_PLAN = "compte hors plan"

CITATION_OCCE = (
    "« Les charges et produits exceptionnels sont, comme leur nom l'indique, "
    "exceptionnels ! Dans le bilan, leur solde doit être proche de zéro. » (OCCE)"
)
CE_QUI_VA_EN_EXCEPTIONNEL = (
    "N'y passent que des opérations hors de la vie normale de la coopérative : "
    "un chèque impayé, une erreur de caisse, une régularisation d'un exercice "
    "antérieur, un remboursement imprévu. Une subvention, un don, une participation "
    "des familles, une kermesse ou un achat ordinaire vont dans leur compte habituel "
    "(7440 subvention de la commune, 754 dons, 75620008 participation des familles, "
    "7088 fêtes, 6068 fournitures…)."
)


@dataclass(frozen=True)
class LigneCompte:
    """One account's total in a statement."""

    numero: str
    libelle: str
    rubrique: str
    montant: Decimal
    exceptionnel: bool = False
    hors_plan: bool = False


@dataclass(frozen=True)
class Rubrique:
    """A group of accounts of the compte de fonctionnement, with its subtotal."""

    nom: str
    comptes: tuple[LigneCompte, ...]
    total: Decimal


@dataclass(frozen=True)
class CompteDeFonctionnement:
    """Dépenses and recettes of the year by rubrique; résultat = recettes − dépenses."""

    depenses: tuple[Rubrique, ...]
    recettes: tuple[Rubrique, ...]
    total_depenses: Decimal
    total_recettes: Decimal
    resultat: Decimal

    def comptes_depenses(self) -> dict[str, Decimal]:
        return {c.numero: c.montant for r in self.depenses for c in r.comptes}

    def comptes_recettes(self) -> dict[str, Decimal]:
        return {c.numero: c.montant for r in self.recettes for c in r.comptes}


@dataclass(frozen=True)
class BilanSimplifie:
    """Passif (report à nouveau, résultat, 471, others) against actif (treasury balances)."""

    report_a_nouveau: Decimal
    resultat: Decimal
    a_ventiler: Decimal
    autres: tuple[LigneCompte, ...]
    passif: Decimal
    tresorerie: tuple[LigneCompte, ...]
    total_tresorerie: Decimal
    ecart: Decimal
    equilibre: bool
    # Opening balance (report à nouveau) of each treasury account, in the order of `tresorerie`.
    ouvertures: tuple[LigneCompte, ...] = ()


@dataclass(frozen=True)
class BlocExceptionnel:
    """Exceptional charges and produits, their balance and the OCCE tolerance verdict."""

    charges: Decimal
    produits: Decimal
    solde: Decimal
    part_recettes: Decimal | None
    tolerance: Decimal
    regle: Tolerance
    ok: bool
    verdict: str
    explication: str
    comptes: tuple[LigneCompte, ...] = ()


@dataclass(frozen=True)
class TotalClasse:
    """Dépenses, recettes and solde of one class or project tag."""

    classe: str
    depenses: Decimal
    recettes: Decimal
    solde: Decimal


@dataclass(frozen=True)
class Bilan:
    """Everything `coop bilan` shows for one exercice."""

    exercice: Exercice
    plan: str
    fonctionnement: CompteDeFonctionnement
    simplifie: BilanSimplifie
    exceptionnel: BlocExceptionnel
    classes: tuple[TotalClasse, ...]
    hors_plan: tuple[str, ...]

    def vers_json(self) -> dict[str, Any]:
        """The `coop bilan --format json` document; amounts as `1234.50` strings."""
        f, s, x = self.fonctionnement, self.simplifie, self.exceptionnel
        return {
            "exercice": self.exercice.nom,
            "debut": self.exercice.debut.isoformat(),
            "fin": self.exercice.fin.isoformat(),
            "plan": self.plan,
            "depenses": {k: formater_point(v) for k, v in f.comptes_depenses().items()},
            "recettes": {k: formater_point(v) for k, v in f.comptes_recettes().items()},
            "rubriques_depenses": {r.nom: formater_point(r.total) for r in f.depenses},
            "rubriques_recettes": {r.nom: formater_point(r.total) for r in f.recettes},
            "total_depenses": formater_point(f.total_depenses),
            "total_recettes": formater_point(f.total_recettes),
            "resultat": formater_point(f.resultat),
            "report_a_nouveau": formater_point(s.report_a_nouveau),
            "a_ventiler": formater_point(s.a_ventiler),
            "autres": {c.numero: formater_point(c.montant) for c in s.autres},
            "tresorerie": {c.numero: formater_point(c.montant) for c in s.tresorerie},
            "tresorerie_ouverture": {c.numero: formater_point(c.montant) for c in s.ouvertures},
            "total_tresorerie": formater_point(s.total_tresorerie),
            "equilibre": s.equilibre,
            "ecart": formater_point(s.ecart),
            "exceptionnel": {
                "charges": formater_point(x.charges),
                "produits": formater_point(x.produits),
                "solde": formater_point(x.solde),
                "part_recettes_pourcent": (
                    None if x.part_recettes is None else f"{x.part_recettes * 100:.2f}"
                ),
                "tolerance": formater_point(x.tolerance),
                "tolerance_euros": formater_point(x.regle.euros),
                "tolerance_pourcent": f"{x.regle.part * 100:.2f}",
                "ok": x.ok,
                "verdict": x.verdict,
            },
            "classes": {
                t.classe: {
                    "depenses": formater_point(t.depenses),
                    "recettes": formater_point(t.recettes),
                    "solde": formater_point(t.solde),
                }
                for t in self.classes
            },
            "hors_plan": list(self.hors_plan),
        }


# -- classification ---------------------------------------------------------------


def _nature_hors_plan(code: str) -> Nature | None:
    """Guess the kind of an account absent from the chart from its PCG class digit."""
    if code.startswith("6"):
        return Nature.CHARGE
    if code.startswith("7"):
        return Nature.PRODUIT
    if code.startswith(PREFIXES_TRESORERIE):
        return Nature.TRESORERIE
    return None


def nature_du_compte(code: str, plan: PlanComptable) -> Nature | None:
    """An account's kind from the chart, else guessed from its PCG class digit."""
    compte = plan.trouver(code)
    return compte.nature if compte is not None else _nature_hors_plan(code)


def _classer(
    soldes: Mapping[str, Decimal], plan: PlanComptable
) -> tuple[dict[str, tuple[Compte, Decimal]], list[str]]:
    """Merge balances per chart account (a code may be an alias); list codes off the chart."""
    par_compte: dict[str, tuple[Compte, Decimal]] = {}
    hors_plan: list[str] = []
    for code, solde in soldes.items():
        compte = plan.trouver(code)
        if compte is None:
            hors_plan.append(code)
            nature = _nature_hors_plan(code)
            compte = Compte(
                numero=code,
                libelle=LIBELLE_HORS_PLAN,
                nature=nature or Nature.BILAN,
                rubrique=RUBRIQUE_HORS_PLAN,
            )
        _, avant = par_compte.get(compte.numero, (compte, ZERO))
        par_compte[compte.numero] = (compte, avant + solde)
    return par_compte, sorted(hors_plan)


def _rubriques(
    plan: PlanComptable, lignes: Iterable[tuple[Compte, Decimal]]
) -> tuple[Rubrique, ...]:
    """Group lines by rubrique in chart order; accounts off the chart come last."""
    ordre = {c.numero: i for i, c in enumerate(plan.comptes)}
    triees = sorted(lignes, key=lambda cs: (ordre.get(cs[0].numero, len(ordre)), cs[0].numero))
    groupes: dict[str, list[LigneCompte]] = {}
    for compte, montant in triees:
        groupes.setdefault(compte.rubrique, []).append(_ligne(compte, montant, plan))
    return tuple(
        Rubrique(nom, tuple(comptes), _somme(c.montant for c in comptes))
        for nom, comptes in groupes.items()
    )


def _ligne(compte: Compte, montant: Decimal, plan: PlanComptable) -> LigneCompte:
    return LigneCompte(
        numero=compte.numero,
        libelle=compte.libelle,
        rubrique=compte.rubrique,
        montant=montant,
        exceptionnel=compte.exceptionnel,
        hors_plan=plan.trouver(compte.numero) is None,
    )


def _somme(montants: Iterable[Decimal]) -> Decimal:
    return sum(montants, ZERO)


# -- the statements ------------------------------------------------------------------


def calculer_bilan(
    exercice: Exercice,
    soldes: Mapping[str, Decimal],
    plan: PlanComptable,
    soldes_par_classe: Mapping[tuple[str, str], Decimal] | None = None,
    tolerance: Tolerance | None = None,
) -> Bilan:
    """The statements of one exercice from its account balances (debits positive)."""
    tolerance = tolerance or Tolerance()
    par_compte, hors_plan = _classer(soldes, plan)

    # An account brought back to zero (a cancelled entry) has nothing to show.
    charges = [(c, s) for c, s in par_compte.values() if c.nature is Nature.CHARGE and s]
    produits = [(c, -s) for c, s in par_compte.values() if c.nature is Nature.PRODUIT and s]
    depenses = _rubriques(plan, charges)
    recettes = _rubriques(plan, produits)
    total_depenses = _somme(r.total for r in depenses)
    total_recettes = _somme(r.total for r in recettes)
    fonctionnement = CompteDeFonctionnement(
        depenses=depenses,
        recettes=recettes,
        total_depenses=total_depenses,
        total_recettes=total_recettes,
        resultat=total_recettes - total_depenses,
    )

    report = ZERO
    a_ventiler = ZERO
    autres: list[LigneCompte] = []
    tresorerie: list[tuple[Compte, Decimal]] = []
    for compte, solde in par_compte.values():
        if compte.nature is Nature.TRESORERIE:
            tresorerie.append((compte, solde))
        elif compte.numero == COMPTE_REPORT:
            report = -solde
        elif compte.numero == COMPTE_ATTENTE:
            a_ventiler = -solde
        elif compte.nature not in (Nature.CHARGE, Nature.PRODUIT):
            # Passif side: credit balances count positively, like the report à nouveau.
            autres.append(_ligne(compte, -solde, plan))
    lignes_tresorerie = tuple(c for r in _rubriques(plan, tresorerie) for c in r.comptes)
    total_tresorerie = _somme(c.montant for c in lignes_tresorerie)
    passif = report + fonctionnement.resultat + a_ventiler + _somme(a.montant for a in autres)
    simplifie = BilanSimplifie(
        report_a_nouveau=report,
        resultat=fonctionnement.resultat,
        a_ventiler=a_ventiler,
        autres=tuple(sorted(autres, key=lambda a: a.numero)),
        passif=passif,
        tresorerie=lignes_tresorerie,
        total_tresorerie=total_tresorerie,
        ecart=passif - total_tresorerie,
        equilibre=passif == total_tresorerie,
    )
    return Bilan(
        exercice=exercice,
        plan=plan.nom,
        fonctionnement=fonctionnement,
        simplifie=simplifie,
        exceptionnel=bloc_exceptionnel(fonctionnement, tolerance),
        classes=totaux_par_classe(soldes_par_classe or {}, plan),
        hors_plan=tuple(hors_plan),
    )


def bloc_exceptionnel(f: CompteDeFonctionnement, tolerance: Tolerance) -> BlocExceptionnel:
    """Exceptional totals, their balance against the tolerance, and the verdict."""
    ch = [c for r in f.depenses for c in r.comptes if c.exceptionnel]
    pr = [c for r in f.recettes for c in r.comptes if c.exceptionnel]
    charges = _somme(c.montant for c in ch)
    produits = _somme(c.montant for c in pr)
    solde = produits - charges
    part = None
    if f.total_recettes > 0:
        part = (abs(solde) / f.total_recettes).quantize(Decimal("0.0001"))
    seuil = tolerance.seuil(f.total_recettes)
    ok = abs(solde) <= seuil
    return BlocExceptionnel(
        charges=charges,
        produits=produits,
        solde=solde,
        part_recettes=part,
        tolerance=seuil,
        regle=tolerance,
        ok=ok,
        verdict=_verdict(charges, produits, solde, part, seuil, ok),
        explication=f"{CITATION_OCCE} {CE_QUI_VA_EN_EXCEPTIONNEL}",
        comptes=tuple(ch + pr),
    )


def _pourcent(part: Decimal | None) -> str:
    if part is None:
        return "aucune recette dans l'exercice"
    return f"{part * 100:.2f}".replace(".", ",") + " % des recettes"


def _verdict(
    charges: Decimal,
    produits: Decimal,
    solde: Decimal,
    part: Decimal | None,
    seuil: Decimal,
    ok: bool,
) -> str:
    if charges == 0 and produits == 0:
        return "Aucune charge ni aucun produit exceptionnel : conforme à la règle de l'OCCE."
    solde_txt = f"{formater_euros(solde)} ({_pourcent(part)})"
    if ok:
        return (
            f"Solde exceptionnel de {solde_txt}, dans la tolérance de "
            f"{formater_euros(seuil)} : proche de zéro, conforme à la règle de l'OCCE."
        )
    sens = (
        "les produits exceptionnels dépassent les charges exceptionnelles"
        if solde > 0
        else "les charges exceptionnelles dépassent les produits exceptionnels"
    )
    return (
        f"Solde exceptionnel de {solde_txt} : {sens} de plus que la tolérance de "
        f"{formater_euros(seuil)}. Reclassez dans leur compte habituel les opérations qui "
        "n'ont rien d'exceptionnel."
    )


def totaux_par_classe(
    soldes_par_classe: Mapping[tuple[str, str], Decimal], plan: PlanComptable
) -> tuple[TotalClasse, ...]:
    """Dépenses, recettes and solde per class or project tag (tagged lines only).

    Tags are case-insensitive (`cp` is `CP`, shown as its first spelling in sort order);
    a tag whose dépenses and recettes are both zero (say, after a reversal) is left out.
    """
    depenses: dict[str, Decimal] = {}
    recettes: dict[str, Decimal] = {}
    noms: dict[str, str] = {}
    for (tag, code), solde in soldes_par_classe.items():
        cle = tag.casefold()
        noms[cle] = min(noms.get(cle, tag), tag)
        classe = cle
        compte = plan.trouver(code)
        nature = compte.nature if compte is not None else _nature_hors_plan(code)
        if nature is Nature.CHARGE:
            depenses[classe] = depenses.get(classe, ZERO) + solde
        elif nature is Nature.PRODUIT:
            recettes[classe] = recettes.get(classe, ZERO) - solde
    classes = sorted(set(depenses) | set(recettes), key=lambda c: noms[c])
    return tuple(
        TotalClasse(
            classe=noms[c],
            depenses=depenses.get(c, ZERO),
            recettes=recettes.get(c, ZERO),
            solde=recettes.get(c, ZERO) - depenses.get(c, ZERO),
        )
        for c in classes
        if depenses.get(c, ZERO) or recettes.get(c, ZERO)
    )


__all__ = [
    "Bilan",
    "BilanSimplifie",
    "BlocExceptionnel",
    "CompteDeFonctionnement",
    "LigneCompte",
    "Rubrique",
    "TotalClasse",
    "Tolerance",
    "bloc_exceptionnel",
    "calculer_bilan",
    "nature_du_compte",
    "totaux_par_classe",
]
