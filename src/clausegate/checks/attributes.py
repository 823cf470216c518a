"""Attributes of an added or changed object, as an expected change states them.

`clausegate diff` says that a function was added; a reviewer also needs to know *what* was
added: a SECURITY DEFINER function that every role may execute is another object than an
INVOKER one only its owner may. An expected change may therefore state the attributes the
object must have in the after snapshot, and the change is declared only when every one of
them holds (exact: a list or a grant set is the whole of it, not a part).

Which attributes a kind has, and where each is read in the snapshot, is the table below;
`grants` is read from the object's privileges (aclitems) as {grantee: privileges}, and a
table's `columns` from the after snapshot's columns as {name: type} in their order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from clausegate import diff
from clausegate.checks import expect
from clausegate.snapshot.model import Snapshot, objects

# Attribute → the snapshot attribute it is read from, per kind (as `clausegate diff` names
# the kind). `grants` and `columns` are derived (see above).
ATTRIBUTES: Mapping[str, Mapping[str, str]] = {
    "function": {
        "security": "security",
        "volatility": "volatility",
        "strict": "strict",
        "leakproof": "leakproof",
        "parallel": "parallel",
        "owner": "owner",
        "config": "config",
        "language": "language",
        "result": "result",
        "grants": "privileges",
    },
    "table": {
        "owner": "owner",
        "grants": "privileges",
        "row_security": "row_security",
        "force_row_security": "force_row_security",
        "columns": "",
    },
    "view": {
        "definition": "definition",
        "owner": "owner",
        "grants": "privileges",
        "options": "options",
    },
}

PRIVILEGES = (
    "SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "EXECUTE",
    "USAGE", "CREATE", "CONNECT", "TEMPORARY", "SET", "ALTER SYSTEM", "MAINTAIN",
)  # fmt: skip


@dataclass(frozen=True)
class Attributes:
    """What an expected change states of the object after the migration; None: not stated."""

    security: str | None = None
    volatility: str | None = None
    strict: bool | None = None
    leakproof: bool | None = None
    parallel: str | None = None
    owner: str | None = None
    config: tuple[str, ...] | None = None
    language: str | None = None
    result: str | None = None
    grants: Mapping[str, Any] | None = None
    row_security: bool | None = None
    force_row_security: bool | None = None
    columns: Mapping[str, Any] | None = None
    definition: str | None = None
    options: tuple[str, ...] | None = None

    def stated(self) -> dict[str, Any]:
        """The attributes the spec states, by name, as plain JSON values."""
        named = {f.name: getattr(self, f.name) for f in fields(self)}
        return {name: _plain(value) for name, value in named.items() if value is not None}


def schema() -> dict[str, Any]:
    """The JSON Schema of `attributes:` (which of them a kind takes: `by_kind`)."""
    passed_on = [f"{p} WITH GRANT OPTION" for p in PRIVILEGES]
    privilege = {"type": "string", "enum": [*PRIVILEGES, *passed_on],
                 "description": "A privilege, e.g. EXECUTE."}  # fmt: skip
    text_list = {"type": "array", "items": {"type": "string", "description": "An entry."}}
    return {
        "type": "object",
        "description": (
            "What the object must be after the migration (read from the after snapshot); "
            "each one stated must hold exactly, else the change is not the declared one."
        ),
        "additionalProperties": False,
        "minProperties": 1,
        "properties": {
            "security": {"type": "string", "enum": ["definer", "invoker"],
                         "description": "A function's security mode."},
            "volatility": {"type": "string", "enum": ["immutable", "stable", "volatile"],
                           "description": "A function's volatility."},
            "strict": {"type": "boolean", "description": "A function is STRICT."},
            "leakproof": {"type": "boolean", "description": "A function is LEAKPROOF."},
            "parallel": {"type": "string", "enum": ["safe", "restricted", "unsafe"],
                         "description": "A function's parallel safety."},
            "owner": {"type": "string", "description": "The owning role."},
            "config": {**text_list, "description": (
                "A function's settings, exactly, e.g. [\"search_path=pg_catalog, public\"]; "
                "[] for none.")},
            "language": {"type": "string", "description": "A function's language."},
            "result": {"type": "string",
                       "description": "What a function returns (pg_get_function_result)."},
            "grants": {
                "type": "object",
                "description": (
                    "Every grantee and its privileges, exactly (PUBLIC for every role; the "
                    "owner's own privileges included): {PUBLIC: [EXECUTE], owner: [EXECUTE]}."
                ),
                "additionalProperties": {"type": "array", "items": privilege, "uniqueItems": True},
            },
            "row_security": {"type": "boolean", "description": "A table has row security on."},
            "force_row_security": {"type": "boolean",
                                   "description": "A table forces row security on its owner."},
            "columns": {
                "type": "object",
                "description": "A table's columns in order, each with its type: {id: uuid}.",
                "additionalProperties": {"type": "string", "description": "The column's type."},
            },
            "definition": {"type": "string",
                           "description": "A view's definition (pg_get_viewdef)."},
            "options": {**text_list,
                        "description": "A view's options, e.g. [security_barrier=true]."},
        },
    }  # fmt: skip


def by_kind() -> list[dict[str, Any]]:
    """Schema clauses saying which attributes each kind takes (`attributes` of a table
    cannot state a volatility): for `allOf` beside the item's properties."""
    return [
        {
            "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
            "then": {"properties": {"attributes": {"propertyNames": {"enum": list(names)}}}},
        }
        for kind, names in ATTRIBUTES.items()
    ] + [
        {
            "if": {"properties": {"kind": {"not": {"enum": list(ATTRIBUTES)}}}},
            "then": {
                "not": {"required": ["attributes"]},
                "description": (
                    "only a function, a table or a view has attributes a spec can state; "
                    "leave `attributes:` out"
                ),
            },
        }
    ]


def columns_of(taken: Snapshot, table: str) -> list[tuple[str, str]]:
    """A table's columns in the snapshot, (name, type) in their order; ValueError when the
    snapshot could not read columns."""
    found = objects(taken, "catalog", "columns")
    prefix = table + "."
    mine = [(attrs.get("position", 0), ident[len(prefix):], attrs.get("type"))
            for ident, attrs in found.items() if ident.startswith(prefix)]  # fmt: skip
    return [(_unquoted(name), str(kind)) for _, name, kind in sorted(mine)]


def mismatches(
    kind: str, stated: Attributes, attrs: Mapping[str, Any], columns: Sequence[tuple[str, str]]
) -> list[str]:
    """What differs between the stated attributes and the object's (`attrs`, its snapshot
    attributes; `columns`, a table's (name, type) in order), one phrase each."""
    readable = ATTRIBUTES[kind]
    problems = []
    for name, wanted in stated.stated().items():
        if name == "grants":
            seen: Any = _grants(attrs.get("privileges") or [])
            wanted = {grantee: sorted(privs) for grantee, privs in wanted.items()}
        elif name == "columns":
            seen, wanted = [list(c) for c in columns], [[c, t] for c, t in wanted.items()]
        else:
            seen = attrs.get(readable[name])
        if expect.show(wanted) != expect.show(seen):  # exact, as JSON (true is not 1)
            problems.append(f"{name} is {expect.show(seen)}, the spec says {expect.show(wanted)}")
    return problems


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _grants(privileges: list[str]) -> dict[str, list[str]]:
    return {_unquoted(grantee): sorted(names) for grantee, names in diff.grants(privileges).items()}


def _unquoted(role: str) -> str:
    if len(role) >= 2 and role.startswith('"') and role.endswith('"'):
        return role[1:-1].replace('""', '"')
    return role
