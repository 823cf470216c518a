"""Values read from the database as plain JSON data (what snapshots, probes and verdicts
hold)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any


def plain(value: Any) -> Any:
    """A value read from the database as plain JSON data."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, uuid.UUID | memoryview | bytes):
        return value.hex() if isinstance(value, bytes | memoryview) else str(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


_ALREADY_PLAIN = frozenset({str, int, float, bool, type(None)})


def plain_rows(rows: Iterable[list[Any]]) -> list[list[Any]]:
    """Rows read from the database (as lists) with plain values; a row of text and numbers
    (the usual one, e.g. 133,784 keys and digests) is kept as it is, not copied."""
    return [
        row if all(type(v) in _ALREADY_PLAIN for v in row) else [plain(v) for v in row]
        for row in rows
    ]
