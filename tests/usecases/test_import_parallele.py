"""`coop import` of a big file: SQLite writes in a second thread, still all or nothing.

The writer thread starts at the first full batch; here batches are made small (20
écritures) so that files of a few hundred lines exercise it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from coopcompta import storage
from coopcompta.domain.categorisation import Categoriseur, appliquer_regles, cle_libelle
from coopcompta.domain.errors import ImportInvalide
from coopcompta.domain.model import Ecriture, Exercice, Ligne, ReleveLigne, Sens
from coopcompta.domain.suggestions import Suggesteur
from coopcompta.importers import lire_releve
from coopcompta.importers.plan import charger_plan
from coopcompta.importers.regles import valider_regles
from coopcompta.storage import ecrivain, imports
from coopcompta.usecases.importation import Analyse, Contexte, ImportImpossible, importer

PLAN = charger_plan()
EXERCICE = Exercice.depuis_nom("2025-2026")
REGLES = """
- {nom: Librairie, motif: LIBRAIRIE, compte: "6183"}
- {nom: Mairie, motif: MAIRIE, sens: recette, compte: "7440"}
- nom: Cotisation OCCE
  motif: /PRLV.*OCCE/
  ventilation:
    - {compte: "62810008", part: 80%}
    - {compte: "61681008"}
- {nom: Gros chèques, motif: CHEQUE, montant_min: 100, compte: "6226"}
- {nom: AssoConnect, motif: ASSOCONNECT, compte: "517"}
"""
LIBELLES = [
    "CB LIBRAIRIE DU CENTRE",
    "VIR SEPA RECU /DE MAIRIE DE RENNES",
    "PRLV SEPA OCCE 35 COTISATION",
    "CHEQUE {n}",
    "VIR ASSOCONNECT SAS VERSEMENT",
    "VERSEMENT ESPECES",
    "FRAIS TENUE DE COMPTE",
]


@pytest.fixture(autouse=True)
def petits_lots(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of 20 écritures (ventilation lines: 50 per INSERT), counts spilled past 30
    keys."""
    monkeypatch.setattr(ecrivain, "ECRITURES", ecrivain.ECRITURES._replace(par_requete=20))
    monkeypatch.setattr(ecrivain, "VENTILATIONS", ecrivain.VENTILATIONS._replace(par_requete=50))
    monkeypatch.setattr(imports.Occurrences, "PLAFOND", 30)


def nouveau(path: Path) -> storage.Ledger:
    """A ledger with a receipt of 12,34 € typed by hand on 1 September."""
    led = storage.creer(path, {"nom": "Test", "series": ""}, EXERCICE, {"512": Decimal("1500")})
    recette = Ecriture(
        date=dt.date(2025, 9, 1),
        sens=Sens.RECETTE,
        libelle="Don",
        montant=Decimal("12.34"),
        tresorerie="512",
        ventilation=(Ligne("7460", Decimal("12.34")),),
        piece="1",
        exercice=EXERCICE.nom,
    )
    led.ajouter(recette)
    return led


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[storage.Ledger]:
    led = nouveau(tmp_path / "coop.db")
    yield led
    led.close()


def ecrire_releve(path: Path, n: int, erreur_a: int | None = None) -> Path:
    """A CIC-like statement of `n` lines (identical lines included); line `erreur_a` of the
    file has an unreadable amount."""
    lignes = ["Date;Date de valeur;Débit;Crédit;Libellé;Solde"]
    for i in range(n):
        jour = dt.date(2025, 9, 1) + dt.timedelta(days=i * 300 // n)
        libelle = LIBELLES[i % len(LIBELLES)].format(n=4_000_000 + i % 40)
        centimes = 500 + (i * 7919) % 30_000 if i % 11 != 1 else 1234
        montant = f"{centimes // 100},{centimes % 100:02d}"
        credit = i % 3 == 1
        debit, credit_txt = ("", montant) if credit else (f"-{montant}", "")
        if erreur_a is not None and len(lignes) + 1 == erreur_a:
            debit, credit_txt = "-12,3O", ""
        d = f"{jour:%d/%m/%Y}"
        lignes.append(f"{d};{d};{debit};{credit_txt};{libelle};0,00")
    path.write_text("\r\n".join(lignes) + "\r\n", encoding="cp1252")
    return path


def contexte(ledger: storage.Ledger, fichier: Path) -> tuple[Contexte, Iterator[ReleveLigne]]:
    releve = lire_releve(fichier)
    ctx = Contexte(
        plan=PLAN,
        fichier=releve.fichier,
        format=releve.format,
        tresorerie="512",
        regles=valider_regles(yaml.safe_load(REGLES), "regles.yaml", PLAN),
        suggesteur=Suggesteur(PLAN, ledger.historique_libelles()),
    )
    return ctx, releve.lignes


def contenu(path: Path) -> list[tuple[object, ...]]:
    """Every row that matters (not the time of writing)."""
    with sqlite3.connect(path) as conn:
        return [
            *conn.execute(
                "SELECT id, exercice, date, sens, piece, piece_num, libelle, mode, cheque,"
                " tresorerie, contrepartie, montant, annule, import_id, brut, empreinte"
                " FROM ecritures ORDER BY id"
            ),
            # Lines in écriture order (the writer thread batches ventilations by size).
            *conn.execute(
                "SELECT ecriture_id, exercice, role, compte, montant, classe FROM lignes"
                " ORDER BY ecriture_id, role, compte, montant"
            ),
            *conn.execute("SELECT * FROM import_rapprochements ORDER BY id"),
            *conn.execute("SELECT id, fichier, nb_lignes, annule FROM imports ORDER BY id"),
        ]


def fils_ecrivains() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "coop-import-ecrivain"]


def importer_fichier(ledger: storage.Ledger, fichier: Path, parallele: bool = True):
    ctx, lignes = contexte(ledger, fichier)
    vus = []

    def suivi(a: object) -> None:
        vus.extend(fils_ecrivains())

    if not parallele:
        initial = ecrivain.Ecrivain.__init__

        def sans_fil(self: ecrivain.Ecrivain, led: storage.Ledger, par: bool = False) -> None:
            initial(self, led, False)

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(ecrivain.Ecrivain, "__init__", sans_fil)
            return importer(ledger, ctx, lignes, series="", suivi=suivi), vus
    return importer(ledger, ctx, lignes, series="", suivi=suivi), vus


def test_a_big_import_writes_in_a_second_thread_exactly_what_one_thread_writes(
    ledger: storage.Ledger, tmp_path: Path
) -> None:
    fichier = ecrire_releve(tmp_path / "releve.csv", 700)
    autre = nouveau(tmp_path / "seul.db")
    bascule = sys.getswitchinterval()

    r1, vus = importer_fichier(ledger, fichier)
    r2, seul = importer_fichier(autre, fichier, parallele=False)
    autre.close()

    assert vus and not seul  # the first ran a writer thread, the second did not
    assert not fils_ecrivains() and sys.getswitchinterval() == bascule
    assert (r1.ecritures, r1.nouvelles, r1.par_regle) == (r2.ecritures, r2.nouvelles, r2.par_regle)
    # Lines of 12,34 € look like the receipt typed by hand: flagged, written all the same.
    assert (r1.ecritures, r1.nb_doublons, r1.pieces) == (700, r2.nb_doublons, [("2", "701")])
    assert r1.nb_doublons > 0
    assert contenu(tmp_path / "coop.db") == contenu(tmp_path / "seul.db")
    assert len(contenu(tmp_path / "coop.db")) > 2100
    # Foreign keys, not checked row by row while importing, are all sound, and checked again.
    assert ledger.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert ledger.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        ledger.conn.execute("DELETE FROM ecritures WHERE id = 3")


def test_reimporting_a_big_file_adds_nothing(ledger: storage.Ledger, tmp_path: Path) -> None:
    fichier = ecrire_releve(tmp_path / "releve.csv", 300)
    importer_fichier(ledger, fichier)
    avant = contenu(tmp_path / "coop.db")

    r, _ = importer_fichier(ledger, fichier)

    assert (r.presentes, r.nouvelles, r.import_id) == (300, 0, None)
    assert contenu(tmp_path / "coop.db") == avant


def test_a_bad_line_after_the_writer_started_leaves_the_ledger_unchanged(
    ledger: storage.Ledger, tmp_path: Path
) -> None:
    fichier = ecrire_releve(tmp_path / "releve.csv", 400, erreur_a=300)
    avant = contenu(tmp_path / "coop.db")
    bascule = sys.getswitchinterval()

    with pytest.raises(ImportInvalide) as exc:
        importer_fichier(ledger, fichier)

    assert exc.value.ou == "releve.csv:300"
    assert "12,3O" in exc.value.message
    assert not fils_ecrivains() and sys.getswitchinterval() == bascule
    assert contenu(tmp_path / "coop.db") == avant
    assert not ledger.conn.in_transaction


def test_an_error_in_the_writer_thread_stops_the_import_and_leaves_the_ledger_unchanged(
    ledger: storage.Ledger, tmp_path: Path
) -> None:
    fichier = ecrire_releve(tmp_path / "releve.csv", 400)
    # Someone else recorded line 250's fingerprint meanwhile (no import of this account
    # in the ledger: the analysis does not look for it, the unique index refuses it).
    ctx, lignes = contexte(ledger, fichier)
    lignes = list(lignes)
    r, _ = importer_fichier(ledger, fichier)
    with sqlite3.connect(tmp_path / "coop.db") as conn:
        empreinte = conn.execute("SELECT empreinte FROM ecritures WHERE id = 252").fetchone()[0]
    ledger.close()
    ledger = storage.ouvrir(tmp_path / "coop.db")
    with ledger.transaction():
        ledger.conn.execute("DELETE FROM lignes WHERE ecriture_id > 2")
        ledger.conn.execute("DELETE FROM ecritures WHERE id > 2")
        ledger.conn.execute("DELETE FROM imports")
        ledger.conn.execute(
            "INSERT INTO ecritures(exercice, date, sens, libelle, tresorerie, contrepartie,"
            " montant, empreinte) VALUES ('2025-2026', '2025-09-01', 'virement', 'x', '53',"
            " '512', 100, ?)",
            [empreinte],
        )
        ledger.conn.execute(
            "INSERT INTO lignes(ecriture_id, exercice, role, compte, montant)"
            " SELECT id, exercice, 't', '512', 100 FROM ecritures WHERE empreinte = ?"
            " UNION ALL SELECT id, exercice, 't', '53', -100 FROM ecritures WHERE empreinte = ?",
            [empreinte, empreinte],
        )
    avant = contenu(tmp_path / "coop.db")

    with pytest.raises(ImportImpossible) as exc:
        importer_fichier(ledger, fichier)

    assert "la comptabilité a changé pendant l'import" in exc.value.message
    assert "rien n'a été enregistré" in exc.value.message
    assert not fils_ecrivains()
    assert contenu(tmp_path / "coop.db") == avant
    ledger.close()


def test_an_interrupted_import_stops_the_writer_and_rolls_back(
    ledger: storage.Ledger, tmp_path: Path
) -> None:
    fichier = ecrire_releve(tmp_path / "releve.csv", 400)
    avant = contenu(tmp_path / "coop.db")
    ctx, lignes = contexte(ledger, fichier)

    def interrompu(a: Analyse) -> None:
        if fils_ecrivains() and a.ligne.ligne > 200:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        importer(ledger, ctx, lignes, series="", suivi=interrompu)

    assert not fils_ecrivains()
    assert contenu(tmp_path / "coop.db") == avant


def test_compiled_rules_categorise_like_the_rules_one_by_one() -> None:
    regles = valider_regles(yaml.safe_load(REGLES), "regles.yaml", PLAN)
    compilees = Categoriseur(regles, format="csv", fichier="releve.csv")
    for i, modele in enumerate(LIBELLES * 3):
        for montant in ("-12.50", "250.00", "-150.00", "99.99", "-0.01"):
            libelle = modele.format(n=4_000_000 + i)
            ligne = ReleveLigne(dt.date(2025, 10, 1), libelle, Decimal(montant), 2, libelle)
            attendu = appliquer_regles(regles, ligne)
            assert compilees.categoriser(cle_libelle(libelle), ligne.montant) == attendu


def test_bank_lines_and_rule_lines_are_immutable_objects_built_by_their_constructors(
    tmp_path: Path,
) -> None:
    from dataclasses import FrozenInstanceError

    [lue] = lire_releve(ecrire_releve(tmp_path / "releve.csv", 1)).lignes
    champs = (lue.date, lue.libelle, lue.montant, lue.ligne, lue.brut, lue.cheque, lue.extra)
    assert type(lue) is ReleveLigne and lue == ReleveLigne(*champs)
    assert repr(lue) == repr(ReleveLigne(*champs))
    with pytest.raises(AttributeError):
        lue.libelle = "autre"  # type: ignore[misc]
    regles = valider_regles(yaml.safe_load(REGLES), "regles.yaml", PLAN)
    c = Categoriseur(regles).categoriser("CB LIBRAIRIE DU CENTRE", Decimal("-1.50"))
    assert c is not None and c.ventilation == (Ligne("6183", Decimal("1.50")),)
    assert hash(c.ventilation[0]) == hash(Ligne("6183", Decimal("1.50")))
    with pytest.raises(FrozenInstanceError):
        c.ventilation[0].compte = "6068"  # type: ignore[misc]
