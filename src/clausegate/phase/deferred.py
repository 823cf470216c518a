"""Row-by-row reads a gate makes only where they can show something: a `rows_touched`
query reads a key and an md5 of every row of its table (133,784 rows of event_outbox in
Điều 45), while the snapshots already content-hash that table. A gate reads such a query
only for a table whose content hash or count of rows written changed from before to after:
then from a fresh copy of the before state (the template it was cloned from), and from the
database after. Each read takes the table's content hash again in the same transaction,
and when that is not the one its snapshot holds, the query is recorded as failed (BROKEN),
never read from another state than the snapshot's. Where the content did not change, the
check is judged on the two hashes (checks.rows_touched.unchanged_content).

A live verify reads every query in both snapshots: it has no copy of the before state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from clausegate import checks, snapshot
from clausegate.checks.evidence import qualified
from clausegate.checks.rows_touched import RowsTouched, same_content
from clausegate.phase.capture import capture_queries
from clausegate.snapshot import Snapshot
from clausegate.spec import Spec

# A fresh copy of the before state, as a context manager giving its conninfo.
BeforeCopy = Callable[[], AbstractContextManager[str]]


@dataclass(frozen=True)
class DeferredReads:
    """query → the content hash (data probe) of the one table it reads."""

    reads: Mapping[str, snapshot.ContentHash]
    before_copy: BeforeCopy

    def eager(self, queries: Mapping[str, str]) -> dict[str, str]:
        """The queries every snapshot reads: all but the deferred ones."""
        return {name: query for name, query in queries.items() if query not in self.reads}

    def read_changed(self, before: Snapshot, after: Snapshot, after_conninfo: str) -> list[str]:
        """The deferred queries of the tables whose content changed, read into `before`
        (from a fresh copy of the before state) and `after`; returns those queries."""
        changed = {
            query: probe
            for query, probe in self.reads.items()
            if not same_content(_hash_of(before, probe.name), _hash_of(after, probe.name))
        }
        if not changed:
            return []
        with self.before_copy() as before_conninfo:
            _read_into(before, before_conninfo, changed)
        _read_into(after, after_conninfo, changed)
        return sorted(changed)


def plan(
    spec: Spec, queries: Mapping[str, str], probes: snapshot.DataProbes
) -> dict[str, snapshot.ContentHash]:
    """query → the content hash probe of its table, for each query only `rows_touched`
    checks ask for whose table the snapshots content-hash (by the same name)."""
    hashed = {p.name: p for p in probes.items if isinstance(p, snapshot.ContentHash)}
    asked: dict[str, set[str]] = {}
    tables: dict[str, str] = {}
    for check in spec.checks:
        query = queries.get(check.id)
        if query is None:
            continue
        kind = checks.kind_of(check).key
        asked.setdefault(query, set()).add(kind)
        if kind == "rows_touched":
            tables[query] = qualified(checks.body_of(check, RowsTouched).table)
    return {
        query: hashed[table]
        for query, table in tables.items()
        if asked[query] == {"rows_touched"} and table in hashed
    }


def _hash_of(taken: Snapshot, name: str) -> Mapping[str, Any] | None:
    found: Mapping[str, Any] | None = taken["probes"].get("content_hash", {}).get(name)
    return found


def _read_into(taken: Snapshot, conninfo: str, reads: Mapping[str, snapshot.ContentHash]) -> None:
    hashes = {query: probe.statement().as_string(None) for query, probe in reads.items()}
    numbered = {f"{i}": q for i, q in enumerate([*reads, *hashes.values()])}
    values, errors = capture_queries(conninfo, numbered)
    for query, probe in reads.items():
        if query in errors:
            taken["spec_query_errors"][query] = errors[query]
            continue
        expected = _hash_of(taken, probe.name) or {}
        seen = _first(values.get(hashes[query]))
        if seen is None or (seen.get("rows"), seen.get("sha256")) != (
            expected.get("rows"),
            expected.get("sha256"),
        ):
            taken["spec_query_errors"][query] = (
                f"{probe.name} was not the table its snapshot hashed when its rows were read "
                f"(rows {expected.get('rows')}, sha256 {str(expected.get('sha256'))[:12]} in "
                f"the snapshot; {_described(seen)} when read)"
            )
            continue
        taken["spec_queries"][query] = values[query]


def _first(rows: Any) -> dict[str, Any] | None:
    """The content hash query's one row, by its columns: rows, sha256[, written]."""
    if not rows:
        return None
    row = rows[0]
    return {"rows": row[0], "sha256": row[1]}


def _described(seen: Mapping[str, Any] | None) -> str:
    if seen is None:
        return "no hash"
    return f"rows {seen.get('rows')}, sha256 {str(seen.get('sha256'))[:12]}"
