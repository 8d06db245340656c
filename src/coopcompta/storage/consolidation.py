"""SQL for `coop consolider`: the rows of many cooperatives, kept on disk while they come.

A temporary SQLite file (deleted when closed) holds one row per cooperative and
its anomalies, so that memory does not grow with the number of cooperatives, a
cooperative claimed twice is caught by a UNIQUE key, and the rows come back with
those that need a look first.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from coopcompta.domain.consolidation import AnomalieCooperative, Ecartee, LigneCooperative
from coopcompta.domain.localisation import lieu_principal
from coopcompta.domain.model import Anomalie, Gravite
from coopcompta.domain.money import depuis_centimes, en_centimes

SCHEMA = (
    "CREATE TABLE cooperatives (ordre INTEGER PRIMARY KEY, cle TEXT NOT NULL UNIQUE,"
    " fichier TEXT NOT NULL, nom TEXT NOT NULL, numero_occe TEXT NOT NULL,"
    " exercice TEXT NOT NULL, recettes INTEGER NOT NULL, depenses INTEGER NOT NULL,"
    " resultat INTEGER NOT NULL, tresorerie INTEGER NOT NULL,"
    " solde_exceptionnel INTEGER NOT NULL, exceptionnel_ok INTEGER NOT NULL,"
    " erreurs INTEGER NOT NULL, avertissements INTEGER NOT NULL, motifs TEXT NOT NULL,"
    " rapprochement INTEGER, arrete_caisse INTEGER, a_regarder INTEGER NOT NULL)",
    "CREATE TABLE anomalies (id INTEGER PRIMARY KEY, ordre INTEGER NOT NULL,"
    " gravite TEXT NOT NULL, code TEXT NOT NULL, message TEXT NOT NULL, ligne INTEGER,"
    " pieces TEXT NOT NULL)",
    "CREATE TABLE ecartees (id INTEGER PRIMARY KEY, fichier TEXT NOT NULL, genre TEXT NOT NULL,"
    " raison TEXT NOT NULL, ligne INTEGER)",
    # The list: to look at first, most errors first, then in the order the files came.
    "CREATE INDEX idx_liste ON cooperatives(a_regarder DESC, erreurs DESC, ordre)",
)
SEPARATEUR_MOTIFS = "\x1f"  # never in a French label
COLONNES = (
    "fichier, nom, numero_occe, exercice, recettes, depenses, resultat, tresorerie,"
    " solde_exceptionnel, exceptionnel_ok, erreurs, avertissements, motifs, rapprochement,"
    " arrete_caisse"
)


def _booleen(valeur: bool | None) -> int | None:
    return None if valeur is None else int(valeur)


class Registre:
    """The cooperatives of one `coop consolider` run, in a temporary file."""

    def __init__(self) -> None:
        # "" is SQLite's private temporary database: on disk, deleted on close.
        self.conn = sqlite3.connect("")
        for sql in SCHEMA:
            self.conn.execute(sql)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Registre:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ajouter(
        self, ligne: LigneCooperative, cle: str, anomalies: Iterable[Anomalie]
    ) -> str | None:
        """Record a cooperative; if `cle` is already there, record nothing and return the
        file that claimed it first."""
        with self.conn:
            try:
                cur = self.conn.execute(
                    f"INSERT INTO cooperatives(cle, {COLONNES}, a_regarder)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [
                        cle,
                        ligne.fichier,
                        ligne.nom,
                        ligne.numero_occe,
                        ligne.exercice,
                        en_centimes(ligne.recettes),
                        en_centimes(ligne.depenses),
                        en_centimes(ligne.resultat),
                        en_centimes(ligne.tresorerie),
                        en_centimes(ligne.solde_exceptionnel),
                        int(ligne.exceptionnel_ok),
                        ligne.erreurs,
                        ligne.avertissements,
                        SEPARATEUR_MOTIFS.join(ligne.motifs),
                        _booleen(ligne.rapprochement),
                        _booleen(ligne.arrete_caisse),
                        int(ligne.a_regarder),
                    ],
                )
            except sqlite3.IntegrityError:
                row = self.conn.execute(
                    "SELECT fichier FROM cooperatives WHERE cle = ?", [cle]
                ).fetchone()
                return str(row[0])
            ordre = cur.lastrowid
            self.conn.executemany(
                "INSERT INTO anomalies(ordre, gravite, code, message, ligne, pieces)"
                " VALUES (?,?,?,?,?,?)",
                [
                    (ordre, a.gravite.value, a.code, a.message, _ligne(a), "\n".join(a.pieces))
                    for a in anomalies
                ],
            )
        return None

    def ecarter(self, e: Ecartee) -> None:
        with self.conn:
            self.conn.execute(
                "INSERT INTO ecartees(fichier, genre, raison, ligne) VALUES (?,?,?,?)",
                [e.fichier, e.genre, e.raison, e.ligne],
            )

    def cooperatives(self) -> Iterator[LigneCooperative]:
        """Every cooperative, those to look at first (most errors first), then the others."""
        cur = self.conn.execute(
            f"SELECT {COLONNES} FROM cooperatives INDEXED BY idx_liste"
            " ORDER BY a_regarder DESC, erreurs DESC, ordre"
        )
        for r in cur:
            yield _ligne_cooperative(r)

    def anomalies(self) -> Iterator[AnomalieCooperative]:
        """Every anomaly, in the order of the list of cooperatives."""
        cur = self.conn.execute(
            "SELECT c.nom, c.fichier, a.gravite, a.code, a.message, a.ligne, a.pieces"
            " FROM cooperatives c INDEXED BY idx_liste JOIN anomalies a ON a.ordre = c.ordre"
            " ORDER BY c.a_regarder DESC, c.erreurs DESC, c.ordre, a.id"
        )
        for nom, fichier, gravite, code, message, ligne, pieces in cur:
            yield AnomalieCooperative(
                nom,
                fichier,
                Gravite(gravite),
                code,
                message,
                ligne,
                tuple(pieces.split("\n")) if pieces else (),
            )

    def ecartees(self) -> Iterator[Ecartee]:
        for fichier, genre, raison, ligne in self.conn.execute(
            "SELECT fichier, genre, raison, ligne FROM ecartees ORDER BY id"
        ):
            yield Ecartee(fichier, genre, raison, ligne)

    def nombre_ecartees(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM ecartees").fetchone()[0])


def _ligne(a: Anomalie) -> int | None:
    lieu = lieu_principal(a)
    return lieu.ligne if lieu else None


def _ligne_cooperative(r: Any) -> LigneCooperative:
    return LigneCooperative(
        fichier=r[0],
        nom=r[1],
        numero_occe=r[2],
        exercice=r[3],
        recettes=depuis_centimes(r[4]),
        depenses=depuis_centimes(r[5]),
        resultat=depuis_centimes(r[6]),
        tresorerie=depuis_centimes(r[7]),
        solde_exceptionnel=depuis_centimes(r[8]),
        exceptionnel_ok=bool(r[9]),
        erreurs=r[10],
        avertissements=r[11],
        motifs=tuple(r[12].split(SEPARATEUR_MOTIFS)) if r[12] else (),
        rapprochement=None if r[13] is None else bool(r[13]),
        arrete_caisse=None if r[14] is None else bool(r[14]),
    )
