"""Verdicts: what a check, a clause and a run come to.

The order of badness decides a clause's verdict (the worst of its checks) and a run's
exit code. BROKEN outranks FAIL: a check that could not be evaluated proves nothing,
and a red "broken" must never be read as a mere fail that someone can waive.
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
