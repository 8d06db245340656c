"""Statement reading speed: a plain bank CSV of 100 000 lines, parsed with lire_releve.

Run: python benchmarks/bench_lire_releve.py  (target: >= 150 000 lines/s)
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from coopcompta.importers import lire_releve

LIBELLES = [
    "REMISE CHEQUES 0001234",
    "VIR SEPA RECU /DE MAIRIE DE SAINT-AUBIN",
    "PRLV SEPA OCCE 35",
    "CB LIBRAIRIE 12/10",
    "VERSEMENT ESPECES",
    "FRAIS TENUE DE COMPTE",
    "VIR ASSOCONNECT",
]


def fichier(path: Path, n: int) -> None:
    rnd = random.Random(1)
    with open(path, "w", encoding="cp1252", newline="") as f:
        f.write("Date;Date de valeur;Débit;Crédit;Libellé;Solde\r\n")
        for i in range(n):
            jour = f"{1 + i % 28:02d}/{1 + i // 28 % 12:02d}/2025"
            cents = rnd.randrange(100, 200_000)
            montant = f"{cents // 100},{cents % 100:02d}"
            debit, credit = (f"-{montant}", "") if rnd.random() < 0.6 else ("", montant)
            f.write(f"{jour};{jour};{debit};{credit};{rnd.choice(LIBELLES)};1 234,56\r\n")


def main(n: int = 100_000) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "releve.csv"
        fichier(path, n)
        meilleur = float("inf")
        for _ in range(3):
            t = time.process_time()  # CPU time: the machine is shared
            compte = sum(1 for _ in lire_releve(path).lignes)
            meilleur = min(meilleur, time.process_time() - t)
        assert compte == n
        print(
            f"{n} lignes en {meilleur:.3f} s de CPU : {n / meilleur:,.0f} lignes/s".replace(
                ",", " "
            )
        )


if __name__ == "__main__":
    main()
