"""SQL for `coop verifier`: the facts its checks need, and journal CSVs in memory.

Every query reads one exercice through an index: per-écriture balances and
per-account totals from covering indexes on `lignes`, pièces from
(exercice, piece), cheques from a partial index of cheques written, libellés of
dépenses from a partial index. Lists of écritures are fetched only for what a
check reports. The indexes are created with the schema (`storage.INDEX`).
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import heapq
import itertools
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from coopcompta.domain.checks import (
    analyser_cheques,
    comptes_de_caisse,
    fragments_interdits,
    motif_interdit,
)
from coopcompta.domain.comptes import COMPTE_ATTENTE
from coopcompta.domain.errors import LedgerInutilisable
from coopcompta.domain.faits import (
    CaisseNegative,
    Constats,
    Desequilibre,
    Doublon,
    Ref,
    RuptureCheque,
    Saut,
    Trou,
)
from coopcompta.domain.model import Exercice, Nature, Sens
from coopcompta.domain.money import depuis_centimes, en_centimes
from coopcompta.storage import Ledger, migrations

if TYPE_CHECKING:
    from coopcompta.domain.plan_comptable import PlanComptable
    from coopcompta.domain.reports import Bilan


INDEX_CHEQUES = "idx_verif_cheques"
INDEX_LIBELLES = "idx_verif_libelles_depenses"
INDEX_NUMEROS = "idx_verif_numeros_pieces"
INDEX_LIGNES = "idx_lignes_ecriture"
# Cheques the coop wrote: dépenses and virements (a régie advanced by cheque), not the
# families' cheques it received; a contre-passation repeats no cheque.
CHEQUES_EMIS = "cheque IS NOT NULL AND sens <> 'recette' AND annule IS NULL"
BLOC = 4096  # pièce rows per step when looking for gaps
TROUS_MAX = 200  # gaps kept; the message lists a few and the real counts
SAUTS_MAX = 10  # jumps kept, each one an anomaly
# A jump of more numbers than a school year has pièces (a coop writes a few hundred):
# another numbering (2025001…) or a typo, reported as one jump, not as missing numbers.
SAUT_PIECES = 1000
REFS_MAX = 200  # écritures named per anomaly; the message gives the real count
DOUBLONS_MAX = 50  # pièces used twice named one by one; the others are counted


# -- écritures as anomalies name them -------------------------------------------------


def _ref(row: Sequence[Any]) -> Ref:
    return Ref(row[0], row[1], dt.date.fromisoformat(row[2]), row[3])


def refs(ledger: Ledger, ids: Iterable[int]) -> dict[int, Ref]:
    """Pièce, date and libellé of these écritures, by id."""
    out: dict[int, Ref] = {}
    ids = list(dict.fromkeys(ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in ledger.conn.execute(
            f"SELECT id, piece, date, libelle FROM ecritures WHERE id IN ({marks})", chunk
        ):
            out[row[0]] = _ref(row)
    return out


def _non_annulees(ledger: Ledger, ids: list[int]) -> list[int]:
    """Drop contre-passations and the écritures they cancel (a correction nets to zero)."""
    if not ids:
        return ids
    annulees: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        annulees.update(
            r[0]
            for r in ledger.conn.execute(
                f"SELECT annule FROM ecritures WHERE annule IS NOT NULL AND annule IN ({marks})",
                chunk,
            )
        )
        annulees.update(
            r[0]
            for r in ledger.conn.execute(
                f"SELECT id FROM ecritures WHERE id IN ({marks}) AND annule IS NOT NULL", chunk
            )
        )
    return [i for i in ids if i not in annulees]


def _par_date(refs: Iterable[Ref]) -> list[Ref]:
    return sorted(refs, key=lambda r: (r.date or dt.date.min, r.id or 0))


# -- the facts ------------------------------------------------------------------------


def ecritures_desequilibrees(ledger: Ledger, exercice: str) -> tuple[list[Desequilibre], int]:
    """Écritures whose double-entry lines do not sum to zero (a ledger edited outside coop):
    the first REFS_MAX by id, and how many there are."""
    # The (ecriture_id, exercice, montant) index read whole, already grouped: the planner
    # would rather filter on the exercice by another index, then sort millions of lines.
    rows = ledger.conn.execute(
        f"SELECT ecriture_id, sum(montant) FROM lignes INDEXED BY {INDEX_LIGNES}"
        " WHERE exercice = ? GROUP BY ecriture_id HAVING sum(montant) <> 0",
        [exercice],
    )
    premieres, total = [], 0
    for r in rows:
        total += 1
        if total <= REFS_MAX:
            premieres.append(r)
    noms = refs(ledger, (r[0] for r in premieres))
    return [
        Desequilibre(noms.get(r[0], Ref(r[0], None)), ecart=depuis_centimes(r[1]))
        for r in premieres
    ], total


def hors_exercice(ledger: Ledger, exercice: Exercice) -> tuple[list[Ref], int]:
    """Écritures dated outside the exercice: the first REFS_MAX in date order, and how many."""

    def hors(colonnes: str) -> str:
        return (
            f"SELECT {colonnes} FROM ecritures WHERE exercice = ?1 AND date < ?2 UNION ALL"
            f" SELECT {colonnes} FROM ecritures WHERE exercice = ?1 AND date > ?3"
        )

    params = [exercice.nom, exercice.debut.isoformat(), exercice.fin.isoformat()]
    (total,) = ledger.conn.execute(f"SELECT count(*) FROM ({hors('id')})", params).fetchone()
    if not total:
        return [], 0
    rows = ledger.conn.execute(
        f"{hors('id, piece, date, libelle')} ORDER BY 3, 1 LIMIT {REFS_MAX}", params
    )
    return [_ref(r) for r in rows], total


def sur_comptes(
    ledger: Ledger, exercice: str, comptes: Iterable[str], limite: int | None = None
) -> dict[str, tuple[list[Ref], int]]:
    """Écritures with a line on each account, corrections left out: the first `limite`
    (default REFS_MAX) in date order, and how many there are."""
    limite = REFS_MAX if limite is None else limite
    out: dict[str, tuple[list[Ref], int]] = {}
    for compte in comptes:
        # No DISTINCT in SQL: it would tempt the planner into the per-écriture index.
        ids = list(
            dict.fromkeys(
                r[0]
                for r in ledger.conn.execute(
                    "SELECT ecriture_id FROM lignes WHERE exercice = ? AND compte = ?",
                    [exercice, compte],
                )
            )
        )
        if len(ids) > 4 * limite:
            # Many écritures (a misused account): name the first ones, count the lines.
            trouvees = _par_date(refs(ledger, _non_annulees(ledger, ids[: 2 * limite])).values())
            out[compte] = (trouvees[:limite], len(ids))
            continue
        trouvees = _par_date(refs(ledger, _non_annulees(ledger, ids)).values())
        out[compte] = (trouvees[:limite], len(trouvees))
    return out


def sans_piece(ledger: Ledger, exercice: str) -> tuple[list[Ref], int]:
    """Écritures without a pièce (the report à nouveau needs none): the first REFS_MAX in
    date order, and how many there are."""
    sans = (
        f"FROM ecritures WHERE exercice = ? AND piece IS NULL AND sens <> '{Sens.OUVERTURE.value}'"
    )
    (total,) = ledger.conn.execute(f"SELECT count(*) {sans}", [exercice]).fetchone()
    if not total:
        return [], 0
    rows = ledger.conn.execute(
        f"SELECT id, piece, date, libelle {sans} ORDER BY date, id LIMIT {REFS_MAX}", [exercice]
    )
    return [_ref(r) for r in rows], total


def pieces_en_double(ledger: Ledger, exercice: str) -> tuple[list[Doublon], list[tuple[str, int]]]:
    """Pièces used by several écritures: the first DOUBLONS_MAX with their first REFS_MAX
    écritures in date order, and every such pièce with its count (for the gaps and the real
    total). One streaming pass over (exercice, piece), then one query for the écritures of
    the pièces named."""
    comptes = [
        (str(r[0]), int(r[1]))
        for r in ledger.conn.execute(
            "SELECT piece, count(*) FROM ecritures WHERE exercice = ? AND piece IS NOT NULL"
            " GROUP BY piece HAVING count(*) > 1",
            [exercice],
        )
    ]
    nommees = [p for p, _ in comptes[:DOUBLONS_MAX]]
    par_piece: dict[str, list[Ref]] = {p: [] for p in nommees}
    if nommees:
        marks = ",".join("?" * len(nommees))
        for r in ledger.conn.execute(
            "SELECT id, piece, date, libelle FROM (SELECT id, piece, date, libelle,"
            " row_number() OVER (PARTITION BY piece ORDER BY date, id) AS rang"
            f" FROM ecritures WHERE exercice = ? AND piece IN ({marks})) WHERE rang <= ?"
            " ORDER BY piece, rang",
            [exercice, *nommees, REFS_MAX],
        ):
            par_piece[r[1]].append(_ref(r))
    nombres = dict(comptes[:DOUBLONS_MAX])
    return [
        Doublon(p, tuple(refs), nombres[p] if nombres[p] > len(refs) else None)
        for p, refs in par_piece.items()
    ], comptes


_SERIE = re.compile(r"([A-Za-z]*)\d")


def series_de_pieces(ledger: Ledger, exercice: str, limite: int = 200) -> list[str]:
    """Prefixes of the numbered pièces (`` for 1, 2…, `R`, `D`…), by index seeks only.

    Pièces sort as text, so `D1`…`D999` sit together between `D0` and `D:`: one
    seek finds a series, the next jumps past it. Free-form pièces are stepped over.
    """
    series: list[str] = []
    borne = ""
    for _ in range(limite):
        row = ledger.conn.execute(
            "SELECT piece FROM ecritures WHERE exercice = ? AND piece > ? ORDER BY piece LIMIT 1",
            [exercice, borne],
        ).fetchone()
        if row is None:
            break
        piece = row[0]
        m = _SERIE.match(piece)
        if m is None:
            borne = piece
            continue
        series.append(m.group(1))
        borne = m.group(1) + ":"  # ":" sorts right after "9"
    return series


def _dans_serie(serie: str) -> tuple[str, list[str]]:
    """SQL condition (on the index's own columns) for the pièces `serie` + digits."""
    return (
        "piece >= ? AND piece < ? AND rtrim(piece, '0123456789') = ?",
        [serie + "0", serie + ":", serie],
    )


class _EnTrop:
    """Écritures beyond the first for each duplicated number of a series, summed over a
    range of numbers by bisection (a ledger may hold thousands of duplicates)."""

    def __init__(self, par_numero: dict[int, int]) -> None:
        self.numeros = sorted(par_numero)
        self.cumuls = list(itertools.accumulate((par_numero[n] for n in self.numeros), initial=0))

    def entre(self, debut: int, fin: int) -> int:
        i = bisect.bisect_left(self.numeros, debut)
        j = bisect.bisect_right(self.numeros, fin)
        return self.cumuls[j] - self.cumuls[i]


def _trous_de_serie(
    ledger: Ledger, exercice: str, filtre: str, params: list[str], en_trop: _EnTrop
) -> Iterator[tuple[int, int]]:
    """Missing ranges (first, last) of one series, from 1 to its highest number.

    Walks the (exercice, piece_num) index BLOC rows at a time: an OFFSET finds the
    number of the BLOC-th row, so a block of BLOC rows spanning exactly BLOC numbers
    (duplicates aside) has no gap and is never read into Python. The number of
    queries grows with the écritures, not with the numbers: 999999999 costs one
    seek. A gap between two blocks shows as the jump from one to the next.
    """
    conn = ledger.conn
    base = (
        f" FROM ecritures INDEXED BY {INDEX_NUMEROS} WHERE exercice = ? AND piece_num > ?{filtre}"
    )
    precedent = 0  # highest number seen so far
    while True:
        row = conn.execute(
            f"SELECT piece_num{base} ORDER BY piece_num LIMIT 1", [exercice, precedent, *params]
        ).fetchone()
        if row is None:
            return
        debut = row[0]
        if debut > precedent + 1:
            yield precedent + 1, debut - 1
        row = conn.execute(
            f"SELECT piece_num{base} ORDER BY piece_num LIMIT 1 OFFSET ?",
            [exercice, precedent, *params, BLOC - 1],
        ).fetchone()
        if row is None:  # the last, shorter block
            nombre, fin = conn.execute(
                f"SELECT count(*), max(piece_num){base}", [exercice, precedent, *params]
            ).fetchone()
        else:
            nombre, fin = BLOC, row[0]
        attendu = fin - debut + 1 + en_trop.entre(debut, fin)
        if nombre != attendu:
            n_avant = debut
            for (n,) in conn.execute(
                f"SELECT piece_num{base} AND piece_num <= ? ORDER BY piece_num",
                [exercice, precedent, *params, fin],
            ):
                if n > n_avant + 1:
                    yield n_avant + 1, n - 1
                n_avant = n
        precedent = fin


def _piece_de_numero(
    ledger: Ledger, exercice: str, numero: int, filtre: str, params: list[str]
) -> str:
    row = ledger.conn.execute(
        f"SELECT piece FROM ecritures INDEXED BY {INDEX_NUMEROS}"
        f" WHERE exercice = ? AND piece_num = ?{filtre} LIMIT 1",
        [exercice, numero, *params],
    ).fetchone()
    return str(row[0])


def trous_de_pieces(
    ledger: Ledger, exercice: str, doublons: Sequence[tuple[str, int]]
) -> tuple[list[Trou], list[Saut], dict[str, int]]:
    """Missing numbers in each series of numbered pièces (1 to its highest number).

    Returns the first TROUS_MAX gaps, the jumps of more than SAUT_PIECES numbers
    (another numbering or a typo, named by the pièces on each side; the first
    SAUTS_MAX), and the real counts: `trous` ranges, `pieces_manquantes` numbers,
    `sauts`. With a single series, the walk needs no filter at all.
    """
    series = series_de_pieces(ledger, exercice)
    trous: list[Trou] = []
    sauts: list[Saut] = []
    totaux = {"trous": 0, "pieces_manquantes": 0, "sauts": 0}
    # Duplicated numbers by series (`D12` -> D, 12), in one pass over the duplicates.
    par_serie: dict[str, dict[int, int]] = {}
    for piece, k in doublons:
        prefixe = piece.rstrip("0123456789")
        if prefixe != piece:
            par_numero = par_serie.setdefault(prefixe, {})
            n = int(piece[len(prefixe) :])
            par_numero[n] = par_numero.get(n, 0) + k - 1
    for serie in series:
        condition, params = _dans_serie(serie)
        en_trop = _EnTrop(par_serie.get(serie, {}))
        filtre, filtre_params = ("", []) if len(series) == 1 else (f" AND {condition}", params)
        for premier, dernier in _trous_de_serie(ledger, exercice, filtre, filtre_params, en_trop):
            manquants = dernier - premier + 1
            if manquants > SAUT_PIECES:
                totaux["sauts"] += 1
                if len(sauts) < SAUTS_MAX:
                    avant = (
                        _piece_de_numero(ledger, exercice, premier - 1, filtre, filtre_params)
                        if premier > 1
                        else None
                    )
                    apres = _piece_de_numero(ledger, exercice, dernier + 1, filtre, filtre_params)
                    sauts.append(Saut(serie, avant, apres, manquants))
                continue
            totaux["trous"] += 1
            totaux["pieces_manquantes"] += manquants
            if len(trous) < TROUS_MAX:
                trous.append(Trou(serie, premier, dernier))
    return trous, sauts, totaux


def ruptures_de_cheques(
    ledger: Ledger, exercice: str
) -> tuple[list[RuptureCheque], dict[str, int]]:
    """Cheques written out of date order, twice, or after a small gap, per treasury account:
    the first few of each genre (`analyser_cheques`), and the real counts as totaux
    `cheques:<compte>:<genre>`.

    Cheques written are those of dépenses and virements (a régie advanced by cheque);
    received cheques (recettes) come from families and follow no sequence. One pass
    over a covering index gives each cheque's id with its number, in date order.
    """
    # A cancelled écriture's cheque was never written as booked: its number comes back
    # on the corrected écriture, and is no second use.
    rows = ledger.conn.execute(
        f"SELECT tresorerie, id, CAST(cheque AS INTEGER) FROM ecritures e"
        f" INDEXED BY {INDEX_CHEQUES} WHERE exercice = ? AND {CHEQUES_EMIS}"
        " AND cheque NOT GLOB '*[^0-9]*'"
        " AND NOT EXISTS (SELECT 1 FROM ecritures c WHERE c.annule = e.id)"
        " ORDER BY tresorerie, date, cheque",
        [exercice],
    )
    trouvees: list[tuple[str, str, int, int, int, int]] = []
    totaux: dict[str, int] = {}
    for tresorerie, groupe in itertools.groupby(rows, key=lambda r: str(r[0])):
        ids, numeros = [], []
        for _, eid, numero in groupe:
            ids.append(eid)
            numeros.append(numero)
        ruptures, nombres = analyser_cheques(numeros)
        for genre, i, j in ruptures:
            trouvees.append((tresorerie, genre, ids[i], numeros[i], ids[j], numeros[j]))
        totaux.update((f"cheques:{tresorerie}:{g}", k) for g, k in nombres.items() if k)
    noms = refs(ledger, [t[2] for t in trouvees] + [t[4] for t in trouvees])
    return [
        RuptureCheque(
            tresorerie=t,
            genre=genre,
            ref=noms[eid],
            numero=num,
            precedent=noms.get(prec),
            numero_precedent=num_prec,
        )
        for t, genre, eid, num, prec, num_prec in trouvees
    ], totaux


def depenses_candidates(ledger: Ledger, exercice: str) -> tuple[list[Ref], int]:
    """Dépenses whose libellé names a forbidden expense, corrections left out: the first
    REFS_MAX in date order, and how many there are.

    The distinct libellés come from a partial index of dépenses; a coarse LIKE filter runs
    once per distinct libellé, then `checks.motif_interdit` keeps the libellés it names.
    The écritures of those libellés are counted and only the first ones kept.
    """
    fragments = fragments_interdits()
    condition = " OR ".join("libelle LIKE ?" for _ in fragments)
    libelles = [
        r[0]
        for r in ledger.conn.execute(
            "WITH l AS MATERIALIZED (SELECT DISTINCT libelle FROM ecritures"
            f" INDEXED BY {INDEX_LIBELLES} WHERE exercice = ? AND sens = 'depense')"
            f" SELECT libelle FROM l WHERE {condition}",
            [exercice, *(f"%{f}%" for f in fragments)],
        )
        if motif_interdit(r[0]) is not None
    ]
    premieres: list[tuple[str, int, Ref]] = []
    total = 0
    for start in range(0, len(libelles), 500):
        chunk = libelles[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = ledger.conn.execute(
            f"SELECT id, piece, date, libelle FROM ecritures e INDEXED BY {INDEX_LIBELLES}"
            f" WHERE exercice = ? AND sens = 'depense' AND libelle IN ({marks})"
            " AND annule IS NULL AND NOT EXISTS (SELECT 1 FROM ecritures c WHERE c.annule = e.id)",
            [exercice, *chunk],
        )
        for r in rows:
            total += 1
            premieres.append((r[2], r[0], _ref(r)))
            if len(premieres) >= 2 * REFS_MAX:  # keep the memory bounded
                premieres = heapq.nsmallest(REFS_MAX, premieres)
    return [t[2] for t in heapq.nsmallest(REFS_MAX, premieres)], total


def mouvements_par_jour(
    ledger: Ledger, exercice: str, comptes: Sequence[str]
) -> list[tuple[Any, ...]]:
    """(date, balance of each account at the end of that day) over the exercice.

    One pass over the exercice's écritures in date order (by index, no sort) sums
    each day's movements, one column per account, the report à nouveau included;
    a running SUM over those few hundred days gives the end-of-day balances.
    Netting a day's movements means the order of entries within a day raises no
    false alarm. Pass only the accounts the exercice uses: each is a column.
    """
    if not comptes:
        return []
    colonnes = ", ".join(
        f"sum(CASE WHEN tresorerie = ?{k} THEN CASE WHEN sens IN ('recette', 'ouverture')"
        f" THEN montant ELSE -montant END WHEN contrepartie = ?{k} AND sens = 'virement'"
        f" THEN montant ELSE 0 END) AS c{k}"
        for k in range(1, len(comptes) + 1)
    )
    soldes = ", ".join(f"sum(c{k}) OVER par_date" for k in range(1, len(comptes) + 1))
    n = len(comptes) + 1
    return ledger.conn.execute(
        f"WITH jour AS (SELECT date, {colonnes} FROM ecritures"
        f" WHERE exercice = ?{n} GROUP BY date)"
        f" SELECT date, {soldes} FROM jour WINDOW par_date AS (ORDER BY date) ORDER BY date",
        [*comptes, exercice],
    ).fetchall()


def caisses_negatives(
    comptes: Sequence[str], rows: Sequence[Sequence[Any]], caisses: Sequence[str]
) -> list[CaisseNegative]:
    """Cash accounts whose balance at the end of some day falls below zero, from the
    end-of-day balances of `comptes` (`mouvements_par_jour`)."""
    out = []
    for k, compte in enumerate(comptes, start=1):
        if compte not in caisses:
            continue
        negatifs = [(r[0], r[k]) for r in rows if r[k] < 0]
        if not negatifs:
            continue
        (date, solde), (date_bas, bas) = negatifs[0], min(negatifs, key=lambda x: x[1])
        out.append(
            CaisseNegative(
                compte,
                dt.date.fromisoformat(date),
                depuis_centimes(solde),
                dt.date.fromisoformat(date_bas),
                depuis_centimes(bas),
            )
        )
    return out


def montants_sans_lignes(
    ledger: Ledger,
    exercice: str,
    selon_montants: Mapping[str, int],
    soldes: Mapping[str, int],
) -> list[Desequilibre]:
    """Écritures whose announced amount differs from their lines (an `UPDATE ecritures SET
    montant = …` outside coop leaves its lines balanced, and the bilan too).

    Each treasury account's closing balance from the écritures' amounts (`selon_montants`,
    from the pass of `mouvements_par_jour`) is compared with its balance from the lines
    (`soldes`, in centimes: the bilan's); only when one differs are the écritures compared
    one by one.
    """
    if all(selon_montants.get(c, 0) == soldes.get(c, 0) for c in {*selon_montants, *soldes}):
        return []
    attendu = "CASE WHEN e.sens IN ('recette', 'ouverture') THEN e.montant ELSE -e.montant END"
    rows_ecarts = ledger.conn.execute(
        "SELECT e.id, e.montant, l.montant, e.sens FROM ecritures e LEFT JOIN lignes l"
        " ON l.ecriture_id = e.id AND l.role = 't' AND l.compte = e.tresorerie"
        f" WHERE e.exercice = ? AND (l.montant IS NULL OR l.montant <> {attendu})"
        f" ORDER BY e.date, e.id LIMIT {REFS_MAX}",
        [exercice],
    ).fetchall()
    noms = refs(ledger, (r[0] for r in rows_ecarts))
    out = []
    for eid, montant, ligne, sens in rows_ecarts:
        signe = 1 if sens in ("recette", "ouverture") else -1
        selon_lignes = signe * (ligne or 0)
        out.append(
            Desequilibre(
                noms.get(eid, Ref(eid, None)),
                ecart=depuis_centimes(montant - selon_lignes),
                total=depuis_centimes(montant),
                lignes=depuis_centimes(selon_lignes),
            )
        )
    return out


# A ledger file up to this size gets SQLite's whole `quick_check` (0.22-0.28 s measured on a
# loaded machine at 48 MiB, 100 000 écritures: decades of a school coop); a bigger one
# (1.7-3.1 s at 480 MiB, 1 000 000 écritures) has its small tables checked, and its two
# big ones are read through by the checks anyway (a damaged page there is an error).
INTEGRITE_COMPLETE_OCTETS = 64 * 1024 * 1024
TABLES_VOLUMINEUSES = ("ecritures", "lignes")


def controler_integrite(ledger: Ledger) -> list[str]:
    """SQLite's `quick_check` of the ledger file: [] when sound, else its first messages."""
    try:
        taille = ledger.path.stat().st_size
    except OSError:
        taille = 0
    if taille <= INTEGRITE_COMPLETE_OCTETS:
        messages = [r[0] for r in ledger.conn.execute("PRAGMA quick_check(20)")]
    else:
        messages = []
        tables = [
            r[0]
            for r in ledger.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if r[0] not in TABLES_VOLUMINEUSES
        ]
        for table in tables:
            messages += [r[0] for r in ledger.conn.execute(f'PRAGMA quick_check("{table}")')]
    lignes = (ligne.strip() for m in messages for ligne in m.splitlines())
    return [m for m in lignes if m and m != "ok" and not m.startswith("*** ")]


class LecturesDuFichier(NamedTuple):
    """What the checks read without needing the bilan: the file's integrity, the treasury
    accounts the exercice uses (their codes as written), each day's closing balance of
    those accounts (`mouvements_par_jour`) and the cheque sequences."""

    integrite: list[str]
    tresoreries: list[str]
    jours: list[tuple[Any, ...]]
    cheques: tuple[list[RuptureCheque], dict[str, int]]


def comptes_utilises(ledger: Ledger, exercice: str) -> list[str]:
    """The distinct accounts of the exercice's lines, by skipping through the covering index
    `idx_lignes_comptes` (one seek per account, not a pass over the lines)."""
    rows = ledger.conn.execute(
        "WITH RECURSIVE c(compte) AS ("
        " SELECT (SELECT min(compte) FROM lignes WHERE exercice = ?1)"
        " UNION ALL SELECT (SELECT min(compte) FROM lignes WHERE exercice = ?1"
        " AND compte > c.compte) FROM c WHERE c.compte IS NOT NULL)"
        " SELECT compte FROM c WHERE compte IS NOT NULL",
        [exercice],
    )
    return [r[0] for r in rows]


def lire_le_fichier(ledger: Ledger, exercice: str, plan: PlanComptable) -> LecturesDuFichier:
    from coopcompta.domain.reports import nature_du_compte

    integrite = [] if str(ledger.path) == ":memory:" else controler_integrite(ledger)
    if integrite:
        return LecturesDuFichier(integrite, [], [], ([], {}))
    tresoreries = [
        c
        for c in comptes_utilises(ledger, exercice)
        if nature_du_compte(c, plan) is Nature.TRESORERIE
    ]
    return LecturesDuFichier(
        [],
        tresoreries,
        mouvements_par_jour(ledger, exercice, tresoreries),
        ruptures_de_cheques(ledger, exercice),
    )


@contextlib.contextmanager
def lectures_en_parallele(
    ledger: Ledger, exercice: str, plan: PlanComptable
) -> Iterator[Callable[[], LecturesDuFichier]]:
    """Start `lire_le_fichier` on a second, read-only connection in another thread, and
    yield the function that waits for its result. SQLite releases the GIL while it steps,
    so on two cores these passes overlap whatever the caller reads meanwhile (the bilan,
    the other checks). A ledger in memory is read in the calling thread, when asked."""
    lecteur = _lecteur(ledger)
    if lecteur is None:
        yield lambda: lire_le_fichier(ledger, exercice, plan)
        return
    with lecteur, ThreadPoolExecutor(max_workers=1) as pool:
        yield pool.submit(lire_le_fichier, lecteur, exercice, plan).result


def _lecteur(ledger: Ledger) -> Ledger | None:
    """A second, read-only connection to the same ledger file (None for one in memory)."""
    if str(ledger.path) == ":memory:":
        return None
    from coopcompta.storage import uri_ledger

    conn = sqlite3.connect(
        uri_ledger(ledger.path, "ro"), uri=True, timeout=30, check_same_thread=False
    )
    return Ledger(ledger.path, conn)


def constater(
    ledger: Ledger,
    bilan: Bilan,
    plan: PlanComptable,
    lectures: Callable[[], LecturesDuFichier] | None = None,
) -> Constats:
    """Gather every fact the checks need for the bilan's exercice.

    The per-écriture balance is searched only when the exercice's lines do not sum
    to zero (the bilan's équilibre, free from the account totals): coopcompta writes
    only balanced écritures, so an unbalanced one comes from an outside edit, and it
    shows in the total (unless two edits cancel out exactly). This saves a pass over
    every line of the exercice.

    `lectures` is the result of `lectures_en_parallele`, started before the bilan was
    read; without it they start here, beside this thread's own queries.
    """
    ex = bilan.exercice
    if lectures is None:
        with lectures_en_parallele(ledger, ex.nom, plan) as attendre:
            return constater(ledger, bilan, plan, attendre)
    constats = _constater_ici(ledger, bilan, ex)
    lu = lectures()
    if lu.integrite:
        raise LedgerInutilisable(
            "fichier endommagé (contrôle d'intégrité SQLite : " + "; ".join(lu.integrite[:3]) + ")"
            " : reprenez la dernière copie de sauvegarde de la comptabilité",
            str(ledger.path),
        )
    cheques, totaux = lu.cheques
    caisses = comptes_de_caisse(plan)
    negatives = caisses_negatives(lu.tresoreries, lu.jours, caisses)
    # Closing balances from the écritures' amounts, per chart account like the bilan's.
    selon_montants: dict[str, int] = {}
    dernier = lu.jours[-1] if lu.jours else None
    for k, code in enumerate(lu.tresoreries, start=1):
        compte = plan.trouver(code)
        numero = compte.numero if compte is not None else code
        selon_montants[numero] = selon_montants.get(numero, 0) + (dernier[k] if dernier else 0)
    soldes = {t.numero: en_centimes(t.montant) for t in bilan.simplifie.tresorerie}
    montants = montants_sans_lignes(ledger, ex.nom, selon_montants, soldes)
    deja = {d.ref.id for d in constats.desequilibres}
    montants = [d for d in montants if d.ref.id not in deja]
    return replace(
        constats,
        cheques=tuple(cheques),
        caisses_negatives=tuple(negatives),
        desequilibres=constats.desequilibres + tuple(montants),
        totaux={
            **constats.totaux,
            **totaux,
            "desequilibres": constats.total("desequilibres", constats.desequilibres)
            + len(montants),
        },
    )


def _constater_ici(ledger: Ledger, bilan: Bilan, ex: Exercice) -> Constats:
    desequilibres, nb_desequilibres = (
        ([], 0) if bilan.simplifie.equilibre else ecritures_desequilibrees(ledger, ex.nom)
    )
    dates, nb_dates = hors_exercice(ledger, ex)
    sans, nb_sans = sans_piece(ledger, ex.nom)
    interdites, nb_interdites = depenses_candidates(ledger, ex.nom)
    doublons, doubles = pieces_en_double(ledger, ex.nom)
    trous, sauts, totaux_pieces = trous_de_pieces(ledger, ex.nom, doubles)
    comptes = [COMPTE_ATTENTE, *bilan.hors_plan]
    exceptionnels = [] if bilan.exceptionnel.ok else [c.numero for c in bilan.exceptionnel.comptes]
    sur = sur_comptes(ledger, ex.nom, comptes + exceptionnels)
    totaux = {
        "attente": sur[COMPTE_ATTENTE][1],
        "doublons": len(doubles),
        "desequilibres": nb_desequilibres,
        "hors_exercice": nb_dates,
        "sans_piece": nb_sans,
        "depenses_interdites": nb_interdites,
        **totaux_pieces,
    }
    totaux.update((f"hors_plan:{c}", sur[c][1]) for c in bilan.hors_plan)
    exceptionnelles: dict[int, Ref] = {}
    for c in exceptionnels:
        exceptionnelles.update((r.id, r) for r in sur[c][0] if r.id is not None)
    totaux["exceptionnelles"] = sum(sur[c][1] for c in exceptionnels)
    return Constats(
        exercice=ex,
        desequilibres=tuple(desequilibres),
        hors_exercice=tuple(dates),
        attente=tuple(sur[COMPTE_ATTENTE][0]),
        sans_piece=tuple(sans),
        trous=tuple(trous),
        sauts=tuple(sauts),
        doublons=tuple(doublons),
        cheques=(),
        depenses_candidates=tuple(interdites),
        hors_plan={c: tuple(sur[c][0]) for c in bilan.hors_plan},
        exceptionnelles=tuple(_par_date(exceptionnelles.values())[:REFS_MAX]),
        caisses_negatives=(),
        totaux=totaux,
    )


# -- a journal CSV, loaded as written into a throw-away ledger ------------------------------


# An empty ledger, migrated once per process (by pid: SQLite connections do not cross fork).
_SCHEMA_VIDE: dict[int, sqlite3.Connection] = {}


def ledger_en_memoire(exercice: Exercice, infos: dict[str, str] | None = None) -> Ledger:
    """A ledger in memory with the full schema and one exercice (for checking a CSV).

    The schema is migrated once per process, then copied page by page (SQLite's backup):
    `coop verifier` on a thousand journals does not run the migrations a thousand times.
    """
    modele = _SCHEMA_VIDE.get(os.getpid())
    if modele is None:
        modele = sqlite3.connect(":memory:", check_same_thread=False)
        migrations.apply(modele)
        _SCHEMA_VIDE[os.getpid()] = modele
    conn = sqlite3.connect(":memory:")
    modele.backup(conn)
    conn.execute("PRAGMA foreign_keys = ON")
    ledger = Ledger(Path(":memory:"), conn)
    with ledger.transaction():
        for cle, valeur in (infos or {}).items():
            ledger.ecrire_meta(cle, valeur)
        ledger.ajouter_exercice(exercice)
    return ledger


@contextlib.contextmanager
def index_differes(ledger: Ledger) -> Iterator[None]:
    """Load a throw-away ledger without its indexes, then build each once: sorting rows
    into an index at the end costs less than keeping fifteen indexes up to date row by row.
    Use inside the loading transaction (a failure rolls the DROPs back too)."""
    from coopcompta.storage import INDEX

    for sql in INDEX:
        nom = re.match(r"CREATE (?:UNIQUE )?INDEX (\w+)", sql)
        assert nom is not None, sql
        ledger.conn.execute(f"DROP INDEX {nom.group(1)}")
    yield
    for sql in INDEX:
        ledger.conn.execute(sql)


def comptes_des_ecritures(ledger: Ledger, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """The accounts of each écriture (ventilation, then treasury), for placing anomalies."""
    comptes: dict[int, list[str]] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for eid, compte in ledger.conn.execute(
            f"SELECT ecriture_id, compte FROM lignes WHERE ecriture_id IN ({marks}) ORDER BY id",
            chunk,
        ):
            deja = comptes.setdefault(eid, [])
            if compte not in deja:
                deja.append(compte)
    return {eid: tuple(c) for eid, c in comptes.items()}
