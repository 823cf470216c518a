"""What the kinds that read the migration's text share: the text, or why it cannot be
judged (none was given, it did not parse, or part of it is only known at run time)."""

from __future__ import annotations

from dataclasses import dataclass

from clausegate.checks.evidence import Evidence, listed
from clausegate.checks.verdict import Verdict, broken
from clausegate.migration import MigrationText, Statement
from clausegate.migration.kinds import DYNAMIC_EXECUTE
from clausegate.migration.model import DYNAMIC


@dataclass(frozen=True)
class Readable:
    """The migration's statements, or the verdict that they cannot be judged."""

    text: MigrationText | None
    verdict: Verdict | None


def readable(ev: Evidence, title: str) -> Readable:
    """The text when it was read whole; else BROKEN naming the file:line and the parser's
    message, or what to pass."""
    text = ev.migration
    if text is None:
        return Readable(None, broken(f"{title}: the migration's text was not read: "
                                     f"{ev.no_migration}"))  # fmt: skip
    if text.problems:
        lines = text.problem_lines()
        return Readable(None, broken(f"{title}: {lines[0]}", evidence=listed(lines)))
    return Readable(text, None)


def unverifiable(text: MigrationText, title: str, dynamic_listed: bool) -> Verdict | None:
    """BROKEN when what the migration runs is not all in its text (a dynamic EXECUTE, a
    body in another language), unless every such statement is a dynamic EXECUTE and the
    check itself forbids dynamic_execute (then the check FAILs on them)."""
    left = [
        s
        for s in text.unverifiable
        if not (dynamic_listed and (s.unverifiable == DYNAMIC or DYNAMIC_EXECUTE in s.kinds))
    ]
    if not left:
        return None
    lines = [f"{s.unverifiable} at line {s.line} ({s.where}): {s.text}" for s in left]
    first = left[0]
    return broken(
        f"{title}: not verifiable from the text: {first.unverifiable} at line {first.line}",
        evidence=listed(lines),
    )


def described(statement: Statement, what: str) -> str:
    where = "" if statement.where == "top level" else f" ({statement.where})"
    return f"line {statement.line}: {what}{where}: {statement.text}"
