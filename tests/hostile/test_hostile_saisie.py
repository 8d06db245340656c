"""Hostile arguments to `coop saisie`: refused with where and what, the ledger untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

BASE = ("--date", "12/10/2025", "--libelle", "Photos", "--compte", "7068")

CAS = [
    pytest.param(("--recette", "12,3O"), "--recette", "12,3O", id="montant-lettre-O"),
    pytest.param(("--recette", "1.2.3"), "--recette", "1.2.3", id="montant-deux-points"),
    pytest.param(("--recette", "-5,00"), "--recette", "montant négatif", id="recette-negative"),
    pytest.param(("--recette", "0"), "--recette", "montant nul", id="montant-nul"),
]


@pytest.mark.parametrize(("args", "ou", "quoi"), CAS)
def test_a_bad_amount_is_refused_naming_the_option_and_the_value(
    refuser, ledger_copie: Path, args: tuple[str, ...], ou: str, quoi: str
) -> None:
    refuser(["saisie", "--db", ledger_copie, *BASE, *args], ledger=ledger_copie, ou=ou, quoi=quoi)


# (id, options replacing BASE's, where, what): dates, amounts, libellés, accounts,
# classes, pièces, modes. Each option's text arrives as typed.
DATE = ("--libelle", "Photos", "--compte", "7068", "--recette", "12,00")
LIBELLE = ("--date", "12/10/2025", "--compte", "7068", "--recette", "12,00")
MONTANT = ("--date", "12/10/2025", "--libelle", "Photos", "--compte", "7068")
AUTRES = ("--date", "12/10/2025", "--libelle", "Photos", "--recette", "12,00")

CAS_OPTIONS = [
    pytest.param((*DATE, "--date", ""), "--date", "date vide", id="date-vide"),
    pytest.param((*DATE, "--date", "   "), "--date", "date vide", id="date-blanche"),
    pytest.param(
        (*DATE, "--date", "31/02/2026"), "--date", "date impossible", id="date-31-fevrier"
    ),
    pytest.param((*DATE, "--date", "00/10/2025"), "--date", "date impossible", id="date-jour-zero"),
    pytest.param((*DATE, "--date", "12/10/1999"), "--date", "2025-2026", id="date-hors-exercice"),
    pytest.param((*DATE, "--date", "demain"), "--date", "date illisible « demain »", id="date-mot"),
    pytest.param(
        (*DATE, "--date", "１２/１０/２０２５"),
        "--date",
        "chiffres à écrire de 0 à 9",
        id="date-pleine-chasse",
    ),
    pytest.param(
        (*DATE, "--date", "١٢/١٠/٢٠٢٥"),
        "--date",
        "chiffres à écrire de 0 à 9",
        id="date-chiffres-arabes",
    ),
    pytest.param((*DATE, "--date", "2025-10-12"), "--date", "date illisible", id="date-iso"),
    pytest.param(
        (*DATE, "--date", "12/10/2025\x1b[2J"), "--date", "\\x1b[2J", id="date-sequence-ansi"
    ),
    pytest.param(
        (*MONTANT, "--recette", "١٢"), "--recette", "chiffres à écrire de 0 à 9", id="montant-arabe"
    ),
    pytest.param(
        (*MONTANT, "--recette", "１２,５０"),
        "--recette",
        "chiffres à écrire de 0 à 9",
        id="montant-pleine-chasse",
    ),
    pytest.param(
        (*MONTANT, "--recette", "12,505"), "--recette", "12,505", id="montant-trois-decimales"
    ),
    pytest.param(
        (*MONTANT, "--recette", "1e3"),
        "--recette",
        "montant illisible « 1e3 »",
        id="montant-exposant",
    ),
    pytest.param(
        (*MONTANT, "--recette", "NaN"), "--recette", "montant illisible « NaN »", id="montant-nan"
    ),
    pytest.param(
        (*MONTANT, "--recette", "Infinity"),
        "--recette",
        "montant illisible « Infinity »",
        id="montant-infini",
    ),
    pytest.param(
        (*MONTANT, "--recette", "123456789012,00"),
        "--recette",
        "montant trop grand",
        id="montant-enorme",
    ),
    pytest.param((*MONTANT, "--recette", ""), "--recette", "montant vide", id="montant-vide"),
    pytest.param(
        (*MONTANT, "--recette", "12\x1b[31m"),
        "--recette",
        "« 12\\x1b[31m »",
        id="montant-sequence-ansi",
    ),
    pytest.param(
        (*LIBELLE, "--libelle", "Photos\x1b[31m rouge"),
        "--libelle",
        "caractère de contrôle \\x1b refusé dans le libellé « Photos\\x1b[31m rouge »",
        id="libelle-sequence-ansi",
    ),
    pytest.param(
        (*LIBELLE, "--libelle", "Photos\u202eelcyc"),
        "--libelle",
        "caractère de contrôle \\u202e refusé",
        id="libelle-inversion-bidi",
    ),
    pytest.param(
        (*LIBELLE, "--libelle", "Photos\nde classe"),
        "--libelle",
        "caractère de contrôle \\n refusé",
        id="libelle-retour-ligne",
    ),
    pytest.param(
        (*LIBELLE, "--libelle", "Photos\x00"),
        "--libelle",
        "caractère de contrôle \\x00",
        id="libelle-nul",
    ),
    pytest.param((*LIBELLE, "--libelle", "   "), "--libelle", "libellé vide", id="libelle-blanc"),
    pytest.param((*AUTRES, "--compte", "9999"), "--compte", "9999", id="compte-inconnu"),
    pytest.param(
        (*AUTRES, "--compte", "6064"), "--compte", "6064", id="compte-de-charge-pour-une-recette"
    ),
    pytest.param(
        (*AUTRES, "--compte", "7068=5,00"), "--compte", "12,00", id="ventilation-incomplete"
    ),
    pytest.param(
        (*AUTRES, "--compte", "7068=abc"),
        "--compte",
        "montant illisible « abc »",
        id="part-illisible",
    ),
    pytest.param(
        (*AUTRES, "--compte", "7068:CM1\x07"),
        "--compte",
        "caractère de contrôle \\x07",
        id="classe-controle",
    ),
    pytest.param(
        (*AUTRES, "--compte", "7068", "--piece", "P" * 30),
        "--piece",
        "trop longue",
        id="piece-trop-longue",
    ),
    pytest.param(
        (*AUTRES, "--compte", "7068", "--piece", "R1\x1b[8m"),
        "--piece",
        "caractère de contrôle \\x1b",
        id="piece-sequence-ansi",
    ),
    pytest.param(
        (*AUTRES, "--compte", "7068", "--mode", "cheque", "--cheque", "123\r456"),
        "--cheque",
        "caractère de contrôle \\r",
        id="cheque-retour-chariot",
    ),
    pytest.param(
        (*AUTRES, "--compte", "7068", "--mode", "bitcoin"), "--mode", "bitcoin", id="mode-inconnu"
    ),
    pytest.param(
        (*AUTRES, "--compte", "7068", "--depense", "3,00"), "", "--recette", id="recette-et-depense"
    ),
]


@pytest.mark.parametrize(("args", "ou", "quoi"), CAS_OPTIONS)
def test_a_hostile_option_is_refused_naming_it_and_never_echoing_controls(
    refuser, ledger_copie: Path, args: tuple[str, ...], ou: str, quoi: str
) -> None:
    r = refuser(["saisie", "--db", ledger_copie, *args], ledger=ledger_copie, ou=ou, quoi=quoi)
    assert "\x1b" not in r.sortie and "\u202e" not in r.sortie and "\x07" not in r.sortie


# Other commands that take a date, an amount or a text: the same rules.
CAS_AUTRES_COMMANDES = [
    pytest.param(("journal", "--du", ""), "--du", "date vide", id="journal-du-vide"),
    pytest.param(
        ("journal", "--au", "３１/１２/２０２５"), "--au", "de 0 à 9", id="journal-au-pleine-chasse"
    ),
    pytest.param(
        ("journal", "--montant", ""), "--montant", "montant vide", id="journal-montant-vide"
    ),
    pytest.param(
        ("virement", "--montant", "١٠", "--de", "53", "--vers", "512", "--date", "12/10/2025"),
        "--montant",
        "chiffres à écrire de 0 à 9",
        id="virement-montant-arabe",
    ),
    pytest.param(
        ("virement", "--montant", "10", "--de", "53", "--vers", "512", "--date", ""),
        "--date",
        "date vide",
        id="virement-date-vide",
    ),
    pytest.param(
        ("virement", "--montant", "10", "--de", "53", "--vers", "512", "--date", "12/10/2025")
        + ("--libelle", "Dépôt\x1b[31m"),
        "--libelle",
        "caractère de contrôle \\x1b",
        id="virement-libelle-ansi",
    ),
    pytest.param(
        ("annuler", "1", "--motif", "erreur\x1b[2J"), "--motif", "\\x1b[2J", id="annuler-motif-ansi"
    ),
    pytest.param(
        ("corriger", "1", "--compte", "7068:A\x1b"), "--compte", "\\x1b", id="corriger-classe-ansi"
    ),
]


@pytest.mark.parametrize(("args", "ou", "quoi"), CAS_AUTRES_COMMANDES)
def test_other_commands_refuse_the_same_hostile_text(
    refuser, invoke, ledger_copie: Path, args: tuple[str, ...], ou: str, quoi: str
) -> None:
    r = invoke("saisie", "--db", ledger_copie, *BASE, "--recette", "12,00")
    assert r.exit_code == 0, r.output
    r = refuser([args[0], "--db", ledger_copie, *args[1:]], ledger=ledger_copie, ou=ou, quoi=quoi)
    assert "\x1b" not in r.sortie
