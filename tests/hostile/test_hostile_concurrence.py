"""Concurrency and full disk, in subprocesses (marker `lent`; issue 8, items 6 and 7):
commands queue on the ledger and say so, none is lost, none ends in a traceback; a full
disk during init, import or export leaves the ledger as it was and no file behind."""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.lent

DATA = Path(__file__).resolve().parents[1] / "data"
ENTETE = (DATA / "import" / "octobre.csv").read_bytes().splitlines()[0]
COOP = [sys.executable, "-m", "coopcompta"]
ATTENTE = "une autre commande écrit dans la comptabilité, attente…"


def coop(*args: object, env: dict[str, str] | None = None, **kw: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*COOP, *(str(a) for a in args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "100", **(env or {})},
        **kw,  # type: ignore[arg-type]
    )


def releve(chemin: Path, lignes: int, graine: int) -> Path:
    """A Crédit Mutuel-like statement of `lignes` distinct recettes."""
    corps = [
        f"{1 + i % 28:02d}/10/2025;{1 + i % 28:02d}/10/2025;;{1 + i % 97},{graine:02d};"
        f"VIR RECU FAMILLE {graine}-{i};".encode("latin-1")
        for i in range(lignes)
    ]
    chemin.write_bytes(b"\n".join([ENTETE, *corps]) + b"\n")
    return chemin


def compter(ledger: Path) -> int:
    conn = sqlite3.connect(f"file:{ledger}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM ecritures").fetchone()[0])
    finally:
        conn.close()


def empreinte(ledger: Path) -> str:
    conn = sqlite3.connect(f"file:{ledger}?mode=ro", uri=True)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    chemin = tmp_path / "coop.db"
    p = coop("init", "--db", chemin, "--nom", "École", "--exercice", "2025-2026")
    assert p.wait() == 0, p.communicate()
    return chemin


def test_four_concurrent_imports_all_land(ledger: Path, tmp_path: Path) -> None:
    fichiers = [releve(tmp_path / f"releve{k}.csv", 3000, k) for k in range(4)]
    procs = [coop("import", f, "--db", ledger, "--non-interactif") for f in fichiers]
    sorties = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, sorties, strict=True):
        assert p.returncode == 0, err
        assert "Traceback" not in err
    assert compter(ledger) == 4 * 3000


def test_four_concurrent_imports_of_one_statement_add_it_once(ledger: Path, tmp_path: Path) -> None:
    fichier = releve(tmp_path / "releve.csv", 3000, 1)
    procs = [coop("import", fichier, "--db", ledger, "--non-interactif") for _ in range(4)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert "Traceback" not in err
    assert compter(ledger) == 3000


SAISIE = ("saisie", "--date", "12/10/2025", "--libelle", "Photos", "--recette", "12,00")
SAISIE += ("--compte", "7068")


def _pendant_un_import(
    ledger: Path, tmp_path: Path, env: dict[str, str]
) -> tuple[subprocess.Popen[str], subprocess.Popen[str], str, str]:
    gros = releve(tmp_path / "gros.csv", 60000, 7)
    imp = coop("import", gros, "--db", ledger, "--non-interactif")
    # Wait until the import holds the write lock.
    conn = sqlite3.connect(ledger, timeout=0, isolation_level=None)
    limite = time.monotonic() + 60
    while time.monotonic() < limite:
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            time.sleep(0.02)
        except sqlite3.OperationalError:
            break
    conn.close()
    saisie = coop(*SAISIE, "--db", ledger, env=env)
    _, err_saisie = saisie.communicate(timeout=300)
    _, err_import = imp.communicate(timeout=300)
    return imp, saisie, err_import, err_saisie


def test_a_saisie_during_a_long_import_waits_says_so_then_lands(
    ledger: Path, tmp_path: Path
) -> None:
    imp, saisie, err_import, err_saisie = _pendant_un_import(ledger, tmp_path, {})
    assert imp.returncode == 0, err_import
    assert saisie.returncode == 0, err_saisie
    assert ATTENTE in err_saisie
    assert "Traceback" not in err_saisie + err_import
    assert compter(ledger) == 60000 + 1


def test_a_saisie_that_waits_too_long_gives_up_in_french(ledger: Path, tmp_path: Path) -> None:
    imp, saisie, err_import, err_saisie = _pendant_un_import(
        ledger, tmp_path, {"COOP_ATTENTE_MAX": "0.3"}
    )
    assert imp.returncode == 0, err_import
    assert saisie.returncode != 0
    assert ATTENTE in err_saisie
    assert "une autre commande écrit toujours dans la comptabilité" in err_saisie
    assert "rien n'a été modifié" in err_saisie
    assert "Traceback" not in err_saisie
    assert compter(ledger) == 60000


# -- a full disk: RLIMIT_FSIZE in the child, SIGXFSZ ignored so that write() fails ---------------


def _disque_plein(octets: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (octets, octets))


def plein(octets: int, *args: object) -> tuple[int, str]:
    p = subprocess.run(
        [*COOP, *(str(a) for a in args)],
        capture_output=True,
        text=True,
        preexec_fn=lambda: _disque_plein(octets),
        env={**os.environ, "COLUMNS": "100"},
        timeout=300,
    )
    return p.returncode, p.stderr


@pytest.mark.parametrize("octets", [4096, 60_000, 200_000])
def test_init_on_a_full_disk_leaves_no_file(tmp_path: Path, octets: int) -> None:
    chemin = tmp_path / "coop.db"
    code, err = plein(octets, "init", "--db", chemin, "--nom", "École")
    assert code != 0
    assert "Traceback" not in err
    assert "disque plein" in err, err
    assert list(tmp_path.iterdir()) == []


def test_an_import_on_a_full_disk_leaves_the_ledger_unchanged(ledger: Path, tmp_path: Path) -> None:
    fichier = releve(tmp_path / "releve.csv", 3000, 3)
    avant = empreinte(ledger)
    code, err = plein(
        ledger.stat().st_size + 100_000, "import", fichier, "--db", ledger, "--non-interactif"
    )
    assert code != 0
    assert "Traceback" not in err
    assert "disque plein" in err and "rien n'a été enregistré" in err, err
    assert empreinte(ledger) == avant


def test_an_export_on_a_full_disk_says_so_and_leaves_the_ledger_unchanged(
    ledger: Path, tmp_path: Path
) -> None:
    fichier = releve(tmp_path / "releve.csv", 3000, 4)
    p = coop("import", fichier, "--db", ledger, "--non-interactif")
    assert p.wait() == 0
    shutil.copy(ledger, tmp_path / "copie.db")
    avant = empreinte(ledger)
    sortie = tmp_path / "export"
    sortie.mkdir()
    code, err = plein(20_000, "export", sortie / "annee.xlsx", "--db", ledger)
    assert code != 0
    assert "Traceback" not in err
    assert "disque plein" in err, err
    assert empreinte(ledger) == avant
