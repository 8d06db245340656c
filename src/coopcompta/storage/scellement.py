"""SQL of the sealed closing: the écritures of an exercice as stored, and the seal kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coopcompta.domain.scellement import EcritureBrute, Sceau
from coopcompta.storage import Ledger, migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

_COLONNES = (
    "id, exercice, date, sens, piece, libelle, mode, cheque, tresorerie, contrepartie, montant,"
    " annule, import_id, brut, empreinte"
)


@migrations(name="m_fin_annee_002_scellement")
def m_fin_annee_002_scellement(db: Database) -> None:
    db.execute(
        "CREATE TABLE clotures ("
        " exercice TEXT PRIMARY KEY REFERENCES exercices(nom),"
        " cloture_le TEXT NOT NULL,"
        " racine TEXT NOT NULL,"
        " nb_ecritures INTEGER NOT NULL,"
        " raison_forcee TEXT)"
    )
    db.execute(
        "CREATE TABLE sceaux ("
        " exercice TEXT NOT NULL REFERENCES exercices(nom),"
        " rang INTEGER NOT NULL,"
        " ecriture_id INTEGER NOT NULL,"
        " piece TEXT,"
        " date TEXT NOT NULL,"
        " contenu TEXT NOT NULL,"
        " chaine TEXT NOT NULL,"
        " PRIMARY KEY (exercice, rang))"
    )


def ecritures_brutes(ledger: Ledger, exercice: str) -> Iterator[EcritureBrute]:
    """Every écriture of the exercice with its lines, in id order, in one pass."""
    cur = ledger.conn.execute(
        f"SELECT {_COLONNES} FROM ecritures WHERE exercice = ? ORDER BY id", [exercice]
    )
    lignes = ledger.conn.execute(
        "SELECT ecriture_id, role, compte, montant, classe FROM lignes WHERE exercice = ?"
        " ORDER BY ecriture_id, id",
        [exercice],
    )
    suivante = lignes.fetchone()
    for row in cur:
        eid = row[0]
        # A line of this exercice filed under another écriture id still counts once.
        while suivante is not None and suivante[0] < eid:
            suivante = lignes.fetchone()
        siennes = []
        while suivante is not None and suivante[0] == eid:
            siennes.append(tuple(suivante[1:]))
            suivante = lignes.fetchone()
        yield EcritureBrute(eid, row[4], row[2], tuple(row), siennes)


@dataclass(frozen=True)
class Cloture:
    exercice: str
    cloture_le: str
    racine: str
    nb_ecritures: int
    raison_forcee: str | None


def enregistrer(
    ledger: Ledger, exercice: str, sceaux: list[Sceau], racine: str, raison: str | None
) -> None:
    ledger.conn.execute(
        "INSERT INTO clotures(exercice, cloture_le, racine, nb_ecritures, raison_forcee)"
        " VALUES (?,?,?,?,?)",
        [exercice, dt.datetime.now().isoformat(timespec="seconds"), racine, len(sceaux), raison],
    )
    ledger.conn.executemany(
        "INSERT INTO sceaux(exercice, rang, ecriture_id, piece, date, contenu, chaine)"
        " VALUES (?,?,?,?,?,?,?)",
        [
            (exercice, i, s.ecriture_id, s.piece, s.date, s.contenu, s.chaine)
            for i, s in enumerate(sceaux)
        ],
    )


def clotures(ledger: Ledger) -> list[Cloture]:
    return [
        Cloture(*r)
        for r in ledger.conn.execute(
            "SELECT exercice, cloture_le, racine, nb_ecritures, raison_forcee FROM clotures"
            " ORDER BY exercice"
        )
    ]


def sceaux(ledger: Ledger, exercice: str) -> list[Sceau]:
    return [
        Sceau(*r)
        for r in ledger.conn.execute(
            "SELECT ecriture_id, piece, date, contenu, chaine FROM sceaux WHERE exercice = ?"
            " ORDER BY rang",
            [exercice],
        )
    ]
