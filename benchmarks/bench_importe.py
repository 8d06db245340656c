"""Benchmark: the commands that read a whole ledger, on a ledger built by `coop import`.

Issue 13: every command linear in the ledger. The tidy ledgers of `bench_bilan.py` and
`bench_export.py` are written by bulk SQL with cheques in perfect order; a real bank export
is messier. This script generates a bank statement (`Date;Libellé;Débit;Crédit;N° chèque`)
of 10 000, 100 000 and 1 000 000 lines over one school year whose cheque numbers have gaps,
duplicates, numbers written out of order, new chéquiers and non-numeric numbers, builds a
ledger from it with the real `coop init` + `coop import --non-interactif --regles` (cached
under benchmarks/out/importe-N.db, so that reruns only measure), then runs on each:

    coop verifier      coop bilan --format json      coop export x.xlsx      coop export x.csv

and prints, per size, the median wall time of --runs runs (one run only for the xlsx at
1 000 000 unless --runs-xlsx says more) and the peak memory of the child (ru_maxrss).
With --propre, the same commands on the tidy 1 000 000-écriture ledger of bench_bilan.py
(built by it when missing) for comparison.

Targets: verifier and bilan < 1.5 s at 1 000 000; CSV export < 100 MB peak at 1 000 000;
the xlsx export linear (about 10× the 100 000 time at 1 000 000), no slower on the imported
ledger than on the tidy one.

Run: python benchmarks/bench_importe.py [--tailles 10000 100000 1000000] [--runs 3]
     [--runs-xlsx 1] [--propre] [--reconstruire]
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
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).parent / "out"
CIBLE_LECTURE_S = 1.5  # verifier and bilan at 1 000 000
CIBLE_CSV_MIO = 100.0  # CSV export's peak memory at 1 000 000
VERSION = "1"  # of the generated statement: a cached ledger of another version is rebuilt
DEBUT = dt.date(2025, 9, 1)

# (label, debit?, amount range in centimes, cheque?) of a school year's bank lines.
MODELES = [
    ("CHEQUE {c}", True, (1000, 50000), True),
    ("CHEQUE {c}", True, (500, 20000), True),
    ("CHQ {c}", True, (500, 30000), True),
    ("CB LIBRAIRIE DU CENTRE {j:02d}/{m:02d}", True, (500, 9000), False),
    ("CB CARREFOUR MARKET {j:02d}/{m:02d}", True, (300, 15000), False),
    ("PRLV SEPA OCCE 35 COTISATION", True, (10000, 40000), False),
    ("PRLV SEPA MAE ASSURANCE", True, (5000, 20000), False),
    ("FRAIS TENUE DE COMPTE", True, (200, 900), False),
    ("REMISE CHEQUES {r}", False, (1500, 90000), False),
    ("VIR SEPA RECU /DE MAIRIE DE RENNES /MOTIF SUBVENTION", False, (20000, 150000), False),
    ("VIR SEPA RECU /DE APE JULES FERRY /MOTIF DON", False, (5000, 50000), False),
    ("VERSEMENT ESPECES", False, (2000, 60000), False),
    ("CB AUTOCARS BREIZH {j:02d}/{m:02d}", True, (20000, 90000), False),
    ("PAIEMENT PAR CARTE PHOTOGRAPHE SCOLAIRE", True, (5000, 60000), False),
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
- nom: Photographe
  motif: PHOTOGRAPHE
  compte: "6070"
- nom: Remises
  motif: REMISE CHEQUES
  compte: "75620008"
- nom: Chèques
  motif: /^CH(EQUE|Q) /
  compte: "6068"
"""


def euros(centimes: int) -> str:
    return f"{centimes // 100},{centimes % 100:02d}"


def numero_de_cheque(rnd: random.Random, etat: list[int]) -> str:
    """The next cheque number as a real export shows them: mostly in sequence, with gaps,
    numbers written twice or out of order, new chéquiers, typos that are not numbers."""
    etat[0] += 1
    n = etat[0]
    x = rnd.random()
    if x < 0.10:  # a few cheques missing (cancelled or lost)
        etat[0] += rnd.randint(1, 24)
        return str(etat[0])
    if x < 0.15:  # written twice
        return str(n - rnd.randint(1, 3))
    if x < 0.25:  # cashed late: out of date order
        return str(max(1, n - rnd.randint(4, 400)))
    if x < 0.27:  # not a number
        return rnd.choice(["A", "CHQ", "n°"]) + str(n)
    if x < 0.29:  # a new chéquier
        etat[0] += rnd.randint(100, 50_000)
        return str(etat[0])
    if x < 0.30:  # leading zeros
        return f"{n:010d}"
    return str(n)


def generer(path: Path, n: int, graine: int = 13) -> None:
    """A bank export (cp1252, `;`), oldest first, `n` lines spread over one exercice."""
    rnd = random.Random(graine)
    etat = [4_518_000]
    with open(path, "w", encoding="cp1252", newline="") as f:
        f.write("Date;Libellé;Débit;Crédit;N° chèque\r\n")
        for i in range(n):
            jour = DEBUT + dt.timedelta(days=i * 364 // n)
            modele, debit, (lo, hi), cheque = MODELES[rnd.randrange(len(MODELES))]
            numero = numero_de_cheque(rnd, etat) if cheque else ""
            libelle = modele.format(j=jour.day, m=jour.month, c=numero, r=rnd.randrange(10**7))
            c = rnd.randint(lo, hi)
            deb, cred = (f"-{euros(c)}", "") if debit else ("", euros(c))
            f.write(f"{jour:%d/%m/%Y};{libelle};{deb};{cred};{numero}\r\n")


def construire(coop: str, n: int, reconstruire: bool) -> Path:
    """benchmarks/out/importe-N.db, built by the real commands once and reused."""
    db = OUT / f"importe-{n}.db"
    marque = OUT / f"importe-{n}.version"
    if not reconstruire and db.exists() and marque.exists() and marque.read_text() == VERSION:
        return db
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT, prefix="construction-") as tmp:
        dossier = Path(tmp)
        releve, regles, neuf = dossier / "releve.csv", dossier / "regles.yaml", dossier / "c.db"
        t0 = time.perf_counter()
        generer(releve, n)
        regles.write_text(REGLES, encoding="utf-8")
        env = dict(os.environ, COOP_DB=str(neuf))
        init = [coop, "init", "--nom", "Bench importé", "--exercice", "2025-2026"]
        init += ["--ouverture", "512=10000"]
        subprocess.run(init, env=env, check=True, capture_output=True)
        t1 = time.perf_counter()
        subprocess.run(
            [coop, "import", str(releve), "--non-interactif", "--regles", str(regles)],
            env=env,
            check=True,
            capture_output=True,
        )
        print(
            f"  importe-{n}.db construite : relevé généré en {t1 - t0:.1f} s,"
            f" coop import en {time.perf_counter() - t1:.1f} s",
            flush=True,
        )
        for suffixe in ("", "-wal", "-shm"):
            Path(str(db) + suffixe).unlink(missing_ok=True)
        neuf.replace(db)
    marque.write_text(VERSION)
    return db


def lancer(commande: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MiB) of one child; exit codes
    0 and 1 (anomalies) are fine. On a shared machine the CPU time is the steadier figure."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(commande, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        duree = time.perf_counter() - t0
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            err.seek(0)
            sys.exit(f"échec ({code}) de {' '.join(commande)} :\n{err.read().decode()}")
    cpu = usage.ru_utime + usage.ru_stime
    return duree, cpu, usage.ru_maxrss / 1024  # KiB on Linux


def mesurer(coop: str, db: Path, runs: int, runs_xlsx: int, gros: bool) -> dict[str, tuple]:
    """{command: (median seconds, median CPU seconds, peak MiB)} for the four commands."""
    sortie = OUT / f"{db.stem}-sortie"
    commandes = {
        "verifier": [coop, "verifier", "--db", str(db)],
        "bilan": [coop, "bilan", "--db", str(db), "--format", "json"],
        "export .xlsx": [coop, "export", f"{sortie}.xlsx", "--db", str(db), "--force"],
        "export .csv": [coop, "export", f"{sortie}.csv", "--db", str(db), "--force"],
    }
    lancer(commandes["bilan"])  # warm-up: page cache, pending migrations
    resultats = {}
    for nom, commande in commandes.items():
        fois = runs_xlsx if (nom == "export .xlsx" and gros) else runs
        mesures = [lancer(commande) for _ in range(max(1, fois))]
        resultats[nom] = (
            statistics.median(m[0] for m in mesures),
            statistics.median(m[1] for m in mesures),
            max(m[2] for m in mesures),
        )
    for ext in (".xlsx", ".csv"):
        Path(f"{sortie}{ext}").unlink(missing_ok=True)
    return resultats


def tableau(lignes: list[tuple[str, dict[str, tuple]]]) -> None:
    noms = ["verifier", "bilan", "export .xlsx", "export .csv"]
    print()
    print(f"{'comptabilité':<20}" + "".join(f"{n:>28}" for n in noms))
    for titre, r in lignes:
        cellules = "".join(
            f"{f'{r[n][0]:.2f} s (CPU {r[n][1]:.2f}), {r[n][2]:.0f} Mio':>28}" for n in noms
        )
        print(f"{titre:<20}{cellules}")
    print("(médianes des runs, temps écoulé et CPU du fils ; pic mémoire = son ru_maxrss)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tailles", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--runs-xlsx", type=int, default=1, help="runs de l'xlsx à 1 000 000")
    parser.add_argument("--propre", action="store_true", help="aussi la comptabilité propre")
    parser.add_argument("--reconstruire", action="store_true")
    parser.add_argument("--construire", action="store_true", help="construire sans mesurer")
    args = parser.parse_args()
    coop = shutil.which("coop")
    if coop is None:
        print("coop introuvable : installez le projet (pip install -e .)", file=sys.stderr)
        return 2
    lignes = []
    for n in sorted(args.tailles):
        db = construire(coop, n, args.reconstruire)
        if args.construire:
            continue
        titre = f"importée {n:>9_}".replace("_", " ")
        lignes.append((titre, mesurer(coop, db, args.runs, args.runs_xlsx, n >= 1_000_000)))
        tableau(lignes[-1:])
    if args.construire:
        return 0
    if args.propre:
        propre = OUT / "bilan-1000000.db"
        if not propre.exists():
            subprocess.run(
                [sys.executable, str(Path(__file__).parent / "bench_bilan.py"), "--runs", "1"],
                check=True,
            )
        lignes.append(("propre 1 000 000", mesurer(coop, propre, args.runs, args.runs_xlsx, True)))
    tableau(lignes)
    ok = True
    for titre, r in lignes:
        if "1 000 000" not in titre:
            continue
        for nom in ("verifier", "bilan"):
            if r[nom][0] >= CIBLE_LECTURE_S:
                print(f"{titre} : {nom} {r[nom][0]:.2f} s ≥ {CIBLE_LECTURE_S} s")
                ok = False
        if r["export .csv"][2] >= CIBLE_CSV_MIO:
            print(f"{titre} : export .csv {r['export .csv'][2]:.0f} Mio ≥ {CIBLE_CSV_MIO} Mio")
            ok = False
    if not any("1 000 000" in titre for titre, _ in lignes):
        print("Cibles à 1 000 000 : non mesurées (ajoutez 1000000 à --tailles)")
        return 0
    print("Cibles à 1 000 000 : " + ("atteintes" if ok else "MANQUÉES"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
