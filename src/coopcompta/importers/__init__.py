"""Reading bank and AssoConnect statement files into streams of ReleveLigne.

`lire_releve(path, profil=None)` detects the format (CSV of a known French bank, any CSV
with a recognisable header or shape, OFX 1.x/2.x, QIF, AssoConnect exports) and returns a
`Releve` whose `lignes` are read lazily, in file order, with signed amounts (credit > 0).
Detection problems (empty or binary file, unknown layout, profile mismatch) raise
`ImportInvalide` at once; a bad line raises it while `lignes` is consumed, naming the
file and line (`releve.csv:14: montant illisible « 12,3O »`).
`identifier(path)` names the format from the head of the file only.
The YAML bank profile format is documented in `importers.profil`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from coopcompta.domain.errors import ImportInvalide
from coopcompta.domain.model import ReleveLigne
from coopcompta.importers.csv_releve import Ignoree, ProfilCsv, detecter, lire_lignes
from coopcompta.importers.texte import encodage, encodage_impose, lire_tete, texte_tete

__all__ = [
    "Releve",
    "ProfilCsv",
    "lire_releve",
    "identifier",
    "charger_profil",
    "sauver_profil",
]

FORMATS = ("csv", "ofx", "qif", "assoconnect-paiements", "assoconnect-versements")


@dataclass(frozen=True)
class Releve:
    """A statement file once its format is known; `lignes` streams its transactions.

    `notes` fills up while `lignes` is read: the rows deliberately skipped (a refunded
    or failed AssoConnect payment), each as `fichier:ligne: message`; `ignorees` too:
    the rows that are not transactions (preamble, blank lines, titles, balances, totals),
    as (first line, last line, reason), so that the summary can list them. `profil` is
    the CSV layout found, which `sauver_profil` can keep for next time.
    """

    fichier: str
    format: str
    banque: str | None
    avertissements: tuple[str, ...]
    lignes: Iterator[ReleveLigne]
    profil: ProfilCsv | None = None
    notes: list[str] = field(default_factory=list)
    ignorees: list[Ignoree] = field(default_factory=list)


def identifier(path: Path | str) -> str:
    """The format of a statement file, from its first bytes: one of FORMATS."""
    from coopcompta.importers.banques import BANQUES

    path = Path(path)
    tete = lire_tete(path)
    if _est_xlsx(tete):
        from coopcompta.importers.assoconnect import texte_xlsx

        return detecter(path.name, texte_xlsx(path), "utf-8", BANQUES).format
    enc = encodage(path, tete, complet=False)
    texte = texte_tete(tete, enc)
    fmt = _format(texte)
    if fmt != "csv":
        return fmt
    try:
        return detecter(path.name, texte, enc, BANQUES).format
    except ImportInvalide:
        return "csv"  # a CSV only a profile can read


def _est_xlsx(tete: bytes) -> bool:
    """An Office Open XML workbook: a zip file holding `[Content_Types].xml`."""
    return tete.startswith(b"PK\x03\x04") and b"[Content_Types].xml" in tete


def _format(texte: str) -> str:
    debut = texte.lstrip()[:4000].upper()
    if debut.startswith("OFXHEADER") or "<OFX>" in debut or "<OFX " in debut:
        return "ofx"
    if debut.startswith(("!TYPE:", "!ACCOUNT", "!OPTION", "!CLEAR:")):
        return "qif"
    return "csv"


def lire_releve(path: Path | str, profil: Path | str | None = None) -> Releve:
    """Detect the format of a statement file and return its lines as a lazy stream."""
    path = Path(path)
    tete = lire_tete(path)
    impose = None
    if profil is not None:
        from coopcompta.importers.profil import charger_profil as charger

        impose = (charger(profil), Path(profil).name)
    classeur = None
    if _est_xlsx(tete):  # AssoConnect offers its exports as workbooks
        from coopcompta.importers.assoconnect import texte_xlsx

        classeur = texte_xlsx(path)
        enc, texte, fmt = "utf-8", classeur, "csv"
    else:
        # A profile's encoding is the one read with (it was detected over, silently).
        if impose is not None and impose[0].encodage:
            enc = encodage_impose(path, impose[0].encodage)
        else:
            enc = encodage(path, tete)
        texte = texte_tete(tete, enc)
        fmt = _format(texte)
    if fmt == "ofx":
        from coopcompta.importers.ofx import lire_ofx

        return lire_ofx(path, texte, enc)
    if fmt == "qif":
        from coopcompta.importers.qif import lire_qif

        return lire_qif(path, enc)
    from coopcompta.importers.banques import BANQUES

    d = detecter(path.name, texte, enc, BANQUES, impose)
    notes: list[str] = []
    ignorees: list[Ignoree] = []
    lignes = lire_lignes(path, d, notes, classeur, ignorees)
    if d.format == "assoconnect-paiements":
        from coopcompta.importers.assoconnect import ajuster_paiements

        lignes = ajuster_paiements(lignes, path.name, notes)
    return Releve(
        fichier=path.name,
        format=d.format,
        banque=d.banque,
        avertissements=d.avertissements,
        lignes=lignes,
        profil=d.profil,
        notes=notes,
        ignorees=ignorees,
    )


def charger_profil(path: Path | str) -> ProfilCsv:
    """Read a YAML bank profile (see `importers.profil` for the format)."""
    from coopcompta.importers.profil import charger_profil as charger

    return charger(path)


def sauver_profil(profil: ProfilCsv, path: Path | str, remplacer: bool = False) -> None:
    """Save a profile (e.g. `Releve.profil`) as YAML for `--profil` next time; an
    existing file is replaced only with `remplacer`."""
    from coopcompta.importers.profil import sauver_profil as sauver

    sauver(profil, path, remplacer)
