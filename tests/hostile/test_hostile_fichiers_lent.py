"""Full disks and concurrent commands (issue 8, items 6 and 7), in real `coop` processes:
a disk that refuses writes (RLIMIT_FSIZE, SIGXFSZ ignored, so a write fails with EFBIG as
it fails with ENOSPC on a full disk) during init, import and export; a saisie during a long
import; four imports at once; two `coop init` at once. Slow: marker `lent`."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.hostile.conftest import empreinte_ledger

from coopcompta import storage

pytestmark = pytest.mark.lent

COOP = Path(sys.executable).parent / "coop"
EXEMPLE = Path(__file__).resolve().parents[2] / "examples" / "jules-ferry-2025-2026.csv"
ATTENTE = "une autre commande écrit dans la comptabilité, attente…"


def limite(octets: int) -> Callable[[], None]:
    """For `preexec_fn`: no file of the child may grow past `octets`."""

    def appliquer() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (octets, octets))

    return appliquer


def coop(
    *args: object, disque: int | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(COOP), *(str(a) for a in args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=None if disque is None else limite(disque),
    )


def lancer(*args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(COOP), *(str(a) for a in args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def nombre_ecritures(ledger: Path) -> int:
    conn = sqlite3.connect(f"file:{ledger}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM ecritures").fetchone()[0])
    finally:
        conn.close()


def releve(chemin: Path, lignes: int, libelle: str = "ACHAT FOURNISSEUR") -> Path:
    """A bank statement of `lignes` distinct lines in 2025-2026."""
    with chemin.open("w", encoding="utf-8") as f:
        f.write("Date;Libellé;Débit;Crédit\n")
        for i in range(lignes):
            jour = dt.date(2025, 9, 1) + dt.timedelta(days=i % 300)
            montant = f"{1 + i % 997},{i % 100:02d}"
            if i % 2:
                f.write(f"{jour:%d/%m/%Y};{libelle} {i};{montant};\n")
            else:
                f.write(f"{jour:%d/%m/%Y};VERSEMENT {libelle} {i};;{montant}\n")
    return chemin


@pytest.fixture
def annee(tmp_path: Path) -> Path:
    """The example year in a ledger made by `coop` itself (185 écritures)."""
    db = tmp_path / "coop.db"
    assert (
        coop("init", "--db", db, "--nom", "Jules Ferry", "--exercice", "2025-2026").returncode == 0
    )
    r = coop("saisie", "--db", db, "--fichier", EXEMPLE)
    assert r.returncode == 0, r.stderr
    return db


def assert_francais(r: subprocess.CompletedProcess[str], *attendus: str) -> None:
    assert r.returncode != 0, r.stdout
    assert "Traceback" not in r.stderr, r.stderr
    assert "\nErreur : " in f"\n{r.stderr}", r.stderr
    for texte in attendus:
        assert texte in r.stderr, r.stderr


# -- a disk that refuses writes ------------------------------------------------------------------


@pytest.mark.parametrize("octets", [0, 20_000], ids=["rien", "20-ko"])
def test_coop_init_on_a_full_disk_leaves_no_file_and_no_folder(tmp_path: Path, octets: int) -> None:
    db = tmp_path / "nouveau" / "coop.db"
    r = coop("init", "--db", db, "--nom", "École", "--exercice", "2025-2026", disque=octets)
    assert_francais(r, str(db), "création impossible", "disque plein")
    assert list(tmp_path.iterdir()) == []


def test_an_import_on_a_full_disk_records_nothing_and_says_so(annee: Path, tmp_path: Path) -> None:
    avant = empreinte_ledger(annee)
    fichier = releve(tmp_path / "releve.csv", 3000)
    r = coop("import", fichier, "--db", annee, "--non-interactif", "--oui", disque=200_000)
    assert_francais(r, str(annee), "disque plein", "rien n'a été enregistré")
    assert empreinte_ledger(annee) == avant
    # Once the disk has room again, the same import goes through whole.
    r = coop("import", fichier, "--db", annee, "--non-interactif", "--oui")
    assert r.returncode == 0, r.stderr
    assert nombre_ecritures(annee) == 185 + 3000


@pytest.mark.parametrize("nom", ["classeur.xlsx", "journal.csv"])
def test_an_export_on_a_full_disk_leaves_no_file_and_the_ledger_unchanged(
    annee: Path, tmp_path: Path, nom: str
) -> None:
    # 2 185 écritures: a journal CSV of about 130 kB, a workbook of about 100 kB.
    fichier = releve(tmp_path / "releve.csv", 2000)
    assert coop("import", fichier, "--db", annee, "--non-interactif", "--oui").returncode == 0
    avant = empreinte_ledger(annee)
    dossier = tmp_path / "export"
    dossier.mkdir()
    r = coop("export", dossier / nom, "--db", annee, disque=40_000)
    assert_francais(r, nom, "écriture impossible", "disque plein")
    assert list(dossier.iterdir()) == []
    assert empreinte_ledger(annee) == avant


# -- commands at the same time -------------------------------------------------------------------


def attendre_l_ecriture(ledger: Path, processus: subprocess.Popen[str]) -> None:
    """Return once `processus` holds the ledger's write lock (a long write transaction:
    BEGIN IMMEDIATE fails twice in a row, 50 ms apart)."""
    conn = sqlite3.connect(ledger, timeout=0, isolation_level=None)
    occupe = 0
    try:
        while occupe < 2:
            assert processus.poll() is None, "l'import a fini avant qu'on puisse saisir"
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("ROLLBACK")
                occupe = 0
            except sqlite3.OperationalError:
                occupe += 1
            time.sleep(0.05)
    finally:
        conn.close()


def test_a_saisie_during_a_long_import_waits_says_so_then_is_recorded(
    annee: Path, tmp_path: Path
) -> None:
    fichier = releve(tmp_path / "releve.csv", 20_000)
    importation = lancer("import", fichier, "--db", annee, "--non-interactif", "--oui")
    try:
        attendre_l_ecriture(annee, importation)
        saisie = coop(
            "saisie", "--db", annee, "--date", "12/10/2025", "--libelle", "Photos",
            "--recette", "12,00", "--compte", "7068",
        )  # fmt: skip
    finally:
        sortie, erreurs = importation.communicate(timeout=120)
    assert importation.returncode == 0, erreurs
    assert saisie.returncode == 0, saisie.stderr
    assert "Traceback" not in saisie.stderr + erreurs
    assert ATTENTE in saisie.stderr
    assert "Enregistré : pièce 20186" in saisie.stdout
    assert nombre_ecritures(annee) == 185 + 20_000 + 1


def test_four_imports_at_once_all_recorded(annee: Path, tmp_path: Path) -> None:
    fichiers = [releve(tmp_path / f"r{k}.csv", 2000, f"FOURNISSEUR {k}") for k in range(4)]
    processus = [lancer("import", f, "--db", annee, "--non-interactif", "--oui") for f in fichiers]
    resultats = [p.communicate(timeout=120) for p in processus]
    for p, (sortie, erreurs) in zip(processus, resultats, strict=True):
        assert p.returncode == 0, erreurs
        assert "Traceback" not in erreurs
        assert "2000 écritures" in sortie
    assert nombre_ecritures(annee) == 185 + 4 * 2000


def test_one_statement_imported_four_times_at_once_is_recorded_once(
    annee: Path, tmp_path: Path
) -> None:
    fichier = releve(tmp_path / "releve.csv", 2000)
    processus = [
        lancer("import", fichier, "--db", annee, "--non-interactif", "--oui") for _ in range(4)
    ]
    sorties = [p.communicate(timeout=120)[0] for p in processus]
    assert [p.returncode for p in processus] == [0] * 4
    assert sum("Import n° 1 enregistré : 2000 écritures" in s for s in sorties) == 1
    assert sum("Rien de nouveau : la comptabilité est inchangée." in s for s in sorties) == 3
    assert nombre_ecritures(annee) == 185 + 2000


def _creer(barriere: Any, chemin: str, q: Any) -> None:
    from coopcompta.domain.errors import CoopComptaError
    from coopcompta.domain.model import Exercice
    from coopcompta.usecases.creation import charger_plan_choisi, creer_comptabilite

    plan = charger_plan_choisi(None)
    barriere.wait()
    try:
        creer_comptabilite(Path(chemin), plan, Exercice.depuis_nom("2025-2026"), nom="X")
        q.put("créée")
    except CoopComptaError as exc:
        q.put(str(exc))


def test_two_coop_init_at_once_leave_one_ledger(tmp_path: Path) -> None:
    contexte = multiprocessing.get_context("fork")
    for essai in range(10):
        chemin = tmp_path / f"coop{essai}.db"
        barriere, q = contexte.Barrier(2), contexte.Queue()
        processus = [
            contexte.Process(target=_creer, args=(barriere, str(chemin), q)) for _ in range(2)
        ]
        for p in processus:
            p.start()
        for p in processus:
            p.join(60)
        resultats = [q.get(timeout=5), q.get(timeout=5)]
        assert resultats.count("créée") == 1, resultats
        refus = next(r for r in resultats if r != "créée")
        assert refus.startswith(f"{chemin}: ") and "existe déjà ici" in refus, resultats
        assert storage.identifier(chemin) == storage.A_JOUR
