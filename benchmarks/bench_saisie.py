"""Benchmark: `coop saisie --fichier` of a 100 000-row journal CSV (target: a few seconds).

Writes benchmarks/out/journal-100000.csv (reused when present), creates a fresh
ledger, runs the command in a subprocess and prints the wall time and peak RSS.

Run: python benchmarks/bench_saisie.py [--lignes 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).parent / "out"
ENTETE = "date;piece;libelle;sens;tresorerie;mode;cheque;total;compte;montant;classe;annule"
MODELES = [
    ("recette", "512", ["75620008"], "cheque"),
    ("recette", "53", ["7070", "75620008"], "especes"),
    ("depense", "512", ["62810008", "61681008"], "cheque"),
    ("depense", "512", ["6251"], "virement"),
    ("depense", "53", ["6257"], "especes"),
    ("recette", "517", ["7068"], "assoconnect"),
]


def ecrire_journal(path: Path, lignes: int) -> None:
    rnd = random.Random(42)
    debut = dt.date(2025, 9, 1)
    n = 0
    jour = 0
    with path.open("w", encoding="utf-8") as f:
        f.write(ENTETE + "\n")
        while n < lignes:
            sens, tresorerie, comptes, mode = rnd.choice(MODELES)
            jour = min(jour + (rnd.random() < 0.004), 363)
            date = (debut + dt.timedelta(days=jour)).strftime("%d/%m/%Y")
            comptes = comptes[: max(1, lignes - n)]
            parts = [rnd.randint(100, 20000) for _ in comptes]
            total = f"{sum(parts) // 100},{sum(parts) % 100:02d}"
            piece = "" if len(comptes) == 1 else f"P{n}"
            for i, (compte, c) in enumerate(zip(comptes, parts, strict=True)):
                f.write(
                    f"{date};{piece};Opération {n} {sens};{sens};{tresorerie};{mode};;"
                    f"{total if i == 0 else ''};{compte};{c // 100},{c % 100:02d};;\n"
                )
                n += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lignes", type=int, default=100_000)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    journal = OUT / f"journal-{args.lignes}.csv"
    if not journal.exists():
        ecrire_journal(journal, args.lignes)
    db = OUT / f"saisie-{args.lignes}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    coop = [sys.executable, "-c", "from coopcompta.cli import main; main()"]
    init = [*coop, "init", "--db", str(db), "--nom", "Bench", "--exercice", "2025-2026"]
    subprocess.run(init, check=True, capture_output=True)
    avant = resource.getrusage(resource.RUSAGE_CHILDREN)
    avant = avant.ru_utime + avant.ru_stime
    t0 = time.perf_counter()
    result = subprocess.run(
        [*coop, "saisie", "--db", str(db), "--fichier", str(journal)],
        check=True,
        capture_output=True,
        text=True,
    )
    duree = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - avant
    print(result.stdout.strip())
    print(
        f"coop saisie --fichier {journal.name}: {duree:.2f} s ({cpu:.2f} s CPU), "
        f"pic mémoire {usage.ru_maxrss / 1024:.0f} Mo"
    )


if __name__ == "__main__":
    main()
