"""`coop saisie` (options, prompts, journal CSV), `coop virement`, `coop annuler`."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from coopcompta import storage
from coopcompta.domain.model import Ecriture, Ligne, Sens
from coopcompta.importers.journal_csv import COLONNES
from coopcompta.importers.plan import charger_plan
from coopcompta.usecases.saisie import enregistrer_ecriture

NBSP = "\u00a0"
COTISATION = [
    "--date", "16/09/2025",
    "--depense", "100,00",
    "--libelle", "Cotisation OCCE et assurance",
    "--tresorerie", "512",
    "--mode", "cheque",
    "--cheque", "1234567",
    "--compte", "62810008=80,00",
    "--compte", "61681008=20,00",
]  # fmt: skip
ENTETE = ";".join(COLONNES)
PLAN = charger_plan()


def libelle(code: str) -> str:
    """The chart's label, so that wording changes in the chart do not break these tests."""
    return PLAN.compte(code).libelle


def journal(invoke, db: Path) -> list[dict]:
    result = invoke("journal", "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def saisies(invoke, db: Path) -> list[dict]:
    """The écritures recorded after `coop init` (its two reports à nouveau left out)."""
    return [e for e in journal(invoke, db) if e["sens"] != "ouverture"]


def ecrire_csv(tmp_path: Path, *lignes: str) -> Path:
    path = tmp_path / "journal.csv"
    path.write_text("\n".join([ENTETE, *lignes]) + "\n", encoding="utf-8")
    return path


# -- by options -------------------------------------------------------------------------


def test_the_issue_example_records_one_split_cheque_without_prompt(invoke, ledger_path):
    result = invoke("saisie", "--db", ledger_path, *COTISATION)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Enregistré : pièce 1 du 16/09/2025, dépense de 100,00{NBSP}€ : "
        f"512 → 62810008 80,00{NBSP}€, 61681008 20,00{NBSP}€.\n"
    )
    (e,) = saisies(invoke, ledger_path)
    assert {k: e[k] for k in ("date", "piece", "sens", "mode", "cheque", "montant")} == {
        "date": "2025-09-16",
        "piece": "1",
        "sens": "depense",
        "mode": "cheque",
        "cheque": "1234567",
        "montant": "100.00",
    }
    assert e["ventilation"] == [
        {"compte": "62810008", "montant": "80.00", "classe": None},
        {"compte": "61681008", "montant": "20.00", "classe": None},
    ]


def test_the_treasury_account_has_the_same_short_option_as_in_coop_import(invoke, ledger_path):
    result = invoke(
        "saisie", "--db", ledger_path, "--date", "06/10/2025", "--recette", "12",
        "--libelle", "Photos", "--compte", "7070", "-t", "53",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [e["tresorerie"] for e in saisies(invoke, ledger_path)] == ["53"]


def test_a_receipt_on_one_account_alias_takes_the_whole_amount_and_its_class(invoke, ledger_path):
    result = invoke(
        "saisie", "--db", ledger_path, "--date", "06/10/2025", "--recette", "1 250,5",
        "--libelle", "Photos de classe", "--compte", "707:CP", "--mode", "espèces",
        "--tresorerie", "530",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (e,) = saisies(invoke, ledger_path)
    assert (e["sens"], e["montant"], e["tresorerie"], e["mode"]) == (
        "recette",
        "1250.50",
        "53",
        "especes",
    )
    assert e["ventilation"] == [{"compte": "7070", "montant": "1250.50", "classe": "CP"}]


def test_pieces_are_numbered_in_sequence_or_given(invoke, ledger_path):
    invoke("saisie", "--db", ledger_path, *COTISATION)
    base = ["saisie", "--db", ledger_path, "--date", "01/10/2025", "--libelle", "Photos"]
    invoke(*base, "--recette", "50", "--compte", "7070")
    invoke(*base, "--recette", "60", "--compte", "7070", "--piece", "10")
    invoke(*base, "--recette", "70", "--compte", "7070")
    assert [e["piece"] for e in saisies(invoke, ledger_path)] == ["1", "2", "10", "11"]


def test_with_r_and_d_series_receipts_and_expenses_are_numbered_apart(invoke, tmp_path):
    db = tmp_path / "rd.db"
    invoke("init", "--db", db, "--nom", "RD", "--exercice", "2025-2026", "--series")
    base = ["saisie", "--db", db, "--date", "01/10/2025", "--libelle", "Photos"]
    invoke(*base, "--depense", "40", "--compte", "6070")
    invoke(*base, "--recette", "50", "--compte", "7070")
    invoke(*base, "--depense", "10", "--compte", "6070")
    invoke("virement", "--db", db, "--date", "02/10/2025", "--montant", "5", "--de", "53",
           "--vers", "512", "--forcer-caisse")  # fmt: skip
    assert [e["piece"] for e in journal(invoke, db)] == ["D1", "R1", "D2", "V1"]


def test_a_piece_already_used_in_the_exercice_is_refused(invoke, ledger_path):
    invoke("saisie", "--db", ledger_path, *COTISATION)
    avant = journal(invoke, ledger_path)
    result = invoke("saisie", "--db", ledger_path, *COTISATION, "--piece", "1")
    assert result.exit_code == 1
    assert result.stderr == "Erreur : --piece: pièce 1 déjà utilisée dans l'exercice 2025-2026\n"
    assert journal(invoke, ledger_path) == avant


def _sans(options: list[str], *noms: str) -> list[str]:
    result, i = [], 0
    while i < len(options):
        if options[i] in noms:
            i += 2
            continue
        result.append(options[i])
        i += 1
    return result


BASE = _sans(COTISATION, "--compte")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [*BASE, "--compte", "9999=100,00"],
            "--compte: compte inconnu « 9999 » (voir `coop plan`)",
        ),
        (
            [*BASE, "--compte", "62810008=80,00", "--compte", "61681008=10,00"],
            f"--compte: la ventilation (90,00{NBSP}€) ne correspond pas au montant (100,00{NBSP}€)",
        ),
        (
            [*_sans(COTISATION, "--date"), "--date", "01/09/2026"],
            "--date: date 01/09/2026 hors de l'exercice 2025-2026 (du 01/09/2025 au 31/08/2026)",
        ),
        (
            [*_sans(COTISATION, "--date"), "--date", "31/06/2026"],
            "--date: date impossible « 31/06/2026 »",
        ),
        (
            [*_sans(COTISATION, "--depense"), "--depense", "12,3O"],
            "--depense: montant illisible « 12,3O »",
        ),
        (
            [*COTISATION, "--recette", "100,00"],
            "--recette et --depense s'excluent : une écriture est une recette ou une dépense",
        ),
        (
            [*_sans(COTISATION, "--depense"), "--recette", "100,00"],
            f"--compte: le compte 62810008 ({libelle('62810008')}) est un compte de charge (6…) ; "
            "une recette se ventile sur un compte de produit (7…) ou sur 471",
        ),
        (
            [*_sans(COTISATION, "--tresorerie"), "--tresorerie", "7070"],
            f"--tresorerie: le compte 7070 ({libelle('7070')}) n'est pas un "
            "compte de trésorerie (banque, caisse…)",
        ),
        (
            [*_sans(COTISATION, "--mode"), "--mode", "especes"],
            "--cheque: numéro de chèque donné pour un paiement par espèces",
        ),
        (
            [*_sans(COTISATION, "--libelle"), "--libelle", " "],
            "--libelle: libellé vide",
        ),
        (
            BASE,
            "--compte: ventilation manquante : indiquez --compte COMPTE=MONTANT (répétable)",
        ),
        (
            [*_sans(COTISATION, "--depense"), "--depense", "-100,00"],
            "--depense: montant négatif : seule une contre-passation (`coop annuler`) a des "
            "montants négatifs",
        ),
        (
            ["--compte", "6070=10"],
            "--compte demande --recette ou --depense (le montant)",
        ),
    ],
)
def test_bad_input_is_refused_with_its_place_and_leaves_the_ledger_unchanged(
    invoke, ledger_path, args, message
):
    invoke("saisie", "--db", ledger_path, *COTISATION)
    avant = journal(invoke, ledger_path)
    result = invoke("saisie", "--db", ledger_path, *args)
    assert (result.exit_code, result.stderr) == (1, f"Erreur : {message}\n")
    assert result.stdout == ""
    assert journal(invoke, ledger_path) == avant


def test_without_a_ledger_the_message_says_to_run_coop_init(invoke, tmp_path):
    db = tmp_path / "absent.db"
    result = invoke("saisie", "--db", db, *COTISATION)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Erreur : {db}: aucune comptabilité ici : lancez `coop init` "
        "(ou indiquez --db / COOP_DB)\n"
    )
    assert not db.exists()


def test_a_broken_chart_file_is_named_and_nothing_is_recorded(invoke, tmp_path):
    plan = tmp_path / "plan.yaml"
    shutil.copy(Path(storage.__file__).parents[1] / "data" / "plan_comptable.yaml", plan)
    db = tmp_path / "coop.db"
    assert invoke("init", "--db", db, "--nom", "X", "--exercice", "2025-2026",
                  "--plan", plan).exit_code == 0  # fmt: skip
    texte = plan.read_text(encoding="utf-8")
    plan.write_text(texte.replace("nature: charge", "nature: depenses", 1), encoding="utf-8")
    result = invoke("saisie", "--db", db, *COTISATION)
    assert result.exit_code == 1
    assert result.stderr == (
        "Erreur : plan.yaml: comptes[0] (6070).nature: nature inconnue « depenses » "
        "(attendu : charge, produit, tresorerie, attente, bilan) : c'est le plan comptable de "
        f"cette comptabilité ({db}) ; remettez-le en place\n"
    )
    plan.write_text(texte, encoding="utf-8")
    assert journal(invoke, db) == []


# -- interactive ------------------------------------------------------------------------

SAISIE_PAS_A_PAS = [
    "01/10/2026",  # outside the exercice: asked again
    "16/09/2025",
    "d",
    "12,3O",  # unreadable: asked again
    "100,00",
    "Cotisation OCCE et assurance",
    "1",  # chèque
    "1234567",
    "",  # trésorerie 512
    "",  # pièce proposed
    "1",  # first suggestion
    "80,00",
    "",  # no class
    "assurance",  # a search
    "1",
    "",  # the remaining 20,00
    "CM1",
    "o",
]


def test_interactive_saisie_splits_over_two_accounts_with_suggestions(invoke, ledger_path):
    result = invoke("saisie", "--db", ledger_path, input="\n".join(SAISIE_PAS_A_PAS) + "\n")
    assert result.exit_code == 0, result.output
    sortie = result.stdout
    assert "Comptes suggérés :\n  1. 62810008 Cotisation OCCE — mot-clé « " in sortie
    assert "Reste à ventiler : 20,00\u00a0€\n" in sortie
    assert "Comptes trouvés pour « assurance » :\n  1. 61681008 " in sortie
    assert "Montant sur 61681008 [20,00] : \n" in sortie
    assert sortie.endswith(
        f"Enregistré : pièce 1 du 16/09/2025, dépense de 100,00{NBSP}€ : "
        f"512 → 62810008 80,00{NBSP}€, 61681008 20,00{NBSP}€ [CM1].\n"
    )
    assert result.stderr == (
        "  date 01/10/2026 hors de l'exercice 2025-2026 (du 01/09/2025 au 31/08/2026)\n"
        "  montant illisible « 12,3O »\n"
    )
    (e,) = saisies(invoke, ledger_path)
    assert (e["piece"], e["mode"], e["cheque"], e["tresorerie"]) == (
        "1",
        "cheque",
        "1234567",
        "512",
    )
    assert e["ventilation"] == [
        {"compte": "62810008", "montant": "80.00", "classe": None},
        {"compte": "61681008", "montant": "20.00", "classe": "CM1"},
    ]


def test_interactive_saisie_refuses_a_line_above_the_remaining_amount(invoke, ledger_path):
    reponses = [
        "06/10/2025", "r", "50", "Vente photos", "2", "", "", "7070", "60", "50", "", "o",
    ]  # fmt: skip
    result = invoke("saisie", "--db", ledger_path, input="\n".join(reponses) + "\n")
    assert result.exit_code == 0, result.output
    assert f"  60,00{NBSP}€ dépasse le reste à ventiler (50,00{NBSP}€)\n" in result.stderr
    (e,) = saisies(invoke, ledger_path)
    assert (e["tresorerie"], e["mode"], e["montant"]) == ("53", "especes", "50.00")


@pytest.mark.parametrize("coupure", [1, 5, 10, 14, len(SAISIE_PAS_A_PAS) - 1])
def test_interrupting_the_interactive_saisie_records_nothing(invoke, ledger_path, coupure):
    avant = journal(invoke, ledger_path)
    entree = "\n".join(SAISIE_PAS_A_PAS[:coupure]) + "\n"
    result = invoke("saisie", "--db", ledger_path, input=entree)
    assert result.exit_code == 1
    assert result.stderr.endswith("\nInterrompu : rien n'a été enregistré.\n")
    assert journal(invoke, ledger_path) == avant


def test_declining_the_summary_records_nothing(invoke, ledger_path):
    avant = journal(invoke, ledger_path)
    # "n", then Entrée at "Corriger : …" gives up.
    entree = "\n".join([*SAISIE_PAS_A_PAS[:-1], "n", ""]) + "\n"
    result = invoke("saisie", "--db", ledger_path, input=entree)
    assert result.exit_code == 0
    assert result.stderr.endswith("Rien n'a été modifié.\n")
    assert journal(invoke, ledger_path) == avant


# -- virement ---------------------------------------------------------------------------


def test_a_virement_moves_cash_to_the_bank(invoke, ledger_path):
    result = invoke(
        "virement", "--db", ledger_path, "--date", "05/10/2025", "--montant", "120,00",
        "--de", "53", "--vers", "512", "--libelle", "Dépôt espèces kermesse", "--forcer-caisse",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Enregistré : pièce 1 du 05/10/2025, virement de 120,00{NBSP}€ : 53 → 512.\n"
    )
    (e,) = saisies(invoke, ledger_path)
    assert (e["tresorerie"], e["contrepartie"], e["ventilation"]) == ("53", "512", [])


@pytest.mark.parametrize(
    ("de", "vers", "message"),
    [
        ("512", "5120", "--vers: virement de 512 vers lui-même : indiquez deux comptes différents"),
        ("53", "7088", f"--vers: le compte 7088 ({libelle('7088')}) n'est pas un "
         "compte de trésorerie (banque, caisse…)"),
    ],
)  # fmt: skip
def test_a_virement_needs_two_different_treasury_accounts(invoke, ledger_path, de, vers, message):
    result = invoke("virement", "--db", ledger_path, "--date", "05/10/2025", "--montant", "5",
                    "--de", de, "--vers", vers)  # fmt: skip
    assert (result.exit_code, result.stderr) == (1, f"Erreur : {message}\n")
    assert saisies(invoke, ledger_path) == []


# -- from a journal CSV -------------------------------------------------------------------


def test_a_journal_csv_is_recorded_in_one_go(invoke, ledger_path, tmp_path):
    path = ecrire_csv(
        tmp_path,
        "01/09/2025;;;ouverture;514;;;;;250,00;;",
        "16/09/2025;;Cotisation;depense;512;cheque;1234567;;6281;80,00;;",
        "16/09/2025;5;Cotisation;depense;512;cheque;1234568;100,00;6281;80,00;;",
        "16/09/2025;5;Cotisation;depense;512;cheque;1234568;;6168;20,00;;",
        "05/10/2025;;Dépôt;virement;53;;;;512;20,00;;",
        "06/10/2025;;Photos;recette;512;;;;7070;50,00;CP;",
        "07/10/2025;A1;Annulation pièce 5;depense;512;;;-100,00;6281;-80,00;;5",
        "07/10/2025;A1;Annulation pièce 5;depense;512;;;;6168;-20,00;;5",
    )
    result = invoke("saisie", "--db", ledger_path, "--fichier", path)
    assert result.exit_code == 0, result.output
    assert result.stdout == "6 écritures enregistrées depuis journal.csv.\n"
    ecritures = journal(invoke, ledger_path)
    assert [(e["piece"], e["sens"], e["tresorerie"], e["montant"]) for e in ecritures] == [
        (None, "ouverture", "512", "1500.00"),
        (None, "ouverture", "53", "80.00"),
        (None, "ouverture", "514", "250.00"),
        ("1", "depense", "512", "80.00"),
        ("5", "depense", "512", "100.00"),
        ("6", "virement", "53", "20.00"),
        ("7", "recette", "512", "50.00"),
        ("A1", "depense", "512", "-100.00"),
    ]
    assert ecritures[-1]["annule"] == "5"
    assert ecritures[-2]["ventilation"] == [{"compte": "7070", "montant": "50.00", "classe": "CP"}]


@pytest.mark.parametrize(
    ("lignes", "message"),
    [
        (
            ["16/09/2025;;Cotisation;depense;512;;;;6281;80,00;;",
             "17/09/2025;;Photos;depense;512;;;;9999;10,00;;"],
            "journal.csv:3: compte inconnu « 9999 » (voir `coop plan`)",
        ),
        (
            ["16/09/2025;;Cotisation;depense;512;;;;6281;80,00;;",
             "17/09/2026;;Photos;depense;512;;;;6070;10,00;;"],
            "journal.csv:3: date 17/09/2026 hors de l'exercice 2025-2026 "
            "(du 01/09/2025 au 31/08/2026)",
        ),
        (
            ["16/09/2025;;Cotisation;depense;512;;;100,00;6281;80,00;;"],
            f"journal.csv:2: le total (100,00{NBSP}€) ne correspond pas à la somme des lignes "
            f"(80,00{NBSP}€)",
        ),
        (
            ["16/09/2025;;Cotisation;depense;512;;;;6281;80,00;;",
             "01/09/2025;;;ouverture;512;;;;;10,00;;"],
            "journal.csv:3: le compte 512 a déjà un report à nouveau dans l'exercice 2025-2026",
        ),
        (
            ["16/09/2025;3;Cotisation;depense;512;;;;6281;80,00;;",
             "18/09/2025;3;Photos;depense;512;;;;6070;10,00;;"],
            "journal.csv:3: même pièce 3 que la ligne 2 mais date, sens ou trésorerie différents",
        ),
        (
            ["16/09/2025;3;Cotisation;depense;512;;;;6281;80,00;;",
             "18/09/2025;4;Photos;depense;512;;;;6070;10,00;;",
             "19/09/2025;3;Photos;depense;512;;;;6070;10,00;;"],
            "journal.csv:4: pièce 3 déjà utilisée dans l'exercice 2025-2026",
        ),
        (
            ["16/09/2025;3;Cotisation;depense;512;;;;6281;80,00;;",
             "18/09/2025;;Annulation;depense;512;;;;6281;-8,00;;3"],
            f"journal.csv:3: la contre-passation de la pièce 3 (dépense de 80,00{NBSP}€ du "
            f"16/09/2025) doit avoir le même sens et un montant de -80,00{NBSP}€",
        ),
        (
            ["18/09/2025;;Annulation;depense;512;;;;6281;-8,00;;12"],
            "journal.csv:2: pièce 12 inconnue dans l'exercice 2025-2026",
        ),
    ],
)  # fmt: skip
def test_one_bad_row_refuses_the_whole_file_and_names_its_line(
    invoke, ledger_path, tmp_path, lignes, message
):
    avant = journal(invoke, ledger_path)
    result = invoke("saisie", "--db", ledger_path, "--fichier", ecrire_csv(tmp_path, *lignes))
    assert (result.exit_code, result.stderr) == (1, f"Erreur : {message}\n")
    assert journal(invoke, ledger_path) == avant


def test_a_journal_file_does_not_mix_with_entry_options(invoke, ledger_path, tmp_path):
    path = ecrire_csv(tmp_path, "16/09/2025;;Cotisation;depense;512;;;;6281;80,00;;")
    result = invoke("saisie", "--db", ledger_path, "--fichier", path, "--date", "16/09/2025")
    assert (result.exit_code, result.stderr) == (
        1,
        "Erreur : --fichier ne se combine pas avec --date : chaque ligne du fichier porte ses "
        "propres champs\n",
    )


# -- annuler --------------------------------------------------------------------------------


def test_annuler_records_a_contre_passation_and_deletes_nothing(invoke, ledger_path):
    invoke("saisie", "--db", ledger_path, *COTISATION)
    result = invoke("annuler", "1", "--db", ledger_path, "--date", "20/09/2025",
                    "--motif", "chèque perdu")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Pièce 1 annulée. Enregistré : pièce 2 du 20/09/2025, dépense de -100,00{NBSP}€ : "
        f"512 → 62810008 -80,00{NBSP}€, 61681008 -20,00{NBSP}€.\n"
    )
    originale, contre = saisies(invoke, ledger_path)
    assert originale["montant"] == "100.00" and originale["annule"] is None
    assert contre["libelle"] == "Annulation pièce 1 : Cotisation OCCE et assurance (chèque perdu)"
    assert (contre["montant"], contre["annule"], contre["date"]) == ("-100.00", "1", "2025-09-20")
    assert [lg["montant"] for lg in contre["ventilation"]] == ["-80.00", "-20.00"]


@pytest.mark.parametrize(
    ("piece", "message"),
    [
        ("1", "la pièce 1 est déjà annulée (pièce 2)"),
        ("2", "la pièce 2 est elle-même une contre-passation : elle ne s'annule pas"),
        ("7", "pièce 7: inconnue dans l'exercice 2025-2026"),
    ],
)
def test_annuler_refuses_what_cannot_be_cancelled(invoke, ledger_path, piece, message):
    invoke("saisie", "--db", ledger_path, *COTISATION)
    invoke("annuler", "1", "--db", ledger_path, "--date", "20/09/2025")
    avant = journal(invoke, ledger_path)
    result = invoke("annuler", piece, "--db", ledger_path, "--date", "21/09/2025")
    assert (result.exit_code, result.stderr) == (1, f"Erreur : {message}\n")
    assert journal(invoke, ledger_path) == avant


def test_annuler_finds_a_piece_typed_in_either_case(invoke, tmp_path):
    db = tmp_path / "rd.db"
    invoke("init", "--db", db, "--nom", "RD", "--exercice", "2025-2026", "--series")
    invoke("saisie", "--db", db, "--date", "01/10/2025", "--libelle", "Photos",
           "--recette", "50", "--compte", "7070")  # fmt: skip
    result = invoke("annuler", "r1", "--db", db, "--date", "02/10/2025")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Pièce R1 annulée. Enregistré : pièce R2 du 02/10/2025")
    result = invoke("annuler", "r9", "--db", db, "--date", "02/10/2025")
    assert (result.exit_code, result.stderr) == (
        1,
        "Erreur : pièce r9: inconnue dans l'exercice 2025-2026\n",
    )


def test_annuler_dated_outside_the_exercice_names_its_bounds(invoke, ledger_path):
    invoke("saisie", "--db", ledger_path, *COTISATION)
    result = invoke("annuler", "1", "--db", ledger_path, "--date", "02/09/2026")
    assert (result.exit_code, result.stderr) == (
        1,
        "Erreur : --date: date 02/09/2026 hors de l'exercice 2025-2026 "
        "(du 01/09/2025 au 31/08/2026)\n",
    )


# -- two writers ------------------------------------------------------------------------------


def test_two_writers_at_once_lose_nothing_and_never_share_a_piece(ledger_path):
    erreurs: list[BaseException] = []

    def ecrire(n: int) -> None:
        try:
            with storage.ouvrir(ledger_path) as ledger:
                for i in range(50):
                    enregistrer_ecriture(
                        ledger,
                        Ecriture(
                            date=dt.date(2025, 10, 1),
                            sens=Sens.DEPENSE,
                            libelle=f"écrivain {n} n° {i}",
                            montant=Decimal("1.00"),
                            tresorerie="512",
                            ventilation=(Ligne("6068", Decimal("1.00")),),
                        ),
                    )
        except BaseException as exc:  # pragma: no cover - reported below
            erreurs.append(exc)

    fils = [threading.Thread(target=ecrire, args=(n,)) for n in (1, 2)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    assert erreurs == []
    with storage.ouvrir(ledger_path) as ledger:
        pieces = [e.piece for e in ledger.ecritures("2025-2026") if e.sens is Sens.DEPENSE]
    assert len(pieces) == 100
    assert sorted(map(int, pieces)) == list(range(1, 101))


def test_the_next_piece_past_9_digits_is_refused_and_nothing_is_recorded(invoke, ledger_path):
    depense = ("saisie", "--db", ledger_path, "--date", "01/10/2025", "--depense", "5",
               "--libelle", "Goûter", "--compte", "6257", "-t", "53")  # fmt: skip
    assert invoke(*depense, "--piece", "999999999").exit_code == 0
    r = invoke(*depense)
    assert r.exit_code == 1
    assert r.stderr == (
        "Erreur : --piece: le numéro de pièce suivant serait 1000000000, plus de 9 chiffres : "
        "donnez vous-même le numéro de la pièce avec --piece\n"
    )
    assert invoke(*depense, "--piece", "58").exit_code == 0
    journal = ledger_path.parent / "journal.csv"
    journal.write_text(
        "date;piece;libelle;sens;tresorerie;mode;cheque;total;compte;montant;classe;annule\n"
        "02/10/2025;;Goûter;depense;53;especes;;;6257;5,00;;\n",
        encoding="utf-8",
    )
    r = invoke("saisie", "--db", ledger_path, "--fichier", journal)
    assert r.exit_code == 1
    assert r.stderr == (
        "Erreur : journal.csv:2: le numéro de pièce suivant serait 1000000000, plus de 9 "
        "chiffres : donnez le numéro de la pièce dans la colonne piece\n"
    )
    r = invoke("annuler", "58", "--db", ledger_path, "--date", "03/10/2025")
    assert r.exit_code == 1
    assert r.stderr == (
        "Erreur : le numéro de pièce suivant serait 1000000000, plus de 9 chiffres : "
        "saisissez l'écriture inverse vous-même (coop saisie avec --piece)\n"
    )
    with storage.ouvrir(ledger_path) as ledger:
        assert [e.piece for e in ledger.ecritures("2025-2026") if e.piece] == ["999999999", "58"]


def test_answering_no_offers_to_change_one_field_and_keeps_the_others(invoke, ledger_path):
    # "n" to the summary, then 2 (libellé): the new libellé, and the rest as typed.
    entree = "\n".join([*SAISIE_PAS_A_PAS[:-1], "n", "2", "Cotisation OCCE 2025", "o"]) + "\n"
    result = invoke("saisie", "--db", ledger_path, input=entree)
    assert result.exit_code == 0, result.output
    assert "Corriger : 1 date, 2 libellé, 3 montant, 4 ventilation" in result.output
    assert result.stdout.endswith(
        "Enregistré : pièce 1 du 16/09/2025, dépense de 100,00\u00a0€ : 512 → 62810008 "
        "80,00\u00a0€, 61681008 20,00\u00a0€ [CM1].\n"
    )
    assert "Cotisation OCCE 2025" in journal(invoke, ledger_path)[-1]["libelle"]
