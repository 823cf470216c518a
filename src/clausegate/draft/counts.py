"""The regression table of a draft: the counts a gate measures, read from the two snapshots
as the metrics count them (checks/metrics.py), so that the gate measures the same values.

`count: types` is left out: the metric counts a range type's multirange, which a snapshot
does not hold as an object of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from clausegate.draft.changes import check_id
from clausegate.draft.model import DraftMetric, DraftRow
from clausegate.snapshot import Snapshot, split_table

# Schemas the count metric leaves out (metrics.USER_SCHEMA).
_SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")
_TEMPORARY_SCHEMA = re.compile(r"pg_(toast_)?temp_.*")
_FIRST_NAME = re.compile(r'"((?:[^"]|"")+)"|([^".]+)')

Attributes = Mapping[str, Any]

# metric `count` → (the catalog kind, which of its objects the metric counts)
_COUNTED: dict[str, tuple[str, Callable[[Attributes], bool]]] = {
    "tables": ("tables", lambda a: a.get("kind") in ("table", "partitioned table")),
    "views": ("views", lambda a: a.get("kind") == "view"),
    "matviews": ("views", lambda a: a.get("kind") == "materialized view"),
    "functions": ("functions", lambda a: a.get("kind") in ("function", "procedure")),
    "sequences": ("sequences", lambda a: True),
    "indexes": ("indexes", lambda a: True),
    "triggers": ("triggers", lambda a: a.get("internal") is not True),
    "schemas": ("schemas", lambda a: True),
    "policies": ("policies", lambda a: True),
}


def regression_rows(before: Snapshot, after: Snapshot) -> tuple[tuple[DraftRow, ...], list[str]]:
    """(the regression rows both snapshots give values for, notes on those left out)."""
    rows: list[DraftRow] = []
    notes: list[str] = []
    for metric, (kind, counts) in _COUNTED.items():
        old_count, new_count = (_count(side, kind, counts) for side in (before, after))
        if old_count is None or new_count is None:
            notes.append(f"count {metric} left out: {kind} was not read in both snapshots")
            continue
        title = f"{metric}: {old_count} → {new_count}"
        rows.append(DraftRow(metric, title, DraftMetric("count", metric), old_count, new_count))
    old, new = (side["catalog"].get("extensions") for side in (before, after))
    if old is not None and new is not None:
        metric_of = DraftMetric("extensions", True)
        rows.append(DraftRow("extensions", "the extension set", metric_of, *_names(old, new)))
    else:
        notes.append("the extension set left out: it was not read in both snapshots")
    rows.extend(_row_counts(before, after))
    return tuple(rows), notes


def _names(*sides: Mapping[str, Any]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(sorted(side)) for side in sides)


def _count(snapshot: Snapshot, kind: str, counts: Callable[[Attributes], bool]) -> int | None:
    found = snapshot["catalog"].get(kind)
    if found is None:
        return None
    return sum(1 for identity, attrs in found.items() if _user_schema(identity) and counts(attrs))


def _user_schema(identity: str) -> bool:
    match = _FIRST_NAME.match(identity)
    if match is None:
        return False
    quoted, plain = match.groups()
    schema = quoted.replace('""', '"') if quoted is not None else plain
    return schema not in _SYSTEM_SCHEMAS and not _TEMPORARY_SCHEMA.fullmatch(schema)


def _row_counts(before: Snapshot, after: Snapshot) -> list[DraftRow]:
    """A `rows` row per table whose rows both snapshots counted: by a row count probe, or
    by a content hash (which counts the rows it hashes), the row count first."""
    counted: dict[tuple[str, str | None], tuple[int, int]] = {}
    for kind, where_of in (("row_count", _where), ("content_hash", lambda a: None)):
        old, new = before["probes"].get(kind) or {}, after["probes"].get(kind) or {}
        for name in sorted(old.keys() & new.keys()):
            values = [_rows_of(side[name]) for side in (old, new)]
            if values[0] is None or values[1] is None:
                continue
            table = ".".join(split_table(str(new[name].get("table", name))))
            counted.setdefault((table, where_of(new[name])), (values[0], values[1]))
    return [
        DraftRow(
            check_id("rows", table, *(["where", where] if where else [])),
            f"rows of {table}{f' where {where}' if where else ''}: {values[0]} → {values[1]}",
            DraftMetric("rows", table, where),
            *values,
        )
        for (table, where), values in sorted(counted.items(), key=lambda item: str(item[0]))
    ]


def _where(attrs: Attributes) -> str | None:
    where = attrs.get("where")
    return str(where) if where else None


def _rows_of(attrs: Attributes) -> int | None:
    value = attrs.get("count", attrs.get("rows"))
    return value if isinstance(value, int) and not isinstance(value, bool) else None
