"""The one writer of écritures: Ecriture objects to rows, in batches, checked before commit.

Every écriture reaches the ledger through `Enregistreur` (`Ledger.ajouter`,
`Ledger.ajouter_plusieurs`, `Ledger.enregistreur` for `coop import`'s stream). Amounts
become integer centimes here; the lines are those of the domain's
`Ecriture.lignes_comptables`: the ventilation sent as rows, the treasury side derived in
SQL from the écriture rows (`TRESORERIE`). Before the write transaction ends, one query
checks that every écriture written has at least two lines adding up to zero. The bulk
speed an import needs (ids given here, multi-row INSERTs of one prepared size, SQLite
in a second thread) lives here too, not in a second writer.

Why a query and not a trigger: SQLite has no trigger at commit time, a trigger on each
line sees the écriture half written, and the deferred foreign key trick needs foreign
keys on, which an import turns off for speed. The query reads the range of ids just
written from the covering index `idx_lignes_ecriture` (about 50 ms per 100 000
écritures) and raises inside the transaction, so nothing unbalanced is committed.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import queue
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from coopcompta.domain.comptes import COMPTE_REPORT
from coopcompta.domain.errors import SaisieInvalide
from coopcompta.domain.model import Ecriture, Sens
from coopcompta.domain.money import en_centimes

if TYPE_CHECKING:
    from coopcompta.storage import Ledger

T = TypeVar("T")
_Tache = tuple[Callable[[], object], threading.Event | None]


class Acces:
    """Runs a writer's SQL functions where the connection is: here, in the calling
    thread (an Ecrivain's writer thread may hold it instead; same two methods)."""

    def appeler(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(*args), and its result."""
        return fn(*args)

    def envoyer(self, fn: Callable[..., object], *args: Any) -> None:
        """fn(*args), a write whose result is not needed."""
        fn(*args)


DIRECT = Acces()


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


_COLONNES_ECRITURES = (
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
    "annule",
    "import_id",
    "brut",
    "empreinte",
    "saisie_le",
)
# Écritures per batch, and per multi-row INSERT: 17 parameters each, under 32 766.
LOT = 1920
ECRITURES = Table(
    "ecritures", _COLONNES_ECRITURES, "(" + ",".join("?" * len(_COLONNES_ECRITURES)) + ")", LOT
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
    """Where a writer's SQL runs, always inside the caller's transaction.

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
        # come in batches of exactly LOT rows but the last; lines left over wait for the
        # next batch, after their écritures.
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

    def restes(self, table: Table) -> list[tuple[Any, ...]]:
        """The rows of `table` kept for the next multi-row INSERT (writer thread only)."""
        return self._restes.get(table, [])

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


_RECETTE, _DEPENSE, _VIREMENT = Sens.RECETTE, Sens.DEPENSE, Sens.VIREMENT

# The treasury side of the écritures ?1 to ?2, as `Ecriture.lignes_comptables` has it: a
# recette debits its treasury account, a dépense credits it, a virement credits
# `tresorerie` (the source) and debits `contrepartie`, an ouverture debits `tresorerie`
# against the report à nouveau. Derived from the rows just written, one statement per
# batch, rather than sent line by line (test_storage checks it against the domain).
TRESORERIE = (
    "SELECT id, exercice, 't', contrepartie, montant FROM ecritures"
    " WHERE id BETWEEN ?1 AND ?2 AND sens = 'virement'"
    " UNION ALL"
    " SELECT id, exercice, 't', tresorerie,"
    " CASE WHEN sens IN ('recette', 'ouverture') THEN montant ELSE -montant END"
    " FROM ecritures WHERE id BETWEEN ?1 AND ?2"
    " UNION ALL"
    f" SELECT id, exercice, 't', '{COMPTE_REPORT}', -montant FROM ecritures"
    " WHERE id BETWEEN ?1 AND ?2 AND sens = 'ouverture'"
)
LIGNES_TRESORERIE = f"INSERT INTO lignes(ecriture_id, exercice, role, compte, montant) {TRESORERIE}"


def piece_num(piece: str | None) -> int | None:
    """The number of a pièce, its digits read as one integer (`R12` -> 12), for sorting."""
    if not piece:
        return None
    if piece.isdecimal() and piece.isascii():
        return int(piece)
    digits = "".join(ch for ch in piece if "0" <= ch <= "9")  # not "²": isdigit() is too wide
    return int(digits) if digits else None


def ventilation_de(eid: int, exercice: str, e: Ecriture, total: int) -> list[tuple[Any, ...]]:
    """The rows of an écriture's ventilation lines (role "v"): those of its
    `lignes_comptables` in centimes, `total` being its amount. The treasury side follows
    in SQL (`TRESORERIE`)."""
    sens = e.sens
    if sens is _DEPENSE or sens is _RECETTE:
        signe = 1 if sens is _DEPENSE else -1
        ventilation = e.ventilation
        if len(ventilation) == 1 and ventilation[0].montant == e.montant:
            lg = ventilation[0]  # the whole amount on one account: most bank lines
            return [(eid, exercice, lg.compte, signe * total, lg.classe)]
        return [
            (eid, exercice, lg.compte, signe * en_centimes(lg.montant), lg.classe)
            for lg in ventilation
        ]
    if sens is _VIREMENT and not e.contrepartie:
        raise SaisieInvalide("virement sans compte de destination", e.piece or e.libelle)
    return []


class Enregistreur:
    """Writes écritures (and an import's confirmations) inside the caller's transaction.

    `ajouter` queues an écriture and returns its id, given here so that both tables
    are written in batches of `LOT`; `remplacer` rewrites the lines of one already
    stored (`coop ventiler`); `ecrivain` runs the SQL (inline, or in a writer thread).
    Leaving it as a context manager writes what is queued and checks the balance of
    every écriture written (see the module docstring); on an exception, what is
    queued is dropped (the caller's transaction then rolls back).
    """

    # A bounded page cache (SQLite's default is 2 MiB): the fingerprint and amount indexes
    # take random inserts, a quarter faster when their pages stay in memory.
    CACHE_KIO = 16384

    def __init__(self, ledger: Ledger, ecrivain: Ecrivain | None = None) -> None:
        self.conn = ledger.conn
        self.ecrivain = ecrivain or Ecrivain(ledger)
        self.conn.execute(f"PRAGMA cache_size = -{self.CACHE_KIO}")
        row = self.conn.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM ecritures),"
            " (SELECT coalesce(max(id), 0) FROM lignes)"
        ).fetchone()
        self.premier_id: int = row[0] + 1
        self.prochain_id: int = self.premier_id
        self.lignes_avant: int = row[1]  # the lines written here all come after this one
        self.debut_lot = self.premier_id  # the first id without its treasury lines
        self.now = dt.datetime.now().isoformat(timespec="seconds")
        self._ecritures: list[tuple[Any, ...]] = []
        self._ventilations: list[tuple[Any, ...]] = []
        self._rapprochements: list[tuple[Any, ...]] = []
        self._remplacees: list[int] = []
        self._isos: dict[dt.date, str] = {}
        self.nb = 0
        self.lot = ECRITURES.par_requete

    def __enter__(self) -> Enregistreur:
        return self

    def __exit__(
        self, typ: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is None:
            self.terminer()
        else:
            self.ecrivain.abandonner()

    def appeler(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(*args) where the connection is, once everything queued is written."""
        self.vider()
        return self.ecrivain.appeler(fn, *args)

    def ajouter(self, e: Ecriture) -> int:
        """Queue one écriture, built by `ecritures.nouvelle_ecriture` and given its
        exercice; its id."""
        exercice = e.exercice
        if not exercice:
            raise SaisieInvalide("écriture sans exercice", e.piece or e.libelle)
        montant = e.montant
        decale = montant.scaleb(2)  # en_centimes(montant), inline: the import's hot path
        total = int(decale)
        if total != decale:
            total = en_centimes(montant)  # raises, naming the amount
        eid = self.prochain_id
        ventilation = e.ventilation
        sens = e.sens
        if len(ventilation) == 1 and (sens is _DEPENSE or sens is _RECETTE):
            # ventilation_de's commonest case, written out: the import's hot path
            lg = ventilation[0]
            self._ventilations.append(
                (
                    eid,
                    exercice,
                    lg.compte,
                    (total if sens is _DEPENSE else -total)
                    if lg.montant == montant
                    else (1 if sens is _DEPENSE else -1) * en_centimes(lg.montant),
                    lg.classe,
                )
            )
        else:
            self._ventilations += ventilation_de(eid, exercice, e, total)
        self.prochain_id = eid + 1
        jour = e.date
        piece = e.piece
        self._ecritures.append(
            (
                eid,
                exercice,
                self._isos.get(jour) or self._iso(jour),
                sens._value_,
                piece,
                int(piece) if piece and piece.isdecimal() and piece.isascii() else piece_num(piece),
                e.libelle,
                e.mode,
                e.cheque,
                e.tresorerie,
                e.contrepartie,
                total,
                e.annule,
                e.import_id,
                e.brut,
                e.empreinte,
                self.now,
            )
        )
        self.nb += 1
        if len(self._ecritures) >= self.lot:
            self.vider()
        return eid

    def remplacer(self, e: Ecriture) -> None:
        """Store écriture `e.id` as `e` now is (`coop ventiler`: its lines on 471 gone to
        other accounts, or become a virement interne). Its amount, date, pièce and
        fingerprint stay; lines that stay keep their rows, the others are replaced."""
        assert e.id is not None and e.exercice is not None
        self.vider()
        ventilation = ventilation_de(e.id, e.exercice, e, en_centimes(e.montant))
        self.ecrivain.envoyer(self._remplacer, e, ventilation)
        self._remplacees.append(e.id)

    def _remplacer(self, e: Ecriture, ventilation: list[tuple[Any, ...]]) -> None:
        conn = self.conn
        conn.execute(
            "UPDATE ecritures SET sens = ?, tresorerie = ?, contrepartie = ? WHERE id = ?",
            [e.sens._value_, e.tresorerie, e.contrepartie, e.id],
        )
        # The lines it must have, as (role, compte, montant, classe), and how many of each.
        voulues = [("v", *ligne[2:]) for ligne in ventilation]
        voulues += [(*r[2:], None) for r in conn.execute(TRESORERIE, [e.id, e.id])]
        a_ecrire: dict[tuple[Any, ...], int] = {}
        for cle in voulues:
            a_ecrire[cle] = a_ecrire.get(cle, 0) + 1
        perimees = []
        for id_ligne, *colonnes in conn.execute(
            "SELECT id, role, compte, montant, classe FROM lignes WHERE ecriture_id = ?"
            " ORDER BY id",
            [e.id],
        ):
            cle = tuple(colonnes)
            if a_ecrire.get(cle):
                a_ecrire[cle] -= 1  # this line stays as it is
            else:
                perimees.append((id_ligne,))
        manquantes = []
        for cle in voulues:
            if a_ecrire.get(cle):
                a_ecrire[cle] -= 1
                manquantes.append((e.id, e.exercice, *cle))
        conn.executemany("DELETE FROM lignes WHERE id = ?", perimees)
        conn.executemany(
            "INSERT INTO lignes(ecriture_id, exercice, role, compte, montant, classe)"
            " VALUES (?,?,?,?,?,?)",
            manquantes,
        )

    def rapprocher(self, import_id: int, empreinte: str, ids: Iterable[int], compte: str) -> None:
        """Record that a bank line confirms these écritures instead of adding one."""
        self._rapprochements.extend((import_id, empreinte, i, compte) for i in ids)

    def vider(self) -> None:
        """Hand the queued rows to the writer: the écritures, their ventilation lines,
        then their treasury lines, derived in SQL (an écriture's lines in that order)."""
        if self._ecritures:
            self.ecrivain.inserer(ECRITURES, self._ecritures)
            self.ecrivain.inserer(VENTILATIONS, self._ventilations)
            self._ecritures = []
            self._ventilations = []
            # The writer thread keeps the last ventilation lines for its next INSERT: the
            # treasury side of their écritures waits for them.
            restes = self.ecrivain.restes(VENTILATIONS)
            self._tresorerie(restes[0][0] - 1 if restes else self.prochain_id - 1)
        if self._rapprochements:
            self.ecrivain.inserer(RAPPROCHEMENTS, self._rapprochements)
            self._rapprochements = []

    def terminer(self) -> None:
        """Write what is queued, wait for the writer, then check the balance."""
        self.vider()
        self.ecrivain.terminer()
        self._tresorerie(self.prochain_id - 1)
        verifier_equilibre(
            self.conn, self.premier_id, self.prochain_id - 1, self._remplacees, self.lignes_avant
        )

    def _tresorerie(self, dernier: int) -> None:
        """Write the treasury lines of the écritures not done yet, up to id `dernier`."""
        if dernier >= self.debut_lot:
            self.ecrivain.envoyer(self.conn.execute, LIGNES_TRESORERIE, [self.debut_lot, dernier])
            self.debut_lot = dernier + 1

    def _iso(self, jour: dt.date) -> str:
        texte = self._isos[jour] = jour.isoformat()
        return texte


def verifier_equilibre(
    conn: sqlite3.Connection,
    premier: int,
    dernier: int,
    autres: Iterable[int] = (),
    lignes_avant: int = 0,
) -> None:
    """Refuse (SaisieInvalide, naming the pièce) an écriture of ids `premier`..`dernier`
    or `autres` with fewer than two lines, or whose lines do not add up to zero.

    The lines of `premier`..`dernier` all have ids above `lignes_avant`: without the
    index `idx_lignes_ecriture` (a ledger loaded with its indexes built at the end, by
    `coop verifier`) they are read from there, not from the whole table."""
    autres = sorted(set(autres))
    marques = ",".join("?" * len(autres))
    if dernier >= premier:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM ecritures WHERE id BETWEEN ?1 AND ?2), count(*),"
            " coalesce(sum(faux), 0) FROM (SELECT count(*) < 2 OR sum(montant) <> 0 AS faux"
            " FROM lignes WHERE ecriture_id BETWEEN ?1 AND ?2 AND id > ?3"
            " GROUP BY ecriture_id)",
            [premier, dernier, lignes_avant],
        ).fetchone()
        if row[0] != row[1] or row[2]:
            _refuser(conn, "id BETWEEN ? AND ?", [premier, dernier])
    if autres:
        row = conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM lignes"
            f" WHERE ecriture_id IN ({marques}) GROUP BY ecriture_id"
            " HAVING count(*) >= 2 AND sum(montant) = 0)",
            autres,
        ).fetchone()
        if row[0] != len(autres):
            _refuser(conn, f"id IN ({marques})", autres)


def _refuser(conn: sqlite3.Connection, ou: str, params: list[int]) -> None:
    row = conn.execute(
        "SELECT e.piece, e.libelle FROM ecritures e WHERE"
        f" e.{ou} AND (SELECT count(*) < 2 OR coalesce(sum(l.montant), 0) <> 0"
        " FROM lignes l WHERE l.ecriture_id = e.id) ORDER BY e.id LIMIT 1",
        params,
    ).fetchone()
    raise SaisieInvalide("écriture déséquilibrée", (row[0] or row[1]) if row else None)
