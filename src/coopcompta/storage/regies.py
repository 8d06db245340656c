"""SQL of `coop regie`: régie names, and the class tags of expenses paid from régie accounts."""

from __future__ import annotations

import datetime as dt

from coopcompta.storage import Ledger


def noms(ledger: Ledger) -> dict[str, str]:
    """Régie account -> class name, for régies opened by name."""
    return {r[0]: r[1] for r in ledger.conn.execute("SELECT compte, nom FROM regies")}


def nommer(ledger: Ledger, nom: str, compte: str, jour: dt.date) -> None:
    ledger.conn.execute(
        "INSERT INTO regies(nom, compte, ouverte_le) VALUES (?,?,?)",
        [nom, compte, jour.isoformat()],
    )


def etiquettes(ledger: Ledger, exercice: str) -> dict[str, set[str]]:
    """Régie account -> class tags found on the expenses it paid in the exercice."""
    rows = ledger.conn.execute(
        "SELECT DISTINCT e.tresorerie, l.classe FROM ecritures e JOIN lignes l"
        " ON l.ecriture_id = e.id WHERE e.exercice = ? AND e.tresorerie LIKE '541%'"
        " AND l.role = 'v' AND l.classe IS NOT NULL",
        [exercice],
    )
    resultat: dict[str, set[str]] = {}
    for compte, classe in rows:
        resultat.setdefault(compte, set()).add(classe)
    return resultat
