"""`coop import`: summaries, dry run, rules file, interactive review, undo, bad input."""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

import coopcompta.cli  # noqa: F401  (loads coopcompta.cli.app)

DATA = Path(__file__).parents[1] / "data" / "import"
OCTOBRE = DATA / "octobre.csv"
REGLES = DATA / "regles.yaml"
cli_app = sys.modules["coopcompta.cli.app"]  # the module; `coopcompta.cli.app` is the Typer app


def contenu(db: Path) -> list[tuple]:
    """Every row that matters of the ledger, to prove it unchanged."""
    with sqlite3.connect(db) as conn:
        return [
            *conn.execute("SELECT * FROM ecritures ORDER BY id"),
            *conn.execute("SELECT ecriture_id, role, compte, montant FROM lignes ORDER BY id"),
            *conn.execute("SELECT id, fichier, annule FROM imports ORDER BY id"),
            *conn.execute("SELECT cle, valeur FROM meta ORDER BY cle"),
        ]


def journal(invoke, db: Path) -> list[dict]:
    r = invoke("journal", "--db", db, "--format", "json")
    assert r.exit_code == 0, r.output
    return [e for e in json.loads(r.stdout) if e["sens"] != "ouverture"]


def importer(invoke, db: Path, fichier: Path, *options: object, input: str | None = None):
    return invoke("import", fichier, "--db", db, *options, input=input)


# --- summaries ---------------------------------------------------------------------------------


def test_an_import_says_what_it_did_line_by_line_category(invoke, ledger_path):
    r = importer(invoke, ledger_path, OCTOBRE, "--regles", REGLES, "--non-interactif")
    assert r.exit_code == 0, r.output
    assert r.stdout == (
        "octobre.csv (Crédit Mutuel / CIC, csv) sur le compte 512 : 8 lignes lues\n"
        "  8 nouvelles, 0 déjà présente, 0 doublon possible\n"
        "  catégorisées : 2 par règle, 0 par suggestion, 1 virement interne, "
        "5 en attente sur 471\n"
        "Import n° 1 enregistré : 8 écritures, pièces 1 à 8. "
        "Pour l'annuler : coop import --annuler\n"
        "5 écritures attendent sur 471 (à ventiler) : coop verifier les signale.\n"
    )
    es = journal(invoke, ledger_path)
    assert [e["piece"] for e in es] == [str(i) for i in range(1, 9)]


def test_reimporting_the_same_file_adds_nothing_and_says_so(invoke, ledger_path):
    importer(invoke, ledger_path, OCTOBRE, "--non-interactif")
    avant = contenu(ledger_path)
    r = importer(invoke, ledger_path, OCTOBRE, "--non-interactif")
    assert r.exit_code == 0, r.output
    assert r.stdout == (
        "octobre.csv (Crédit Mutuel / CIC, csv) sur le compte 512 : 8 lignes lues\n"
        "  0 nouvelle, 8 déjà présentes, 0 doublon possible\n"
        "Rien de nouveau : la comptabilité est inchangée.\n"
    )
    assert contenu(ledger_path) == avant


def test_the_next_months_export_adds_only_its_new_lines(invoke, ledger_path):
    importer(invoke, ledger_path, OCTOBRE, "--regles", REGLES, "--non-interactif")
    r = importer(invoke, ledger_path, DATA / "novembre.csv", "--non-interactif")
    assert r.exit_code == 0, r.output
    assert "  2 nouvelles, 3 déjà présentes, 0 doublon possible\n" in r.stdout
    assert "pièces 9 à 10." in r.stdout
    libelles = [e["libelle"] for e in journal(invoke, ledger_path)]
    assert libelles.count("VIR SEPA RECU /DE FAMILLE MARTIN") == 2  # both 15 € transfers
    assert libelles[-2:] == ["FRAIS TENUE DE COMPTE", "CB LIBRAIRIE DU CENTRE 04/11"]


def test_a_possible_duplicate_is_listed_and_imported(invoke, ledger_path):
    r = invoke(
        "saisie",
        "--db",
        ledger_path,
        "--date",
        "06/10/2025",
        "--depense",
        "52,00",
        "--libelle",
        "Fournitures Majuscule",
        "--tresorerie",
        "512",
        "--mode",
        "cheque",
        "--compte",
        "6068",
    )  # fmt: skip  (no cheque number: with it, the bank line would confirm this écriture)
    assert r.exit_code == 0, r.output
    r = importer(invoke, ledger_path, OCTOBRE, "--non-interactif")
    assert "  8 nouvelles, 0 déjà présente, 1 doublon possible\n" in r.stdout
    assert (
        "Doublons possibles (importés quand même, à vérifier) :\n"
        "  octobre.csv:4  06/10/2025  -52,00\u00a0€  CHEQUE 4518203 : possible doublon de la "
        "pièce 1 saisie à la main le 06/10/2025 (« Fournitures Majuscule »)\n"
    ) in r.stdout
    assert len(journal(invoke, ledger_path)) == 9


def test_lines_left_out_are_counted_in_singular_or_plural(invoke, ledger_path, tmp_path):
    entete = OCTOBRE.read_bytes().splitlines()[0]
    lignes = [
        "02/09/2025;02/09/2025;-5,00;;CB DEDANS;1",
        "01/09/2026;01/09/2026;-5,00;;CB APRES;1",
        "05/09/2025;05/09/2025;0,00;;CB NUL;1",
    ]
    releve = tmp_path / "releve.csv"
    releve.write_bytes(b"\n".join([entete, *(x.encode() for x in lignes)]) + b"\n")
    r = importer(invoke, ledger_path, releve, "--non-interactif")
    assert r.exit_code == 0, r.output
    assert "  1 ligne hors exercice, non importée\n  1 ligne de montant nul, ignorée\n" in r.stdout
    r = invoke("import", "--annuler", "--oui", "--db", ledger_path)
    assert r.stdout.endswith(") annulé : 1 écriture supprimée.\n")
    lignes += ["31/08/2025;31/08/2025;-5,00;;CB AVANT;1", "06/09/2025;06/09/2025;0,00;;CB NUL;1"]
    releve.write_bytes(b"\n".join([entete, *(x.encode() for x in lignes)]) + b"\n")
    r = importer(invoke, ledger_path, releve, "--non-interactif")
    assert "  2 lignes hors exercice, non importées\n  2 lignes de montant nul, ignorées\n" in (
        r.stdout
    )


# --- dry run -----------------------------------------------------------------------------------


def test_a_dry_run_in_json_lists_every_line_in_file_order_and_writes_nothing(invoke, ledger_path):
    avant = contenu(ledger_path)
    r = importer(invoke, ledger_path, OCTOBRE, "--regles", REGLES, "--dry-run", "--format", "json")
    assert r.exit_code == 0, r.output
    lignes = json.loads(r.stdout)
    assert [(x["date"], x["montant"], x["compte"], x["statut"]) for x in lignes] == [
        ("2025-10-01", "330.00", None, "nouvelle"),
        ("2025-10-06", "-3.60", "627", "nouvelle"),
        ("2025-10-06", "-52.00", None, "nouvelle"),
        ("2025-10-07", "-120.00", "62810008", "nouvelle"),
        ("2025-10-08", "-45.90", None, "nouvelle"),
        ("2025-10-10", "15.00", None, "nouvelle"),
        ("2025-10-10", "15.00", None, "nouvelle"),
        ("2025-10-16", "95.00", "53", "nouvelle"),
    ]
    assert lignes[1] == {
        "date": "2025-10-06",
        "libelle": "FRAIS TENUE DE COMPTE",
        "montant": "-3.60",
        "compte": "627",
        "raison": "règle « Frais bancaires »",
        "statut": "nouvelle",
        "suggestions": [{"compte": "627", "confiance": 1.0, "raison": "règle « Frais bancaires »"}],
    }
    assert lignes[7]["raison"] == "versement d'espèces : virement interne depuis la caisse (53)"
    assert lignes[2]["raison"].endswith("en attente sur 471")
    assert "Simulation : rien n'a été enregistré." in r.stderr
    # Nothing written, not even the rules file's path.
    assert contenu(ledger_path) == avant


def test_a_dry_run_after_the_import_shows_every_line_already_present(invoke, ledger_path):
    importer(invoke, ledger_path, OCTOBRE, "--non-interactif")
    r = importer(invoke, ledger_path, OCTOBRE, "--dry-run", "--format", "json")
    assert {x["statut"] for x in json.loads(r.stdout)} == {"déjà présente"}
    r = importer(invoke, ledger_path, OCTOBRE, "--dry-run")
    assert r.stdout.splitlines()[:2] == [
        "Ligne  Date               Montant  Compte    Statut           Libellé — raison",
        "    2  01/10/2025        330,00\u00a0€  —         déjà présente    "
        "REMISE CHEQUES 0002145 — déjà importée",
    ]


# --- the rules file ----------------------------------------------------------------------------


def test_the_rules_file_given_once_is_used_for_the_next_imports(invoke, ledger_path, tmp_path):
    regles = tmp_path / "ailleurs" / "mes-regles.yaml"
    regles.parent.mkdir()
    shutil.copy(REGLES, regles)
    importer(invoke, ledger_path, DATA / "tronque.csv", "--regles", regles, "--non-interactif")
    r = importer(invoke, ledger_path, OCTOBRE, "--non-interactif")  # no --regles: not yet kept
    assert "0 par règle" in r.stdout
    invoke("import", "--annuler", "--oui", "--db", ledger_path)
    importer(invoke, ledger_path, OCTOBRE, "--regles", regles, "--non-interactif")
    invoke("import", "--annuler", "--oui", "--db", ledger_path)
    r = importer(invoke, ledger_path, OCTOBRE, "--non-interactif")
    assert "2 par règle" in r.stdout


def test_regles_yaml_beside_the_ledger_is_read_without_option(invoke, ledger_path):
    shutil.copy(REGLES, ledger_path.parent / "regles.yaml")
    r = importer(invoke, ledger_path, OCTOBRE, "--non-interactif")
    assert "2 par règle" in r.stdout


def test_a_broken_rule_stops_the_import_naming_file_rule_and_field(invoke, ledger_path, tmp_path):
    regles = tmp_path / "regles.yaml"
    regles.write_text("- nom: Livres\n  motif: LIBRAIRIE\n  compte: '6999'\n", "utf-8")
    avant = contenu(ledger_path)
    r = importer(invoke, ledger_path, OCTOBRE, "--regles", regles, "--non-interactif")
    assert r.exit_code == 1
    assert r.stderr.endswith(
        "Erreur : regles.yaml: regles[0] (Livres).compte: compte inconnu « 6999 » "
        "(voir `coop plan`)\n"
    )
    assert contenu(ledger_path) == avant


# --- the interactive review --------------------------------------------------------------------


def test_the_review_accepts_chooses_searches_splits_and_parks(invoke, ledger_path):
    reponses = [
        "",  # REMISE CHEQUES: no likely suggestion, Entrée leaves it on 471
        "",  # FRAIS TENUE DE COMPTE: accept 627
        "6068",  # CHEQUE: an account by number
        "assurance",  # PRLV OCCE: search…
        "1",  # …and pick the first account found
        "v", "6183", "20", "CM1", "6068", "", "",  # CB LIBRAIRIE: 20,00 for the CM1 + the rest
        "7068",  # VIR FAMILLE MARTIN
        "a",  # the second one waits on 471
    ]  # fmt: skip
    r = importer(
        invoke, ledger_path, OCTOBRE, "--interactif", input="\n".join([*reponses, "o"]) + "\n"
    )
    assert r.exit_code == 0, r.output
    assert "[2/7] octobre.csv:3  06/10/2025  FRAIS TENUE DE COMPTE  -3,60\u00a0€\n" in r.stdout
    assert "  1. 627 Frais bancaires, commissions de paiement en ligne — " in r.stdout
    assert "  Comptes trouvés pour « assurance » :\n  1. 61681008 Assurance (MAE, MAIF)\n" in (
        r.stdout
    )
    assert "catégorisées : 0 par règle, 1 par suggestion, 4 à la main, 1 virement interne, " in (
        r.stdout
    )
    ventilations = {
        e["libelle"]: [(v["compte"], v["montant"]) for v in e["ventilation"]]
        for e in journal(invoke, ledger_path)
    }
    assert ventilations["REMISE CHEQUES 0002145"] == [("471", "330.00")]
    assert ventilations["FRAIS TENUE DE COMPTE"] == [("627", "3.60")]
    assert ventilations["CHEQUE 4518203"] == [("6068", "52.00")]
    assert ventilations["PRLV SEPA OCCE 35"] == [("61681008", "120.00")]
    assert ventilations["CB LIBRAIRIE DU CENTRE 07/10"] == [
        ("6183", "20.00"),
        ("6068", "25.90"),
    ]
    classes = {
        (v["compte"], v.get("classe"))
        for e in journal(invoke, ledger_path)
        if e["libelle"] == "CB LIBRAIRIE DU CENTRE 07/10"
        for v in e["ventilation"]
    }
    assert classes == {("6183", "CM1"), ("6068", None)}
    assert "  Classe ou projet (facultatif) : " in r.stdout


def test_a_bad_amount_during_a_split_is_asked_again(invoke, ledger_path):
    reponses = [
        "a", "a", "a", "a",  # the first four lines wait
        "v", "6183", "abc", "50", "20", "", "6068", "", "",  # CB LIBRAIRIE 45,90: two bad amounts
        "a", "a",
    ]  # fmt: skip
    r = importer(
        invoke, ledger_path, OCTOBRE, "--interactif", input="\n".join([*reponses, "o"]) + "\n"
    )
    assert r.exit_code == 0, r.output
    assert "  montant illisible « abc »\n" in r.stderr
    assert "  Montant entre 0,01\u00a0€ et 45,90\u00a0€ attendu.\n" in r.stderr
    assert "  montant [Entrée = 25,90\u00a0€] : " in r.stdout
    ventilations = {
        e["libelle"]: [(v["compte"], v["montant"]) for v in e["ventilation"]]
        for e in journal(invoke, ledger_path)
    }
    assert ventilations["CB LIBRAIRIE DU CENTRE 07/10"] == [("6183", "20.00"), ("6068", "25.90")]


def test_toujours_writes_a_rule_that_applies_to_the_following_lines_at_once(invoke, ledger_path):
    regles = ledger_path.parent / "regles.yaml"
    reponses = [
        "a", "a", "a", "a", "a",  # the first five lines wait
        "t", "7068", "", "o",  # VIR FAMILLE MARTIN: always 7068, default motif, confirmed
    ]  # fmt: skip
    r = importer(
        invoke, ledger_path, OCTOBRE, "--interactif", input="\n".join([*reponses, "o"]) + "\n"
    )
    assert r.exit_code == 0, r.output
    assert (
        "Ajouter à regles.yaml la règle « VIR SEPA RECU /DE FAMILLE MARTIN » → 7068 "
        "Participation des familles aux activités (sorties, voyages) (crédits) ? (o/n) [o] : "
    ) in r.stdout
    # The second identical transfer was categorised by the new rule without a question.
    assert (
        "[7/7] VIR SEPA RECU /DE FAMILLE MARTIN : règle « VIR SEPA RECU /DE FAMILLE MARTIN » "
        "appliquée.\n"
    ) in r.stdout
    assert "1 règle ajoutée à " in r.stdout
    assert regles.read_text("utf-8").endswith(
        '- nom: "VIR SEPA RECU /DE FAMILLE MARTIN"\n'
        '  motif: "VIR SEPA RECU /DE FAMILLE MARTIN"\n'
        "  sens: recette\n"
        '  compte: "7068"\n'
    )
    martin = [e for e in journal(invoke, ledger_path) if "MARTIN" in e["libelle"]]
    assert [e["ventilation"][0]["compte"] for e in martin] == ["7068", "7068"]
    # The next import uses it from the start.
    invoke("import", "--annuler", "--oui", "--db", ledger_path)
    r = importer(invoke, ledger_path, OCTOBRE, "--non-interactif")
    assert "catégorisées : 2 par règle," in r.stdout  # both transfers of the Martin family


def test_stopping_the_review_writes_nothing(invoke, ledger_path):
    avant = contenu(ledger_path)
    r = importer(invoke, ledger_path, OCTOBRE, "--interactif", input="\n\nt\n7068\n\no\n")
    assert r.exit_code == 1
    assert r.stderr.endswith("Interrompu : rien n'a été enregistré.\n")
    assert contenu(ledger_path) == avant
    assert not (ledger_path.parent / "regles.yaml").exists()


def test_a_terminal_gets_the_review_by_default(invoke, ledger_path, monkeypatch):
    monkeypatch.setattr(cli_app, "stdin_interactif", lambda: True)
    r = importer(invoke, ledger_path, OCTOBRE, input="a\n" * 7 + "o\n")
    assert r.exit_code == 0, r.output
    assert "7 lignes à revoir." in r.stdout
    r = importer(invoke, ledger_path, DATA / "novembre.csv", "--format", "json")
    assert json.loads(r.stdout)["nouvelles"] == 2  # a script asking for JSON gets no questions
    invoke("import", "--annuler", "--oui", "--db", ledger_path)
    monkeypatch.setattr(cli_app, "stdin_interactif", lambda: False)
    r = importer(invoke, ledger_path, DATA / "novembre.csv")
    assert "à revoir" not in r.stdout


# --- cheque deposits ---------------------------------------------------------------------------


def saisir_cheque(invoke, db: Path, date: str, montant: str, libelle: str) -> None:
    r = invoke(
        "saisie", "--db", db, "--date", date, "--recette", montant, "--libelle", libelle,
        "--tresorerie", "512", "--mode", "cheque", "--compte", "75620008",
    )  # fmt: skip
    assert r.exit_code == 0, r.output


def test_a_deposit_is_matched_with_the_cheques_typed_by_hand(invoke, ledger_path):
    saisir_cheque(invoke, ledger_path, "02/10/2025", "15,00", "Cotisation Dupont")
    saisir_cheque(invoke, ledger_path, "03/10/2025", "30,00", "Cotisation Martin")
    # Line 1 (45 €): match the typed cheques; line 2 (65 €): leave it waiting.
    r = importer(invoke, ledger_path, DATA / "remises.csv", "--interactif", input="c\na\no\n")
    assert r.exit_code == 0, r.output
    assert (
        "  Chèques saisis de même total : pièce 1 15,00\u00a0€, pièce 2 30,00\u00a0€ "
        "(c : les rapprocher)\n"
    ) in r.stdout
    assert "  1 nouvelle, 1 déjà présente, 0 doublon possible\n" in r.stdout
    assert (
        "Rapprochées d'écritures déjà enregistrées :\n"
        "  remises.csv:2  06/10/2025  45,00\u00a0€  REMISE CHEQUES 0002145 : "
        "remise des chèques déjà saisis (pièces 1, 2)\n"
    ) in r.stdout
    assert [e["libelle"] for e in journal(invoke, ledger_path)] == [
        "Cotisation Dupont",
        "Cotisation Martin",
        "REMISE CHEQUES 0002146",
    ]


def test_without_review_a_matching_deposit_is_a_possible_duplicate(invoke, ledger_path):
    saisir_cheque(invoke, ledger_path, "02/10/2025", "15,00", "Cotisation Dupont")
    saisir_cheque(invoke, ledger_path, "03/10/2025", "30,00", "Cotisation Martin")
    r = importer(invoke, ledger_path, DATA / "remises.csv", "--non-interactif")
    assert (
        "REMISE CHEQUES 0002145 : possible doublon des chèques saisis à la main (pièces 1, 2, "
        "même total) : en interactif, « c » les rapproche\n"
    ) in r.stdout


def test_a_deposit_slip_is_typed_cheque_by_cheque(invoke, ledger_path):
    reponses = [
        "b",
        "20", "7070", "Dupont",  # cheque 1
        "", "75620008", "",  # cheque 2: the rest (25 €), no payer
        "a",  # second deposit waits
    ]  # fmt: skip
    r = importer(
        invoke,
        ledger_path,
        DATA / "remises.csv",
        "--interactif",
        input="\n".join([*reponses, "o"]) + "\n",
    )
    assert r.exit_code == 0, r.output
    (remise, _) = journal(invoke, ledger_path)
    assert remise["libelle"] == "REMISE CHEQUES 0002145 (Dupont)"
    assert [(v["compte"], v["montant"]) for v in remise["ventilation"]] == [
        ("7070", "20.00"),
        ("75620008", "25.00"),
    ]


# --- AssoConnect -------------------------------------------------------------------------------


def test_assoconnect_payments_payout_and_bank_line_make_gross_receipts_fees_and_one_virement(
    invoke, ledger_path
):
    r = importer(
        invoke, ledger_path, DATA / "paiements-assoconnect.csv", "--regles", REGLES,
        "--non-interactif",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith(
        "paiements-assoconnect.csv (assoconnect-paiements) sur le compte 517 : 2 lignes lues\n"
    )
    assert "Import n° 1 enregistré : 4 écritures, pièces 1 à 4." in r.stdout
    assert r.stderr.endswith(
        "Note : paiements-assoconnect.csv:4: ligne « Échoué » ignorée "
        "(Sortie au zoo CE2 PETIT Emma, 12,00\u00a0€)\n"
    )
    r = importer(invoke, ledger_path, DATA / "versements-assoconnect.csv", "--non-interactif")
    assert "1 virement interne" in r.stdout
    r = importer(invoke, ledger_path, DATA / "banque-septembre.csv", "--non-interactif")
    assert "  0 nouvelle, 1 déjà présente, 0 doublon possible\n" in r.stdout
    assert "Import n° 3 enregistré : 0 écriture, 1 ligne rapprochée." in r.stdout
    es = journal(invoke, ledger_path)
    assert [(e["sens"], e["tresorerie"], e["montant"]) for e in es] == [
        ("recette", "517", "15.00"),
        ("depense", "517", "0.52"),
        ("recette", "517", "12.00"),
        ("depense", "517", "0.47"),
        ("virement", "517", "26.01"),
    ]
    r = invoke("bilan", "--db", ledger_path, "--format", "json")
    bilan = json.loads(r.stdout)
    assert (bilan["tresorerie"].get("517", "0.00"), bilan["tresorerie"]["512"]) == (
        "0.00",
        "1526.01",
    )
    assert (bilan["recettes"], bilan["depenses"]) == (
        {"75620008": "15.00", "7068": "12.00"},
        {"627": "0.99"},
    )
    assert bilan["equilibre"] is True


# --- undo --------------------------------------------------------------------------------------


def test_annuler_removes_the_last_import_and_says_how_many_entries(invoke, ledger_path):
    avant = contenu(ledger_path)
    importer(invoke, ledger_path, OCTOBRE, "--non-interactif")
    r = invoke("import", "--annuler", "--oui", "--db", ledger_path)
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("Import n° 1 (octobre.csv, importé le ")
    assert r.stdout.endswith(") annulé : 8 écritures supprimées.\n")
    assert journal(invoke, ledger_path) == []
    r = invoke("import", "--annuler", "--oui", "--db", ledger_path)
    assert r.exit_code == 1
    assert r.stderr == "Erreur : --annuler: aucun import à annuler\n"
    # Everything is as before, but for the pièce numbers given (1 to 8), never given again.
    apres = [x for x in contenu(ledger_path) if len(x) != 3]
    assert ("pieces_donnees", '{"2025-2026": {"": 8}}') in apres
    apres.remove(("pieces_donnees", '{"2025-2026": {"": 8}}'))
    assert apres == [x for x in avant if len(x) != 3]


def test_annuler_shows_what_it_removes_and_asks_first(invoke, ledger_path):
    importer(invoke, ledger_path, OCTOBRE, "--non-interactif")
    r = invoke("import", "--annuler", "--db", ledger_path, input="n\n")
    assert r.exit_code == 0, r.output
    assert "octobre.csv, importé le " in r.stdout
    assert "8 écritures à supprimer." in r.stdout
    assert "Supprimer ces écritures ? (o/n) [n] : " in r.output
    assert r.stderr.endswith("Rien n'a été modifié.\n")
    assert len(journal(invoke, ledger_path)) == 8
    r = invoke("import", "--annuler", "--db", ledger_path, input="o\n")
    assert r.stdout.endswith(") annulé : 8 écritures supprimées.\n")


def test_after_an_undone_import_the_next_saisie_takes_a_new_piece_number(invoke, ledger_path):
    importer(invoke, ledger_path, OCTOBRE, "--non-interactif")
    assert invoke("import", "--annuler", "--oui", "--db", ledger_path).exit_code == 0
    r = invoke(
        "saisie", "--db", ledger_path, "--date", "20/10/2025", "--depense", "5",
        "--libelle", "Colle", "--compte", "6068",
    )  # fmt: skip
    assert r.stdout.startswith("Enregistré : pièce 9 du 20/10/2025")


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fichier", "erreur"),
    [
        ("tronque.csv", "tronque.csv:3: ligne tronquée (3 colonnes au lieu de 6)"),
        ("date_illisible.csv", "date_illisible.csv:3: date illisible « 31/09/2025 »"),
        ("montant_illisible.csv", "montant_illisible.csv:3: montant illisible « -3,6O »"),
    ],
)
def test_a_bad_line_names_file_and_line_and_imports_nothing(invoke, ledger_path, fichier, erreur):
    avant = contenu(ledger_path)
    r = importer(invoke, ledger_path, DATA / fichier, "--non-interactif")
    assert r.exit_code == 1
    assert r.stderr.endswith(f"Erreur : {erreur}\n")
    assert contenu(ledger_path) == avant


def test_a_binary_file_is_refused(invoke, ledger_path, tmp_path):
    binaire = tmp_path / "releve.csv"
    binaire.write_bytes(bytes(range(256)) * 4)
    avant = contenu(ledger_path)
    r = importer(invoke, ledger_path, binaire, "--non-interactif")
    assert r.exit_code == 1
    assert r.stderr.startswith("Erreur : releve.csv: ")
    assert contenu(ledger_path) == avant


def test_a_file_that_does_not_match_the_profile_given_is_reported(invoke, ledger_path, tmp_path):
    profil = tmp_path / "maBanque.yaml"
    profil.write_text("nom: Ma banque\ndate: Jour\nlibelle: Texte\nmontant: Somme\n", "utf-8")
    avant = contenu(ledger_path)
    r = importer(invoke, ledger_path, OCTOBRE, "--profil", profil, "--non-interactif")
    assert r.exit_code == 1
    assert r.stderr.startswith(
        "Erreur : octobre.csv: ce fichier ne correspond pas au profil « maBanque.yaml »"
    )
    assert contenu(ledger_path) == avant


def test_the_treasury_account_must_be_one(invoke, ledger_path):
    r = importer(invoke, ledger_path, OCTOBRE, "--tresorerie", "6068", "--non-interactif")
    assert r.exit_code == 1
    assert r.stderr.endswith(
        "Erreur : --tresorerie: le compte 6068 (Matériel et fournitures pour les projets) "
        "n'est pas un compte de trésorerie (banque, caisse…)\n"
    )


def test_a_profile_of_the_file_read_can_be_saved_for_next_time(invoke, ledger_path, tmp_path):
    autre = tmp_path / "autre.db"
    shutil.copy(ledger_path, autre)
    profil = tmp_path / "cic.yaml"
    r = importer(invoke, ledger_path, OCTOBRE, "--sauver-profil", profil, "--non-interactif")
    assert r.exit_code == 0, r.output
    assert f"Profil enregistré dans {profil}" in r.stderr
    # Read with the saved profile, the statement gives what its recognised format gives.
    r1 = importer(invoke, autre, OCTOBRE, "--dry-run", "--format", "json")
    r2 = importer(invoke, autre, OCTOBRE, "--profil", profil, "--dry-run", "--format", "json")
    assert r2.exit_code == 0, r2.output
    assert json.loads(r2.stdout) == json.loads(r1.stdout)


def test_the_review_starts_with_the_statement_and_ends_asking_to_save(invoke, ledger_path):
    saisir_cheque(invoke, ledger_path, "02/10/2025", "15,00", "Cotisation Dupont")
    saisir_cheque(invoke, ledger_path, "03/10/2025", "30,00", "Cotisation Martin")
    avant = journal(invoke, ledger_path)
    # Entrée on the deposit of typed cheques matches them (the default), then no to saving.
    r = importer(invoke, ledger_path, DATA / "remises.csv", "--interactif", input="\na\nn\n")
    assert r.exit_code == 0, r.output
    premiere = r.stdout.splitlines()[0]
    assert premiere.startswith("Relevé remises.csv (") and "compte 512) : 2 lignes" in premiere
    assert "Choix [Entrée = rapprocher des chèques saisis] : " in r.output
    assert "remise des chèques déjà saisis (pièces 1, 2) : rien ne sera ajouté." in r.stdout
    assert "Enregistrer ? (o/n) [o] : n" in r.output
    assert r.stderr.endswith("Rien n'a été modifié.\n")
    assert journal(invoke, ledger_path) == avant


# --- AssoConnect without profile ----------------------------------------------------------------


def test_assoconnect_exports_without_profile_book_gross_receipts_fees_refunds_and_payouts(
    invoke, ledger_path, tmp_path
):
    releves = Path(__file__).parents[1] / "data" / "releves"
    r = importer(
        invoke, ledger_path, releves / "assoconnect_paiements_2026.csv", "--non-interactif"
    )
    assert r.exit_code == 0, r.output
    r = invoke("journal", "--db", ledger_path, "--format", "json")
    lignes = [e for e in json.loads(r.stdout) if e["tresorerie"] == "517"]
    resume = [
        (e["libelle"], e["sens"], e["montant"], [v["compte"] for v in e["ventilation"]])
        for e in lignes
    ]
    assert resume == [
        ("Participation coopérative DUPONT Marie", "recette", "15.00", ["471"]),
        ("Frais AssoConnect : Participation coopérative DUPONT Marie", "depense", "0.52", ["627"]),
        ("Remboursement Sortie au zoo BERNARD Paul", "depense", "12.00", ["471"]),
    ]
    versements = tmp_path / "versements.csv"
    versements.write_text(
        "\ufeffDate du versement;Montant versé;Référence du versement\n16/02/2026;14,48;V-0216\n",
        encoding="utf-8",
    )
    r = importer(invoke, ledger_path, versements, "--non-interactif")
    assert r.exit_code == 0, r.output
    banque = tmp_path / "banque.csv"
    banque.write_text(
        "Date;Date de valeur;Débit;Crédit;Libellé;Solde\n"
        "17/02/2026;17/02/2026;;14,48;VIR SEPA RECU /DE ASSOCONNECT V-0216;1514,48\n",
        encoding="cp1252",
    )
    r = importer(invoke, ledger_path, banque, "--non-interactif")
    assert r.exit_code == 0, r.output
    r = invoke("journal", "--db", ledger_path, "--format", "json")
    virements = [e for e in json.loads(r.stdout) if e["sens"] == "virement"]
    assert [(e["tresorerie"], e["contrepartie"], e["montant"]) for e in virements] == [
        ("517", "512", "14.48")
    ]


def test_the_review_shows_three_suggestions_and_an_answer_teaches_the_next_lines(
    invoke, ledger_path, tmp_path
):
    releve = tmp_path / "releve.csv"
    releve.write_text(
        "Date;Date de valeur;Débit;Crédit;Libellé;Solde\n"
        "03/10/2025;03/10/2025;32,00;;CB LA GRANDE RECRE 02/10;1468,00\n"
        "09/10/2025;09/10/2025;28,00;;CB LA GRANDE RECRE 08/10;1440,00\n",
        encoding="cp1252",
    )
    # First line: 6068 typed by hand; second line: Entrée accepts what the first taught.
    r = importer(invoke, ledger_path, releve, "--interactif", input="6068\n\no\n")
    assert r.exit_code == 0, r.output
    deuxieme = r.output.split("[2/2]")[1]
    assert "  1. 6068 " in deuxieme and "« CB LA GRANDE RECRE 02/10 »" in deuxieme
    assert "  4. " not in r.output  # three suggestions at most
    r = invoke("journal", "--db", ledger_path, "--format", "json")
    comptes = [e["ventilation"][0]["compte"] for e in json.loads(r.stdout) if e["piece"]]
    assert comptes[-2:] == ["6068", "6068"]


def test_the_dry_run_json_gives_no_suggestion_for_a_line_already_in_the_ledger(invoke, ledger_path):
    assert importer(invoke, ledger_path, OCTOBRE, "--non-interactif").exit_code == 0
    r = importer(invoke, ledger_path, OCTOBRE, "--dry-run", "--format", "json")
    lignes = json.loads(r.stdout)
    assert {(x["statut"], x["compte"]) for x in lignes} == {("déjà présente", None)}
    assert all(x["suggestions"] == [] for x in lignes)


def test_a_class_typed_in_the_review_is_the_one_the_ledger_knows(invoke, ledger_path):
    saisie = invoke(
        "saisie", "--db", ledger_path, "--date", "01/10/2025", "--depense", "10,00",
        "--libelle", "Goûter", "--compte", "6257=10,00:CP",
    )  # fmt: skip
    assert saisie.exit_code == 0, saisie.output
    reponses = ["a", "a", "a", "a", "v", "6183", "20", "cp", "6068", "", "", "a", "a"]
    r = importer(
        invoke, ledger_path, OCTOBRE, "--interactif", input="\n".join([*reponses, "o"]) + "\n"
    )
    assert r.exit_code == 0, r.output
    assert "  Classe ou projet (facultatif ; déjà utilisées : CP) : " in r.stdout
    parts = [
        (v["compte"], v.get("classe"))
        for e in journal(invoke, ledger_path)
        if e["libelle"] == "CB LIBRAIRIE DU CENTRE 07/10"
        for v in e["ventilation"]
    ]
    assert ("6183", "CP") in parts
