"""Benchmark: how well `coop import` categorises a school year it learned from the year before.

Builds two consecutive school years (2024-2025, 2025-2026) of one cooperative's bank lines
with their true accounts — about 140 lines a year: bank fees, bookshop, craft and food
shops, a marketplace, coach trips, cinema, subscriptions, the OCCE direct debit split
between cotisation and assurance, cheques written (régie advances, photographer,
speakers…), deposit slips for several purposes, cash deposits and withdrawals,
AssoConnect payouts, subsidies and gifts. Between the years the bank changes its wording
(`CB ACTION 1234 CESSON 03/11` -> `CARTE X4127 ACTION 2187 RENNES`), store numbers and towns
change, new merchants appear, amounts vary.

The first year is recorded as the treasurer would have left it (`coop saisie --fichier`),
the exercice closed (`coop nouvel-exercice --forcer`), then the second year's bank CSV is
read by `coop import --dry-run --format json`. Printed:

- coverage: share of the lines the import gives an account other than 471 by itself;
- precision: share of those accounts that are right;
- top-1: share of all lines whose first suggestion is the right account;
- the same top-1 for a token nearest-neighbour baseline on the same data (the main
  account of the past line sharing the most words, Jaccard, same sign).

Targets: precision ≥ 97 %, coverage ≥ 45 %, top-1 ≥ 75 %.

Run: python benchmarks/bench_categorisation.py [--graine 7] [--graines 10] [--garder] [-v]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Parts = tuple[tuple[str, int], ...]  # (account, centimes); a virement: (("=>", 0), (other, 0))


@dataclass
class Ligne:
    date: dt.date
    libelle: str
    centimes: int  # signed: < 0 debit
    parts: Parts = ()
    virement: str | None = None  # the other treasury account
    cheque: str | None = None

    @property
    def verite(self) -> str:
        if self.virement:
            return self.virement
        return max(self.parts, key=lambda p: p[1])[0]


def _jour(r: random.Random, annee: int, mois: int) -> dt.date:
    a = annee if mois >= 9 else annee + 1
    return dt.date(a, mois, r.randint(1, 28))


def _c(r: random.Random, bas: float, haut: float) -> int:
    return int(r.uniform(bas, haut) * 100)


def generer(r: random.Random, an: int, y: int) -> list[Ligne]:
    """One school year starting in September of `an`; y=0 first year, 1 the next (new wording)."""
    L: list[Ligne] = []
    mois_scolaires = [9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7]
    ddmm = lambda d: f"{d:%d/%m}"  # noqa: E731
    carte = "CB" if y == 0 else "CARTE X4127"

    def dep(d: dt.date, lib: str, c: int, compte: str) -> None:
        L.append(Ligne(d, lib, -c, ((compte, c),)))

    def rec(d: dt.date, lib: str, c: int, compte: str) -> None:
        L.append(Ligne(d, lib, c, ((compte, c),)))

    # Bank fees every month, same amount.
    for m in [9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8]:
        d = _jour(r, an, m)
        lib = "FRAIS TENUE DE COMPTE" if y == 0 else "FRAIS TENUE DE COMPTE ASSOCIATION"
        dep(d, lib, 350 + 20 * y, "627")
    # A children's magazine every month (the same subscription).
    for m in mois_scolaires[:10]:
        lib = "PRLV SEPA BAYARD PRESSE" if y == 0 else "PRLV SEPA BAYARD PRESSE ABONNEMENT"
        dep(_jour(r, an, m), lib, 890 + 40 * y, "6183")
    # Bookshop.
    for _ in range(8):
        d = _jour(r, an, r.choice(mois_scolaires))
        lib = (
            f"CB LIBRAIRIE LE FAILLER {ddmm(d)}"
            if y == 0
            else f"{carte} LIBRAIRIE LE FAILLER RENNES {ddmm(d)}"
        )
        dep(d, lib, _c(r, 12, 95), "6183")
    # Craft supplies at a discount store: new wording, other store, other town.
    for _ in range(6):
        d = _jour(r, an, r.choice(mois_scolaires))
        lib = (
            f"CB ACTION 1234 CESSON {ddmm(d)}"
            if y == 0
            else f"{carte} ACTION 2187 RENNES {ddmm(d)}"
        )
        dep(d, lib, _c(r, 8, 45), "6068")
    # A supermarket: craft supplies or snacks for a party (ambiguous).
    for _ in range(10):
        d = _jour(r, an, r.choice(mois_scolaires))
        compte = "6068" if r.random() < 0.6 else "6257"
        lib = f"CB CARREFOUR MARKET {ddmm(d)}" if y == 0 else f"{carte} CARREFOUR MARKET CESSON"
        dep(d, lib, _c(r, 10, 80), compte)
    # A marketplace: anything.
    for _ in range(4):
        d = _jour(r, an, r.choice(mois_scolaires))
        compte, c = r.choice(
            [("6068", _c(r, 15, 60)), ("6183", _c(r, 10, 40)), ("68000008", _c(r, 180, 400))]
        )
        dep(
            d,
            f"CB AMAZON PAYMENTS {ddmm(d)}" if y == 0 else f"{carte} AMAZON MKTPLACE LU",
            c,
            compte,
        )
    # Office shop: small supplies the first year; a 275 € printer (durable) the second.
    for _ in range(2):
        d = _jour(r, an, r.choice(mois_scolaires))
        dep(
            d,
            f"CB BUREAU VALLEE {ddmm(d)}" if y == 0 else f"{carte} BUREAU VALLEE CESSON",
            _c(r, 9, 18),
            "6068",
        )
    if y == 1:
        dep(_jour(r, an, 3), f"{carte} BUREAU VALLEE CESSON", 27500, "68000008")
    # Coach trips and cinema.
    for m in r.sample(mois_scolaires, 4):
        lib = (
            "VIR SEPA EMIS /A AUTOCARS BREIZH /MOTIF FACT " + str(r.randint(100, 999))
            if y == 0
            else "VIR SEPA EMIS /A SARL AUTOCARS BREIZH /MOTIF FACTURE "
            + str(r.randint(1000, 9999))
        )
        dep(_jour(r, an, m), lib, _c(r, 250, 620), "6241")
    for m in r.sample(mois_scolaires, 3):
        d = _jour(r, an, m)
        lib = f"CB CINEMA LE SEPT {ddmm(d)}" if y == 0 else f"{carte} CINEMA LE SEPT CESSON SEVIGNE"
        dep(d, lib, _c(r, 45, 130), "6251")
    # Bakery for the parties.
    for _ in range(4):
        d = _jour(r, an, r.choice(mois_scolaires))
        dep(
            d,
            f"CB BOULANGERIE MARIE {ddmm(d)}" if y == 0 else f"{carte} BOULANGERIE MARIE",
            _c(r, 15, 60),
            "6257",
        )
    # A theatre company on invoice.
    for m in r.sample(mois_scolaires, 2):
        lib = (
            "VIR SEPA EMIS /A CIE THEATRE DU PRE"
            if y == 0
            else "VIR SEPA EMIS /A COMPAGNIE THEATRE DU PRE"
        )
        dep(_jour(r, an, m), lib, _c(r, 300, 450), "6226")
    # The OCCE direct debit: cotisation + assurance, per pupil.
    eleves = r.randint(150, 200)
    cot, ass = eleves * 240, eleves * 70
    lib = (
        "PRLV SEPA OCCE 35 COTISATION" if y == 0 else "PRLV SEPA ASSOCIATION DEPARTEMENTALE OCCE35"
    )
    L.append(Ligne(_jour(r, an, 10), lib, -(cot + ass), (("62810008", cot), ("61681008", ass))))
    dep(
        _jour(r, an, 11),
        "PRLV SEPA MAE ASSURANCE" if y == 0 else "PRLV SEPA MAE ASSURANCES SCOLAIRES",
        _c(r, 60, 90),
        "61681008",
    )
    # Cheques written: a régie advance to two classes, the photographer, a speaker, a museum.
    num = 4518200 + 100 * y
    for m in (9, 9, 1):
        num += 1
        L.append(
            Ligne(
                _jour(r, an, m),
                f"CHEQUE {num}",
                -15000,
                virement=r.choice(["5411", "5412"]),
                cheque=str(num),
            )
        )
    for compte, bas, haut in [
        ("6070", 300, 900),
        ("6226", 150, 400),
        ("6251", 60, 200),
        ("6251", 60, 200),
        ("6068", 20, 90),
        ("62810008", 20, 60),
    ]:
        num += 1
        c = _c(r, bas, haut)
        L.append(
            Ligne(
                _jour(r, an, r.choice(mois_scolaires)),
                f"CHEQUE {num}",
                -c,
                ((compte, c),),
                cheque=str(num),
            )
        )
    # Deposit slips: families' contributions, photos, trips; some mixed.
    for i in range(17):
        m = [9, 9, 10, 10, 10, 11, 11, 12, 1, 2, 3, 3, 4, 5, 5, 6, 6][i]
        d = _jour(r, an, m)
        lib = (
            f"REMISE CHEQUES {r.randint(1000000, 9999999)}"
            if y == 0
            else f"REM CHQ N {r.randint(100000, 999999)} REMISE CHEQUES"
        )
        if m in (9, 10) and i < 5:
            c = _c(r, 150, 600)
            L.append(Ligne(d, lib, c, (("75620008", c),)))
        elif m in (11, 12):
            c = _c(r, 200, 700)
            L.append(Ligne(d, lib, c, (("7070", c),)))
        elif r.random() < 0.3:
            a, b = _c(r, 50, 200), _c(r, 50, 200)
            L.append(Ligne(d, lib, a + b, (("7068", a), ("7070", b))))
        else:
            c = _c(r, 100, 500)
            L.append(Ligne(d, lib, c, (("7068", c),)))
    # Subsidy, gift, kermesse takings through SumUp.
    for m in (11, 3)[: 1 + y]:
        lib = (
            "VIR SEPA RECU /DE MAIRIE DE RENNES /MOTIF SUBVENTION COOPERATIVE"
            if y == 0
            else "VIR SEPA RECU /DE MAIRIE DE RENNES /MOTIF SUBV SCOLAIRE " + str(an)
        )
        rec(_jour(r, an, m), lib, _c(r, 800, 1500), "7440")
    rec(
        _jour(r, an, 12),
        "VIR SEPA RECU /DE APE JULES FERRY /MOTIF DON"
        if y == 0
        else "VIR INST RECU /DE APE JULES FERRY",
        _c(r, 300, 800),
        "7460",
    )
    for _ in range(2):
        lib = (
            "VIR SEPA RECU /DE SUMUP PAYMENTS LIMITED"
            if y == 0
            else "VIR SEPA RECU /DE SUMUP PID 88812"
        )
        rec(_jour(r, an, 6), lib, _c(r, 200, 900), "7088")
    # Cash: deposits (kermesse, cooperative), withdrawals; AssoConnect payouts.
    for m in (10, 12, 6, 6, 3, 1):
        L.append(Ligne(_jour(r, an, m), "VERSEMENT ESPECES", _c(r, 50, 600), virement="53"))
    for m in (9, 5):
        d = _jour(r, an, m)
        lib = f"RETRAIT DAB {ddmm(d)} RENNES" if y == 0 else f"RETRAIT ESPECES DAB {ddmm(d)} CESSON"
        L.append(Ligne(d, lib, -_c(r, 40, 120), virement="53"))
    for m in (1, 2, 3, 4, 5, 6, 7, 8)[: 4 + 4 * y]:
        L.append(
            Ligne(
                _jour(r, an, m),
                "VIR SEPA RECU /DE ASSOCONNECT /MOTIF VERSEMENT",
                _c(r, 80, 500),
                virement="517",
            )
        )
    # New merchants the second year.
    if y == 1:
        for lib, compte, bas, haut in [
            ("CARTE X4127 CULTURA 0123 RENNES", "6068", 20, 80),
            ("CARTE X4127 LA GRANDE RECRE", "6068", 20, 70),
            ("VIR SEPA EMIS /A FERME PEDAGOGIQUE DU CHAMP", "6251", 150, 300),
            ("CARTE X4127 DECATHLON CESSON", "6068", 30, 90),
            ("PRLV SEPA LES PEP 35 CLASSE DECOUVERTE", "6251", 800, 1600),
        ]:
            c = _c(r, bas, haut)
            dep(_jour(r, an, r.choice(mois_scolaires)), lib, c, compte)
    L.sort(key=lambda lg: lg.date)
    return L


def _euros(c: int) -> str:
    return f"{c // 100},{c % 100:02d}"


def journal(lignes: list[Ligne]) -> str:
    """The first year as recorded: the journal CSV of `coop saisie --fichier`."""
    out = ["date;piece;libelle;sens;tresorerie;mode;cheque;total;compte;montant"]
    for i, lg in enumerate(lignes, 1):
        d = f"{lg.date:%d/%m/%Y}"
        mode = "cheque" if lg.cheque else ""
        if lg.virement:
            src, dst = ("512", lg.virement) if lg.centimes < 0 else (lg.virement, "512")
            montant = _euros(abs(lg.centimes))
            out.append(
                f"{d};{i};{lg.libelle};virement;{src};{mode};{lg.cheque or ''};;{dst};{montant}"
            )
            continue
        sens = "depense" if lg.centimes < 0 else "recette"
        for compte, c in lg.parts:
            out.append(
                f"{d};{i};{lg.libelle};{sens};512;{mode};{lg.cheque or ''};;{compte};{_euros(c)}"
            )
    return "\n".join(out) + "\n"


def releve(lignes: list[Ligne]) -> bytes:
    """The second year's bank export: Crédit Mutuel / CIC layout, cp1252."""
    out = ["Date;Date de valeur;Débit;Crédit;Libellé;Solde"]
    solde = 500000
    for lg in lignes:
        solde += lg.centimes
        d = f"{lg.date:%d/%m/%Y}"
        debit = _euros(-lg.centimes) if lg.centimes < 0 else ""
        credit = _euros(lg.centimes) if lg.centimes > 0 else ""
        out.append(f"{d};{d};{debit};{credit};{lg.libelle};{_euros(solde)}")
    return ("\r\n".join(out) + "\r\n").encode("cp1252")


_MOTS = re.compile(r"[A-Z]+")


def baseline(passe: list[Ligne], ligne: Ligne) -> str | None:
    """Token nearest neighbour: the past line (same sign) sharing the most words (Jaccard)."""
    q = set(_MOTS.findall(ligne.libelle.upper()))
    meilleur, score = None, 0.0
    for p in passe:
        if (p.centimes > 0) != (ligne.centimes > 0):
            continue
        w = set(_MOTS.findall(p.libelle.upper()))
        j = len(q & w) / len(q | w) if q | w else 0.0
        if j > score:
            meilleur, score = p.verite, j
    return meilleur


def coop(dossier: Path, *args: str) -> str:
    r = subprocess.run(
        ["coop", *args, "--db", str(dossier / "coop.db")],
        capture_output=True,
        text=True,
        cwd=dossier,
    )
    if r.returncode != 0:
        sys.exit(f"coop {' '.join(args)} : {r.stderr or r.stdout}")
    return r.stdout


def mesurer(graine: int, dossier: Path, bavard: bool) -> dict[str, float]:
    r = random.Random(graine)
    an1, an2 = generer(r, 2024, 0), generer(r, 2025, 1)
    (dossier / "annee1.csv").write_text(journal(an1), encoding="utf-8")
    (dossier / "annee2.csv").write_bytes(releve(an2))
    coop(dossier, "init", "--nom", "Coop Jules Ferry", "--exercice", "2024-2025",
         "--ouverture", "512=5000,00", "--ouverture", "53=5000,00")  # fmt: skip
    coop(dossier, "saisie", "--fichier", str(dossier / "annee1.csv"))
    coop(dossier, "nouvel-exercice", "--oui", "--forcer", "banc d'essai")
    sortie = coop(dossier, "import", str(dossier / "annee2.csv"), "--dry-run", "--format",
                  "json", "--non-interactif")  # fmt: skip
    lues = json.loads(sortie)
    assert len(lues) == len(an2), (len(lues), len(an2))
    couverts = justes = top1 = base = 0
    for lg, j in zip(an2, lues, strict=True):
        verite = lg.verite
        if j["compte"] is not None:
            couverts += 1
            justes += j["compte"] == verite
            if bavard and j["compte"] != verite:
                print(f"  FAUX {lg.libelle} {lg.centimes / 100} -> {j['compte']} (vrai {verite})")
        s = j.get("suggestions") or []
        top1 += bool(s) and s[0]["compte"] == verite
        if bavard and j["compte"] is None and s and s[0]["compte"] == verite:
            print(
                f"  non couvert {lg.libelle} {lg.centimes / 100}: {s[0]['confiance']} {j['raison']}"
            )
        if bavard and not (s and s[0]["compte"] == verite):
            premier = s[0]["compte"] if s else None
            print(f"  top1 {lg.libelle} {lg.centimes / 100}: {premier} (vrai {verite})")
        base += baseline(an1, lg) == verite
    n = len(an2)
    return {
        "lignes": n,
        "couverture": couverts / n,
        "precision": justes / couverts if couverts else 1.0,
        "top1": top1 / n,
        "base": base / n,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--graine", type=int, default=7)
    p.add_argument("--graines", type=int, default=10, help="nombre de coopératives simulées")
    p.add_argument("--garder", action="store_true")
    p.add_argument("-v", "--bavard", action="store_true")
    a = p.parse_args()
    totaux: dict[str, float] = {}
    for g in range(a.graine, a.graine + a.graines):
        dossier = Path(tempfile.mkdtemp(prefix="bench-categ-"))
        try:
            m = mesurer(g, dossier, a.bavard)
        finally:
            if not a.garder:
                shutil.rmtree(dossier)
        print(
            f"graine {g}: {m['lignes']:.0f} lignes, couverture {m['couverture']:.1%}, "
            f"précision {m['precision']:.1%}, top-1 {m['top1']:.1%} "
            f"(voisin le plus proche : {m['base']:.1%})"
        )
        for k, v in m.items():
            totaux[k] = totaux.get(k, 0.0) + v
    n = a.graines
    tot: Callable[[str], float] = lambda k: totaux[k] / n  # noqa: E731
    print(
        f"Moyenne sur {n} coopératives : couverture {tot('couverture'):.1%} (cible ≥ 45 %), "
        f"précision {tot('precision'):.1%} (cible ≥ 97 %), top-1 {tot('top1'):.1%} "
        f"(cible ≥ 75 %) ; voisin le plus proche par mots : top-1 {tot('base'):.1%}"
    )


if __name__ == "__main__":
    main()
