"""What a snapshot is: its format, its sections, and how a table name is read and quoted."""

from __future__ import annotations

import re
from typing import Any, NotRequired, TypedDict

FORMAT = "clausegate-snapshot/1"


SECTIONS = ("catalog", "extension_members", "nontransactional", "cluster", "probes")


# identity → attributes, of one kind.
Objects = dict[str, dict[str, Any]]


class ServerFacts(TypedDict):
    """The server a snapshot was taken on, and what it could not read (part → why)."""

    version_num: int
    version: str
    database: str
    unreadable: dict[str, str]


class Snapshot(TypedDict):
    """A snapshot as its file holds it (see the package docstring): a section per part of
    the server, each kind → its objects (None when the kind could not be read). A gate
    or verify adds the rows of the spec's own queries and their errors, kept in the file
    beside the sections but never diffed as objects."""

    format: str
    server: ServerFacts
    catalog: dict[str, Objects | None]
    extension_members: dict[str, Objects | None]
    nontransactional: dict[str, Objects | None]
    cluster: dict[str, Objects | None]
    probes: dict[str, Objects]
    spec_queries: NotRequired[dict[str, Any]]
    spec_query_errors: NotRequired[dict[str, str]]


# The sections of catalog objects (all but `probes`), each kind → its objects.
ObjectSection = dict[str, Objects | None]


def section(snapshot: Snapshot, name: str) -> ObjectSection:
    """A section of objects by its name, as catalog.KINDS names a kind's section."""
    if name == "catalog":
        return snapshot["catalog"]
    if name == "extension_members":
        return snapshot["extension_members"]
    if name == "nontransactional":
        return snapshot["nontransactional"]
    if name == "cluster":
        return snapshot["cluster"]
    raise KeyError(f"a snapshot has no section of objects {name!r}")


def objects(snapshot: Snapshot, section_name: str, kind: str) -> Objects:
    """The objects of a kind that was read; ValueError with the reason when it was not."""
    found = section(snapshot, section_name)[kind]
    if found is None:
        why = snapshot["server"]["unreadable"].get(kind, "not read")
        raise ValueError(f"{kind} could not be read in this snapshot: {why}")
    return found


_IDENTIFIER = r'"(?:[^"]|"")+"|[^".\s]+'


_TABLE = re.compile(rf"\s*({_IDENTIFIER})\s*\.\s*({_IDENTIFIER})\s*")


def split_table(name: str) -> tuple[str, str]:
    """("schema", "table") from `schema.table`, folding and quoting as PostgreSQL does.

    Raises ValueError when the name is not schema-qualified.
    """
    match = _TABLE.fullmatch(name)
    if match is None:
        raise ValueError(f"{name!r} is not a schema-qualified table name such as public.orders")
    parts = (match.group(1), match.group(2))
    return tuple(  # type: ignore[return-value]
        p[1:-1].replace('""', '"') if p.startswith('"') else p.lower() for p in parts
    )


def quote_table(qualified_name: str) -> str:
    """`schema.table` as catalog text (unquoted) → a name split_table reads back."""
    schema_name, table = qualified_name.split(".", 1)
    return ".".join('"' + part.replace('"', '""') + '"' for part in (schema_name, table))
