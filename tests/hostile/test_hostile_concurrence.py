"""A command that waits too long for another writer gives up in French (issue 8, item 6),
in subprocesses (marker `lent`). The other concurrent and full-disk cases are in
`test_hostile_fichiers_lent.py`."""

from __future__ import annotations

import os
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


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    chemin = tmp_path / "coop.db"
    p = coop("init", "--db", chemin, "--nom", "École", "--exercice", "2025-2026")
    assert p.wait() == 0, p.communicate()
    return chemin


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
