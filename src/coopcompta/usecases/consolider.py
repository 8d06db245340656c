"""`coop consolider` use case: many cooperatives' books of one exercice, checked and added up.

Every input is checked as `coop verifier` checks it (in worker processes), then
becomes one row of the departmental list (`domain.consolidation`), kept in a
temporary file (`storage.consolidation.Registre`) while its statements are added to
the totals. What cannot be counted is set aside with its reason: an unusable file,
another exercice, a cooperative already counted.

The exercice is `--exercice`, else the one of the first input that can be read; a
ledger is read for it when it holds it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from coopcompta.domain.consolidation import (
    AUTRE_EXERCICE,
    DOUBLON,
    INUTILISABLE,
    AnomalieCooperative,
    Ecartee,
    LigneCooperative,
    Totaux,
    cle_cooperative,
    comment_elle_se_presente,
    ligne_de,
)
from coopcompta.domain.controle import Controle
from coopcompta.domain.errors import DonneesInutilisables
from coopcompta.storage.consolidation import Registre
from coopcompta.usecases.controle import Entree, Reglages, controler, controler_tous, entrees


@dataclass
class Consolidation:
    """The outcome: the exercice, the totals, and the registre to read the rows back from."""

    exercice: str
    totaux: Totaux
    registre: Registre
    fichiers: int = 0
    feuilles: tuple[str, ...] = ()  # of the workbook written, if any

    @property
    def ecartees(self) -> int:
        return self.registre.nombre_ecartees()

    def cooperatives(self) -> Iterator[LigneCooperative]:
        """The rows, those to look at first (read back from the temporary file)."""
        return self.registre.cooperatives()

    def anomalies(self) -> Iterator[AnomalieCooperative]:
        return self.registre.anomalies()

    def inputs_ecartes(self) -> Iterator[Ecartee]:
        return self.registre.ecartees()

    def code_sortie(self) -> int:
        """2 if an input was set aside, 1 if a cooperative needs a look, 0 otherwise."""
        if self.ecartees:
            return 2
        return 1 if self.totaux.a_regarder else 0


def _controles(
    suite: Iterator[Entree], reglages: Reglages, processus: int
) -> Iterator[tuple[Controle, str | None]]:
    """Each input checked, with the exercice the run settles on (None until one is read)."""
    if reglages.exercice is None:
        for entree in suite:
            c = controler(entree, reglages)
            exercice = c.verification.exercice.nom if c.verification else None
            yield c, exercice
            if exercice is not None:
                reglages = replace(reglages, exercice=exercice)
                break
    for c in controler_tous(suite, reglages, processus):
        yield c, reglages.exercice


@contextlib.contextmanager
def consolidation(
    chemins: Sequence[Path],
    reglages: Reglages,
    strict: bool = False,
    processus: int = 0,
    export: Path | None = None,
    force: bool = False,
) -> Iterator[Consolidation]:
    """Consolidate the inputs; with `export`, also write the AD workbook there.

    The rows can be read back while the context lasts. The workbook's target is checked
    before the (long) run, and appears only once complete.
    """
    from coopcompta.exports.excel import fichier_atomique

    if export is not None and export.suffix.lower() != ".xlsx":
        raise DonneesInutilisables(
            f"extension « {export.suffix or '(aucune)'} » : le classeur s'écrit en .xlsx",
            str(export),
        )
    with Registre() as registre:
        if export is None:
            yield consolider(chemins, reglages, registre, strict, processus)
            return
        with fichier_atomique(export, force=force) as tmp:
            resultat = consolider(chemins, reglages, registre, strict, processus)
            resultat.feuilles = _exporter(resultat, tmp)
        yield resultat


def _exporter(r: Consolidation, chemin: Path) -> tuple[str, ...]:
    from coopcompta.exports.ad import EnTete, ecrire_classeur_ad

    entete = EnTete(r.exercice, r.totaux.cooperatives, dt.datetime.now().replace(microsecond=0))
    return ecrire_classeur_ad(
        chemin, entete, r.cooperatives(), r.totaux, r.anomalies(), r.inputs_ecartes()
    )


def consolider(
    chemins: Sequence[Path],
    reglages: Reglages,
    registre: Registre,
    strict: bool = False,
    processus: int = 0,
) -> Consolidation:
    """Check every input and record it in `registre`; returns the totals."""
    reglages = replace(reglages, exercice_souple=True)
    totaux = Totaux(exercice=reglages.exercice or "")
    n = 0
    exercice: str | None = reglages.exercice
    for c, exercice in _controles(entrees(chemins), reglages, processus):
        n += 1
        v = c.verification
        if v is None:
            assert c.probleme is not None
            registre.ecarter(Ecartee(c.fichier, INUTILISABLE, c.probleme.quoi, c.probleme.ligne))
            continue
        if v.exercice.nom != exercice:
            registre.ecarter(
                Ecartee(
                    c.fichier,
                    AUTRE_EXERCICE,
                    f"exercice {v.exercice.nom}, pas {exercice} : non comptée "
                    "(choisissez l'exercice avec --exercice)",
                )
            )
            continue
        ligne = ligne_de(c, strict)
        premier = registre.ajouter(ligne, cle_cooperative(c), v.anomalies)
        if premier is not None:
            registre.ecarter(
                Ecartee(
                    c.fichier,
                    DOUBLON,
                    f"même coopérative ({comment_elle_se_presente(c)}) et même exercice que "
                    f"{premier} : comptée une seule fois",
                )
            )
            continue
        assert v.bilan is not None
        totaux.ajouter(v.bilan, ligne)
    return Consolidation(exercice or "", totaux, registre, n)
