"""Hostile paths and YAML for `coop import --sauver-profil`, `--profil` and `--regles`
(issue 8, item 7): nothing replaced without --force, nothing written in a simulation, and
every refusal in French, naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
OCTOBRE = DATA / "import" / "octobre.csv"


def importer(ledger: Path, *options: object) -> list[object]:
    return ["import", OCTOBRE, "--db", ledger, "--non-interactif", *options]


def test_sauver_profil_does_not_replace_a_file_without_force(
    refuser, invoke, ledger_path: Path, tmp_path: Path
) -> None:
    profil = tmp_path / "cic.yaml"
    profil.write_text("# mon profil\n", encoding="utf-8")
    refuser(
        importer(ledger_path, "--sauver-profil", profil),
        ledger=ledger_path,
        ou=str(profil),
        quoi="ce fichier existe déjà : ajoutez --force pour le remplacer",
    )
    assert profil.read_text(encoding="utf-8") == "# mon profil\n"
    r = invoke(*importer(ledger_path, "--sauver-profil", profil, "--force"))
    assert r.exit_code == 0, r.output
    assert "separateur" in profil.read_text(encoding="utf-8")


def test_sauver_profil_writes_nothing_in_a_simulation(
    invoke, ledger_path: Path, tmp_path: Path
) -> None:
    profil = tmp_path / "cic.yaml"
    r = invoke(*importer(ledger_path, "--sauver-profil", profil, "--dry-run"))
    assert r.exit_code == 0, r.output
    assert f"Simulation : profil non enregistré dans {profil}." in r.stderr
    assert not profil.exists()


@pytest.mark.parametrize(
    ("cible", "quoi"),
    [
        pytest.param("absent/cic.yaml", "dossier introuvable", id="dossier-manquant"),
        pytest.param(".", "c'est un dossier, pas un fichier", id="dossier"),
        pytest.param("é" * 130 + ".yaml", "nom de fichier trop long", id="nom-trop-long"),
    ],
)
def test_sauver_profil_to_a_path_that_cannot_be_written_is_named(
    refuser, ledger_path: Path, tmp_path: Path, cible: str, quoi: str
) -> None:
    chemin = tmp_path / cible
    refuser(
        importer(ledger_path, "--sauver-profil", chemin, "--force"),
        ledger=ledger_path,
        quoi=quoi,
    )


@pytest.mark.parametrize(
    ("texte", "quoi"),
    [
        pytest.param(
            "nom: Ma banque\ndate: Date\nlibelle: Libell\xe9\nmontant: Montant\n".encode("latin-1"),
            "ce n'est pas du texte UTF-8",
            id="latin1",
        ),
        pytest.param(
            b"date: Date\nlibelle: L\nmontant: M\nsans_entete: peut-etre\n",
            "sans_entete: oui ou non attendu",
            id="booleen",
        ),
        pytest.param(
            b"date: Date\nlibelle: L\nmontant: M\nseparateur: [1, 2]\n",
            "separateur: texte attendu",
            id="liste-pour-texte",
        ),
        pytest.param(
            b"date: Date\nlibelle: L\nmontant: M\ncouleur: rouge\n", "champ inconnu", id="champ"
        ),
    ],
)
def test_a_bad_profile_is_refused_in_french(
    refuser, ledger_path: Path, tmp_path: Path, texte: bytes, quoi: str
) -> None:
    profil = tmp_path / "banque.yaml"
    profil.write_bytes(texte)
    refus = refuser(
        importer(ledger_path, "--profil", profil), ledger=ledger_path, ou="banque.yaml", quoi=quoi
    )
    for anglais in ("Input should", "valid", "Field required", "Extra inputs"):
        assert anglais not in refus.sortie


@pytest.mark.parametrize(
    ("texte", "quoi"),
    [
        pytest.param("- nom: x\n  motif: FRAIS\n  compte: [627]\n", "texte attendu", id="liste"),
        pytest.param(
            "- nom: x\n  motif: FRAIS\n  compte: '627'\n  sens: les-deux\n",
            "valeur attendue",
            id="sens",
        ),
    ],
)
def test_a_bad_rules_file_is_refused_in_french(
    refuser, ledger_path: Path, tmp_path: Path, texte: str, quoi: str
) -> None:
    regles = tmp_path / "regles.yaml"
    regles.write_text(texte, encoding="utf-8")
    refus = refuser(
        importer(ledger_path, "--regles", regles), ledger=ledger_path, ou="regles.yaml", quoi=quoi
    )
    assert "Input should" not in refus.sortie


def test_a_folder_given_as_the_profile_is_named(refuser, ledger_path: Path, tmp_path: Path) -> None:
    refuser(
        importer(ledger_path, "--profil", tmp_path),
        ledger=ledger_path,
        quoi="c'est un dossier, pas un fichier",
    )
