"""Statement readers: every sample file against the expected lines kept beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopcompta.errors import ImportInvalide
from coopcompta.importers import identifier, lire_releve
from coopcompta.money import format_point

DATA = Path(__file__).parent / "data" / "releves"
ECHANTILLONS = sorted(
    p for p in DATA.iterdir() if p.suffix != ".tsv" and not p.name.endswith(".yaml")
)


def _attendu(fichier: Path) -> tuple[dict[str, str], list[str]]:
    meta, lignes = {}, []
    attendu = fichier.with_name(fichier.name.rsplit(".", 1)[0] + ".expected.tsv")
    for ligne in attendu.read_text(encoding="utf-8").splitlines():
        if ligne.startswith("# "):
            cle, _, valeur = ligne[2:].partition(":")
            meta[cle.strip()] = valeur.strip()
        elif ligne:
            lignes.append(ligne)
    return meta, lignes


@pytest.mark.parametrize("fichier", ECHANTILLONS, ids=lambda p: p.name)
def test_each_sample_reads_as_its_expected_file(fichier):
    meta, attendu = _attendu(fichier)
    profil = DATA / meta["profil"] if meta.get("profil") else None
    releve = lire_releve(fichier, profil)
    lu = [
        f"{lg.date.isoformat()}\t{lg.libelle}\t{format_point(lg.montant)}" for lg in releve.lignes
    ]
    assert lu == attendu
    assert releve.format == meta["format"]
    assert (releve.banque or "") == meta.get("banque", "")
    assert identifier(fichier) == meta["format"]


def _ecrire(tmp_path: Path, contenu: str | bytes, nom: str = "releve.csv") -> Path:
    p = tmp_path / nom
    if isinstance(contenu, str):
        p.write_text(contenu, encoding="utf-8")
    else:
        p.write_bytes(contenu)
    return p


def _erreur(path: Path, profil: Path | None = None) -> str:
    with pytest.raises(ImportInvalide) as exc:
        list(lire_releve(path, profil).lignes)
    return str(exc.value)


def test_a_bad_amount_names_the_file_line_and_text(tmp_path):
    p = _ecrire(tmp_path, "Date;Libellé;Montant\n01/10/2025;CB LIBRAIRIE;-12,3O\n")
    assert _erreur(p) == "releve.csv:2: montant illisible « -12,3O »"
