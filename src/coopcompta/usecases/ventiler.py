"""`coop ventiler`: complete later the écritures left on 471 (à ventiler), in place, all or nothing.

An écriture parked on 471 was deliberately left incomplete (by `coop import`, or by a
treasurer answering "a"). Completing it is not a correction: its lines on 471 are
replaced by the real accounts, the treasury line, pièce and import fingerprint stay,
and `storage.ventilation` keeps the before/after trace. A closed exercice, a
cancelled écriture or a contre-passation are refused: those go through `coop annuler`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from coopcompta.domain.comptes import COMPTE_ATTENTE
from coopcompta.domain.ecritures import (
    NATURE_ATTENDUE,
    NOMS_NATURES,
    Part,
    formater_date,
    nouvelle_ecriture,
    resoudre_parts,
)
from coopcompta.domain.errors import CoopComptaError, SaisieInvalide
from coopcompta.domain.model import Ecriture, Exercice, Ligne, Nature, Sens
from coopcompta.domain.money import formater_euros

# Importing `storage.ventilation` registers the migration of its table; the CLI imports
# this module before opening the ledger, so that `storage.ouvrir` applies it.
from coopcompta.storage import ventilation as sql

if TYPE_CHECKING:
    from coopcompta.domain.plan_comptable import PlanComptable
    from coopcompta.domain.suggestions import Suggesteur, Suggestion
    from coopcompta.storage import Ledger

ZERO = Decimal("0")


@dataclass(frozen=True)
class Ventilation:
    """One écriture waiting on 471, as read (`avant`) and as the treasurer completed it."""

    avant: Ecriture
    apres: Ecriture


# --- pure ----------------------------------------------------------------------------------------


def sur_attente(e: Ecriture) -> Decimal:
    """The part of the écriture still waiting on 471."""
    return sum((lg.montant for lg in e.ventilation if lg.compte == COMPTE_ATTENTE), ZERO)


def total_sur_attente(ecritures: Sequence[Ecriture]) -> Decimal:
    return sum((sur_attente(e) for e in ecritures), ZERO)


def nom_piece(e: Ecriture) -> str:
    return f"pièce {e.piece}" if e.piece else f"écriture n° {e.id}"


def _compte(plan: PlanComptable, numero: str, sens: Sens, ou: str | None) -> None:
    """Refuse an account a ventilation of this sens cannot go to (by canonical number)."""
    compte = plan.compte(numero, ou)
    if compte.numero == COMPTE_ATTENTE:
        raise SaisieInvalide(
            f"{COMPTE_ATTENTE} est le compte d'attente lui-même : indiquez le compte définitif", ou
        )
    attendue = NATURE_ATTENDUE[sens]
    if compte.nature is attendue:
        return
    if compte.nature is Nature.TRESORERIE:
        raise SaisieInvalide(
            f"le compte {compte.numero} ({compte.libelle}) est un compte de trésorerie : "
            "il ne se combine pas avec d'autres comptes ; seul et pour tout le montant, "
            "il fait de l'écriture un virement interne",
            ou,
        )
    quoi = "une dépense" if sens is Sens.DEPENSE else "une recette"
    raise SaisieInvalide(
        f"le compte {compte.numero} ({compte.libelle}) est un compte "
        f"{NOMS_NATURES[compte.nature]} ; {quoi} se ventile sur un compte {NOMS_NATURES[attendue]}",
        ou,
    )


def decider(
    plan: PlanComptable, e: Ecriture, parts: Sequence[Part], ou: str | None = "--compte"
) -> Ventilation:
    """What the écriture becomes once its part on 471 goes to these accounts.

    The parts must add up exactly to the amount on 471 (a single part without amount
    takes it all). A treasury account, alone, turns an écriture entirely on 471 into a
    virement interne, as `coop import` records a cash deposit.
    """
    attente = sur_attente(e)
    if attente == 0 or e.sens not in NATURE_ATTENDUE:
        raise SaisieInvalide(f"rien n'attend sur {COMPTE_ATTENTE}", nom_piece(e))
    if len(parts) == 1:
        compte = plan.compte(parts[0].compte, parts[0].ou or ou)
        if compte.nature is Nature.TRESORERIE:
            return _virement(e, compte.numero, parts[0], attente, ou)
    lignes = resoudre_parts(plan, e.sens, attente, parts, ou, verifier_nature=False)
    for p, lg in zip(parts, lignes, strict=True):
        _compte(plan, lg.compte, e.sens, p.ou or ou)
        if lg.montant <= 0:
            raise SaisieInvalide(
                f"montant {formater_euros(lg.montant)} sur {lg.compte} : "
                "les montants d'une ventilation sont positifs",
                p.ou or ou,
            )
    total = sum((lg.montant for lg in lignes), ZERO)
    if total != attente:
        raise SaisieInvalide(
            f"la ventilation ({formater_euros(total)}) ne fait pas le montant en attente sur "
            f"{COMPTE_ATTENTE} ({formater_euros(attente)}) ; "
            f"écart {formater_euros(attente - total)}",
            ou,
        )
    ventilation: list[Ligne] = []
    for lg in e.ventilation:
        if lg.compte != COMPTE_ATTENTE:
            ventilation.append(lg)
        elif lignes:  # the new lines take the place of the first line on 471
            ventilation.extend(lignes)
            lignes = ()
    return _verifiee(e, _refaite(e, e.sens, e.tresorerie, tuple(ventilation), None, ou))


def decider_correction(
    plan: PlanComptable, e: Ecriture, parts: Sequence[Part], ou: str | None = "--compte"
) -> Ventilation:
    """What a recette or dépense of the open exercice becomes once its whole ventilation
    goes to these accounts (`coop corriger`): the parts add up exactly to its amount (a
    single part without amount takes it all); a treasury account alone makes it a
    virement interne (a régie advance or a cash withdrawal booked as a charge)."""
    if e.sens not in NATURE_ATTENDUE:
        quoi = "un virement interne" if e.sens is Sens.VIREMENT else "un report à nouveau"
        raise SaisieInvalide(
            f"c'est {quoi} ({_comptes(e)}) : il ne se corrige pas compte par compte ; "
            "annulez-le (coop annuler) et saisissez l'écriture juste",
            nom_piece(e),
        )
    if len(parts) == 1:
        compte = plan.compte(parts[0].compte, parts[0].ou or ou)
        if compte.nature is Nature.TRESORERIE:
            return _virement(e, compte.numero, parts[0], e.montant, ou)
    lignes = resoudre_parts(plan, e.sens, e.montant, parts, ou, verifier_nature=False)
    for p, lg in zip(parts, lignes, strict=True):
        _compte(plan, lg.compte, e.sens, p.ou or ou)
        if lg.montant <= 0:
            raise SaisieInvalide(
                f"montant {formater_euros(lg.montant)} sur {lg.compte} : "
                "les montants d'une ventilation sont positifs",
                p.ou or ou,
            )
    total = sum((lg.montant for lg in lignes), ZERO)
    if total != e.montant:
        raise SaisieInvalide(
            f"la ventilation ({formater_euros(total)}) ne fait pas le montant de l'écriture "
            f"({formater_euros(e.montant)}) ; écart {formater_euros(e.montant - total)}",
            ou,
        )
    if sorted(lignes, key=repr) == sorted(e.ventilation, key=repr):
        raise SaisieInvalide(f"elle est déjà ventilée ainsi ({_comptes(e)})", nom_piece(e))
    return _verifiee(e, _refaite(e, e.sens, e.tresorerie, tuple(lignes), None, ou))


def _virement(
    e: Ecriture, numero: str, part: Part, attente: Decimal, ou: str | None
) -> Ventilation:
    ou = part.ou or ou
    if attente != e.montant:
        raise SaisieInvalide(
            f"le compte {numero} est un compte de trésorerie : il ferait de la {nom_piece(e)} "
            f"un virement interne, mais elle n'est qu'en partie sur {COMPTE_ATTENTE} "
            f"({formater_euros(attente)} sur {formater_euros(e.montant)}) ; ventilez-la sur des "
            "comptes de charge ou de produit, ou annulez-la (coop annuler) et saisissez le "
            "virement (coop virement)",
            ou,
        )
    if numero == e.tresorerie:
        raise SaisieInvalide(
            f"{numero} est le compte de trésorerie de l'écriture elle-même : un virement "
            "interne va vers un autre compte de trésorerie",
            ou,
        )
    if part.montant is not None and part.montant != attente:
        raise SaisieInvalide(
            f"un virement interne porte tout le montant ({formater_euros(attente)}), "
            f"pas {formater_euros(part.montant)}",
            ou,
        )
    if part.classe:
        raise SaisieInvalide("un virement interne n'a ni classe ni projet", ou)
    # Money leaving the écriture's account goes to `numero`; money coming in comes from it.
    source, destination = (
        (e.tresorerie, numero) if e.sens is Sens.DEPENSE else (numero, e.tresorerie)
    )
    return _verifiee(e, _refaite(e, Sens.VIREMENT, source, (), destination, ou))


def _refaite(
    e: Ecriture,
    sens: Sens,
    tresorerie: str,
    ventilation: tuple[Ligne, ...],
    contrepartie: str | None,
    ou: str | None,
) -> Ecriture:
    """The écriture with its new accounts, built as every écriture is (double entry
    checked); its id, pièce, amount and fingerprint stay."""
    return nouvelle_ecriture(
        e.date,
        sens,
        e.libelle,
        e.montant,
        tresorerie,
        ventilation,
        contrepartie,
        e.piece,
        e.mode,
        e.cheque,
        e.exercice,
        id=e.id,
        annule=e.annule,
        import_id=e.import_id,
        brut=e.brut,
        empreinte=e.empreinte,
        ou=ou,
    )


def _verifiee(avant: Ecriture, apres: Ecriture) -> Ventilation:
    assert apres.montant == avant.montant and apres.empreinte == avant.empreinte
    return Ventilation(avant, apres)


def description(v: Ventilation) -> str:
    """`Pièce 12 du 14/10/2025 « CB LIBRAIRIE » : 471 → 6183 42,50 €` (one line per écriture)."""
    e = v.avant
    nom = nom_piece(e)
    return (
        f"{nom[0].upper()}{nom[1:]} du {formater_date(e.date)} « {e.libelle} » : "
        f"{COMPTE_ATTENTE} → {destination(v)}"
    )


def description_correction(v: Ventilation) -> str:
    """`Pièce 12 du 14/10/2025 « CB BUREAU VALLEE » : 6068 275,00 € → 68000008 275,00 €`."""
    e = v.avant
    nom = nom_piece(e)
    avant = ", ".join(
        f"{lg.compte} {formater_euros(lg.montant)}" + (f" [{lg.classe}]" if lg.classe else "")
        for lg in e.ventilation
    )
    apres = v.apres
    if apres.sens is Sens.VIREMENT:
        vers = f"virement interne {apres.tresorerie} → {apres.contrepartie}"
    else:
        vers = ", ".join(
            f"{lg.compte} {formater_euros(lg.montant)}" + (f" [{lg.classe}]" if lg.classe else "")
            for lg in apres.ventilation
        )
    return (
        f"{nom[0].upper()}{nom[1:]} du {formater_date(e.date)} « {e.libelle} » : {avant} → {vers}"
    )


def destination(v: Ventilation) -> str:
    """Where the part on 471 went: `6183 30,00 €, 6068 12,50 € [CM1]`, or a virement."""
    apres = v.apres
    if apres.sens is Sens.VIREMENT:
        return (
            f"virement interne {apres.tresorerie} → {apres.contrepartie} "
            f"{formater_euros(apres.montant)}"
        )
    gardees = list(v.avant.ventilation)
    nouvelles = []
    for lg in apres.ventilation:
        if lg in gardees:
            gardees.remove(lg)
        else:
            nouvelles.append(lg)
    return ", ".join(
        f"{lg.compte} {formater_euros(lg.montant)}" + (f" [{lg.classe}]" if lg.classe else "")
        for lg in nouvelles
    )


def resume_ecritures(ventilees: int, restantes: int) -> str:
    """`2 écritures ventilées, 5 restent sur 471`."""
    quoi = "écriture ventilée" if ventilees <= 1 else "écritures ventilées"
    reste = "reste" if restantes <= 1 else "restent"
    return f"{ventilees} {quoi}, {restantes} {reste} sur {COMPTE_ATTENTE}"


# --- with the ledger ----------------------------------------------------------------------------


def exercice_ouvert(ledger: Ledger, nom: str | None, piece: str | None = None) -> Exercice:
    """The exercice to ventilate in; a closed one is refused, pointing to `coop annuler`."""
    from coopcompta.storage.exercices import est_cloture

    ex = ledger.exercice(nom)
    if est_cloture(ledger, ex.nom):
        ouvert = ledger.exercice()
        commande = f"coop annuler {piece} --exercice {ex.nom}" if piece else "coop annuler"
        raise SaisieInvalide(
            f"l'exercice {ex.nom} est clôturé : ses écritures ne se modifient plus ; "
            f"corrigez dans l'exercice ouvert ({ouvert.nom}) : `{commande}` puis `coop saisie`",
            "--exercice",
        )
    return ex


def en_attente(ledger: Ledger, exercice: str) -> list[Ecriture]:
    """The exercice's écritures with a part on 471, in date order (cancelled ones left out)."""
    trouvees = (ledger.ecriture(i) for i in sql.ids_en_attente(ledger, exercice))
    return [e for e in trouvees if e is not None]


def comme_avant(
    ledger: Ledger, plan: PlanComptable, ecritures: Sequence[Ecriture]
) -> dict[int, tuple[dt.date, Ventilation]]:
    """For bank lines imported again after `coop import --annuler`: the ventilation they had
    before, when it still applies (écriture id -> date it was chosen, the same choice)."""
    entieres = {e.empreinte: e for e in ecritures if e.empreinte and sur_attente(e) == e.montant}
    result = {}
    for empreinte, p in sql.precedentes(ledger, entieres).items():
        e = entieres[empreinte]
        assert e.id is not None
        if p.autre_tresorerie:
            parts = [Part(p.autre_tresorerie)]
        else:
            parts = [Part(lg.compte, lg.montant, lg.classe) for lg in p.lignes]
        try:
            result[e.id] = (p.ventile_le, decider(plan, e, parts, None))
        except CoopComptaError:  # the chart or the amount changed: ask afresh
            continue
    return result


def ecriture_a_ventiler(ledger: Ledger, exercice: str, piece: str) -> Ecriture:
    """The écriture of this pièce (any case: `r1` finds `R1`) waiting on 471; a clear
    refusal otherwise."""
    from coopcompta.storage.saisie import piece_enregistree

    piece = piece.strip()
    enregistree = piece_enregistree(ledger, exercice, piece)
    if enregistree is None:
        raise SaisieInvalide(f"inconnue dans l'exercice {exercice}", f"pièce {piece}")
    piece = enregistree
    ou = f"pièce {piece}"
    trouvees = ledger.par_piece(exercice, piece)
    raisons = []
    candidates = []
    for e in trouvees:
        assert e.id is not None
        if e.annule is not None:
            annulee = ledger.ecriture(e.annule)
            quelle = nom_piece(annulee) if annulee else f"écriture n° {e.annule}"
            raisons.append(
                f"c'est une contre-passation (elle annule la {quelle}) : elle ne se ventile pas"
            )
            continue
        annulation = ledger.annulation_de(e.id)
        if annulation is not None:
            contre = ledger.ecriture(annulation)
            par = f" par la {nom_piece(contre)}" if contre else ""
            raisons.append(f"elle a été annulée{par} : il n'y a plus rien à ventiler")
            continue
        if sur_attente(e) == 0:
            raisons.append(f"rien n'attend sur {COMPTE_ATTENTE} ({_comptes(e)})")
            continue
        candidates.append(e)
    if len(candidates) > 1:
        dates = ", ".join(f"{formater_date(e.date)} « {e.libelle} »" for e in candidates)
        raise SaisieInvalide(
            f"plusieurs écritures portent ce numéro et attendent sur {COMPTE_ATTENTE} ({dates}) : "
            "renumérotez-les avant de les ventiler",
            ou,
        )
    if not candidates:
        raise SaisieInvalide(raisons[0], ou)
    return candidates[0]


def _comptes(e: Ecriture) -> str:
    if e.sens is Sens.VIREMENT:
        return f"virement interne {e.tresorerie} → {e.contrepartie}"
    if e.sens is Sens.OUVERTURE:
        return f"report à nouveau sur {e.tresorerie}"
    return "ventilée sur " + ", ".join(dict.fromkeys(lg.compte for lg in e.ventilation))


def ecriture_a_corriger(ledger: Ledger, exercice: str, piece: str) -> Ecriture:
    """The écriture of this pièce that may be corrected: neither cancelled nor cancelling."""
    from coopcompta.storage.saisie import piece_enregistree

    piece = piece.strip()
    enregistree = piece_enregistree(ledger, exercice, piece)
    if enregistree is None:
        raise SaisieInvalide(f"inconnue dans l'exercice {exercice}", f"pièce {piece}")
    ou = f"pièce {enregistree}"
    candidates = []
    raisons = []
    for e in ledger.par_piece(exercice, enregistree):
        assert e.id is not None
        if e.annule is not None:
            raisons.append("c'est une contre-passation : elle ne se corrige pas")
        elif ledger.annulation_de(e.id) is not None:
            raisons.append("elle a été annulée : il n'y a plus rien à corriger")
        else:
            candidates.append(e)
    if len(candidates) > 1:
        raise SaisieInvalide(
            "plusieurs écritures portent ce numéro : renumérotez-les avant de les corriger", ou
        )
    if not candidates:
        raise SaisieInvalide(raisons[0], ou)
    return candidates[0]


def corriger_piece(
    ledger: Ledger, exercice: str | None, piece: str, parts: Sequence[Part]
) -> Ventilation:
    """`coop corriger 12 --compte 68000008`: any recette or dépense of the open exercice
    goes to other accounts (or becomes a virement interne), the before/after trace kept
    like a ventilation's; the next imports learn from it (a correction weighs more)."""
    from coopcompta.usecases.comptabilite import plan_du_ledger

    plan = plan_du_ledger(ledger)
    ex = exercice_ouvert(ledger, exercice, piece.strip())
    v = decider_correction(plan, ecriture_a_corriger(ledger, ex.nom, piece), parts)
    enregistrer_ventilations(ledger, ex.nom, [v])
    return v


def enregistrer_ventilations(
    ledger: Ledger, exercice: str, ventilations: Sequence[Ventilation]
) -> int:
    """Write every ventilation in one transaction; returns how many écritures still wait.

    Each écriture is read again inside the transaction: one changed meanwhile (another
    `coop` command) stops everything, and nothing is written.
    """
    from coopcompta.storage.exercices import est_cloture

    with ledger.transaction():
        for v in ventilations:
            assert v.avant.id is not None and v.avant.exercice is not None
            if est_cloture(ledger, v.avant.exercice):
                exercice_ouvert(ledger, v.avant.exercice, v.avant.piece)
            actuelle = ledger.ecriture(v.avant.id)
            if actuelle != v.avant or ledger.annulation_de(v.avant.id) is not None:
                raise SaisieInvalide(
                    "modifiée par une autre commande pendant la ventilation : "
                    "rien n'a été enregistré, relancez coop ventiler",
                    nom_piece(v.avant),
                )
            # The one writer replaces the whole écriture: a correction goes the same way.
            sql.remplacer_attente(ledger, v.avant, v.apres)
        return len(sql.ids_en_attente(ledger, exercice))


# --- what each way of running `coop ventiler` does -----------------------------------------------


def ventiler_piece(
    ledger: Ledger, exercice: str | None, piece: str, parts: Sequence[Part]
) -> tuple[Ventilation, int]:
    """Ventilate the pièce's part on 471 on these accounts (`coop ventiler 12 --compte 6183`);
    returns what was done and how many écritures still wait."""
    from coopcompta.usecases.comptabilite import plan_du_ledger

    plan = plan_du_ledger(ledger)
    ex = exercice_ouvert(ledger, exercice, piece.strip())
    v = decider(plan, ecriture_a_ventiler(ledger, ex.nom, piece), parts)
    return v, enregistrer_ventilations(ledger, ex.nom, [v])


@dataclass(frozen=True)
class EnAttente:
    """What waits on 471 in an exercice, each écriture with its best suggestions."""

    exercice: Exercice
    ecritures: list[Ecriture]
    suggestions: list[list[Suggestion]]

    @property
    def total(self) -> Decimal:
        return total_sur_attente(self.ecritures)


def lister_en_attente(ledger: Ledger, exercice: str | None, limite: int = 3) -> EnAttente:
    """`coop ventiler --liste`: the écritures waiting on 471, in date order, with suggestions."""
    from coopcompta.usecases.comptabilite import plan_du_ledger, preparer_suggesteur

    ex = ledger.exercice(exercice)
    plan = plan_du_ledger(ledger)
    attente = en_attente(ledger, ex.nom)
    suggesteur = preparer_suggesteur(ledger, plan)
    suggestions = [
        suggesteur.suggerer(e.libelle, e.sens, limite=limite, montant=e.montant) for e in attente
    ]
    return EnAttente(ex, attente, suggestions)


@dataclass(frozen=True)
class Seance:
    """An interactive `coop ventiler`: the écritures to go through and what helps answer.

    `avant` holds, for a bank line imported again after `coop import --annuler`, the
    ventilation it had before (see `comme_avant`).
    """

    plan: PlanComptable
    exercice: Exercice
    ecritures: list[Ecriture]
    suggesteur: Suggesteur
    avant: dict[int, tuple[dt.date, Ventilation]]


def ouvrir_seance(ledger: Ledger, exercice: str | None) -> Seance:
    """Everything the questions of an interactive `coop ventiler` need; nothing is written
    until `enregistrer_ventilations`, with all the answers."""
    from coopcompta.usecases.comptabilite import plan_du_ledger, preparer_suggesteur

    plan = plan_du_ledger(ledger)
    ex = exercice_ouvert(ledger, exercice)
    attente = en_attente(ledger, ex.nom)
    avant = comme_avant(ledger, plan, attente)
    return Seance(plan, ex, attente, preparer_suggesteur(ledger, plan), avant)


def apprendre_ventilation(suggesteur: Suggesteur, v: Ventilation) -> None:
    """Let the next similar libellés of the séance benefit from this answer at once."""
    for lg in v.apres.ventilation:
        if lg not in v.avant.ventilation:
            suggesteur.apprendre(v.avant.libelle, lg.compte)
