"""Tables of the year-end documents: pointages and reconciliations, cash counts, named régies,
the registers (subventions, inventaire). Their SQL lives in the module of each concern."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coopcompta.storage import migrations

if TYPE_CHECKING:
    from sqlite_utils import Database


@migrations(name="m_fin_annee_001_documents")
def m_fin_annee_001_documents(db: Database) -> None:
    for sql in (
        # A reconciliation as it was made: the statement's balance, the books' balance, and
        # the lines that explained the gap (écritures not yet on the statement, hors_livre=0;
        # statement lines not in the books, hors_livre=1). `coop verifier` re-adds them.
        "CREATE TABLE rapprochements ("
        " id INTEGER PRIMARY KEY,"
        " exercice TEXT NOT NULL REFERENCES exercices(nom),"
        " compte TEXT NOT NULL,"
        " date TEXT NOT NULL,"
        " solde_releve INTEGER NOT NULL,"
        " solde_livre INTEGER NOT NULL,"
        " source TEXT,"
        " fait_le TEXT NOT NULL)",
        "CREATE TABLE rapprochement_lignes ("
        " rapprochement_id INTEGER NOT NULL REFERENCES rapprochements(id) ON DELETE CASCADE,"
        " ecriture_id INTEGER REFERENCES ecritures(id) ON DELETE SET NULL,"
        " piece TEXT,"
        " date TEXT,"
        " libelle TEXT NOT NULL,"
        " montant INTEGER NOT NULL,"
        " hors_livre INTEGER NOT NULL DEFAULT 0)",
        "CREATE INDEX idx_rapprochement_lignes ON rapprochement_lignes(rapprochement_id)",
        # An écriture seen on the statement of `compte` (typed by hand, pointed by the
        # treasurer). Imported lines are pointed by their import and need no row here.
        "CREATE TABLE pointages ("
        " ecriture_id INTEGER NOT NULL REFERENCES ecritures(id) ON DELETE CASCADE,"
        " compte TEXT NOT NULL,"
        " rapprochement_id INTEGER REFERENCES rapprochements(id) ON DELETE SET NULL,"
        " PRIMARY KEY (ecriture_id, compte))",
        # The closing balance a statement file carried (balance column, "Solde au", LEDGERBAL).
        "CREATE TABLE soldes_releves ("
        " id INTEGER PRIMARY KEY,"
        " compte TEXT NOT NULL,"
        " date TEXT NOT NULL,"
        " solde INTEGER NOT NULL,"
        " fichier TEXT NOT NULL)",
        "CREATE TABLE arretes_caisse ("
        " id INTEGER PRIMARY KEY,"
        " exercice TEXT NOT NULL REFERENCES exercices(nom),"
        " compte TEXT NOT NULL,"
        " date TEXT NOT NULL,"
        " par TEXT NOT NULL,"
        " total INTEGER NOT NULL,"
        " solde_livre INTEGER NOT NULL,"
        " detail TEXT NOT NULL,"
        " fait_le TEXT NOT NULL)",
        "CREATE TABLE regies ("
        " nom TEXT PRIMARY KEY COLLATE NOCASE,"
        " compte TEXT NOT NULL UNIQUE,"
        " ouverte_le TEXT NOT NULL)",
        "CREATE TABLE registre_subventions ("
        " ecriture_id INTEGER PRIMARY KEY REFERENCES ecritures(id) ON DELETE CASCADE,"
        " financeur TEXT, decision TEXT, objet TEXT, justificatif TEXT, utilise INTEGER)",
        "CREATE TABLE registre_inventaire ("
        " ecriture_id INTEGER PRIMARY KEY REFERENCES ecritures(id) ON DELETE CASCADE,"
        " designation TEXT, lieu TEXT, sortie TEXT)",
    ):
        db.execute(sql)
