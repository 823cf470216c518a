"""A regression row judged, whatever its metric (count, checks_of, extensions, rows, sql):
the value before and after against what the row expects of each and of the difference."""

from __future__ import annotations

from clausegate.checks import expect
from clausegate.checks.evidence import Evidence, Missing, rows_of, scalar
from clausegate.checks.verdict import Verdict, broken, failed, passed
from clausegate.spec import Check


def metric_query(check: Check) -> str:
    """The query of a regression row's metric (its kind's; metrics need no connection)."""
    from clausegate import checks

    query = checks.kind_of(check).query
    assert query is not None  # every metric kind has one
    return query(check, "")


def regression(check: Check, ev: Evidence) -> Verdict:
    """A regression row, whatever its metric: the value before and after against what the
    row expects of each and of the difference."""
    query = ev.queries.get(check.id) or metric_query(check)
    try:
        before = scalar(rows_of(ev.before, query, "the before state", ev))
        after = scalar(rows_of(ev.after, query, "the after state", ev))
    except Missing as exc:
        return broken(f"{check.title}: {exc}", sql=(query,))
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (before, after))
    delta = after - before if numeric else None
    observed = {"before": before, "after": after, "delta": delta}
    problems = []
    for key, seen in observed.items():
        if key not in check.body:
            continue
        if key == "delta" and not numeric:
            problems.append(
                f"Δ: cannot be computed from {expect.show(before)} and {expect.show(after)}"
            )
            continue
        outcome = expect.check(check.body[key], seen)
        if not outcome.ok:
            problems.append(f"{key}: expected {outcome.expected}, seen {outcome.seen}")
    shown = f"before {expect.show(before)}, after {expect.show(after)}" + (
        f", Δ {delta:+}" if delta is not None else ""
    )
    evidence = (shown, *problems)
    if "tolerance" in check.body:
        evidence = (*evidence, f"tolerance applied: {check.body['tolerance']['reason']}")
    if problems:
        return failed(
            f"{check.title}: {problems[0]}", evidence=evidence, sql=(query,), observed=observed
        )
    return passed(f"{check.title}: {shown}", evidence=evidence, sql=(query,), observed=observed)
