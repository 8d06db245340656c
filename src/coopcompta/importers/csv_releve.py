"""CSV bank statements: declarative profiles, header and column detection, streamed parsing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from coopcompta.domain.errors import CoopComptaError, ImportInvalide, MontantInvalide
from coopcompta.domain.model import ReleveLigne
from coopcompta.domain.money import formater_euros, formater_point, lire_montant
from coopcompta.importers.motif import MotifInvalide, compiler_motif
from coopcompta.importers.texte import (
    FORMATS_DATE,
    cheque_du_libelle,
    date_illisible,
    deviner_ordre,
    est_date,
    expliquer_erreur_csv,
    joindre_libelles,
    lecteur_date,
    lire_montant_releve,
    nettoyer_libelle,
    normaliser,
)

Colonne = str | int  # a header name, or a 1-based position in a file without header


@dataclass(frozen=True)
class ProfilCsv:
    """How one bank (or one user's YAML profile) lays out its CSV export.

    Column names are compared without case, accents, punctuation or filler words
    (`Débit Euros` = `debit`); in a file without header (`sans_entete`), columns are
    1-based positions. `entete` lists other column names the header must hold for the
    bank to be recognised, `preambule` a pattern a line before the header must match
    (or, without header, a line of the file). `ignorer` holds patterns: a row whose
    libellé matches one is not a transaction; `fin` a pattern: the row matching it and
    all after it are not read (a card section after the account's lines). `frais`,
    `net`, `payeur`, `collecte` land in `ReleveLigne.extra`; a row whose `statut` says
    refunded, failed, pending or cancelled is skipped with a note.
    """

    nom: str
    date: Colonne | None = None
    libelle: tuple[Colonne, ...] = ()
    montant: Colonne | None = None
    debit: Colonne | None = None
    credit: Colonne | None = None
    cheque: Colonne | None = None
    frais: Colonne | None = None
    net: Colonne | None = None
    payeur: Colonne | None = None
    collecte: Colonne | None = None
    statut: Colonne | None = None
    pourboire: Colonne | None = None  # a tip the payer added (AssoConnect): not income
    type: Colonne | None = None  # payment or refund (AssoConnect)
    encodage: str | None = None
    separateur: str | None = None
    format_date: str | None = None
    entete: tuple[str, ...] = ()
    preambule: str | None = None
    ignorer: tuple[str, ...] = ()
    fin: str | None = None
    sans_entete: bool = False
    inverser: bool = False  # amounts written from the other side (a payout list)
    format: str = "csv"
    # A raw line matching it is an opening or closing balance, not a transaction (LCL's
    # `date;solde;;n° de compte`, shorter than the transaction lines).
    solde: str | None = None
    # Transaction lines may stop before the last columns (missing cells are empty).
    largeur_variable: bool = False

    def colonnes(self) -> list[tuple[str, Colonne]]:
        """(role, column) for each declared column, in a stable order."""
        roles: list[tuple[str, Colonne | None]] = [("date", self.date)]
        roles += [("libelle", c) for c in self.libelle]
        roles += [(r, getattr(self, r)) for r in ROLES_SIMPLES]
        return [(r, c) for r, c in roles if c is not None]


ROLES_SIMPLES = (
    "montant",
    "debit",
    "credit",
    "cheque",
    "frais",
    "net",
    "payeur",
    "collecte",
    "statut",
    "pourboire",
    "type",
)
SPECIAUX = ("frais", "net", "payeur", "collecte", "pourboire", "type")


@dataclass(frozen=True)
class Disposition:
    """What detection found: everything the streaming parser needs, as indexes."""

    encodage: str
    separateur: str
    ligne_entete: int  # physical line where the header (or preamble) ends, 0 if none
    ncols: int
    date: int
    libelles: tuple[int, ...]
    montant: int | None
    debit: int | None
    credit: int | None
    cheque: int | None
    statut: int | None
    speciaux: tuple[tuple[str, int], ...]
    ordre_date: str
    extras: tuple[tuple[int, str], ...]
    ignorer: Callable[[str], bool] | None  # patterns run by RE2 (importers.motif)
    fin: Callable[[str], bool] | None
    inverser: bool
    entete: tuple[str, ...]
    format: str = "csv"
    banque: str | None = None
    avertissements: tuple[str, ...] = field(default=())
    profil: ProfilCsv | None = None  # the resolved profile, to save for next time
    solde: Callable[[str], bool] | None = None
    largeur_variable: bool = False


# Rows that are balances, totals or trailers, never transactions (checked on every label).
_NON_OPERATION = re.compile(
    r"^\W*(?:(?:ancien|nouveau)\s+solde|solde\s+(?:au|cr[ée]diteur|d[ée]biteur|initial|final|"
    r"de\s+d[ée]but|de\s+fin|en\s+(?:date|fin|d[ée]but)|disponible|comptable|pr[ée]vu)|solde\s*$|"
    r"totaux\b|sous[- ]total|total\s+(?:des\s+op[ée]rations|d[ée]bit|cr[ée]dit|g[ée]n[ée]ral|"
    r"des\s+mouvements))",
    re.I,
)
# Broader, for a row whose date cell does not read as a date.
_NON_OPERATION_LARGE = re.compile(
    r"^\W*(?:(?:ancien|nouveau)\s+)?solde\b|^\W*(?:sous[- ])?tota(?:l|ux)\b", re.I
)
# Statuses of a payment that did not (or no longer) bring money.
_STATUT_IGNORE = re.compile(
    r"rembours|[ée]chou|refus|annul|attente|en cours|abandon|expir|[ée]chec|fail|refund"
    r"|pending|cancel",
    re.I,
)
# Statuses of a payment that did, once accents and case are set aside; any other
# (« Contesté », « Litige »…) is refused rather than read as money received.
_STATUT_PAYE = re.compile(
    r"(?:paye|valide|reussi|succes|encaisse|effectue|termine|verse|confirme|accepte|regle)"
    r"e?s?|paid|succeeded|success(?:ful)?|completed?|ok",
)
_STATUT_MOTS = {"paiement", "transaction", "versement", "virement", "statut"}


def statut_paye(statut: str) -> bool:
    """An empty status, or one saying the money came (« Payé », « Paiement validé »)."""
    mots = normaliser(statut).split()
    paye = [m for m in mots if _STATUT_PAYE.fullmatch(m)]
    return not mots or bool(paye) and all(m in _STATUT_MOTS or m in paye for m in mots)


# Noise words dropped from column names before matching.
_BRUIT = {"eur", "euro", "euros", "en", "de", "d", "l", "la", "le", "du", "des", "e", "s"}


def cle(nom: str) -> str:
    """Comparable form of a column name: `Montant (EUR)` -> `montant`, `Date de l'opération`
    -> `date operation`."""
    return " ".join(w for w in normaliser(nom).split() if w not in _BRUIT)


_LIBELLES = {
    "description",
    "intitule",
    "nature operation",
    "operation",
    "operations",
    "objet",
    "label",
    "memo",
    "motif",
    "designation",
    "informations complementaires",
    "information complementaire",
}


def role_generique(nom: str) -> str | None:
    """The role a column name plays in any bank's export, from synonyms."""
    k = cle(nom)
    if not k:
        return None
    if k == "date" or k.startswith("date ") or k.endswith(" date"):
        return "date"
    if "francs" in k or "frf" in k.split():
        return None
    if k.startswith("debit") or k in {"montant debit", "sortie", "sorties", "depenses"}:
        return "debit"
    if k.startswith("credit") or k in {"montant credit", "entree", "entrees", "recettes"}:
        return "credit"
    if k.startswith("montant") or k in {"somme", "amount"}:
        return "montant"
    if k in {"n cheque", "no cheque", "num cheque", "numero cheque", "cheque"}:
        return "cheque"
    if k.startswith("libelle") or k.startswith("detail") or k in _LIBELLES:
        return "libelle"
    return None


def _est_operation_date(nom: str) -> bool:
    return any(w.startswith("op") for w in cle(nom).split()[1:])


# --- detection -------------------------------------------------------------------------------


def lignes_tete(texte: str, sep: str) -> list[tuple[int, list[str]]]:
    """(end line, cells) of the complete records in a decoded head."""
    lignes = []
    reader = csv.reader(io.StringIO(texte, newline=""), delimiter=sep)
    try:
        for row in reader:
            lignes.append((reader.line_num, row))
    except csv.Error:
        pass
    return lignes


def sniffer_separateur(texte: str) -> str:
    """`;`, TAB or `,`: preferably one under which a header row reads, then the one that
    splits most lines into the same number (> 1) of fields, weighted by that number."""
    meilleur, score_max = ";", (False, -1)
    for sep in (";", "\t", ","):
        lignes = lignes_tete(texte, sep)[:80]
        comptes: dict[int, int] = {}
        for _, row in lignes:
            if len(row) > 1:
                comptes[len(row)] = comptes.get(len(row), 0) + 1
        if not comptes:
            continue
        mode = max(comptes, key=lambda n: (comptes[n] * (n - 1), n))
        score = (trouver_entete(lignes) is not None, comptes[mode] * (mode - 1))
        if score > score_max:
            meilleur, score_max = sep, score
    return meilleur


def trouver_entete(lignes: list[tuple[int, list[str]]]) -> int | None:
    """Index in `lignes` of the first row that reads as a header (a date and an amount)."""
    for i, (_, row) in enumerate(lignes[:80]):
        roles = {role_generique(c) for c in row if not est_date(c)}
        if "date" in roles and roles & {"montant", "debit", "credit"}:
            return i
    return None


def _index(entete: Sequence[str], nom: Colonne) -> int | None:
    if isinstance(nom, int):
        return nom - 1 if nom > 0 else None
    k = cle(nom)
    for i, c in enumerate(entete):
        if cle(c) == k:
            return i
    return None


def _motifs(
    motifs: Sequence[str], multiligne: bool = False, ou: str | None = None
) -> Callable[[str], bool] | None:
    """One case-blind test for any of a profile's patterns, in linear time (RE2)."""
    if not motifs:
        return None
    try:
        return compiler_motif("|".join(f"(?:{m})" for m in motifs), multiligne=multiligne)
    except MotifInvalide as exc:
        # Each pattern was checked when the profile was loaded: together they can still be
        # too big for RE2 (3 000 of them printed a 60 000-character message, no file).
        quoi = f"{len(motifs)} motifs" if len(motifs) > 1 else "motif"
        texte = _court(" | ".join(motifs), 80)
        raise ImportInvalide(f"{quoi} « {texte} » : {exc}", ou) from None


_FORMAT_DE_ORDRE = {
    "jma": "jj/mm/aaaa",
    "amj": "aaaa-mm-jj",
    "amj8": "aaaammjj",
    "mja": "mm/jj/aaaa",
}


def disposition_profil(
    profil: ProfilCsv,
    entete: Sequence[str],
    ligne_entete: int,
    enc: str,
    sep: str,
    echantillon: list[list[str]],
    origine: str,
    nom_fichier: str,
) -> Disposition:
    """Resolve a profile's column names against a header; ImportInvalide if one is absent."""
    idx: dict[str, list[int]] = {}
    for role, nom in profil.colonnes():
        i = _index(entete, nom)
        if i is None:
            raise ImportInvalide(
                f"ce fichier ne correspond pas au profil « {origine} » (colonne « {nom} » absente)",
                nom_fichier,
            )
        if role in ("montant", "debit", "credit") and isinstance(nom, str):
            # Two amount columns of one name: the second was ignored without a word.
            autres = [j + 1 for j, c in enumerate(entete) if j != i and cle(c) == cle(nom)]
            if autres:
                raise ImportInvalide(
                    f"deux colonnes « {nom} » ({i + 1} et {autres[0]}) : laquelle lire ? "
                    "renommez l'autre dans l'en-tête du fichier",
                    f"{nom_fichier}:{ligne_entete}",
                )
        idx.setdefault(role, []).append(i)
    if "date" not in idx or not ({"montant", "debit", "credit"} & idx.keys()):
        raise ImportInvalide(f"le profil « {origine} » doit nommer la date et le montant")
    i_date = idx["date"][0]
    ordre = FORMATS_DATE.get(profil.format_date or "") or deviner_ordre(
        [r[i_date] for r in echantillon if len(r) > i_date and est_date(r[i_date])]
    )
    # A French statement is day first; month first is said, since one mistyped day
    # (01/13/2025) is enough to tip the guess and move every date.
    avertissements = (
        (
            "dates lues mois/jour (format américain) : si c'est faux, indiquez "
            "format_date: jj/mm/aaaa dans un profil (--profil)",
        )
        if ordre == "mja" and not profil.format_date
        else ()
    )
    utilises = {i for v in idx.values() for i in v}
    extras = tuple(
        (i, nom.strip()) for i, nom in enumerate(entete) if i not in utilises and nom.strip()
    )
    un = {r: v[0] for r, v in idx.items()}
    return Disposition(
        encodage=enc,
        separateur=sep,
        ligne_entete=ligne_entete,
        ncols=max(len(entete), max(utilises) + 1),
        date=i_date,
        libelles=tuple(idx.get("libelle", ())),
        montant=un.get("montant"),
        debit=un.get("debit"),
        credit=un.get("credit"),
        cheque=un.get("cheque"),
        statut=un.get("statut"),
        speciaux=tuple((r, un[r]) for r in SPECIAUX if r in un),
        ordre_date=ordre or "jma",
        extras=extras,
        ignorer=_motifs(profil.ignorer, ou=f"{origine}: ignorer"),
        fin=_motifs([profil.fin] if profil.fin else [], ou=f"{origine}: fin"),
        inverser=profil.inverser,
        solde=_motifs([profil.solde], ou=f"{origine}: solde") if profil.solde else None,
        largeur_variable=profil.largeur_variable,
        entete=tuple(cle(c) for c in entete),
        format=profil.format,
        banque=profil.nom or None,
        avertissements=avertissements,
        profil=replace(
            profil,
            encodage=profil.encodage or enc,
            separateur=sep,
            format_date=profil.format_date or _FORMAT_DE_ORDRE[ordre or "jma"],
        ),
    )


def profil_generique(entete: Sequence[str]) -> tuple[ProfilCsv, list[str]]:
    """A profile built from column-name synonyms, and what had to be guessed."""
    roles: dict[str, list[str]] = {}
    for c in entete:
        r = role_generique(c)
        if r:
            roles.setdefault(r, []).append(c)
    dates = roles.get("date", [])
    date = next((c for c in dates if _est_operation_date(c)), dates[0] if dates else None)
    libelles = roles.get("libelle", [])
    notes = []
    if not libelles:
        autres = [c for c in entete if c.strip() and not role_generique(c)]
        if autres:
            libelles = autres[:1]
            notes.append(f"colonne du libellé devinée : « {autres[0].strip()} »")

    def premier(r: str) -> str | None:
        return roles.get(r, [None])[0]

    debit, credit = premier("debit"), premier("credit")
    return (
        ProfilCsv(
            nom="",
            date=date,
            libelle=tuple(libelles),
            montant=None if debit or credit else premier("montant"),
            debit=debit,
            credit=credit,
            cheque=premier("cheque"),
        ),
        notes,
    )


def _est_montant(texte: str) -> bool:
    try:
        lire_montant(texte)
    except CoopComptaError:
        return False
    return True


def deviner_colonnes(rows: list[list[str]], nom_fichier: str) -> tuple[ProfilCsv, str]:
    """Columns of a file without header, from its first rows; the guess, said in French."""
    n = max((len(r) for r in rows), default=0)
    colonnes = [[r[i].strip() for r in rows if len(r) > i and r[i].strip()] for i in range(n)]
    dates = [i for i, v in enumerate(colonnes) if v and all(est_date(x) for x in v)]
    montants = [
        i
        for i, v in enumerate(colonnes)
        if v
        and i not in dates
        and all(_est_montant(x) for x in v)
        and any("," in x or "." in x for x in v)
    ]
    textes = [i for i, v in enumerate(colonnes) if v and i not in dates and i not in montants]
    if not dates or not montants or not textes:
        raise ImportInvalide(
            "format non reconnu : ni ligne d'en-tête ni colonnes date, libellé, montant "
            "(indiquez un profil avec --profil)",
            nom_fichier,
        )
    libelle = max(textes, key=lambda i: sum(len(x) for x in colonnes[i]) / len(colonnes[i]))
    debit = credit = montant = None
    if len(montants) >= 2:
        a, b = montants[:2]
        jamais_ensemble = all(not (len(r) > b and r[a].strip() and r[b].strip()) for r in rows)
        if jamais_ensemble:
            debit, credit = a + 1, b + 1
    if debit is None:
        montant = montants[0] + 1
    dit = [f"date = colonne {dates[0] + 1}", f"libellé = colonne {libelle + 1}"]
    if montant:
        dit.append(f"montant = colonne {montant}")
    else:
        dit.append(f"débit = colonne {debit}, crédit = colonne {credit}")
    profil = ProfilCsv(
        nom="",
        date=dates[0] + 1,
        libelle=(libelle + 1,),
        montant=montant,
        debit=debit,
        credit=credit,
        sans_entete=True,
    )
    return profil, "pas de ligne d'en-tête : colonnes devinées (" + ", ".join(dit) + ")"


def _debut_donnees(lignes: list[tuple[int, list[str]]], i_date: int) -> int:
    """Line where the preamble of a file without header ends (0 if none)."""
    for k, (_, row) in enumerate(lignes):
        if len(row) > i_date and est_date(row[i_date]):
            return lignes[k - 1][0] if k else 0
    return 0


def _sans_entete(
    profil: ProfilCsv,
    lignes: list[tuple[int, list[str]]],
    enc: str,
    sep: str,
    origine: str,
    nom_fichier: str,
) -> Disposition:
    rows = [r for _, r in lignes]
    i_date = int(profil.date or 1) - 1
    debut = _debut_donnees(lignes, i_date)
    donnees = [r for fin, r in lignes if fin > debut][:50]
    return disposition_profil(profil, (), debut, enc, sep, donnees or rows, origine, nom_fichier)


def detecter(
    nom_fichier: str,
    texte: str,
    enc: str,
    profils: Sequence[ProfilCsv],
    profil_impose: tuple[ProfilCsv, str] | None = None,
) -> Disposition:
    """Find delimiter, header and columns of a CSV statement from its decoded head."""
    impose, origine = profil_impose if profil_impose else (None, "")
    sep = (impose.separateur if impose else None) or sniffer_separateur(texte)
    lignes = lignes_tete(texte, sep)
    if not any("".join(r).strip() for _, r in lignes):
        raise ImportInvalide("fichier vide", nom_fichier)
    if impose is not None and impose.sans_entete:
        return _sans_entete(impose, lignes, enc, sep, origine, nom_fichier)
    i = trouver_entete(lignes)
    if impose is not None:
        j = next((k for k, (_, r) in enumerate(lignes[:80]) if _contient(r, impose)), None)
        if j is None:
            manque = _colonne_absente(lignes[i][1] if i is not None else [], impose)
            message = (
                f"ce fichier ne correspond pas au profil « {origine} » "
                f"(colonne « {manque} » absente)"
            )
            autre = _banque(lignes, i, sep, texte, profils)
            if autre is not None:
                message += f" ; il ressemble à un relevé {autre.nom}"
            raise ImportInvalide(message, nom_fichier)
        ligne, entete = lignes[j]
        rows = [r for _, r in lignes[j + 1 :]][:50]
        return disposition_profil(impose, entete, ligne, enc, sep, rows, origine, nom_fichier)
    banque = _banque(lignes, i, sep, texte, profils)
    if banque is None and i is not None:
        from coopcompta.importers.assoconnect import profil_assoconnect

        banque = profil_assoconnect(lignes[i][1])
    if i is None:
        if banque is not None:
            return _sans_entete(banque, lignes, enc, sep, banque.nom, nom_fichier)
        rows = _corps([r for _, r in lignes if len(r) > 1])
        profil, note = deviner_colonnes(rows, nom_fichier)
        d = _sans_entete(profil, lignes, enc, sep, "", nom_fichier)
        return replace(d, avertissements=(note, *d.avertissements))
    ligne, entete = lignes[i]
    rows = [r for _, r in lignes[i + 1 :]][:50]
    if banque is not None:
        return disposition_profil(banque, entete, ligne, enc, sep, rows, banque.nom, nom_fichier)
    profil, notes = profil_generique(entete)
    d = disposition_profil(profil, entete, ligne, enc, sep, rows, "", nom_fichier)
    trouve = [f"date = « {entete[d.date].strip()} »"]
    trouve += [f"libellé = « {entete[k].strip()} »" for k in d.libelles]
    for nom_role, k in (("montant", d.montant), ("débit", d.debit), ("crédit", d.credit)):
        if k is not None:
            trouve.append(f"{nom_role} = « {entete[k].strip()} »")
    notes.insert(
        0, "banque non reconnue : colonnes lues d'après l'en-tête (" + ", ".join(trouve) + ")"
    )
    return replace(d, avertissements=(*notes, *d.avertissements))


def _corps(rows: list[list[str]]) -> list[list[str]]:
    """The rows of the most common width: the data, without preamble or trailer."""
    largeurs: dict[int, int] = {}
    for r in rows:
        largeurs[len(r)] = largeurs.get(len(r), 0) + 1
    if not largeurs:
        return []
    n = max(largeurs, key=lambda k: (largeurs[k], k))
    return [r for r in rows if len(r) == n][:50]


def _noms(profil: ProfilCsv) -> list[str]:
    return [n for _, n in profil.colonnes() if isinstance(n, str)] + list(profil.entete)


def _contient(row: Sequence[str], profil: ProfilCsv) -> bool:
    cles = {cle(c) for c in row}
    noms = _noms(profil)
    return bool(noms) and all(cle(n) in cles for n in noms)


def _colonne_absente(row: Sequence[str], profil: ProfilCsv) -> str:
    cles = {cle(c) for c in row}
    noms = _noms(profil)
    return next((n for n in noms if cle(n) not in cles), noms[0] if noms else "?")


def _cherche(motif: str, texte: str) -> bool:
    test = _motifs([motif], multiligne=True)
    return test is not None and test(texte)


def _banque(
    lignes: list[tuple[int, list[str]]],
    i: int | None,
    sep: str,
    texte: str,
    profils: Sequence[ProfilCsv],
) -> ProfilCsv | None:
    """The known layout this file has (header, preamble), most specific first."""
    candidats = []
    for p in profils:
        if p.separateur and p.separateur != sep:
            continue
        if p.sans_entete:
            if i is None and p.preambule and _cherche(p.preambule, texte):
                candidats.append(p)
            continue
        if i is None or not _contient(lignes[i][1], p):
            continue
        if p.preambule:
            preambule = "\n".join(sep.join(r) for _, r in lignes[:i])
            if not _cherche(p.preambule, preambule):
                continue
        candidats.append(p)
    if not candidats:
        return None
    return max(candidats, key=lambda p: len(_noms(p)) + bool(p.preambule))


# --- parsing ---------------------------------------------------------------------------------


# A date or an amount inside a single cell: a transaction whose separator is not the
# file's (`02/10/2025 ACHAT B -11,00`, `02/10/2025,ACHAT,-11,00` in a `;` file).
_DATE_DANS = re.compile(r"\b\d{1,4}[/.\-]\d{1,2}[/.\-]\d{2,4}\b")
_MONTANT_DANS = re.compile(r"(?<![\d/])[-+]?\d[\d \u00a0\u202f.]*[,.]\d\d(?![\d/])")


def _une_operation_en_une_cellule(cellule: str) -> bool:
    return bool(_DATE_DANS.search(cellule) and _MONTANT_DANS.search(cellule))


Ignoree = tuple[int, int, str]  # first line, last line, why it is not a transaction


def ignorer_lignes(ignorees: list[Ignoree], debut: int, fin: int, raison: str) -> None:
    """Record lines `debut`..`fin` as not read, as transactions, for `raison`; consecutive
    lines skipped for the same reason make one range."""
    if ignorees and ignorees[-1][2] == raison and ignorees[-1][1] + 1 >= debut:
        ignorees[-1] = (ignorees[-1][0], fin, raison)
    else:
        ignorees.append((debut, fin, raison))


def lire_lignes(
    path: Path,
    d: Disposition,
    notes: list[str],
    texte: str | None = None,
    ignorees: list[Ignoree] | None = None,
) -> Iterator[ReleveLigne]:
    """Stream the transactions of a CSV statement, in file order; skipped payments go to
    `notes`, the rows that are not transactions (preamble, blank lines, titles, balances,
    totals) to `ignorees`, so that none disappears unseen. A row that looks like a
    transaction but does not read as one (a single cell holding a date and an amount,
    both a debit and a credit) is an ImportInvalide naming the line.
    `texte`: the file's content already as CSV text (a workbook's sheet)."""
    nom = path.name
    if ignorees is None:
        ignorees = []

    def ignorer_ligne(debut: int, fin: int, raison: str) -> None:
        ignorer_lignes(ignorees, debut, fin, raison)

    date_de = lecteur_date(d.ordre_date)
    parse = lire_montant
    ignorer = d.ignorer
    fin_re = d.fin
    non_operation = _NON_OPERATION.search
    non_operation_large = _NON_OPERATION_LARGE.search
    i_date, libs, i_m, i_deb, i_cred, i_chq, i_statut = (
        d.date,
        d.libelles,
        d.montant,
        d.debit,
        d.credit,
        d.cheque,
        d.statut,
    )
    un_libelle = libs[0] if len(libs) == 1 else None
    colonnes = [i_date, *libs, *(i for i in (i_m, i_deb, i_cred) if i is not None)]
    besoin = max(colonnes) + 1
    solde_re = d.solde
    variable = d.largeur_variable
    minimum = max(i for i in (i_date, i_m, i_deb, i_cred) if i is not None)
    extras = d.extras
    speciaux = d.speciaux
    inverser = d.inverser
    ligne_entete, ncols = d.ligne_entete, d.ncols
    # cells beyond the header: data lost unless empty (no header: no width to hold to)
    largeur = len(d.entete) if d.entete else sys.maxsize

    dates: dict[str, dt.date] = {}  # statements repeat the same few hundred dates
    libelles: dict[str, tuple[bool, str | None]] = {}  # label -> (not a transaction, cheque)
    cherche_cheque = _CH.search
    fin = 0
    source = io.StringIO(texte, newline="") if texte is not None else None
    with source or open(path, encoding=d.encodage, newline="") as f:
        # Two views of the same lines (C-level tee): csv parses one, the raw text comes
        # from the other, as many lines as the record took.
        lignes, brutes = itertools.tee(f)
        prochaine = brutes.__next__
        reader = csv.reader(lignes, delimiter=d.separateur)
        try:
            for row in reader:
                debut, fin = fin + 1, reader.line_num
                if fin == debut:
                    brut = prochaine().rstrip("\r\n")
                else:  # a multi-line record: one line ending style
                    brut = "".join([prochaine() for _ in range(fin - debut + 1)])
                    brut = brut.replace("\r\n", "\n").rstrip("\n")
                if fin <= ligne_entete:
                    if fin < ligne_entete or not d.entete:  # the header itself goes unsaid
                        ignorer_ligne(debut, fin, "avant l'en-tête" if d.entete else "préambule")
                    continue
                if fin_re and fin_re(brut):
                    ignorer_ligne(debut, debut, "fin des opérations du compte, suite non lue")
                    return
                n = len(row)
                if n < besoin and solde_re is not None and solde_re(brut):
                    ignorer_ligne(debut, fin, "solde")  # an opening or closing balance
                    continue
                if n < besoin and variable and n > minimum:
                    row += [""] * (besoin - n)
                    n = besoin
                if n < besoin:
                    if brut.count('"') % 2:
                        raise ImportInvalide("guillemet non fermé", f"{nom}:{debut}")
                    pleines = [c for c in row if c.strip()]
                    if not pleines:
                        ignorer_ligne(debut, fin, "ligne vide")
                        continue
                    if non_operation_large(brut):
                        ignorer_ligne(debut, fin, "solde ou total")
                        continue
                    if len(pleines) == 1:
                        if _une_operation_en_une_cellule(pleines[0]):
                            sep = "tabulation" if d.separateur == "\t" else d.separateur
                            raise ImportInvalide(
                                f"opération en une seule colonne « {_court(pleines[0])} » "
                                f"(séparateur « {sep} » attendu entre la date, le libellé "
                                "et le montant)",
                                f"{nom}:{debut}",
                            )
                        ignorer_ligne(debut, fin, "titre ou note")
                        continue
                    raise ImportInvalide(
                        f"ligne tronquée ({n} colonne{'s' if n > 1 else ''} au lieu de {ncols})",
                        f"{nom}:{debut}",
                    )
                if un_libelle is not None:
                    libelle = row[un_libelle]
                    if (
                        "\n" in libelle
                        or "  " in libelle
                        or libelle[:1] == " "
                        or libelle[-1:] == " "
                        or not libelle.isprintable()  # a control character (a tab…)
                    ):
                        libelle = nettoyer_libelle(libelle)
                else:
                    libelle = joindre_libelles([row[k] for k in libs])
                texte_date = row[i_date]
                date = dates.get(texte_date)
                if date is None:
                    try:
                        date = dates[texte_date] = date_de(texte_date)
                    except ValueError:
                        raison = _pas_une_operation(row, brut, texte_date, libelle, d)
                        if raison:
                            ignorer_ligne(debut, fin, raison)
                            continue
                        if not texte_date.strip():
                            raise ImportInvalide("date absente", f"{nom}:{debut}") from None
                        raise date_illisible(texte_date, f"{nom}:{debut}") from None
                if n > largeur and any(c.strip() for c in row[largeur:]):
                    # A separator inside a label shifts the cells: « ACHAT 5;00;-7,00 »
                    # read 00 as the amount and dropped -7,00 without a word.
                    en_trop = next(c for c in row[largeur:] if c.strip())
                    sep = "tabulation" if d.separateur == "\t" else f"« {d.separateur} »"
                    raise ImportInvalide(
                        f"{n} colonnes au lieu de {largeur} (« {_court(en_trop)} » en trop) : "
                        f"un {sep} dans le libellé ? mettez-le entre guillemets",
                        f"{nom}:{debut}",
                    )
                vu = libelles.get(libelle)
                if vu is None:
                    if len(libelles) >= _LIBELLES_MAX:
                        libelles.clear()
                    vu = libelles[libelle] = (
                        bool(non_operation(libelle) or (ignorer and ignorer(libelle))),
                        cheque_du_libelle(libelle) if cherche_cheque(libelle) else None,
                    )
                if vu[0]:
                    ignorer_ligne(
                        debut,
                        fin,
                        "solde ou total" if non_operation(libelle) else "motif « ignorer »",
                    )
                    continue
                try:
                    if i_m is not None:
                        montant = parse(row[i_m])
                    else:
                        deb = row[i_deb].strip() if i_deb is not None else ""
                        cred = row[i_cred].strip() if i_cred is not None else ""
                        if cred:
                            montant = parse(cred)
                            if deb:
                                debit = parse(deb)
                                if debit and montant:
                                    raise ImportInvalide(
                                        f"débit « {deb} » et crédit « {cred} » remplis tous "
                                        "les deux sur la même ligne : laquelle est la bonne ?",
                                        f"{nom}:{debut}",
                                    )
                                montant -= abs(debit)
                        elif not deb:
                            raise ImportInvalide(
                                "montant absent (débit et crédit vides)", f"{nom}:{debut}"
                            )
                        else:  # a debit, signed or not (and never -0,00)
                            montant = parse(deb)
                            if montant >= 0:
                                montant = -montant
                except MontantInvalide as exc:
                    raise ImportInvalide(exc.message, f"{nom}:{debut}") from exc
                if inverser:
                    montant = -montant
                extra: Mapping[str, str]
                if speciaux:
                    champs = {nom_x: v for k, nom_x in extras if k < n and (v := row[k].strip())}
                    ou = f"{nom}:{debut}"
                    for role, k in speciaux:
                        v = row[k].strip() if k < n else ""
                        if v and role in ("frais", "net", "pourboire"):
                            v = formater_point(abs(lire_montant_releve(v, ou)))
                        if v:
                            champs[role] = v
                    extra = champs
                if i_statut is not None and i_statut < n:
                    statut = row[i_statut].strip()
                    if _STATUT_IGNORE.search(statut):
                        euros = formater_euros(montant)
                        notes.append(
                            f"{nom}:{debut}: ligne « {statut} » ignorée ({libelle}, {euros})"
                        )
                        continue
                    if not statut_paye(statut):
                        raise ImportInvalide(
                            f"statut inconnu « {statut} » : attendu un paiement réussi (Payé, "
                            "Validé…) ou échoué, remboursé, annulé, en attente (ignorés)",
                            f"{nom}:{debut}",
                        )
                cheque = None
                if i_chq is not None and i_chq < n:
                    cheque = row[i_chq].strip() or None
                if cheque is None:
                    cheque = vu[1]
                elif not libelle:  # a cheque line without label (LCL)
                    libelle = f"CHEQUE {cheque}"
                if not speciaux:
                    extra = _Colonnes(row, extras) if extras else {}
                yield ReleveLigne(date, libelle, montant, debut, brut, cheque, extra)
        except csv.Error as exc:
            raise ImportInvalide(expliquer_erreur_csv(exc), f"{nom}:{fin + 1}") from exc


_CH = re.compile("ch", re.I)
_LIBELLES_MAX = 20_000  # labels remembered while reading: bounded, memory stays flat


class _Colonnes(Mapping[str, str]):
    """The other columns of a row (name -> non-blank value, `ReleveLigne.extra`), read
    when first asked for: most lines never are."""

    __slots__ = ("_row", "_noms", "_valeurs")

    def __init__(self, row: list[str], noms: Sequence[tuple[int, str]]) -> None:
        self._row = row
        self._noms = noms
        self._valeurs: dict[str, str] | None = None

    def _dict(self) -> dict[str, str]:
        if self._valeurs is None:
            row, n = self._row, len(self._row)
            self._valeurs = {nom: v for k, nom in self._noms if k < n and (v := row[k].strip())}
        return self._valeurs

    def __getitem__(self, cle: str) -> str:
        return self._dict()[cle]

    def __iter__(self) -> Iterator[str]:
        return iter(self._dict())

    def __len__(self) -> int:
        return len(self._dict())

    def __repr__(self) -> str:
        return repr(self._dict())


def _pas_une_operation(
    row: list[str], brut: str, texte_date: str, libelle: str, d: Disposition
) -> str | None:
    """Why a row whose date does not read is not a transaction (a balance, a repeated
    header, a note without amount), or None: then it is a bad line."""
    large = _NON_OPERATION_LARGE.search
    if large(brut) or large(texte_date) or large(libelle):
        return "solde ou total"
    if tuple(cle(c) for c in row) == d.entete:
        return "en-tête répété"
    if not _a_montant(row, d.montant, d.debit, d.credit):
        return "note sans date ni montant"
    return None


def _court(texte: str, n: int = 60) -> str:
    texte = " ".join(texte.split())
    return texte if len(texte) <= n else texte[: n - 1] + "…"


def _a_montant(row: list[str], *idx: int | None) -> bool:
    return any(i is not None and i < len(row) and row[i].strip() for i in idx)
