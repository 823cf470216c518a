"""What a snapshot is: its format, its sections, and how a table name is read and quoted."""

from __future__ import annotations

import re
from typing import Any

FORMAT = "clausegate-snapshot/1"


SECTIONS = ("catalog", "extension_members", "nontransactional", "cluster", "probes")


Snapshot = dict[str, Any]


Objects = dict[str, dict[str, Any]]


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
