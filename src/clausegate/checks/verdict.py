"""Verdicts: what a check, a clause and a run come to.

The order of badness decides a clause's verdict (the worst of its checks) and a run's
exit code. BROKEN outranks FAIL: a check that could not be evaluated proves nothing,
and a red "broken" must never be read as a mere fail that someone can waive.

A clause has one verdict more than a check: PARTIAL, when checks of it were left out of
the run (deselected, not run) and those that ran all held. A partial run can prove that a
clause fails, never that it holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any


class Status(Enum):
    PASS = "PASS"
    WAIVED = "WAIVED"
    KNOWN_OPEN = "KNOWN-OPEN"
    FAIL = "FAIL"
    BROKEN = "BROKEN"

    @property
    def rank(self) -> int:
        return list(Status).index(self)


class ClauseStatus(Enum):
    """A clause's verdict: the worst of its checks (the Status of the same name), or
    PARTIAL when that worst is PASS, WAIVED or KNOWN-OPEN and checks were left out."""

    PASS = "PASS"
    WAIVED = "WAIVED"
    KNOWN_OPEN = "KNOWN-OPEN"
    FAIL = "FAIL"
    BROKEN = "BROKEN"
    PARTIAL = "PARTIAL"

    @classmethod
    def of(cls, worst: Status, left_out: int) -> ClauseStatus:
        """The clause's verdict from the worst of the checks that ran and how many of its
        checks did not: a FAIL or BROKEN stands, anything else is PARTIAL with one left out."""
        if left_out and worst not in (Status.FAIL, Status.BROKEN):
            return cls.PARTIAL
        return cls(worst.value)


@dataclass(frozen=True)
class Verdict:
    """A check's outcome: a sentence, then the evidence lines, the SQL run and the value seen."""

    status: Status
    message: str
    evidence: tuple[str, ...] = ()
    sql: tuple[str, ...] = ()
    observed: Any = None

    def text(self) -> str:
        """The failure text: the sentence, then the evidence, then the SQL."""
        lines = [self.message, *self.evidence]
        lines.extend(f"SQL: {q}" for q in self.sql)
        return "\n".join(lines)


def worst(statuses: Iterable[Status]) -> Status:
    return max(statuses, key=lambda s: s.rank, default=Status.PASS)


def passed(message: str, **kw: Any) -> Verdict:
    return Verdict(Status.PASS, message, **kw)


def failed(message: str, **kw: Any) -> Verdict:
    return Verdict(Status.FAIL, message, **kw)


def broken(message: str, **kw: Any) -> Verdict:
    return Verdict(Status.BROKEN, message, **kw)
