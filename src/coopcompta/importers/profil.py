"""YAML bank profiles: read and validate one (pydantic, typos refused), save a detected one.

A profile tells `coop import` how to read an unusual CSV export
(`coop import releve.csv --profil maBanque.yaml`). Every key is optional except `date`
and either `montant` or `debit`/`credit`; an unknown key is an error naming the file and
the key. Column names are written as in the file's header (case, accents, punctuation
and words such as « de », « en », « euros » are ignored); with `sans_entete: true`,
columns are numbers (1 = first column).

```yaml
nom: Ma banque                 # shown in the import summary
encodage: cp1252               # utf-8, cp1252, iso-8859-1, iso-8859-15… (detected if absent)
separateur: ";"                # ";", "," or "tab" (detected if absent)
format_date: jj/mm/aaaa        # jj/mm/aaaa, jj/mm/aa, aaaa-mm-jj, aaaammjj, mm/jj/aaaa, mm/jj/aa
date: Date opération           # the date column
libelle: [Libellé, Détail]     # one column or a list: the texts are joined
montant: Montant               # one signed amount column...
debit: Débit                   # ...or Débit / Crédit columns (débit signed or not)
credit: Crédit
cheque: N° de chèque           # cheque number column (else read from « CHEQUE 1234567 »)
entete: [Solde]                # other columns the header must hold (to recognise the file)
preambule: "^Compte courant"   # pattern a line before the header must match
ignorer: ["^SOLDE", "^TOTAL"]  # patterns: rows whose libellé matches are not transactions
fin: "^Opérations carte"       # pattern: reading stops at the first row matching it
sans_entete: false             # true: the file has no header, columns are numbers
inverser: false                # true: amounts are written from the other side
solde: "^\\d\\d/\\d\\d/\\d{4};[^;]*;;"  # pattern: a raw line matching it is a balance
largeur_variable: false        # true: lines may stop before the last columns
format: csv                    # csv, assoconnect-paiements or assoconnect-versements
frais: Frais                   # AssoConnect-style columns, kept with each line:
net: Montant net               #   fees, net amount, payer, collection,
payeur: Payeur                 #   and a status: refunded, failed, pending or
collecte: Formulaire           #   cancelled rows are skipped with a note, a status
statut: Statut                 #   neither that nor paid is refused
```
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any, Literal

from coopcompta.domain.errors import ImportInvalide, fichier_inutilisable
from coopcompta.importers.csv_releve import ProfilCsv
from coopcompta.importers.motif import MotifInvalide, compiler_motif
from coopcompta.importers.texte import FORMATS_DATE

_SEPARATEURS = {
    ";": ";",
    ",": ",",
    "|": "|",
    "\t": "\t",
    "tab": "\t",
    "tabulation": "\t",
    "\\t": "\t",
}


_COLONNES = (
    "date",
    "libelle",
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


def _modele() -> Any:
    """The pydantic model, built on first use so importing this package stays light."""
    from pydantic import BaseModel, ConfigDict, field_validator

    Col = str | int

    class ProfilYaml(BaseModel):
        model_config = ConfigDict(extra="forbid")

        nom: str = ""
        encodage: str | None = None
        separateur: str | None = None
        format_date: str | None = None
        date: Col
        libelle: Col | list[Col] = []
        montant: Col | None = None
        debit: Col | None = None
        credit: Col | None = None
        cheque: Col | None = None
        frais: Col | None = None
        net: Col | None = None
        payeur: Col | None = None
        collecte: Col | None = None
        statut: Col | None = None
        pourboire: Col | None = None
        type: Col | None = None
        entete: list[str] = []
        preambule: str | None = None
        ignorer: list[str] = []
        fin: str | None = None
        sans_entete: bool = False
        inverser: bool = False
        solde: str | None = None
        largeur_variable: bool = False
        format: Literal["csv", "assoconnect-paiements", "assoconnect-versements"] = "csv"

        @field_validator("encodage")
        @classmethod
        def _encodage(cls, v: str | None) -> str | None:
            import codecs

            if v is not None:
                try:
                    # rot13 or base64 are codecs too, but do not read text
                    texte = codecs.lookup(v)._is_text_encoding
                except LookupError:
                    texte = False
                if not texte:
                    raise ValueError(f"encodage inconnu « {v} »")
            return v

        @field_validator(*_COLONNES, mode="before")
        @classmethod
        def _colonne(cls, v: object) -> object:
            for c in v if isinstance(v, list) else [v]:
                # YAML reads `yes`, `on`, `true` as booleans, which pydantic takes for column 1
                if isinstance(c, bool):
                    raise ValueError("nom ou numéro de colonne attendu")
                if isinstance(c, int) and c < 1:
                    raise ValueError(f"numéro de colonne « {c} » : 1 est la première")
            return v

        @field_validator("separateur")
        @classmethod
        def _separateur(cls, v: str | None) -> str | None:
            if v is None:
                return v
            if v.lower() not in _SEPARATEURS:
                raise ValueError("séparateur attendu : « ; », « , », « | » ou « tab »")
            return _SEPARATEURS[v.lower()]

        @field_validator("format_date")
        @classmethod
        def _format_date(cls, v: str | None) -> str | None:
            if v is not None and v not in FORMATS_DATE:
                raise ValueError("format de date attendu : " + ", ".join(FORMATS_DATE))
            return v

        @field_validator("preambule", "fin")
        @classmethod
        def _motif(cls, v: str | None) -> str | None:
            return v if v is None else _motif_valide(v)

        @field_validator("ignorer")
        @classmethod
        def _ignorer(cls, v: list[str]) -> list[str]:
            return [_motif_valide(m) for m in v]

    return ProfilYaml


def _motif_valide(motif: str) -> str:
    """A pattern RE2 runs (linear time: a profile cannot stall an import)."""
    try:
        compiler_motif(motif)
    except MotifInvalide as exc:
        raise ValueError(f"motif « {motif} » : {exc}") from None
    return motif


def _message(err: Any) -> str:
    champ = ".".join(str(p) for p in err["loc"])
    if err["type"] == "extra_forbidden":
        return f"{champ}: champ inconnu"
    if err["type"] == "missing":
        return f"{champ}: champ requis"
    from coopcompta.importers.pydantic_fr import message_pydantic

    return f"{champ}: {message_pydantic(err)}"


def charger_profil(path: Path | str) -> ProfilCsv:
    """Read a YAML bank profile; ImportInvalide names the file and the faulty field."""
    import yaml
    from pydantic import ValidationError

    from coopcompta.importers.yaml_sur import lire_yaml, ou_yaml

    path = Path(path)
    texte = ""
    try:
        texte = path.read_text(encoding="utf-8-sig")
        data = lire_yaml(texte)
    except OSError as exc:
        raise ImportInvalide(fichier_inutilisable(exc, "profil"), path.name) from exc
    except UnicodeDecodeError as exc:
        raise ImportInvalide(
            f"profil illisible : ce n'est pas du texte UTF-8 (octet {exc.start + 1})", path.name
        ) from None
    except yaml.YAMLError as exc:
        ou, quoi = ou_yaml(exc, path.name, texte)
        raise ImportInvalide(f"profil YAML illisible ({quoi})", ou) from None
    if not isinstance(data, dict):
        raise ImportInvalide("le profil doit être une liste de champs « clé: valeur »", path.name)
    try:
        p = _modele().model_validate(data)
    except ValidationError as exc:
        raise ImportInvalide(_message(exc.errors()[0]), path.name) from None
    if p.montant is None and p.debit is None and p.credit is None:
        raise ImportInvalide("montant: champ requis (ou debit et credit)", path.name)
    libelle = p.libelle if isinstance(p.libelle, list) else [p.libelle]
    cols = [p.date, *libelle, p.montant, p.debit, p.credit, p.cheque, p.frais, p.net]
    cols += [p.payeur, p.collecte, p.statut]
    if p.sans_entete and any(isinstance(c, str) for c in cols if c is not None):
        raise ImportInvalide(
            "sans_entete: les colonnes doivent être des numéros (1 = première)", path.name
        )
    champs = p.model_dump()
    champs.update(
        nom=p.nom or path.stem,
        libelle=tuple(libelle),
        entete=tuple(p.entete),
        ignorer=tuple(p.ignorer),
    )
    return ProfilCsv(**champs)


def sauver_profil(profil: ProfilCsv, path: Path | str, remplacer: bool = False) -> None:
    """Write a profile as YAML that `charger_profil` reads back to the same ProfilCsv.

    An existing file is replaced only with `remplacer`; a file that cannot be written
    (missing folder, a folder, a name too long, a full disk) is an ImportInvalide."""
    import yaml

    data: dict[str, Any] = {}
    for f in fields(profil):
        v = getattr(profil, f.name)
        if v is None or v == f.default or v == ():
            continue
        if f.name == "separateur" and v == "\t":
            v = "tab"
        elif f.name == "libelle" and len(v) == 1:
            v = v[0]
        elif isinstance(v, tuple):
            v = list(v)
        data[f.name] = v
    texte = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path = Path(path)
    try:
        with path.open("w" if remplacer else "x", encoding="utf-8") as sortie:
            try:
                sortie.write(texte)
                sortie.flush()
            except BaseException:
                path.unlink(missing_ok=True)
                raise
    except FileExistsError:
        raise ImportInvalide(
            "ce fichier existe déjà : ajoutez --force pour le remplacer ; rien n'a été importé",
            str(path),
        ) from None
    except OSError as exc:
        manque = isinstance(exc, FileNotFoundError) and not path.parent.is_dir()
        raise ImportInvalide(
            "dossier introuvable" if manque else fichier_inutilisable(exc, "profil", "non écrit"),
            str(path),
        ) from None
