"""A check's body typed: the keys a spec wrote under a check, made into the frozen
dataclass its kind declares, once, when the spec is loaded.

The body has been validated against the kind's JSON Schema by then, so building it only
turns mappings into dataclasses and lists into tuples. It still refuses a key the
dataclass has no field for, a field that is missing, or a value of another type: a
schema and a dataclass out of step are clausegate's bug (a test builds every body of the
shipped specs), never a key silently read as absent.

Fields are named as the keys are spelt in the spec (a key that is a Python keyword, `as`,
is a field `as_` with metadata `{"key": "as"}`). An optional key is a field `X | None`
that defaults to None; an expectation (a value, or an object naming a comparison) is
`Expected`, so that `expect: null` (the value must be NULL) is not mistaken for a key
left out.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any, TypeVar, Union

T = TypeVar("T")


@dataclass(frozen=True)
class Expected:
    """What a value must be, as written: a bare value (exactly equal) or an object naming
    another comparison (`min`/`max`, `set`, `json_subset`, `regex`…); see expect.check."""

    value: Any


@dataclass(frozen=True)
class ErrorWanted:
    """The error a statement must raise: any of its SQLSTATE, the constraint that refused
    it, a regular expression its message must match."""

    sqlstate: str | None = None
    constraint: str | None = None
    message: str | None = None


class BodyError(TypeError):
    """A body that does not fit its dataclass (the schema and the type disagree)."""


def build(cls: type[T] | Any, value: Any, where: str = "body") -> T:
    """`value` (a validated body) as `cls`: a dataclass, a tuple, an optional, `Expected`
    or a plain type (checked). `where` names the value in an error."""
    origin = typing.get_origin(cls)
    if cls is Any:
        return typing.cast(T, _frozen(value))
    if cls is Expected:
        # As written: expect.check reads JSON values (dicts and lists), as the spec has them.
        return typing.cast(T, Expected(value))
    if origin in (Union, types.UnionType):
        options = typing.get_args(cls)
        if Expected in options:  # written, so an expectation: `expect: null` wants NULL
            return typing.cast(T, Expected(value))
        if value is None and type(None) in options:
            return typing.cast(T, None)
        for option in options:
            if option is not type(None) and _fits(option, value):
                return typing.cast(T, build(option, value, where))
        raise BodyError(f"{where}: {value!r} is none of {cls}")
    if origin is tuple:
        (item, *rest) = typing.get_args(cls)
        if rest != [Ellipsis] or not isinstance(value, list | tuple):
            raise BodyError(f"{where}: {value!r} is not a list of {item}")
        return typing.cast(T, tuple(build(item, v, f"{where}[{n}]") for n, v in enumerate(value)))
    if origin is not None and issubclass(origin, Mapping):
        if not isinstance(value, Mapping):
            raise BodyError(f"{where}: {value!r} is not a mapping")
        return typing.cast(T, _frozen(value))
    if dataclasses.is_dataclass(cls) and isinstance(cls, type):
        return typing.cast(T, _dataclass(cls, value, where))
    if not _fits(cls, value):
        raise BodyError(f"{where}: {value!r} is not a {getattr(cls, '__name__', cls)}")
    return typing.cast(T, value)


def _dataclass(cls: type[T], value: Any, where: str) -> T:
    if not isinstance(value, Mapping):
        raise BodyError(f"{where}: {value!r} is not a mapping (for {cls.__name__})")
    hints = _hints(typing.cast(type, cls))
    fields = {key_of(f): f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise BodyError(f"{where}: {cls.__name__} has no field for {', '.join(unknown)}")
    made: dict[str, Any] = {}
    for name, field in fields.items():
        if name in value:
            made[field.name] = build(hints[field.name], value[name], f"{where}.{name}")
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            raise BodyError(f"{where}: {name} is missing (for {cls.__name__})")
    return cls(**made)


def key_of(field: dataclasses.Field[Any]) -> str:
    """The key a field is spelt as in the spec: its name, or its `key` metadata where the
    key is a Python keyword (`as:` is the field `as_`)."""
    return str(field.metadata.get("key", field.name))


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _fits(cls: Any, value: Any) -> bool:
    """Whether `value` can be built as `cls` (for choosing among a union's options)."""
    origin = typing.get_origin(cls) or cls
    if cls is Any or cls is Expected:
        return True
    if origin is tuple:
        return isinstance(value, list | tuple)
    mapping = isinstance(origin, type) and issubclass(origin, Mapping)
    if dataclasses.is_dataclass(origin) or mapping:
        return isinstance(value, Mapping)
    if origin is bool:
        return isinstance(value, bool)
    if origin is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if origin is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(origin, type) and isinstance(value, origin)


def _frozen(value: Any) -> Any:
    """A plain YAML value that cannot be changed in place (a judge cannot alter a spec)."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value
