"""Option values read without pydantic: `coop` starts fast.

Typer 0.29 coerces every option through a pydantic TypeAdapter: importing pydantic and
building the adapters costs 0.1–0.2 s on each command, more than the command itself.
coop's options are plain text, whole numbers, yes/no flags and file paths (or lists or
None of them), which need no validation library: those are read here. Anything else
(a path option with checks, a range, a choice) keeps Typer's own coercion.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import typer.core
from typer import _coercion
from typer._click.exceptions import BadParameter

_SIMPLES: dict[Any, Any] = {str: str, int: int, bool: bool, Path: Path}
_VRAI = {"1", "true", "t", "yes", "y", "on", "oui", "o"}
_FAUX = {"0", "false", "f", "no", "n", "off", "non"}


def _type_simple(annotation: Any) -> tuple[Any, bool] | None:
    """(the base type, whether a list) when `annotation` is simple, else None."""
    if get_origin(annotation) in (Union, types.UnionType):
        autres = [a for a in get_args(annotation) if a is not type(None)]
        if len(autres) != 1:
            return None
        annotation = autres[0]
    if get_origin(annotation) is list:
        (element,) = get_args(annotation)
        return (element, True) if element in _SIMPLES else None
    return (annotation, False) if annotation in _SIMPLES else None


def _sans_controle(info: Any) -> bool:
    """No option asking Typer to check a path, a range or a choice."""
    return (
        getattr(info, "parser", None) is None
        and not getattr(info, "clamp", False)
        and not getattr(info, "exists", False)
        and getattr(info, "file_okay", True)
        and getattr(info, "dir_okay", True)
        and not getattr(info, "writable", False)
        and not getattr(info, "resolve_path", False)
        and not getattr(info, "allow_dash", False)
        and getattr(info, "path_type", None) is None
    )


def _lire(base: Any, valeur: Any) -> Any:
    if base is bool:
        if isinstance(valeur, bool):
            return valeur
        texte = str(valeur).strip().lower()
        if texte in _VRAI:
            return True
        if texte in _FAUX:
            return False
        raise BadParameter(f"« {valeur} » : oui ou non attendu.")
    if base is int:
        if isinstance(valeur, int):
            return valeur
        try:
            return int(str(valeur).strip())
        except ValueError:
            raise BadParameter(f"« {valeur} » n'est pas un nombre entier.") from None
    return base(valeur)


@dataclass(frozen=True)
class _Simple(_coercion.RuntimeParam):
    base: Any = str
    liste: bool = False
    min: Any = None
    max: Any = None

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        try:
            if self.liste or isinstance(value, list | tuple):
                return [self._borner(_lire(self.base, v)) for v in value]
            return self._borner(_lire(self.base, value))
        except BadParameter as exc:
            exc.ctx, exc.param = ctx, param
            raise

    def _borner(self, valeur: Any) -> Any:
        if self.min is not None and valeur < self.min:
            raise BadParameter(f"« {valeur} » : au moins {self.min}.")
        if self.max is not None and valeur > self.max:
            raise BadParameter(f"« {valeur} » : au plus {self.max}.")
        return valeur


_get_runtime_param = typer.core._TyperParameter.get_runtime_param


def _get_runtime_param_leger(self: Any) -> Any:
    if self._runtime_param is None:
        desc = self.type_descriptor
        simple = None if desc.file_annotation is not None else _type_simple(desc.annotation)
        info = desc.parameter_info
        bornes = (getattr(info, "min", None), getattr(info, "max", None))
        if (
            simple is not None
            and _sans_controle(info)
            and (bornes == (None, None) or simple[0] is int)
        ):
            self._runtime_param = _Simple(
                info, desc.annotation, base=simple[0], liste=simple[1], min=bornes[0], max=bornes[1]
            )
    return _get_runtime_param(self)


def installer() -> None:
    typer.core._TyperParameter.get_runtime_param = _get_runtime_param_leger  # type: ignore[method-assign]
