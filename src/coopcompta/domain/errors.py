"""The one error family a user may see: each says where, then what."""

from __future__ import annotations

import errno


class CoopComptaError(Exception):
    """An error caused by the user's input or files, shown without traceback.

    `ou` names the place (a file and line, an option, an account); the message
    says what is wrong, in French.
    """

    exit_code = 1

    def __init__(self, message: str, ou: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.ou = ou

    def __str__(self) -> str:
        return f"{self.ou}: {self.message}" if self.ou else self.message


class MontantInvalide(CoopComptaError):
    """An amount that cannot be read."""


class DateInvalide(CoopComptaError):
    """A date that cannot be read or falls outside the exercice."""


class PlanInvalide(CoopComptaError):
    """A chart of accounts file that is malformed or inconsistent."""


class CompteInconnu(CoopComptaError):
    """An account absent from the chart."""


class SaisieInvalide(CoopComptaError):
    """An entry that cannot be recorded as given (ventilation, fields)."""


class LedgerAbsent(CoopComptaError):
    """No ledger at the given path, or one that already exists."""


class ImportInvalide(CoopComptaError):
    """A bank statement file that cannot be read."""


class DonneesInutilisables(CoopComptaError):
    """Input a check cannot even read (exit code 2 for `coop verifier`)."""

    exit_code = 2


class LedgerInutilisable(DonneesInutilisables):
    """A file that is not a coopcompta ledger, a damaged one, or one from a newer
    version: nothing is written to it (exit code 2 from every command)."""


class LedgerOccupe(CoopComptaError):
    """Another command kept writing to the ledger longer than a command waits."""


class LedgerEnLectureSeule(CoopComptaError):
    """A write asked of a ledger that can only be read (file or folder read-only)."""


_RAISONS_OS = {
    errno.EACCES: "accès refusé",
    errno.EPERM: "accès refusé",
    errno.ENOSPC: "disque plein",
    errno.EROFS: "disque en lecture seule",
    errno.EFBIG: "fichier trop grand ou disque plein",
    errno.EDQUOT: "quota disque dépassé",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.ELOOP: "trop de liens symboliques (une boucle ?)",
}


def fichier_inutilisable(exc: OSError, quoi: str = "fichier", etat: str = "illisible") -> str:
    """Why a file could not be used, in French: the OS's own strerror is English.

    `fichier introuvable`, `c'est un dossier, pas un fichier`, or `<quoi> <etat> (raison)`
    such as `fichier illisible (accès refusé)`, `écriture impossible (disque plein)`.
    """
    if isinstance(exc, FileNotFoundError):
        return f"{quoi} introuvable"
    if isinstance(exc, IsADirectoryError):
        return "c'est un dossier, pas un fichier"
    raison = _RAISONS_OS.get(exc.errno or 0) or exc.strerror or str(exc)
    return f"{quoi} {etat} ({raison})"
