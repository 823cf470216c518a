"""A check judged by its kind (clausegate.checks); BROKEN when a part of a snapshot the
kind reads could not be read, or when a value it needs was not captured."""

from __future__ import annotations

from clausegate.checks.evidence import Evidence, Missing, blind_spots, not_compared
from clausegate.checks.verdict import Verdict, broken
from clausegate.spec import Check


def judge_by_kind(check: Check, ev: Evidence) -> Verdict:
    """A check judged by its kind (clausegate.checks); BROKEN when a part of a snapshot the
    kind reads could not be read."""
    from clausegate import checks

    kind = checks.kind_of(check)
    depends = kind.depends(check)
    if depends is not None:
        lines = blind_spots(ev, ("before", "after"), depends)
        if lines:
            return not_compared(check.title, lines)
    return kind.judge(check, ev)


def judge(check: Check, ev: Evidence) -> Verdict:
    """A check's verdict, by its kind (clausegate.checks); whatever it needs and was not
    captured makes it BROKEN."""
    if check.id in ev.withheld:
        return broken(f"{check.title}: not run: {ev.withheld[check.id]}")
    try:
        return judge_by_kind(check, ev)
    except Missing as exc:
        return broken(f"{check.title}: {exc}")
