"""Check: every page of the dossier and of the printed workbook has text at least 7 pt high.

Builds the example year as the README's command 1 does (in a temporary folder), writes
`dossier.pdf` and `bilan.xlsx`, converts the workbook to PDF with LibreOffice headless
(as a treasurer who prints it would), then measures with `pdftotext -bbox` the smallest word
height on every page of both PDFs. Exits 1 when a page goes below the limit. Also times
`coop export dossier.pdf` (target: under 2 s).

Run: python benchmarks/taille_texte.py [--garder DOSSIER] [--runs 5]
Needs poppler-utils (pdftotext) and LibreOffice (soffice / libreoffice).
"""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HAUTEUR_MIN = 7.0  # points: a word's box height, what a reader sees printed
RACINE = Path(__file__).resolve().parents[1]
_MOT = re.compile(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>')


def plus_petits_mots(pdf: Path) -> list[tuple[float, str]]:
    """For each page, the height in points of its smallest word and that word."""
    sortie = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages: list[tuple[float, str]] = []
    for morceau in sortie.split("<page ")[1:]:
        mots = [(float(b) - float(a), m) for a, b, m in _MOT.findall(morceau) if m.strip()]
        pages.append(min(mots) if mots else (float("inf"), ""))
    return pages


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def en_pdf(classeur: Path) -> Path:
    """The workbook printed to PDF by LibreOffice headless, beside it."""
    office = libreoffice()
    if office is None:
        raise RuntimeError("LibreOffice introuvable")
    profil = classeur.parent / "profil-libreoffice"
    subprocess.run(
        [office, f"-env:UserInstallation=file://{profil}", "--headless", "--convert-to", "pdf",
         "--outdir", str(classeur.parent), str(classeur)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return classeur.with_suffix(".pdf")


def commande_1() -> list[list[str]]:
    """The `coop …` steps of the README's command 1."""
    readme = (RACINE / "README.md").read_text(encoding="utf-8")
    ligne = next(x for x in readme.splitlines() if x.startswith("python3 -m venv") and "init" in x)
    etapes = [shlex.split(e) for e in re.split(r"\s&&\s", ligne)]
    return [e for e in etapes if e[0] == "coop"]


def rapport(nom: str, pages: list[tuple[float, str]]) -> bool:
    ok = True
    for i, (h, mot) in enumerate(pages, 1):
        bon = h >= HAUTEUR_MIN
        ok &= bon
        print(f"  {nom} page {i:2} : {h:5.2f} pt  « {mot} »{'' if bon else '  TROP PETIT'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--garder", type=Path, help="dossier où laisser les fichiers produits")
    parser.add_argument("--runs", type=int, default=5, help="mesures de coop export dossier.pdf")
    args = parser.parse_args()
    dossier = args.garder or Path(tempfile.mkdtemp(prefix="coop-taille-"))
    dossier.mkdir(parents=True, exist_ok=True)
    db = dossier / "exemple.db"
    db.unlink(missing_ok=True)
    for etape in commande_1():
        etape = [str(db) if a == "exemple.db" else a for a in etape]
        subprocess.run(etape, check=True, cwd=RACINE, capture_output=True)
    pdf, classeur = dossier / "dossier.pdf", dossier / "bilan.xlsx"
    durees = []
    for _ in range(args.runs):
        debut = time.perf_counter()
        subprocess.run(["coop", "export", str(pdf), "--db", str(db), "--force"], check=True,
                       capture_output=True)  # fmt: skip
        durees.append(time.perf_counter() - debut)
    print(f"coop export dossier.pdf : médiane {statistics.median(durees):.2f} s "
          f"sur {args.runs} (cible < 2 s)")  # fmt: skip
    subprocess.run(["coop", "export", str(classeur), "--db", str(db), "--force"], check=True,
                   capture_output=True)  # fmt: skip
    ok = rapport("dossier.pdf", plus_petits_mots(pdf))
    if libreoffice():
        ok &= rapport("bilan.xlsx (LibreOffice)", plus_petits_mots(en_pdf(classeur)))
    else:
        print("  LibreOffice absent : classeur non vérifié")
    print("OK" if ok else f"ÉCHEC : du texte fait moins de {HAUTEUR_MIN} pt")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
