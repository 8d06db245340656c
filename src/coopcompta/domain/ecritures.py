"""Pure helpers to build écritures from what the treasurer typed: parsing, checks, reversals.

No I/O here: the CLI and the journal CSV reader parse their input into these
calls, and the use cases in `cli/saisie.py` add what needs the ledger (pièce
allocation, uniqueness) inside one write transaction.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from coopcompta.domain.caracteres import caractere_interdit, chiffre_non_ascii, echapper
from coopcompta.domain.comptes import COMPTE_ASSOCONNECT, COMPTE_ATTENTE, COMPTE_CAISSE
from coopcompta.domain.errors import DateInvalide, SaisieInvalide
from coopcompta.domain.model import MODES_PAIEMENT, Ecriture, Exercice, Ligne, Nature, Sens
from coopcompta.domain.money import formater_euros, formater_point, lire_montant

if TYPE_CHECKING:
    from coopcompta.domain.plan_comptable import PlanComptable

ZERO = Decimal("0")

# Display names of the payment modes, in the order of the interactive menu.
NOMS_MODES = {
    "cheque": "chèque",
    "especes": "espèces",
    "virement": "virement",
    "carte": "carte",
    "prelevement": "prélèvement",
    "assoconnect": "AssoConnect",
}

NOMS_SENS = {
    Sens.RECETTE: "recette",
    Sens.DEPENSE: "dépense",
    Sens.VIREMENT: "virement",
    Sens.OUVERTURE: "ouverture",
}

# What a ventilation account must be for each sens (the suspense account 471 fits both).
NATURE_ATTENDUE = {Sens.DEPENSE: Nature.CHARGE, Sens.RECETTE: Nature.PRODUIT}

NOMS_NATURES = {
    Nature.CHARGE: "de charge (6…)",
    Nature.PRODUIT: "de produit (7…)",
    Nature.TRESORERIE: "de trésorerie",
    Nature.ATTENTE: "d'attente",
    Nature.BILAN: "de bilan",
}

# Usual treasury account for a payment mode (interactive default).
TRESORERIE_PAR_MODE = {"especes": COMPTE_CAISSE, "assoconnect": COMPTE_ASSOCONNECT}


def sans_accents(texte: str) -> str:
    decomposed = unicodedata.normalize("NFKD", texte)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_DATE_SAISIE = re.compile(
    r"\s*([0-9]{1,2})([/.-])([0-9]{1,2})(?:\2([0-9]{4}|[0-9]{2}))?\s*", re.ASCII
)


def controler_texte(texte: str, quoi: str, ou: str | None) -> None:
    """SaisieInvalide if a text typed by a user holds a control character, an escape
    sequence or a bidi override (`domain.caracteres`); the message shows it escaped."""
    c = caractere_interdit(texte)
    if c is not None:
        raise SaisieInvalide(
            f"caractère de contrôle {c} refusé dans le {quoi} « {echapper(texte)} »", ou
        )


def lire_date(texte: str, ou: str | None = None, exercice: Exercice | None = None) -> dt.date:
    """Read a date as a treasurer types it: `16/09/2025`, `16-09-2025`, `16.9.2025`,
    `16/9/25` (20xx), and, given the `exercice`, `16/09` (the year of that month in the
    exercice). DateInvalide quoting the text otherwise."""
    if not (texte or "").strip():
        raise DateInvalide("date vide (attendu : jj/mm/aaaa)", ou)
    m = _DATE_SAISIE.fullmatch(texte)
    if not m or (m.group(4) is None and exercice is None):
        if chiffre_non_ascii(texte):
            raise DateInvalide(
                f"date « {echapper(texte.strip())} » : chiffres à écrire de 0 à 9", ou
            )
        raise DateInvalide(
            f"date illisible « {echapper(texte.strip())} » (attendu : jj/mm/aaaa)", ou
        )
    jour, mois, annee = int(m.group(1)), int(m.group(3)), m.group(4)
    if annee is None:
        assert exercice is not None
        an = exercice.debut.year if mois >= exercice.debut.month else exercice.fin.year
    else:
        an = int(annee) + (2000 if len(annee) == 2 else 0)
    try:
        return dt.date(an, mois, jour)
    except ValueError:
        raise DateInvalide(f"date impossible « {texte.strip()} »", ou) from None


def formater_date(jour: dt.date) -> str:
    # %Y does not pad: year 25 (a typo for 2025) printed « 02/10/25 », which looks right
    return f"{jour.day:02d}/{jour.month:02d}/{jour.year:04d}"


def bornes(exercice: Exercice) -> str:
    return f"{exercice.nom} (du {formater_date(exercice.debut)} au {formater_date(exercice.fin)})"


def exercice_pour(
    jour: dt.date,
    exercices: Sequence[Exercice],
    ou: str | None = None,
    clos: Collection[str] = (),
) -> Exercice:
    """The ledger's open exercice containing `jour`; DateInvalide naming the bounds otherwise."""
    ouverts = [ex for ex in exercices if ex.nom not in clos]
    for ex in exercices:
        if jour in ex:
            if ex.nom in clos:
                ailleurs = f" ; exercice ouvert : {bornes(ouverts[-1])}" if ouverts else ""
                raise DateInvalide(
                    f"date {formater_date(jour)} dans l'exercice {ex.nom}, qui est clôturé : "
                    f"une correction s'enregistre dans l'exercice ouvert{ailleurs}",
                    ou,
                )
            return ex
    if len(ouverts) == 1:
        raise DateInvalide(
            f"date {formater_date(jour)} hors de l'exercice {bornes(ouverts[0])}", ou
        )
    connus = ", ".join(bornes(ex) for ex in ouverts) or "aucun exercice ouvert"
    raise DateInvalide(
        f"date {formater_date(jour)} hors des exercices de la comptabilité : {connus}", ou
    )


_MODES = frozenset(MODES_PAIEMENT)
_SENS = {s.value: s for s in Sens}


def lire_mode(texte: str | None, ou: str | None = None) -> str | None:
    """`chèque`, `Especes`, `AssoConnect`… -> the stored mode; None when empty."""
    if texte in _MODES:
        return texte
    if texte is None or not texte.strip():
        return None
    cle = sans_accents(texte).strip().lower().replace("-", "").replace(" ", "")
    if cle in ("cb", "cartebancaire"):
        cle = "carte"
    if cle not in MODES_PAIEMENT:
        attendu = ", ".join(MODES_PAIEMENT)
        raise SaisieInvalide(f"mode de paiement inconnu « {texte} » (attendu : {attendu})", ou)
    return cle


def lire_sens(texte: str, ou: str | None = None) -> Sens:
    if texte in _SENS:
        return _SENS[texte]
    cle = sans_accents(texte).strip().lower()
    try:
        return Sens(cle)
    except ValueError:
        attendu = ", ".join(s.value for s in Sens)
        raise SaisieInvalide(f"sens inconnu « {texte} » (attendu : {attendu})", ou) from None


@dataclass(frozen=True)
class Part:
    """One ventilation line as typed: account code or alias, amount (None = the rest), tag."""

    compte: str
    montant: Decimal | None = None
    classe: str | None = None
    ou: str | None = None


def lire_part(texte: str, ou: str | None = "--compte") -> Part:
    """`COMPTE=MONTANT[:classe]`, or `COMPTE[:classe]` alone (takes the whole total)."""
    compte, sep, reste = texte.partition("=")
    if not compte.strip():
        raise SaisieInvalide(
            f"« {texte} » : attendu COMPTE=MONTANT[:classe], par ex. 62810008=80,00", ou
        )
    if not sep:
        compte, _, classe = compte.partition(":")
        return Part(compte.strip(), None, classe.strip() or None, ou)
    montant, _, classe = reste.partition(":")
    return Part(compte.strip(), lire_montant(montant, ou), classe.strip() or None, ou)


def compte_tresorerie(plan: PlanComptable, code: str, ou: str | None = None) -> str:
    """The canonical number of a treasury account given by number or alias."""
    compte = plan.compte(code, ou)
    if compte.nature is not Nature.TRESORERIE:
        raise SaisieInvalide(
            f"le compte {compte.numero} ({compte.libelle}) n'est pas un compte de trésorerie "
            "(banque, caisse…)",
            ou,
        )
    return compte.numero


def compte_ventilation(plan: PlanComptable, code: str, sens: Sens, ou: str | None = None) -> str:
    """The canonical number of a ventilation account; its nature must fit the sens."""
    compte = plan.compte(code, ou)
    attendue = NATURE_ATTENDUE[sens]
    if compte.nature is attendue or compte.numero == COMPTE_ATTENTE:
        return compte.numero
    genre = NOMS_NATURES[attendue]
    quoi = "une dépense" if sens is Sens.DEPENSE else "une recette"
    raise SaisieInvalide(
        f"le compte {compte.numero} ({compte.libelle}) est un compte "
        f"{NOMS_NATURES[compte.nature]} ; "
        f"{quoi} se ventile sur un compte {genre} ou sur {COMPTE_ATTENTE}",
        ou,
    )


def numero_tel_quel(plan: PlanComptable, code: str) -> str:
    """The canonical number of an account of the chart, else the code as written.

    For `coop verifier` reading a journal CSV: an account absent from the chart is
    kept, for the `compte-hors-plan` check to report it.
    """
    compte = plan.trouver(code)
    return compte.numero if compte is not None else code.strip()


def resoudre_parts(
    plan: PlanComptable,
    sens: Sens,
    montant: Decimal,
    parts: Sequence[Part],
    ou: str | None = "--compte",
    verifier_nature: bool = True,
    hors_plan: bool = False,
) -> tuple[Ligne, ...]:
    """Resolve accounts and fill a single amount-less part with the whole total.

    `hors_plan=True` keeps an account absent from the chart as written (lenient reading).
    """
    if not parts:
        raise SaisieInvalide("ventilation vide : indiquez au moins un compte", ou)
    sans_montant = [p for p in parts if p.montant is None]
    if sans_montant and len(parts) > 1:
        raise SaisieInvalide(
            f"« {sans_montant[0].compte} » sans montant : indiquez COMPTE=MONTANT pour chaque "
            "compte d'une ventilation sur plusieurs comptes",
            sans_montant[0].ou or ou,
        )
    lignes = []
    for p in parts:
        if p.classe:
            controler_texte(p.classe, "nom de classe", p.ou or ou)
        if verifier_nature:
            numero = compte_ventilation(plan, p.compte, sens, p.ou or ou)
        elif hors_plan:
            numero = numero_tel_quel(plan, p.compte)
        else:
            numero = plan.compte(p.compte, p.ou or ou).numero
        lignes.append(Ligne(numero, montant if p.montant is None else p.montant, p.classe))
    return tuple(lignes)


def verifier_montants(
    ecriture: Ecriture,
    ou: str | None = None,
    contre: bool = False,
    ou_ventilation: str | None = None,
) -> None:
    """Amounts positive (negative only in a contre-passation), ventilation adding up."""
    verifier_signes(
        ecriture.sens,
        ecriture.montant,
        ecriture.ventilation,
        ou,
        contre or ecriture.annule is not None,
    )
    try:
        ecriture.verifier_ventilation()
    except SaisieInvalide as exc:
        raise SaisieInvalide(exc.message, ou_ventilation or ou) from None


def verifier_signes(
    sens: Sens,
    montant: Decimal,
    ventilation: Sequence[Ligne],
    ou: str | None = None,
    contre: bool = False,
) -> None:
    """No zero amount; negative ones only in a contre-passation (`contre`), and then all."""
    if sens is Sens.OUVERTURE:
        return
    montants = [montant, *(lg.montant for lg in ventilation)]
    if any(m == 0 for m in montants):
        raise SaisieInvalide("montant nul", ou)
    if not contre and any(m < 0 for m in montants):
        raise SaisieInvalide(
            "montant négatif : seule une contre-passation (`coop annuler`) a des montants négatifs",
            ou,
        )
    if contre and any(m > 0 for m in montants):
        raise SaisieInvalide("une contre-passation a des montants négatifs", ou)


def nouvelle_ecriture(
    date: dt.date,
    sens: Sens,
    libelle: str,
    montant: Decimal,
    tresorerie: str,
    ventilation: tuple[Ligne, ...] = (),
    contrepartie: str | None = None,
    piece: str | None = None,
    mode: str | None = None,
    cheque: str | None = None,
    exercice: str | None = None,
    *,
    id: int | None = None,
    annule: int | None = None,
    import_id: int | None = None,
    brut: str | None = None,
    empreinte: str | None = None,
    ou: str | None = None,
) -> Ecriture:
    """The one way an écriture comes to be, whatever made it: `coop saisie`, a journal
    CSV, a bank line, an AssoConnect fee, a ventilation completed later, a
    contre-passation, a report à nouveau. Accounts are already canonical; the result
    obeys the double-entry rule (`Ecriture.verifier_ventilation`), else SaisieInvalide
    naming `ou`. `id` is given only to an écriture rebuilt in place (`coop ventiler`).
    Storage writes what this built (`Ledger.ajouter`, `Enregistreur.remplacer`) and
    checks the balance once more in its transaction.
    """
    ecriture = Ecriture(
        date,
        sens,
        libelle,
        montant,
        tresorerie,
        ventilation,
        contrepartie,
        piece,
        mode,
        cheque,
        exercice,
        id,
        annule,
        import_id,
        brut,
        empreinte,
    )
    try:
        ecriture.verifier_ventilation()
    except SaisieInvalide as exc:
        raise SaisieInvalide(exc.message, ou) from None
    return ecriture


def creer_ecriture(
    plan: PlanComptable,
    *,
    date: dt.date,
    sens: Sens,
    libelle: str,
    montant: Decimal,
    tresorerie: str,
    parts: Sequence[Part] = (),
    contrepartie: str | None = None,
    piece: str | None = None,
    mode: str | None = None,
    cheque: str | None = None,
    ou: Mapping[str, str | None] | str | None = None,
    contre: bool = False,
    strict: bool = True,
) -> Ecriture:
    """Build and check a recette, dépense, virement or ouverture from parsed inputs.

    `ou` names where each field came from: one place for all (a CSV line), or a
    mapping field -> place (`{"compte": "--compte", ...}`) for command options.
    `contre` marks a contre-passation (negative amounts). With `strict=False` an
    account absent from the chart is kept as written, and the accounts' nature, the
    signs and the sum are not checked (the caller reports those itself, as
    `coop verifier` does).
    """

    lieux = ou if isinstance(ou, Mapping) else None

    def lieu(champ: str) -> str | None:
        return lieux.get(champ) if lieux is not None else ou  # type: ignore[return-value]

    libelle = (libelle or "").strip()
    if sens is Sens.OUVERTURE:
        libelle = libelle or "Report à nouveau"
    if not libelle:
        raise SaisieInvalide("libellé vide", lieu("libelle"))
    controler_texte(libelle, "libellé", lieu("libelle"))
    mode = lire_mode(mode, lieu("mode"))
    cheque = (cheque or "").strip() or None
    if cheque:
        controler_texte(cheque, "numéro de chèque", lieu("cheque"))
    if cheque and mode is None:
        mode = "cheque"
    if cheque and mode != "cheque":
        raise SaisieInvalide(
            f"numéro de chèque donné pour un paiement par {NOMS_MODES[mode or '']}",
            lieu("cheque"),
        )
    if strict:
        tresorerie = compte_tresorerie(plan, tresorerie, lieu("tresorerie"))
    else:
        tresorerie = numero_tel_quel(plan, tresorerie)
    ventilation: tuple[Ligne, ...] = ()
    if sens is Sens.VIREMENT:
        if not contrepartie:
            raise SaisieInvalide("virement sans compte de destination", lieu("contrepartie"))
        if strict:
            contrepartie = compte_tresorerie(plan, contrepartie, lieu("contrepartie"))
        else:
            contrepartie = numero_tel_quel(plan, contrepartie)
        if contrepartie == tresorerie and strict:
            raise SaisieInvalide(
                f"virement de {tresorerie} vers lui-même : indiquez deux comptes différents",
                lieu("contrepartie"),
            )
    elif sens in (Sens.RECETTE, Sens.DEPENSE):
        ventilation = resoudre_parts(
            plan, sens, montant, parts, lieu("compte"), verifier_nature=strict, hors_plan=not strict
        )
    piece = lire_piece(piece, lieu("piece"))
    if not strict:  # read as written, right or wrong: `coop verifier` reports the faults
        return Ecriture(
            date=date,
            sens=sens,
            libelle=libelle,
            montant=montant,
            tresorerie=tresorerie,
            ventilation=ventilation,
            contrepartie=contrepartie,
            piece=piece,
            mode=mode,
            cheque=cheque,
        )
    verifier_signes(sens, montant, ventilation, lieu("montant"), contre)
    return nouvelle_ecriture(
        date,
        sens,
        libelle,
        montant,
        tresorerie,
        ventilation,
        contrepartie,
        piece,
        mode,
        cheque,
        ou=lieu("compte") or lieu("montant"),
    )


# -- pièces -----------------------------------------------------------------


def lire_piece(piece: str | None, ou: str | None = None) -> str | None:
    """A pièce as typed, stripped; None when empty; refused when absurdly long."""
    piece = (piece or "").strip() or None
    if piece:
        controler_texte(piece, "numéro de pièce", ou)
        if chiffre_non_ascii(piece):
            # « ١٢ » would look like the pièce 12 and be another one
            raise SaisieInvalide(f"pièce « {piece} » : chiffres à écrire de 0 à 9", ou)
    if piece and (len(piece) > 20 or sum(ch in "0123456789" for ch in piece) > 9):
        raise SaisieInvalide(
            f"pièce « {piece} » trop longue (20 caractères et 9 chiffres au plus)", ou
        )
    return piece


CHIFFRES_PIECE_MAX = 9  # as lire_piece allows, and as an SQLite index sorts them well


def verifier_piece_automatique(piece: str, conseil: str, ou: str | None = None) -> str:
    """Refuse an automatic pièce number past 9 digits (after a typed 999999999)."""
    if sum(ch in "0123456789" for ch in piece) > CHIFFRES_PIECE_MAX:
        raise SaisieInvalide(
            f"le numéro de pièce suivant serait {piece}, plus de {CHIFFRES_PIECE_MAX} "
            f"chiffres : {conseil}",
            ou,
        )
    return piece


def serie_piece(sens: Sens, series: str | None) -> str:
    """The pièce series prefix: '' for one sequence; R/D (V for virements) when meta series=RD."""
    if series != "RD":
        return ""
    return {Sens.RECETTE: "R", Sens.DEPENSE: "D", Sens.VIREMENT: "V"}.get(sens, "")


def numero_piece(piece: str) -> tuple[str, int] | None:
    """`D12` -> ('D', 12), `7` -> ('', 7); None for a free-form pièce."""
    m = re.fullmatch(r"([A-Za-z]*)([0-9]+)", piece)
    return (m.group(1).upper(), int(m.group(2))) if m else None


class Numeroteur:
    """Allocates pièce numbers in memory for a batch, starting after what the ledger holds.

    `deja` holds the pièces already used per exercice; explicit pièces read in the
    batch are registered with `utiliser` so that automatic ones never collide.
    """

    def __init__(self, deja: Mapping[str, Iterable[str]], series: str | None) -> None:
        self.series = series
        self.utilisees: dict[str, set[str]] = {ex: set(p) for ex, p in deja.items()}
        self.max: dict[tuple[str, str], int] = {}
        for ex, pieces in self.utilisees.items():
            for p in pieces:
                self._noter(ex, p)

    def _noter(self, exercice: str, piece: str) -> None:
        num = numero_piece(piece)
        if num:
            cle = (exercice, num[0])
            self.max[cle] = max(self.max.get(cle, 0), num[1])

    def utiliser(self, exercice: str, piece: str, ou: str | None = None) -> str:
        pieces = self.utilisees.setdefault(exercice, set())
        if piece in pieces:
            raise SaisieInvalide(f"pièce {piece} déjà utilisée dans l'exercice {exercice}", ou)
        pieces.add(piece)
        self._noter(exercice, piece)
        return piece

    def prochaine(self, exercice: str, sens: Sens) -> str:
        serie = serie_piece(sens, self.series)
        num = self.max.get((exercice, serie), 0) + 1
        piece = f"{serie}{num}"
        pieces = self.utilisees.setdefault(exercice, set())
        while piece in pieces:  # a free-form pièce like "007" may hold the spot
            num += 1
            piece = f"{serie}{num}"
        pieces.add(piece)
        self.max[(exercice, serie)] = num
        return piece


# -- corrections ---------------------------------------------------------------


def verifier_annulable(originale: Ecriture, annulee_par: str | None, ou: str | None = None) -> None:
    """Refuse to cancel a contre-passation or an écriture already cancelled."""
    nom = f"pièce {originale.piece}" if originale.piece else f"écriture n° {originale.id}"
    if originale.annule is not None:
        raise SaisieInvalide(
            f"la {nom} est elle-même une contre-passation : elle ne s'annule pas", ou
        )
    if annulee_par is not None:
        raise SaisieInvalide(f"la {nom} est déjà annulée (pièce {annulee_par})", ou)


def contre_passation(
    originale: Ecriture, date: dt.date, piece: str | None = None, motif: str | None = None
) -> Ecriture:
    """The reversal of an écriture: same accounts, negated amounts, `annule` = its id."""
    if originale.id is None:
        raise SaisieInvalide("écriture non enregistrée : rien à annuler")
    if date < originale.date:
        raise DateInvalide(
            f"une annulation ne peut pas précéder l'écriture annulée "
            f"({formater_date(originale.date)})",
            "--date",
        )
    reference = f"pièce {originale.piece}" if originale.piece else f"écriture n° {originale.id}"
    libelle = f"Annulation {reference} : {originale.libelle}"
    if motif and motif.strip():
        controler_texte(motif.strip(), "motif", "--motif")
        libelle += f" ({motif.strip()})"
    return nouvelle_ecriture(
        date,
        originale.sens,
        libelle,
        -originale.montant,
        originale.tresorerie,
        tuple(Ligne(lg.compte, -lg.montant, lg.classe) for lg in originale.ventilation),
        originale.contrepartie,
        piece,
        originale.mode,
        annule=originale.id,
    )


def reste_a_ventiler(montant: Decimal, lignes: Iterable[Ligne]) -> Decimal:
    return montant - sum((lg.montant for lg in lignes), ZERO)


def ecriture_json(e: Ecriture, annule_piece: str | None = None) -> dict[str, object]:
    """The `coop journal --format json` object: amounts as strings with a point decimal."""
    return {
        "id": e.id,
        "date": e.date.isoformat(),
        "exercice": e.exercice,
        "piece": e.piece,
        "libelle": e.libelle,
        "sens": e.sens.value,
        "mode": e.mode,
        "cheque": e.cheque,
        "tresorerie": e.tresorerie,
        "contrepartie": e.contrepartie,
        "montant": formater_point(e.montant),
        "ventilation": [
            {"compte": lg.compte, "montant": formater_point(lg.montant), "classe": lg.classe}
            for lg in e.ventilation
        ],
        "annule": annule_piece,
    }


def resume(ecriture: Ecriture) -> str:
    """One line for the confirmation: `dépense de 100,00 € : 512 → 62810008 80,00 €, …`."""
    montant = formater_euros(ecriture.montant)
    if ecriture.sens is Sens.VIREMENT:
        return f"virement de {montant} : {ecriture.tresorerie} → {ecriture.contrepartie}"
    if ecriture.sens is Sens.OUVERTURE:
        return f"report à nouveau de {montant} sur {ecriture.tresorerie}"
    quoi = "dépense" if ecriture.sens is Sens.DEPENSE else "recette"
    fleche = "→" if ecriture.sens is Sens.DEPENSE else "←"
    parts = ", ".join(
        f"{lg.compte} {formater_euros(lg.montant)}" + (f" [{lg.classe}]" if lg.classe else "")
        for lg in ecriture.ventilation
    )
    return f"{quoi} de {montant} : {ecriture.tresorerie} {fleche} {parts}"
