"""All SQL lives in this package: the ledger file, its migrations, reading and writing écritures.

Amounts are integer centimes in the database and Decimal euros everywhere else;
the conversion happens only in this module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import sqlite3
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from coopcompta.domain.ecritures import nouvelle_ecriture
from coopcompta.domain.errors import (
    CoopComptaError,
    LedgerAbsent,
    LedgerEnLectureSeule,
    LedgerInutilisable,
    LedgerOccupe,
    fichier_inutilisable,
)
from coopcompta.domain.model import Ecriture, Exercice, Ligne, Sens
from coopcompta.domain.money import depuis_centimes

if TYPE_CHECKING:
    from sqlite_utils import Database

    from coopcompta.storage.ecrivain import Enregistreur

_F = TypeVar("_F", bound=Callable[..., None])

DB_PAR_DEFAUT = "coop.db"
# Meta key: {exercice: {serie: highest pièce number given to écritures since deleted}}.
META_PIECES_DONNEES = "pieces_donnees"
ENV_DB = "COOP_DB"


class Migrations:
    """The ledger's named migrations (sqlite-utils `Migrations`, same decorator and table).

    sqlite-utils loads only when a migration is pending: importing it costs more
    than an everyday command's own work, and a ledger is almost always up to date.
    """

    TABLE = "_sqlite_migrations"

    def __init__(self, nom: str) -> None:
        self.nom = nom
        self._fonctions: list[tuple[str, Any, bool]] = []

    def __call__(
        self, *, name: str | None = None, transactional: bool = True
    ) -> Callable[[_F], _F]:
        def inscrire(fn: _F) -> _F:
            self._fonctions.append((name or fn.__name__, fn, transactional))
            return fn

        return inscrire

    def noms(self) -> set[str]:
        return {nom for nom, _, _ in self._fonctions}

    def version(self) -> int:
        """The schema version this code writes (PRAGMA user_version): its migrations' count."""
        return len(self._fonctions)

    def a_jour(self, conn: sqlite3.Connection) -> bool:
        """Whether every migration is already applied (plain sqlite3, read only)."""
        try:
            lues = conn.execute(
                f"SELECT name FROM {self.TABLE} WHERE migration_set = ?", [self.nom]
            ).fetchall()
        except sqlite3.OperationalError:
            return False
        return {r[0] for r in lues} >= {nom for nom, _, _ in self._fonctions}

    def apply(self, db: Database | sqlite3.Connection) -> None:
        if isinstance(db, sqlite3.Connection):
            if self.a_jour(db):
                return
            db = _database(db)
        from sqlite_utils.migrations import Migrations as MigrationsSqliteUtils

        m = MigrationsSqliteUtils(self.nom)
        for nom, fn, transactional in self._fonctions:
            m(name=nom, transactional=transactional)(fn)
        m.apply(db)


def _database(conn: sqlite3.Connection) -> Database:
    from sqlite_utils import Database

    return Database(conn, execute_plugins=False)


migrations = Migrations("coopcompta")


@migrations()
def m001_schema(db: Database) -> None:
    db.table("meta").create({"cle": str, "valeur": str}, pk="cle")
    db.table("exercices").create(
        {"nom": str, "debut": str, "fin": str, "cloture": int}, pk="nom", not_null={"debut", "fin"}
    )
    db.table("imports").create(
        {
            "id": int,
            "fichier": str,
            "format": str,
            "tresorerie": str,
            "importe_le": str,
            "nb_lignes": int,
            "annule": int,
        },
        pk="id",
    )
    db.table("ecritures").create(
        {
            "id": int,
            "exercice": str,
            "date": str,
            "sens": str,
            "piece": str,
            "piece_num": int,
            "libelle": str,
            "mode": str,
            "cheque": str,
            "tresorerie": str,
            "contrepartie": str,
            "montant": int,
            "annule": int,
            "import_id": int,
            "brut": str,
            "empreinte": str,
            "saisie_le": str,
        },
        pk="id",
        not_null={"exercice", "date", "sens", "libelle", "tresorerie", "montant"},
        foreign_keys=[
            ("exercice", "exercices", "nom"),
            ("annule", "ecritures", "id"),
            ("import_id", "imports", "id"),
        ],
    )
    # role: "v" for a ventilation line, "t" for the treasury side of the entry.
    db.table("lignes").create(
        {
            "id": int,
            "ecriture_id": int,
            "exercice": str,
            "role": str,
            "compte": str,
            "montant": int,
            "classe": str,
        },
        pk="id",
        not_null={"ecriture_id", "exercice", "role", "compte", "montant"},
        foreign_keys=[("ecriture_id", "ecritures", "id")],
    )
    # A bank line that confirms écritures already in the ledger instead of adding one:
    # the bank side of a virement interne, or a deposit slip matching cheques typed by hand.
    # `compte` is the treasury account whose statement held the line.
    db.table("import_rapprochements").create(
        {"id": int, "import_id": int, "empreinte": str, "ecriture_id": int, "compte": str},
        pk="id",
        not_null={"import_id", "empreinte", "ecriture_id", "compte"},
        foreign_keys=[("import_id", "imports", "id"), ("ecriture_id", "ecritures", "id")],
    )
    for sql in INDEX:
        db.execute(sql)


# Every index of the ledger, each for the queries named beside it (checked with EXPLAIN
# QUERY PLAN). Each one slows every write: SQLite spends most of `coop import`'s 1.6 s
# of inserts for 100 000 écritures maintaining them, so an index no query needs does not
# belong here. Partial indexes hold only the rows their queries look for.
INDEX = (
    # Journal in date order (Ledger.ecritures), dates outside the exercice (verifier).
    "CREATE INDEX idx_ecritures_exercice_date ON ecritures(exercice, date)",
    # One pièce (par_piece, saisie), pièces without number, duplicates, series (verifier).
    "CREATE INDEX idx_ecritures_exercice_piece ON ecritures(exercice, piece)",
    # Pièce numbers in numeric order: the next number, gaps counted block by block (verifier).
    "CREATE INDEX idx_verif_numeros_pieces ON ecritures(exercice, piece_num, piece)",
    # The écritures of one import (undo).
    "CREATE INDEX idx_ecritures_import_id ON ecritures(import_id) WHERE import_id IS NOT NULL",
    # Fingerprints of bank lines: a line is imported once.
    "CREATE UNIQUE INDEX idx_ecritures_empreinte ON ecritures(empreinte)"
    " WHERE empreinte IS NOT NULL",
    # Contre-passations by the écriture they cancel (corrections only).
    "CREATE INDEX idx_ecritures_annule ON ecritures(annule) WHERE annule IS NOT NULL",
    # The other side of a virement interne, by amount and date (import).
    "CREATE INDEX idx_ecritures_virements ON ecritures(montant, date) WHERE sens = 'virement'",
    # Cheques received and typed by hand, that a deposit line may confirm (import).
    "CREATE INDEX idx_ecritures_cheques_recus ON ecritures(tresorerie, date)"
    " WHERE sens = 'recette' AND mode = 'cheque' AND import_id IS NULL",
    # Cheques written, in date order per treasury account, covering (verifier). A partial
    # index covers a query only if it holds the columns of its own WHERE clause.
    "CREATE INDEX idx_verif_cheques ON ecritures(exercice, tresorerie, date, cheque, sens, annule)"
    " WHERE cheque IS NOT NULL AND sens <> 'recette' AND annule IS NULL",
    # Distinct libellés of dépenses, covering (verifier: forbidden expenses).
    "CREATE INDEX idx_verif_libelles_depenses ON ecritures(exercice, libelle, sens)"
    " WHERE sens = 'depense'",
    # The lines of an écriture (loading, deleting, foreign keys), and each écriture's
    # balance over an exercice read from the index alone (verifier).
    "CREATE INDEX idx_lignes_ecriture ON lignes(ecriture_id, exercice, montant)",
    # Account totals (bilan), accounts used (export), lines on one account (verifier,
    # ventiler) and a treasury account's amounts (import: possible duplicates), covering.
    "CREATE INDEX idx_lignes_comptes ON lignes(exercice, compte, role, montant)",
    # Totals by class or project tag: only tagged lines.
    "CREATE INDEX idx_lignes_classe ON lignes(exercice, classe, compte, montant)"
    " WHERE classe IS NOT NULL",
    "CREATE INDEX idx_rapprochements_empreinte ON import_rapprochements(empreinte)",
    "CREATE INDEX idx_rapprochements_ecriture ON import_rapprochements(ecriture_id, compte)",
    "CREATE INDEX idx_rapprochements_import ON import_rapprochements(import_id)",
)


def _null(_: None) -> None:
    return None


# sqlite3 binds None only after looking for an adapter, a lookup that fails at great cost
# (an AttributeError built and dropped for each value). Registered, it is found at once:
# a third of the binding time of `coop import`, which binds several None per écriture.
sqlite3.register_adapter(type(None), _null)


def chemin_db(db: str | Path | None) -> Path:
    """The ledger path: the option, else $COOP_DB, else ./coop.db."""
    return Path(db or os.environ.get(ENV_DB) or DB_PAR_DEFAUT)


# PRAGMA application_id of every coopcompta ledger ("COOP" in ASCII): what tells a
# ledger from any other SQLite file before anything is written to it.
APPLICATION_ID = 0x434F4F50
# How long a command waits for another one writing to the ledger before giving up.
ATTENTE_MAX_S = 120
ENV_ATTENTE = "COOP_ATTENTE_MAX"
PAS_UN_LEDGER = "ce fichier n'est pas une comptabilité coopcompta ; rien n'a été modifié"
PLUS_RECENT = (
    "fichier créé par une version plus récente de coopcompta : mettez coopcompta à jour"
    " (rien n'a été modifié)"
)
ATTENTE = "une autre commande écrit dans la comptabilité, attente…"

# The ledger the command works on, named by the messages of `erreur_sqlite`.
_chemins_ouverts: list[Path] = []


def attente_max() -> float:
    """Seconds a command waits for another writer ($COOP_ATTENTE_MAX, else 120)."""
    texte = os.environ.get(ENV_ATTENTE, "")
    try:
        return max(0.0, float(texte)) if texte else ATTENTE_MAX_S
    except ValueError:
        return ATTENTE_MAX_S


def avertir(texte: str) -> None:
    """A notice on stderr while a command goes on (waiting, a backup made)."""
    print(texte, file=sys.stderr, flush=True)


def uri_ledger(path: Path, mode: str) -> str:
    """The SQLite URI of a ledger file opened in `mode` (ro, rw, rwc): any file name."""
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    if mode == "ro" and not _dossier_inscriptible(path) and not _existe(_wal(path)):
        # A WAL ledger in a folder no one may write: SQLite cannot create the -shm file
        # a reader needs, and no writer can add a -wal beside it: read it as immutable.
        uri += "&immutable=1"
    return uri


def _wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def _dossier_inscriptible(path: Path) -> bool:
    return os.access(path.resolve().parent, os.W_OK)


def _connect(path: Path, lecture_seule: bool = False, nouveau: bool = False) -> sqlite3.Connection:
    conn = _connexion(path, lecture_seule, nouveau)
    _regler(conn, lecture_seule)
    return conn


def _connexion(
    path: Path, lecture_seule: bool = False, nouveau: bool = False
) -> sqlite3.Connection:
    # timeout is SQLite's busy timeout: a second `coop` process waits its turn
    # (`Ledger.transaction` says so first). check_same_thread=False: `coop import`
    # hands the connection to its writer thread (storage.ecrivain.Ecrivain); it is
    # never used by two threads at once. mode=rw never creates a file: only `creer` does.
    mode = "ro" if lecture_seule else "rwc" if nouveau else "rw"
    return sqlite3.connect(
        uri_ledger(path, mode), uri=True, timeout=attente_max(), check_same_thread=False
    )


def _regler(conn: sqlite3.Connection, lecture_seule: bool) -> None:
    conn.execute("PRAGMA foreign_keys = ON")
    if not lecture_seule:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")


_MARQUE = (
    "SELECT (SELECT application_id FROM pragma_application_id),"
    " (SELECT user_version FROM pragma_user_version)"
)


def _entete(path: Path) -> tuple[int, int] | None:
    """(application_id, user_version) from the file's 100-byte SQLite header, or None
    for a file that is not SQLite. The header may lag behind the write-ahead log:
    `ouvrir` confirms on its connection before writing anything."""
    try:
        with path.open("rb") as f:
            entete = f.read(100)
    except OSError:
        return None
    if len(entete) < 100 or not entete.startswith(b"SQLite format 3\x00"):
        return None
    return int.from_bytes(entete[68:72], "big"), int.from_bytes(entete[60:64], "big")


def _marquer(conn: sqlite3.Connection) -> None:
    """Stamp a ledger as coopcompta's, at the schema version this code writes."""
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {migrations.version()}")


def creer(
    path: Path,
    infos: dict[str, str],
    exercice: Exercice,
    ouvertures: dict[str, Decimal],
) -> Ledger:
    """Create a new ledger file; refuses to overwrite one. On any failure (a full disk
    included) no file is left behind."""
    emplacement_libre(path)
    cree: list[Path] = []
    db: sqlite3.Connection | None = None
    fichier_cree = False
    try:
        parent = path.parent
        manquants = []
        while not parent.exists():
            manquants.append(parent)
            parent = parent.parent
        parent.mkdir(parents=True, exist_ok=True)
        for dossier in reversed(manquants):
            dossier.mkdir()
            cree.append(dossier)
        # Created exclusively: of two `coop init` run at once on one path, the second
        # is refused and never removes the ledger the first one made.
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            raise LedgerAbsent(
                "une comptabilité existe déjà ici ; rien n'a été modifié", str(path)
            ) from None
        fichier_cree = True
        db = _connect(path, nouveau=True)
        _marquer(db)
        migrations.apply(db)
        ledger = Ledger(path, db, multi_fils=True)
        with ledger.transaction():
            for cle, valeur in infos.items():
                ledger.ecrire_meta(cle, valeur)
            ledger.ajouter_exercice(exercice)
            ledger.ajouter_plusieurs(
                nouvelle_ecriture(
                    exercice.debut,
                    Sens.OUVERTURE,
                    "Report à nouveau",
                    montant,
                    compte,
                    exercice=exercice.nom,
                )
                for compte, montant in ouvertures.items()
            )
    except BaseException as exc:
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.close()
        for suffix in ("", "-wal", "-shm", "-journal") if fichier_cree else ():
            with contextlib.suppress(OSError):
                Path(str(path) + suffix).unlink(missing_ok=True)
        for dossier in reversed(cree):
            with contextlib.suppress(OSError):
                dossier.rmdir()
        if isinstance(exc, sqlite3.Error):
            raise erreur_sqlite(exc, path, "création impossible") from None
        if isinstance(exc, OSError):
            raison = (
                "création impossible (dossier introuvable)"
                if isinstance(exc, FileNotFoundError)
                else fichier_inutilisable(exc, "création", "impossible")
            )
            raise LedgerAbsent(raison + " ; rien n'a été créé", str(path)) from None
        raise
    _chemins_ouverts.append(path)
    return ledger


def emplacement_libre(path: Path) -> None:
    """Refuse to create a ledger where a file or a folder already is (nothing is written)."""
    if _existe(path):
        if path.is_dir():
            raise LedgerAbsent(
                f"c'est un dossier : indiquez le fichier à créer, par ex. {path / DB_PAR_DEFAUT}",
                str(path),
            )
        try:
            _fichier_ordinaire(path)
            identifier(path)
        except LedgerInutilisable:
            raise LedgerAbsent(
                "un fichier qui n'est pas une comptabilité coopcompta existe déjà ici ;"
                " rien n'a été modifié",
                str(path),
            ) from None
        raise LedgerAbsent("une comptabilité existe déjà ici ; rien n'a été modifié", str(path))


def _existe(path: Path) -> bool:
    try:
        os.stat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        if exc.errno in (errno.ENOTDIR, errno.ENAMETOOLONG, errno.EACCES, errno.ELOOP):
            raise LedgerInutilisable(fichier_inutilisable(exc), str(path)) from None
        raise
    return True


def _fichier_ordinaire(path: Path) -> None:
    """Refuse a pipe, a socket or a device: reading one may wait forever (a FIFO)."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise LedgerInutilisable(
            "ce n'est pas un fichier ordinaire (tube, périphérique) : ce n'est pas une"
            " comptabilité coopcompta ; rien n'a été modifié",
            str(path),
        )


# What a look at a file found: a ledger up to date, or one whose migrations are pending.
A_JOUR, A_MIGRER = "a_jour", "a_migrer"


def identifier(path: Path) -> str:
    """Whether `path` is a coopcompta ledger this version can use, read without writing
    anything (a read-only connection: no journal switch, no migration).

    Returns A_JOUR or A_MIGRER; raises LedgerInutilisable for any other file (not SQLite,
    empty, another application's database, a newer coopcompta's ledger, damaged)."""
    try:
        conn = sqlite3.connect(uri_ledger(path, "ro"), uri=True, timeout=attente_max())
    except sqlite3.Error as exc:
        raise erreur_sqlite(exc, path) from None
    try:
        app, version = conn.execute(_MARQUE).fetchone()
        connue = migrations.version()
        if app == APPLICATION_ID and version == connue:
            return A_JOUR
        if app not in (APPLICATION_ID, 0):
            raise LedgerInutilisable(PAS_UN_LEDGER, str(path))
        if version > connue:
            raise LedgerInutilisable(PLUS_RECENT, str(path))
        # A ledger stamped by an older version, or from before the stamp (application_id
        # 0): known by its migrations. Another database, or an empty file, has none.
        try:
            noms = {
                r[0]
                for r in conn.execute(
                    f"SELECT name FROM {Migrations.TABLE} WHERE migration_set = ?",
                    [migrations.nom],
                )
            }
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        except sqlite3.OperationalError:
            raise LedgerInutilisable(PAS_UN_LEDGER, str(path)) from None
        if "m001_schema" not in noms or not {"ecritures", "lignes", "meta"} <= tables:
            raise LedgerInutilisable(PAS_UN_LEDGER, str(path))
        if noms - migrations.noms():
            raise LedgerInutilisable(PLUS_RECENT, str(path))
        return A_MIGRER
    except sqlite3.Error as exc:
        raise erreur_sqlite(exc, path) from None
    finally:
        conn.close()


def _inscriptible(path: Path) -> bool:
    """Whether this process may write the ledger and the journal files beside it."""
    return os.access(path, os.W_OK) and _dossier_inscriptible(path)


def ouvrir(path: Path) -> Ledger:
    """Open an existing ledger, after checking it is one (read only, `identifier`);
    pending migrations are applied after a backup copy. A file or folder that cannot be
    written gives a ledger that can be read, and whose writes say "lecture seule"."""
    if not _existe(path):
        raise LedgerAbsent(
            "aucune comptabilité ici : lancez `coop init` (ou indiquez --db / COOP_DB)", str(path)
        )
    if path.is_dir():
        raise LedgerInutilisable(
            "c'est un dossier, pas une comptabilité coopcompta (indiquez le fichier, par ex. "
            f"{path / DB_PAR_DEFAUT})",
            str(path),
        )
    _fichier_ordinaire(path)
    lecture_seule = not _inscriptible(path)
    attendue = (APPLICATION_ID, migrations.version())
    if _entete(path) == attendue:
        # The everyday case, read from the header: confirmed on the connection itself
        # (the log may hold a newer stamp) before any pragma that could write.
        try:
            db = _connexion(path, lecture_seule)
            if tuple(db.execute(_MARQUE).fetchone()) == attendue:
                _regler(db, lecture_seule)
                _chemins_ouverts.append(path)
                return Ledger(path, db, multi_fils=True, lecture_seule=lecture_seule)
            db.close()
        except sqlite3.Error as exc:
            raise erreur_sqlite(exc, path) from None
    etat = identifier(path)
    if etat == A_MIGRER and lecture_seule:
        raise LedgerEnLectureSeule(
            "cette comptabilité doit être mise à jour pour cette version de coopcompta, "
            "mais elle est en lecture seule : rien n'a été modifié",
            str(path),
        )
    try:
        db = _connect(path, lecture_seule)
        if etat == A_MIGRER:
            _migrer(db, path)
    except sqlite3.Error as exc:
        raise erreur_sqlite(exc, path) from None
    _chemins_ouverts.append(path)
    return Ledger(path, db, multi_fils=True, lecture_seule=lecture_seule)


def _migrer(db: sqlite3.Connection, path: Path) -> None:
    """Apply the pending migrations of an older ledger, after a backup copy of it.

    All in one write transaction: of two commands opening the same old ledger at once,
    the second waits, then finds it stamped and neither copies nor migrates again; the
    copy (SQLite's backup, taken under that lock) is the ledger as it was before."""
    db.execute("BEGIN IMMEDIATE")
    try:
        if tuple(db.execute(_MARQUE).fetchone()) == (APPLICATION_ID, migrations.version()):
            db.execute("COMMIT")  # another command has just brought it up to date
            return
        copie = _copie_libre(path)
        # Read through a second connection: SQLite refuses a backup from the connection
        # holding the write lock (Python would retry forever); a reader sees the ledger
        # as it is, since nothing is written before the copy is whole.
        source = sqlite3.connect(uri_ledger(path, "ro"), uri=True)
        cible = sqlite3.connect(uri_ledger(copie, "rw"), uri=True)
        try:
            source.backup(cible)
        except BaseException:
            copie.unlink(missing_ok=True)
            raise
        finally:
            cible.close()
            source.close()
        avertir(
            f"{path} : mise à jour de la comptabilité pour cette version de coopcompta ; "
            f"copie de sauvegarde : {copie}"
        )
        migrations.apply(db)  # each migration in a savepoint of this transaction
        _marquer(db)
        db.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise


def _copie_libre(path: Path) -> Path:
    """A new, empty file for the backup before a migration: never an existing one."""
    base = f"{path.name}.avant-migration-{dt.datetime.now():%Y%m%d-%H%M%S}"
    for n in range(1, 100):
        copie = path.with_name(f"{base}.bak" if n == 1 else f"{base}-{n}.bak")
        try:
            os.close(os.open(copie, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return copie
    raise FileExistsError(errno.EEXIST, "copie de sauvegarde impossible", str(path))


def traduire_erreur(exc: BaseException) -> CoopComptaError | None:
    """The French error for a SQLite error met anywhere while a command ran (on the ledger
    it opened), or None when `exc` is no SQLite error."""
    if (
        isinstance(exc, (sqlite3.ProgrammingError, sqlite3.InterfaceError))
        or (isinstance(exc, sqlite3.IntegrityError) and not _doublon(exc))
        or any(bogue in str(exc) for bogue in _SQL_FAUX)
    ):
        return None  # misused SQL or a broken constraint: a bug, it keeps its traceback
    if isinstance(exc, sqlite3.Error):
        return erreur_sqlite(exc)
    if isinstance(exc, IndexError) and str(exc) == "No item with that key":
        # sqlite3.Row's own message: a column read by name is gone (renamed by hand).
        path = _chemins_ouverts[-1] if _chemins_ouverts else None
        return LedgerInutilisable(
            "structure de la comptabilité modifiée hors de coopcompta (une colonne manque) :"
            " reprenez une copie de sauvegarde",
            str(path) if path is not None else None,
        )
    return None


# SQLite's words for SQL the code got wrong (not a file's state): a bug, never translated.
_SQL_FAUX = ("syntax error", "no such function", "incomplete input", "wrong number of arguments")


def _doublon(exc: sqlite3.Error) -> bool:
    """A UNIQUE constraint refused a row: another command recorded it meanwhile."""
    return "UNIQUE constraint failed" in str(exc)


def _nom_erreur(exc: sqlite3.Error) -> str:
    return str(getattr(exc, "sqlite_errorname", "") or "")


def erreur_sqlite(
    exc: sqlite3.Error, path: Path | None = None, contexte: str = ""
) -> CoopComptaError:
    """What a SQLite error means for the treasurer, in French, naming the ledger file.

    SQLite's messages are English and its errors tracebacks: a damaged file, a full
    disk, a file that cannot be written, another command holding the ledger."""
    if path is None:
        path = _chemins_ouverts[-1] if _chemins_ouverts else None
    ou = str(path) if path is not None else None
    nom = _nom_erreur(exc)
    texte = str(exc)
    prefixe = f"{contexte} : " if contexte else ""
    if nom == "SQLITE_NOTADB" or "file is not a database" in texte:
        return LedgerInutilisable(PAS_UN_LEDGER, ou)
    if nom.startswith("SQLITE_CORRUPT") or "malformed" in texte:
        return LedgerInutilisable(
            "fichier endommagé (« database disk image is malformed ») : rien n'a été modifié ;"
            " reprenez la dernière copie de sauvegarde de la comptabilité",
            ou,
        )
    if nom == "SQLITE_FULL" or "disk is full" in texte:
        return LedgerInutilisable(f"{prefixe}disque plein : rien n'a été enregistré", ou)
    if nom.startswith("SQLITE_READONLY") or "readonly database" in texte:
        return LedgerEnLectureSeule(
            f"{prefixe}comptabilité en lecture seule : rien n'a été modifié", ou
        )
    if nom.startswith("SQLITE_BUSY") or "database is locked" in texte:
        return LedgerOccupe(
            "une autre commande écrit toujours dans la comptabilité : rien n'a été modifié,"
            " réessayez quand elle aura fini",
            ou,
        )
    if isinstance(exc, sqlite3.IntegrityError) and _doublon(exc):
        # A line another command recorded meanwhile (an import reviewed while another ran).
        return LedgerOccupe(
            f"la comptabilité a changé pendant la commande ({texte}) : rien n'a été"
            " enregistré ; relancez la commande",
            ou,
        )
    if nom.startswith("SQLITE_CANTOPEN") or "unable to open" in texte:
        return LedgerInutilisable(f"{prefixe}fichier impossible à ouvrir (droits, dossier)", ou)
    if nom.startswith("SQLITE_IOERR") or "disk I/O error" in texte:
        return LedgerInutilisable(
            f"{prefixe}erreur d'entrée-sortie du disque (disque plein, retiré ou défectueux)"
            " : rien n'a été enregistré",
            ou,
        )
    if isinstance(exc, sqlite3.OperationalError) and (
        "no such" in texte or "has no column" in texte
    ):
        return LedgerInutilisable(
            f"structure de la comptabilité modifiée hors de coopcompta ({texte}) :"
            " reprenez une copie de sauvegarde",
            ou,
        )
    return LedgerInutilisable(f"{prefixe}erreur de la base SQLite ({texte})", ou)


def _ecriture_du_rang(row: sqlite3.Row, lignes: list[sqlite3.Row]) -> Ecriture:
    sens = Sens(row["sens"])
    signe = 1 if sens is Sens.DEPENSE else -1
    montant = depuis_centimes(row["montant"])
    ventilation = tuple(
        Ligne(lg["compte"], depuis_centimes(signe * lg["montant"]), lg["classe"])
        for lg in lignes
        if lg["role"] == "v"
    )
    return Ecriture(
        id=row["id"],
        exercice=row["exercice"],
        date=dt.date.fromisoformat(row["date"]),
        sens=sens,
        piece=row["piece"],
        libelle=row["libelle"],
        mode=row["mode"],
        cheque=row["cheque"],
        tresorerie=row["tresorerie"],
        contrepartie=row["contrepartie"],
        montant=montant,
        ventilation=ventilation,
        annule=row["annule"],
        import_id=row["import_id"],
        brut=row["brut"],
        empreinte=row["empreinte"],
    )


class Ledger:
    """An open ledger file. Every write goes through `transaction()`."""

    def __init__(
        self,
        path: Path,
        db: Database | sqlite3.Connection,
        multi_fils: bool = False,
        lecture_seule: bool = False,
    ) -> None:
        self.path = path
        self.conn = db if isinstance(db, sqlite3.Connection) else db.conn
        self._db = None if isinstance(db, sqlite3.Connection) else db
        self.conn.row_factory = sqlite3.Row
        self.multi_fils = multi_fils  # the connection may move to another thread
        self.lecture_seule = lecture_seule  # the file or its folder cannot be written

    @property
    def db(self) -> Database:
        """The connection as a sqlite-utils Database, loaded on first use."""
        if self._db is None:
            self._db = _database(self.conn)
        return self._db

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self, attendre: bool = True) -> Iterator[None]:
        """All or nothing; BEGIN IMMEDIATE so two writers queue instead of failing.

        When another command is writing, says so on stderr and waits for it, at most
        `attente_max()` seconds (`attendre=False`: fails at once with LedgerOccupe)."""
        if self.conn.in_transaction:
            yield
            return
        if self.lecture_seule:
            raise LedgerEnLectureSeule(
                "comptabilité en lecture seule (fichier ou dossier protégé en écriture) :"
                " rien n'a été modifié",
                str(self.path),
            )
        self._commencer(attendre)
        try:
            yield
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
                raise erreur_sqlite(exc, self.path) from None

    def _commencer(self, attendre: bool) -> None:
        """BEGIN IMMEDIATE: at once if no other command writes, else after a notice."""
        attente = attente_max()
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if not _nom_erreur(exc).startswith("SQLITE_BUSY") or not attendre:
                raise erreur_sqlite(exc, self.path) from None
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(attente * 1000)}")
        avertir(f"{self.path} : {ATTENTE}")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _nom_erreur(exc).startswith("SQLITE_BUSY"):
                raise LedgerOccupe(
                    f"une autre commande écrit toujours dans la comptabilité après {attente:g} s"
                    " d'attente : rien n'a été modifié, réessayez quand elle aura fini",
                    str(self.path),
                ) from None
            raise erreur_sqlite(exc, self.path) from None

    # -- meta and exercices -------------------------------------------------

    def meta(self, cle: str, defaut: str | None = None) -> str | None:
        row = self.conn.execute("SELECT valeur FROM meta WHERE cle = ?", [cle]).fetchone()
        return row[0] if row else defaut

    def metas(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.conn.execute("SELECT cle, valeur FROM meta ORDER BY cle")}

    def memoriser_meta(self, cle: str, valeur: str) -> None:
        """Keep a cached value if the file can be written at once; a cache never waits
        for another writer, nor fails on a read-only ledger."""
        if self.conn.in_transaction or self.lecture_seule:
            return
        try:
            with self.transaction(attendre=False):
                self.ecrire_meta(cle, valeur)
        except (sqlite3.OperationalError, LedgerOccupe, LedgerEnLectureSeule):
            pass

    def ecrire_meta(self, cle: str, valeur: str) -> None:
        self.conn.execute(
            "INSERT INTO meta(cle, valeur) VALUES (?, ?) "
            "ON CONFLICT(cle) DO UPDATE SET valeur = excluded.valeur",
            [cle, valeur],
        )

    def ajouter_exercice(self, exercice: Exercice) -> None:
        self.conn.execute(
            "INSERT INTO exercices(nom, debut, fin, cloture) VALUES (?, ?, ?, 0)",
            [exercice.nom, exercice.debut.isoformat(), exercice.fin.isoformat()],
        )

    def exercices(self) -> list[Exercice]:
        rows = self.conn.execute("SELECT nom, debut, fin FROM exercices ORDER BY debut")
        return [
            Exercice(r[0], dt.date.fromisoformat(r[1]), dt.date.fromisoformat(r[2])) for r in rows
        ]

    def exercice(self, nom: str | None = None) -> Exercice:
        """The named exercice, or the open (latest) one."""
        exercices = self.exercices()
        if not exercices:
            raise LedgerAbsent("aucun exercice dans cette comptabilité", str(self.path))
        if nom is None:
            return exercices[-1]
        wanted = Exercice.depuis_nom(nom)
        for e in exercices:
            if e.nom == wanted.nom:
                return e
        connus = ", ".join(e.nom for e in exercices)
        raise LedgerAbsent(f"exercice {wanted.nom} inconnu (exercices : {connus})", "--exercice")

    # -- écritures ----------------------------------------------------------

    def ajouter(self, ecriture: Ecriture) -> int:
        """Record one écriture with its double-entry lines; returns its id."""
        return self.ajouter_plusieurs([ecriture])[0]

    def ajouter_plusieurs(self, ecritures: Iterable[Ecriture]) -> list[int]:
        """Record écritures in one transaction; each must balance to the centime."""
        with self.enregistreur() as enregistreur:
            return [enregistreur.ajouter(e) for e in ecritures]

    @contextlib.contextmanager
    def enregistreur(self, parallele: bool = False) -> Iterator[Enregistreur]:
        """The one writer of écritures (`storage.ecrivain`), all or nothing: in a write
        transaction, or in a savepoint of the caller's. With `parallele`, SQLite may
        insert in a second thread while the caller prepares the next écritures."""
        from coopcompta.storage.ecrivain import Ecrivain, Enregistreur

        imbrique = self.conn.in_transaction
        with self.transaction():
            if imbrique:
                self.conn.execute("SAVEPOINT enregistreur")
            try:
                with Ecrivain(self, parallele) as ecrivain, Enregistreur(self, ecrivain) as e:
                    yield e
            except BaseException:
                # SQLite itself rolls the whole transaction back on a full disk or an I/O
                # error: the savepoint is gone then, and the error to report is the first.
                if imbrique and self.conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self.conn.execute("ROLLBACK TO enregistreur")
                        self.conn.execute("RELEASE enregistreur")
                raise
            if imbrique:
                self.conn.execute("RELEASE enregistreur")

    def _charger(self, rows: list[sqlite3.Row]) -> list[Ecriture]:
        if not rows:
            return []
        by_id: dict[int, list[sqlite3.Row]] = {r["id"]: [] for r in rows}
        ids = list(by_id)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for lg in self.conn.execute(
                f"SELECT * FROM lignes WHERE ecriture_id IN ({marks}) ORDER BY id", chunk
            ):
                by_id[lg["ecriture_id"]].append(lg)
        return [_ecriture_du_rang(r, by_id[r["id"]]) for r in rows]

    def ecritures(
        self,
        exercice: str,
        *,
        mois: int | None = None,
        compte: str | None = None,
        classe: str | None = None,
        sens: Iterable[Sens] | None = None,
        lot: int = 2000,
    ) -> Iterator[Ecriture]:
        """The exercice's écritures in date order, streamed in batches (constant memory)."""
        where = ["e.exercice = ?"]
        params: list[Any] = [exercice]
        if mois is not None:
            where.append("CAST(substr(e.date, 6, 2) AS INTEGER) = ?")
            params.append(mois)
        if compte is not None:
            where.append(
                "EXISTS (SELECT 1 FROM lignes l WHERE l.ecriture_id = e.id AND l.compte = ?)"
            )
            params.append(compte)
        if classe is not None:
            where.append(
                "EXISTS (SELECT 1 FROM lignes l WHERE l.ecriture_id = e.id"
                " AND l.classe = ? COLLATE NOCASE)"
            )
            params.append(classe)
        if sens is not None:
            values = [s.value for s in sens]
            where.append(f"e.sens IN ({','.join('?' * len(values))})")
            params.extend(values)
        cur = self.conn.execute(
            f"SELECT e.* FROM ecritures e WHERE {' AND '.join(where)} ORDER BY e.date, e.id",
            params,
        )
        while rows := cur.fetchmany(lot):
            yield from self._charger(rows)

    def ecriture(self, ecriture_id: int) -> Ecriture | None:
        rows = self.conn.execute("SELECT * FROM ecritures WHERE id = ?", [ecriture_id]).fetchall()
        found = self._charger(rows)
        return found[0] if found else None

    def par_piece(self, exercice: str, piece: str) -> list[Ecriture]:
        rows = self.conn.execute(
            "SELECT * FROM ecritures WHERE exercice = ? AND piece = ? ORDER BY id",
            [exercice, piece],
        ).fetchall()
        return self._charger(rows)

    def pieces_donnees(self, exercice: str) -> dict[str, int]:
        """serie -> the highest pièce number once given in the exercice to écritures since
        deleted (`coop import --annuler`): numbering goes on after it, never reusing one."""
        texte = self.meta(META_PIECES_DONNEES)
        donnees: dict[str, dict[str, int]] = json.loads(texte) if texte else {}
        return donnees.get(exercice, {})

    def retenir_pieces_donnees(self, exercice: str, serie: str, numero: int) -> None:
        """Remember that pièce `serie``numero` was given, before deleting its écriture."""
        texte = self.meta(META_PIECES_DONNEES)
        donnees: dict[str, dict[str, int]] = json.loads(texte) if texte else {}
        par_serie = donnees.setdefault(exercice, {})
        par_serie[serie] = max(par_serie.get(serie, 0), numero)
        self.ecrire_meta(META_PIECES_DONNEES, json.dumps(donnees, sort_keys=True))

    def prochaine_piece(self, exercice: str, serie: str = "") -> str:
        """Next pièce number of the exercice; restarts at 1 each year. `serie` is '', 'R' or 'D'.

        A number given once is never given again, even when its écriture was deleted."""
        if serie:
            row = self.conn.execute(
                "SELECT max(piece_num) FROM ecritures WHERE exercice = ? AND piece LIKE ?",
                [exercice, f"{serie}%"],
            ).fetchone()
        else:
            row = self.conn.execute(
                "SELECT max(piece_num) FROM ecritures WHERE exercice = ? AND piece GLOB '[0-9]*'",
                [exercice],
            ).fetchone()
        haute = self.pieces_donnees(exercice).get(serie, 0)
        return f"{serie}{max(row[0] or 0, haute) + 1}"

    def annulation_de(self, ecriture_id: int) -> int | None:
        """Id of the contre-passation that cancels this écriture, if any."""
        row = self.conn.execute(
            "SELECT id FROM ecritures WHERE annule = ?", [ecriture_id]
        ).fetchone()
        return row[0] if row else None

    # -- aggregates (the year-end statements) ------------------------------------

    def soldes(self, exercice: str, prefixe: str = "") -> dict[str, Decimal]:
        """Signed balance of every account used in the exercice (debit positive), or of those
        whose number starts with `prefixe` (read from the index alone: the régies, 541…)."""
        if prefixe:
            fin = prefixe[:-1] + chr(ord(prefixe[-1]) + 1)
            rows = self.conn.execute(
                "SELECT compte, sum(montant) FROM lignes WHERE exercice = ?"
                " AND compte >= ? AND compte < ? GROUP BY compte",
                [exercice, prefixe, fin],
            )
        else:
            rows = self.conn.execute(
                "SELECT compte, sum(montant) FROM lignes WHERE exercice = ? GROUP BY compte",
                [exercice],
            )
        return {r[0]: depuis_centimes(r[1]) for r in rows}

    def soldes_par_classe(self, exercice: str) -> dict[tuple[str, str], Decimal]:
        """(class or project tag, account) -> signed balance, for tagged lines only."""
        rows = self.conn.execute(
            "SELECT classe, compte, sum(montant) FROM lignes"
            " WHERE exercice = ? AND classe IS NOT NULL GROUP BY classe, compte",
            [exercice],
        )
        return {(r[0], r[1]): depuis_centimes(r[2]) for r in rows}

    def historique_libelles(self, limite: int = 5000) -> list[tuple[str, str, int]]:
        """(libellé, account, times used) over recent ventilated écritures, for learning."""
        rows = self.conn.execute(
            "SELECT e.libelle, l.compte, count(*) FROM lignes l JOIN ecritures e"
            " ON e.id = l.ecriture_id WHERE l.role = 'v' AND e.annule IS NULL"
            " AND l.compte != '471'"  # parked lines teach nothing
            " AND e.id NOT IN (SELECT annule FROM ecritures WHERE annule IS NOT NULL)"
            " AND e.id IN (SELECT id FROM ecritures ORDER BY id DESC LIMIT ?)"
            " GROUP BY e.libelle, l.compte",
            [limite],
        )
        return [(r[0], r[1], r[2]) for r in rows]


def avec_exercice(ecriture: Ecriture, exercice: Exercice) -> Ecriture:
    """Attach the exercice, refusing a date outside it."""
    if ecriture.date not in exercice:
        from coopcompta.domain.errors import DateInvalide

        raise DateInvalide(
            f"date {ecriture.date:%d/%m/%Y} hors de l'exercice {exercice.nom} "
            f"(du {exercice.debut:%d/%m/%Y} au {exercice.fin:%d/%m/%Y})",
            ecriture.piece or None,
        )
    return replace(ecriture, exercice=exercice.nom)


from coopcompta.storage import fin_annee as _fin_annee  # noqa: E402,F401  (registers its migration)
from coopcompta.storage import scellement as _scellement  # noqa: E402,F401  (registers its migration)
from coopcompta.storage import ventilation as _ventilation  # noqa: E402,F401  (registers its migration)
