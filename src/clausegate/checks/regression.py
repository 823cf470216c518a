"""A regression row judged, whatever its metric (count, checks_of, extensions, rows, sql):
the value before and after against what the row expects of each and of the difference."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clausegate.checks import body_of, expect
from clausegate.checks.body import Expected
from clausegate.checks.evidence import Evidence, Missing, rows_of, scalar
from clausegate.checks.statements import expectation_words
from clausegate.checks.verdict import Verdict, broken, failed, passed
from clausegate.spec import Check


@dataclass(frozen=True)
class Tolerance:
    """A row count that other sessions' inserts may change on a live database, and why."""

    reason: str
    reference: str | None = None


@dataclass(frozen=True)
class RegressionRow:
    """A regression row: its metric (typed by the metric's kind) and what it expects of
    the value before, after, and of the difference."""

    metric: Any
    before: Expected | None = None
    after: Expected | None = None
    delta: Expected | None = None
    tolerance: Tolerance | None = None


def regression_rule(check: Check, metric: str) -> str:
    """A regression row's rule: its metric in words, then what it expects of the value
    before, after and of the difference (`tables in user schemas: before 271, after 271`)."""
    row = body_of(check, RegressionRow)
    wanted = [
        f"{label} {_words(expected, signed=label == 'Δ')}"
        for label, expected in (("before", row.before), ("after", row.after), ("Δ", row.delta))
        if expected is not None
    ]
    tolerant = " (tolerant of background traffic)" if row.tolerance is not None else ""
    return f"{metric}: {', '.join(wanted) or 'recorded'}{tolerant}"


def _words(expected: Expected, signed: bool) -> str:
    value = expected.value
    if signed and isinstance(value, int) and not isinstance(value, bool):
        return f"{value:+}" if value else "0"
    return expectation_words(expected)


def metric_query(check: Check) -> str:
    """The query of a regression row's metric (its kind's; metrics need no connection)."""
    from clausegate import checks

    query = checks.kind_of(check).query
    assert query is not None  # every metric kind has one
    return query(check, "")


def regression(check: Check, ev: Evidence) -> Verdict:
    """A regression row, whatever its metric: the value before and after against what the
    row expects of each and of the difference."""
    row = body_of(check, RegressionRow)
    query = ev.queries.get(check.id) or metric_query(check)
    try:
        before = scalar(rows_of(ev.before, query, "the before state", ev))
        after = scalar(rows_of(ev.after, query, "the after state", ev))
    except Missing as exc:
        return broken(f"{check.title}: {exc}", sql=(query,))
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (before, after))
    delta = after - before if numeric else None
    observed = {"before": before, "after": after, "delta": delta}
    wanted = {"before": row.before, "after": row.after, "delta": row.delta}
    problems = []
    for key, seen in observed.items():
        expected = wanted[key]
        if expected is None:
            continue
        if key == "delta" and not numeric:
            problems.append(
                f"Δ: cannot be computed from {expect.show(before)} and {expect.show(after)}"
            )
            continue
        outcome = expect.check(expected.value, seen)
        if not outcome.ok:
            problems.append(f"{key}: expected {outcome.expected}, seen {outcome.seen}")
    shown = f"before {expect.show(before)}, after {expect.show(after)}" + (
        f", Δ {delta:+}" if delta is not None else ""
    )
    evidence = (shown, *problems)
    if row.tolerance is not None:
        evidence = (*evidence, f"tolerance applied: {row.tolerance.reason}")
    if problems:
        return failed(
            f"{check.title}: {problems[0]}", evidence=evidence, sql=(query,), observed=observed
        )
    return passed(f"{check.title}: {shown}", evidence=evidence, sql=(query,), observed=observed)
