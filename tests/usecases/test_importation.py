"""The import use case: each bank line once, categorised, in one transaction; undo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from coopcompta import storage
from coopcompta.domain.errors import CoopComptaError, ImportInvalide
from coopcompta.domain.model import Ecriture, Exercice, Ligne, ReleveLigne, Sens
from coopcompta.domain.money import lire_montant
from coopcompta.domain.releve import Cheque, deviner_mode, empreinte, trouver_remise
from coopcompta.domain.suggestions import Suggesteur
from coopcompta.importers.plan import charger_plan
from coopcompta.importers.regles import valider_regles
from coopcompta.storage.imports import Occurrences
from coopcompta.usecases.importation import (
    Contexte,
    ImportImpossible,
    Statut,
    analyser,
    annuler_dernier_import,
    importer,
    rapprocher_remise,
)
from coopcompta.usecases.saisie import annuler_piece, enregistrer_ecriture

PLAN = charger_plan()
EXERCICE = Exercice.depuis_nom("2025-2026")


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[storage.Ledger]:
    led = storage.creer(
        tmp_path / "coop.db",
        {"nom": "Test", "series": ""},
        EXERCICE,
        {"512": Decimal("1500.00"), "53": Decimal("80.00")},
    )
    yield led
    led.close()


def releve(*lignes: str) -> list[ReleveLigne]:
    """`jj/mm/aaaa;LIBELLE;montant[;frais]` -> bank lines numbered from 2 (after a header)."""
    result = []
    for i, texte in enumerate(lignes, 2):
        date, libelle, montant, *frais = texte.split(";")
        jour = dt.datetime.strptime(date, "%d/%m/%Y").date()
        extra = {"frais": frais[0]} if frais else {}
        result.append(ReleveLigne(jour, libelle, lire_montant(montant), i, texte, None, extra))
    return result


def contexte(
    ledger: storage.Ledger,
    regles: str = "",
    fichier: str = "releve.csv",
    format: str = "csv",
    tresorerie: str = "512",
) -> Contexte:
    return Contexte(
        plan=PLAN,
        fichier=fichier,
        format=format,
        tresorerie=tresorerie,
        regles=valider_regles(yaml.safe_load(regles), "regles.yaml", PLAN) if regles else [],
        suggesteur=Suggesteur(PLAN, ledger.historique_libelles()),
    )


def importe(ledger: storage.Ledger, *lignes: str, **kw: str):
    return importer(ledger, contexte(ledger, **kw), releve(*lignes), series=ledger.meta("series"))


def ecritures(ledger: storage.Ledger) -> list[Ecriture]:
    return [e for e in ledger.ecritures(EXERCICE.nom) if e.sens is not Sens.OUVERTURE]


def saisir(ledger: storage.Ledger, jour: str, sens: Sens, libelle: str, montant: str, **kw):
    """An écriture typed by hand (as `coop saisie` records it)."""
    m = Decimal(montant)
    compte = kw.pop("compte", "75620008" if sens is Sens.RECETTE else "6068")
    ventilation = () if sens is Sens.VIREMENT else (Ligne(compte, m),)
    e = Ecriture(
        date=dt.datetime.strptime(jour, "%d/%m/%Y").date(),
        sens=sens,
        libelle=libelle,
        montant=m,
        tresorerie=kw.pop("tresorerie", "512"),
        ventilation=ventilation,
        **kw,
    )
    return enregistrer_ecriture(ledger, e, forcer_caisse=True)  # cash is not the point here


OCTOBRE = (
    "01/10/2025;REMISE CHEQUES 0002145;330,00",
    "06/10/2025;FRAIS TENUE DE COMPTE;-3,60",
    "06/10/2025;CHEQUE 4518203;-52,00",
    "07/10/2025;PRLV SEPA OCCE 35;-120,00",
)
REGLES = """
- {nom: Frais bancaires, motif: FRAIS TENUE DE COMPTE, compte: "627"}
- nom: Cotisation OCCE
  motif: PRLV SEPA OCCE
  ventilation:
    - {compte: "62810008", part: 80%}
    - {compte: "61681008"}
"""


# --- one écriture per line, never twice -------------------------------------------------------


def test_each_bank_line_becomes_one_ecriture_keeping_its_raw_line_and_import(ledger):
    r = importe(ledger, *OCTOBRE, regles=REGLES)
    assert (r.lues, r.nouvelles, r.presentes, r.par_regle, r.en_attente) == (4, 4, 0, 2, 2)
    assert r.pieces == [("1", "4")]
    es = ecritures(ledger)
    assert [(e.piece, e.sens, e.libelle, str(e.montant), e.mode) for e in es] == [
        ("1", Sens.RECETTE, "REMISE CHEQUES 0002145", "330.00", "cheque"),
        ("2", Sens.DEPENSE, "FRAIS TENUE DE COMPTE", "3.60", None),
        ("3", Sens.DEPENSE, "CHEQUE 4518203", "52.00", "cheque"),
        ("4", Sens.DEPENSE, "PRLV SEPA OCCE 35", "120.00", "prelevement"),
    ]
    assert [lg.compte for lg in es[0].ventilation] == ["471"]
    assert es[1].ventilation == (Ligne("627", Decimal("3.60")),)
    assert es[3].ventilation == (
        Ligne("62810008", Decimal("96.00")),
        Ligne("61681008", Decimal("24.00")),
    )
    assert {e.import_id for e in es} == {r.import_id}
    assert es[2].brut == "06/10/2025;CHEQUE 4518203;-52,00"
    assert all(e.empreinte for e in es)
    assert ledger.soldes(EXERCICE.nom)["512"] == Decimal("1654.40")
    row = ledger.conn.execute("SELECT fichier, format, tresorerie, nb_lignes FROM imports")
    assert [tuple(x) for x in row] == [("releve.csv", "csv", "512", 4)]


def test_reimporting_the_same_statement_adds_nothing(ledger):
    importe(ledger, *OCTOBRE)
    r = importe(ledger, *OCTOBRE)
    assert (r.nouvelles, r.presentes, r.import_id, r.ecritures) == (0, 4, None, 0)
    assert len(ecritures(ledger)) == 4
    assert ledger.conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 1


def test_an_overlapping_statement_adds_only_its_new_lines(ledger):
    importe(ledger, *OCTOBRE[:3])
    r = importe(ledger, *OCTOBRE[1:], "09/10/2025;CB LIBRAIRIE 08/10;-12,50")
    assert (r.nouvelles, r.presentes) == (2, 2)
    assert [e.libelle for e in ecritures(ledger)][-2:] == [
        "PRLV SEPA OCCE 35",
        "CB LIBRAIRIE 08/10",
    ]


def test_two_identical_lines_in_one_file_both_stay_and_neither_comes_back(ledger):
    deux = ("10/10/2025;REMISE CHEQUE 15;15,00", "10/10/2025;REMISE CHEQUE 15;15,00")
    r = importe(ledger, *deux)
    assert (r.nouvelles, r.nb_doublons) == (2, 0)
    # The next export holds the same day with a third 15 € deposit: only that one is new.
    r = importe(ledger, *deux, "10/10/2025;REMISE CHEQUE 15;15,00")
    assert (r.nouvelles, r.presentes) == (1, 2)
    assert len(ecritures(ledger)) == 3


def test_the_fingerprint_depends_on_account_date_amount_label_and_occurrence():
    base = empreinte("512", dt.date(2025, 10, 1), 1500, "CHQ", 0)
    assert base == empreinte("512", dt.date(2025, 10, 1), 1500, "CHQ", 0)
    autres = {
        empreinte("517", dt.date(2025, 10, 1), 1500, "CHQ", 0),
        empreinte("512", dt.date(2025, 10, 2), 1500, "CHQ", 0),
        empreinte("512", dt.date(2025, 10, 1), -1500, "CHQ", 0),
        empreinte("512", dt.date(2025, 10, 1), 1500, "CHQ X", 0),
        empreinte("512", dt.date(2025, 10, 1), 1500, "CHQ", 1),
    }
    assert base not in autres and len(autres) == 5


def test_labels_differing_only_by_case_accents_or_spaces_are_the_same_line(ledger):
    importe(ledger, "10/10/2025;Fête  de l'école;120,00")
    r = importe(ledger, "10/10/2025;FETE DE L'ECOLE;120,00")
    assert (r.nouvelles, r.presentes) == (0, 1)


def test_occurrence_counts_survive_spilling_to_the_temporary_table(ledger):
    j1, j2, j3 = (dt.date(2025, 10, j) for j in (1, 2, 3))
    petit = Occurrences(ledger, plafond=2)
    assert petit.suivantes([(j1, 1), (j1, 2), (j1, 1)]) == [0, 0, 1]
    assert petit.suivantes([(j2, 3), (j1, 1), (j2, 4)]) == [0, 2, 0]
    assert petit.deborde
    assert petit.suivantes([(j1, 2), (j1, 1), (j3, 5), (j3, 5), (j2, 3)]) == [1, 3, 0, 1, 1]


# --- possible duplicates: shown, never merged ------------------------------------------------


def test_a_line_like_an_entry_typed_by_hand_is_imported_and_reported(ledger):
    saisir(ledger, "06/10/2025", Sens.DEPENSE, "Fournitures", "52.00", mode="cheque")
    r = importe(ledger, *OCTOBRE)
    assert (r.nouvelles, r.nb_doublons) == (4, 1)
    (d,) = r.doublons
    assert d.ligne.libelle == "CHEQUE 4518203"
    assert d.statut is Statut.DOUBLON
    assert d.message == (
        "possible doublon de la pièce 1 saisie à la main le 06/10/2025 (« Fournitures »)"
    )
    assert len(ecritures(ledger)) == 5


def test_a_near_identical_label_within_three_days_is_a_possible_duplicate(ledger):
    saisir(ledger, "03/10/2025", Sens.DEPENSE, "Librairie du centre", "45.90", compte="6183")
    saisir(ledger, "03/10/2025", Sens.DEPENSE, "Goûter", "12.00", compte="6257")
    r = importe(
        ledger,
        "06/10/2025;CB LIBRAIRIE DU CENTRE 03/10;-45,90",  # similar label, 3 days: flagged
        "06/10/2025;CB BOULANGERIE 03/10;-12,00",  # another label 3 days apart: not flagged
        "07/10/2025;CB LIBRAIRIE DU CENTRE 04/10;-45,90",  # 4 days apart: not flagged
    )
    assert [a.ligne.ligne for a in r.doublons] == [2]
    assert r.doublons[0].message == (
        "possible doublon de la pièce 1 saisie à la main le 03/10/2025 (« Librairie du centre »)"
    )


def test_a_line_like_one_imported_from_another_file_is_reported(ledger):
    importe(ledger, "06/10/2025;CB LIBRAIRIE DU CENTRE;-45,90", fichier="octobre.ofx")
    r = importe(ledger, "06/10/2025;PAIEMENT CB LIBRAIRIE CENTRE;-45,90")
    assert [a.message for a in r.doublons] == [
        "possible doublon de la pièce 1 importée de octobre.ofx le 06/10/2025 "
        "(« CB LIBRAIRIE DU CENTRE »)"
    ]


# --- categorisation ----------------------------------------------------------------------------


def test_learned_suggestions_above_the_threshold_apply_and_say_why(ledger):
    for jour in ("02/09/2025", "16/09/2025"):
        saisir(ledger, jour, Sens.DEPENSE, "CB LIBRAIRIE DU CENTRE", "20.00", compte="6183")
    r = importe(ledger, "09/10/2025;CB LIBRAIRIE DU CENTRE 08/10;-12,50")
    assert (r.par_suggestion, r.en_attente) == (1, 0)
    (e,) = [e for e in ecritures(ledger) if e.import_id]
    assert e.ventilation == (Ligne("6183", Decimal("12.50")),)
    (a,) = analyser(
        ledger, releve("10/10/2025;CB LIBRAIRIE DU CENTRE 09/10;-9,00"), contexte(ledger)
    )
    assert a.categorisation.origine == "suggestion"
    assert a.categorisation.raison.startswith("suggestion sûre (")
    assert "comme 3 écritures passées, ex. « CB LIBRAIRIE DU CENTRE" in a.categorisation.raison


def test_one_past_use_is_not_enough_and_the_line_waits_on_471(ledger):
    saisir(ledger, "02/09/2025", Sens.DEPENSE, "CB BRICO DEPOT", "20.00", compte="6068")
    (a,) = analyser(ledger, releve("09/10/2025;CB BRICO DEPOT 08/10;-12,50"), contexte(ledger))
    assert a.categorisation.origine == "attente"
    assert a.suggestions[0].compte.numero == "6068"
    assert a.categorisation.raison.startswith("suggestion trop peu sûre (")
    assert a.categorisation.raison.endswith(", 6068) : en attente sur 471")


def test_rules_come_before_suggestions(ledger):
    for jour in ("02/09/2025", "16/09/2025"):
        saisir(ledger, jour, Sens.DEPENSE, "CB LIBRAIRIE", "20.00", compte="6183")
    regles = "- {nom: Tout en fournitures, motif: CB, compte: '6068'}"
    (a,) = analyser(ledger, releve("09/10/2025;CB LIBRAIRIE;-12,50"), contexte(ledger, regles))
    assert a.categorisation.raison == "règle « Tout en fournitures »"


@pytest.mark.parametrize(
    ("libelle", "mode"),
    [
        ("CB LIBRAIRIE 12/10", "carte"),
        ("PAIEMENT PAR CARTE X", "carte"),
        ("PRLV SEPA OCCE 35", "prelevement"),
        ("VIR SEPA RECU /DE MAIRIE", "virement"),
        ("VIREMENT EMIS APE", "virement"),
        ("CHQ 1234567", "cheque"),
        ("CHEQUE N° 4518203", "cheque"),
        ("REMISE CHEQUES 0002145", "cheque"),
        ("REM CHQ 12", "cheque"),
        ("VERSEMENT ESPECES", "especes"),
        ("FRAIS TENUE DE COMPTE", None),
    ],
)
def test_the_payment_mode_is_guessed_from_the_label(libelle, mode):
    from coopcompta.domain.categorisation import cle_libelle

    assert deviner_mode(cle_libelle(libelle)) == mode


def test_a_cheque_number_read_by_the_parser_is_kept(ledger):
    ligne = ReleveLigne(
        dt.date(2025, 10, 6), "CHEQUE 4518203", Decimal("-52.00"), 2, "x", "4518203"
    )
    importer(ledger, contexte(ledger), [ligne])
    (e,) = ecritures(ledger)
    assert (e.mode, e.cheque) == ("cheque", "4518203")


# --- safety ------------------------------------------------------------------------------------


def test_a_parse_error_late_in_the_file_leaves_the_ledger_unchanged(ledger):
    def flux() -> Iterator[ReleveLigne]:
        yield from releve(*(f"0{1 + i % 9}/10/2025;CB MAGASIN {i};-1,00" for i in range(1500)))
        raise ImportInvalide("montant illisible « 12,3O »", "releve.csv:1502")

    avant = ledger.conn.execute("SELECT count(*) FROM ecritures").fetchone()[0]
    with pytest.raises(ImportInvalide, match="releve.csv:1502"):
        importer(ledger, contexte(ledger), flux())
    assert ledger.conn.execute("SELECT count(*) FROM ecritures").fetchone()[0] == avant
    assert ledger.conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 0


def test_lines_outside_the_open_exercices_are_not_imported(ledger):
    r = importe(
        ledger,
        "29/08/2025;CB AVANT;-5,00",
        "02/09/2025;CB DEDANS;-5,00",
        "0" * 0 + "01/09/2026;CB APRES;-5,00",
    )
    assert (r.nouvelles, r.hors_exercice) == (1, 2)
    assert [e.libelle for e in ecritures(ledger)] == ["CB DEDANS"]


def test_lines_of_a_closed_exercice_are_not_imported(ledger):
    from coopcompta.storage.exercices import ouvrir_exercice_suivant

    ouvrir_exercice_suivant(ledger, EXERCICE, Exercice.depuis_nom("2026-2027"), {})
    (a, b) = analyser(
        ledger, releve("30/08/2026;CB AVANT;-5,00", "02/09/2026;CB APRES;-5,00"), contexte(ledger)
    )
    assert (a.statut, a.message) == (Statut.HORS_EXERCICE, "exercice 2025-2026 clôturé")
    assert (b.statut, b.exercice) == (Statut.NOUVELLE, "2026-2027")


def test_pieces_continue_the_exercice_and_follow_the_dates_of_a_newest_first_file(ledger):
    saisir(ledger, "01/10/2025", Sens.DEPENSE, "Goûter", "10.00")
    r = importe(
        ledger,
        "09/10/2025;CB C;-3,00",
        "08/10/2025;CB B;-2,00",
        "07/10/2025;CB A;-1,00",
    )
    assert r.pieces == [("2", "4")]
    assert [(e.piece, e.libelle) for e in ecritures(ledger)] == [
        ("1", "Goûter"),
        ("2", "CB A"),
        ("3", "CB B"),
        ("4", "CB C"),
    ]


def test_with_two_series_receipts_and_expenses_are_numbered_apart(ledger):
    ledger.ecrire_meta("series", "RD")
    ledger.conn.commit()
    r = importe(
        ledger, "06/10/2025;CB A;-1,00", "07/10/2025;VIR DON;50,00", "08/10/2025;CB B;-2,00"
    )
    assert sorted(r.pieces) == [("D1", "D2"), ("R1", "R1")]
    assert [e.piece for e in ecritures(ledger)] == ["D1", "R1", "D2"]


# --- virements internes: cash deposits, AssoConnect -------------------------------------------


def test_a_cash_deposit_confirms_the_virement_typed_by_hand(ledger):
    saisir(ledger, "15/10/2025", Sens.VIREMENT, "Dépôt de la buvette", "95.00",
           tresorerie="53", contrepartie="512")  # fmt: skip
    r = importe(ledger, "16/10/2025;VERSEMENT ESPECES;95,00")
    assert (r.nouvelles, r.presentes, r.nb_rapprochees) == (0, 1, 1)
    assert r.rapprochees[0].message == (
        "déjà enregistrée : la pièce 1 du 15/10/2025, virement interne « Dépôt de la buvette »"
    )
    assert len(ecritures(ledger)) == 1
    # The confirming line is remembered: importing the statement again adds nothing either.
    r = importe(ledger, "16/10/2025;VERSEMENT ESPECES;95,00")
    assert (r.nouvelles, r.presentes, r.nb_rapprochees) == (0, 1, 0)


def test_a_cash_deposit_nobody_typed_becomes_the_virement_from_the_cash_box(ledger):
    importe(ledger, "16/10/2025;VERSEMENT ESPECES;95,00")
    (e,) = ecritures(ledger)
    assert (e.sens, e.tresorerie, e.contrepartie, e.mode) == (Sens.VIREMENT, "53", "512", "especes")


PAIEMENTS = (
    "02/09/2025;Cotisation coopérative DUPONT Marie;15,00;0,52",
    "05/09/2025;Sortie au zoo CE2 BERNARD Paul;12,00;0,47",
)
VERSEMENT = ("15/09/2025;VIR ASSOCONNECT V-2025-0915;-26,01",)
BANQUE = ("16/09/2025;VIR SEPA RECU /DE ASSOCONNECT V-2025-0915;26,01",)
REGLES_ASSO = """
- {nom: Cotisations en ligne, motif: cotisation, source: assoconnect-paiements, compte: "75620008"}
- {nom: Sorties en ligne, motif: sortie, source: assoconnect-paiements, compte: "7068"}
"""


def asso(ledger, lignes, format, tresorerie="517"):
    fichier = {"assoconnect-paiements": "paiements.csv", "assoconnect-versements": "versements.csv"}
    return importe(
        ledger, *lignes, regles=REGLES_ASSO, fichier=fichier.get(format, "releve.csv"),
        format=format, tresorerie=tresorerie,
    )  # fmt: skip


def test_assoconnect_payments_are_gross_receipts_on_517_with_their_fees_on_627(ledger):
    r = asso(ledger, PAIEMENTS, "assoconnect-paiements")
    assert (r.nouvelles, r.par_regle, r.ecritures) == (2, 2, 4)
    assert [
        (e.piece, e.sens, e.libelle, str(e.montant), e.tresorerie, e.ventilation[0].compte, e.mode)
        for e in ecritures(ledger)
    ] == [
        ("1", Sens.RECETTE, "Cotisation coopérative DUPONT Marie", "15.00", "517", "75620008",
         "assoconnect"),
        ("2", Sens.DEPENSE, "Frais AssoConnect : Cotisation coopérative DUPONT Marie", "0.52",
         "517", "627", "assoconnect"),
        ("3", Sens.RECETTE, "Sortie au zoo CE2 BERNARD Paul", "12.00", "517", "7068",
         "assoconnect"),
        ("4", Sens.DEPENSE, "Frais AssoConnect : Sortie au zoo CE2 BERNARD Paul", "0.47", "517",
         "627", "assoconnect"),
    ]  # fmt: skip
    assert ledger.soldes(EXERCICE.nom)["517"] == Decimal("26.01")
    assert asso(ledger, PAIEMENTS, "assoconnect-paiements").presentes == 2


def test_the_payout_then_the_bank_line_make_one_virement_interne(ledger):
    asso(ledger, PAIEMENTS, "assoconnect-paiements")
    r = asso(ledger, VERSEMENT, "assoconnect-versements")
    assert (r.nouvelles, r.virements) == (1, 1)
    v = ecritures(ledger)[-1]
    assert (v.sens, v.tresorerie, v.contrepartie, str(v.montant)) == (
        Sens.VIREMENT, "517", "512", "26.01",
    )  # fmt: skip
    r = importe(ledger, *BANQUE)  # the bank statement, later
    assert (r.nouvelles, r.presentes, r.nb_rapprochees) == (0, 1, 1)
    assert r.rapprochees[0].message.startswith("déjà enregistrée : la pièce 5 du 15/09/2025")
    soldes = ledger.soldes(EXERCICE.nom)
    assert (soldes["517"], soldes["512"]) == (Decimal("0.00"), Decimal("1526.01"))


def test_the_bank_line_first_records_the_virement_that_the_payout_then_confirms(ledger):
    r = importe(ledger, *BANQUE)
    assert (r.nouvelles, r.virements) == (1, 1)
    (v,) = ecritures(ledger)
    assert (v.sens, v.tresorerie, v.contrepartie) == (Sens.VIREMENT, "517", "512")
    r = asso(ledger, VERSEMENT, "assoconnect-versements")
    assert (r.nouvelles, r.presentes, r.nb_rapprochees) == (0, 1, 1)
    assert len(ecritures(ledger)) == 1
    # Each side is confirmed once: a second, identical payout a month later is new.
    r = importe(ledger, "16/10/2025;VIR ASSOCONNECT V-2025-1016;26,01")
    assert (r.nouvelles, r.presentes) == (1, 0)


# --- cheque deposits -------------------------------------------------------------------------


def test_the_cheques_a_deposit_holds_are_found_among_those_typed_by_hand():
    def ch(i: int, jour: int, montant: str) -> Cheque:
        return Cheque(i, dt.date(2025, 10, jour), str(i), f"chèque {i}", Decimal(montant))

    recents = [ch(4, 9, "15.00"), ch(3, 8, "30.00"), ch(2, 5, "20.00"), ch(1, 2, "50.00")]
    assert [c.id for c in trouver_remise(recents, Decimal("45.00"))] == [3, 4]
    assert [c.id for c in trouver_remise(recents, Decimal("85.00"))] == [1, 2, 4]
    assert trouver_remise(recents, Decimal("16.00")) is None


def test_a_deposit_matching_typed_cheques_is_flagged_then_confirms_them(ledger):
    for jour, montant in (("02/10/2025", "15.00"), ("03/10/2025", "30.00")):
        saisir(ledger, jour, Sens.RECETTE, "Cotisation", montant, mode="cheque")
    ctx = contexte(ledger)
    (a,) = analyser(ledger, releve("06/10/2025;REMISE CHEQUES 0002145;45,00"), ctx)
    assert a.statut is Statut.DOUBLON
    assert a.message == (
        "possible doublon des chèques saisis à la main (pièces 1, 2, même total) : "
        "en interactif, « c » les rapproche"
    )
    rapprocher_remise(a, a.remise)
    r = importer(ledger, ctx, analyses=[a])
    assert (r.nouvelles, r.presentes, r.nb_rapprochees, r.ecritures) == (0, 1, 1, 0)
    assert len(ecritures(ledger)) == 2
    # Confirmed: neither the statement nor another deposit of 45 € offers them again.
    r = importe(ledger, "06/10/2025;REMISE CHEQUES 0002145;45,00", "09/10/2025;REMISE CHQ;45,00")
    assert (r.presentes, r.nouvelles, r.nb_doublons) == (1, 1, 0)


# --- undo --------------------------------------------------------------------------------------


def test_undo_removes_the_last_import_only(ledger):
    importe(ledger, *OCTOBRE[:2])
    importe(ledger, *OCTOBRE[2:])
    a = annuler_dernier_import(ledger)
    assert (a.import_id, a.ecritures, a.fichier) == (2, 2, "releve.csv")
    assert [e.libelle for e in ecritures(ledger)] == [
        "REMISE CHEQUES 0002145",
        "FRAIS TENUE DE COMPTE",
    ]
    assert annuler_dernier_import(ledger).import_id == 1
    assert ecritures(ledger) == []
    with pytest.raises(ImportImpossible, match="aucun import à annuler"):
        annuler_dernier_import(ledger)
    # Undone lines come back when the file is imported again.
    assert importe(ledger, *OCTOBRE).nouvelles == 4


def test_undo_also_forgets_the_lines_that_confirmed_existing_entries(ledger):
    saisir(ledger, "15/10/2025", Sens.VIREMENT, "Dépôt", "95.00", tresorerie="53",
           contrepartie="512")  # fmt: skip
    importe(ledger, "16/10/2025;VERSEMENT ESPECES;95,00")
    assert annuler_dernier_import(ledger).rapprochements == 1
    assert importe(ledger, "16/10/2025;VERSEMENT ESPECES;95,00").nb_rapprochees == 1


def test_undo_is_refused_when_an_imported_entry_was_cancelled_since(ledger):
    importe(ledger, *OCTOBRE[:2])
    annuler_piece(ledger, "2", date=dt.date(2025, 10, 20), motif="erreur")
    avant = ledger.conn.execute("SELECT count(*) FROM ecritures").fetchone()[0]
    with pytest.raises(CoopComptaError) as exc:
        annuler_dernier_import(ledger)
    assert str(exc.value) == (
        "--annuler: impossible d'annuler l'import n° 1 (releve.csv) : la pièce 2 a été annulée "
        "depuis (pièce 3). Corrigez plutôt écriture par écriture (coop annuler)."
    )
    assert ledger.conn.execute("SELECT count(*) FROM ecritures").fetchone()[0] == avant
