"""Hostile statement files for `coop import` (bank CSV, OFX, QIF, AssoConnect CSV and
workbooks): each refused with the file (and line) and what is wrong, the ledger untouched."""

from __future__ import annotations

import codecs
import datetime as dt
import zipfile
from pathlib import Path

import pytest

ENTETE = "Date;Libellé;Débit;Crédit\n"
BON = "01/10/2025;ACHAT A;-10,00;\n"
MONTANT = "Date;Libellé;Montant\n"


def _ofx(transactions: str, liste: bool = True) -> str:
    corps = f"<BANKTRANLIST>{transactions}</BANKTRANLIST>" if liste else ""
    return (
        "OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS>"
        f"<BANKACCTFROM><BANKID>30003</BANKACCTFROM>{corps}</STMTRS></STMTTRNRS>"
        "</BANKMSGSRSV1></OFX>\n"
    )


def _trn(date: str = "<DTPOSTED>20251002", montant: str = "<TRNAMT>-12.50") -> str:
    return f"\n<STMTTRN>\n<TRNTYPE>DEBIT\n{date}\n{montant}\n<FITID>1\n<NAME>ACHAT\n</STMTTRN>"


QIF = "!Type:Bank\n"
ASSO = "\ufeffDate;Payeur;Formulaire;Montant;Frais;Montant net;Statut\n"

# (id, file name, content (str: UTF-8, bytes: as is), where, what)
CAS: list[tuple[str, str, str | bytes, str, str]] = [
    # A line that would be skipped or netted silently.
    (
        "operation-en-une-cellule",
        "r.csv",
        ENTETE + BON + "02/10/2025 ACHAT B -11,00\n",
        "r.csv:3",
        "opération en une seule colonne « 02/10/2025 ACHAT B -11,00 »",
    ),
    (
        "virgules-dans-un-fichier-point-virgule",
        "r.csv",
        ENTETE + BON + BON + '02/10/2025,ACHAT B,"-11,00",\n',
        "r.csv:4",
        "séparateur « ; » attendu",
    ),
    (
        "tabulations-dans-un-fichier-point-virgule",
        "r.csv",
        ENTETE + BON + "02/10/2025\tACHAT B\t-11,00\t\n",
        "r.csv:3",
        "opération en une seule colonne",
    ),
    (
        "debit-et-credit-remplis",
        "r.csv",
        ENTETE + BON + "03/10/2025;VIR;-14,00;20,00\n",
        "r.csv:3",
        "débit « -14,00 » et crédit « 20,00 » remplis tous les deux",
    ),
    (
        "debit-et-credit-vides",
        "r.csv",
        ENTETE + BON + "03/10/2025;VIR;;\n",
        "r.csv:3",
        "montant absent (débit et crédit vides)",
    ),
    # Files that are not statements.
    ("fichier-vide", "r.csv", b"", "r.csv", "fichier vide"),
    ("fichier-blanc", "r.csv", "\n \n\t\n", "r.csv", "fichier vide"),
    (
        "binaire-png",
        "r.csv",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "r.csv",
        "binaire",
    ),
    ("octets-nuls", "r.csv", (ENTETE + BON).encode() + b"\x00\x00\x00", "r.csv", "binaire"),
    (
        "utf16-sans-bom",
        "r.csv",
        (ENTETE + BON).encode("utf-16-le"),
        "r.csv",
        "binaire",
    ),
    (
        "sans-entete-ni-colonnes",
        "r.csv",
        "bonjour\nceci n'est pas un relevé\n",
        "r.csv",
        "format non reconnu",
    ),
    # Amounts.
    (
        "montant-avec-lettre",
        "r.csv",
        MONTANT + "01/10/2025;ACHAT;-12,3O\n",
        "r.csv:2",
        "montant illisible « -12,3O »",
    ),
    (
        "montant-deux-virgules",
        "r.csv",
        MONTANT + "01/10/2025;ACHAT;-12,30\n01/10/2025;ACHAT;1,2,3\n",
        "r.csv:3",
        "montant illisible",
    ),
    (
        "montant-trop-grand",
        "r.csv",
        MONTANT + "01/10/2025;ACHAT;-12,30\n01/10/2025;ACHAT;123456789012,00\n",
        "r.csv:3",
        "montant trop grand",
    ),
    (
        "montant-chiffres-arabes",
        "r.csv",
        MONTANT + "01/10/2025;ACHAT;-12,30\n01/10/2025;ACHAT;١٢,٥٠\n",
        "r.csv:3",
        "chiffres à écrire de 0 à 9",
    ),
    (
        "montant-chiffres-pleine-chasse",
        "r.csv",
        MONTANT + "01/10/2025;ACHAT;-12,30\n01/10/2025;ACHAT;１２,５０\n",
        "r.csv:3",
        "chiffres à écrire de 0 à 9",
    ),
    (
        "montant-en-exposant",
        "r.csv",
        MONTANT + "01/10/2025;ACHAT;-12,30\n01/10/2025;ACHAT;1e3\n",
        "r.csv:3",
        "montant illisible « 1e3 »",
    ),
    # Dates.
    (
        "date-31-fevrier",
        "r.csv",
        MONTANT + "01/10/2025;ACHAT;-12,30\n31/02/2026;ACHAT;-1,00\n",
        "r.csv:3",
        "date illisible « 31/02/2026 »",
    ),
    (
        "date-mois-13",
        "r.csv",
        MONTANT + "01/10/2025;ACHAT;-12,30\n31/13/2025;ACHAT;-1,00\n",
        "r.csv:3",
        "date illisible « 31/13/2025 »",
    ),
    (
        "date-absente",
        "r.csv",
        MONTANT + "01/10/2025;ACHAT;-12,30\n;ACHAT;-1,00\n",
        "r.csv:3",
        "date absente",
    ),
    (
        "date-chiffres-pleine-chasse",
        "r.csv",
        MONTANT + "01/10/2025;ACHAT;-12,30\n０１/１０/２０２５;ACHAT;-1,00\n",
        "r.csv:3",
        "date illisible",
    ),
    # Shape of the file.
    (
        "ligne-tronquee",
        "r.csv",
        "Date;Date de valeur;Débit;Crédit;Libellé;Solde\n"
        "01/10/2025;02/10/2025;;330,00;REMISE;1830,00\n06/10/2025;06/10/2025;-3,60\n",
        "r.csv:3",
        "ligne tronquée",
    ),
    (
        "guillemet-non-ferme",
        "r.csv",
        MONTANT + '01/10/2025;"ACHAT;-12,30\n02/10/2025;ACHAT;-1,00\n',
        "r.csv:2",
        "guillemet non fermé",
    ),
    (
        "champ-enorme",
        "r.csv",
        MONTANT + "01/10/2025;ACHAT;-12,30\n" + '02/10/2025;"' + "A" * 200_000 + '";-1,00\n',
        "r.csv:3",
        "champ de plus de 131 072 caractères",
    ),
    (
        # the second « Montant » was ignored without a word
        "deux-colonnes-montant",
        "r.csv",
        "Date;Libellé;Montant;Montant\n01/10/2025;A;-1,00;-5,00\n",
        "r.csv:1",
        "deux colonnes « Montant » (3 et 4)",
    ),
    (
        # the label's « ; » shifted the cells: 00 read as the amount, -7,00 dropped, and
        # the line shown as « montant nul, ignorée »
        "point-virgule-dans-le-libelle",
        "r.csv",
        MONTANT + "01/10/2025;A;-1,00\n02/10/2025;ACHAT 5;00;-7,00\n03/10/2025;B;-2,00;\n",
        "r.csv:3",
        "4 colonnes au lieu de 3 (« -7,00 » en trop) : un « ; » dans le libellé ?",
    ),
    # OFX.
    ("ofx-sans-montant", "r.ofx", _ofx(_trn(montant="")), "r.ofx:", "montant absent (TRNAMT)"),
    ("ofx-sans-date", "r.ofx", _ofx(_trn(date="")), "r.ofx:", "date absente (DTPOSTED)"),
    (
        "ofx-date-impossible",
        "r.ofx",
        _ofx(_trn(date="<DTPOSTED>20250231")),
        "r.ofx:",
        "date illisible « 20250231 »",
    ),
    (
        "ofx-montant-lettres",
        "r.ofx",
        _ofx(_trn(montant="<TRNAMT>douze")),
        "r.ofx:",
        "montant illisible « douze »",
    ),
    ("ofx-sans-liste", "r.ofx", _ofx("", liste=False), "r.ofx", "sans liste d'opérations"),
    (
        "ofx-tronque",
        "r.ofx",
        _ofx(_trn())[: _ofx(_trn()).index("<TRNAMT>")],
        "r.ofx:",
        "montant absent (TRNAMT)",
    ),
    (
        # after </STMTTRN> the fields of a transaction without its opening tag were
        # skipped: one operation fewer, rc 0
        "ofx-ouverture-stmttrn-perdue",
        "r.ofx",
        _ofx(_trn() + _trn(montant="<TRNAMT>-3.00").replace("<STMTTRN>", "", 1)),
        "r.ofx:14",
        "<DTPOSTED> hors d'une opération : il manque sans doute la balise <STMTTRN>",
    ),
    (
        # the second amount replaced the first: -12.50 was lost
        "ofx-deux-operations-fusionnees",
        "r.ofx",
        _ofx(
            _trn().replace("</STMTTRN>", "")
            + _trn(montant="<TRNAMT>-3.00").replace("<STMTTRN>", "", 1)
        ),
        "r.ofx:15",
        "deux <TRNAMT> dans la même opération (« -12.50 » et « -3.00 »)",
    ),
    (
        # two accounts' operations were imported on one treasury account
        "ofx-deux-comptes",
        "r.ofx",
        _ofx(_trn())
        .replace("<BANKID>30003", "<BANKID>30003<ACCTID>111")
        .replace(
            "</STMTRS>",
            "</STMTRS><STMTRS><BANKACCTFROM><BANKID>30003<ACCTID>222</BANKACCTFROM>"
            f"<BANKTRANLIST>{_trn()}</BANKTRANLIST></STMTRS>",
            1,
        ),
        "r.ofx:",
        "relevé d'un deuxième compte (ACCTID 222 après 111)",
    ),
    (
        # a decimal point by the OFX format, it was read as a thousands mark: 1 234,00 €
        "ofx-montant-ambigu",
        "r.ofx",
        _ofx(_trn(montant="<TRNAMT>-1.234")),
        "r.ofx:",
        "montant ambigu « -1.234 » : 1 234 € ou 1,234 € ?",
    ),
    # QIF.
    ("qif-sans-date", "r.qif", QIF + "T-12.50\nPACHAT\n^\n", "r.qif:2", "date absente (ligne D)"),
    ("qif-sans-montant", "r.qif", QIF + "D02/10/2025\nPACHAT\n^\n", "r.qif:2", "montant absent"),
    (
        "qif-circonflexe-oublie",
        "r.qif",
        QIF + "D02/10/2025\nT-12.50\nPACHAT\nD03/10/2025\nT-1.00\n^\n",
        "r.qif:5",
        "deux dates dans la même opération",
    ),
    (
        "qif-date-impossible",
        "r.qif",
        QIF + "D30/02/2025\nT-12.50\n^\n",
        "r.qif:2",
        "date illisible « 30/02/2025 »",
    ),
    (
        "qif-montant-ambigu",
        "r.qif",
        QIF + "D02/10/2025\nT-1.234\nPACHAT\n^\n",
        "r.qif:2",
        "montant ambigu « -1.234 »",
    ),
    (
        # Quicken exports every account in one file: both went onto one treasury account
        "qif-deux-comptes",
        "r.qif",
        "!Account\nNCourant\nTBank\n^\n" + QIF + "D02/10/2025\nT-12.50\nPACHAT\n^\n"
        "!Account\nNLivret\nTBank\n^\n" + QIF + "D03/10/2025\nT100.00\nPINTERETS\n^\n",
        "r.qif:15",
        "opérations d'un deuxième compte (« Livret » après « Courant »)",
    ),
    # AssoConnect.
    (
        "assoconnect-montant-illisible",
        "p.csv",
        ASSO + "02/09/2025;DUPONT;Cotisation;quinze;0,52;14,48;Payé\n",
        "p.csv:2",
        "montant illisible « quinze »",
    ),
    (
        # a payment was recorded as received whatever its status said
        "assoconnect-statut-inconnu",
        "p.csv",
        ASSO + "02/09/2025;DUPONT;Cotisation;15,00;0,52;14,48;Contesté\n",
        "p.csv:2",
        "statut inconnu « Contesté »",
    ),
    (
        # the payment turned into a -5,00 € « remboursement d'un export précédent »
        "assoconnect-pourboire-plus-grand-que-le-montant",
        "p.csv",
        "\ufeffDate;Payeur;Formulaire;Montant;Frais;Pourboire;Statut\n"
        "02/09/2025;DUPONT;Cotisation;15,00;0,52;20,00;Payé\n",
        "p.csv:2",
        "pourboire (20,00 €) au moins égal au montant payé (15,00 €)",
    ),
    (
        "assoconnect-date-impossible",
        "p.csv",
        ASSO + "32/09/2025;DUPONT;Cotisation;15,00;0,52;14,48;Payé\n",
        "p.csv:2",
        "date illisible « 32/09/2025 »",
    ),
]


def _ecrire(dossier: Path, nom: str, contenu: str | bytes) -> Path:
    chemin = dossier / nom
    if isinstance(contenu, str):
        chemin.write_text(contenu, encoding="utf-8")
    else:
        chemin.write_bytes(contenu)
    return chemin


@pytest.mark.parametrize(
    ("nom", "contenu", "ou", "quoi"), [c[1:] for c in CAS], ids=[c[0] for c in CAS]
)
def test_a_hostile_statement_is_refused_naming_the_file_and_line(
    refuser, ledger_copie: Path, tmp_path: Path, nom: str, contenu: str | bytes, ou: str, quoi: str
) -> None:
    fichier = _ecrire(tmp_path, nom, contenu)
    refuser(
        ["import", fichier, "--db", ledger_copie, "--non-interactif"],
        ledger=ledger_copie,
        ou=ou,
        quoi=quoi,
    )


def test_a_statement_in_utf16_with_its_bom_names_the_bad_line(
    refuser, ledger_copie: Path, tmp_path: Path
) -> None:
    texte = MONTANT + "01/10/2025;ACHAT;-12,30\n01/10/2025;ACHAT;-1,2X\n"
    fichier = _ecrire(tmp_path, "r.csv", codecs.BOM_UTF16_LE + texte.encode("utf-16-le"))
    refuser(
        ["import", fichier, "--db", ledger_copie, "--non-interactif"],
        ledger=ledger_copie,
        ou="r.csv:3",
        quoi="montant illisible « -1,2X »",
    )


def test_a_workbook_that_is_a_broken_zip_is_refused(
    refuser, ledger_copie: Path, tmp_path: Path
) -> None:
    fichier = _ecrire(tmp_path, "p.xlsx", b"PK\x03\x04[Content_Types].xml" + b"\x00" * 64)
    refuser(
        ["import", fichier, "--db", ledger_copie, "--non-interactif"],
        ledger=ledger_copie,
        ou="p.xlsx",
    )


def test_a_workbook_without_a_sheet_is_refused(refuser, ledger_copie: Path, tmp_path: Path) -> None:
    fichier = tmp_path / "p.xlsx"
    with zipfile.ZipFile(fichier, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    refuser(
        ["import", fichier, "--db", ledger_copie, "--non-interactif"],
        ledger=ledger_copie,
        ou="p.xlsx",
    )


def test_a_folder_given_as_the_statement_is_refused(
    refuser, ledger_copie: Path, tmp_path: Path
) -> None:
    dossier = tmp_path / "releves"
    dossier.mkdir()
    refuser(
        ["import", dossier, "--db", ledger_copie, "--non-interactif"],
        ledger=ledger_copie,
        ou="releves",
    )


def test_a_missing_statement_is_refused(refuser, ledger_copie: Path, tmp_path: Path) -> None:
    refuser(
        ["import", tmp_path / "absent.csv", "--db", ledger_copie, "--non-interactif"],
        ledger=ledger_copie,
        ou="absent.csv",
    )


def test_a_statement_that_does_not_fit_its_profile_is_refused(
    refuser, ledger_copie: Path, tmp_path: Path
) -> None:
    profil = _ecrire(tmp_path, "banque.yaml", "date: Date opération\nmontant: Montant\n")
    fichier = _ecrire(tmp_path, "r.csv", MONTANT + "01/10/2025;ACHAT;-12,30\n")
    refuser(
        ["import", fichier, "--profil", profil, "--db", ledger_copie, "--non-interactif"],
        ledger=ledger_copie,
        ou="r.csv",
        quoi="ne correspond pas au profil « banque.yaml » (colonne « Date opération » absente)",
    )


def test_a_qif_section_that_is_not_a_bank_account_is_listed_as_ignored(
    invoke, ledger_copie: Path, tmp_path: Path
) -> None:
    # Its records were skipped without a word.
    texte = QIF + "D02/10/2025\nT-12.50\nPACHAT\n^\n!Type:Invst\nD03/10/2025\nNBuy\nT100.00\n^\n"
    fichier = _ecrire(tmp_path, "r.qif", texte)
    r = invoke("import", fichier, "--db", ledger_copie, "--non-interactif", "--dry-run")
    assert r.exit_code == 0, r.output
    assert "1 ligne lue" in r.output
    assert "7 à 10 (section !Type:Invst : pas des opérations d'un compte bancaire)" in r.output


def test_a_year_typed_on_two_digits_of_four_is_shown_as_read(
    invoke, ledger_copie: Path, tmp_path: Path
) -> None:
    # 02/10/0025 was shown « 02/10/25 … hors exercice », a date that looks right.
    fichier = _ecrire(tmp_path, "r.csv", MONTANT + "01/10/2025;A;-1,00\n02/10/0025;B;-2,00\n")
    r = invoke("import", fichier, "--db", ledger_copie, "--non-interactif", "--dry-run")
    assert "02/10/0025" in r.output
    assert "1 ligne hors exercice, non importée" in r.output


def test_a_cheque_number_is_read_in_ascii_digits_only() -> None:
    # \d read Arabic-Indic digits: a bank line « CHEQUE ١٢٣٤٥٦٧ » carried a cheque
    # number that no cheque typed at coop saisie (0-9 only) could match.
    from coopcompta.importers.texte import cheque_du_libelle

    assert cheque_du_libelle("CHÈQUE 1234567") == "1234567"
    assert cheque_du_libelle("CHEQUE ١٢٣٤٥٦٧") is None


def _classeur(chemin: Path, lignes: list[list[object]]) -> Path:
    from openpyxl import Workbook

    classeur = Workbook()
    for ligne in lignes:
        classeur.active.append(ligne)
    classeur.save(chemin)
    return chemin


def test_a_workbook_amount_with_three_decimals_is_refused_not_rounded(
    refuser, ledger_copie: Path, tmp_path: Path
) -> None:
    # 15.005 was read « 15,00 » (rounded half to even), without a word.
    fichier = _classeur(
        tmp_path / "p.xlsx",
        [
            ["Date", "Payeur", "Formulaire", "Montant", "Frais", "Montant net", "Statut"],
            [dt.date(2025, 9, 2), "DUPONT", "Cotisation", 15.005, 0.52, 14.48, "Payé"],
        ],
    )
    refuser(
        ["import", fichier, "--db", ledger_copie, "--non-interactif"],
        ledger=ledger_copie,
        ou="p.xlsx:2",
        quoi="montant illisible « 15,005 »",
    )


def test_a_workbook_reference_number_is_kept_as_written(
    invoke, ledger_copie: Path, tmp_path: Path
) -> None:
    # A payout's numeric reference 987654 became the libellé « 987654,00 ».
    fichier = _classeur(
        tmp_path / "v.xlsx",
        [
            ["Date du versement", "Montant", "Référence", "Statut"],
            [dt.date(2025, 9, 2), 150, 987654, "Effectué"],
        ],
    )
    r = invoke("import", fichier, "--db", ledger_copie, "--dry-run", "--format", "json")
    assert '"libelle": "987654", "montant": "-150.00"' in r.output, r.output


def test_a_statement_line_shown_by_ventiler_has_its_escape_sequences_escaped(
    invoke, ledger_copie: Path, tmp_path: Path
) -> None:
    # The label is cleaned when read, but the raw line is kept and coop ventiler printed
    # it as is: « ESC[2J » cleared the treasurer's terminal. (Past the first 4 KiB, where
    # a control character would make the file « binaire ».)
    bourrage = "".join(
        f"02/09/2025;DUPONT{i};Cotisation;15,00;0,52;14,48;Échoué\n" for i in range(100)
    )
    ligne = "03/09/2025;DUP\x1b[2JONT;Cotisation;15,00;0,52;14,48;Payé\n"
    fichier = _ecrire(tmp_path, "p.csv", ASSO + bourrage + ligne)
    r = invoke("import", fichier, "--db", ledger_copie, "--non-interactif")
    assert r.exit_code == 0, r.output
    r = invoke("ventiler", "--db", ledger_copie, "--interactif", input="\n")
    assert "relevé : 03/09/2025;DUP\\x1b[2JONT;Cotisation" in r.output, r.output


def test_a_note_quoting_a_status_cell_escapes_its_control_characters(
    invoke, ledger_copie: Path, tmp_path: Path
) -> None:
    # « ligne « Échoué ESC[2J » ignorée » went to the terminal raw.
    bourrage = "".join(
        f"02/09/2025;DUPONT{i};Cotisation;15,00;0,52;14,48;Payé\n" for i in range(100)
    )
    ligne = "03/09/2025;DURAND;Cotisation;15,00;0,52;14,48;Échoué\x1b[2J\n"
    fichier = _ecrire(tmp_path, "p.csv", ASSO + bourrage + ligne)
    r = invoke("import", fichier, "--db", ledger_copie, "--non-interactif", "--dry-run")
    assert r.exit_code == 0, r.output
    assert "p.csv:102: ligne « Échoué\\x1b[2J » ignorée" in r.output, r.output
