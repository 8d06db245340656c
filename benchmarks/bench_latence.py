"""Benchmark: the latency of the treasurer's everyday commands on the example year.

Target (issue 12): `coop journal`, `coop bilan`, `coop plan`, `coop verifier` and
`coop saisie --help` each under 0.30 s (median), shown next to `python -c pass` (the
interpreter's own start) and `coop --help`. Output is piped, as in a script.

Run: python benchmarks/bench_latence.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CIBLE = 0.30
RACINE = Path(__file__).resolve().parents[1]
EXEMPLE = RACINE / "examples" / "jules-ferry-2025-2026.csv"
COMMANDES = (
    ["journal"],
    ["bilan"],
    ["plan"],
    ["verifier"],
    ["saisie", "--help"],
)


def mesurer(commande: list[str], runs: int, env: dict[str, str]) -> list[float]:
    subprocess.run(commande, env=env, capture_output=True)  # warm the disk cache
    durees = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(commande, env=env, capture_output=True)
        durees.append(time.perf_counter() - t0)
    return durees


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    coop = shutil.which("coop")
    if coop is None:
        print("coop introuvable : installez le projet (pip install -e .)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as dossier:
        db = Path(dossier) / "exemple.db"
        env = {**os.environ, "COOP_DB": str(db), "COLUMNS": "80"}
        for etape in (
            ["init", "--nom", "Jules Ferry", "--exercice", "2025-2026"],
            ["saisie", "--fichier", str(EXEMPLE)],
        ):
            subprocess.run([coop, *etape], env=env, check=True, capture_output=True)
        lignes = [("python -c pass", mesurer([sys.executable, "-c", "pass"], args.runs, env))]
        lignes.append(("coop --help", mesurer([coop, "--help"], args.runs, env)))
        echecs = 0
        for commande in COMMANDES:
            durees = mesurer([coop, *commande], args.runs, env)
            lignes.append(("coop " + " ".join(commande), durees))
        print(f"{'commande':<20} {'médiane':>8} {'min':>7}   (sur {args.runs}, cible < {CIBLE} s)")
        for i, (nom, durees) in enumerate(lignes):
            med = statistics.median(durees)
            verdict = ""
            if i >= 2:
                verdict = "OK" if med < CIBLE else "TROP LENT"
                echecs += med >= CIBLE
            print(f"{nom:<20} {med:>7.3f}s {min(durees):>6.3f}s   {verdict}")
    return 1 if echecs else 0


if __name__ == "__main__":
    sys.exit(main())
