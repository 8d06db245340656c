"""Pydantic schema of the import rules YAML (apart, so pydantic loads only with a rules file)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


def _texte(v: object) -> object:
    # YAML reads `compte: 6183` as an int; an account is a code, written either way.
    return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


def _pas_booleen(v: object) -> object:
    # YAML reads yes/true as a boolean, which pydantic took for 1 (≥ 1,00 €)
    if isinstance(v, bool):
        raise ValueError("montant attendu, pas oui/non")
    return v


class PartFichier(BaseModel):
    model_config = ConfigDict(extra="forbid")

    compte: str = Field(min_length=1)
    part: str | int | float | None = None
    classe: str | None = None

    @field_validator("part", mode="before")
    @classmethod
    def _part(cls, v: object) -> object:
        return _pas_booleen(v)

    @field_validator("compte", mode="before")
    @classmethod
    def _compte_texte(cls, v: object) -> object:
        return _texte(v)


class RegleFichier(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nom: str = Field(min_length=1)
    motif: str = Field(min_length=1)
    montant_min: str | int | float | None = None
    montant_max: str | int | float | None = None
    sens: Literal["recette", "depense"] | None = None
    source: str | None = None
    compte: str | None = None
    ventilation: list[PartFichier] | None = None
    libelle: str | None = None
    classe: str | None = None

    @field_validator("compte", mode="before")
    @classmethod
    def _compte_texte(cls, v: object) -> object:
        return _texte(v)

    @field_validator("montant_min", "montant_max", mode="before")
    @classmethod
    def _montant(cls, v: object) -> object:
        return _pas_booleen(v)
