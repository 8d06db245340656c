"""`coop ventiler`: classify what an import left on 471, by pièce or one by one, all or nothing."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

import coopcompta.cli  # noqa: F401  (loads coopcompta.cli.app)

DATA = Path(__file__).parents[1] / "data" / "import"
OCTOBRE = DATA / "octobre.csv"
NBSP = "\u00a0"
cli_app = sys.modules["coopcompta.cli.app"]  # the module; `coopcompta.cli.app` is the Typer app

# What `coop import --non-interactif` of octobre.csv leaves on 471 (without rules): pièces 1 to
# 7; pièce 8 (VERSEMENT ESPECES) is a virement interne.
#   1 01/10 REMISE CHEQUES 0002145 recette 330,00   5 08/10 CB LIBRAIRIE DU CENTRE dépense 45,90
#   2 06/10 FRAIS TENUE DE COMPTE  dépense   3,60   6 10/10 VIR SEPA RECU /DE FAMILLE MARTIN 15,00
#   3 06/10 CHEQUE 4518203         dépense  52,00   7 10/10 VIR SEPA RECU /DE FAMILLE MARTIN 15,00
#   4 07/10 PRLV SEPA OCCE 35      dépense 120,00


def contenu(db: Path) -> list[tuple]:
    """Every row that matters of the ledger, to prove it unchanged."""
    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        trace = (
            list(conn.execute("SELECT * FROM ventilations_differees ORDER BY id"))
            if "ventilations_differees" in tables
            else []
        )
        return [
            *conn.execute("SELECT * FROM ecritures ORDER BY id"),
            *conn.execute("SELECT * FROM lignes ORDER BY id"),
            *conn.execute("SELECT id, fichier, annule FROM imports ORDER BY id"),
            *trace,
        ]


def par_piece(invoke, db: Path) -> dict[str, dict]:
    r = invoke("journal", "--db", db, "--format", "json")
    assert r.exit_code == 0, r.output
    return {e["piece"]: e for e in json.loads(r.stdout) if e["piece"]}


def comptes(e: dict) -> list[tuple[str, str, str | None]]:
    return [(v["compte"], v["montant"], v["classe"]) for v in e["ventilation"]]


@pytest.fixture
def importe(invoke, ledger_path: Path) -> Path:
    """The ledger after `coop import octobre.csv --non-interactif`: 7 écritures on 471."""
    r = invoke("import", OCTOBRE, "--db", ledger_path, "--non-interactif")
    assert r.exit_code == 0, r.output
    assert "7 écritures attendent sur 471" in r.stdout
    return ledger_path


def ventiler(invoke, db: Path, *args: object, input: str | None = None):
    return invoke("ventiler", *args, "--db", db, input=input)


def saisir(invoke, db: Path, *args: object) -> None:
    r = invoke("saisie", "--db", db, *args)
    assert r.exit_code == 0, r.output


# --- coop ventiler PIÈCE --compte ---------------------------------------------------------------


def test_a_piece_goes_to_its_account_and_the_count_of_what_remains_is_given(invoke, importe):
    r = ventiler(invoke, importe, "5", "--compte", "6183")
    assert r.exit_code == 0, r.output
    assert r.stdout == (
        f"Pièce 5 du 08/10/2025 « CB LIBRAIRIE DU CENTRE 07/10 » : 471 → 6183 45,90{NBSP}€\n"
        "1 écriture ventilée, 6 restent sur 471\n"
    )
    e = par_piece(invoke, importe)["5"]
    assert comptes(e) == [("6183", "45.90", None)]
    assert (e["sens"], e["tresorerie"], e["montant"]) == ("depense", "512", "45.90")


def test_a_split_with_class_tags_replaces_only_the_lines_on_471(invoke, importe):
    with sqlite3.connect(importe) as conn:
        tresorerie = conn.execute("SELECT * FROM lignes WHERE role = 't' ORDER BY id").fetchall()
    r = ventiler(
        invoke, importe, "4", "--compte", "62810008=100,00", "--compte", "61681008=20:assurance"
    )
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[0] == (
        f"Pièce 4 du 07/10/2025 « PRLV SEPA OCCE 35 » : 471 → 62810008 100,00{NBSP}€, "
        f"61681008 20,00{NBSP}€ [assurance]"
    )
    assert comptes(par_piece(invoke, importe)["4"]) == [
        ("62810008", "100.00", None),
        ("61681008", "20.00", "assurance"),
    ]
    with sqlite3.connect(importe) as conn:
        # The treasury lines are the very same rows; every écriture still balances.
        assert conn.execute("SELECT * FROM lignes WHERE role = 't' ORDER BY id").fetchall() == (
            tresorerie
        )
        assert (
            conn.execute(
                "SELECT ecriture_id FROM lignes GROUP BY ecriture_id HAVING sum(montant) != 0"
            ).fetchall()
            == []
        )


def test_a_partly_ventilated_entry_keeps_its_other_accounts(invoke, ledger_path):
    saisir(
        invoke, ledger_path, "--date", "03/11/2025", "--depense", "50,00", "--libelle",
        "Librairie et ?", "--compte", "6183=30,00", "--compte", "471=20,00",
    )  # fmt: skip
    r = ventiler(invoke, ledger_path, "1", "--compte", "6068:CM2")
    assert r.exit_code == 0, r.output
    assert r.stdout == (
        f"Pièce 1 du 03/11/2025 « Librairie et ? » : 471 → 6068 20,00{NBSP}€ [CM2]\n"
        "1 écriture ventilée, 0 reste sur 471\n"
    )
    assert comptes(par_piece(invoke, ledger_path)["1"]) == [
        ("6183", "30.00", None),
        ("6068", "20.00", "CM2"),
    ]


def test_ventilating_everything_clears_verifier_and_the_bilan_shows_the_accounts(invoke, importe):
    # The statement deposits 95,00 € of cash while the box holds 80,00 €: a warning only.
    r = invoke("verifier", "--db", importe, "--format", "json")
    assert r.exit_code == 1
    assert [a["code"] for a in json.loads(r.stdout)["anomalies"]] == [
        "compte-attente-471",
        "caisse-negative",
    ]
    for piece, compte in [
        ("1", "7070=130,00"), ("1", "75620008=200,00"), ("2", "627"), ("3", "6068"),
        ("4", "62810008"), ("5", "6183"), ("6", "75620008"), ("7", "75620008"),
    ]:  # fmt: skip
        if piece == "1":
            continue
        r = ventiler(invoke, importe, piece, "--compte", compte)
        assert r.exit_code == 0, r.output
    r = ventiler(invoke, importe, "1", "--compte", "7070=130,00", "--compte", "75620008=200,00")
    assert r.stdout.endswith("1 écriture ventilée, 0 reste sur 471\n")
    r = invoke("verifier", "--db", importe, "--format", "json")
    assert r.exit_code == 0, r.output
    assert [a["code"] for a in json.loads(r.stdout)["anomalies"]] == ["caisse-negative"]
    bilan = json.loads(invoke("bilan", "--db", importe, "--format", "json").stdout)
    assert bilan["depenses"] == {
        "6068": "52.00",
        "6183": "45.90",
        "627": "3.60",
        "62810008": "120.00",
    }
    assert bilan["recettes"] == {"7070": "130.00", "75620008": "230.00"}
    assert (bilan["a_ventiler"], bilan["equilibre"]) == ("0.00", True)
    assert bilan["tresorerie"]["512"] == "1733.50"  # the bank balance did not move


def test_reimporting_the_statement_after_ventilating_adds_nothing(invoke, importe):
    ventiler(invoke, importe, "5", "--compte", "6183")
    avant = contenu(importe)
    r = invoke("import", OCTOBRE, "--db", importe, "--non-interactif")
    assert r.exit_code == 0, r.output
    assert "  0 nouvelle, 8 déjà présentes, 0 doublon possible\n" in r.stdout
    assert contenu(importe) == avant


def test_learning_sees_the_ventilated_accounts(invoke, importe):
    def premiere_suggestion(piece: str) -> dict:
        r = ventiler(invoke, importe, "--liste", "--format", "json")
        return next(e for e in json.loads(r.stdout) if e["piece"] == piece)["suggestions"][0]

    assert premiere_suggestion("7")["score"] < 0.5
    ventiler(invoke, importe, "6", "--compte", "75620008")
    s = premiere_suggestion("7")
    assert s["compte"] == "75620008"
    assert s["score"] >= 0.5
    assert "comme 1 écriture passée, ex. « VIR SEPA RECU /DE FAMILLE MARTIN »" in s["raison"]


def test_a_treasury_account_turns_an_entry_wholly_on_471_into_a_virement_interne(
    invoke, ledger_path
):
    saisir(invoke, ledger_path, "--date", "04/11/2025", "--depense", "60,00", "--libelle",
           "RETRAIT DAB", "--compte", "471")  # fmt: skip
    saisir(invoke, ledger_path, "--date", "05/11/2025", "--recette", "40,00", "--libelle",
           "VERSEMENT GUICHET", "--compte", "471")  # fmt: skip
    r = ventiler(invoke, ledger_path, "1", "--compte", "53")
    assert r.stdout.splitlines()[0] == (
        f"Pièce 1 du 04/11/2025 « RETRAIT DAB » : 471 → virement interne 512 → 53 60,00{NBSP}€"
    )
    r = ventiler(invoke, ledger_path, "2", "--compte", "530")  # an alias of 53
    assert r.stdout == (
        "Pièce 2 du 05/11/2025 « VERSEMENT GUICHET » : 471 → virement interne 53 → 512 "
        f"40,00{NBSP}€\n"
        "1 écriture ventilée, 0 reste sur 471\n"
    )
    es = par_piece(invoke, ledger_path)
    assert [(es[p]["sens"], es[p]["tresorerie"], es[p]["contrepartie"]) for p in "12"] == [
        ("virement", "512", "53"),
        ("virement", "53", "512"),
    ]
    bilan = json.loads(invoke("bilan", "--db", ledger_path, "--format", "json").stdout)
    assert bilan["tresorerie"] == {"512": "1480.00", "53": "100.00"}
    assert (bilan["depenses"], bilan["recettes"], bilan["a_ventiler"]) == ({}, {}, "0.00")
    assert invoke("verifier", "--db", ledger_path).exit_code == 0


def test_every_change_leaves_a_trace_of_before_and_after(invoke, importe):
    ventiler(invoke, importe, "4", "--compte", "62810008=100", "--compte", "61681008=20:CM1")
    from coopcompta.storage import ouvrir
    from coopcompta.storage.ventilation import historique

    with ouvrir(importe) as ledger:
        (e,) = ledger.par_piece("2025-2026", "4")
        assert e.id is not None
        (trace,) = historique(ledger, e.id)
    assert trace["avant"] == {
        "sens": "depense",
        "tresorerie": "512",
        "contrepartie": None,
        "ventilation": [["471", 12000, None]],
    }
    assert trace["apres"]["ventilation"] == [["62810008", 10000, None], ["61681008", 2000, "CM1"]]


# --- coop ventiler --liste -----------------------------------------------------------------------


def test_the_list_shows_what_waits_on_471_in_date_order(invoke, importe):
    ventiler(invoke, importe, "2", "--compte", "627")
    r = invoke("ventiler", "--liste", "--db", importe, env={"COLUMNS": "120"})
    assert r.exit_code == 0, r.output
    lignes = r.stdout.splitlines()
    assert lignes[0] == "En attente sur 471 — exercice 2025-2026"
    assert [ligne.split()[1] for ligne in lignes[4:-2]] == ["1", "3", "4", "5", "6", "7"]
    assert lignes[7].split() == [
        "08/10/2025", "5", "CB", "LIBRAIRIE", "DU", "CENTRE", "07/10", "dépense", "45,90",
        "45,90", "6183", "(56", "%)",
    ]  # fmt: skip
    assert lignes[-1] == (
        f"6 écritures attendent sur 471 (577,90{NBSP}€) : coop ventiler pour les classer."
    )


def test_the_list_in_json_gives_amounts_the_bank_line_and_suggestions(invoke, importe):
    r = ventiler(invoke, importe, "--liste", "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert [e["piece"] for e in doc] == ["1", "2", "3", "4", "5", "6", "7"]
    e = doc[4]
    assert {k: v for k, v in e.items() if k not in ("id", "suggestions")} == {
        "piece": "5",
        "date": "2025-10-08",
        "libelle": "CB LIBRAIRIE DU CENTRE 07/10",
        "sens": "depense",
        "tresorerie": "512",
        "montant": "45.90",
        "sur_471": "45.90",
        "brut": "08/10/2025;08/10/2025;-45,90;;CB LIBRAIRIE DU CENTRE 07/10;1608,50",
    }
    assert e["suggestions"][0]["compte"] == "6183"
    assert e["suggestions"][0]["raison"] == "mot-clé « librairie »"


def test_the_list_leaves_out_cancelled_entries_and_says_when_nothing_waits(invoke, ledger_path):
    saisir(invoke, ledger_path, "--date", "04/11/2025", "--depense", "60,00", "--libelle",
           "Facture ?", "--compte", "471")  # fmt: skip
    assert invoke("annuler", "1", "--db", ledger_path, "--date", "05/11/2025").exit_code == 0
    r = ventiler(invoke, ledger_path, "--liste")
    assert r.stdout == "Rien n'attend sur 471 dans l'exercice 2025-2026.\n"
    assert json.loads(ventiler(invoke, ledger_path, "--liste", "-f", "json").stdout) == []


# --- interactive ---------------------------------------------------------------------------------


def test_one_by_one_enter_accepts_a_likely_suggestion_and_passes_otherwise(invoke, importe):
    reponses = [
        "",  # 1 REMISE CHEQUES: no likely suggestion, Entrée passes
        "",  # 2 FRAIS TENUE DE COMPTE: 627 (74 %)
        "p",  # 3 CHEQUE 4518203: later
        "",  # 4 PRLV SEPA OCCE 35: 62810008 (59 %)
        "",  # 5 CB LIBRAIRIE: 6183 (56 %)
        "75620008",  # 6 VIR FAMILLE MARTIN: by number
        "",  # 7 the same libellé: learned a moment ago, now proposed
    ]
    r = ventiler(invoke, importe, "--interactif", input="\n".join(reponses) + "\n")
    assert r.exit_code == 0, r.output
    assert (
        f"[5/7] pièce 5 du 08/10/2025 — CB LIBRAIRIE DU CENTRE 07/10 — dépense de 45,90{NBSP}€ "
        "sur 512\n"
        "  relevé : 08/10/2025;08/10/2025;-45,90;;CB LIBRAIRIE DU CENTRE 07/10;1608,50\n"
        "  Suggestions :\n"
        "  1. 6183 Livres, documentation, abonnements — mot-clé « librairie » (56 %)\n"
        "Choix [Entrée = 6183 Livres, documentation, abonnements] : "
    ) in r.stdout
    assert "Choix [Entrée = passer] : " in r.stdout
    assert "Choix [Entrée = 75620008 Participation volontaire des familles] : " in r.stdout
    assert r.stdout.endswith(
        "\n"
        f"Pièce 2 du 06/10/2025 « FRAIS TENUE DE COMPTE » : 471 → 627 3,60{NBSP}€\n"
        f"Pièce 4 du 07/10/2025 « PRLV SEPA OCCE 35 » : 471 → 62810008 120,00{NBSP}€\n"
        f"Pièce 5 du 08/10/2025 « CB LIBRAIRIE DU CENTRE 07/10 » : 471 → 6183 45,90{NBSP}€\n"
        "Pièce 6 du 10/10/2025 « VIR SEPA RECU /DE FAMILLE MARTIN » : 471 → 75620008 "
        f"15,00{NBSP}€\n"
        "Pièce 7 du 10/10/2025 « VIR SEPA RECU /DE FAMILLE MARTIN » : 471 → 75620008 "
        f"15,00{NBSP}€\n"
        "5 écritures ventilées, 2 restent sur 471\n"
    )
    restent = json.loads(ventiler(invoke, importe, "--liste", "-f", "json").stdout)
    assert [e["piece"] for e in restent] == ["1", "3"]


def test_one_by_one_searches_splits_and_refuses_a_wrong_account(invoke, importe):
    reponses = [
        "v",  # 1 REMISE CHEQUES 330,00: split
        "photos", "1", "130", "CM1",  # search, first found, amount, class
        "75620008", "", "",  # the rest, no class
        "7070",  # 2 FRAIS: a produit for a dépense, asked again…
        "bancaires", "2",  # …search: 627 then 512, the entry's own account: refused…
        "1",  # …627
        "q",  # 3: stop here
    ]  # fmt: skip
    r = ventiler(invoke, importe, "--interactif", input="\n".join(reponses) + "\n")
    assert r.exit_code == 0, r.output
    assert f"  Reste à ventiler : 200,00{NBSP}€\n" in r.stdout
    assert "Comptes trouvés pour « photos » :\n  1. 7070 Ventes de produits pour cession" in (
        r.stdout
    )
    assert (
        "  le compte 7070 (Ventes de produits pour cession (photos de classe)) est un compte "
        "de produit (7…) ; une dépense se ventile sur un compte de charge (6…)\n"
    ) in r.stderr
    assert (
        "  512 est le compte de trésorerie de l'écriture elle-même : un virement interne va "
        "vers un autre compte de trésorerie\n"
    ) in r.stderr
    assert r.stdout.endswith(
        "Pièce 1 du 01/10/2025 « REMISE CHEQUES 0002145 » : 471 → "
        f"7070 130,00{NBSP}€ [CM1], 75620008 200,00{NBSP}€\n"
        f"Pièce 2 du 06/10/2025 « FRAIS TENUE DE COMPTE » : 471 → 627 3,60{NBSP}€\n"
        "2 écritures ventilées, 5 restent sur 471\n"
    )
    assert comptes(par_piece(invoke, importe)["1"]) == [
        ("7070", "130.00", "CM1"),
        ("75620008", "200.00", None),
    ]


def test_one_by_one_a_treasury_account_makes_a_virement_only_when_it_can(invoke, ledger_path):
    saisir(invoke, ledger_path, "--date", "03/11/2025", "--depense", "50,00", "--libelle",
           "Librairie et retrait", "--compte", "6183=30,00", "--compte", "471=20,00")  # fmt: skip
    saisir(invoke, ledger_path, "--date", "04/11/2025", "--depense", "60,00", "--libelle",
           "RETRAIT DAB", "--compte", "471")  # fmt: skip
    r = ventiler(invoke, ledger_path, "--interactif", input="53\np\n53\n")
    assert r.exit_code == 0, r.output
    assert "  déjà ventilé : 6183 30,00\u00a0€ ; sur 471 : 20,00\u00a0€\n" in r.stdout
    assert "mais elle n'est qu'en partie sur 471" in r.stderr
    assert r.stdout.endswith(
        "Pièce 2 du 04/11/2025 « RETRAIT DAB » : 471 → virement interne 512 → 53 "
        f"60,00{NBSP}€\n1 écriture ventilée, 1 reste sur 471\n"
    )


def test_entree_alone_during_a_split_goes_back_to_the_choice(invoke, importe):
    # 1 REMISE CHEQUES (a recette): split, 6183 refused, Entrée alone goes back; pass; stop.
    r = ventiler(invoke, importe, "--interactif", input="v\n6183\n\np\nq\n")
    assert r.exit_code == 0, r.output
    assert "Ventilation 1 : compte [Entrée = revenir au choix] : " in r.stdout
    assert r.stdout.count("Choix [Entrée = passer] : ") == 2  # asked again after going back
    assert "une recette se ventile sur un compte de produit (7…)" in r.stderr
    assert r.stdout.endswith("\n0 écriture ventilée, 7 restent sur 471\n")


def test_interrupting_before_the_end_writes_nothing(invoke, importe):
    avant = contenu(importe)
    r = ventiler(invoke, importe, "--interactif", input="7070\n\n\n")  # then the input ends
    assert r.exit_code == 1
    assert r.stderr.endswith("Interrompu : rien n'a été enregistré.\n")
    assert contenu(importe) == avant


def test_a_terminal_gets_the_questions_and_a_script_is_told_what_to_type(
    invoke, importe, monkeypatch
):
    r = ventiler(invoke, importe)
    assert r.exit_code == 1
    assert r.stderr == (
        "Erreur : PIÈCE: hors d'un terminal, indiquez la pièce et le compte (coop ventiler 12 "
        "--compte 6183), ou --liste ; --interactif pour répondre aux questions quand même\n"
    )
    monkeypatch.setattr(cli_app, "stdin_interactif", lambda: True)
    r = ventiler(invoke, importe, input="q\n")
    assert r.exit_code == 0, r.output
    assert r.stdout.endswith("0 écriture ventilée, 7 restent sur 471\n")


def test_nothing_waiting_says_so(invoke, ledger_path):
    r = ventiler(invoke, ledger_path, "--interactif")
    assert r.exit_code == 0, r.output
    assert r.stdout == (
        "Rien n'attend sur 471 dans l'exercice 2025-2026.\n0 écriture ventilée, 0 reste sur 471\n"
    )


# --- undoing the import ------------------------------------------------------------------------


def test_undoing_the_import_after_ventilating_deletes_its_entries_and_keeps_the_trace(
    invoke, importe
):
    ventiler(invoke, importe, "5", "--compte", "6183")
    ventiler(invoke, importe, "4", "--compte", "62810008=100", "--compte", "61681008=20")
    r = invoke("import", "--annuler", "--oui", "--db", importe)
    assert r.exit_code == 0, r.output
    assert "8 écritures supprimées" in r.stdout
    assert par_piece(invoke, importe) == {}
    with sqlite3.connect(importe) as conn:
        assert conn.execute(
            "SELECT ecriture_id, piece, libelle FROM ventilations_differees ORDER BY id"
        ).fetchall() == [
            (None, "5", "CB LIBRAIRIE DU CENTRE 07/10"),
            (None, "4", "PRLV SEPA OCCE 35"),
        ]
    assert invoke("verifier", "--db", importe).exit_code == 0
    # The same statement imported again: its lines wait on 471, and Entrée repeats the
    # ventilation chosen before the undo.
    r = invoke("import", OCTOBRE, "--db", importe, "--non-interactif")
    assert "7 écritures attendent sur 471" in r.stdout
    r = ventiler(invoke, importe, "--interactif", input="p\np\np\n\n\nq\n")
    assert r.exit_code == 0, r.output
    assert (
        "  Ventilée le " in r.stdout
        and f", avant l'annulation de son import : 62810008 100,00{NBSP}€, 61681008 20,00{NBSP}€\n"
        "Choix [Entrée = comme avant] : "
        in r.stdout
    )
    # Pièces 1 to 8 were given before the undo: the new écritures never take them again.
    assert r.stdout.endswith(
        f"Pièce 12 du 07/10/2025 « PRLV SEPA OCCE 35 » : 471 → 62810008 100,00{NBSP}€, "
        f"61681008 20,00{NBSP}€\n"
        f"Pièce 13 du 08/10/2025 « CB LIBRAIRIE DU CENTRE 07/10 » : 471 → 6183 45,90{NBSP}€\n"
        "2 écritures ventilées, 5 restent sur 471\n"
    )


def test_a_piece_is_found_whatever_its_case(invoke, ledger_path):
    saisir(invoke, ledger_path, "--date", "03/10/2025", "--depense", "12,00",
           "--libelle", "Facture à classer", "--compte", "471", "--piece", "F12")  # fmt: skip
    r = ventiler(invoke, ledger_path, "f12", "--compte", "6068")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("Pièce F12 du 03/10/2025 « Facture à classer » : 471 → 6068")


# --- refusals: `where: what`, exit 1, ledger unchanged --------------------------------------------


@pytest.mark.parametrize(
    ("args", "erreur"),
    [
        (["99", "--compte", "6183"], "pièce 99: inconnue dans l'exercice 2025-2026"),
        (["8", "--compte", "6183"], "pièce 8: rien n'attend sur 471 (virement interne 53 → 512)"),
        (
            ["5", "--compte", "6183=40,00"],
            f"--compte: la ventilation (40,00{NBSP}€) ne fait pas le montant en attente sur 471 "
            f"(45,90{NBSP}€) ; écart 5,90{NBSP}€",
        ),
        (
            ["4", "--compte", "62810008=100", "--compte", "61681008=30"],
            f"--compte: la ventilation (130,00{NBSP}€) ne fait pas le montant en attente sur 471 "
            f"(120,00{NBSP}€) ; écart -10,00{NBSP}€",
        ),
        (["5", "--compte", "6999"], "--compte: compte inconnu « 6999 » (voir `coop plan`)"),
        (
            ["5", "--compte", "7070"],
            "--compte: le compte 7070 (Ventes de produits pour cession (photos de classe)) est "
            "un compte de produit (7…) ; une dépense se ventile sur un compte de charge (6…)",
        ),
        (
            ["5", "--compte", "471"],
            "--compte: 471 est le compte d'attente lui-même : indiquez le compte définitif",
        ),
        (
            ["5", "--compte", "512"],
            "--compte: 512 est le compte de trésorerie de l'écriture elle-même : un virement "
            "interne va vers un autre compte de trésorerie",
        ),
        (
            ["5", "--compte", "53=20", "--compte", "6183=25,90"],
            "--compte: le compte 53 (Caisse (espèces)) est un compte de trésorerie : il ne se "
            "combine pas avec d'autres comptes ; seul et pour tout le montant, il fait de "
            "l'écriture un virement interne",
        ),
        (
            ["5", "--compte", "6183=-45,90"],
            f"--compte: montant -45,90{NBSP}€ sur 6183 : les montants d'une ventilation sont "
            "positifs",
        ),
        (["5", "--compte", "6183=4O,00"], "--compte: montant illisible « 4O,00 »"),
        (
            ["5"],
            "--compte: indiquez le compte, par ex. coop ventiler 5 --compte 6183 (ou sans pièce, "
            "pour répondre aux questions)",
        ),
        (
            ["--compte", "6183"],
            "--compte: s'emploie avec la pièce à ventiler, par ex. coop ventiler 12 --compte 6183",
        ),
        (["5", "--liste"], "--liste: --liste ne se combine pas avec une pièce ni avec --compte"),
        (["5", "--compte", "6183", "-f", "json"], "--format: --format s'emploie avec --liste"),
        (["--liste", "-f", "csv"], "--format: format inconnu « csv » (attendu : table, json)"),
        (
            ["5", "--compte", "6183", "--exercice", "2024-2025"],
            "--exercice: exercice 2024-2025 inconnu (exercices : 2025-2026)",
        ),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(invoke, importe, args, erreur):
    avant = contenu(importe)
    r = ventiler(invoke, importe, *args)
    assert r.exit_code == 1
    assert r.stderr == f"Erreur : {erreur}\n"
    assert r.stdout == ""
    assert contenu(importe) == avant


def test_a_cancelled_entry_and_its_contre_passation_are_refused(invoke, ledger_path):
    saisir(invoke, ledger_path, "--date", "04/11/2025", "--depense", "60,00", "--libelle",
           "Facture ?", "--compte", "471")  # fmt: skip
    assert invoke("annuler", "1", "--db", ledger_path, "--date", "05/11/2025").exit_code == 0
    avant = contenu(ledger_path)
    r = ventiler(invoke, ledger_path, "1", "--compte", "6068")
    assert r.stderr == (
        "Erreur : pièce 1: elle a été annulée par la pièce 2 : il n'y a plus rien à ventiler\n"
    )
    r = ventiler(invoke, ledger_path, "2", "--compte", "6068")
    assert r.stderr == (
        "Erreur : pièce 2: c'est une contre-passation (elle annule la pièce 1) : "
        "elle ne se ventile pas\n"
    )
    assert r.exit_code == 1
    assert contenu(ledger_path) == avant


def test_a_closed_exercice_is_refused_and_points_to_coop_annuler(invoke, ledger_path):
    # Two opposite amounts on 471 leave it at zero: the exercice can be closed.
    saisir(invoke, ledger_path, "--date", "04/11/2025", "--depense", "60,00", "--libelle",
           "Facture ?", "--compte", "471")  # fmt: skip
    saisir(invoke, ledger_path, "--date", "05/11/2025", "--recette", "60,00", "--libelle",
           "Remboursement ?", "--compte", "471")  # fmt: skip
    r = invoke("nouvel-exercice", "--db", ledger_path, "--oui", "--forcer", "sans relevé")
    assert r.exit_code == 0
    avant = contenu(ledger_path)
    r = ventiler(invoke, ledger_path, "1", "--compte", "6068", "--exercice", "2025-2026")
    assert r.exit_code == 1
    assert r.stderr == (
        "Erreur : --exercice: l'exercice 2025-2026 est clôturé : ses écritures ne se modifient "
        "plus ; corrigez dans l'exercice ouvert (2026-2027) : "
        "`coop annuler 1 --exercice 2025-2026` puis `coop saisie`\n"
    )
    r = ventiler(invoke, ledger_path, "--interactif", "--exercice", "2025-2026")
    assert r.exit_code == 1
    assert "l'exercice 2025-2026 est clôturé" in r.stderr
    assert contenu(ledger_path) == avant
    # The open exercice has nothing waiting.
    assert ventiler(invoke, ledger_path, "--liste").stdout == (
        "Rien n'attend sur 471 dans l'exercice 2026-2027.\n"
    )


def test_without_a_ledger_it_says_where_it_looked(invoke, tmp_path):
    r = ventiler(invoke, tmp_path / "absent.db", "5", "--compte", "6183")
    assert r.exit_code == 1
    assert r.stderr == (
        f"Erreur : {tmp_path / 'absent.db'}: aucune comptabilité ici : lancez `coop init` "
        "(ou indiquez --db / COOP_DB)\n"
    )
    assert not (tmp_path / "absent.db").exists()


# --- coop corriger -----------------------------------------------------------------------------


def test_corriger_moves_an_ecriture_that_is_not_on_471_and_says_before_and_after(invoke, importe):
    assert ventiler(invoke, importe, "5", "--compte", "6183").exit_code == 0
    r = invoke("corriger", "5", "--compte", "6068", "--db", importe)
    assert r.exit_code == 0, r.output
    assert r.stdout == (
        f"Pièce 5 du 08/10/2025 « CB LIBRAIRIE DU CENTRE 07/10 » : 6183 45,90{NBSP}€ → "
        f"6068 45,90{NBSP}€\n"
    )
    assert comptes(par_piece(invoke, importe)["5"]) == [("6068", "45.90", None)]


def test_corriger_refuses_a_split_that_does_not_add_up_and_writes_nothing(invoke, importe):
    avant = contenu(importe)
    r = invoke("corriger", "5", "--compte", "6068=40", "--compte", "6183=1", "--db", importe)
    assert r.exit_code != 0
    assert "ne fait pas le montant de l'écriture" in r.output
    assert "Traceback" not in r.output
    assert contenu(importe) == avant
