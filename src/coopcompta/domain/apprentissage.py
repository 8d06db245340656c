"""What the ledger learned from past écritures: accounts, splits and virements for a bank line.

Pure: storage reads the past écritures (`Passe`), the use case passes them in. For a new
bank line, `Memoire.proposer` weighs the past lines that look like it:

- by their counterpart name, robust to store numbers, card numbers, dates and the bank's
  wording (`CB ACTION 1234 CESSON` ~ `CARTE X4127 ACTION 2187 RENNES`): letters-only words,
  bank boilerplate dropped, rare words and the first word (the counterpart) weigh more;
- by their amount (a 275 € purchase is not like two 12 € ones; the same monthly amount is
  strong evidence);
- by their direction (a debit learns from dépenses and from virements leaving the
  statement's account, a credit from recettes and virements into it).

The confidence of an answer is the share of that evidence pointing to it, shrunk when the
evidence is thin (`_A_PRIORI`), times how close the closest past line is: a label seen
17 times going to 4 accounts is far from sure. A label that names no counterpart (`CHEQUE
n°`, `REMISE CHEQUES`, `VERSEMENT ESPECES`) or a counterpart used for many purposes (a
marketplace, a supermarket filed under several accounts) is never `automatique`: only asked.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from coopcompta.domain.errors import CoopComptaError
from coopcompta.domain.model import Sens

__all__ = ["Memoire", "Passe", "Proposition", "est_generique", "mots_contrepartie"]


@dataclass(frozen=True)
class Passe:
    """One past écriture as the suggestions learn it.

    `montant` is its total in centimes (0: unknown). A recette or dépense has its
    ventilation `parts` (account, centimes); a virement its `source` and `destination`.
    `poids` > 1 for an écriture the treasurer corrected: a correction teaches more.
    """

    libelle: str
    sens: Sens
    montant: int = 0
    parts: tuple[tuple[str, int], ...] = ()
    source: str | None = None
    destination: str | None = None
    poids: float = 1.0
    piece: str = ""  # where it comes from, named when it cannot be learned


@dataclass(frozen=True)
class Proposition:
    """A learned answer for one bank line, best first in `Memoire.proposer`.

    `parts` is the ventilation of the closest past example (account, centimes) and `total`
    its amount, to spread the new amount in the same proportions (the same amounts when
    the total is the same); `virement` the other treasury account instead. `automatique`
    is false when the label cannot be trusted alone (generic, or a many-purpose shop).
    """

    parts: tuple[tuple[str, int], ...]
    total: int
    virement: str | None
    confiance: float
    automatique: bool
    raison: str

    @property
    def compte(self) -> str:
        """The main account: the other treasury account, or the biggest part."""
        if self.virement:
            return self.virement
        return max(self.parts, key=lambda p: p[1])[0]


class DonneesInvalides(CoopComptaError):
    """Learned data that cannot be used as it is (a past split not adding up)."""


# --- words -----------------------------------------------------------------------------------

_LETTRES = re.compile(r"[^\W\d_]+", re.UNICODE)
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


# Bank boilerplate: says how, not who.
def _ensemble(mots: str) -> frozenset[str]:
    return frozenset(mots.split())


_BANCAIRES = _ensemble(
    "vir virement virt sepa recu emis emission prlv prelevement prelev cb carte paiement achat "
    "fact facture ref reference motif date eur euro euros num numero inst instantane de du des "
    "la le les l d a au aux et en par pour sur avec sans chez the of dr de ordre donneur benef "
    "beneficiaire rum ics mandat id sdd frst rcur cpt compte op operation ope retrait dab "
    "remise remis cheque cheques chq chqs versement vers verst depot guichet especes espece "
    "esp bordereau no n x rem"
)
# Words that, alone, name no counterpart: the label is generic.
_GENERIQUES = _ensemble(
    "cheque cheques chq chqs remise remis versement vers verst depot especes espece esp "
    "retrait dab guichet bordereau rem"
)
# Counterparts used for anything: never trusted alone (marketplaces, hypermarkets).
_POLYVALENTS = _ensemble(
    "amazon amzn cdiscount marketplace mktplace paypal leboncoin ebay aliexpress "
    "carrefour leclerc auchan intermarche lidl aldi casino monoprix hyper hypermarche "
    "supermarche"
)


def _forme(mot: str) -> str:
    m = unicodedata.normalize("NFKD", mot.casefold().translate(_LIGATURES))
    m = "".join(ch for ch in m if not unicodedata.combining(ch))
    if len(m) > 3 and m[-1] in "sx" and not m.endswith("ss"):
        m = m[:-1]
    return m


def mots_contrepartie(libelle: str) -> tuple[str, ...]:
    """The words that may name the counterpart, in order, unique: letters only (store
    and card numbers, dates dropped), no bank boilerplate, no plural
    (`CARTE X4127 ACTION 2187 RENNES 12/10` -> ("action", "renne"))."""
    vus: dict[str, None] = {}
    premier = True
    for brut in _LETTRES.findall(libelle):
        m = _forme(brut)
        if premier and m in _GENERIQUES:
            # `RETRAIT DAB 12/10 RENNES`, `CHEQUE 4518210`: what follows is a place or a
            # reference, not a counterpart.
            return ()
        if len(m) >= 2 and m not in _BANCAIRES:
            vus.setdefault(m, None)
            premier = False
    return tuple(vus)


def est_generique(libelle: str) -> bool:
    """A label that names no counterpart: `CHEQUE 4518210`, `REMISE CHEQUES 12`,
    `VERSEMENT ESPECES`, `RETRAIT DAB 12/10 RENNES`."""
    return not mots_contrepartie(libelle)


# What a generic label is about, whatever the bank's abbreviation.
_SORTES = {
    **dict.fromkeys(("cheque", "chq", "chqs"), "cheque"),
    **dict.fromkeys(("remise", "remis", "rem", "bordereau", "depot"), "remise"),
    **dict.fromkeys(("espece", "esp", "versement", "vers", "verst", "guichet"), "especes"),
    **dict.fromkeys(("retrait", "dab"), "retrait"),
}


def _mots_generiques(libelle: str) -> tuple[str, ...]:
    """For a generic label: what it is about (`REM CHQ N 12` and `REMISE CHEQUES` ->
    ("cheque", "remise")), so that cheques learn from cheques, deposits from deposits."""
    sortes = {_SORTES[m] for m in map(_forme, _LETTRES.findall(libelle)) if m in _SORTES}
    return tuple(sorted(sortes))


# --- memory ----------------------------------------------------------------------------------

_A_PRIORI = 0.35  # evidence a sure answer must outweigh: 1 use -> 0.74, 2 -> 0.85, 3 -> 0.9
_MEME_TIERS = 1.0  # likeness of a label holding the counterpart name of a past one
_SIMILARITE_MIN = 0.45
_PREMIER = 2.0  # the first word names the counterpart more often than the others
_INCONNU = 0.5  # weight of a word the ledger never saw
_ECHELLE_MONTANT = math.log(2.0)  # amounts twice apart are "somewhat" alike (0.37)
# A counterpart whose second answer holds this share of the evidence is many-purpose.
_PART_POLYVALENT = 0.1
# Past amounts are kept per answer by bucket of about 26 % (their total weight and the latest
# example of each): what a line costs no longer grows with the history's length.
_LARGEUR_SEAU = math.log(2.0) / 3
_GROUPES_MAX = 20  # the most similar past labels weighed for one line
_CACHE_MAX = 20_000
_GENERATEUR_MAX = 200  # past labels a word (not the first) may hold and still find others


@dataclass
class _Cible:
    """Past lines with one label that went to one answer."""

    parts: tuple[tuple[str, int], ...]
    virement: str | None
    # amount bucket -> [total weight, count, (centimes, libellé, parts) of the latest]
    seaux: dict[int, list[object]] = field(default_factory=dict)


@dataclass
class _Groupe:
    """Past lines sharing the same counterpart words."""

    mots: tuple[str, ...]
    cibles: dict[tuple[object, ...], _Cible] = field(default_factory=dict)


@dataclass
class _Cumul:
    """The evidence for one answer while a line is matched."""

    cible: _Cible
    evidence: float = 0.0
    similarite: float = 0.0  # of the closest past line
    montant: float = 0.0  # amount likeness of the closest past line
    exemple: tuple[int, str, tuple[tuple[str, int], ...]] = (0, "", ())
    n: int = 0


def _similarite_montant(a: int, b: int) -> float:
    if a <= 0 or b <= 0:
        return 0.6  # unknown: neither for nor against
    if a == b:
        return 1.0
    return math.exp(-abs(math.log(a / b)) / _ECHELLE_MONTANT)


def _euros(centimes: int) -> str:
    e, c = divmod(centimes, 100)
    return f"{e:,}".replace(",", "\u202f") + f",{c:02d}\u00a0€"


class Memoire:
    """Past écritures indexed by counterpart word, per direction of the money.

    `tresorerie` is the statement's account: virements learn only when it is one of
    their two sides. Feed it with `apprendre` (also during an import, each decision
    the treasurer takes teaching the next lines).
    """

    def __init__(self, passe: Iterable[Passe] = (), tresorerie: str | None = None) -> None:
        self.tresorerie = tresorerie
        # (credit?, words) -> group; word -> groups holding it (per direction)
        self._groupes: dict[tuple[bool, tuple[str, ...]], _Groupe] = {}
        self._index: dict[tuple[bool, str], list[_Groupe]] = {}
        self._df: dict[str, int] = {}
        self._n = 0
        # (credit, words) of a line -> the most similar past labels, best first
        self._candidats: dict[tuple[bool, tuple[str, ...]], list[tuple[float, _Groupe]]] = {}
        self._poids: dict[tuple[str, ...], tuple[dict[str, float], float]] = {}
        for p in passe:
            self.apprendre(p)

    def __bool__(self) -> bool:
        return bool(self._groupes)

    def apprendre(self, p: Passe) -> None:
        """Remember one écriture (ignored when it says nothing usable)."""
        if p.sens is Sens.VIREMENT:
            t = self.tresorerie
            if t is None or not p.source or not p.destination or t not in (p.source, p.destination):
                return
            credit = p.destination == t
            autre = p.source if credit else p.destination
            cle: tuple[object, ...] = ("virement", autre)
            parts: tuple[tuple[str, int], ...] = ()
            virement: str | None = autre
        elif p.sens in (Sens.RECETTE, Sens.DEPENSE) and p.parts:
            somme = sum(m for _, m in p.parts)
            if (
                p.montant
                and any(m for _, m in p.parts)
                and (somme != p.montant or any(m <= 0 for _, m in p.parts))
            ):
                # A split that does not add up would be applied to the next lines.
                raise DonneesInvalides(
                    f"ventilation qui ne fait pas le montant ({_euros(somme)} pour "
                    f"{_euros(p.montant)}) : rien n'est appris ni importé ; lancez coop verifier",
                    p.piece or f"« {p.libelle} »",
                )
            credit = p.sens is Sens.RECETTE
            cle = tuple(sorted({c for c, _ in p.parts}))
            parts, virement = p.parts, None
        else:
            return
        mots = mots_contrepartie(p.libelle) or _mots_generiques(p.libelle)
        if not mots:
            return
        groupe = self._groupes.get((credit, mots))
        if groupe is None:
            groupe = self._groupes[(credit, mots)] = _Groupe(mots)
            self._n += 1
            for m in mots:
                self._index.setdefault((credit, m), []).append(groupe)
                self._df[m] = self._df.get(m, 0) + 1
            self._poids.clear()  # the words' rarity changed
        cible = groupe.cibles.get(cle)
        if cible is None:
            cible = groupe.cibles[cle] = _Cible(parts, virement)
        seau = round(math.log(p.montant) / _LARGEUR_SEAU) if p.montant > 0 else -1
        acc = cible.seaux.get(seau)
        if acc is None:
            cible.seaux[seau] = [p.poids, 1, (p.montant, p.libelle, parts)]
        else:
            acc[0] += p.poids  # type: ignore[operator]
            acc[1] += 1  # type: ignore[operator]
            acc[2] = (p.montant, p.libelle, parts)
        self._candidats.clear()

    def _poids_mot(self, mot: str) -> float:
        return math.log(1.0 + (self._n + 1) / (self._df.get(mot, 0) + 0.5))

    def _ponderes(self, mots: tuple[str, ...]) -> tuple[dict[str, float], float]:
        """Each word's weight (and their total): rare words more, the first known word
        (the counterpart) twice; a word never seen says nothing either way and weighs little."""
        found = self._poids.get(mots)
        if found is None:
            if len(self._poids) >= _CACHE_MAX:
                self._poids.clear()
            poids = self._calculer_poids(mots)
            found = self._poids[mots] = (poids, sum(poids.values()))
        return found

    def _calculer_poids(self, mots: tuple[str, ...]) -> dict[str, float]:
        result = {}
        premier = True
        for m in mots:
            if m not in self._df:
                result[m] = _INCONNU
                continue
            result[m] = self._poids_mot(m) * (_PREMIER if premier else 1.0)
            premier = False
        return result

    def _semblables(
        self, credit: bool, mots: tuple[str, ...], generique: bool
    ) -> list[tuple[float, _Groupe]]:
        """The past labels like these words, most similar first (at most _GROUPES_MAX),
        remembered per label: statements repeat their labels."""
        cle = (credit, mots)
        found = self._candidats.get(cle)
        if found is not None:
            return found
        if generique:
            g = self._groupes.get(cle)
            found = [(1.0, g)] if g is not None else []
        else:
            q, total_q = self._ponderes(mots)
            vus: set[int] = set()
            found = []
            for k, m in enumerate(mots):
                groupes = self._index.get((credit, m), ())
                if k and len(groupes) > _GENERATEUR_MAX:
                    continue  # a word in hundreds of labels (a town) finds no counterpart
                for g in groupes:
                    if id(g) in vus:
                        continue
                    vus.add(id(g))
                    p, total_p = self._ponderes(g.mots)
                    commun = q.keys() & p.keys()
                    cq = sum(q[w] for w in commun) / total_q
                    cp = sum(p[w] for w in commun) / total_p
                    sim = math.sqrt(cq * cp)
                    if sim < _SIMILARITE_MIN:
                        continue
                    # The same counterpart (the past label's first word is here) is the
                    # same payee whatever else the bank wrote around it.
                    if g.mots[0] in q:
                        sim = max(sim, _MEME_TIERS)
                    found.append((sim, g))
            found.sort(key=lambda sg: sg[0], reverse=True)
            del found[_GROUPES_MAX:]
        if len(self._candidats) >= _CACHE_MAX:
            self._candidats.clear()
        self._candidats[cle] = found
        return found

    def proposer(
        self, libelle: str, montant: int, credit: bool, limite: int = 3
    ) -> list[Proposition]:
        """Learned answers for a bank line (`montant` in centimes, > 0), best first."""
        mots = mots_contrepartie(libelle)
        generique = not mots
        if generique:
            mots = _mots_generiques(libelle)
            if not mots:
                return []
        par_cible: dict[tuple[object, ...], _Cumul] = {}
        for sim, g in self._semblables(credit, mots, generique):
            for cle, cible in g.cibles.items():
                acc = par_cible.get(cle)
                if acc is None:
                    acc = par_cible[cle] = _Cumul(cible)
                for poids, n, exemple in cible.seaux.values():
                    centimes = exemple[0]  # type: ignore[index]
                    am = _similarite_montant(montant, centimes)
                    # A generic label: only the amount speaks (a cheque of the same amount).
                    acc.evidence += (
                        poids * am**3  # type: ignore[operator]
                        if generique
                        else poids * sim * (0.25 + 0.75 * am)  # type: ignore[operator]
                    )
                    acc.n += n  # type: ignore[operator]
                    if (sim, am) > (acc.similarite, acc.montant):
                        acc.similarite, acc.montant = sim, am
                        acc.exemple = exemple  # type: ignore[assignment]
        if not par_cible:
            return []
        evidence = sum(a.evidence for a in par_cible.values())
        # A counterpart whose lines went to several answers is used for many purposes.
        polyvalent = generique or any(m in _POLYVALENTS for m in mots)
        if not polyvalent and len(par_cible) > 1:
            fortes = sorted((a.evidence for a in par_cible.values()), reverse=True)
            polyvalent = fortes[1] >= _PART_POLYVALENT * evidence
        result = []
        for acc in par_cible.values():
            centimes, exemple, parts = acc.exemple
            part = acc.evidence / (evidence + _A_PRIORI)
            plausible = 0.55 + 0.45 * min(1.0, acc.montant / 0.5)
            confiance = part * (1.0 if generique else acc.similarite) * plausible
            if generique:
                confiance = min(confiance, 0.6)
            fois = "écriture passée" if acc.n == 1 else "écritures passées"
            raison = f"comme {acc.n} {fois}, ex. « {exemple} » ({_euros(centimes)})"
            if len(par_cible) > 1:
                raison += f", {round(part * 100)}\u00a0% des cas semblables"
            if generique:
                raison += " ; libellé sans nom de tiers : à confirmer"
            elif polyvalent:
                raison += " ; ce tiers sert à plusieurs comptes : à confirmer"
            elif acc.montant < 0.2:
                raison += " ; montant inhabituel"
            virement = acc.cible.virement
            result.append(
                Proposition(
                    parts if virement is None else (),
                    centimes,
                    virement,
                    round(confiance, 3),
                    not polyvalent and acc.montant >= 0.2,
                    raison,
                )
            )
        result.sort(key=lambda p: p.confiance, reverse=True)
        return result[:limite]
