"""Forbidden: a call, in the migration's text, of a function whose name matches a pattern."""

from __future__ import annotations

from clausegate.checks import CheckKind, body_of, register
from clausegate.checks.evidence import Evidence, listed
from clausegate.checks.migration_text import described, readable, unverifiable
from clausegate.checks.verdict import Verdict, failed, passed
from clausegate.migration import matches
from clausegate.spec import Check


def patterns(check: Check) -> tuple[str, ...]:
    written = check.body
    return (written,) if isinstance(written, str) else tuple(body_of(check, tuple))


def rule(check: Check) -> str:
    return "the migration may not call a function matching " + ", ".join(patterns(check))


def judge(check: Check, ev: Evidence) -> Verdict:
    wanted = patterns(check)
    read = readable(ev, check.title)
    if read.text is None:
        assert read.verdict is not None
        return read.verdict
    blind = unverifiable(read.text, check.title, dynamic_listed=False)
    if blind is not None:
        return blind
    lines = [
        described(statement, f"calls {call}")
        for statement in read.text.statements
        for call in statement.calls
        if any(matches(call, pattern) for pattern in wanted)
    ]
    if lines:
        return failed(
            f"{check.title}: the migration calls a forbidden function",
            evidence=listed(lines),
            observed=lines,
        )
    return passed(f"{check.title}: no call of a function matching {', '.join(wanted)}",
                  observed=[])  # fmt: skip


register(
    CheckKind(
        key="function_called",
        schema={
            "oneOf": [
                {"type": "string", "minLength": 1},
                {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
            ],
            "description": (
                "A shell-style pattern (or a list of them) of function names the migration "
                "may not call, anywhere in its text: DO blocks and function bodies included, "
                "also as a trigger's, operator's, cast's or aggregate's function. A pattern "
                "matches the name as written (`pg_catalog.pg_notify`) or the name alone "
                "(`pg_notify`). A dynamic EXECUTE of text that is not a constant makes the "
                "check BROKEN (not verifiable from the text)."
            ),
        },
        body=str | tuple[str, ...],
        rule=rule,
        judge=judge,
    )
)
