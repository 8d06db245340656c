"""A file that cannot be used is explained in French (the OS's own reason is English)."""

from __future__ import annotations

import errno

import pytest

from coopcompta.domain.errors import fichier_inutilisable


def test_missing_files_are_said_missing_in_french(invoke, ledger_path, tmp_path):
    absent = tmp_path / "absent.csv"
    r = invoke("saisie", "--db", ledger_path, "--fichier", absent)
    assert r.exit_code == 1
    assert r.stderr == f"Erreur : {absent}: fichier introuvable\n"
    r = invoke("import", "--db", ledger_path, absent, "--non-interactif")
    assert r.exit_code == 1
    assert r.stderr == "Erreur : absent.csv: fichier introuvable\n"
    r = invoke("import", "--db", ledger_path, "--profil", tmp_path / "profil.yaml", absent)
    assert r.exit_code == 1
    assert "No such file" not in r.stderr


def test_a_folder_given_as_a_statement_is_named_as_such(invoke, ledger_path, tmp_path):
    dossier = tmp_path / "releves"
    dossier.mkdir()
    r = invoke("import", "--db", ledger_path, dossier, "--non-interactif")
    assert r.exit_code == 1
    assert r.stderr == "Erreur : releves: c'est un dossier, pas un fichier\n"


@pytest.mark.parametrize(
    ("erreur", "attendu"),
    [
        (FileNotFoundError(errno.ENOENT, "No such file or directory"), "fichier introuvable"),
        (IsADirectoryError(errno.EISDIR, "Is a directory"), "c'est un dossier, pas un fichier"),
        (PermissionError(errno.EACCES, "Permission denied"), "fichier illisible (accès refusé)"),
        (OSError(errno.ENOSPC, "No space left on device"), "fichier illisible (disque plein)"),
    ],
)
def test_os_errors_are_translated(erreur, attendu):
    assert fichier_inutilisable(erreur) == attendu


def test_the_noun_and_the_verb_follow_what_was_done():
    refus = PermissionError(errno.EACCES, "Permission denied")
    assert (
        fichier_inutilisable(refus, "écriture", "impossible")
        == "écriture impossible (accès refusé)"
    )
    assert (
        fichier_inutilisable(FileNotFoundError(errno.ENOENT, "x"), "profil") == "profil introuvable"
    )


def test_a_full_disk_while_exporting_is_a_clean_error_and_leaves_no_file(
    invoke, ledger_path, tmp_path, monkeypatch
):
    import os

    def plein(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", plein)
    cible = tmp_path / "bilan.xlsx"
    r = invoke("export", "--db", ledger_path, cible)
    assert r.exit_code == 1
    assert r.stderr == f"Erreur : {cible}: écriture impossible (disque plein)\n"
    assert sorted(p.name for p in tmp_path.iterdir() if "bilan" in p.name) == []
