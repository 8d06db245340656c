"""SQL of `coop regie`: régie names, and the class tags of expenses paid from régie accounts."""

from __future__ import annotations

import datetime as dt

from coopcompta.domain.comptes import PREFIXE_REGIE
from coopcompta.storage import Ledger

# Régie accounts are the texts from PREFIXE_REGIE (541) up to, not including, the next prefix.
FIN_REGIES = PREFIXE_REGIE[:-1] + chr(ord(PREFIXE_REGIE[-1]) + 1)


def noms(ledger: Ledger) -> dict[str, str]:
    """Régie account -> class name, for régies opened by name."""
    return {r[0]: r[1] for r in ledger.conn.execute("SELECT compte, nom FROM regies")}


def nommer(ledger: Ledger, nom: str, compte: str, jour: dt.date) -> None:
    ledger.conn.execute(
        "INSERT INTO regies(nom, compte, ouverte_le) VALUES (?,?,?)",
        [nom, compte, jour.isoformat()],
    )


def etiquettes(ledger: Ledger, exercice: str) -> dict[str, set[str]]:
    """Régie account -> class tags found on the expenses it paid in the exercice.

    Led by the treasury lines on régie accounts (an index range: a few rows), not by the
    exercice's écritures (a scan: 0.18 s of every `coop bilan` at 1 000 000 écritures).
    """
    rows = ledger.conn.execute(
        "SELECT DISTINCT e.tresorerie, l.classe FROM lignes t"
        " JOIN ecritures e ON e.id = t.ecriture_id JOIN lignes l ON l.ecriture_id = e.id"
        f" WHERE t.exercice = ? AND t.compte >= '{PREFIXE_REGIE}' AND t.compte < '{FIN_REGIES}'"
        " AND t.role = 't' AND e.tresorerie = t.compte AND l.role = 'v'"
        " AND l.classe IS NOT NULL",
        [exercice],
    )
    resultat: dict[str, set[str]] = {}
    for compte, classe in rows:
        resultat.setdefault(compte, set()).add(classe)
    return resultat
