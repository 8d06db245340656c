"""Bank lines, pure: their fingerprint, the payment mode their label tells, cash deposits and
withdrawals, and which cheques typed by hand a deposit slip holds."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from coopcompta.domain.money import en_centimes


@dataclass(frozen=True)
class Cheque:
    """A cheque receipt typed by hand, not yet confirmed by a deposit line."""

    id: int
    date: dt.date
    piece: str | None
    libelle: str
    montant: Decimal


def empreinte(tresorerie: str, date: dt.date, centimes: int, cle: str, occurrence: int) -> str:
    """The fingerprint of a bank line: stable across exports, distinct for identical lines."""
    texte = f"{tresorerie}|{date.isoformat()}|{centimes}|{cle}|{occurrence}"
    return hashlib.blake2b(texte.encode(), digest_size=12).hexdigest()


_CHEQUES = frozenset({"CHQ", "CHQS", "CHEQUE", "CHEQUES"})

_ESPECES = frozenset({"ESPECES", "ESP"})

_DEPOT = frozenset({"VERSEMENT", "VERST", "DEPOT", "REMISE"})

_MODES_SIMPLES = (
    ("cheque", frozenset({"CHQ", "CHEQUE"})),
    ("carte", frozenset({"CB", "CARTE"})),
    ("prelevement", frozenset({"PRLV", "PRELEVEMENT", "PRELEV"})),
    ("virement", frozenset({"VIR", "VIREMENT", "VIRT", "VIRSEPA"})),
)


def _est_depot_especes(cle: str) -> bool:
    mots = set(cle.split())
    return not _ESPECES.isdisjoint(mots) and not _DEPOT.isdisjoint(mots)


def _est_retrait_especes(cle: str) -> bool:
    """`RETRAIT DAB 12/10 RENNES`, `RETRAIT ESPECES`: cash taken out of the bank."""
    if "RETRAIT" not in cle:
        return False
    mots = set(cle.replace("/", " ").split())
    return "RETRAIT" in mots and ("DAB" in mots or not _ESPECES.isdisjoint(mots))


# Unambiguous first words of a bank label (when it speaks of no cash nor deposit slip).
_PREMIER_MOT = {
    "CB": "carte",
    "PRLV": "prelevement",
    "VIR": "virement",
    "CHQ": "cheque",
    "CHEQUE": "cheque",
}


def deviner_mode(cle: str, cheque: str | None = None, format: str = "") -> str | None:
    """The payment mode a bank label shows (`cle` is `cle_libelle(label)`)."""
    if format.startswith("assoconnect"):
        return "assoconnect"
    if "ESP" not in cle and "REMISE" not in cle:
        if cheque:
            return "cheque"
        mode = _PREMIER_MOT.get(cle.split(" ", 1)[0])
        if mode is not None:
            return mode
    mots = set(cle.replace("/", " ").replace(".", " ").split())
    if "REMISE" in mots and not _CHEQUES.isdisjoint(mots):
        return "cheque"
    if not _ESPECES.isdisjoint(mots) and not _DEPOT.isdisjoint(mots):
        return "especes"
    if cheque:
        return "cheque"
    for mode, indices in _MODES_SIMPLES:
        if not indices.isdisjoint(mots):
            return mode
    return None


def trouver_remise(cheques: Sequence[Cheque], total: Decimal) -> tuple[Cheque, ...] | None:
    """Cheques (most recent first) whose amounts add up exactly to a deposit; the most
    recent ones are preferred. None when no combination fits."""
    cible = en_centimes(total)
    cumul = 0
    for k, c in enumerate(cheques):
        cumul += en_centimes(c.montant)
        if cumul == cible:
            return tuple(sorted(cheques[: k + 1], key=lambda ch: (ch.date, ch.id)))
        if cumul > cible:
            break
    # Subset sum over the 40 most recent, states bounded to stay instantaneous.
    candidats = list(cheques[:40])
    atteints: dict[int, tuple[int, int]] = {0: (-1, -1)}  # sum -> (previous sum, cheque index)
    for i, c in enumerate(candidats):
        m = en_centimes(c.montant)
        for s in list(atteints):
            t = s + m
            if t <= cible and t not in atteints:
                atteints[t] = (s, i)
                if t == cible:
                    choisis = []
                    while t:
                        t, j = atteints[t]
                        choisis.append(candidats[j])
                    return tuple(sorted(choisis, key=lambda ch: (ch.date, ch.id)))
        if len(atteints) > 200_000:
            break
    return None


def _similaires(a: str, b: str) -> bool:
    """Near-identical labels: at least half of their meaningful words in common."""
    from coopcompta.domain.suggestions import normaliser_libelle

    x, y = set(normaliser_libelle(a)), set(normaliser_libelle(b))
    return bool(x and y) and len(x & y) / len(x | y) >= 0.5
