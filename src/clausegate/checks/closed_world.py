"""The closed world: every change the migration made is declared (an expected change,
or a table's data change a regression row counts); a sequence advanced by background
traffic is tolerated where the spec says so, in a live verify only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from clausegate.checks import IMPLICIT, CheckKind, body_of, register
from clausegate.checks.advances import grew
from clausegate.checks.evidence import (
    ChangeLike,
    Evidence,
    blind_spots,
    listed,
    not_compared,
    qualified,
)
from clausegate.checks.expected_changes import declared
from clausegate.checks.regression import RegressionRow
from clausegate.checks.rows import counted_table
from clausegate.checks.verdict import Verdict, failed, passed
from clausegate.spec import Spec


def covered_by_regression(change: ChangeLike, spec: Spec, background_traffic: bool) -> bool:
    """A table's data change is covered when a regression row counts that table's rows
    and the number of rows changed: a count cannot speak for rows changed in place. A row
    that tolerates background traffic covers nothing where there is none (a gate): there,
    every row added is the migration's."""
    if change.section not in ("data", "probes") or change.kind == "row":
        return False
    if change.kind == "content_hash":
        counts = [side.get("rows") if side else None for side in (change.before, change.after)]
        if counts[0] == counts[1]:
            return False
    return any(
        (table := counted_table(c)) is not None
        and qualified(table) == change.identity
        and (background_traffic or body_of(c, RegressionRow).tolerance is None)
        for c in spec.section("regression")
    )


def undeclared(ev: Evidence) -> list[ChangeLike]:
    expected = ev.spec.section("expected_changes")
    return [
        c
        for c in ev.changes
        if not any(declared(c, e) for e in expected)
        and not covered_by_regression(c, ev.spec, ev.background_traffic)
    ]


def tolerated(change: ChangeLike, sequences: Mapping[str, str]) -> str | None:
    """The line saying why a change is tolerated, or None. Only a sequence named in
    `sequences` (one owned by a table whose row count the spec declares tolerant of
    background traffic: inserts by other sessions advance it) that advanced: its last value
    grew and nothing else changed. A sequence set back, or any other one, still counts."""
    why = sequences.get(change.identity)
    if why is None or not grew(change):
        return None
    return f"{change.line} (tolerated: {why})"


def tolerance(
    changes: Sequence[ChangeLike], sequences: Mapping[str, str]
) -> tuple[list[str], list[str]]:
    """(lines of the changes that count, lines of those tolerated)."""
    judged = [(c, tolerated(c, sequences)) for c in changes]
    return [c.text for c, why in judged if why is None], [why for _, why in judged if why]


def closed_world(ev: Evidence) -> Verdict:
    lines, allowed = tolerance(undeclared(ev), ev.tolerated)
    blind = blind_spots(ev, ("before", "after"))
    if blind:
        return not_compared("closed world", blind, lines)
    if lines:
        return failed(
            f"{len(lines)} change(s) not declared under expected_changes",
            evidence=listed(lines + allowed),
            observed=lines,
        )
    if allowed:
        return passed(
            f"every one of the {len(ev.changes)} change(s) is declared or tolerated "
            f"({len(allowed)} tolerated as background traffic)",
            evidence=listed(allowed),
        )
    return passed(f"every one of the {len(ev.changes)} change(s) is declared")


register(
    CheckKind(
        section=IMPLICIT,
        key="closed_world",
        schema={},
        judge=lambda check, ev: closed_world(ev),
        rule=lambda check: (
            "every change the migration makes is declared under expected_changes or counted "
            "by a regression row"
        ),
        title="Every change the migration made is declared (closed world)",
        applies=lambda spec: spec.closed_world,
    )
)
