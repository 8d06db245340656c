"""Account search and suggestions: chart keywords plus what was learned from past écritures."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any

from coopcompta.domain.apprentissage import Memoire, Passe
from coopcompta.domain.model import Compte, Nature, Sens
from coopcompta.domain.plan_comptable import PlanComptable, normaliser_numero

__all__ = [
    "Suggesteur",
    "Suggestion",
    "normaliser_libelle",
    "rechercher_comptes",
    "suggerer",
]


@dataclass(frozen=True)
class Suggestion:
    """An account proposed for a libellé, with a 0..1 confidence and the reason, in French."""

    compte: Compte
    score: float
    raison: str
    # Learned from the ledger (see domain.apprentissage): the ventilation of the closest
    # past example (account, centimes) and its total, or the other treasury account of a
    # virement interne (then `compte` is that account).
    parts: tuple[tuple[str, int], ...] = ()
    total: int = 0
    virement: bool = False
    # May be applied without asking (above the import's threshold): learned from past
    # écritures, the label names a counterpart and the amount is plausible.
    automatique: bool = False


# --- Normalisation -----------------------------------------------------------------------------


def _ensemble(mots: str) -> frozenset[str]:
    return frozenset(mots.split())


# French function words: they say nothing about the account.
_MOTS_VIDES = _ensemble(
    "a au aux avec ce ces d de des du en et l la le les leur leurs n ne ni no non ou par pas "
    "pour qu que qui sa se ses son sur un une y"
)
# Words bank exports add to every line (`VIR SEPA RECU /DE`, `PRLV`, `CB`, `FACT`…), in their
# comparable form (no plural).
_MOTS_BANCAIRES = _ensemble(
    "vir virement virt sepa recu emis prlv prelevement prelev cb carte paiement achat fact "
    "facture ref reference motif date eur euro num numero inst instantane"
)
_MOT = re.compile(r"\w+", re.UNICODE)


_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def _sans_accents(texte: str) -> str:
    decompose = unicodedata.normalize("NFKD", texte.casefold().translate(_LIGATURES))
    return "".join(ch for ch in decompose if not unicodedata.combining(ch))


@lru_cache(maxsize=8192)
def _racine(mot: str) -> str | None:
    """The comparable form of one word: no accents, no plural; None for noise or references."""
    m = _sans_accents(mot)
    if len(m) < 2 or any(ch.isdigit() for ch in m) or m in _MOTS_VIDES:
        return None
    # Plural and feminine plural, enough for "photos"/"photo", "cadeaux"/"cadeau", "cars"/"car".
    if len(m) > 3 and m[-1] in "sx" and not m.endswith("ss"):
        m = m[:-1]
    return m


def _mots(texte: str) -> list[tuple[str, str]]:
    """(original word, comparable form) for each meaningful word of a text."""
    result = []
    for brut in _MOT.findall(texte.replace("_", " ")):
        racine = _racine(brut)
        if racine is not None:
            result.append((brut, racine))
    return result


def normaliser_libelle(libelle: str) -> tuple[str, ...]:
    """The words that identify a libellé: lowercase, no accents, no digits, dates, references
    or bank boilerplate; sorted and unique (`CB LIBRAIRIE 12/10` -> ("librairie",))."""
    return tuple(sorted({r for _, r in _mots(libelle) if r not in _MOTS_BANCAIRES}))


# --- Search (coop plan RECHERCHE, "choose by search" in saisie) --------------------------------

# Weight of a match by field, for ranking search results.
_POIDS_RECHERCHE = {
    "mot-clé": 5.0,
    "libellé": 4.0,
    "rubrique": 3.0,
    "exemple": 2.0,
    "aide": 1.0,
}


def _champs(compte: Compte) -> list[tuple[str, str]]:
    return [
        *(("mot-clé", m) for m in compte.mots_cles),
        ("libellé", compte.libelle),
        ("rubrique", compte.rubrique),
        *(("exemple", e) for e in compte.exemples),
        ("aide", compte.aide),
    ]


def rechercher_comptes(
    plan: PlanComptable, texte: str, tous_les_mots: bool = False
) -> list[Compte]:
    """Accounts matching a number (or its beginning), an alias, or words of their keywords,
    label, rubrique, examples or help; accent- and case-insensitive; best first.

    Accounts whose keywords, label or rubrique hold every word come first, and alone when
    there are any: an account whose help merely says "photos do not go here" is not an
    answer to "photos". Otherwise, accounts holding every word anywhere; otherwise those
    holding some of the words, those holding more first — unless `tous_les_mots`, as
    `coop plan` searches: "car sortie" then never answers with an account about cars only.
    """
    texte = texte.strip()
    if not texte:
        return []
    code = normaliser_numero(texte)
    if code.isdigit():
        return _rechercher_numero(plan, code)
    requete = sorted({r for _, r in _mots(texte)})
    if not requete:
        return []
    paliers: list[list[tuple[float, int, Compte]]] = [[], [], []]
    for rang, compte in enumerate(plan.comptes):
        # A word found in several fields (keyword and label) makes a stronger match.
        champs_du_mot: dict[str, set[str]] = {}
        for champ, valeur in _champs(compte):
            for _, r in _mots(valeur):
                champs_du_mot.setdefault(r, set()).add(champ)
        trouves = forts = 0
        score = 0.0
        for mot in requete:
            best, fort = 0.0, False
            for r, champs in champs_du_mot.items():
                if r == mot or (len(mot) >= 3 and r.startswith(mot)):
                    poids = sum(_POIDS_RECHERCHE[c] for c in champs) * (1.0 if r == mot else 0.3)
                    best = max(best, poids)
                    fort = fort or not champs.isdisjoint(_CHAMPS_FORTS)
            if best:
                trouves += 1
                forts += fort
                score += best
        if forts == len(requete):
            paliers[0].append((score, -rang, compte))
        elif trouves == len(requete):
            paliers[1].append((score, -rang, compte))
        elif trouves and not tous_les_mots:
            paliers[2].append((trouves + score / 100, -rang, compte))
    for palier in paliers:
        if palier:
            palier.sort(key=lambda s: (s[0], s[1]), reverse=True)
            return [s[2] for s in palier]
    return []


_CHAMPS_FORTS = frozenset({"mot-clé", "libellé", "rubrique"})


def _rechercher_numero(plan: PlanComptable, code: str) -> list[Compte]:
    exact = plan.trouver(code)
    found = [exact] if exact else []
    prefixes = [
        c
        for c in plan.comptes
        if c is not exact and any(n.startswith(code) for n in (c.numero, *c.alias))
    ]
    prefixes.sort(key=lambda c: c.numero)
    return found + prefixes


# --- Suggestions ---------------------------------------------------------------------------------

# Keyword confidence by field, combined as independent evidence and scaled to stay below
# _PLAFOND_MOTS_CLES: keywords alone never reach 0.8 (the import's automatic threshold), two
# identical past uses (0.825) do and beat any keyword evidence.
_POIDS_MOT_CLE = 0.6
_POIDS_EXPRESSION = 0.7  # a keyword of several words, all present
_POIDS_LIBELLE = 0.45
_POIDS_EXEMPLE = 0.3
_PLAFOND_MOTS_CLES = 0.78
_SIMILARITE_MIN = 0.5
_CANDIDATS_MAX = 400
# Exceptional accounts must stay exceptional (OCCE 35): their keywords count for less.
_FACTEUR_EXCEPTIONNEL = 0.7


def _confiance_apprise(n: float) -> float:
    """1 identical past use -> 0.65, 2 -> 0.825, 3 -> 0.91, 4 -> 0.96."""
    return float(1 - 0.35 * 0.5 ** (max(n, 1.0) - 1))


def _natures(sens: Sens | None) -> frozenset[Nature]:
    if sens is Sens.DEPENSE:
        return frozenset({Nature.CHARGE})
    if sens is Sens.RECETTE:
        return frozenset({Nature.PRODUIT})
    if sens in (Sens.VIREMENT, Sens.OUVERTURE):
        return frozenset({Nature.TRESORERIE})
    return frozenset({Nature.CHARGE, Nature.PRODUIT, Nature.ATTENTE, Nature.TRESORERIE})


@dataclass
class _Appris:
    """Past écritures sharing one normalised libellé: accounts used and how often."""

    mots: frozenset[str]
    comptes: dict[str, int]
    exemple: str  # the first original libellé seen, quoted in the reason


@dataclass(frozen=True)
class _Indice:
    """One piece of keyword evidence pointing at an account."""

    numero: str
    mots: tuple[str, ...]  # all must be present
    poids: float
    raison: str


class Suggesteur:
    """Indexes a chart and past écritures once, then suggests accounts for many libellés fast.

    `historique` is `Ledger.historique_libelles()`: (libellé, account, times used).
    `passe` (past écritures with their amounts, splits and virements) replaces it with
    the learned suggestions of `domain.apprentissage`; `tresorerie` is then the account of
    the statement being categorised, for virements.
    """

    def __init__(
        self,
        plan: PlanComptable,
        historique: Iterable[tuple[str, str, int]] = (),
        *,
        passe: Iterable[Passe] | None = None,
        tresorerie: str | None = None,
    ) -> None:
        self.plan = plan
        self._comptes = {c.numero: c for c in plan.comptes}
        self._indices: dict[str, list[_Indice]] = {}
        self._vocabulaire: set[str] = set()
        self._index_plan()
        self._appris: dict[tuple[str, ...], _Appris] = {}
        self._par_mot: dict[str, set[tuple[str, ...]]] = {}
        self._cache: dict[tuple[tuple[str, ...], Sens | None, int], list[Suggestion]] = {}
        self._etendus: dict[str, tuple[str, ...]] = {}
        self._rangs = {c.numero: i for i, c in enumerate(plan.comptes)}
        self.memoire = Memoire(passe, tresorerie) if passe is not None else None
        for libelle, compte, n in historique:
            self.apprendre(libelle, compte, n)

    # Indexing

    def _index_plan(self) -> None:
        brut: list[_Indice] = []
        for c in self.plan.comptes:
            if c.nature is Nature.BILAN:
                continue
            for mc in c.mots_cles:
                # Bank boilerplate is dropped from labels, so it cannot be part of a keyword.
                mots = tuple(dict.fromkeys(r for _, r in _mots(mc) if r not in _MOTS_BANCAIRES))
                if mots:
                    poids = _POIDS_EXPRESSION if len(mots) > 1 else _POIDS_MOT_CLE
                    brut.append(_Indice(c.numero, mots, poids, f"mot-clé « {mc} »"))
            if c.exceptionnel:
                # Their label and examples name ordinary things ("appareil photo", "séjour
                # annulé"): only an explicit keyword may point at an exceptional account.
                continue
            for mot, r in _mots(c.libelle):
                brut.append(_Indice(c.numero, (r,), _POIDS_LIBELLE, f"libellé « {mot} »"))
            for ex in c.exemples:
                for _mot, r in _mots(ex):
                    brut.append(_Indice(c.numero, (r,), _POIDS_EXEMPLE, f"exemple « {ex} »"))
        # A word shared by many accounts ("subvention", "participation") says less about each.
        # Counted among accounts of the same nature: the sens filter separates the others.
        # A phrase is as specific as the accounts holding the whole phrase.
        comptes_par_mot: dict[tuple[tuple[str, ...], Nature], set[str]] = {}
        for ind in brut:
            nature = self._comptes[ind.numero].nature
            comptes_par_mot.setdefault((ind.mots, nature), set()).add(ind.numero)
        for ind in brut:
            if ind.mots[0] in _MOTS_BANCAIRES:
                continue
            nature = self._comptes[ind.numero].nature
            df = len(comptes_par_mot[(ind.mots, nature)])
            poids = ind.poids / df**0.5
            if self._comptes[ind.numero].exceptionnel:
                poids *= _FACTEUR_EXCEPTIONNEL
            self._indices.setdefault(ind.mots[0], []).append(
                _Indice(ind.numero, ind.mots, poids, ind.raison)
            )
            self._vocabulaire.update(ind.mots)

    def apprendre(self, libelle: str, compte: str, n: int = 1) -> None:
        """Record that `n` past écritures with this libellé went to `compte`."""
        found = self.plan.trouver(compte)
        if self.memoire is not None:
            if found is not None and found.nature in (Nature.CHARGE, Nature.PRODUIT):
                sens = Sens.DEPENSE if found.nature is Nature.CHARGE else Sens.RECETTE
                for _ in range(min(n, 20)):
                    self.memoire.apprendre(Passe(libelle, sens, 0, ((found.numero, 0),)))
            return
        cle = normaliser_libelle(libelle)
        if found is None or not cle or n <= 0:
            return
        appris = self._appris.get(cle)
        if appris is None:
            appris = self._appris[cle] = _Appris(frozenset(cle), {}, libelle)
            for m in cle:
                self._par_mot.setdefault(m, set()).add(cle)
        appris.comptes[found.numero] = appris.comptes.get(found.numero, 0) + n
        self._cache.clear()

    def retenir(self, passe: Passe) -> None:
        """Learn one écriture with its amount and split (a decision taken during an import
        teaches the next lines of the same import)."""
        if self.memoire is not None:
            self.memoire.apprendre(passe)
            return
        for compte, _ in passe.parts:
            self.apprendre(passe.libelle, compte)

    # Matching

    def _etendre(self, mot: str) -> tuple[str, ...]:
        """Chart words this word stands for: itself, and for words of 5+ letters the longer
        or shorter forms ("photographie" -> "photo"; bank truncations "librair" -> "librairie")."""
        found = self._etendus.get(mot)
        if found is None:
            formes = {mot} if mot in self._vocabulaire else set()
            if len(mot) >= 5:
                formes.update(
                    v
                    for v in self._vocabulaire
                    if len(v) >= 5 and v != mot and (v.startswith(mot) or mot.startswith(v))
                )
            found = self._etendus[mot] = tuple(sorted(formes))
        return found

    def _par_mots_cles(
        self, mots: tuple[str, ...], natures: frozenset[Nature]
    ) -> dict[str, tuple[float, str]]:
        presents: dict[str, bool] = {}  # chart word -> matched exactly (not by prefix)
        for m in mots:
            for v in self._etendre(m):
                presents[v] = presents.get(v, False) or v == m
        par_compte: dict[str, dict[str, float]] = {}
        for v in presents:
            for ind in self._indices.get(v, ()):
                if self._comptes[ind.numero].nature not in natures:
                    continue
                if not all(m in presents for m in ind.mots):
                    continue
                poids = ind.poids * (1.0 if all(presents[m] for m in ind.mots) else 0.8)
                raisons = par_compte.setdefault(ind.numero, {})
                # One piece of evidence per word, the strongest (a keyword beats the label).
                raisons[ind.raison] = max(raisons.get(ind.raison, 0.0), poids)
        result = {}
        for numero, raisons in par_compte.items():
            ordre = sorted(((poids, raison) for raison, poids in raisons.items()), reverse=True)
            reste = 1.0
            for poids, _ in ordre:
                reste *= 1 - poids
            score = _PLAFOND_MOTS_CLES * (1 - reste)
            result[numero] = (score, ordre[0][1])
        return result

    def _par_historique(
        self, mots: tuple[str, ...], natures: frozenset[Nature]
    ) -> dict[str, tuple[float, str]]:
        q = frozenset(mots)
        nq = len(q)
        partages: Counter[tuple[str, ...]] = Counter()  # past libellé -> words shared
        for m in q:
            postings = self._par_mot.get(m)
            if postings:
                partages.update(postings)
        candidats: Iterable[tuple[tuple[str, ...], int]] = partages.items()
        if len(partages) > _CANDIDATS_MAX:
            # A huge history of look-alike labels: keep those sharing the most words.
            seuil, gardes = nq, 0
            effectifs = Counter(partages.values())
            while seuil > 1 and gardes + effectifs[seuil] < _CANDIDATS_MAX:
                gardes += effectifs[seuil]
                seuil -= 1
            candidats = [(k, c) for k, c in candidats if c > seuil or (c == seuil and not gardes)]
        comptes = self._comptes
        # account -> [best similarity, its count, its example, sum of count*similarity, count]
        par_compte: dict[str, list[Any]] = {}
        for cle, commun in candidats:
            p = len(cle)
            sim = (commun / (nq + p - commun) + commun / (nq if nq < p else p)) / 2
            if sim < _SIMILARITE_MIN:
                continue
            appris = self._appris[cle]
            for numero, n in appris.comptes.items():
                if comptes[numero].nature not in natures:
                    continue
                acc = par_compte.get(numero)
                if acc is None:
                    par_compte[numero] = [sim, n, appris.exemple, n * sim, n]
                    continue
                if (sim, n) > (acc[0], acc[1]):
                    acc[0], acc[1], acc[2] = sim, n, appris.exemple
                acc[3] += n * sim
                acc[4] += n
        result = {}
        for numero, (best, _, exemple, pondere, total) in par_compte.items():
            ecritures = "écriture passée" if total == 1 else "écritures passées"
            raison = f"comme {total} {ecritures}, ex. « {exemple} »"
            result[numero] = (best * _confiance_apprise(pondere / best), raison)
        return result

    def suggerer(
        self,
        libelle: str,
        sens: Sens | None = None,
        *,
        limite: int = 5,
        montant: Decimal | None = None,
    ) -> list[Suggestion]:
        """Accounts for this libellé, best first (at most `limite`); [] when nothing matches.

        `sens` restricts to charges (dépense), produits (recette) or treasury (virement).
        `montant` (positive) lets what was learned weigh the amount too.
        """
        cle = (normaliser_libelle(libelle), sens, limite)
        base = self._cache.get(cle)
        if base is None:
            base = self._suggerer(cle[0], sens, limite)
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[cle] = base
        memoire = self.memoire
        if not memoire or sens not in (Sens.DEPENSE, Sens.RECETTE):
            return base
        centimes = int(abs(montant).scaleb(2)) if montant is not None else 0
        propositions = memoire.proposer(libelle, centimes, sens is Sens.RECETTE, limite)
        if not propositions:
            return base
        mots_cles = {s.compte.numero: s for s in base}
        result: list[Suggestion] = []
        pris: set[str] = set()
        for p in propositions:
            compte = self.plan.trouver(p.compte)
            if compte is None or compte.numero in pris:
                continue
            pris.add(compte.numero)
            score, raison = p.confiance, p.raison
            kw = mots_cles.get(compte.numero)
            if kw is not None and not p.virement:
                # The chart agrees: a little more sure, never enough alone.
                score = round(score + (1 - score) * 0.25 * kw.score, 3)
                raison = f"{raison} ; {kw.raison}"
            result.append(
                Suggestion(
                    compte, score, raison, p.parts, p.total, p.virement is not None, p.automatique
                )
            )
        for s in base:
            if s.compte.numero not in pris:
                # What only the chart says counts for less than what the ledger learned.
                result.append(replace(s, score=round(s.score * 0.6, 3)))
        result.sort(key=lambda s: s.score, reverse=True)
        return result[:limite]

    def _suggerer(self, mots: tuple[str, ...], sens: Sens | None, limite: int) -> list[Suggestion]:
        if not mots:
            return []
        natures = _natures(sens)
        appris = self._par_historique(mots, natures) if self.memoire is None else {}
        cles = self._par_mots_cles(mots, natures)
        scored: list[tuple[float, int, Suggestion]] = []
        for numero in appris.keys() | cles.keys():
            parts = [p for p in (appris.get(numero), cles.get(numero)) if p]
            reste = 1.0
            for score, _ in parts:
                reste *= 1 - score
            score = round(1 - reste, 3)
            raison = " ; ".join(r for _, r in parts)
            suggestion = Suggestion(
                self._comptes[numero], score, raison, automatique=numero in appris
            )
            scored.append((score, -self._rangs[numero], suggestion))
        scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
        return [s[2] for s in scored[:limite]]


def suggerer(
    plan: PlanComptable,
    libelle: str,
    historique: Iterable[tuple[str, str, int]] = (),
    *,
    sens: Sens | None = None,
    limite: int = 5,
) -> list[Suggestion]:
    """Accounts for one libellé, ranked from the chart's keywords and past écritures.

    For many libellés, build one `Suggesteur` and call its `suggerer` instead.
    """
    return Suggesteur(plan, historique).suggerer(libelle, sens, limite=limite)
