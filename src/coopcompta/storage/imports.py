"""SQL of `coop import`: import records, known fingerprints, bulk writes, matching, undo.

Amounts cross this module's boundary as integer centimes (signed from the treasury
account's side: money in is positive), like the `lignes` table stores them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from ..errors import SaisieInvalide
from ..model import Ecriture, Sens
from ..money import to_centimes
from . import Ledger

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


def exercices_clos(ledger: Ledger) -> set[str]:
    return {r[0] for r in ledger.conn.execute("SELECT nom FROM exercices WHERE cloture = 1")}


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

    def __init__(self, ledger: Ledger, plafond: int = 20_000) -> None:
        self.conn = ledger.conn
        self.plafond = plafond
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
            for start in range(0, len(manquantes), 500):
                chunk = manquantes[start : start + 500]
                marks = ",".join("?" * len(chunk))
                compte.update(
                    self.conn.execute(
                        f"SELECT k, n FROM temp.import_occurrences WHERE k IN ({marks})", chunk
                    ).fetchall()
                )
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

    def vider(self) -> None:
        if not self.deborde:
            self.conn.execute(
                "CREATE TEMP TABLE IF NOT EXISTS import_occurrences"
                " (k INTEGER PRIMARY KEY, n INTEGER NOT NULL)"
            )
            self.conn.execute("DELETE FROM temp.import_occurrences")
            self.deborde = True
        self.conn.executemany(
            "INSERT OR REPLACE INTO temp.import_occurrences(k, n) VALUES (?, ?)",
            self.compte.items(),
        )
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
    return [dict(r) for r in rows]


# --- writing -----------------------------------------------------------------------------------


_VIREMENT, _RECETTE, _DEPENSE = Sens.VIREMENT, Sens.RECETTE, Sens.DEPENSE
_VALEURS = {s: s.value for s in Sens}


def _centimes(montant: Decimal) -> int:
    c = montant.scaleb(2)
    i = int(c)
    if i != c:
        return to_centimes(montant)  # raises, naming the amount
    return i


class Inserteur:
    """Bulk writer for one import: écritures get their ids here, so that both tables are
    written with executemany. Call inside the import's transaction."""

    def __init__(self, ledger: Ledger) -> None:
        self.conn = ledger.conn
        # A bounded 16 MiB page cache (SQLite's default is 2 MiB): the fingerprint and amount
        # indexes take random inserts, a quarter faster when their pages stay in memory.
        self.conn.execute("PRAGMA cache_size = -16384")
        row = self.conn.execute("SELECT coalesce(max(id), 0) FROM ecritures").fetchone()
        self.prochain_id = row[0] + 1
        self.now = dt.datetime.now().isoformat(timespec="seconds")
        self._ecritures: list[tuple[Any, ...]] = []
        self._lignes: list[tuple[Any, ...]] = []
        self._rapprochements: list[tuple[Any, ...]] = []
        self.nb = 0

    def ajouter(self, e: Ecriture, piece: str | None = None, piece_num: int | None = None) -> int:
        """Queue one recette, dépense or virement (with its exercice); returns its id.
        Refuses one whose ventilation does not add up to the centime."""
        eid = self.prochain_id
        ex = e.exercice
        total = _centimes(e.montant)
        lignes = self._lignes
        if not ex or total <= 0:
            raise SaisieInvalide("écriture sans exercice ou de montant nul", e.libelle)
        sens = e.sens
        if sens is _VIREMENT:
            lignes.append((eid, ex, "t", e.contrepartie, total, None))
            lignes.append((eid, ex, "t", e.tresorerie, -total, None))
        elif sens is _RECETTE or sens is _DEPENSE:
            signe = 1 if sens is _DEPENSE else -1
            somme = 0
            n = len(lignes)
            for lg in e.ventilation:
                c = total if lg.montant is e.montant else _centimes(lg.montant)
                somme += c
                lignes.append((eid, ex, "v", lg.compte, signe * c, lg.classe))
            if somme != total or not e.ventilation:
                del lignes[n:]
                raise SaisieInvalide("écriture déséquilibrée", e.libelle)
            lignes.append((eid, ex, "t", e.tresorerie, -signe * total, None))
        else:
            raise SaisieInvalide(f"un import n'écrit pas d'écriture « {sens} »", e.libelle)
        self.prochain_id += 1
        self._ecritures.append(
            (
                eid,
                ex,
                e.date.isoformat(),
                _VALEURS[sens],
                piece,
                piece_num,
                e.libelle,
                e.mode,
                e.cheque,
                e.tresorerie,
                e.contrepartie,
                total,
                e.import_id,
                e.brut,
                e.empreinte,
                self.now,
            )
        )
        self.nb += 1
        if len(self._ecritures) >= 2000:
            self.vider()
        return eid

    def rapprocher(self, import_id: int, empreinte: str, ids: Iterable[int], compte: str) -> None:
        self._rapprochements.extend((import_id, empreinte, i, compte) for i in ids)

    def vider(self) -> None:
        if self._ecritures:
            self.conn.executemany(
                "INSERT INTO ecritures(id, exercice, date, sens, piece, piece_num, libelle, mode,"
                " cheque, tresorerie, contrepartie, montant, import_id, brut, empreinte,"
                " saisie_le) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                self._ecritures,
            )
            self.conn.executemany(
                "INSERT INTO lignes(ecriture_id, exercice, role, compte, montant, classe)"
                " VALUES (?,?,?,?,?,?)",
                self._lignes,
            )
            self._ecritures.clear()
            self._lignes.clear()
        if self._rapprochements:
            self.conn.executemany(
                "INSERT INTO import_rapprochements(import_id, empreinte, ecriture_id, compte)"
                " VALUES (?,?,?,?)",
                self._rapprochements,
            )
            self._rapprochements.clear()


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
