"""Forbidden: a statement of a forbidden kind in the migration's text (NOTIFY, COPY … TO
PROGRAM, ALTER SYSTEM, role DDL…), at the top level or in any body it carries."""

from __future__ import annotations

from collections.abc import Callable

from clausegate.checks import CheckKind, body_of, register
from clausegate.checks.evidence import Evidence, listed
from clausegate.checks.migration_text import described, readable, unverifiable
from clausegate.checks.verdict import Verdict, broken, failed, passed
from clausegate.migration import DESCRIPTIONS, KINDS
from clausegate.migration.kinds import DYNAMIC_EXECUTE, FOREIGN_WRITE
from clausegate.spec import Check


def rule(check: Check) -> str:
    return "the migration may not use: " + ", ".join(body_of(check, tuple))


def judge(check: Check, ev: Evidence) -> Verdict:
    forbidden = body_of(check, tuple)
    read = readable(ev, check.title)
    if read.text is None:
        assert read.verdict is not None
        return read.verdict
    foreign: frozenset[str] = frozenset(read.text.foreign_created)
    if FOREIGN_WRITE in forbidden:
        if ev.foreign_tables is None:
            return broken(
                f"{check.title}: which relations are foreign tables is not known: the before "
                "snapshot's tables could not be read"
            )
        foreign |= ev.foreign_tables
    lines = [
        described(statement, kind)
        for statement in read.text.statements
        for kind in statement.kinds_with(foreign)
        if kind in forbidden
    ]
    blind = unverifiable(read.text, check.title, DYNAMIC_EXECUTE in forbidden)
    if blind is not None:
        return blind
    if lines:
        return failed(
            f"{check.title}: the migration uses a forbidden kind of statement",
            evidence=listed(lines),
            observed=lines,
        )
    return passed(
        f"{check.title}: none of {len(read.text.statements)} statement(s) is of a forbidden kind",
        observed=[],
    )


def depends(check: Check) -> Callable[[str], bool] | None:
    """The before snapshot's tables, where foreign tables are told apart, when forbidden."""
    return (lambda part: part == "tables") if FOREIGN_WRITE in body_of(check, tuple) else None


register(
    CheckKind(
        key="statement_used",
        schema={
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": {"enum": list(KINDS)},
            "description": (
                "Kinds of statement the migration may not contain, read from its text with "
                "PostgreSQL's parser, DO blocks and function bodies included: "
                + "; ".join(f"`{kind}`: {DESCRIPTIONS[kind]}" for kind in KINDS)
                + ". A dynamic EXECUTE of text that is not a constant makes the check BROKEN "
                "(not verifiable from the text) unless `dynamic_execute` is listed."
            ),
        },
        body=tuple[str, ...],
        rule=rule,
        judge=judge,
        depends=depends,
    )
)
