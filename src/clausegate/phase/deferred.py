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
from clausegate.checks.rows_touched import (
    WHOLE_ROWS,
    WHOLE_ROWS_SHOWN,
    RowsTouched,
    same_content,
    whole_rows_query,
)
from clausegate.diff.redaction import scrubbed_row
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
            _read_checked(before, before_conninfo, {q: (q, p) for q, p in changed.items()})
            _read_checked(after, after_conninfo, {q: (q, p) for q, p in changed.items()})
            # The rows updated in place, whole, so the check can name their columns.
            for side, conninfo, digests in (
                (before, before_conninfo, 0),
                (after, after_conninfo, 1),
            ):
                wanted = {
                    WHOLE_ROWS + query: (whole_rows_query(probe.table, found[digests]), probe)
                    for query, probe in changed.items()
                    if (found := _updated(before, after, query))[digests]
                }
                _read_checked(side, conninfo, wanted, refuse=False)
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


def _updated(before: Snapshot, after: Snapshot, query: str) -> tuple[list[str], list[str]]:
    """The md5s before and after of the rows of `query` updated in place (the first
    WHOLE_ROWS_SHOWN keys whose md5 differs)."""
    was = {str(key): digest for key, digest in before["spec_queries"].get(query, [])}
    now = {str(key): digest for key, digest in after["spec_queries"].get(query, [])}
    keys = sorted(key for key in was.keys() & now.keys() if was[key] != now[key])
    keys = keys[:WHOLE_ROWS_SHOWN]
    return [was[key] for key in keys], [now[key] for key in keys]


def _read_checked(
    taken: Snapshot,
    conninfo: str,
    wanted: Mapping[str, tuple[str, snapshot.ContentHash]],
    *,
    refuse: bool = True,
) -> None:
    """Each wanted query (name → its SQL and the content hash of its table) read into
    `taken` under its name, in one transaction that hashes the tables again: when a hash
    is not the snapshot's, the query is recorded as failed (`refuse`) or left out."""
    if not wanted:
        return
    hashes = {name: probe.statement().as_string(None) for name, (_, probe) in wanted.items()}
    statements = [*(query for query, _ in wanted.values()), *hashes.values()]
    values, errors = capture_queries(conninfo, {f"{i}": q for i, q in enumerate(statements)})
    for name, (query, probe) in wanted.items():
        expected = _hash_of(taken, probe.name) or {}
        seen = _first(values.get(hashes[name]))
        if query in errors:
            problem = errors[query]
        elif seen is None or (seen["rows"], seen["sha256"]) != (
            expected.get("rows"),
            expected.get("sha256"),
        ):
            problem = (
                f"{probe.name} was not the table its snapshot hashed when its rows were read "
                f"(rows {expected.get('rows')}, sha256 {str(expected.get('sha256'))[:12]} in "
                f"the snapshot; {_described(seen)} when read)"
            )
        else:
            rows = values[query]
            if name.startswith(WHOLE_ROWS):  # evidence keeps no secret
                rows = [[digest, scrubbed_row(row)] for digest, row in rows]
            taken["spec_queries"][name] = rows
            continue
        if refuse:
            taken["spec_query_errors"][name] = problem


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
