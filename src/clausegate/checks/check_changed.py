"""Forbidden: a CHECK constraint of one table added, removed, widened or otherwise changed."""

from __future__ import annotations

from clausegate.checks import CheckKind, body_of, expect, register
from clausegate.checks.evidence import (
    Evidence,
    catalog_depends,
    label,
    matching,
    qualified,
    verdict_from_changes,
)
from clausegate.checks.verdict import Verdict
from clausegate.spec import Check


def rule(check: Check) -> str:
    table = qualified(body_of(check, str))
    return f"no CHECK constraint of {table} may be added, removed, widened or changed"


def judge(check: Check, ev: Evidence) -> Verdict:
    table = qualified(body_of(check, str))
    lines = matching(
        ev,
        lambda c: (
            label(c) == "constraint"
            and c.identity.startswith(table + ".")
            and "CHECK" in expect.show([c.before, c.after])
        ),
    )
    return verdict_from_changes(check, lines, f"a CHECK constraint of {table} changed")


register(
    CheckKind(
        key="check_changed",
        schema={
            "type": "string",
            "description": (
                "A table none of whose CHECK constraints may be added, removed, widened or "
                "otherwise changed."
            ),
        },
        body=str,
        rule=rule,
        judge=judge,
        depends=lambda check: catalog_depends,
    )
)
