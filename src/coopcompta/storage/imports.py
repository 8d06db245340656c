"""SQL of `coop import`: import records, known fingerprints, matching, undo.

A bank line is matched with the ledger on its amount in integer centimes, signed from
the treasury account's side (money in is positive): the unit of its fingerprint and of
the `lignes` table. Amounts handed back as money (the cheques a deposit may hold) are
Decimal euros. The écritures themselves are written by the one writer, `storage.ecrivain`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from coopcompta.domain.money import depuis_centimes
from coopcompta.storage import Ledger
from coopcompta.storage.ecrivain import DIRECT, Acces

# --- import records ----------------------------------------------------------------------------


def creer_import(ledger: Ledger, fichier: str, format: str, tresorerie: str) -> int:
    cur = ledger.conn.execute(
        "INSERT INTO imports(fichier, format, tresorerie, importe_le, nb_lignes, annule)"
        " VALUES (?, ?, ?, ?, 0, 0)",
        [fichier, format, tresorerie, dt.datetime.now().isoformat(timespec="seconds")],
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def terminer_import(ledger: Ledger, import_id: int, nb_lignes: int) -> None:
    ledger.conn.execute("UPDATE imports SET nb_lignes = ? WHERE id = ?", [nb_lignes, import_id])


def oublier_import(ledger: Ledger, import_id: int) -> None:
    """Drop the record of an import that added nothing (so `--annuler` never meets it)."""
    ledger.conn.execute("DELETE FROM imports WHERE id = ?", [import_id])


def dernier_import(ledger: Ledger) -> dict[str, Any] | None:
    row = ledger.conn.execute(
        "SELECT * FROM imports WHERE coalesce(annule, 0) = 0 ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return dict(row) if row else None


# --- what the ledger already holds -------------------------------------------------------------


def empreintes_connues(ledger: Ledger, empreintes: Sequence[str]) -> set[str]:
    """Those fingerprints already recorded: on an écriture, or as a confirming bank line."""
    connues: set[str] = set()
    for start in range(0, len(empreintes), 500):
        chunk = list(empreintes[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for table in ("ecritures", "import_rapprochements"):
            connues.update(
                r[0]
                for r in ledger.conn.execute(
                    f"SELECT empreinte FROM {table} WHERE empreinte IN ({marks})", chunk
                )
            )
    return connues


def deja_importe(ledger: Ledger, compte: str, sauf: int | None = None) -> bool:
    """Whether a statement of this account was imported before (so that fingerprints may
    be known), not counting the import `sauf` being written."""
    row = ledger.conn.execute(
        "SELECT EXISTS (SELECT 1 FROM imports WHERE tresorerie = ? AND coalesce(annule, 0) = 0"
        " AND id != ?)",
        [compte, sauf or 0],
    ).fetchone()
    return bool(row[0])


def montants_du_compte(ledger: Ledger, compte: str, exercices: Sequence[str]) -> set[int]:
    """Distinct signed amounts of the account's movements (read from an index only)."""
    marks = ",".join("?" * len(exercices))
    return {
        r[0]
        for r in ledger.conn.execute(
            f"SELECT DISTINCT montant FROM lignes WHERE exercice IN ({marks}) AND compte = ?",
            [*exercices, compte],
        )
    }


def montants_virements(ledger: Ledger, compte: str) -> set[int]:
    """Distinct amounts of the virements to or from this account."""
    return {
        r[0]
        for r in ledger.conn.execute(
            "SELECT DISTINCT montant FROM ecritures WHERE sens = 'virement'"
            " AND (tresorerie = ? OR contrepartie = ?)",
            [compte, compte],
        )
    }


def a_des_cheques_saisis(ledger: Ledger, compte: str) -> bool:
    row = ledger.conn.execute(
        "SELECT EXISTS (SELECT 1 FROM ecritures WHERE sens = 'recette' AND mode = 'cheque'"
        " AND import_id IS NULL AND tresorerie = ?)",
        [compte],
    ).fetchone()
    return bool(row[0])


class Occurrences:
    """Counts identical lines within one file. Past `plafond` keys the counts move to a
    temporary table, so memory stays flat whatever the size of the file; only keys of the
    dates already moved are looked up there (few, in a file sorted by date)."""

    PLAFOND = 20_000

    def __init__(self, ledger: Ledger, plafond: int | None = None, acces: Acces = DIRECT) -> None:
        self.conn = ledger.conn
        self.acces = acces  # where the SQL runs (see Ecrivain)
        self.plafond = plafond or self.PLAFOND
        self.compte: dict[int, int] = {}
        self.dates: dict[int, dt.date] = {}  # key -> its date, for the keys in memory
        self.dates_deplacees: set[dt.date] = set()
        self.deborde = False

    def suivantes(self, cles: Sequence[tuple[dt.date, int]]) -> list[int]:
        """The occurrence index (0, 1, …) of each (date, key), counting earlier calls."""
        compte = self.compte
        if self.dates_deplacees:
            deplacees = self.dates_deplacees
            manquantes = list({k for jour, k in cles if jour in deplacees and k not in compte})
            if manquantes:
                compte.update(self.acces.appeler(self._relire, manquantes))
        dates = self.dates
        result = []
        for jour, k in cles:
            n = compte.get(k, 0)
            result.append(n)
            compte[k] = n + 1
            dates[k] = jour
        if len(compte) > self.plafond:
            self.vider()
        return result

    def _relire(self, cles: list[int]) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        for start in range(0, len(cles), 500):
            chunk = cles[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found += self.conn.execute(
                f"SELECT k, n FROM temp.import_occurrences WHERE k IN ({marks})", chunk
            ).fetchall()
        return found

    def _deplacer(self, compte: list[tuple[int, int]], premiere: bool) -> None:
        if premiere:
            self.conn.execute(
                "CREATE TEMP TABLE IF NOT EXISTS import_occurrences"
                " (k INTEGER PRIMARY KEY, n INTEGER NOT NULL)"
            )
            self.conn.execute("DELETE FROM temp.import_occurrences")
        self.conn.executemany(
            "INSERT OR REPLACE INTO temp.import_occurrences(k, n) VALUES (?, ?)", compte
        )

    def vider(self) -> None:
        self.acces.envoyer(self._deplacer, list(self.compte.items()), not self.deborde)
        self.deborde = True
        self.dates_deplacees.update(self.dates.values())
        self.compte.clear()
        self.dates.clear()


_VIVANTE = (
    "+e.annule IS NULL AND NOT EXISTS (SELECT 1 FROM ecritures c WHERE c.annule = e.id)"
    " AND NOT EXISTS (SELECT 1 FROM import_rapprochements r"
    " WHERE r.ecriture_id = e.id AND r.compte = :compte)"
)


def mouvements_proches(
    ledger: Ledger,
    compte: str,
    exercices: Sequence[str],
    montants: Iterable[int],
    debut: dt.date,
    fin: dt.date,
    import_courant: int | None,
) -> list[dict[str, Any]]:
    """Movements of a treasury account with one of these signed amounts between two dates,
    not cancelled, not already confirmed by a bank line of that account, not from the
    current import: the candidates for "possible doublon"."""
    montants = sorted(set(montants))
    found: list[dict[str, Any]] = []
    for start in range(0, len(montants), 500):
        chunk = montants[start : start + 500]
        params: dict[str, Any] = {f"m{i}": m for i, m in enumerate(chunk)}
        params.update(
            {f"x{i}": x for i, x in enumerate(exercices)},
            compte=compte,
            debut=debut.isoformat(),
            fin=fin.isoformat(),
            courant=import_courant or 0,
        )
        ms = ",".join(f":m{i}" for i in range(len(chunk)))
        xs = ",".join(f":x{i}" for i in range(len(exercices)))
        rows = ledger.conn.execute(
            "SELECT e.id, e.date, e.piece, e.libelle, e.import_id, l.montant, i.fichier"
            " FROM lignes l JOIN ecritures e ON e.id = l.ecriture_id"
            " LEFT JOIN imports i ON i.id = e.import_id"
            f" WHERE l.exercice IN ({xs}) AND l.compte = :compte AND l.montant IN ({ms})"
            " AND l.role = 't' AND e.date BETWEEN :debut AND :fin AND e.sens != 'ouverture'"
            f" AND coalesce(e.import_id, 0) != :courant AND {_VIVANTE}"
            " ORDER BY e.date, e.id",
            params,
        )
        found.extend(dict(r) for r in rows)
    return found


def virements_a_rapprocher(
    ledger: Ledger, compte: str, montants: Iterable[int], debut: dt.date, fin: dt.date
) -> list[dict[str, Any]]:
    """Virements to or from `compte` with one of these amounts between two dates whose
    `compte` side no bank line has confirmed yet (nor an import of that account wrote)."""
    montants = sorted(set(montants))
    found: list[dict[str, Any]] = []
    for start in range(0, len(montants), 500):
        chunk = montants[start : start + 500]
        params: dict[str, Any] = {f"m{i}": m for i, m in enumerate(chunk)}
        params.update(compte=compte, debut=debut.isoformat(), fin=fin.isoformat())
        ms = ",".join(f":m{i}" for i in range(len(chunk)))
        rows = ledger.conn.execute(
            "SELECT e.id, e.date, e.piece, e.libelle, e.montant, e.tresorerie, e.contrepartie"
            " FROM ecritures e LEFT JOIN imports i ON i.id = e.import_id"
            f" WHERE e.sens = 'virement' AND e.montant IN ({ms})"
            " AND e.date BETWEEN :debut AND :fin"
            " AND (e.tresorerie = :compte OR e.contrepartie = :compte)"
            " AND (e.import_id IS NULL OR i.tresorerie != :compte)"
            f" AND {_VIVANTE} ORDER BY e.date, e.id",
            params,
        )
        found.extend(dict(r) for r in rows)
    return found


def cheques_emis(ledger: Ledger, compte: str) -> list[dict[str, Any]]:
    """Cheques the coop wrote on this account (dépenses, virements) that no bank line has
    confirmed yet and that are not cancelled: few rows, read once per import."""
    rows = ledger.conn.execute(
        "SELECT e.id, e.date, e.piece, e.libelle, e.montant, e.cheque FROM ecritures e"
        " WHERE e.tresorerie = :compte AND e.sens IN ('depense', 'virement')"
        f" AND e.cheque IS NOT NULL AND e.montant > 0 AND {_VIVANTE}",
        {"compte": compte},
    )
    return [dict(r) for r in rows]


def cheques_non_remis(
    ledger: Ledger, compte: str, debut: dt.date, fin: dt.date
) -> list[dict[str, Any]]:
    """Cheque receipts typed by hand on this account between two dates that no deposit
    line has confirmed, most recent first."""
    rows = ledger.conn.execute(
        "SELECT e.id, e.date, e.piece, e.libelle, e.montant FROM ecritures e"
        " WHERE e.sens = 'recette' AND e.mode = 'cheque' AND e.import_id IS NULL"
        " AND e.tresorerie = :compte AND e.date BETWEEN :debut AND :fin AND e.montant > 0"
        f" AND {_VIVANTE} ORDER BY e.date DESC, e.id DESC",
        {"compte": compte, "debut": debut.isoformat(), "fin": fin.isoformat()},
    )
    return [{**r, "montant": depuis_centimes(r["montant"])} for r in map(dict, rows)]


# --- writing (the écritures go through storage.ecrivain) ----------------------------------


@contextlib.contextmanager
def references_sures(ledger: Ledger) -> Iterator[None]:
    """Foreign keys not checked row by row during an import's transaction (open it inside).

    Every reference the import writes is sure by construction: its exercices are read
    from the ledger, its import record is created first, each line refers to an écriture
    of the same batch inserted before it, each confirmation to an écriture a query found.
    The checks cost the writer a twelfth of its time. SQLite takes the PRAGMA only
    outside a transaction: inside a caller's transaction the checks simply stay on."""
    conn = ledger.conn
    suspendre = not conn.in_transaction and conn.execute("PRAGMA foreign_keys").fetchone()[0]
    if suspendre:
        conn.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        if suspendre:
            conn.execute("PRAGMA foreign_keys = ON")


def renumeroter(
    ledger: Ledger, import_id: int, exercice: str, sens: Sequence[str], serie: str, depuis: int
) -> None:
    """Give the import's écritures of these sens in one exercice the pièces `serie+depuis`,
    `serie+depuis+1`… in date order (file order within a day): for files not sorted by date."""
    marks = ",".join("?" * len(sens))
    ledger.conn.execute(
        "WITH n AS (SELECT id, row_number() OVER (ORDER BY date, id) - 1 AS rang"
        f" FROM ecritures WHERE import_id = ? AND exercice = ? AND sens IN ({marks}))"
        " UPDATE ecritures SET piece = ? || (n.rang + ?), piece_num = n.rang + ?"
        " FROM n WHERE ecritures.id = n.id",
        [import_id, exercice, *sens, serie, depuis, depuis],
    )


# --- undo --------------------------------------------------------------------------------------


def obstacles_annulation(ledger: Ledger, import_id: int) -> list[str]:
    """Why the import's écritures cannot simply be deleted (French, one per reason)."""
    raisons = []
    for r in ledger.conn.execute(
        "SELECT e.piece, c.piece FROM ecritures e JOIN ecritures c ON c.annule = e.id"
        " WHERE e.import_id = ? LIMIT 5",
        [import_id],
    ):
        raisons.append(f"la pièce {r[0]} a été annulée depuis (pièce {r[1]})")
    for r in ledger.conn.execute(
        "SELECT e.piece, r.import_id FROM import_rapprochements r"
        " JOIN ecritures e ON e.id = r.ecriture_id WHERE e.import_id = ? AND r.import_id != ?"
        " LIMIT 5",
        [import_id, import_id],
    ):
        raisons.append(f"la pièce {r[0]} a été rapprochée par l'import n° {r[1]}")
    for r in ledger.conn.execute(
        "SELECT DISTINCT e.exercice FROM ecritures e JOIN exercices x ON x.nom = e.exercice"
        " WHERE e.import_id = ? AND x.cloture = 1",
        [import_id],
    ):
        raisons.append(f"l'exercice {r[0]} est clôturé")
    return raisons


def supprimer_import(ledger: Ledger, import_id: int) -> tuple[int, int]:
    """Delete the import's écritures and confirmations, mark it cancelled; the counts."""
    conn = ledger.conn
    conn.execute(
        "DELETE FROM lignes WHERE ecriture_id IN (SELECT id FROM ecritures WHERE import_id = ?)",
        [import_id],
    )
    n = conn.execute("DELETE FROM ecritures WHERE import_id = ?", [import_id]).rowcount
    r = conn.execute("DELETE FROM import_rapprochements WHERE import_id = ?", [import_id]).rowcount
    conn.execute("UPDATE imports SET annule = 1 WHERE id = ?", [import_id])
    return n, r
