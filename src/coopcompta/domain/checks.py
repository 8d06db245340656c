"""The checks of `coop verifier`: pure check_* functions turning facts into anomalies.

Facts come from SQL (`storage/verifications.py` fills a `Constats`) and from the
statements (`reports.Bilan`); each `check_*` returns a list of `Anomalie`
(gravité, stable code, French message, écritures and pièces concerned).
`verifier(bilan, constats)` runs them all. The CLI picks the exit code
(`resultat_verification`).

Codes (stable, for scripts): see `CODES`. Erreurs: ventilation-desequilibree,
equilibre-bilan, exceptionnel-hors-tolerance, date-hors-exercice,
compte-attente-471, piece-en-double, regie-non-soldee, compte-hors-plan.
Avertissements: piece-manquante, cheque-hors-sequence, depense-interdite,
caisse-negative.

The use cases at the end (`verifier_ledger`, `verifier_journal`) are the
imperative shell: they read the ledger or the CSV, then call the pure part.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coopcompta.domain.comptes import COMPTE_ATTENTE, PREFIXE_REGIE, PREFIXES_CAISSE
from coopcompta.domain.faits import Constats, Ref, RuptureCheque, Trou
from coopcompta.domain.francais import accord, quantite
from coopcompta.domain.model import Anomalie, Exercice, Gravite, Lieu
from coopcompta.domain.money import formater_euros

if TYPE_CHECKING:
    from coopcompta.domain.plan_comptable import PlanComptable
    from coopcompta.domain.reports import Bilan

ERREUR = Gravite.ERREUR
AVERTISSEMENT = Gravite.AVERTISSEMENT

CODES: dict[str, Gravite] = {
    "ventilation-desequilibree": ERREUR,
    "equilibre-bilan": ERREUR,
    "exceptionnel-hors-tolerance": ERREUR,
    "date-hors-exercice": ERREUR,
    "compte-attente-471": ERREUR,
    "piece-en-double": ERREUR,
    "regie-non-soldee": ERREUR,
    "compte-hors-plan": ERREUR,
    "piece-manquante": AVERTISSEMENT,
    "cheque-hors-sequence": AVERTISSEMENT,
    "depense-interdite": AVERTISSEMENT,
    "caisse-negative": AVERTISSEMENT,
}

# Accounts holding cash: the caisse (53…) and the régies d'avances (541…). Notes and
# coins cannot fall below zero, unlike a bank account that may be overdrawn.
# A jump of more than this many numbers between two cheques is a new chéquier, not a gap
# (a carnet holds 25 to 40 cheques).
TROU_CHEQUES_MAX = 25
# Ruptures of each genre (out of order, twice, gap) named per treasury account; the others
# are counted in one more anomaly.
CHEQUES_CITES = 5
# Écritures named in a message; the `pieces` field lists them all.
CITES_MAX = 8
# Checks that make one anomaly per écriture (out of the exercice, unbalanced, forbidden
# expense) name this many; one more anomaly counts the others.
NOMMEES_MAX = 10
# Missing pièce numbers listed in the `pieces` field of one anomaly.
PIECES_CITEES_MAX = 200


# -- facts --------------------------------------------------------------------------


# -- wording -------------------------------------------------------------------------


def _date(jour: dt.date) -> str:
    return f"{jour:%d/%m/%Y}"


def nommer(ref: Ref, lieux: Mapping[int, str] | None = None, libelle: bool = False) -> str:
    """`pièce D12 du 12/10/2025` or `écriture du 12/10/2025 « Goûter »`, plus its CSV line."""
    if ref.piece:
        texte = f"pièce {ref.piece}"
        if ref.date:
            texte += f" du {_date(ref.date)}"
        if libelle and ref.libelle:
            texte += f" « {ref.libelle} »"
    else:
        texte = "écriture"
        if ref.date:
            texte += f" du {_date(ref.date)}"
        if ref.libelle:
            texte += f" « {ref.libelle} »"
    if lieux and ref.id is not None and ref.id in lieux:
        texte += f" ({lieux[ref.id]})"
    return texte


def _liste(
    refs: Sequence[Ref],
    lieux: Mapping[int, str] | None,
    total: int | None = None,
    libelle: bool = False,
) -> str:
    total = len(refs) if total is None else total
    noms = [nommer(r, lieux, libelle) for r in refs[:CITES_MAX]]
    if total > len(noms):
        noms.append(f"et {quantite(total - len(noms), 'autre')}")
    return ", ".join(noms)


def _anomalie(
    code: str,
    message: str,
    refs: Iterable[Ref] = (),
    pieces: Iterable[str] = (),
    comptes: Iterable[str] = (),
    lieux: Iterable[Lieu] = (),
) -> Anomalie:
    refs = list(refs)
    toutes = [r.piece for r in refs if r.piece] + list(pieces)
    places = [Lieu(r.id, r.piece, r.date) for r in refs] + list(lieux)
    return Anomalie(
        gravite=CODES[code],
        code=code,
        message=message,
        ecritures=tuple(dict.fromkeys(r.id for r in refs if r.id is not None)),
        pieces=tuple(dict.fromkeys(toutes)),
        comptes=tuple(dict.fromkeys(comptes)),
        lieux=tuple(dict.fromkeys(places)),
    )


def _plages(trous: Sequence[Trou], total: int | None = None) -> str:
    total = len(trous) if total is None else total
    parts = []
    for t in trous[:CITES_MAX]:
        if t.premier == t.dernier:
            parts.append(f"{t.serie}{t.premier}")
        else:
            parts.append(f"{t.serie}{t.premier} à {t.serie}{t.dernier}")
    if total > len(parts):
        n = total - len(parts)
        parts.append(f"et {n} {accord(n, 'autre plage', 'autres plages')}")
    return ", ".join(parts)


def _nombre(n: int) -> str:
    """1234567 -> `1 234 567` (narrow no-break space, as amounts are grouped)."""
    return f"{n:,}".replace(",", "\u202f")


# -- pure helpers for sequences (used by storage/verifications.py) -----------------------


def analyser_numeros(numeros: Sequence[int]) -> tuple[list[tuple[int, int]], list[int]]:
    """Missing ranges of 1..max and numbers used twice, for one pièce series."""
    if not numeros:
        return [], []
    presents = set(numeros)
    haut = max(presents)
    doubles = []
    if len(presents) != len(numeros):
        doubles = sorted(n for n, k in Counter(numeros).items() if k > 1)
    if len(presents) == haut and min(presents) == 1:
        return [], doubles
    manquants = sorted(set(range(1, haut + 1)) - presents)
    plages: list[tuple[int, int]] = []
    for n in manquants:
        if plages and plages[-1][1] == n - 1:
            plages[-1] = (plages[-1][0], n)
        else:
            plages.append((n, n))
    return plages, doubles


def analyser_cheques(
    numeros: Sequence[int], garder: int | None = None
) -> tuple[list[tuple[str, int, int]], dict[str, int]]:
    """Positions where a cheque breaks the sequence, numbers given in date order.

    Returns the first `garder` (default CHEQUES_CITES) ruptures of each genre as
    (genre, index, index of the cheque compared with), and how many there are of each:
    `ordre` when a number is lower than the highest written before it, `double` when
    equal (both in date order), `trou` when the next number in numeric order skips 1 to
    TROU_CHEQUES_MAX numbers (a bigger jump is a new chéquier). Linear after one sort:
    a messy export of a million cheques costs what a tidy one does.
    """
    garder = CHEQUES_CITES if garder is None else garder
    nombres = {"ordre": 0, "double": 0, "trou": 0}
    desordre: list[tuple[str, int, int]] = []
    plus_haut = 0
    haut = numeros[0] if numeros else 0
    premiere: dict[int, int] = {}  # number -> its first position in date order
    for i, n in enumerate(numeros):
        premiere.setdefault(n, i)
        if n > haut:
            haut, plus_haut = n, i
        elif i:
            genre = "ordre" if n < haut else "double"
            nombres[genre] += 1
            if nombres[genre] <= garder:
                desordre.append((genre, i, plus_haut))
    trous: list[tuple[str, int, int]] = []
    uniques = sorted(premiere)
    for a, b in zip(uniques, uniques[1:], strict=False):
        if 1 < b - a <= TROU_CHEQUES_MAX + 1:
            nombres["trou"] += 1
            if nombres["trou"] <= garder:
                trous.append(("trou", premiere[b], premiere[a]))
    return desordre + trous, nombres


# -- forbidden expenses (DOMAIN §6: warnings, the AD decides) ----------------------------


@dataclass(frozen=True)
class Motif:
    """A family of expenses a coop may not normally pay, recognised in the libellé."""

    regex: str  # on the lower-case libellé without accents; compiled on first use
    like: tuple[str, ...]  # coarse SQL LIKE fragments, checked by `regex` afterwards
    raison: str


def _motif(regex: str, like: tuple[str, ...], raison: str) -> Motif:
    return Motif(regex, like, raison)


MOTIFS_INTERDITS: tuple[Motif, ...] = (
    _motif(
        r"\b(salaires?|urssaf|cesu|fiches? de paie|bulletins? de (paie|salaire)"
        r"|contrats? de travail)\b",
        ("salaire", "urssaf", "cesu", "de paie", "contrat de travail"),
        "une coopérative ne verse pas de salaire et ne signe pas de contrat de travail ; "
        "un intervenant est payé sur facture (compte 6226)",
    ),
    _motif(
        r"\b(photo)?copieu(r|se|rs|ses)\b",
        ("copieu",),
        "le photocopieur et son contrat sont à la charge de la commune",
    ),
    _motif(
        r"\bmanuels? scolaires?\b",
        ("manuel",),
        "les manuels scolaires sont à la charge de la commune",
    ),
    _motif(
        r"\b(structures? de jeux?|jeux? de cour|aires? de jeux?)\b",
        ("de jeu", "jeux de cour", "jeu de cour"),
        "les structures de jeux de la cour relèvent de la commune",
    ),
    _motif(
        r"\b(livrets? a|placements?|comptes? a terme)\b",
        ("livret", "placement", "a terme", "à terme"),
        "une coopérative ne place pas son argent (pas de Livret A ni de compte à terme)",
    ),
    _motif(
        r"\b(prets?|emprunts?)\b",
        ("pret", "prêt", "PRÊT", "emprunt"),
        "une coopérative n'emprunte pas et ne prête pas d'argent",
    ),
)


def _normaliser(texte: str) -> str:
    decomposed = unicodedata.normalize("NFKD", texte.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fragments_interdits() -> list[str]:
    """The LIKE fragments the SQL prefilter needs."""
    return [f for m in MOTIFS_INTERDITS for f in m.like]


def motif_interdit(libelle: str) -> Motif | None:
    texte = _normaliser(libelle)
    for motif in MOTIFS_INTERDITS:
        if re.search(motif.regex, texte):
            return motif
    return None


# -- the checks ----------------------------------------------------------------------


Lieux = Mapping[int, str] | None


def _et_autres(code: str, autres: int, quoi: tuple[str, str], conseil: str) -> list[Anomalie]:
    """One anomaly counting the écritures of a check beyond those named (none if none)."""
    if autres <= 0:
        return []
    singulier, pluriel = quoi
    return [_anomalie(code, f"et {_nombre(autres)} {accord(autres, singulier, pluriel)}{conseil}.")]


def controler_ventilations(c: Constats, lieux: Lieux = None) -> list[Anomalie]:
    out = []
    for d in c.desequilibres[:NOMMEES_MAX]:
        if d.total is not None and d.lignes is not None:
            detail = (
                f"total annoncé {formater_euros(d.total)}, somme des lignes "
                f"{formater_euros(d.lignes)} (écart {formater_euros(d.ecart)})"
            )
        else:
            detail = f"ses lignes ne s'équilibrent pas (écart {formater_euros(d.ecart)})"
        out.append(
            _anomalie(
                "ventilation-desequilibree",
                f"{nommer(d.ref, lieux)} : la ventilation ne correspond pas au montant — {detail}.",
                [d.ref],
            )
        )
    return out + _et_autres(
        "ventilation-desequilibree",
        c.total("desequilibres", c.desequilibres) - len(out),
        ("autre écriture", "autres écritures"),
        " dont la ventilation ne correspond pas au montant",
    )


def controler_equilibre(bilan: Bilan) -> list[Anomalie]:
    s = bilan.simplifie
    if s.equilibre:
        return []
    return [
        _anomalie(
            "equilibre-bilan",
            "le bilan n'est pas équilibré : report à nouveau + recettes − dépenses"
            f"{' + à ventiler' if s.a_ventiler else ''} = {formater_euros(s.passif)}, "
            f"mais la trésorerie totalise {formater_euros(s.total_tresorerie)} "
            f"(écart {formater_euros(s.ecart)}).",
        )
    ]


def controler_exceptionnel(
    bilan: Bilan, c: Constats | None = None, lieux: Lieux = None
) -> list[Anomalie]:
    x = bilan.exceptionnel
    if x.ok:
        return []
    refs = c.exceptionnelles if c else ()
    total = c.total("exceptionnelles", refs) if c else 0
    concernees = f" Écritures concernées : {_liste(refs, lieux, total)}." if refs else ""
    return [
        _anomalie(
            "exceptionnel-hors-tolerance",
            f"{x.verdict}{concernees} {x.explication}",
            refs,
            comptes=[c.numero for c in x.comptes],
        )
    ]


def controler_dates(c: Constats, lieux: Lieux = None) -> list[Anomalie]:
    ex = c.exercice
    periode = f"l'exercice {ex.nom} (du {_date(ex.debut)} au {_date(ex.fin)})"
    out = [
        _anomalie("date-hors-exercice", f"{nommer(r, lieux)} : date hors de {periode}.", [r])
        for r in c.hors_exercice[:NOMMEES_MAX]
    ]
    return out + _et_autres(
        "date-hors-exercice",
        c.total("hors_exercice", c.hors_exercice) - len(out),
        ("autre écriture datée", "autres écritures datées"),
        f" hors de {periode}",
    )


def controler_attente(bilan: Bilan, c: Constats, lieux: Lieux = None) -> list[Anomalie]:
    solde = bilan.simplifie.a_ventiler
    if not c.attente and solde == 0:
        return []
    total = c.total("attente", c.attente)
    message = (
        f"{quantite(total, 'écriture')} encore sur le compte {COMPTE_ATTENTE} (à ventiler), "
        f"solde {formater_euros(solde)} : ventilez-les sur leurs vrais comptes avant le bilan"
    )
    if c.attente:
        message += f" — {_liste(c.attente, lieux, total)}"
    return [_anomalie("compte-attente-471", message + ".", c.attente, comptes=[COMPTE_ATTENTE])]


def controler_pieces(c: Constats, lieux: Lieux = None) -> list[Anomalie]:
    out = []
    for d in c.doublons:
        out.append(
            _anomalie(
                "piece-en-double",
                f"pièce {d.piece} utilisée par {_nombre(d.total)} écritures : "
                + _liste(d.refs, lieux, d.total, libelle=True)
                + ".",
                d.refs,
                [d.piece],
            )
        )
    autres_doublons = c.total("doublons", c.doublons) - len(c.doublons)
    if autres_doublons > 0:
        out.append(
            _anomalie(
                "piece-en-double",
                f"et {_nombre(autres_doublons)} "
                f"{accord(autres_doublons, 'autre pièce utilisée', 'autres pièces utilisées')} "
                "par plusieurs écritures : chaque écriture a son propre numéro de pièce.",
            )
        )
    if c.trous:
        pieces: list[str] = []
        for t in c.trous:
            fin = min(t.dernier, t.premier + 99)  # the message lists ranges; pieces stay bounded
            pieces += [f"{t.serie}{n}" for n in range(t.premier, fin + 1)]
        nombre = c.totaux.get("pieces_manquantes", sum(t.dernier - t.premier + 1 for t in c.trous))
        plages = _plages(c.trous, c.total("trous", c.trous))
        out.append(
            _anomalie(
                "piece-manquante",
                f"{nombre} {accord(nombre, 'numéro', 'numéros')} de pièce "
                f"{accord(nombre, 'manquant')} dans la suite : {plages} "
                "(une pièce annulée garde son numéro : notez-la comme annulée).",
                pieces=pieces[:PIECES_CITEES_MAX],
            )
        )
    for s in c.sauts:
        if s.avant:
            debut = f"saute de la pièce {s.avant} à la pièce {s.apres}"
        else:
            debut = f"commence à la pièce {s.apres} au lieu de {s.serie}1"
        out.append(
            _anomalie(
                "piece-manquante",
                f"la numérotation des pièces {debut} ({_nombre(s.manquants)} numéros sautés) : "
                "une autre numérotation ou une faute de frappe ? Gardez une seule suite de "
                "numéros par exercice (corrigez la pièce par une contre-passation).",
                pieces=[p for p in (s.avant, s.apres) if p],
                lieux=[Lieu(piece=s.apres)],
            )
        )
    autres_sauts = c.total("sauts", c.sauts) - len(c.sauts)
    if autres_sauts > 0:
        out.append(
            _anomalie(
                "piece-manquante",
                f"et {autres_sauts} {accord(autres_sauts, 'autre saut', 'autres sauts')} "
                "de numérotation des pièces.",
            )
        )
    if c.sans_piece:
        total = c.total("sans_piece", c.sans_piece)
        out.append(
            _anomalie(
                "piece-manquante",
                f"{quantite(total, 'écriture')} sans numéro de pièce : "
                f"{_liste(c.sans_piece, lieux, total)}.",
                c.sans_piece,
            )
        )
    return out


def controler_regies(bilan: Bilan) -> list[Anomalie]:
    fin = _date(bilan.exercice.fin)
    return [
        _anomalie(
            "regie-non-soldee",
            f"la régie {t.numero} ({t.libelle}) a un solde de {formater_euros(t.montant)} : "
            f"elle doit revenir à zéro avant la fin de l'exercice ({fin}) — enregistrez "
            "ses dépenses justifiées et rendez le reste par un virement interne.",
            comptes=[t.numero],
        )
        for t in bilan.simplifie.tresorerie
        if t.numero.startswith(PREFIXE_REGIE) and t.montant != 0
    ]


def controler_hors_plan(
    bilan: Bilan, c: Constats | None = None, lieux: Lieux = None
) -> list[Anomalie]:
    out = []
    for code in bilan.hors_plan:
        refs = (c.hors_plan.get(code, ()) if c else ()) or ()
        total = c.total(f"hors_plan:{code}", refs) if c else 0
        suite = f" : {_liste(refs, lieux, total)}" if refs else ""
        out.append(
            _anomalie(
                "compte-hors-plan",
                f"compte {code} absent du plan comptable ({bilan.plan}), utilisé par "
                f"{quantite(total, 'écriture') if total else 'des écritures'}{suite}.",
                refs,
                comptes=[code],
            )
        )
    return out


def controler_cheques(c: Constats, lieux: Lieux = None) -> list[Anomalie]:
    par_compte: dict[str, list[RuptureCheque]] = {}
    for r in c.cheques:
        par_compte.setdefault(r.tresorerie, []).append(r)
    out = []
    for tresorerie, ruptures in par_compte.items():
        out += [_anomalie_cheque(r, lieux) for r in ruptures]
        cites = len(ruptures)
        nombres = {g: c.totaux.get(f"cheques:{tresorerie}:{g}", 0) for g in GENRES_CHEQUES}
        autres = sum(nombres.values()) - cites
        if autres > 0:
            out.append(_autres_cheques(tresorerie, autres, nombres))
    return out


# Genres of cheque ruptures, as counted in the totaux and worded in the summary.
GENRES_CHEQUES = {
    "ordre": ("chèque émis après un numéro plus élevé", "chèques émis après un numéro plus élevé"),
    "double": ("numéro utilisé deux fois", "numéros utilisés deux fois"),
    "trou": ("trou dans la suite", "trous dans la suite"),
}


def _anomalie_cheque(r: RuptureCheque, lieux: Lieux) -> Anomalie:
    ici = f"chèque n° {r.numero} ({nommer(r.ref, lieux)}, compte {r.tresorerie})"
    avant = nommer(r.precedent, lieux) if r.precedent else ""
    if r.genre == "ordre":
        texte = (
            f"{ici} émis après le chèque n° {r.numero_precedent} ({avant}) : "
            "les numéros doivent suivre l'ordre des dates d'émission."
        )
    elif r.genre == "double":
        texte = f"{ici} : numéro déjà utilisé ({avant})."
    else:
        assert r.numero_precedent is not None
        manque = r.numero - r.numero_precedent - 1
        texte = (
            f"{manque} {accord(manque, 'chèque manquant', 'chèques manquants')} "
            f"avant le {ici}, après le n° "
            f"{r.numero_precedent} : un chèque annulé ou perdu se note aussi."
        )
    refs = [r.ref] + ([r.precedent] if r.precedent else [])
    return _anomalie("cheque-hors-sequence", texte, refs, comptes=[r.tresorerie])


def _autres_cheques(tresorerie: str, autres: int, nombres: Mapping[str, int]) -> Anomalie:
    """The ruptures not named one by one, counted: a messy chéquier gives one more line,
    not thousands."""
    detail = ", ".join(
        f"{_nombre(k)} {accord(k, *GENRES_CHEQUES[g])}" for g, k in nombres.items() if k
    )
    return _anomalie(
        "cheque-hors-sequence",
        f"et {_nombre(autres)} {accord(autres, 'autre rupture', 'autres ruptures')} de la suite "
        f"des chèques du compte {tresorerie} (en tout : {detail}) : comparez les numéros "
        "avec les talons du chéquier.",
        comptes=[tresorerie],
    )


def controler_depenses_interdites(c: Constats, lieux: Lieux = None) -> list[Anomalie]:
    trouvees = [(r, m) for r in c.depenses_candidates if (m := motif_interdit(r.libelle))]
    out = [
        _anomalie(
            "depense-interdite",
            f"{nommer(r, lieux)} « {r.libelle} » : dépense qu'une coopérative ne fait "
            f"pas normalement — {motif.raison} (à confirmer avec l'association "
            "départementale).",
            [r],
        )
        for r, motif in trouvees[:NOMMEES_MAX]
    ]
    return out + _et_autres(
        "depense-interdite",
        c.totaux.get("depenses_interdites", len(trouvees)) - len(out),
        ("autre dépense", "autres dépenses"),
        " qu'une coopérative ne fait pas normalement (à confirmer avec l'association "
        "départementale)",
    )


def comptes_de_caisse(plan: PlanComptable) -> list[str]:
    """Treasury accounts of the chart that hold cash (PREFIXES_CAISSE)."""
    from coopcompta.domain.model import Nature

    return [
        c.numero for c in plan.par_nature(Nature.TRESORERIE) if c.numero.startswith(PREFIXES_CAISSE)
    ]


def controler_caisses(c: Constats) -> list[Anomalie]:
    out = []
    for n in c.caisses_negatives:
        nom = (
            f"la régie ({n.compte})"
            if n.compte.startswith(PREFIXE_REGIE)
            else (f"la caisse ({n.compte})")
        )
        plus_bas = ""
        if n.date_plus_bas != n.date:
            plus_bas = f" (au plus bas {formater_euros(n.plus_bas)} le {_date(n.date_plus_bas)})"
        out.append(
            _anomalie(
                "caisse-negative",
                f"{nom} est négative le {_date(n.date)} : {formater_euros(n.solde)}{plus_bas} ; "
                "une caisse ne peut pas contenir moins que rien — une recette en espèces "
                "oubliée ?",
                comptes=[n.compte],
                lieux=[Lieu(date=n.date, comptes=(n.compte,))],
            )
        )
    return out


def verifier(bilan: Bilan, constats: Constats, lieux: Lieux = None) -> list[Anomalie]:
    """Every check, erreurs first, in a stable order."""
    anomalies = [
        *controler_ventilations(constats, lieux),
        *controler_equilibre(bilan),
        *controler_exceptionnel(bilan, constats, lieux),
        *controler_dates(constats, lieux),
        *controler_attente(bilan, constats, lieux),
        *controler_pieces(constats, lieux),
        *controler_regies(bilan),
        *controler_hors_plan(bilan, constats, lieux),
        *controler_cheques(constats, lieux),
        *controler_depenses_interdites(constats, lieux),
        *controler_caisses(constats),
    ]
    return sorted(anomalies, key=lambda a: a.gravite is not ERREUR)


@dataclass(frozen=True)
class Verification:
    """The outcome of `coop verifier`: what was checked and what was found."""

    source: str
    exercice: Exercice
    anomalies: tuple[Anomalie, ...]
    ecritures: int = 0
    bilan: Bilan | None = None  # the statements the checks were run on

    @property
    def erreurs(self) -> int:
        return sum(a.gravite is ERREUR for a in self.anomalies)

    @property
    def avertissements(self) -> int:
        return sum(a.gravite is AVERTISSEMENT for a in self.anomalies)

    def code_sortie(self, strict: bool = False) -> int:
        """0 when clean, 1 on errors (or warnings with --strict)."""
        if self.erreurs or (strict and self.avertissements):
            return 1
        return 0

    def vers_json(self, strict: bool = False) -> dict[str, Any]:
        from coopcompta.domain.localisation import anomalie_vers_json

        return {
            "ok": self.code_sortie(strict) == 0,
            "source": self.source,
            "exercice": self.exercice.nom,
            "erreurs": self.erreurs,
            "avertissements": self.avertissements,
            "anomalies": [anomalie_vers_json(a, self.source) for a in self.anomalies],
        }


# -- use cases (imperative shell) ------------------------------------------------------
