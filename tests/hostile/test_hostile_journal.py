"""Hostile journal CSVs (`coop saisie --fichier`): unbalanced pièces, unknown or misused
accounts, bad columns, amounts and dates, broken CSV, text that would reach a terminal.
Each refused with the file, the line and what; the file is all or nothing, so the
ledger stays byte-identical even when the faulty row is the last of many."""

from __future__ import annotations

from pathlib import Path

import pytest

H = "date;piece;libelle;sens;tresorerie;mode;cheque;total;compte;montant;classe;annule\n"
BON = "02/10/2025;;Photos;recette;512;cheque;1234567;;7068;120,00;;\n"


def _depense(montant: str = "60,00", compte: str = "6251", **champs: str) -> str:
    """One dépense row; `champs` replace columns by name."""
    valeurs = dict.fromkeys(H.strip().split(";"), "")
    valeurs.update(date="02/10/2025", libelle="Sortie", sens="depense", tresorerie="512")
    valeurs.update(compte=compte, montant=montant, **champs)
    return ";".join(valeurs.values()) + "\n"


# (id, file text, where, what)
CAS = [
    # Balance and grouping of the rows of one pièce.
    (
        "total-different-de-la-somme",
        H + _depense(piece="P1", total="100,00") + _depense("30,00", "6241", piece="P1"),
        "journal.csv:2",
        "le total (100,00 €) ne correspond pas à la somme des lignes (90,00 €)",
    ),
    (
        "total-sur-la-deuxieme-ligne",
        H + _depense(piece="P1") + _depense("30,00", "6241", piece="P1", total="90,00"),
        "journal.csv:3",
        "le total se donne sur la première ligne",
    ),
    (
        "total-sans-montant-sur-deux-lignes",
        H + _depense("", piece="P1", total="90,00") + _depense("30,00", "6241", piece="P1"),
        "journal.csv:2",
        "montant vide",
    ),
    ("total-illisible", H + _depense("12,00", total="douze"), "journal.csv:2", "« douze »"),
    (
        "meme-piece-autre-date",
        H + _depense(piece="P1") + _depense("30,00", "6241", piece="P1", date="03/10/2025"),
        "journal.csv:3",
        "même pièce P1 que la ligne 2 mais date, sens ou trésorerie différents",
    ),
    (
        "meme-piece-plus-loin",
        H + _depense(piece="P1") + BON + _depense("30,00", "6241", piece="P1"),
        "journal.csv:4",
        "pièce P1 déjà utilisée",
    ),
    # Accounts.
    ("compte-inconnu", H + _depense(compte="9999"), "journal.csv:2", "compte inconnu « 9999 »"),
    ("compte-vide", H + _depense(compte=""), "journal.csv:2", "compte vide"),
    (
        "tresorerie-en-charge",
        H + _depense(compte="53"),
        "journal.csv:2",
        "le compte 53 (Caisse (espèces)) est un compte de trésorerie",
    ),
    ("produit-en-depense", H + _depense(compte="7068"), "journal.csv:2", "compte de produit"),
    (
        "charge-en-recette",
        H + _depense(sens="recette"),
        "journal.csv:2",
        "compte de charge",
    ),
    (
        "tresorerie-qui-n-en-est-pas",
        H + _depense(tresorerie="6183"),
        "journal.csv:2",
        "le compte 6183 (Livres, documentation, abonnements) n'est pas un compte de trésorerie",
    ),
    (
        "tresorerie-inconnue",
        H + _depense(tresorerie="5999"),
        "journal.csv:2",
        "compte inconnu « 5999 »",
    ),
    # Amounts.
    ("montant-vide", H + _depense(""), "journal.csv:2", "montant vide"),
    ("montant-negatif", H + _depense("-60,00"), "journal.csv:2", "montant négatif"),
    ("montant-nul", H + _depense("0,00"), "journal.csv:2", "montant nul"),
    ("montant-exposant", H + _depense("1e3"), "journal.csv:2", "montant illisible « 1e3 »"),
    ("montant-nan", H + _depense("NaN"), "journal.csv:2", "montant illisible « NaN »"),
    ("montant-infini", H + _depense("Infinity"), "journal.csv:2", "« Infinity »"),
    ("montant-trois-decimales", H + _depense("10,005"), "journal.csv:2", "« 10,005 »"),
    (
        "montant-enorme",
        H + _depense("99999999999999999999,00"),
        "journal.csv:2",
        "montant trop grand",
    ),
    (
        "montant-chiffres-arabes",
        H + _depense("١٢,00"),
        "journal.csv:2",
        "chiffres à écrire de 0 à 9",
    ),
    ("montant-pleine-chasse", H + _depense("１２,00"), "journal.csv:2", "de 0 à 9"),
    ("montant-lettre-o", H + _depense("12,3O"), "journal.csv:2", "montant illisible « 12,3O »"),
    # Dates, sens, modes.
    (
        "date-hors-exercice",
        H + _depense(date="02/10/2024"),
        "journal.csv:2",
        "date 02/10/2024 hors de l'exercice 2025-2026",
    ),
    (
        "date-impossible",
        H + _depense(date="31/02/2026"),
        "journal.csv:2",
        "date impossible « 31/02/2026 »",
    ),
    ("date-iso", H + _depense(date="2025-10-02"), "journal.csv:2", "attendu : jj/mm/aaaa"),
    ("date-vide", H + _depense(date=""), "journal.csv:2", "date"),
    ("date-chiffres-arabes", H + _depense(date="٠٢/١٠/٢٠٢٥"), "journal.csv:2", "date"),
    ("sens-inconnu", H + _depense(sens="achat"), "journal.csv:2", "sens inconnu « achat »"),
    (
        "mode-inconnu",
        H + _depense(mode="bitcoin"),
        "journal.csv:2",
        "mode de paiement inconnu « bitcoin »",
    ),
    (
        "cheque-en-especes",
        H + _depense(tresorerie="53", mode="especes", cheque="1234567"),
        "journal.csv:2",
        "numéro de chèque donné pour un paiement par espèces",
    ),
    # Virements, ouvertures, contre-passations.
    (
        "virement-sur-deux-lignes",
        H
        + _depense("50,00", "53", sens="virement", piece="V1")
        + _depense("50,00", "53", sens="virement", piece="V1"),
        "journal.csv:3",
        "un virement tient sur une seule ligne",
    ),
    (
        "virement-sans-destination",
        H + _depense("50,00", "", sens="virement"),
        "journal.csv:2",
        "virement sans compte de destination",
    ),
    (
        "virement-vers-lui-meme",
        H + _depense("50,00", "512", sens="virement"),
        "journal.csv:2",
        "virement de 512 vers lui-même",
    ),
    (
        "virement-vers-une-charge",
        H + _depense("50,00", "6251", sens="virement"),
        "journal.csv:2",
        "n'est pas un compte de trésorerie",
    ),
    (
        "ouverture-avec-compte",
        H + _depense("50,00", "6251", sens="ouverture"),
        "journal.csv:2",
        "une ouverture n'a pas de compte de ventilation",
    ),
    (
        "deuxieme-ouverture",
        H + _depense("50,00", "", sens="ouverture"),
        "journal.csv:2",
        "le compte 512 a déjà un report à nouveau",
    ),
    (
        "annule-une-piece-inconnue",
        H + _depense("-60,00", annule="P999"),
        "journal.csv:2",
        "pièce P999 inconnue",
    ),
    (
        "contre-passation-du-mauvais-montant",
        H + _depense(piece="P1") + _depense("-50,00", piece="P2", annule="P1"),
        "journal.csv:3",
        "doit avoir le même sens et un montant de -60,00 €",
    ),
    # Columns and header.
    (
        "colonne-inconnue",
        "date;piece;libelle;sens;tresorerie;compte;montant;tva\n",
        "journal.csv:1",
        "colonne inconnue « tva »",
    ),
    (
        "colonne-manquante",
        "date;libelle;sens;compte;montant\n02/10/2025;X;depense;6251;10,00\n",
        "journal.csv:1",
        "colonne « tresorerie » manquante",
    ),
    (
        "separateur-virgule",
        "date,piece,libelle,sens,tresorerie,compte,montant\n02/10/2025,,X,depense,512,6251,10\n",
        "journal.csv:1",
        "le séparateur attendu est « ; »",
    ),
    (
        "colonne-en-trop",
        H + _depense().rstrip("\n") + ";x\n",
        "journal.csv:2",
        "13 colonnes au lieu de 12",
    ),
    ("vide", "", "journal.csv", "fichier vide"),
    ("en-tete-repete", H + H + _depense(), "journal.csv:2", "date illisible « date »"),
    # Broken CSV and encodings.
    (
        # the quote swallowed the rest: it said « sens inconnu «  » »
        "guillemet-non-ferme",
        H + BON + '02/10/2025;;"Sortie;depense;512;;;;6251;10,00;;\n' + BON,
        "journal.csv:3",
        "guillemet non fermé",
    ),
    (
        "texte-apres-guillemet",
        H + '02/10/2025;;"Sortie" du 2;depense;512;;;;6251;10,00;;\n',
        "journal.csv:2",
        "texte après un guillemet fermant",
    ),
    (
        # it said « CSV illisible (field larger than field limit (131072)) »
        "champ-enorme",
        H + _depense(libelle="A" * 200_000),
        "journal.csv:2",
        "champ de plus de 131 072 caractères",
    ),
    ("binaire", "\x00\x01\x02PK\x03\x04\n", "journal.csv:1", "colonne inconnue"),
    # Text that a terminal would run.
    (
        "libelle-sequence-ansi",
        H + _depense(libelle="Sortie\x1b[2J"),
        "journal.csv:2",
        "caractère de contrôle \\x1b refusé dans le libellé « Sortie\\x1b[2J »",
    ),
    (
        "libelle-sur-deux-lignes",
        H + _depense(libelle='"Sor\ntie"'),
        "journal.csv:2",
        "caractère de contrôle \\n refusé dans le libellé",
    ),
    (
        "libelle-caractere-nul",
        H + _depense(libelle="Sor\x00tie"),
        "journal.csv:2",
        "caractère de contrôle \\x00",
    ),
    (
        "classe-inversion-bidi",
        H + _depense(classe="CM\u202e2"),
        "journal.csv:2",
        "caractère de contrôle \\u202e refusé dans le nom de classe",
    ),
    (
        "piece-sequence-ansi",
        H + _depense(piece="P\x1b[31m1"),
        "journal.csv:2",
        "caractère de contrôle \\x1b",
    ),
    (
        # « ١٢ » looked like the pièce 12 and was another one
        "piece-chiffres-arabes",
        H + _depense(piece="١٢"),
        "journal.csv:2",
        "pièce « ١٢ » : chiffres à écrire de 0 à 9",
    ),
    (
        # all or nothing: the 50 good rows above are not recorded either
        "erreur-a-la-derniere-ligne",
        H + BON * 50 + _depense("abc"),
        "journal.csv:52",
        "montant illisible « abc »",
    ),
]


@pytest.mark.parametrize(("texte", "ou", "quoi"), [c[1:] for c in CAS], ids=[c[0] for c in CAS])
def test_a_hostile_journal_csv_is_refused_whole_naming_file_and_line(
    refuser, ledger_copie: Path, tmp_path: Path, texte: str, ou: str, quoi: str
) -> None:
    journal = tmp_path / "journal.csv"
    journal.write_text(texte, encoding="utf-8", newline="")
    refuser(
        ["saisie", "--fichier", journal, "--db", ledger_copie],
        ledger=ledger_copie,
        ou=ou,
        quoi=quoi,
    )


@pytest.mark.parametrize("encodage", ["utf-16", "cp1252"])
def test_a_journal_csv_not_in_utf8_is_refused(
    refuser, ledger_copie: Path, tmp_path: Path, encodage: str
) -> None:
    journal = tmp_path / "journal.csv"
    journal.write_bytes((H + _depense(libelle="Sortie é")).encode(encodage))
    refuser(
        ["saisie", "--fichier", journal, "--db", ledger_copie],
        ledger=ledger_copie,
        ou="journal.csv",
        quoi="encodé en UTF-8",
    )


def test_a_journal_csv_that_is_a_folder_or_missing_is_refused(
    refuser, ledger_copie: Path, tmp_path: Path
) -> None:
    for chemin in (tmp_path, tmp_path / "absent.csv"):
        refuser(["saisie", "--fichier", chemin, "--db", ledger_copie], ledger=ledger_copie)


def test_a_header_with_a_repeated_bom_is_read(invoke, ledger_copie: Path, tmp_path: Path) -> None:
    # A spreadsheet's re-save can add a second BOM: « date » was then an unknown column
    # shown as « date », the invisible character unseen.
    journal = tmp_path / "journal.csv"
    journal.write_text("\ufeff\ufeff" + H + _depense(), encoding="utf-8")
    r = invoke("saisie", "--fichier", journal, "--db", ledger_copie)
    assert r.exit_code == 0, r.output
    assert "1 écriture enregistrée" in r.output
