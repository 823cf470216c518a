"""Forbidden: any change to the definition of one table (columns, constraints, indexes,
triggers, policies, privileges, comments, flags the server acts on)."""

from __future__ import annotations

from clausegate.checks import CheckKind, body_of, register
from clausegate.checks.evidence import (
    Evidence,
    catalog_depends,
    matching,
    qualified,
    table_of,
    verdict_from_changes,
)
from clausegate.checks.verdict import Verdict
from clausegate.spec import Check


def rule(check: Check) -> str:
    return f"the definition of table {qualified(body_of(check, str))} may not change"


def judge(check: Check, ev: Evidence) -> Verdict:
    table = qualified(body_of(check, str))
    lines = matching(
        ev,
        lambda c: (
            c.section == "catalog"
            and (
                c.identity == table
                or c.identity.startswith(table + ".")
                or table_of(c) == table  # indexes, statistics: named apart from it
            )
        ),
    )
    return verdict_from_changes(check, lines, f"the schema of {table} changed")


register(
    CheckKind(
        key="schema_changed",
        schema={
            "type": "string",
            "description": (
                "A table whose definition (columns, constraints, indexes, triggers, policies, "
                "privileges, comments) must not change."
            ),
        },
        body=str,
        rule=rule,
        judge=judge,
        depends=lambda check: catalog_depends,
    )
)
