"""CSV bank statements: declarative profiles, header and column detection, streamed parsing."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from ..errors import ImportInvalide
from ..model import ReleveLigne
from ..money import parse_montant
from .texte import (
    FORMATS_DATE,
    cheque_du_libelle,
    date_illisible,
    deviner_ordre,
    est_date,
    lecteur_date,
    lecteur_montant,
    nettoyer_libelle,
    normaliser,
)

Colonne = str | int  # a header name, or a 1-based position in a file without header


@dataclass(frozen=True)
class ProfilCsv:
    """How one bank (or one user's YAML profile) lays out its CSV export.

    Column names are compared without case, accents or punctuation; in a file without
    a header (`sans_entete`), columns are 1-based positions. `entete` lists other column
    names the header must hold for the bank to be recognised, `preambule` a pattern one
    line before the header must match. `ignorer` holds patterns: a row whose libellé
    matches one is not a transaction.
    """

    nom: str
    date: Colonne | None = None
    libelle: tuple[Colonne, ...] = ()
    montant: Colonne | None = None
    debit: Colonne | None = None
    credit: Colonne | None = None
    cheque: Colonne | None = None
    encodage: str | None = None
    separateur: str | None = None
    format_date: str | None = None
    entete: tuple[str, ...] = ()
    preambule: str | None = None
    ignorer: tuple[str, ...] = ()
    sans_entete: bool = False

    def colonnes(self) -> list[tuple[str, Colonne]]:
        """(role, column) for each declared column, in a stable order."""
        roles: list[tuple[str, Colonne | None]] = [("date", self.date)]
        roles += [("libelle", c) for c in self.libelle]
        roles += [
            ("montant", self.montant),
            ("debit", self.debit),
            ("credit", self.credit),
            ("cheque", self.cheque),
        ]
        return [(r, c) for r, c in roles if c is not None]


@dataclass(frozen=True)
class Disposition:
    """What detection found: everything the streaming parser needs, as indexes."""

    encodage: str
    separateur: str
    ligne_entete: int  # physical line where the header ends, 0 without header
    ncols: int
    date: int
    libelles: tuple[int, ...]
    montant: int | None
    debit: int | None
    credit: int | None
    cheque: int | None
    ordre_date: str
    extras: tuple[tuple[int, str], ...]
    ignorer: re.Pattern[str] | None
    banque: str | None = None
    avertissements: tuple[str, ...] = field(default=())
    profil: ProfilCsv | None = None  # the resolved profile, to save for next time


# Rows that are balances, totals or trailers, never transactions.
_NON_OPERATION = re.compile(
    r"^\W*(?:(?:ancien|nouveau)\s+solde|solde\s+(?:au|cr[ée]diteur|d[ée]biteur|initial|final|"
    r"de\s+d[ée]but|de\s+fin|en\s+date|disponible|comptable|pr[ée]vu)|solde\s*$|totaux?\b|"
    r"sous[- ]total|total\s+des\s+op[ée]rations)",
    re.I,
)

# Noise words dropped from column names before matching synonyms.
_BRUIT = {"eur", "euro", "euros", "en", "de", "d", "l", "la", "le", "du", "des", "e", "s"}


def cle(nom: str) -> str:
    """Comparable form of a column name: `Montant (EUR)` -> `montant`, `Date de l'opé.` ->
    `date ope`."""
    return " ".join(w for w in normaliser(nom).split() if w not in _BRUIT)


def role_generique(nom: str) -> str | None:
    """The role a column name plays in any bank's export, from synonyms."""
    k = cle(nom)
    if not k:
        return None
    if k == "date" or k.startswith("date ") or k.endswith(" date"):
        return "date"
    if "francs" in k or "frf" in k.split():
        return None
    if k.startswith("debit") or k in {"montant debit", "sortie", "sorties", "depense", "depenses"}:
        return "debit"
    if k.startswith("credit") or k in {"montant credit", "entree", "entrees", "recette"}:
        return "credit"
    if k.startswith("montant") or k in {"somme", "amount", "valeur operation"}:
        return "montant"
    if k in {"n cheque", "no cheque", "num cheque", "numero cheque", "cheque", "n cheques"}:
        return "cheque"
    if (
        k.startswith("libelle")
        or k.startswith("detail")
        or k
        in {
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
    ):
        return "libelle"
    return None


def _est_operation_date(nom: str) -> bool:
    k = cle(nom)
    return "ope" in k or "operation" in k


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
    """`;`, TAB or `,`: the one that splits most lines into the same number (> 1) of fields."""
    meilleur, score_max = ";", (-1, -1)
    for sep in (";", "\t", ","):
        comptes: dict[int, int] = {}
        for _, row in lignes_tete(texte, sep)[:60]:
            if len(row) > 1:
                comptes[len(row)] = comptes.get(len(row), 0) + 1
        if not comptes:
            continue
        mode = max(comptes, key=lambda n: (comptes[n], n))
        score = (comptes[mode], mode)
        if score > score_max:
            meilleur, score_max = sep, score
    return meilleur


def trouver_entete(lignes: list[tuple[int, list[str]]]) -> int | None:
    """Index in `lignes` of the first row that reads as a header (a date and an amount)."""
    for i, (_, row) in enumerate(lignes[:60]):
        roles = {role_generique(c) for c in row if not est_date(c)}
        if "date" in roles and roles & {"montant", "debit", "credit"}:
            return i
    return None


def _index(entete: Sequence[str], nom: Colonne) -> int | None:
    if isinstance(nom, int):
        return nom - 1 if 0 < nom <= len(entete) or not entete else None
    k = cle(nom)
    for i, c in enumerate(entete):
        if cle(c) == k:
            return i
    return None


def _ignorer(motifs: Sequence[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{m})" for m in motifs), re.I) if motifs else None


def disposition_profil(
    profil: ProfilCsv,
    entete: Sequence[str],
    ligne_entete: int,
    enc: str,
    sep: str,
    echantillon: list[list[str]],
    origine: str,
) -> Disposition:
    """Resolve a profile's column names against a header; ImportInvalide if one is absent."""
    idx: dict[str, list[int]] = {}
    for role, nom in profil.colonnes():
        i = _index(entete, nom)
        if i is None:
            raise ImportInvalide(
                f"ce fichier ne correspond pas au profil « {origine} » (colonne « {nom} » absente)"
            )
        idx.setdefault(role, []).append(i)
    if "date" not in idx or not ({"montant", "debit", "credit"} & idx.keys()):
        raise ImportInvalide(f"le profil « {origine} » doit nommer la date et le montant")
    i_date = idx["date"][0]
    ordre = FORMATS_DATE.get(profil.format_date or "") or deviner_ordre(
        [r[i_date] for r in echantillon if len(r) > i_date]
    )
    utilises = {i for v in idx.values() for i in v}
    extras = tuple(
        (i, nom.strip() or f"colonne {i + 1}")
        for i, nom in enumerate(entete)
        if i not in utilises and nom.strip()
    )
    return Disposition(
        encodage=enc,
        separateur=sep,
        ligne_entete=ligne_entete,
        ncols=max(len(entete), max(utilises) + 1),
        date=i_date,
        libelles=tuple(idx.get("libelle", ())),
        montant=idx.get("montant", [None])[0],
        debit=idx.get("debit", [None])[0],
        credit=idx.get("credit", [None])[0],
        cheque=idx.get("cheque", [None])[0],
        ordre_date=ordre or "jma",
        extras=extras,
        ignorer=_ignorer(profil.ignorer),
        banque=profil.nom,
        profil=replace(
            profil,
            encodage=profil.encodage or enc,
            separateur=sep,
            format_date=profil.format_date or _FORMAT_DE_ORDRE[ordre or "jma"],
        ),
    )


_FORMAT_DE_ORDRE = {
    "jma": "jj/mm/aaaa",
    "amj": "aaaa-mm-jj",
    "amj8": "aaaammjj",
    "mja": "mm/jj/aaaa",
}


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
    premier = lambda r: roles.get(r, [None])[0]  # noqa: E731
    montant = premier("montant")
    debit, credit = premier("debit"), premier("credit")
    if debit or credit:
        montant = None
    return (
        ProfilCsv(
            nom="",
            date=date,
            libelle=tuple(libelles),
            montant=montant,
            debit=debit,
            credit=credit,
            cheque=premier("cheque"),
        ),
        notes,
    )


def _est_montant(texte: str) -> bool:
    try:
        parse_montant(texte)
    except Exception:
        return False
    return True


def deviner_colonnes(rows: list[list[str]]) -> tuple[ProfilCsv, str]:
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
            "(indiquez un profil avec --profil)"
        )
    libelle = max(textes, key=lambda i: sum(len(x) for x in colonnes[i]) / len(colonnes[i]))
    debit = credit = montant = None
    if len(montants) >= 2:
        a, b = montants[:2]
        jamais_ensemble = all(
            not (len(r) > b and r[a].strip() and r[b].strip()) for r in rows if len(r) > a
        )
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


def detecter(
    nom_fichier: str,
    texte: str,
    enc: str,
    profils: Sequence[ProfilCsv],
    profil_impose: tuple[ProfilCsv, str] | None = None,
) -> Disposition:
    """Find delimiter, header and columns of a CSV statement from its decoded head."""
    impose = profil_impose[0] if profil_impose else None
    sep = (impose.separateur if impose else None) or sniffer_separateur(texte)
    lignes = lignes_tete(texte, sep)
    if not lignes:
        raise ImportInvalide("fichier vide", nom_fichier)
    if impose is not None and impose.sans_entete:
        rows = [r for _, r in lignes]
        return disposition_profil(impose, (), 0, enc, sep, rows[:50], profil_impose[1])  # type: ignore[index]
    i = trouver_entete(lignes)
    if impose is not None:
        j = next(
            (k for k, (_, r) in enumerate(lignes[:60]) if _contient(r, impose)),
            None,
        )
        if j is None:
            manque = _colonne_absente(lignes[i][1] if i is not None else [], impose)
            message = (
                f"ce fichier ne correspond pas au profil « {profil_impose[1]} » "  # type: ignore[index]
                f"(colonne « {manque} » absente)"
            )
            if i is not None:
                autre = _banque(lignes, i, sep, profils)
                if autre:
                    message += f" ; il ressemble à un relevé {autre.nom}"
            raise ImportInvalide(message, nom_fichier)
        ligne, entete = lignes[j]
        rows = [r for _, r in lignes[j + 1 :]]
        return disposition_profil(impose, entete, ligne, enc, sep, rows[:50], profil_impose[1])  # type: ignore[index]
    if i is None:
        rows = [r for _, r in lignes if len(r) > 1]
        profil, note = deviner_colonnes(_corps(rows))
        d = disposition_profil(profil, (), 0, enc, sep, rows[:50], "")
        return _avec(d, banque=None, avertissements=(note,))
    ligne, entete = lignes[i]
    rows = [r for _, r in lignes[i + 1 :]][:50]
    banque = _banque(lignes, i, sep, profils)
    if banque is not None:
        return disposition_profil(banque, entete, ligne, enc, sep, rows, banque.nom)
    profil, notes = profil_generique(entete)
    d = disposition_profil(profil, entete, ligne, enc, sep, rows, "")
    trouve = [f"date = « {entete[d.date].strip()} »"]
    trouve += [f"libellé = « {entete[k].strip()} »" for k in d.libelles]
    for nom_role, k in (("montant", d.montant), ("débit", d.debit), ("crédit", d.credit)):
        if k is not None:
            trouve.append(f"{nom_role} = « {entete[k].strip()} »")
    notes.insert(
        0, "banque non reconnue : colonnes lues d'après l'en-tête (" + ", ".join(trouve) + ")"
    )
    return _avec(d, banque=None, avertissements=tuple(notes))


def _corps(rows: list[list[str]]) -> list[list[str]]:
    """The rows of the most common width: the data, without preamble or trailer."""
    largeurs: dict[int, int] = {}
    for r in rows:
        largeurs[len(r)] = largeurs.get(len(r), 0) + 1
    n = max(largeurs, key=lambda k: (largeurs[k], k))
    return [r for r in rows if len(r) == n][:50]


def _avec(d: Disposition, **changes: object) -> Disposition:
    return replace(d, **changes)  # type: ignore[arg-type]


def _contient(row: Sequence[str], profil: ProfilCsv) -> bool:
    cles = {cle(c) for c in row}
    noms = [n for _, n in profil.colonnes() if isinstance(n, str)] + list(profil.entete)
    return bool(noms) and all(cle(n) in cles for n in noms)


def _colonne_absente(row: Sequence[str], profil: ProfilCsv) -> str:
    cles = {cle(c) for c in row}
    noms = [n for _, n in profil.colonnes() if isinstance(n, str)] + list(profil.entete)
    return next((n for n in noms if cle(n) not in cles), noms[0] if noms else "?")


def _banque(
    lignes: list[tuple[int, list[str]]], i: int, sep: str, profils: Sequence[ProfilCsv]
) -> ProfilCsv | None:
    """The known bank whose header (and preamble) this file has, most specific first."""
    entete = lignes[i][1]
    preambule = "\n".join(sep.join(r) for _, r in lignes[:i])
    candidats = []
    for p in profils:
        if p.separateur and p.separateur != sep:
            continue
        if not _contient(entete, p):
            continue
        if p.preambule and not re.search(p.preambule, preambule, re.I | re.M):
            continue
        candidats.append(p)
    if not candidats:
        return None
    return max(candidats, key=lambda p: len(p.colonnes()) + len(p.entete) + bool(p.preambule))


# --- parsing ---------------------------------------------------------------------------------


def lire_lignes(path: Path, d: Disposition) -> Iterator[ReleveLigne]:
    """Stream the transactions of a CSV statement, in file order."""
    nom = path.name
    lire_date = lecteur_date(d.ordre_date)
    lire_montant = lecteur_montant(parse_montant)
    ignorer = d.ignorer.search if d.ignorer else None
    non_operation = _NON_OPERATION.search
    i_date, libs, i_m, i_deb, i_cred, i_chq = (
        d.date,
        d.libelles,
        d.montant,
        d.debit,
        d.credit,
        d.cheque,
    )
    un_libelle = libs[0] if len(libs) == 1 else None
    besoin = max([i_date, *libs, *(i for i in (i_m, i_deb, i_cred, i_chq) if i is not None)]) + 1
    extras = d.extras
    zero = Decimal("0.00")
    buf: list[str] = []

    with open(path, encoding=d.encodage, newline="") as f:

        def source() -> Iterator[str]:
            for line in f:
                buf.append(line)
                yield line

        reader = csv.reader(source(), delimiter=d.separateur)
        fin = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportInvalide(f"ligne illisible ({exc})", f"{nom}:{fin + 1}") from exc
            debut, fin = fin + 1, reader.line_num
            brut = "".join(buf).rstrip("\r\n")
            buf.clear()
            if fin <= d.ligne_entete:
                continue
            n = len(row)
            if n < besoin:
                if not "".join(row).strip() or non_operation(brut):
                    continue
                raise ImportInvalide(
                    f"ligne tronquée ({n} colonne{'s' if n > 1 else ''} au lieu de {d.ncols})",
                    f"{nom}:{debut}",
                )
            if un_libelle is not None:
                libelle = row[un_libelle]
                if "\n" in libelle or "  " in libelle or libelle[:1] == " " or libelle[-1:] == " ":
                    libelle = nettoyer_libelle(libelle)
            else:
                libelle = _joindre([row[k] for k in libs])
            if ignorer and ignorer(libelle):
                continue
            texte_date = row[i_date]
            try:
                date = lire_date(texte_date)
            except (ValueError, IndexError):
                if non_operation(libelle) or non_operation(texte_date):
                    continue
                if not texte_date.strip() and not _a_montant(row, i_m, i_deb, i_cred):
                    continue  # a note or trailer line without date nor amount
                raise date_illisible(texte_date, f"{nom}:{debut}") from None
            if non_operation(libelle):
                continue
            ou = f"{nom}:{debut}"
            if i_m is not None:
                montant = lire_montant(row[i_m].strip(), ou)
            else:
                deb = row[i_deb].strip() if i_deb is not None else ""
                cred = row[i_cred].strip() if i_cred is not None else ""
                if not deb and not cred:
                    raise ImportInvalide("montant absent (débit et crédit vides)", ou)
                montant = lire_montant(cred, ou) if cred else zero
                if deb:
                    montant -= abs(lire_montant(deb, ou))
            cheque = None
            if i_chq is not None:
                cheque = row[i_chq].strip() or None
            if cheque is None:
                cheque = cheque_du_libelle(libelle)
            extra = {nom_x: v for k, nom_x in extras if k < n and (v := row[k].strip())}
            yield ReleveLigne(
                date=date,
                libelle=libelle,
                montant=montant,
                ligne=debut,
                brut=brut,
                cheque=cheque,
                extra=extra,
            )


def _a_montant(row: list[str], *idx: int | None) -> bool:
    return any(i is not None and i < len(row) and row[i].strip() for i in idx)


def _joindre(parts: list[str]) -> str:
    """Several label columns as one libellé, dropping a part another one already holds."""
    propres = [nettoyer_libelle(p) for p in parts]
    propres = [p for p in propres if p]
    garde: list[str] = []
    for k, p in enumerate(propres):
        up = p.upper()
        if any(
            up in q.upper() for j, q in enumerate(propres) if j != k and (len(q) > len(p) or j < k)
        ):
            continue
        garde.append(p)
    return " ".join(garde)
