"""The outcome of checking one input among many (`coop verifier DOSSIER`, `coop consolider`).

A `Controle` is either a `Verification` with who the cooperative is, or the
`Probleme` that kept the input from being checked. Pure data; the exit code of a run
is the worst of its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coopcompta.domain.money import formater_point

if TYPE_CHECKING:
    from coopcompta.domain.checks import Verification
    from coopcompta.domain.errors import CoopComptaError

CODE_INUTILISABLE = 2


@dataclass(frozen=True)
class Probleme:
    """Why an input could not be checked.

    `texte` is the message a run on that input alone prints (`notes.txt:1: colonne
    inconnue …`); `quoi` is the same without the file, `ligne` its line, if any.
    """

    texte: str
    quoi: str
    ligne: int | None = None

    @classmethod
    def depuis(cls, exc: CoopComptaError, chemin: Path) -> Probleme:
        """Split an error's `ou` into the input's line, or keep a foreign place in the text.

        `releve.csv:14` is line 14 of the input; `--exercice` or a chart file stays
        in front of the message.
        """
        ou = exc.ou
        if ou is None or ou in (str(chemin), chemin.name):
            return cls(str(exc), exc.message)
        tete, _, ligne = ou.rpartition(":")
        if tete in (str(chemin), chemin.name) and ligne.isdigit():
            return cls(str(exc), exc.message, int(ligne))
        return cls(str(exc), f"{ou}: {exc.message}")

    def place(self, fichier: str) -> str:
        """`dossier/notes.txt:1: colonne inconnue …`: where, then what."""
        if self.ligne is not None:
            return f"{fichier}:{self.ligne}: {self.quoi}"
        return f"{fichier}: {self.quoi}"


@dataclass(frozen=True)
class Controle:
    """One input of a run: what it is, and its verification or why it has none.

    `empreinte` identifies a journal CSV by its content (two copies are one cooperative).
    """

    fichier: str
    verification: Verification | None = None
    probleme: Probleme | None = None
    cooperative: str = ""
    numero_occe: str = ""
    empreinte: str | None = None
    # A ledger's year-end documents: a bank reconciliation at the last day, a cash count.
    rapprochement: bool | None = None
    arrete_caisse: bool | None = None
    duree: float = 0.0

    @property
    def erreurs(self) -> int:
        return self.verification.erreurs if self.verification else 0

    @property
    def avertissements(self) -> int:
        return self.verification.avertissements if self.verification else 0

    def code_sortie(self, strict: bool = False) -> int:
        """0 when clean, 1 on errors (or warnings with --strict), 2 if it could not be checked."""
        if self.verification is None:
            return CODE_INUTILISABLE
        return self.verification.code_sortie(strict)

    def vers_json(self, strict: bool = False) -> dict[str, Any]:
        """One input of `coop verifier … --format json` with several inputs."""
        v = self.verification
        if v is None:
            assert self.probleme is not None
            return {
                "ok": False,
                "source": self.fichier,
                "inutilisable": self.probleme.place(self.fichier),
                "ligne": self.probleme.ligne,
            }
        doc = v.vers_json(strict)
        doc["cooperative"] = self.cooperative
        doc["numero_occe"] = self.numero_occe or None
        if v.bilan is not None:
            x = v.bilan.exceptionnel
            doc["resultat"] = formater_point(v.bilan.fonctionnement.resultat)
            doc["solde_exceptionnel"] = formater_point(x.solde)
            doc["exceptionnel_ok"] = x.ok
        return doc


def code_de_sortie(codes: list[int] | tuple[int, ...]) -> int:
    """The worst of several exit codes (0 for none)."""
    return max(codes, default=0)


def resultat_et_exceptionnel(c: Controle) -> tuple[Decimal | None, Decimal | None, bool | None]:
    """Résultat, exceptional balance and its verdict, when the input could be checked."""
    b = c.verification.bilan if c.verification else None
    if b is None:
        return None, None, None
    return b.fonctionnement.resultat, b.exceptionnel.solde, b.exceptionnel.ok
