"""`coop rapprochement`: point écritures against the bank statement and keep the tableau de
rapprochement at a date (31 August by default)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from coopcompta.domain.comptes import COMPTE_BANQUE
from coopcompta.domain.errors import SaisieInvalide
from coopcompta.domain.model import Exercice, Nature
from coopcompta.domain.rapprochement import (
    LigneHorsLivre,
    Mouvement,
    Tableau,
    choisir,
    refuser_si_desequilibre,
    tableau,
)
from coopcompta.usecases.caisse import date_par_defaut

if TYPE_CHECKING:
    from coopcompta.domain.plan_comptable import PlanComptable
    from coopcompta.storage import Ledger
    from coopcompta.storage.rapprochement import Rapprochement


@dataclass(frozen=True)
class Preparation:
    """What a reconciliation starts from: the books at the date, and the statement's balance
    when an export or the command line gave it (None: to be asked)."""

    exercice: Exercice
    compte: str
    date: dt.date
    solde_livre: Decimal
    mouvements: tuple[Mouvement, ...]
    solde_releve: Decimal | None
    source: str | None

    def tableau(
        self,
        pointes: set[int],
        hors_livre: Sequence[LigneHorsLivre] = (),
        solde: Decimal | None = None,
    ) -> Tableau:
        releve = solde if solde is not None else self.solde_releve
        if releve is None:
            raise SaisieInvalide("solde du relevé inconnu : indiquez-le avec --solde", "--solde")
        return tableau(
            self.compte, self.date, releve, self.solde_livre, self.mouvements, pointes, hors_livre
        )


def preparer(
    ledger: Ledger,
    plan: PlanComptable,
    compte: str = COMPTE_BANQUE,
    date: dt.date | None = None,
    solde: Decimal | None = None,
    releve: Path | None = None,
    exercice: str | None = None,
) -> Preparation:
    """Read the books of `compte` at `date`, and the statement's balance from the option, the
    file given, or a statement imported with a balance at that date."""
    from coopcompta.storage import rapprochement as sql

    trouve = plan.trouver(compte)
    if trouve is None or trouve.nature is not Nature.TRESORERIE:
        raise SaisieInvalide(f"le compte {compte} n'est pas un compte de trésorerie", "--compte")
    ex = ledger.exercice(exercice)
    source = None
    if releve is not None:
        from coopcompta.importers.solde import lire_solde

        lu = lire_solde(releve)
        if lu is None and solde is None:
            raise SaisieInvalide(
                "ce relevé n'indique pas de solde (ni colonne Solde, ni ligne « Solde au », ni "
                "LEDGERBAL) : donnez-le avec --solde",
                str(releve),
            )
        if lu is not None:
            if date is None:
                date = lu.date
            if solde is None:
                if lu.date != date:
                    raise SaisieInvalide(
                        f"le relevé donne le solde au {lu.date:%d/%m/%Y}, pas au "
                        f"{date:%d/%m/%Y} : donnez le solde avec --solde",
                        str(releve),
                    )
                solde, source = lu.montant, lu.fichier
    jour = date_par_defaut(ex, date, "--date")
    if solde is None:
        retenu = sql.solde_releve(ledger, trouve.numero, jour)
        if retenu is not None:
            solde, source = retenu
    elif source is None:
        source = "saisi"
    return Preparation(
        exercice=ex,
        compte=trouve.numero,
        date=jour,
        solde_livre=sql.solde_au(ledger, ex.nom, trouve.numero, jour),
        mouvements=tuple(sql.non_pointes(ledger, trouve.numero, jour)),
        solde_releve=solde,
        source=source,
    )


def pointes_demandes(
    prep: Preparation, pointer: Sequence[str] = (), tout: bool = False, sauf: Sequence[str] = ()
) -> set[int]:
    """The écritures `--pointer` names, or all but those `--sauf` names with `--tout-pointer`."""
    choisis = choisir(prep.mouvements, pointer) if pointer else set()
    if tout:
        exclus = choisir(prep.mouvements, sauf, "--sauf") if sauf else set()
        choisis |= {m.ecriture_id for m in prep.mouvements} - exclus
    elif sauf:
        raise SaisieInvalide("--sauf s'emploie avec --tout-pointer", "--sauf")
    return choisis


def enregistrer(ledger: Ledger, prep: Preparation, t: Tableau, pointes: set[int]) -> int:
    """Keep the reconciliation and its pointages; refused, with nothing kept, unless it holds."""
    from coopcompta.storage import rapprochement as sql

    refuser_si_desequilibre(t)
    with ledger.transaction():
        return sql.enregistrer(ledger, prep.exercice.nom, t, pointes, prep.source)


def rapprochements(ledger: Ledger, exercice: str) -> list[Rapprochement]:
    from coopcompta.storage.rapprochement import derniers

    return derniers(ledger, exercice)


def retenir_solde_du_releve(ledger: Ledger, fichier: Path, compte: str) -> None:
    """Keep the closing balance an imported statement carries, for the reconciliation."""
    from coopcompta.importers.solde import lire_solde
    from coopcompta.storage.rapprochement import retenir_solde_releve

    lu = lire_solde(fichier)
    if lu is not None:
        with ledger.transaction():
            retenir_solde_releve(ledger, compte, lu.date, lu.montant, lu.fichier)
