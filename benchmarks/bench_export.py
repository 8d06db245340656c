"""Benchmark: `coop export` of a large ledger (target: 100 000 écritures under 15 s, flat memory).

Builds ledgers of 20 000 and 100 000 écritures under benchmarks/out/ (bulk SQL
insert, reused when already there), then runs `coop export` on each in a
subprocess and reports wall time and the child's peak RSS.

Run: python benchmarks/bench_export.py [--tailles 20000 100000] [--csv] [--runs 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

CIBLE_S = 15.0
TAILLE_CIBLE = 100_000
OUT = Path(__file__).parent / "out"

# (sens, trésorerie, ventilation accounts, mode) of a realistic school year.
MODELES = [
    ("recette", "512", ["75620008"], "cheque"),
    ("recette", "512", ["7070", "75620008"], "cheque"),
    ("recette", "53", ["7088"], "especes"),
    ("recette", "517", ["7068"], "assoconnect"),
    ("recette", "512", ["7440"], "virement"),
    ("depense", "512", ["62810008", "61681008"], "cheque"),
    ("depense", "512", ["6070"], "cheque"),
    ("depense", "512", ["6251", "6241"], "virement"),
    ("depense", "53", ["6257"], "especes"),
    ("depense", "517", ["627"], "prelevement"),
    ("depense", "5411", ["6068"], "especes"),
    ("depense", "512", ["6183", "6068", "671"], "carte"),
]
LIBELLES = [
    "Participation familles",
    "Photos de classe",
    "Kermesse",
    "Sortie musée",
    "Cotisation OCCE",
    "Car piscine",
    "Goûter de Noël",
    "=1+1 libellé piégé",
]


def _ecritures(n: int, graine: int = 2025) -> list:
    from coopcompta.domain.model import Ecriture, Exercice, Ligne, Sens

    exercice = Exercice.depuis_nom("2025-2026")
    rnd = random.Random(graine)
    cheques = iter(range(1_000_001, 2_000_000))  # one chéquier after the other, in order
    jours = (exercice.fin - exercice.debut).days
    dates = sorted(exercice.debut + dt.timedelta(days=rnd.randrange(jours + 1)) for _ in range(n))
    out = []
    for i, date in enumerate(dates, 1):
        if i % 25 == 0:
            src, dst = rnd.choice([("53", "512"), ("517", "512"), ("512", "5411")])
            montant = Decimal(rnd.randrange(1000, 30000)) / 100
            out.append(
                Ecriture(
                    date,
                    Sens.VIREMENT,
                    "Virement interne",
                    montant,
                    src,
                    contrepartie=dst,
                    piece=str(i),
                    exercice=exercice.nom,
                )
            )
            continue
        sens, tres, comptes, mode = rnd.choice(MODELES)
        parts = [Decimal(rnd.randrange(100, 20000)) / 100 for _ in comptes]
        lignes = tuple(
            Ligne(c, m, rnd.choice([None, "CP", "CE1"]))
            for c, m in zip(comptes, parts, strict=True)
        )
        out.append(
            Ecriture(
                date,
                Sens(sens),
                f"{rnd.choice(LIBELLES)} {i}",
                sum(parts),
                tres,
                lignes,
                piece=str(i),
                mode=mode,
                cheque=str(next(cheques)) if mode == "cheque" and sens == "depense" else None,
                exercice=exercice.nom,
            )
        )
    return out


def construire(n: int) -> Path:
    """A ledger of `n` écritures (plus two opening entries), built once and reused."""
    from coopcompta.domain.model import Exercice
    from coopcompta.domain.money import en_centimes
    from coopcompta.storage import creer, ouvrir

    path = OUT / f"export_{n}.db"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    infos = {
        "nom": "Coopérative du benchmark",
        "ecole": "École",
        "numero_occe": "000",
        "mandataire": "Bench",
    }
    creer(
        tmp,
        infos,
        Exercice.depuis_nom("2025-2026"),
        {"512": Decimal("1500.00"), "53": Decimal("80.00")},
    ).close()
    conn = sqlite3.connect(tmp)
    ecr, lig = [], []
    next_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM ecritures").fetchone()[0]
    for eid, e in enumerate(_ecritures(n), next_id):
        ecr.append(
            (
                eid,
                e.exercice,
                e.date.isoformat(),
                e.sens.value,
                e.piece,
                int(e.piece),
                e.libelle,
                e.mode,
                e.cheque,
                e.tresorerie,
                e.contrepartie,
                en_centimes(e.montant),
                "2025-09-01T00:00:00",
            )
        )
        n_vent = len(e.ventilation)
        for k, (compte, montant, classe) in enumerate(e.lignes_comptables()):
            lig.append(
                (eid, e.exercice, "v" if k < n_vent else "t", compte, en_centimes(montant), classe)
            )
    with conn:
        conn.executemany(
            "INSERT INTO ecritures(id, exercice, date, sens, piece, piece_num, libelle, mode,"
            " cheque, tresorerie, contrepartie, montant, saisie_le)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            ecr,
        )
        conn.executemany(
            "INSERT INTO lignes(ecriture_id, exercice, role, compte, montant, classe)"
            " VALUES (?,?,?,?,?,?)",
            lig,
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    tmp.rename(path)
    ouvrir(path).close()  # pending migrations (indexes) are applied now, not while timed
    return path


def mesurer(coop: str, db: Path, sortie: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one `coop export` child process."""
    sortie.unlink(missing_ok=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [coop, "export", str(sortie), "--db", str(db)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    duree = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(
            f"coop export a échoué : {proc.stderr.read().decode() if proc.stderr else ''}"
        )
    cpu = usage.ru_utime + usage.ru_stime
    return duree, cpu, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tailles", type=int, nargs="+", default=[20_000, TAILLE_CIBLE])
    parser.add_argument("--csv", action="store_true", help="Mesurer aussi l'export CSV.")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--construire", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.construire:
        construire(args.construire)
        return 0
    coop = shutil.which("coop")
    if coop is None:
        print("coop introuvable : installez le projet (pip install -e .)", file=sys.stderr)
        return 2
    try:
        import lxml  # noqa: F401

        moteur = "lxml"
    except ImportError:
        moteur = "xml.etree (sans lxml)"
    print(f"Écriture XML d'openpyxl : {moteur}")
    import resource

    propre = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(pic mémoire de ce script, plancher des mesures : {propre:.1f} Mio)")
    env = dict(os.environ)
    ok = True
    for n in args.tailles:
        t0 = time.perf_counter()
        # Built in a child: a child's peak RSS counts its parent's memory at fork time.
        subprocess.run([sys.executable, __file__, "--construire", str(n)], check=True)
        db = OUT / f"export_{n}.db"
        print(f"{n:>7} écritures : comptabilité prête en {time.perf_counter() - t0:.1f} s ({db})")
        for ext in (".xlsx", ".csv") if args.csv else (".xlsx",):
            mesures = [mesurer(coop, db, OUT / f"export_{n}{ext}", env) for _ in range(args.runs)]
            duree = min(m[0] for m in mesures)
            cpu = min(m[1] for m in mesures)
            rss = max(m[2] for m in mesures)
            taille = (OUT / f"export_{n}{ext}").stat().st_size / 2**20
            verdict = ""
            if n == TAILLE_CIBLE and ext == ".xlsx":
                verdict = " — cible < 15 s : " + ("OK" if duree < CIBLE_S else "TROP LENT")
                ok = ok and duree < CIBLE_S
            print(
                f"{n:>7} écritures → {ext:5} : {duree:6.2f} s (CPU {cpu:5.2f} s),"
                f" pic mémoire {rss:6.1f} Mio, fichier {taille:.1f} Mio{verdict}"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
