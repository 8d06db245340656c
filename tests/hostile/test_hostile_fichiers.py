"""Hostile ledger files and paths (issue 8, items 3, 5, 6 and 7): a file that is not a
ledger, a damaged or newer one, a folder, an odd path, a ledger that cannot be written or
that another command is writing. Each is refused with where and what, exit 2 when the
file cannot be used, and nothing written: the SQL dump and the file's bytes unchanged."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from coopcompta import storage

PAS_UN_LEDGER = "ce fichier n'est pas une comptabilité coopcompta"
ENDOMMAGE = "fichier endommagé"
PLUS_RECENTE = "créé par une version plus récente de coopcompta"
SAISIE = ("saisie", "--date", "12/10/2025", "--libelle", "Photos", "--recette", "12,00")
SAISIE += ("--compte", "7068")

# Commands that only read, and commands that write (`coop verifier` reads a file that is
# not SQLite as a journal CSV: it has its own test below).
LECTURES = [("bilan",), ("journal",), ("plan",), ("exercices",), ("export", "x.xlsx")]
ECRITURES = [SAISIE, ("import", "--annuler", "--oui")]


def octets(chemin: Path) -> str:
    """SHA-256 of the file's bytes (a journal switch or a stamp shows here, not in a dump)."""
    return hashlib.sha256(chemin.read_bytes()).hexdigest()


def sqlite_etranger(chemin: Path, application_id: int = 0) -> Path:
    """Another application's SQLite database, in rollback-journal mode."""
    conn = sqlite3.connect(chemin)
    conn.execute("CREATE TABLE clients(id INTEGER PRIMARY KEY, nom TEXT)")
    conn.execute("INSERT INTO clients(nom) VALUES ('Dupont')")
    if application_id:
        conn.execute(f"PRAGMA application_id = {application_id}")
    conn.commit()
    conn.close()
    return chemin


def modifier(chemin: Path, *sql: str) -> None:
    conn = sqlite3.connect(chemin)
    for requete in sql:
        conn.execute(requete)
    conn.commit()
    conn.close()


def endommager(source: Path, cible: Path, page: int, pages: int = 1) -> Path:
    """A copy of `source` with pages overwritten in the middle, as a failing disk leaves it."""
    conn = sqlite3.connect(source)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    taille_page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    shutil.copy(source, cible)
    with cible.open("r+b") as f:
        f.seek(page * taille_page)
        f.write(b"\xde\xad\xbe\xef" * (taille_page * pages // 4))
    return cible


# -- files that are not a ledger: never written ------------------------------------------------


FAUX = {
    "vide": lambda p: p.write_bytes(b""),
    "octets-aleatoires": lambda p: p.write_bytes(os.urandom(8192)),
    "texte": lambda p: p.write_text("Date;Libellé;Montant\n01/10/2025;Goûter;12,00\n"),
    "entete-sqlite-tronque": lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x10\x00"),
    "autre-base-sqlite": sqlite_etranger,
    "autre-application-id": lambda p: sqlite_etranger(p, 0x4D504246),
    "sqlite-sans-table": lambda p: sqlite3.connect(p).execute("PRAGMA user_version = 1"),
    "migrations-sqlite-utils-d-un-autre": lambda p: modifier(
        sqlite_etranger(p),
        "CREATE TABLE _sqlite_migrations (migration_set TEXT, name TEXT, applied_at TEXT)",
        "INSERT INTO _sqlite_migrations VALUES ('autre', 'm001_schema', '2025')",
    ),
}


# Each kind of file against one reading and one writing command, every command in turn.
CAS_FAUX = [
    pytest.param(genre, commande, id=f"{genre}-{commande[0]}")
    for i, genre in enumerate(FAUX)
    for commande in (LECTURES[i % len(LECTURES)], ECRITURES[i % len(ECRITURES)])
]


@pytest.mark.parametrize(("genre", "commande"), CAS_FAUX)
def test_a_file_that_is_not_a_ledger_is_refused_and_never_written(
    refuser, tmp_path: Path, genre: str, commande: tuple[str, ...]
) -> None:
    faux = tmp_path / "autre.db"
    FAUX[genre](faux)
    avant = octets(faux)
    args = [str(tmp_path / a) if a.endswith(".xlsx") else a for a in commande]
    refus = refuser([*args, "--db", faux], ou=str(faux), quoi=PAS_UN_LEDGER, code=2)
    assert "rien n'a été modifié" in refus.sortie
    assert octets(faux) == avant
    assert sorted(p.name for p in tmp_path.iterdir()) == ["autre.db"]


@pytest.mark.parametrize("genre", [g for g in FAUX if "sqlite" in g])
def test_coop_verifier_refuses_another_sqlite_database_with_exit_2(
    refuser, tmp_path: Path, genre: str
) -> None:
    faux = tmp_path / "autre.db"
    FAUX[genre](faux)
    avant = octets(faux)
    refuser(["verifier", faux], ou=str(faux), quoi=PAS_UN_LEDGER, code=2)
    assert octets(faux) == avant


def test_coop_init_does_not_take_a_file_that_is_not_a_ledger(refuser, tmp_path: Path) -> None:
    faux = sqlite_etranger(tmp_path / "clients.db")
    avant = octets(faux)
    refuser(
        ["init", "--db", faux, "--nom", "École"],
        ou=str(faux),
        quoi="un fichier qui n'est pas une comptabilité coopcompta existe déjà ici",
    )
    assert octets(faux) == avant


# -- a ledger from a newer coopcompta ------------------------------------------------------------


def test_a_ledger_of_a_newer_schema_version_is_refused(refuser, ledger_path: Path) -> None:
    modifier(ledger_path, f"PRAGMA user_version = {storage.migrations.version() + 1}")
    avant = octets(ledger_path)
    for commande in (("bilan",), SAISIE):
        refuser([*commande, "--db", ledger_path], ledger=ledger_path, quoi=PLUS_RECENTE, code=2)
    assert octets(ledger_path) == avant


def test_a_ledger_with_a_migration_this_version_does_not_know_is_refused(
    refuser, ledger_path: Path
) -> None:
    modifier(
        ledger_path,
        "PRAGMA user_version = 1",
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at)"
        " VALUES ('coopcompta', 'm999_futur', '2030-01-01')",
    )
    refuser(["journal", "--db", ledger_path], ledger=ledger_path, quoi=PLUS_RECENTE, code=2)


def test_a_ledger_from_before_the_stamp_is_backed_up_then_stamped(
    invoke, ledger_path: Path
) -> None:
    modifier(ledger_path, "PRAGMA application_id = 0", "PRAGMA user_version = 0")
    r = invoke("bilan", "--db", ledger_path)
    assert r.exit_code == 0, r.output
    copies = list(ledger_path.parent.glob("coop.db.avant-migration-*.bak"))
    assert len(copies) == 1
    assert f"copie de sauvegarde : {copies[0]}" in r.stderr
    conn = sqlite3.connect(f"file:{copies[0]}?mode=ro", uri=True)
    assert conn.execute("SELECT count(*) FROM ecritures").fetchone()[0] == 2
    conn.close()
    conn = sqlite3.connect(f"file:{ledger_path}?mode=ro", uri=True)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == storage.APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == storage.migrations.version()
    conn.close()
    # Stamped: the next command neither migrates nor copies again.
    r = invoke("bilan", "--db", ledger_path)
    assert "copie de sauvegarde" not in r.stderr
    assert len(list(ledger_path.parent.glob("*.bak"))) == 1


# -- a ledger edited or damaged outside coopcompta -----------------------------------------------


@pytest.mark.parametrize(
    ("sql", "commande"),
    [
        pytest.param(
            "ALTER TABLE ecritures RENAME COLUMN libelle TO intitule", ("journal",), id="colonne"
        ),
        pytest.param("DROP TABLE lignes", ("bilan",), id="table"),
        pytest.param("DROP INDEX idx_verif_cheques", ("verifier",), id="index-force"),
    ],
)
def test_a_ledger_whose_structure_was_changed_by_hand_is_named_not_a_traceback(
    refuser, ledger_path: Path, sql: str, commande: tuple[str, ...]
) -> None:
    modifier(ledger_path, sql)
    refuser(
        [*commande, "--db", ledger_path],
        ledger=ledger_path,
        ou=str(ledger_path),
        quoi="modifiée hors de coopcompta",
        code=2,
    )


@pytest.fixture
def annee_fichier(annee_chargee: Path, tmp_path: Path) -> Path:
    """A copy of the example year (about 80 pages), checkpointed."""
    path = tmp_path / "annee.db"
    shutil.copy(annee_chargee, path)
    return path


@pytest.mark.parametrize(
    "commande",
    [("bilan",), ("journal",), ("verifier",), ("export", "x.xlsx"), SAISIE],
    ids=lambda c: c[0],
)
def test_a_damaged_ledger_gives_a_french_message_and_exit_2_from_every_command(
    refuser, annee_fichier: Path, tmp_path: Path, commande: tuple[str, ...]
) -> None:
    # Pages 3 to 12 hold the écritures and their first index pages.
    abime = endommager(annee_fichier, tmp_path / "abime.db", page=3, pages=10)
    avant = octets(abime)
    args = [str(tmp_path / a) if a.endswith(".xlsx") else a for a in commande]
    refuser([*args, "--db", abime], ou=str(abime), quoi=ENDOMMAGE, code=2)
    assert octets(abime) == avant
    assert not (tmp_path / "x.xlsx").exists()


def test_coop_verifier_finds_damage_that_the_other_commands_do_not_read(
    refuser, annee_fichier: Path, tmp_path: Path
) -> None:
    """SQLite's quick_check reads every page: a damaged page of an index no query of
    `coop journal` uses is found by `coop verifier`."""
    conn = sqlite3.connect(annee_fichier)
    racine = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'idx_ecritures_annule'"
    ).fetchone()[0]
    conn.close()
    abime = endommager(annee_fichier, tmp_path / "abime.db", page=racine - 1)
    refuser(["verifier", "--db", abime], ou=str(abime), quoi="contrôle d'intégrité", code=2)


def test_an_ecriture_whose_amount_was_edited_by_hand_is_reported_although_the_bilan_balances(
    invoke, annee_fichier: Path
) -> None:
    modifier(annee_fichier, "UPDATE ecritures SET montant = montant + 100 WHERE id = 5")
    r = invoke("verifier", "--db", annee_fichier)
    assert r.exit_code == 1, r.output
    assert "[ventilation-desequilibree]" in r.stdout
    assert "somme des lignes" in r.stdout and "(écart 1,00" in r.stdout


# -- folders and odd paths -----------------------------------------------------------------------


@pytest.mark.parametrize("commande", [("bilan",), SAISIE], ids=lambda c: c[0])
def test_a_folder_given_as_the_ledger_is_named(
    refuser, tmp_path: Path, commande: tuple[str, ...]
) -> None:
    refuser([*commande, "--db", tmp_path], ou=str(tmp_path), quoi="c'est un dossier", code=2)


def test_a_ledger_name_over_255_bytes_is_named(refuser, tmp_path: Path) -> None:
    long = tmp_path / ("é" * 200 + ".db")
    refuser(["journal", "--db", long], quoi="nom de fichier trop long", code=2)
    refuser(["init", "--db", long, "--nom", "École"], quoi="nom de fichier trop long")
    assert list(tmp_path.iterdir()) == []


def test_a_ledger_under_a_missing_folder_is_absent(refuser, tmp_path: Path) -> None:
    refuser(
        ["bilan", "--db", tmp_path / "nulle-part" / "coop.db"],
        ou="nulle-part",
        quoi="aucune comptabilité ici",
    )
    assert list(tmp_path.iterdir()) == []


def test_a_path_through_a_file_is_named(refuser, ledger_path: Path) -> None:
    refuser(
        ["bilan", "--db", ledger_path / "coop.db"],
        ledger=ledger_path,
        quoi="un élément du chemin n'est pas un dossier",
        code=2,
    )


def test_coop_init_on_a_folder_says_so(refuser, tmp_path: Path) -> None:
    refuser(["init", "--db", tmp_path, "--nom", "École"], quoi="c'est un dossier")
    assert list(tmp_path.iterdir()) == []


def test_coop_init_under_a_file_creates_nothing(refuser, ledger_path: Path) -> None:
    refuser(
        ["init", "--db", ledger_path / "sous" / "coop.db", "--nom", "École"],
        ledger=ledger_path,
        quoi="n'est pas un dossier",
    )


# -- a ledger that cannot be written -------------------------------------------------------------


@pytest.fixture
def lecture_seule(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ledger opened as one this process may not write (SQLite's mode=ro): what
    a chmod 444 file or folder gives a user other than root."""
    monkeypatch.setattr(storage, "_inscriptible", lambda _path: False)


@pytest.mark.parametrize(
    "commande",
    [SAISIE, ("import", "--annuler", "--oui"), ("nouvel-exercice", "--forcer", "test")],
    ids=lambda c: c[0],
)
def test_a_write_to_a_read_only_ledger_says_lecture_seule(
    refuser, ledger_path: Path, lecture_seule: None, commande: tuple[str, ...]
) -> None:
    avant = octets(ledger_path)
    refuser([*commande, "--db", ledger_path], ledger=ledger_path, quoi="lecture seule", input="o\n")
    assert octets(ledger_path) == avant


def test_a_read_only_ledger_can_still_be_read(
    invoke, annee_fichier: Path, lecture_seule: None, tmp_path: Path
) -> None:
    avant = octets(annee_fichier)
    for commande in (("bilan",), ("journal",), ("verifier",), ("export", tmp_path / "a.xlsx")):
        r = invoke(*commande, "--db", annee_fichier)
        assert r.exit_code in (0, 1), r.output
        assert "lecture seule" not in r.output
    assert (tmp_path / "a.xlsx").exists()
    assert octets(annee_fichier) == avant


@pytest.mark.skipif(os.geteuid() == 0, reason="root écrit même dans un fichier en 444")
def test_a_chmod_444_ledger_in_a_read_only_folder_is_read_and_not_written(
    refuser, invoke, ledger_path: Path
) -> None:
    dossier = ledger_path.parent
    ledger_path.chmod(0o444)
    dossier.chmod(0o555)
    try:
        assert invoke("bilan", "--db", ledger_path).exit_code == 0
        refuser([*SAISIE, "--db", ledger_path], ledger=ledger_path, quoi="lecture seule")
    finally:
        dossier.chmod(0o755)
        ledger_path.chmod(0o644)


# -- another command writing -----------------------------------------------------------------------


def occuper(chemin: Path) -> sqlite3.Connection:
    """Another process's write transaction, held until the connection rolls back."""
    conn = sqlite3.connect(chemin, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def test_a_write_waits_for_another_command_then_gives_up_in_french(
    refuser, ledger_path: Path
) -> None:
    autre = occuper(ledger_path)
    try:
        refus = refuser(
            [*SAISIE, "--db", ledger_path],
            ledger=None,
            ou=str(ledger_path),
            quoi="une autre commande écrit toujours dans la comptabilité",
            env={"COOP_ATTENTE_MAX": "0.2"},
        )
    finally:
        autre.rollback()
        autre.close()
    assert "une autre commande écrit dans la comptabilité, attente…" in refus.sortie
    conn = sqlite3.connect(ledger_path)
    assert conn.execute("SELECT count(*) FROM ecritures").fetchone()[0] == 2
    conn.close()


def test_a_write_waits_for_another_command_then_proceeds(invoke, ledger_path: Path) -> None:
    autre = occuper(ledger_path)
    liberer = threading.Timer(0.3, lambda: (autre.rollback(), autre.close()))
    liberer.start()
    debut = time.monotonic()
    r = invoke(*SAISIE, "--db", ledger_path, env={"COOP_ATTENTE_MAX": "20"})
    liberer.join()
    assert r.exit_code == 0, r.output
    assert "une autre commande écrit dans la comptabilité, attente…" in r.stderr
    assert time.monotonic() - debut < 10
    assert "Recette enregistrée" in r.stdout or "pièce" in r.stdout.lower()


def test_reading_does_not_wait_for_a_writer(invoke, ledger_path: Path) -> None:
    autre = occuper(ledger_path)
    try:
        r = invoke("bilan", "--db", ledger_path, env={"COOP_ATTENTE_MAX": "0.1"})
    finally:
        autre.rollback()
        autre.close()
    assert r.exit_code == 0, r.output
    assert "attente" not in r.stderr


def test_an_old_ledger_opened_by_two_commands_at_once_is_copied_and_migrated_once(
    ledger_path: Path,
) -> None:
    """The second command waits for the first one's migration, then finds the ledger up
    to date: one backup copy, the ledger as it was before, and no error."""
    modifier(ledger_path, "PRAGMA application_id = 0", "PRAGMA user_version = 0")
    resultats: list[object] = []

    def ouvrir_et_lire() -> None:
        try:
            with storage.ouvrir(ledger_path) as ledger:
                resultats.append(len(ledger.exercices()))
        except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
            resultats.append(exc)

    fils = [threading.Thread(target=ouvrir_et_lire) for _ in range(3)]
    for f in fils:
        f.start()
    for f in fils:
        f.join(30)
    assert resultats == [1, 1, 1]
    copies = list(ledger_path.parent.glob("coop.db.avant-migration-*.bak"))
    assert len(copies) == 1
    conn = sqlite3.connect(f"file:{copies[0]}?mode=ro", uri=True)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0
    conn.close()


def test_only_sqlite_errors_a_user_can_meet_are_translated_a_bug_keeps_its_traceback() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t(a UNIQUE, b CHECK (b > 0))")
    conn.execute("INSERT INTO t VALUES (1, 1)")
    erreurs = []
    requetes = (
        "INSERT INTO t VALUES (1, 2)",
        "INSERT INTO t VALUES (2, -1)",
        "SELECT ?",
        "SELEC 1",
    )
    for requete in requetes:
        with pytest.raises(sqlite3.Error) as exc:
            conn.execute(requete)
        erreurs.append(storage.traduire_erreur(exc.value))
    conn.close()
    doublon, contrainte, parametres, syntaxe = erreurs
    assert doublon is not None and "relancez la commande" in doublon.message
    assert contrainte is None  # a CHECK the code broke: a bug
    assert parametres is None  # SQL called with the wrong bindings: a bug
    assert syntaxe is None  # SQL mistyped in the code: a bug


@pytest.mark.parametrize("extension", [".xlsx", ".csv"])
def test_an_export_to_a_name_over_255_bytes_is_named(
    refuser, ledger_path: Path, tmp_path: Path, extension: str
) -> None:
    cible = tmp_path / ("é" * 200 + extension)
    refuser(
        ["export", cible, "--db", ledger_path], ledger=ledger_path, quoi="nom de fichier trop long"
    )
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("coop.db")] == []


def test_a_folder_given_to_saisie_fichier_is_said_in_french(
    refuser, ledger_path: Path, tmp_path: Path
) -> None:
    refus = refuser(
        ["saisie", "--fichier", tmp_path, "--db", ledger_path],
        ledger=ledger_path,
        ou="--fichier",
        quoi=f"« {tmp_path} » : c'est un dossier, pas un fichier",
    )
    assert "is a directory" not in refus.sortie


def test_coop_verifier_of_a_name_over_255_bytes_is_named(refuser, tmp_path: Path) -> None:
    long = tmp_path / ("é" * 200 + ".csv")
    refuser(["verifier", long], ou=str(long), quoi="nom de fichier trop long", code=2)


def test_a_rules_file_with_a_name_over_255_bytes_is_named(
    refuser, ledger_path: Path, tmp_path: Path
) -> None:
    releve = Path(__file__).resolve().parents[1] / "data" / "import" / "octobre.csv"
    regles = tmp_path / ("é" * 200 + ".yaml")
    refuser(
        ["import", releve, "--db", ledger_path, "--regles", regles, "--non-interactif"],
        ledger=ledger_path,
        quoi="fichier de règles illisible (nom de fichier trop long)",
    )


@pytest.mark.parametrize("commande", [("bilan",), SAISIE], ids=lambda c: c[0])
def test_a_named_pipe_given_as_the_ledger_is_refused_without_waiting(
    refuser, tmp_path: Path, commande: tuple[str, ...]
) -> None:
    tube = tmp_path / "coop.db"
    os.mkfifo(tube)  # opening it to read would wait for a writer forever
    refuser(
        [*commande, "--db", tube], ou=str(tube), quoi="ce n'est pas un fichier ordinaire", code=2
    )


def test_a_symbolic_link_loop_given_as_the_ledger_is_named(refuser, tmp_path: Path) -> None:
    boucle = tmp_path / "coop.db"
    boucle.symlink_to(boucle)
    refuser(["journal", "--db", boucle], ou=str(boucle), quoi="trop de liens symboliques", code=2)
