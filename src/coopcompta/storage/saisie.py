"""SQL for recording écritures: pièces already used, opening balances, closed exercices."""

from __future__ import annotations

import datetime as dt

from coopcompta.storage import Ledger


def derniere_date(ledger: Ledger, exercice: str) -> dt.date | None:
    """The date of the écriture typed last in `exercice` (report à nouveau aside)."""
    row = ledger.conn.execute(
        "SELECT date FROM ecritures WHERE exercice = ? AND sens <> 'ouverture'"
        " ORDER BY id DESC LIMIT 1",
        [exercice],
    ).fetchone()
    return dt.date.fromisoformat(row[0]) if row else None


def pieces_utilisees(ledger: Ledger) -> dict[str, set[str]]:
    """exercice -> pièces already recorded in it, and the highest number once given to
    écritures since deleted (so that a batch numbers after it)."""
    result: dict[str, set[str]] = {}
    for exercice, piece in ledger.conn.execute(
        "SELECT exercice, piece FROM ecritures WHERE piece IS NOT NULL"
    ):
        result.setdefault(exercice, set()).add(piece)
    for ex in ledger.exercices():
        for serie, numero in ledger.pieces_donnees(ex.nom).items():
            result.setdefault(ex.nom, set()).add(f"{serie}{numero}")
    return result


def retenir_pieces_de_l_import(ledger: Ledger, import_id: int) -> None:
    """Before an import's écritures are deleted: remember the pièce numbers they had."""
    from coopcompta.storage.ecrivain import piece_num

    plus_hautes: dict[tuple[str, str], int] = {}
    for exercice, piece in ledger.conn.execute(
        "SELECT exercice, piece FROM ecritures WHERE import_id = ? AND piece IS NOT NULL",
        [import_id],
    ):
        numero = piece_num(piece)
        if numero is None:
            continue
        serie = piece.rstrip("0123456789")
        cle = (exercice, serie)
        plus_hautes[cle] = max(plus_hautes.get(cle, 0), numero)
    for (exercice, serie), numero in plus_hautes.items():
        ledger.retenir_pieces_donnees(exercice, serie, numero)


def piece_utilisee(ledger: Ledger, exercice: str, piece: str) -> bool:
    row = ledger.conn.execute(
        "SELECT 1 FROM ecritures WHERE exercice = ? AND piece = ? LIMIT 1", [exercice, piece]
    ).fetchone()
    return row is not None


def piece_enregistree(ledger: Ledger, exercice: str, piece: str) -> str | None:
    """The pièce as recorded that `piece`, typed on the command line, names: itself, else
    the only one recorded that differs in case alone (`r1` for `R1`); None if there is none."""
    if piece_utilisee(ledger, exercice, piece):
        return piece
    rows = ledger.conn.execute(
        "SELECT DISTINCT piece FROM ecritures WHERE exercice = ? AND piece = ? COLLATE NOCASE"
        " LIMIT 2",
        [exercice, piece],
    ).fetchall()
    return str(rows[0][0]) if len(rows) == 1 else None


def ouvertures(ledger: Ledger) -> set[tuple[str, str]]:
    """(exercice, treasury account) pairs that have an opening balance not cancelled."""
    rows = ledger.conn.execute(
        "SELECT exercice, tresorerie, sum(CASE WHEN annule IS NULL THEN 1 ELSE -1 END)"
        " FROM ecritures WHERE sens = 'ouverture' GROUP BY exercice, tresorerie"
    )
    return {(r[0], r[1]) for r in rows if r[2] > 0}


def exercices_clos(ledger: Ledger) -> set[str]:
    return {r[0] for r in ledger.conn.execute("SELECT nom FROM exercices WHERE cloture = 1")}


def nombre_ecritures(ledger: Ledger) -> int:
    return int(ledger.conn.execute("SELECT count(*) FROM ecritures").fetchone()[0])


def classes_connues(ledger: Ledger) -> list[str]:
    """The class and project names used on lines, as spelled."""
    rows = ledger.conn.execute(
        "SELECT DISTINCT classe FROM lignes WHERE classe IS NOT NULL ORDER BY classe"
    )
    return [r[0] for r in rows]


def ecritures_de_l_import(
    ledger: Ledger, import_id: int, limite: int = 10
) -> list[tuple[str, str, str, int]]:
    """(pièce, ISO date, libellé, centimes) of the first écritures an import added."""
    rows = ledger.conn.execute(
        "SELECT coalesce(piece, ''), date, libelle, montant FROM ecritures WHERE import_id = ?"
        " ORDER BY date, id LIMIT ?",
        [import_id, limite],
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def changements_depuis_l_import(ledger: Ledger, import_id: int) -> tuple[int, int, int]:
    """(écritures the import added, those ventilated since, cheques typed by hand it
    confirmed)."""
    n = ledger.conn.execute(
        "SELECT count(*) FROM ecritures WHERE import_id = ?", [import_id]
    ).fetchone()[0]
    ventilees = ledger.conn.execute(
        "SELECT count(DISTINCT v.ecriture_id) FROM ventilations_differees v"
        " JOIN ecritures e ON e.id = v.ecriture_id WHERE e.import_id = ?",
        [import_id],
    ).fetchone()[0]
    rapprochees = ledger.conn.execute(
        "SELECT count(*) FROM import_rapprochements WHERE import_id = ?", [import_id]
    ).fetchone()[0]
    return int(n), int(ventilees), int(rapprochees)


def mouvements_du_compte(ledger: Ledger, exercice: str, compte: str) -> int:
    """How many écritures of the exercice touch `compte`, its report à nouveau aside."""
    row = ledger.conn.execute(
        "SELECT count(DISTINCT e.id) FROM ecritures e LEFT JOIN lignes l ON l.ecriture_id = e.id"
        " WHERE e.exercice = ? AND e.sens <> 'ouverture'"
        " AND (e.tresorerie = ? OR e.contrepartie = ? OR l.compte = ?)",
        [exercice, compte, compte, compte],
    ).fetchone()
    return int(row[0])


def ouverture_du_compte(ledger: Ledger, exercice: str, compte: str) -> tuple[int, int] | None:
    """(id, centimes) of the report à nouveau of `compte` in the exercice, if any."""
    row = ledger.conn.execute(
        "SELECT id, montant FROM ecritures WHERE exercice = ? AND sens = 'ouverture'"
        " AND tresorerie = ?",
        [exercice, compte],
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else None


def supprimer_ouverture(ledger: Ledger, ecriture_id: int) -> None:
    """Delete a report à nouveau (only while nothing else moved its account)."""
    ledger.conn.execute("DELETE FROM lignes WHERE ecriture_id = ?", [ecriture_id])
    ledger.conn.execute("DELETE FROM ecritures WHERE id = ? AND sens = 'ouverture'", [ecriture_id])
