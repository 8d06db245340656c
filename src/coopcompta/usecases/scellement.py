"""The sealed closing: what `coop nouvel-exercice` requires (bank reconciled at 31 August, cash
counted, no negative caisse), the seal written with the closing, its check by `coop verifier`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from coopcompta.domain.caisse import est_caisse
from coopcompta.domain.comptes import COMPTE_CAISSE
from coopcompta.domain.money import formater_euros
from coopcompta.domain.scellement import comparer, racine, sceller

if TYPE_CHECKING:
    from coopcompta.domain.model import Anomalie, Exercice
    from coopcompta.storage import Ledger


@dataclass(frozen=True)
class Exigences:
    """Why the exercice may not be closed yet: `bloquants` always stop it, `forcables` unless
    the treasurer gives a reason (--forcer)."""

    bloquants: tuple[str, ...]
    forcables: tuple[str, ...]


def exigences(ledger: Ledger, exercice: Exercice) -> Exigences:
    from coopcompta.domain.comptes import COMPTES_BANCAIRES
    from coopcompta.storage.caisse import mouvements
    from coopcompta.usecases.fin_annee import documents

    soldes = ledger.soldes(exercice.nom)
    bloquants = [
        f"la caisse {c} finit l'exercice à {formater_euros(s)} : une caisse ne peut pas être "
        "négative ; corrigez l'écriture en cause"
        for c, s in sorted(soldes.items())
        if est_caisse(c) and s < 0
    ]
    docs = documents(ledger, exercice)
    forcables: list[str] = []
    caisses = mouvements(ledger, exercice.nom)
    rapproches = {r.tableau.compte: r.tableau for r in docs.rapprochements}
    for compte in COMPTES_BANCAIRES:
        if compte not in soldes:
            continue
        t = rapproches.get(compte)
        if t is None or t.date != exercice.fin:
            forcables.append(
                f"pas de rapprochement bancaire du compte {compte} au {exercice.fin:%d/%m/%Y} "
                "(`coop rapprochement`)"
            )
        elif not t.equilibre:
            forcables.append(
                f"le rapprochement du compte {compte} ne tient plus (écart "
                f"{formater_euros(t.ecart)}) : refaites-le"
            )
    comptes = {a.arrete.compte: a for a in docs.arretes}
    m53 = caisses.get(COMPTE_CAISSE)
    if m53 is not None and (m53.lignes or m53.ouverture):
        a = comptes.get(COMPTE_CAISSE)
        dernier = m53.lignes[-1][0] if m53.lignes else exercice.debut
        if a is None or a.arrete.date < dernier:
            forcables.append(
                f"pas d'arrêté de caisse depuis le dernier mouvement de la caisse "
                f"({dernier:%d/%m/%Y}) : `coop caisse compter`"
            )
        elif a.ecart != 0:
            forcables.append(
                f"l'arrêté de caisse du {a.arrete.date:%d/%m/%Y} diffère du livre de "
                f"{formater_euros(a.ecart)} : expliquez l'écart par une écriture"
            )
    return Exigences(tuple(bloquants), tuple(forcables))


def sceller_exercice(ledger: Ledger, exercice: Exercice, raison: str | None) -> str:
    """Seal the exercice being closed: the chain over its écritures, kept with the closing."""
    from coopcompta.storage import scellement as sql

    sceaux = sceller(exercice.nom, sql.ecritures_brutes(ledger, exercice.nom))
    sql.enregistrer(ledger, exercice.nom, sceaux, racine(exercice.nom, sceaux), raison)
    return racine(exercice.nom, sceaux)


def verifier_sceaux(ledger: Ledger) -> list[Anomalie]:
    """Recompute the chain of every sealed exercice; name what changed behind the tool's back."""
    from coopcompta.storage import scellement as sql

    out: list[Anomalie] = []
    for c in sql.clotures(ledger):
        actuels = sceller(c.exercice, sql.ecritures_brutes(ledger, c.exercice))
        scelles = sql.sceaux(ledger, c.exercice)
        out += comparer(c.exercice, scelles, c.racine, actuels)
    return out
