"""SQL for `coop verifier`: its indexes, the facts its checks need, and journal CSVs in memory.

Every query reads one exercice through an index: per-écriture balances and
per-account totals from covering indexes on `lignes`, pièces from
(exercice, piece), cheques from a partial index of cheques written, libellés of
dépenses from a partial index. Lists of écritures are fetched only for what a
check reports.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from ..checks import (
    Constats,
    Desequilibre,
    Doublon,
    Ref,
    RuptureCheque,
    Trou,
    analyser_cheques,
    analyser_numeros,
    fragments_interdits,
)
from ..errors import DonneesInutilisables
from ..model import COMPTE_ATTENTE, Exercice, Sens
from ..money import from_centimes
from . import Ledger, migrations

if TYPE_CHECKING:
    from ..journal_csv import LigneJournal
    from ..plan_comptable import PlanComptable
    from ..reports import Bilan


@migrations()
def m_verifications_001_index(db: Database) -> None:
    # Balance of each écriture of one exercice, from the index alone.
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_lignes_ex_ecriture"
        " ON lignes(exercice, ecriture_id, montant)"
    )
    # Totals by class or project tag: only tagged lines are indexed.
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_lignes_classe ON lignes(exercice, classe, compte, montant)"
        " WHERE classe IS NOT NULL"
    )
    # Cheques written (dépenses, and virements such as a régie advanced by cheque), in date
    # order per treasury account.
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_ecritures_cheques"
        " ON ecritures(exercice, tresorerie, date, id, cheque)"
        " WHERE cheque IS NOT NULL AND sens <> 'recette' AND annule IS NULL"
    )
    # Libellés of dépenses (forbidden expenses), read as distinct values.
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_ecritures_libelle_depenses ON ecritures(exercice, libelle)"
        " WHERE sens = 'depense'"
    )
    # Contre-passations by the écriture they cancel (tiny: corrections only).
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_ecritures_annule ON ecritures(annule)"
        " WHERE annule IS NOT NULL"
    )


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
    annulees = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        annulees.update(
            r[0]
            for r in ledger.conn.execute(
                f"SELECT annule FROM ecritures WHERE annule IN ({marks})", chunk
            )
        )
        annulees.update(
            r[0]
            for r in ledger.conn.execute(
                f"SELECT id FROM ecritures WHERE id IN ({marks}) AND annule IS NOT NULL", chunk
            )
        )
    return [i for i in ids if i not in annulees]


# -- the facts ------------------------------------------------------------------------


def ecritures_desequilibrees(ledger: Ledger, exercice: str) -> list[Desequilibre]:
    """Écritures whose double-entry lines do not sum to zero (a ledger edited outside coop)."""
    rows = ledger.conn.execute(
        "SELECT ecriture_id, sum(montant) FROM lignes WHERE exercice = ?"
        " GROUP BY ecriture_id HAVING sum(montant) <> 0",
        [exercice],
    ).fetchall()
    noms = refs(ledger, (r[0] for r in rows))
    return [Desequilibre(noms.get(r[0], Ref(r[0], None)), ecart=from_centimes(r[1])) for r in rows]


def hors_exercice(ledger: Ledger, exercice: Exercice) -> list[Ref]:
    rows = ledger.conn.execute(
        "SELECT id, piece, date, libelle FROM ecritures WHERE exercice = ? AND date < ?"
        " UNION ALL "
        "SELECT id, piece, date, libelle FROM ecritures WHERE exercice = ? AND date > ?"
        " ORDER BY 3, 1",
        [exercice.nom, exercice.debut.isoformat(), exercice.nom, exercice.fin.isoformat()],
    )
    return [_ref(r) for r in rows]


def sur_comptes(ledger: Ledger, exercice: str, comptes: Iterable[str]) -> dict[str, list[Ref]]:
    """Écritures with a line on each of these accounts (corrections left out), in date order."""
    out: dict[str, list[Ref]] = {}
    for compte in comptes:
        ids = [
            r[0]
            for r in ledger.conn.execute(
                "SELECT DISTINCT ecriture_id FROM lignes WHERE exercice = ? AND compte = ?",
                [exercice, compte],
            )
        ]
        noms = refs(ledger, _non_annulees(ledger, ids))
        out[compte] = sorted(noms.values(), key=lambda r: (r.date or dt.date.min, r.id or 0))
    return out


def sans_piece(ledger: Ledger, exercice: str) -> list[Ref]:
    rows = ledger.conn.execute(
        "SELECT id, piece, date, libelle FROM ecritures WHERE exercice = ? AND piece IS NULL"
        " AND sens <> ? ORDER BY date, id",
        [exercice, Sens.OUVERTURE.value],
    )
    return [_ref(r) for r in rows]


def pieces_en_double(ledger: Ledger, exercice: str) -> list[Doublon]:
    pieces = [
        r[0]
        for r in ledger.conn.execute(
            "SELECT piece FROM ecritures WHERE exercice = ? AND piece IS NOT NULL"
            " GROUP BY piece HAVING count(*) > 1",
            [exercice],
        )
    ]
    out = []
    for piece in pieces:
        rows = ledger.conn.execute(
            "SELECT id, piece, date, libelle FROM ecritures WHERE exercice = ? AND piece = ?"
            " ORDER BY date, id",
            [exercice, piece],
        )
        out.append(Doublon(piece, tuple(_ref(r) for r in rows)))
    return out


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


def _plage(serie: str) -> tuple[str, str, int]:
    return serie + "0", serie + ":", len(serie) + 1


def trous_de_pieces(ledger: Ledger, exercice: str, doublons: Sequence[Doublon]) -> list[Trou]:
    """Missing numbers in each series of numbered pièces (1..highest)."""
    trous: list[Trou] = []
    for serie in series_de_pieces(ledger, exercice):
        bas, haut, k = _plage(serie)
        chiffres = f"substr(piece, {k}) NOT GLOB '*[^0-9]*'"
        nombre, premier, dernier = ledger.conn.execute(
            f"SELECT count(*), min(CAST(substr(piece, {k}) AS INTEGER)),"
            f" max(CAST(substr(piece, {k}) AS INTEGER)) FROM ecritures"
            f" WHERE exercice = ? AND piece >= ? AND piece < ? AND {chiffres}",
            [exercice, bas, haut],
        ).fetchone()
        if not nombre:
            continue
        doubles = sum(
            len(d.refs) - 1
            for d in doublons
            if d.piece.startswith(serie) and d.piece[len(serie) :].isdigit()
        )
        if premier == 1 and nombre - doubles == dernier:
            continue  # 1..dernier, each once: the usual case, answered by one aggregate
        numeros = [
            r[0]
            for r in ledger.conn.execute(
                f"SELECT CAST(substr(piece, {k}) AS INTEGER) FROM ecritures"
                f" WHERE exercice = ? AND piece >= ? AND piece < ? AND {chiffres}",
                [exercice, bas, haut],
            )
        ]
        plages, _ = analyser_numeros(numeros)
        trous += [Trou(serie, a, b) for a, b in plages]
    return trous


def ruptures_de_cheques(ledger: Ledger, exercice: str) -> list[RuptureCheque]:
    """Cheques written out of date order, twice, or after a small gap, per treasury account.

    Cheques written are those of dépenses and virements (a régie advanced by cheque);
    received cheques (recettes) come from families and follow no sequence.
    """
    sequences: dict[str, tuple[list[int], list[int]]] = {}
    for tresorerie, cheque, eid in ledger.conn.execute(
        "SELECT tresorerie, cheque, id FROM ecritures WHERE exercice = ?"
        " AND cheque IS NOT NULL AND sens <> 'recette' AND annule IS NULL"
        " ORDER BY tresorerie, date, id",
        [exercice],
    ):
        if not cheque.isdigit():
            continue
        numeros, ids = sequences.setdefault(tresorerie, ([], []))
        numeros.append(int(cheque))
        ids.append(eid)
    trouvees: list[tuple[str, str, int, int, int | None, int | None]] = []
    for tresorerie, (numeros, ids) in sequences.items():
        for genre, i, j in analyser_cheques(numeros):
            trouvees.append((tresorerie, genre, ids[i], numeros[i], ids[j], numeros[j]))
    noms = refs(ledger, [t[2] for t in trouvees] + [t[4] for t in trouvees if t[4]])
    return [
        RuptureCheque(
            tresorerie=t,
            genre=genre,
            ref=noms[eid],
            numero=num,
            precedent=noms.get(prec) if prec else None,
            numero_precedent=num_prec,
        )
        for t, genre, eid, num, prec, num_prec in trouvees
    ]


def depenses_candidates(ledger: Ledger, exercice: str) -> list[Ref]:
    """Dépenses whose libellé contains a word of a forbidden expense (coarse LIKE filter)."""
    fragments = fragments_interdits()
    condition = " OR ".join("libelle LIKE ?" for _ in fragments)
    libelles = [
        r[0]
        for r in ledger.conn.execute(
            "SELECT libelle FROM (SELECT DISTINCT libelle FROM ecritures"
            f" WHERE exercice = ? AND sens = 'depense') WHERE {condition}",
            [exercice, *(f"%{f}%" for f in fragments)],
        )
    ]
    out: list[Ref] = []
    for start in range(0, len(libelles), 500):
        chunk = libelles[start : start + 500]
        marks = ",".join("?" * len(chunk))
        ids = [
            r[0]
            for r in ledger.conn.execute(
                "SELECT id FROM ecritures WHERE exercice = ? AND sens = 'depense'"
                f" AND libelle IN ({marks})",
                [exercice, *chunk],
            )
        ]
        out += refs(ledger, _non_annulees(ledger, ids)).values()
    return sorted(out, key=lambda r: (r.date or dt.date.min, r.id or 0))


def constater(ledger: Ledger, bilan: Bilan, plan: PlanComptable) -> Constats:
    """Gather every fact the checks need for the bilan's exercice."""
    ex = bilan.exercice
    desequilibres = ecritures_desequilibrees(ledger, ex.nom)
    doublons = pieces_en_double(ledger, ex.nom)
    comptes = [COMPTE_ATTENTE, *bilan.hors_plan]
    if not bilan.exceptionnel.ok:
        comptes += [c.numero for c in bilan.exceptionnel.comptes]
    ecritures_sur = sur_comptes(ledger, ex.nom, comptes)
    exceptionnelles: dict[int, Ref] = {}
    for c in bilan.exceptionnel.comptes if not bilan.exceptionnel.ok else ():
        exceptionnelles.update((r.id, r) for r in ecritures_sur.get(c.numero, []) if r.id)
    return Constats(
        exercice=ex,
        desequilibres=tuple(desequilibres),
        hors_exercice=tuple(hors_exercice(ledger, ex)),
        attente=tuple(ecritures_sur[COMPTE_ATTENTE]),
        sans_piece=tuple(sans_piece(ledger, ex.nom)),
        trous=tuple(trous_de_pieces(ledger, ex.nom, doublons)),
        doublons=tuple(doublons),
        cheques=tuple(ruptures_de_cheques(ledger, ex.nom)),
        depenses_candidates=tuple(depenses_candidates(ledger, ex.nom)),
        hors_plan={c: tuple(ecritures_sur.get(c, ())) for c in bilan.hors_plan},
        exceptionnelles=tuple(
            sorted(exceptionnelles.values(), key=lambda r: (r.date or dt.date.min, r.id or 0))
        ),
    )


# -- a journal CSV, loaded as written into a throw-away ledger ------------------------------


def ledger_en_memoire(exercice: Exercice, infos: dict[str, str] | None = None) -> Ledger:
    """A ledger in memory with the full schema and one exercice (for checking a CSV)."""
    conn = sqlite3.connect(":memory:")
    conn.execute("PRAGMA foreign_keys = ON")
    db = Database(conn, execute_plugins=False)
    migrations.apply(db)
    ledger = Ledger(Path(":memory:"), db)
    with ledger.transaction():
        for cle, valeur in (infos or {}).items():
            ledger.set_meta(cle, valeur)
        ledger.ajouter_exercice(exercice)
    return ledger


@dataclass
class ChargementJournal:
    """A journal CSV in an in-memory ledger: the CSV place of each écriture, the bad totals."""

    ledger: Ledger
    exercice: Exercice
    lieux: dict[int, str]
    ecarts: list[tuple[int, LigneJournal]]


def _exercice_du_journal(lignes: Sequence[LigneJournal], nom: str | None) -> Exercice:
    if nom:
        return Exercice.depuis_nom(nom)
    ouvertures = [lj.ecriture.date for lj in lignes if lj.ecriture.sens is Sens.OUVERTURE]
    if ouvertures:
        return Exercice.contenant(min(ouvertures))
    compte: dict[str, int] = {}
    for lj in lignes:
        n = Exercice.contenant(lj.ecriture.date).nom
        compte[n] = compte.get(n, 0) + 1
    return Exercice.depuis_nom(max(sorted(compte), key=compte.__getitem__))


def charger_journal(
    path: Path, plan: PlanComptable, exercice: str | None = None
) -> ChargementJournal:
    """Read a journal CSV leniently and record it as written (dates, pièces, totals included).

    The exercice is `exercice`, else the one its ouvertures open, else the one
    most of its dates fall in; écritures dated outside it stay in it, for the
    date check to report. Empty pièces get the next number, as `coop saisie` does.
    """
    from ..ecritures import Numeroteur
    from ..journal_csv import lire_journal

    if not path.exists():
        raise DonneesInutilisables("fichier introuvable", str(path))
    if path.is_dir():
        raise DonneesInutilisables("c'est un dossier, pas un journal CSV", str(path))
    lignes = list(lire_journal(path, plan, strict=False))
    if not lignes:
        raise DonneesInutilisables("aucune écriture dans ce journal", str(path))
    ex = _exercice_du_journal(lignes, exercice)
    series = "RD" if any(re.fullmatch(r"[RD]\d+", lj.ecriture.piece or "") for lj in lignes) else ""
    numeroteur = Numeroteur({}, series)
    for lj in lignes:
        piece = lj.ecriture.piece
        if piece and piece not in numeroteur.utilisees.get(ex.nom, set()):
            numeroteur.utiliser(ex.nom, piece)
    ledger = ledger_en_memoire(ex, {"nom": path.name, "series": series})
    lieux: dict[int, str] = {}
    ecarts: list[tuple[int, LigneJournal]] = []
    par_piece: dict[str, int] = {}
    with ledger.transaction():
        for lj in lignes:
            e = lj.ecriture
            if e.piece is None and e.sens is not Sens.OUVERTURE:
                e = replace(e, piece=numeroteur.prochaine(ex.nom, e.sens))
            annule = par_piece.get(lj.annule_piece) if lj.annule_piece else None
            eid = ledger.ajouter(replace(e, exercice=ex.nom, annule=annule))
            if e.piece:
                par_piece.setdefault(e.piece, eid)
            lieux[eid] = f"{path.name}:{lj.ligne}"
            if lj.ecart is not None:
                ecarts.append((eid, lj))
    return ChargementJournal(ledger, ex, lieux, ecarts)
