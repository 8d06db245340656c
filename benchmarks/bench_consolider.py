"""Benchmark: `coop verifier DOSSIER` and `coop consolider DOSSIER` on 1 000 journals (< 60 s each).

Writes, once, 1 000 journal CSVs of 1 000 écritures each (one cooperative per file, a
school year of recettes, dépenses, cheques, virements; one in ten with something for
the checks to find: a gift in exceptional products, an écriture left on 471, a missing
pièce) in benchmarks/out/journaux-1000x1000/, reused while present. Then times both
commands in a subprocess: median of --runs runs after a warm-up, wall time, CPU time
of the command and its worker processes, and peak memory of the largest of them. The
same on 100 journals shows whether memory grows with the number of cooperatives.

Run: python benchmarks/bench_consolider.py [--cooperatives 1000] [--ecritures 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

CIBLE_S = 60.0
OUT = Path(__file__).parent / "out"
ENTETE = "date;piece;libelle;sens;tresorerie;mode;cheque;total;compte;montant;classe;annule"
DEBUT = dt.date(2025, 9, 1)
# (sens, trésorerie, ventilation accounts, mode, libellé)
MODELES = [
    ("recette", "512", ["75620008"], "cheque", "Participation des familles"),
    ("recette", "512", ["7070", "75620008"], "cheque", "Remise de chèques photos et cotisations"),
    ("recette", "53", ["7088"], "especes", "Kermesse, buvette"),
    ("recette", "512", ["7440"], "virement", "VIR SEPA RECU /DE MAIRIE"),
    ("depense", "512", ["62810008", "61681008"], "cheque", "Cotisation et assurance OCCE"),
    ("depense", "512", ["6070"], "cheque", "Photos de classe"),
    ("depense", "512", ["6251", "6241"], "cheque", "Sortie au musée, car"),
    ("depense", "53", ["6257"], "especes", "Goûter"),
    ("depense", "512", ["6183", "6068"], "carte", "CB LIBRAIRIE"),
    ("depense", "512", ["627"], "prelevement", "Frais de tenue de compte"),
]
CLASSES = ["", "", "", "CP", "CE1", "CE2", "CM1", "CM2"]


def _euros(centimes: int) -> str:
    return f"{centimes // 100},{centimes % 100:02d}"


def ecrire_journal(path: Path, n: int, graine: int) -> None:
    """One cooperative's year of `n` écritures; one in ten has an anomaly."""
    rng = random.Random(graine)
    lignes = [
        ENTETE,
        "01/09/2025;;Report à nouveau;ouverture;512;;;;;2500,00;;",
        "01/09/2025;;Report à nouveau;ouverture;53;;;;;150,00;;",
    ]
    cheque = 1_000_000 + 1000 * graine
    defaut = graine % 10 == 7  # this cooperative has something for the checks to find
    piece = 0
    for i in range(n):
        piece += 1
        if defaut and i == n // 2:
            piece += 1  # a missing pièce
        date = (DEBUT + dt.timedelta(days=i * 364 // n)).strftime("%d/%m/%Y")
        if i % 50 == 49:  # cash taken to the bank now and then
            montant = rng.randrange(2000, 8000)
            lignes.append(
                f"{date};{piece};Versement d'espèces;virement;53;especes;;;512;{_euros(montant)};;"
            )
            continue
        sens, tresorerie, comptes, mode, libelle = MODELES[rng.randrange(len(MODELES))]
        if defaut and i == n // 3:
            sens, tresorerie, comptes, mode, libelle = (
                "recette", "512", ["771"], "virement", "Don d'un parent")  # fmt: skip
        if defaut and i == n // 4:
            comptes = ["471"]
        if tresorerie == "53" and sens == "depense":
            tresorerie, mode = "512", "carte"  # the cash box never goes below zero
        haut = 15_000 if sens == "depense" else 40_000  # a year ends with a small surplus
        parts = [rng.randrange(500, haut) for _ in comptes]
        if defaut and comptes == ["771"]:
            parts = [90_000]
        numero = ""
        if mode == "cheque" and sens == "depense":
            cheque += 1
            numero = str(cheque)
        classe = CLASSES[rng.randrange(len(CLASSES))]
        for k, (compte, part) in enumerate(zip(comptes, parts, strict=True)):
            total = _euros(sum(parts)) if k == 0 else ""
            lignes.append(
                f"{date};{piece};{libelle};{sens};{tresorerie};{mode};{numero};{total};"
                f"{compte};{_euros(part)};{classe};"
            )
    path.write_text("\n".join(lignes) + "\n", encoding="utf-8")


def construire(dossier: Path, cooperatives: int, ecritures: int) -> None:
    """The folder of journals, written once; a marker says it is complete."""
    fait = dossier / ".complet"
    if fait.exists():
        return
    shutil.rmtree(dossier, ignore_errors=True)
    dossier.mkdir(parents=True)
    t0 = time.perf_counter()
    for i in range(cooperatives):
        ecrire_journal(dossier / f"coop-{i + 1:04d}.csv", ecritures, i)
    fait.write_text("", encoding="utf-8")
    taille = sum(p.stat().st_size for p in dossier.glob("*.csv")) / 2**20
    print(
        f"{cooperatives} journaux de {ecritures} écritures écrits dans {dossier} "
        f"({taille:.0f} Mio, {time.perf_counter() - t0:.1f} s)"
    )


def chronometrer(commande: list[str], runs: int) -> tuple[float, float, float, int]:
    """Median wall time, median CPU time (the command and its workers), peak RSS in MiB of
    the largest process, exit code."""
    subprocess.run(commande, capture_output=True)  # warm-up: file cache, imports
    durees, cpus, pics = [], [], []
    code = 0
    for _ in range(runs):
        # A fresh interpreter per run: ru_maxrss of RUSAGE_CHILDREN is a maximum over all
        # children ever waited for, so each run is measured by a child of its own.
        mesure = subprocess.run(
            [sys.executable, "-c", _MESURE, *commande], capture_output=True, text=True, check=True
        )
        duree, cpu, pic, code = mesure.stdout.split()
        durees.append(float(duree))
        cpus.append(float(cpu))
        pics.append(float(pic))
    return statistics.median(durees), statistics.median(cpus), max(pics), int(code)


_MESURE = """
import resource, subprocess, sys, time
t0 = time.perf_counter()
code = subprocess.run(sys.argv[1:], capture_output=True).returncode
duree = time.perf_counter() - t0
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(duree, u.ru_utime + u.ru_stime, u.ru_maxrss / 1024, code)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cooperatives", type=int, default=1000)
    parser.add_argument("--ecritures", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    coop = [sys.executable, "-c", "from coopcompta.cli import main; main()"]
    tailles = sorted({min(100, args.cooperatives), args.cooperatives})
    print(f"machine : {len(os.sched_getaffinity(0))} cœurs")
    ok = True
    for n in tailles:
        dossier = OUT / f"journaux-{n}x{args.ecritures}"
        construire(dossier, n, args.ecritures)
        for nom, commande in (
            ("coop verifier DOSSIER", [*coop, "verifier", str(dossier)]),
            ("coop consolider DOSSIER", [*coop, "consolider", str(dossier)]),
        ):
            duree, cpu, pic, code = chronometrer(commande, args.runs)
            cible = ""
            if n == args.cooperatives:
                cible = "  OK" if duree < CIBLE_S else f"  TROP LENT (cible < {CIBLE_S:.0f} s)"
                ok = ok and duree < CIBLE_S
            print(
                f"{nom:<25} {n:>5} journaux : {duree:6.1f} s (médiane de {args.runs}), "
                f"CPU {cpu:6.1f} s, mémoire max {pic:5.0f} Mio, code {code}{cible}"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
