"""Benchmark: `coop --help` wall time (target: median under 0.20 s).

Run: python benchmarks/bench_help.py [--runs 21]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time

CIBLE = 0.20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    coop = shutil.which("coop")
    if coop is None:
        print("coop introuvable : installez le projet (pip install -e .)", file=sys.stderr)
        return 2
    subprocess.run([coop, "--help"], check=True, capture_output=True)  # warm the disk cache
    durees = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        subprocess.run([coop, "--help"], check=True, capture_output=True)
        durees.append(time.perf_counter() - t0)
    med = statistics.median(durees)
    verdict = "OK" if med < CIBLE else "TROP LENT"
    print(
        f"coop --help : médiane {med:.3f} s sur {args.runs} (min {min(durees):.3f} s)"
        f" — cible < {CIBLE} s : {verdict}"
    )
    return 0 if med < CIBLE else 1


if __name__ == "__main__":
    sys.exit(main())
