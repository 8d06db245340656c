"""Statement readers: every sample file against the expected lines kept beside it, then the
encodings, shapes, profiles and bad inputs a treasurer's exports come in."""

from __future__ import annotations

import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest

from coopcompta.domain.errors import ImportInvalide
from coopcompta.domain.money import formater_point
from coopcompta.importers import charger_profil, identifier, lire_releve, sauver_profil

DATA = Path(__file__).parents[1] / "data" / "releves"
ECHANTILLONS = sorted(p for p in DATA.iterdir() if not p.name.endswith((".tsv", ".yaml")))


def _attendu(fichier: Path) -> tuple[dict[str, list[str]], list[str]]:
    meta: dict[str, list[str]] = {}
    lignes = []
    attendu = fichier.with_name(fichier.name.rsplit(".", 1)[0] + ".expected.tsv")
    for ligne in attendu.read_text(encoding="utf-8").splitlines():
        if ligne.startswith("# "):
            cle, _, valeur = ligne[2:].partition(":")
            meta.setdefault(cle.strip(), []).append(valeur.strip())
        elif ligne:
            lignes.append(ligne)
    return meta, lignes


def _tsv(releve) -> list[str]:
    return [
        f"{lg.date.isoformat()}\t{lg.libelle}\t{formater_point(lg.montant)}" for lg in releve.lignes
    ]


@pytest.mark.parametrize("fichier", ECHANTILLONS, ids=lambda p: p.name)
def test_each_sample_reads_as_its_expected_file(fichier):
    meta, attendu = _attendu(fichier)
    profil = DATA / meta["profil"][0] if "profil" in meta else None
    releve = lire_releve(fichier, profil)
    assert _tsv(releve) == attendu
    assert releve.format == meta["format"][0]
    assert (releve.banque or "") == meta["banque"][0]
    assert list(releve.avertissements) == meta.get("avertissement", [])
    assert releve.notes == meta.get("note", [])
    if profil is None:
        assert identifier(fichier) == releve.format


def _ecrire(tmp_path: Path, contenu: str | bytes, nom: str = "releve.csv", enc="utf-8") -> Path:
    p = tmp_path / nom
    p.write_bytes(contenu if isinstance(contenu, bytes) else contenu.encode(enc))
    return p


def _erreur(path: Path, profil: Path | None = None) -> str:
    with pytest.raises(ImportInvalide) as exc:
        list(lire_releve(path, profil).lignes)
    return str(exc.value)


# --- what each line carries ------------------------------------------------------------------


def test_a_line_keeps_its_raw_text_its_line_number_and_the_other_columns():
    lignes = list(lire_releve(DATA / "releve_credit_agricole.csv").lignes)
    remise = lignes[0]
    assert remise.ligne == 10
    assert remise.brut == '01/10/2025;"REMISE CHEQUES \n0001240 \n";;"1\u00a0250,00";'
    assert remise.montant == Decimal("1250.00")
    cheque = list(lire_releve(DATA / "releve_cic.csv").lignes)[4]
    assert (cheque.libelle, cheque.cheque) == ("CHEQUE 1234567", "1234567")
    assert dict(cheque.extra) == {"Date de valeur": "10/09/2025", "Solde": "3 452,42"}


def test_the_operation_date_is_preferred_and_the_others_are_kept():
    cb = next(lire_releve(DATA / "releve_caisse_epargne.csv").lignes)
    assert cb.date.isoformat() == "2025-10-31"
    assert cb.extra["Date de comptabilisation"] == "03/11/2025"
    assert cb.extra["Date de valeur"] == "03/11/2025"


def test_ofx_lines_carry_fitid_and_cheque_number():
    lignes = list(lire_releve(DATA / "releve_ofx1.ofx").lignes)
    assert lignes[1].cheque == "0000131"
    assert lignes[1].extra["fitid"] == "2025110500002"
    assert lignes[2].extra["date_comptable"] == "20251112"


def test_assoconnect_payments_keep_fees_net_payer_and_collection():
    paiement = next(lire_releve(DATA / "assoconnect_paiements.csv").lignes)
    assert paiement.montant == Decimal("15.00")
    assert {k: paiement.extra[k] for k in ("frais", "net", "payeur", "collecte")} == {
        "frais": "0.52",
        "net": "14.48",
        "payeur": "DUPONT Marie",
        "collecte": "Cotisation coopérative 2025-2026",
    }


# --- encodings and shapes --------------------------------------------------------------------

CONTENU = "Date;Libellé;Débit;Crédit\n01/10/2025;CB LIBRAIRIE À L'ÉCOLE;12,50;\n"


@pytest.mark.parametrize(
    "enc", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "iso-8859-15", "utf-16"]
)
def test_every_encoding_gives_the_same_accented_label(tmp_path, enc):
    p = _ecrire(tmp_path, CONTENU, enc=enc)
    [ligne] = lire_releve(p).lignes
    assert (ligne.libelle, ligne.montant) == ("CB LIBRAIRIE À L'ÉCOLE", Decimal("-12.50"))


def test_iso_8859_15_euro_and_oe_are_told_from_cp1252(tmp_path):
    texte = "Date;Libellé;Montant\n01/10/2025;MAIN D'ŒUVRE 5 € DE PLUS;-5,00\n"
    p = _ecrire(tmp_path, texte, enc="iso-8859-15")
    assert next(lire_releve(p).lignes).libelle == "MAIN D'ŒUVRE 5 € DE PLUS"


@pytest.mark.parametrize("sep", [";", "\t", ","])
def test_the_delimiter_is_found_whatever_the_extension(tmp_path, sep):
    texte = sep.join(["Date", "Libellé", "Montant"]) + "\n"
    texte += sep.join(["02/10/2025", "VERSEMENT ESPECES", '"1 200,50"']) + "\n"
    [ligne] = lire_releve(_ecrire(tmp_path, texte, nom="export.dat")).lignes
    assert ligne.montant == Decimal("1200.50")


def test_debit_written_negative_or_positive_and_credit_with_plus_are_signed(tmp_path):
    texte = (
        "Date;Libellé;Débit;Crédit\n"
        "01/10/2025;A;-12,50;\n01/10/2025;B;12,50;\n01/10/2025;C;;+8,00\n01/10/2025;D;;8\n"
    )
    montants = [lg.montant for lg in lire_releve(_ecrire(tmp_path, texte)).lignes]
    assert montants == [Decimal(m) for m in ("-12.50", "-12.50", "8.00", "8.00")]


def test_empty_lines_balance_lines_and_repeated_headers_are_not_transactions(tmp_path):
    texte = (
        "Date;Libellé;Montant\n\n"
        "Solde au 30/09/2025;;1 000,00\n"
        "01/10/2025;VERSEMENT ESPECES;50,00\n"
        ";;;\n"
        "Date;Libellé;Montant\n"
        "02/10/2025;SOLDE CREDITEUR;1 050,00\n"
        "03/10/2025;TOTAL MARKETING FRANCE;-20,00\n"
        "Total;;30,00\n"
    )
    libelles = [lg.libelle for lg in lire_releve(_ecrire(tmp_path, texte)).lignes]
    assert libelles == ["VERSEMENT ESPECES", "TOTAL MARKETING FRANCE"]


def test_a_header_without_libelle_column_says_what_it_guessed(tmp_path):
    texte = "Date;Tiers;Montant\n01/10/2025;MAIRIE;100,00\n"
    releve = lire_releve(_ecrire(tmp_path, texte))
    assert "colonne du libellé devinée : « Tiers »" in releve.avertissements
    assert next(releve.lignes).libelle == "MAIRIE"


def test_a_headerless_debit_credit_file_is_guessed_and_said(tmp_path):
    texte = "01/10/2025;FRAIS;4,00;\n02/10/2025;REMISE CHEQUES;;150,00\n"
    releve = lire_releve(_ecrire(tmp_path, texte))
    assert releve.avertissements == (
        "pas de ligne d'en-tête : colonnes devinées (date = colonne 1, libellé = colonne 2, "
        "débit = colonne 3, crédit = colonne 4)",
    )
    assert [lg.montant for lg in releve.lignes] == [Decimal("-4.00"), Decimal("150.00")]


def test_a_large_file_streams_in_flat_memory(tmp_path):
    ligne = "01/10/2025;01/10/2025;CB LIBRAIRIE DU CENTRE 30/09;-12,34;;1 234,56\n"
    p = _ecrire(tmp_path, "Date;Date de valeur;Libellé;Débit;Crédit;Solde\n" + ligne * 3_000)
    releve = lire_releve(p)
    tracemalloc.start()
    n = sum(1 for _ in releve.lignes)
    _, pic = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert n == 3_000
    assert pic < 100_000  # the file is 200 kB; the peak stays near 50 kB at any size


def test_an_ofx_larger_than_one_read_chunk_keeps_every_line_and_its_number(tmp_path):
    trn = "<STMTTRN>\n<TRNTYPE>DEBIT\n<DTPOSTED>20251001\n<TRNAMT>-1,00\n<NAME>FRAIS\n</STMTTRN>\n"
    texte = "OFXHEADER:100\n\n<OFX>\n<BANKTRANLIST>\n" + trn * 2000 + "</BANKTRANLIST>\n</OFX>\n"
    lignes = list(lire_releve(_ecrire(tmp_path, texte, nom="gros.ofx")).lignes)
    assert len(lignes) == 2000
    assert (lignes[0].ligne, lignes[-1].ligne) == (5, 5 + 6 * 1999)


def test_qif_dates_month_first_are_detected_and_said(tmp_path):
    texte = "!Type:Bank\nD12/31/2025\nT-10.00\nPFRAIS\n^\nD01/02/2026\nT5.00\nPVIR\n^\n"
    releve = lire_releve(_ecrire(tmp_path, texte, nom="us.qif"))
    assert releve.avertissements == ("dates lues mois/jour (format américain)",)
    assert [lg.date.isoformat() for lg in releve.lignes] == ["2025-12-31", "2026-01-02"]


# --- profiles --------------------------------------------------------------------------------


def test_a_detected_layout_saved_as_profile_reads_the_file_the_same_way(tmp_path):
    for nom in ("releve_autre_banque.csv", "releve_sans_entete.txt", "releve_credit_agricole.csv"):
        releve = lire_releve(DATA / nom)
        sauver_profil(releve.profil, tmp_path / "profil.yaml", remplacer=True)
        relu = lire_releve(DATA / nom, tmp_path / "profil.yaml")
        assert _tsv(relu) == _tsv(lire_releve(DATA / nom))
        assert relu.avertissements == ()


def test_a_saved_profile_is_plain_french_yaml(tmp_path):
    sauver_profil(lire_releve(DATA / "releve_cic.csv").profil, tmp_path / "cic.yaml")
    assert (tmp_path / "cic.yaml").read_text(encoding="utf-8") == (
        "nom: Crédit Mutuel / CIC\n"
        "date: Date\n"
        "libelle: Libellé\n"
        "debit: Débit\n"
        "credit: Crédit\n"
        "encodage: cp1252\n"
        "separateur: ;\n"
        "format_date: jj/mm/aaaa\n"
        "entete:\n- Date de valeur\n- Solde\n"
    )
    assert charger_profil(tmp_path / "cic.yaml").debit == "Débit"


def test_a_typo_in_a_profile_names_the_file_and_the_field(tmp_path):
    p = _ecrire(tmp_path, "date: Date\nmontant: Montant\nseparatuer: ';'\n", nom="maBanque.yaml")
    with pytest.raises(ImportInvalide) as exc:
        charger_profil(p)
    assert str(exc.value) == "maBanque.yaml: separatuer: champ inconnu"


def test_a_profile_without_amount_is_refused(tmp_path):
    p = _ecrire(tmp_path, "date: Date\nlibelle: Libellé\n", nom="maBanque.yaml")
    with pytest.raises(ImportInvalide) as exc:
        charger_profil(p)
    assert str(exc.value) == "maBanque.yaml: montant: champ requis (ou debit et credit)"


def test_a_file_that_is_not_the_profiles_bank_is_reported_as_such(tmp_path):
    profil = _ecrire(
        tmp_path,
        "date: Date\nlibelle: Libellé\ndebit: Débit\ncredit: Crédit\n",
        nom="maBanque.yaml",
    )
    releve = tmp_path / "releve.csv"
    releve.write_bytes((DATA / "releve_banque_postale.csv").read_bytes())
    assert _erreur(releve, profil) == (
        "releve.csv: ce fichier ne correspond pas au profil « maBanque.yaml » "
        "(colonne « Débit » absente) ; il ressemble à un relevé La Banque Postale"
    )


# --- bad input: the message names the file and the line -------------------------------------


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        (
            "Date;Libellé;Montant\n01/10/2025;CB LIBRAIRIE;-12,3O\n",
            "releve.csv:2: montant illisible « -12,3O »",
        ),
        (
            "Date;Libellé;Montant\n01/10/2025;A;-1,00\n31/13/2025;CB LIBRAIRIE;-12,30\n",
            "releve.csv:3: date illisible « 31/13/2025 »",
        ),
        (
            "Date;Date de valeur;Libellé;Débit;Crédit\n01/10/2025;01/10/2025;A;-1,00;\n"
            "02/10/2025;02/10/2025;FRAIS\n",
            "releve.csv:3: ligne tronquée (3 colonnes au lieu de 5)",
        ),
        (
            "Date;Libellé;Débit;Crédit\n01/10/2025;CB LIBRAIRIE;;\n",
            "releve.csv:2: montant absent (débit et crédit vides)",
        ),
        ("Date;Libellé;Montant\n;CB LIBRAIRIE;-12,30\n", "releve.csv:2: date absente"),
        (
            'Date;Libellé;Montant\n01/10/2025;"CB LIBRAIRIE;-12,30\n',
            "releve.csv:2: guillemet non fermé",
        ),
        ("", "releve.csv: fichier vide"),
        ("\n\n  \n", "releve.csv: fichier vide"),
        (
            "bonjour\nceci n'est pas un relevé\n",
            "releve.csv: format non reconnu : ni ligne d'en-tête ni colonnes date, libellé, "
            "montant (indiquez un profil avec --profil)",
        ),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00binaire", "releve.csv: fichier illisible (binaire ?)"),
    ],
    ids=[
        "montant",
        "date",
        "tronquee",
        "sans-montant",
        "sans-date",
        "guillemet",
        "vide",
        "blanc",
        "inconnu",
        "binaire",
    ],
)
def test_bad_csv_input_names_the_file_and_the_line(tmp_path, contenu, message):
    assert _erreur(_ecrire(tmp_path, contenu)) == message


def test_bad_ofx_and_qif_lines_name_the_file_and_the_line(tmp_path):
    ofx = "OFXHEADER:100\n\n<OFX>\n<BANKTRANLIST>\n<STMTTRN>\n<DTPOSTED>20251001\n<TRNAMT>12,3O\n"
    assert _erreur(_ecrire(tmp_path, ofx, nom="r.ofx")) == "r.ofx:5: montant illisible « 12,3O »"
    qif = "!Type:Bank\nD01/10/2025\nT-1,00\n^\nD32/10/2025\nT-2,00\n^\n"
    assert _erreur(_ecrire(tmp_path, qif, nom="r.qif")) == "r.qif:5: date illisible « 32/10/2025 »"


def test_a_missing_file_is_an_import_error(tmp_path):
    with pytest.raises(ImportInvalide) as exc:
        lire_releve(tmp_path / "absent.csv")
    assert str(exc.value) == "absent.csv: fichier introuvable"


def test_an_lcl_export_with_its_balance_lines_is_read_without_profile():
    """LCL: no header, opening and closing `date;solde;;compte` lines shorter than the
    transactions, labels in the 5th or 6th column, a cheque line without label."""
    from coopcompta.importers.solde import lire_solde

    releve = lire_releve(DATA / "releve_lcl_soldes.csv")
    assert (releve.format, releve.banque, releve.avertissements) == ("csv", "LCL", ())
    cheque = [lg for lg in releve.lignes if lg.cheque][0]
    assert (cheque.libelle, cheque.cheque) == ("CHEQUE 0004455", "0004455")
    solde = lire_solde(DATA / "releve_lcl_soldes.csv")
    assert solde is not None
    assert (solde.date.isoformat(), str(solde.montant)) == ("2025-10-31", "2227.18")


def test_an_assoconnect_payment_with_a_tip_counts_only_what_the_cooperative_receives():
    """The payer paid 17,00 € including a 2,00 € tip for AssoConnect: 15,00 € is income;
    the 0,52 € fee charged to the association is kept for its 627 expense."""
    paiement = next(lire_releve(DATA / "assoconnect_paiements_2026.csv").lignes)
    assert paiement.montant == Decimal("15.00")
    assert (paiement.extra["pourboire"], paiement.extra["frais"]) == ("2.00", "0.52")


def _classeur(path: Path, lignes: list[list[object]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    for ligne in lignes:
        wb.active.append(ligne)
    wb.save(path)
    return path


def test_assoconnect_workbooks_are_recognised_without_profile(tmp_path):
    import datetime as dt

    paiements = _classeur(
        tmp_path / "export-paiements.xlsx",
        [
            ["Date du paiement", "Nom du payeur", "Collecte", "Montant payé", "Frais", "Statut"],
            [dt.datetime(2026, 2, 2), "DUPONT Marie", "Photos de classe", 24.5, 0.69, "Payé"],
            [dt.datetime(2026, 2, 3), "PETIT Emma", "Photos de classe", 24.5, 0.69, "Échoué"],
        ],
    )
    r = lire_releve(paiements)
    assert (r.format, r.banque, identifier(paiements)) == (
        "assoconnect-paiements",
        "AssoConnect",
        "assoconnect-paiements",
    )
    (ligne,) = list(r.lignes)
    assert (ligne.libelle, ligne.montant, ligne.extra["frais"]) == (
        "Photos de classe DUPONT Marie",
        Decimal("24.50"),
        "0.69",
    )
    versements = _classeur(
        tmp_path / "export-versements.xlsx",
        [["Date du versement", "Montant versé", "Référence"], ["16/02/2026", 23.81, "V-0216"]],
    )
    r = lire_releve(versements)
    assert r.format == "assoconnect-versements"
    # A payout leaves the AssoConnect account: a debit on 517.
    assert [lg.montant for lg in r.lignes] == [Decimal("-23.81")]
