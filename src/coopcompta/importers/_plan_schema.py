"""Pydantic schema of the chart YAML (kept apart so pydantic is imported only when loading)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from coopcompta.domain.model import Nature

_NUMERO = r"^[0-9]{2,8}$"  # ASCII only: \d would take Arabic-Indic digits


class CompteFichier(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)

    numero: str = Field(pattern=_NUMERO)
    libelle: str = Field(min_length=1)
    nature: Nature
    rubrique: str = Field(min_length=1)
    exceptionnel: bool = False
    alias: list[str] = []
    aide: str = ""
    exemples: list[str] = []
    mots_cles: list[str] = []

    @field_validator("numero", mode="before")
    @classmethod
    def _numero_texte(cls, v: object) -> object:
        # YAML reads 512 as an int; a chart number is a code, written either way.
        if isinstance(v, int):
            return str(v)
        if isinstance(v, str):
            return "".join(v.split()).replace(".", "")
        return v

    @field_validator("alias", mode="before")
    @classmethod
    def _alias_textes(cls, v: object) -> object:
        if isinstance(v, list):
            return [str(a) if isinstance(a, int) else a for a in v]
        return v


class PlanFichier(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nom: str = "Plan comptable"
    comptes: list[CompteFichier] = Field(min_length=1)
