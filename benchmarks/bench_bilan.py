"""Benchmark: `coop bilan --format json` and `coop verifier` on 1 000 000 écritures (< 1.5 s).

Builds once, by bulk SQL inserts (not via the CLI), a ledger of one exercice with
1 000 000 écritures (about 2.3 M lignes) in benchmarks/out/bilan-1000000.db, with
a handful of realistic anomalies (lines on 471, three gaps and a duplicate in the
pièces, a cheque out of sequence, two "salaire"), then times both commands in a
subprocess (median of 5 runs, after one warm-up run) and prints the wall time and
the CPU time of the child (the machine may be shared: CPU time is the steadier figure).

Run: python benchmarks/bench_bilan.py [--ecritures 1000000] [--runs 5] [--rebuild]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from coopcompta.domain.model import Exercice
from coopcompta.storage import creer

CIBLE_S = 1.5
OUT = Path(__file__).parent / "out"
EXERCICE = Exercice.depuis_nom("2025-2026")
LOT = 50_000

# (sens, trésorerie, ventilation accounts, mode, libellé) of a school year.
MODELES = [
    ("recette", "512", ["75620008"], "cheque", "Participation des familles"),
    ("recette", "512", ["7070", "75620008"], "cheque", "Remise de chèques photos et cotisations"),
    ("recette", "53", ["7088"], "especes", "Kermesse, buvette"),
    ("recette", "517", ["7068"], "assoconnect", "Paiement AssoConnect sortie"),
    ("recette", "512", ["7440"], "virement", "VIR SEPA RECU /DE MAIRIE"),
    ("recette", "512", ["7460"], "virement", "Don de l'association de parents"),
    ("depense", "512", ["62810008", "61681008"], "cheque", "Cotisation et assurance OCCE"),
    ("depense", "512", ["6070"], "cheque", "Photos de classe"),
    ("depense", "512", ["6251", "6241"], "cheque", "Sortie au musée, car"),
    ("depense", "53", ["6257"], "especes", "Goûter de Noël"),
    ("depense", "517", ["627"], "prelevement", "Frais AssoConnect"),
    ("depense", "512", ["6183", "6068"], "carte", "CB LIBRAIRIE"),
    ("virement", "53", ["512"], "especes", "Versement espèces en banque"),
]
CLASSES = [None, None, None, "CP", "CE1", "CE2", "CM1", "CM2", "Voyage Bretagne"]


def construire(path: Path, n: int) -> None:
    """Bulk-build the ledger: schema through the normal migrations, rows by executemany."""
    tmp = path.with_suffix(".tmp.db")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    ledger = creer(
        tmp,
        {"nom": "Coopérative du benchmark", "series": ""},
        EXERCICE,
        {},
    )
    conn = ledger.conn
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA journal_mode = MEMORY")
    rng = random.Random(42)
    ex = EXERCICE.nom
    jours = (EXERCICE.fin - EXERCICE.debut).days + 1
    ecritures: list[tuple[object, ...]] = []
    lignes: list[tuple[object, ...]] = []
    saisie = "2026-09-01T10:00:00"
    cheque = 1_000_000

    def vider() -> None:
        conn.executemany(
            "INSERT INTO ecritures(id, exercice, date, sens, piece, piece_num, libelle, mode,"
            " cheque, tresorerie, contrepartie, montant, annule, saisie_le)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,NULL,?)",
            ecritures,
        )
        conn.executemany(
            "INSERT INTO lignes(ecriture_id, exercice, role, compte, montant, classe)"
            " VALUES (?,?,?,?,?,?)",
            lignes,
        )
        ecritures.clear()
        lignes.clear()

    conn.execute("BEGIN")
    eid = 0
    for tresorerie, centimes in (("512", 1_500_000), ("53", 8_000)):
        eid += 1
        date = EXERCICE.debut.isoformat()
        ecritures.append(
            (
                eid,
                ex,
                date,
                "ouverture",
                None,
                None,
                "Report à nouveau",
                None,
                None,
                tresorerie,
                None,
                centimes,
                saisie,
            )
        )
        lignes += [
            (eid, ex, "t", tresorerie, centimes, None),
            (eid, ex, "t", "110", -centimes, None),
        ]
    sans_piece = {n // 3, n // 2, 2 * n // 3}  # gaps in the pièce sequence
    piece = 0
    for i in range(n):
        eid += 1
        piece += 1
        if piece in sans_piece:
            piece += 1
        date = (EXERCICE.debut + dt.timedelta(days=i * jours // n)).isoformat()
        sens, tresorerie, comptes, mode, libelle = MODELES[rng.randrange(len(MODELES))]
        if i in (n // 5, n // 4, 3 * n // 4):
            sens, tresorerie, comptes, mode = "depense", "512", ["6226"], "cheque"
            libelle = "Salaire animateur" if i != n // 5 else "Intervention musique"
        if i % 200_000 == 7:
            comptes = ["471"]  # still to classify
        if i % 50_000 == 11:  # an exceptional product or charge now and then, near zero
            sens, tresorerie, mode = ("recette", "53", "especes")
            comptes, libelle = ["771"], "Excédent de caisse"
        if i % 50_000 == 12:
            sens, tresorerie, mode = ("depense", "53", "especes")
            comptes, libelle = ["671"], "Manque en caisse"
        montant = rng.randrange(500, 40_000)
        num = None
        if mode == "cheque" and sens == "depense":
            cheque += 1
            num = str(cheque if i != n // 5 else cheque - 10)  # one out of sequence
        pc = str(piece if i != n // 10 else piece - 1)  # one duplicate pièce
        contrepartie = comptes[0] if sens == "virement" else None
        ecritures.append(
            (
                eid,
                ex,
                date,
                sens,
                pc,
                int(pc),
                libelle,
                mode,
                num,
                tresorerie,
                contrepartie,
                montant,
                saisie,
            )
        )
        if sens == "virement":
            lignes += [
                (eid, ex, "t", contrepartie, montant, None),
                (eid, ex, "t", tresorerie, -montant, None),
            ]
        else:
            signe = 1 if sens == "depense" else -1
            reste = montant
            for k, compte in enumerate(comptes):
                part = reste if k == len(comptes) - 1 else reste // 2
                reste -= part
                lignes.append((eid, ex, "v", compte, signe * part, CLASSES[rng.randrange(9)]))
            lignes.append((eid, ex, "t", tresorerie, -signe * montant, None))
        if len(ecritures) >= LOT:
            vider()
    vider()
    conn.execute("COMMIT")
    ledger.close()
    tmp.replace(path)


def chronometrer(commande: list[str], runs: int) -> tuple[float, float, int]:
    """Median wall time and median CPU time (user + sys) of the command, and its exit code."""
    subprocess.run(commande, capture_output=True)  # warm-up (and pending migrations)
    durees, cpus = [], []
    code = 0
    for _ in range(runs):
        avant = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        code = subprocess.run(commande, capture_output=True).returncode
        durees.append(time.perf_counter() - t0)
        apres = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(apres.ru_utime - avant.ru_utime + apres.ru_stime - avant.ru_stime)
    return statistics.median(durees), statistics.median(cpus), code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ecritures", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    coop = shutil.which("coop")
    if coop is None:
        print("coop introuvable : installez le projet (pip install -e .)", file=sys.stderr)
        return 2
    OUT.mkdir(exist_ok=True)
    db = OUT / f"bilan-{args.ecritures}.db"
    if args.rebuild or not db.exists():
        t0 = time.perf_counter()
        construire(db, args.ecritures)
        print(f"construit {db} en {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    import sqlite3

    with sqlite3.connect(db) as conn:
        nb_e = conn.execute("SELECT count(*) FROM ecritures").fetchone()[0]
        nb_l = conn.execute("SELECT count(*) FROM lignes").fetchone()[0]
    print(f"{db.name} : {nb_e} écritures, {nb_l} lignes")
    ok = True
    for nom, commande in (
        ("coop bilan --format json", [coop, "bilan", "--db", str(db), "--format", "json"]),
        ("coop verifier", [coop, "verifier", "--db", str(db)]),
    ):
        med, cpu, code = chronometrer(commande, args.runs)
        verdict = "OK" if med < CIBLE_S else "TROP LENT"
        ok &= med < CIBLE_S
        print(
            f"{nom} : médiane {med:.2f} s (CPU {cpu:.2f} s) sur {args.runs}"
            f" (code de sortie {code}) — cible < {CIBLE_S} s : {verdict}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
