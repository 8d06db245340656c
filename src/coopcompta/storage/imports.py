"""SQL of `coop import`: import records, known fingerprints, bulk writes, matching, undo.

Amounts cross this module's boundary as integer centimes (signed from the treasury
account's side: money in is positive), like the `lignes` table stores them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import queue
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple, TypeVar

from coopcompta.domain.errors import SaisieInvalide
from coopcompta.domain.model import Ecriture, Sens
from coopcompta.domain.money import to_centimes
from coopcompta.storage import Ledger

T = TypeVar("T")
_Tache = tuple[Callable[[], object], threading.Event | None]


class Acces:
    """Runs an import's SQL functions where the connection is: here, in the calling
    thread (an Ecrivain's writer thread may hold it instead; same two methods)."""

    def appeler(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(*args), and its result."""
        return fn(*args)

    def envoyer(self, fn: Callable[..., object], *args: Any) -> None:
        """fn(*args), a write whose result is not needed."""
        fn(*args)


DIRECT = Acces()


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
    return [dict(r) for r in rows]


# --- writing -----------------------------------------------------------------------------------


_VIREMENT, _RECETTE, _DEPENSE = Sens.VIREMENT, Sens.RECETTE, Sens.DEPENSE
_VALEURS = {s: s.value for s in Sens}
LOT = 2000  # écritures per batch written


class Inserteur:
    """Bulk writer for one import: écritures get their ids here, so that both tables are
    written in batches. Call inside the import's transaction; `ecrivain` runs the SQL.

    Only the ventilation lines are sent as rows: the treasury side of each écriture
    (role 't') follows from its sens, accounts and amount, and is written by one
    INSERT … SELECT per batch, as `Ecriture.lignes_comptables` has it: a recette debits
    its treasury account, a dépense credits it, a virement credits `tresorerie` (the
    source) and debits `contrepartie` (the destination)."""

    # A bounded page cache (SQLite's default is 2 MiB): the fingerprint and amount indexes
    # take random inserts, a quarter faster when their pages stay in memory.
    CACHE_KIO = 16384

    def __init__(self, ledger: Ledger, ecrivain: Ecrivain | None = None) -> None:
        self.conn = ledger.conn
        self.ecrivain = ecrivain or Ecrivain(ledger)
        self.conn.execute(f"PRAGMA cache_size = -{self.CACHE_KIO}")
        row = self.conn.execute("SELECT coalesce(max(id), 0) FROM ecritures").fetchone()
        self.prochain_id = row[0] + 1
        self.premier_id = self.prochain_id  # of the batch being filled
        self.now = dt.datetime.now().isoformat(timespec="seconds")
        self._ecritures: list[tuple[Any, ...]] = []
        self._ventilations: list[tuple[Any, ...]] = []
        self._rapprochements: list[tuple[Any, ...]] = []
        self.nb = 0
        self.lot = ECRITURES.par_requete  # écritures per batch: one multi-row INSERT

    def ecrire(
        self,
        exercice: str,
        date: str,
        sens: str,
        piece: str | None,
        piece_num: int | None,
        libelle: str,
        mode: str | None,
        cheque: str | None,
        tresorerie: str,
        contrepartie: str | None,
        montant: int,
        import_id: int | None,
        brut: str | None,
        empreinte: str | None,
        ventilation: Sequence[tuple[str, int, str | None]] = (),
    ) -> int:
        """Queue one recette, dépense or virement: its columns (`date` in ISO form,
        `montant` in positive centimes) and, for a recette or dépense, its ventilation
        (account, positive centimes, tag), which must add up to the amount; its id."""
        if montant <= 0 or not exercice:
            raise SaisieInvalide("écriture sans exercice ou de montant nul", libelle)
        eid: int = self.prochain_id
        if sens == "virement":
            if not contrepartie or ventilation:
                raise SaisieInvalide("virement sans compte de destination", libelle)
        else:
            if sens == "depense":
                signe = 1
            elif sens == "recette":
                signe = -1
            else:
                raise SaisieInvalide(f"un import n'écrit pas d'écriture « {sens} »", libelle)
            if len(ventilation) == 1:
                compte, c, classe = ventilation[0]
                if c != montant:
                    raise SaisieInvalide("écriture déséquilibrée", libelle)
                self._ventilations.append((eid, exercice, compte, signe * c, classe))
            else:
                if not ventilation or sum(v[1] for v in ventilation) != montant:
                    raise SaisieInvalide("écriture déséquilibrée", libelle)
                self._ventilations += [
                    (eid, exercice, compte, signe * c, classe) for compte, c, classe in ventilation
                ]
        self.prochain_id = eid + 1
        self._ecritures.append(
            (
                eid,
                exercice,
                date,
                sens,
                piece,
                piece_num,
                libelle,
                mode,
                cheque,
                tresorerie,
                contrepartie,
                montant,
                import_id,
                brut,
                empreinte,
                self.now,
            )
        )
        self.nb += 1
        if len(self._ecritures) >= self.lot:
            self.vider()
        return eid

    def ajouter(self, e: Ecriture, piece: str | None = None, piece_num: int | None = None) -> int:
        """Queue one recette, dépense or virement (with its exercice); returns its id.
        Refuses one whose ventilation does not add up to the centime."""
        total = to_centimes(e.montant)
        ventilation = [
            (lg.compte, total if lg.montant is e.montant else to_centimes(lg.montant), lg.classe)
            for lg in e.ventilation
        ]
        if e.sens is _VIREMENT and not e.contrepartie:
            raise SaisieInvalide("virement sans compte de destination", e.libelle)
        return self.ecrire(
            e.exercice or "",
            e.date.isoformat(),
            _VALEURS[e.sens],
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
            ventilation if e.sens is not _VIREMENT else (),
        )

    def rapprocher(self, import_id: int, empreinte: str, ids: Iterable[int], compte: str) -> None:
        self._rapprochements.extend((import_id, empreinte, i, compte) for i in ids)

    def vider(self) -> None:
        """Hand the queued rows to the writer (the écritures before the lines they own)."""
        if self._ecritures:
            self.ecrivain.inserer(ECRITURES, self._ecritures)
            self.ecrivain.envoyer(
                self.conn.execute, LIGNES_TRESORERIE, [self.premier_id, self.prochain_id - 1]
            )
            self.ecrivain.inserer(VENTILATIONS, self._ventilations)
            self.premier_id = self.prochain_id
            self._ecritures = []
            self._ventilations = []
        if self._rapprochements:
            self.ecrivain.inserer(RAPPROCHEMENTS, self._rapprochements)
            self._rapprochements = []


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


# The treasury lines of the écritures ?1 to ?2 (see Inserteur).
LIGNES_TRESORERIE = (
    "INSERT INTO lignes(ecriture_id, exercice, role, compte, montant, classe)"
    " SELECT id, exercice, 't', contrepartie, montant, NULL FROM ecritures"
    " WHERE id BETWEEN ?1 AND ?2 AND sens = 'virement'"
    " UNION ALL"
    " SELECT id, exercice, 't', tresorerie, CASE sens WHEN 'recette' THEN montant"
    " ELSE -montant END, NULL FROM ecritures WHERE id BETWEEN ?1 AND ?2"
)


class Table(NamedTuple):
    """How rows of one table are inserted by the writer thread: `par_requete` rows per
    multi-row INSERT (within SQLite's 32 766 parameters; 0: executemany), and whether
    the rows left over may wait for the next batch (not for rows other rows refer to).
    `valeurs` is one row's VALUES (parameters, and constants)."""

    nom: str
    colonnes: tuple[str, ...]
    valeurs: str
    par_requete: int
    reporter: bool = False

    @property
    def parametres(self) -> int:
        return self.valeurs.count("?")

    def requete(self, n: int = 1) -> str:
        return f"INSERT INTO {self.nom}({', '.join(self.colonnes)}) VALUES " + ",".join(
            [self.valeurs] * n
        )


ECRITURES = Table(
    "ecritures",
    (
        "id",
        "exercice",
        "date",
        "sens",
        "piece",
        "piece_num",
        "libelle",
        "mode",
        "cheque",
        "tresorerie",
        "contrepartie",
        "montant",
        "import_id",
        "brut",
        "empreinte",
        "saisie_le",
    ),
    "(" + ",".join("?" * 16) + ")",
    LOT,
)
VENTILATIONS = Table(
    "lignes",
    ("ecriture_id", "exercice", "role", "compte", "montant", "classe"),
    "(?,?,'v',?,?,?)",
    6000,
    True,
)
RAPPROCHEMENTS = Table(
    "import_rapprochements", ("import_id", "empreinte", "ecriture_id", "compte"), "(?,?,?,?)", 0
)
PARAMETRES_REQUIS = max(t.parametres * t.par_requete for t in (ECRITURES, VENTILATIONS))


class Ecrivain(Acces):
    """Where an import's SQL runs, always inside the caller's transaction.

    Inline by default. With `parallele=True`, the first full batch starts a writer
    thread that owns the connection from then on: SQLite releases the GIL while it
    inserts, so the inserts of one batch overlap the parsing and categorising of the
    next ones on a second core. Batches then go as multi-row INSERTs of a fixed size
    (executemany would hand the GIL back and forth at every row) through a bounded
    queue, so memory stays flat. Meanwhile the main thread reaches the ledger only
    through `appeler`, which runs a function in the writer thread after the writes
    queued before it. The first error stops the writer and is raised in the main thread
    at its next call; on any error the caller rolls the transaction back. Use it as a
    context manager: leaving it waits for the last writes (`terminer`), or, on an
    exception, discards what is still queued (`abandonner`) before the rollback.
    """

    FILE = 4  # batches waiting for the writer at most
    BASCULE = 0.0005  # GIL switch interval while the writer runs (Python's default: 5 ms)

    def __init__(self, ledger: Ledger, parallele: bool = False) -> None:
        self.conn = ledger.conn
        self.parallele = (
            parallele
            and ledger.multi_fils
            and self.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) >= PARAMETRES_REQUIS
        )
        self._fil: threading.Thread | None = None
        self._file: queue.Queue[_Tache | None] = queue.Queue(self.FILE)
        self._restes: dict[Table, list[tuple[Any, ...]]] = {}
        self._erreur: BaseException | None = None
        self._abandon = False
        self._bascule = 0.0

    def __enter__(self) -> Ecrivain:
        return self

    def __exit__(self, typ: object, exc: BaseException | None, tb: object) -> None:
        if exc is None:
            self.terminer()
        else:
            self.abandonner()

    @property
    def en_parallele(self) -> bool:
        return self._fil is not None

    def inserer(self, table: Table, lignes: list[tuple[Any, ...]]) -> None:
        """Insert these rows (now, or in the writer's turn)."""
        if self._fil is None and self.parallele and table.par_requete:
            self._demarrer()
        if self._fil is None:
            self.conn.executemany(table.requete(), lignes)
            return
        # Multi-row INSERTs of one size only (one prepared statement per table). Écritures
        # come in batches of exactly LOT rows but the last; ventilation lines left over
        # wait for the next batch, after their écritures.
        k = table.par_requete
        reste = self._restes.pop(table, []) + lignes
        debut = 0
        if k:
            requete = table.requete(k)
            while len(reste) - debut >= k:
                valeurs = list(itertools.chain.from_iterable(reste[debut : debut + k]))
                self._deposer(functools.partial(self.conn.execute, requete, valeurs))
                debut += k
        if debut < len(reste):
            if table.reporter:
                self._restes[table] = reste[debut:]
            else:
                self._deposer(
                    functools.partial(self.conn.executemany, table.requete(), reste[debut:])
                )

    def appeler(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(*args) where the connection is, after the writes queued before; its result."""
        if self._fil is None:
            return fn(*args)
        fait = threading.Event()
        resultat: list[T] = []
        self._deposer(lambda: resultat.append(fn(*args)), fait)
        fait.wait()
        self._verifier()
        return resultat[0]

    def envoyer(self, fn: Callable[..., object], *args: Any) -> None:
        """fn(*args) where the connection is, after the writes queued before; no wait."""
        if self._fil is None:
            fn(*args)
        else:
            self._deposer(functools.partial(fn, *args))

    def terminer(self) -> None:
        """Write what is left and wait for the writer; raises its error, if any."""
        if self._fil is None:
            return
        for table, reste in list(self._restes.items()):
            self._deposer(functools.partial(self.conn.executemany, table.requete(), reste))
        self._restes.clear()
        self._arreter()
        self._verifier()

    def abandonner(self) -> None:
        """Stop the writer without writing what is still queued (before a rollback)."""
        self._abandon = True
        self._restes.clear()
        if self._fil is not None:
            self._arreter()

    # The thread

    def _demarrer(self) -> None:
        self._bascule = sys.getswitchinterval()
        # The writer takes the GIL back after each statement; at Python's 5 ms switch
        # interval it would wait that long every time the main thread is busy.
        sys.setswitchinterval(self.BASCULE)
        self._fil = threading.Thread(target=self._boucle, name="coop-import-ecrivain", daemon=True)
        self._fil.start()

    def _boucle(self) -> None:
        while True:
            tache = self._file.get()
            if tache is None:
                return
            fn, fait = tache
            try:
                # After an error (or when abandoned) the queue is only drained, so that
                # the main thread never waits on a full queue.
                if self._erreur is None and not self._abandon:
                    fn()
            except BaseException as exc:  # noqa: BLE001  (raised again in the main thread)
                self._erreur = exc
            finally:
                if fait is not None:
                    fait.set()

    def _deposer(self, fn: Callable[[], object], fait: threading.Event | None = None) -> None:
        self._verifier()
        self._file.put((fn, fait))

    def _verifier(self) -> None:
        if self._erreur is not None:
            raise self._erreur

    def _arreter(self) -> None:
        assert self._fil is not None
        self._file.put(None)
        self._fil.join()
        self._fil = None
        sys.setswitchinterval(self._bascule)


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
