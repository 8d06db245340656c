"""YAML bank profiles: read and validate one (pydantic, typos refused), save a detected one.

Format of a profile (`coop import releve.csv --profil maBanque.yaml`), every key optional
except `date` and either `montant` or `debit`/`credit`:

```yaml
nom: Ma banque                 # shown in messages and the import summary
encodage: cp1252               # utf-8, cp1252, iso-8859-1, iso-8859-15… (détecté si absent)
separateur: ";"                # ";", ",", "\t" (détecté si absent)
format_date: jj/mm/aaaa        # jj/mm/aaaa, jj/mm/aa, aaaa-mm-jj, aaaammjj, mm/jj/aaaa, mm/jj/aa
date: Date opération           # column names, as in the header (case and accents ignored)
libelle: [Libellé, Détail]     # one name or a list: the texts are joined
montant: Montant               # one signed amount column…
debit: Débit                   # …or Débit / Crédit columns (débit signed or not)
credit: Crédit
cheque: N° de chèque           # optional
entete: [Solde]                # other column names the header must hold (optional)
preambule: "Compte courant"    # pattern a line before the header must match (optional)
ignorer: ["^SOLDE", "^TOTAL"]  # patterns (regex, case ignored): matching libellés are skipped
sans_entete: false             # true: the file has no header; columns are numbers (1 = first)
```
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import ImportInvalide
from .csv_releve import ProfilCsv
from .texte import FORMATS_DATE

_SEPARATEURS = {";": ";", ",": ",", "\t": "\t", "tab": "\t", "tabulation": "\t", "\\t": "\t"}


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
        entete: list[str] = []
        preambule: str | None = None
        ignorer: list[str] = []
        sans_entete: bool = False

        @field_validator("encodage")
        @classmethod
        def _encodage(cls, v: str | None) -> str | None:
            import codecs

            if v is not None:
                try:
                    codecs.lookup(v)
                except LookupError:
                    raise ValueError(f"encodage inconnu « {v} »") from None
            return v

        @field_validator("separateur")
        @classmethod
        def _separateur(cls, v: str | None) -> str | None:
            if v is None:
                return v
            if v.lower() not in _SEPARATEURS:
                raise ValueError("séparateur attendu : « ; », « , » ou « tab »")
            return _SEPARATEURS[v.lower()]

        @field_validator("format_date")
        @classmethod
        def _format_date(cls, v: str | None) -> str | None:
            if v is not None and v not in FORMATS_DATE:
                raise ValueError("format de date attendu : " + ", ".join(FORMATS_DATE))
            return v

        @field_validator("ignorer")
        @classmethod
        def _ignorer(cls, v: list[str]) -> list[str]:
            for motif in v:
                try:
                    re.compile(motif)
                except re.error as exc:
                    raise ValueError(f"motif invalide « {motif} » ({exc})") from None
            return v

    return ProfilYaml


def _message(err: dict[str, Any]) -> str:
    champ = ".".join(str(p) for p in err["loc"])
    if err["type"] == "extra_forbidden":
        return f"{champ}: champ inconnu"
    if err["type"] == "missing":
        return f"{champ}: champ requis"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return f"{champ}: {msg}"


def charger_profil(path: Path | str) -> ProfilCsv:
    """Read a YAML bank profile; ImportInvalide names the file and the faulty field."""
    import yaml
    from pydantic import ValidationError

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ImportInvalide(f"profil illisible ({exc.strerror})", path.name) from exc
    except yaml.YAMLError as exc:
        raise ImportInvalide(f"profil YAML illisible ({exc})", path.name) from exc
    if not isinstance(data, dict):
        raise ImportInvalide("le profil doit être une liste de champs « clé: valeur »", path.name)
    try:
        p = _modele().model_validate(data)
    except ValidationError as exc:
        raise ImportInvalide(_message(exc.errors()[0]), path.name) from None
    if p.montant is None and p.debit is None and p.credit is None:
        raise ImportInvalide("montant: champ requis (ou debit et credit)", path.name)
    libelle = p.libelle if isinstance(p.libelle, list) else [p.libelle]
    cols = [p.date, *libelle, p.montant, p.debit, p.credit, p.cheque]
    if p.sans_entete and any(isinstance(c, str) for c in cols if c is not None):
        raise ImportInvalide(
            "sans_entete: les colonnes doivent être des numéros (1 = première)", path.name
        )
    return ProfilCsv(
        nom=p.nom or path.stem,
        date=p.date,
        libelle=tuple(libelle),
        montant=p.montant,
        debit=p.debit,
        credit=p.credit,
        cheque=p.cheque,
        encodage=p.encodage,
        separateur=p.separateur,
        format_date=p.format_date,
        entete=tuple(p.entete),
        preambule=p.preambule,
        ignorer=tuple(p.ignorer),
        sans_entete=p.sans_entete,
    )


def sauver_profil(profil: ProfilCsv, path: Path | str) -> None:
    """Write a profile as YAML that `charger_profil` reads back to the same ProfilCsv."""
    import yaml

    data: dict[str, Any] = {"nom": profil.nom}
    for champ in ("encodage", "separateur", "format_date", "date"):
        v = getattr(profil, champ)
        if v is not None:
            data[champ] = "tab" if champ == "separateur" and v == "\t" else v
    if profil.libelle:
        data["libelle"] = profil.libelle[0] if len(profil.libelle) == 1 else list(profil.libelle)
    for champ in ("montant", "debit", "credit", "cheque", "preambule"):
        v = getattr(profil, champ)
        if v is not None:
            data[champ] = v
    if profil.entete:
        data["entete"] = list(profil.entete)
    if profil.ignorer:
        data["ignorer"] = list(profil.ignorer)
    if profil.sans_entete:
        data["sans_entete"] = True
    texte = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    Path(path).write_text(texte, encoding="utf-8")
