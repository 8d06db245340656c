"""Benchmark: `coop import --non-interactif` of a CIC-like bank CSV (target ≥ 40 000 lines/s).

Generates in a temporary directory a CSV in the Crédit Mutuel / CIC layout (cp1252, `;`,
Date;Date de valeur;Débit;Crédit;Libellé;Solde) of 10 000 and 100 000 lines
over one exercice, a rules file of 12 rules, a fresh ledger; then runs the real command in
a subprocess and reports wall time, lines/s and peak memory (max RSS of the child).
A second run of the same file measures the re-import (everything already present).
The machine may be shared: with --fois N (default 3) each measure is taken N times on a
fresh ledger and the best and median runs are printed (the best is the machine's speed
when nobody else uses it; wall time over CPU time above 1 shows the writer thread at work).

Run: python benchmarks/bench_import.py [--lignes 10000 100000] [--fois 3] [--garder]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CIBLE = 40_000  # lines per second
DEBUT = dt.date(2025, 9, 1)

# (label, debit?, amount range in centimes); about two thirds are matched by a rule.
MODELES = [
    ("CB LIBRAIRIE DU CENTRE {j:02d}/{m:02d}", True, (500, 9000)),
    ("CB CARREFOUR MARKET {j:02d}/{m:02d}", True, (300, 15000)),
    ("PRLV SEPA OCCE 35 COTISATION", True, (10000, 40000)),
    ("PRLV SEPA MAE ASSURANCE", True, (5000, 20000)),
    ("FRAIS TENUE DE COMPTE", True, (200, 900)),
    ("CHEQUE {n}", True, (1000, 50000)),
    ("REMISE CHEQUES {n}", False, (1500, 90000)),
    ("VIR SEPA RECU /DE MAIRIE DE RENNES /MOTIF SUBVENTION", False, (20000, 150000)),
    ("VIR SEPA RECU /DE APE JULES FERRY /MOTIF DON", False, (5000, 50000)),
    ("VERSEMENT ESPECES", False, (2000, 60000)),
    ("VIR ASSOCONNECT SAS VERSEMENT", False, (2000, 30000)),
    ("CB AUTOCARS BREIZH {j:02d}/{m:02d}", True, (20000, 90000)),
    ("CB CINEMA LE SEPT {j:02d}/{m:02d}", True, (3000, 20000)),
    ("PAIEMENT PAR CARTE PHOTOGRAPHE SCOLAIRE", True, (5000, 60000)),
]

REGLES = """\
- nom: Librairie
  motif: LIBRAIRIE
  compte: "6183"
- nom: Supermarché
  motif: CARREFOUR
  compte: "6068"
- nom: Cotisation OCCE
  motif: /PRLV.*OCCE/
  ventilation:
    - compte: "62810008"
      part: 80%
    - compte: "61681008"
- nom: Assurance
  motif: MAE
  compte: "61681008"
- nom: Frais bancaires
  motif: FRAIS TENUE
  compte: "627"
- nom: Subvention mairie
  motif: MAIRIE
  sens: recette
  compte: "7440"
- nom: Don APE
  motif: APE JULES FERRY
  compte: "7460"
- nom: Cars
  motif: AUTOCARS
  compte: "6241"
- nom: Cinéma
  motif: CINEMA
  compte: "6251"
- nom: Photographe
  motif: PHOTOGRAPHE
  compte: "6070"
- nom: Remises
  motif: REMISE CHEQUES
  montant_max: 10
  compte: "75620008"
- nom: Gros chèques
  motif: CHEQUE
  montant_min: 1000
  compte: "6226"
"""


def euros(centimes: int) -> str:
    return f"{centimes // 100},{centimes % 100:02d}"


def generer(path: Path, n: int, seed: int = 7) -> None:
    """A CIC-like export, oldest first, `n` lines spread over one exercice."""
    rnd = random.Random(seed)
    solde = 1_000_000
    with open(path, "w", encoding="cp1252", newline="") as f:
        f.write("Date;Date de valeur;Débit;Crédit;Libellé;Solde\r\n")
        for i in range(n):
            jour = DEBUT + dt.timedelta(days=i * 364 // n)
            modele, debit, (lo, hi) = MODELES[rnd.randrange(len(MODELES))]
            libelle = modele.format(j=jour.day, m=jour.month, n=1_000_000 + rnd.randrange(10**6))
            c = rnd.randint(lo, hi)
            solde += -c if debit else c
            d = f"{jour:%d/%m/%Y}"
            deb, cred = (f"-{euros(c)}", "") if debit else ("", euros(c))
            f.write(f"{d};{d};{deb};{cred};{libelle};{euros(abs(solde))}\r\n")


def lancer(args: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """(wall seconds, CPU seconds, max RSS in MiB, stdout) of one coop run (this child only)."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        duree = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            sys.exit(f"échec de {' '.join(args)} :\n{err.read()}")
        cpu = usage.ru_utime + usage.ru_stime
        return duree, cpu, usage.ru_maxrss // 1024, out.read()


def dire(quoi: str, n: int, duree: float, cpu: float, rss: int) -> None:
    print(
        f"{quoi:<46} {duree:6.2f} s ({n / duree:7.0f} lignes/s), CPU {cpu:6.2f} s "
        f"({n / cpu:7.0f} lignes/s CPU), mémoire max {rss} Mio"
    )


def resumer(quoi: str, n: int, mesures: list[tuple[float, float, int]]) -> None:
    """The best run, and the median one when there are several."""
    mesures = sorted(mesures)
    dire(f"{quoi}{', meilleur' if len(mesures) > 1 else ''}", n, *mesures[0])
    if len(mesures) > 1:
        dire(f"{quoi}, médian", n, *mesures[(len(mesures) - 1) // 2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lignes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--fois", type=int, default=3, help="mesures par cas (meilleure, médiane)")
    parser.add_argument("--garder", action="store_true", help="garder le dossier temporaire")
    opts = parser.parse_args()
    coop = shutil.which("coop") or sys.exit("commande coop introuvable (activez le venv)")
    tmp = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        for n in sorted(opts.lignes):
            dossier = tmp / str(n)
            dossier.mkdir()
            releve, db, regles = (
                dossier / "releve.csv",
                dossier / "coop.db",
                dossier / "regles.yaml",
            )
            generer(releve, n)
            regles.write_text(REGLES, encoding="utf-8")
            env = dict(os.environ, COOP_DB=str(db))
            init = [coop, "init", "--nom", "Bench", "--exercice", "2025-2026"]
            cmd = [coop, "import", str(releve), "--non-interactif", "--regles", str(regles)]
            imports, reimports = [], []
            for _ in range(max(1, opts.fois)):
                for suffixe in ("", "-wal", "-shm"):
                    Path(str(db) + suffixe).unlink(missing_ok=True)
                subprocess.run(
                    [*init, "--ouverture", "512=10000"], env=env, check=True, capture_output=True
                )
                duree, cpu, rss, sortie = lancer(cmd, env)
                imports.append((duree, cpu, rss))
                duree, cpu, rss, _ = lancer(cmd, env)
                reimports.append((duree, cpu, rss))
            resumer(f"{n} lignes, import", n, imports)
            for ligne in sortie.splitlines()[1:3]:
                print(f"    {ligne.strip()}")
            resumer(f"{n} lignes, ré-import (rien de neuf)", n, reimports)
        print(f"Cible : ≥ {CIBLE} lignes/s pour 100 000 lignes.")
    finally:
        if opts.garder:
            print(f"Fichiers gardés dans {tmp}")
        else:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
