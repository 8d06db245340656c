"""Reading bank and AssoConnect statement files into ReleveLigne streams.

`lire_releve(path, profil=None)` detects the format (CSV of a known French bank, any CSV
with a recognisable header, OFX 1.x/2.x, QIF, AssoConnect exports), then returns a `Releve`
whose `lignes` are read lazily, in file order, with signed amounts (credit > 0).
`identifier(path)` names the format from the head of the file only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import ImportInvalide
from ..model import ReleveLigne
from .csv_releve import ProfilCsv, detecter, lire_lignes
from .texte import encodage, lire_tete, texte_tete

__all__ = ["Releve", "ProfilCsv", "lire_releve", "identifier", "charger_profil", "sauver_profil"]


def charger_profil(path: Path | str) -> ProfilCsv:
    """Read a YAML bank profile (see `importers.profil` for the format)."""
    from .profil import charger_profil as charger

    return charger(path)


def sauver_profil(profil: ProfilCsv, path: Path | str) -> None:
    """Save a profile (e.g. `Releve.profil`) as YAML for `--profil` next time."""
    from .profil import sauver_profil as sauver

    sauver(profil, path)


@dataclass(frozen=True)
class Releve:
    """A statement file once its format is known; `lignes` streams its transactions."""

    fichier: str
    format: str
    banque: str | None
    avertissements: tuple[str, ...]
    lignes: Iterator[ReleveLigne]
    profil: ProfilCsv | None = None  # CSV only: the layout found, for `sauver_profil`


def identifier(path: Path | str) -> str:
    """The format of a statement file, from its first bytes: csv, ofx, qif, assoconnect-…"""
    path = Path(path)
    tete = lire_tete(path)
    enc = encodage(path, tete)
    return _format(texte_tete(tete, enc))


def _format(texte: str) -> str:
    debut = texte.lstrip()[:2000].upper()
    if (
        debut.startswith("OFXHEADER")
        or "<OFX>" in debut
        or debut.startswith("<?XML")
        and "<OFX" in debut
    ):
        return "ofx"
    if debut.startswith("!TYPE:") or debut.startswith("!ACCOUNT") or debut.startswith("!OPTION"):
        return "qif"
    return "csv"


def lire_releve(path: Path | str, profil: Path | None = None) -> Releve:
    """Detect the format of a statement file and return its lines as a lazy stream.

    Detection errors (empty, binary, unknown layout, profile mismatch) are raised here;
    parsing errors (bad date or amount at a given line) when `lignes` is consumed.
    """
    path = Path(path)
    tete = lire_tete(path)
    enc = encodage(path, tete)
    texte = texte_tete(tete, enc)
    fmt = _format(texte)
    if fmt == "csv":
        from .banques import BANQUES

        impose = None
        if profil is not None:
            from .profil import charger_profil

            impose = (charger_profil(profil), Path(profil).name)
        d = detecter(path.name, texte, enc, BANQUES, impose)
        return Releve(path.name, "csv", d.banque, d.avertissements, lire_lignes(path, d), d.profil)
    raise ImportInvalide(f"format {fmt} non encore pris en charge", path.name)
