"""Forbidden: an extension added (any, or one by name)."""

from __future__ import annotations

from clausegate.checks import CheckKind, register
from clausegate.checks.evidence import Evidence, kind_depends, label, matching, verdict_from_changes
from clausegate.checks.verdict import Verdict
from clausegate.spec import Check


def rule(check: Check) -> str:
    name = check.body
    return "no extension may be added" if name is True else f"extension {name} may not be added"


def judge(check: Check, ev: Evidence) -> Verdict:
    name = check.body  # true (any extension) or one extension's name
    assert isinstance(name, bool | str)
    lines = matching(
        ev,
        lambda c: (
            label(c) == "extension"
            and c.action == "added"
            and (name is True or c.identity.split(".")[-1] == name)
        ),
    )
    return verdict_from_changes(check, lines, "an extension was added")


register(
    CheckKind(
        key="extension_added",
        schema={
            "type": ["boolean", "string"],
            "description": "`true`: no extension may be added; a name: that extension may not be.",
        },
        body=bool | str,
        rule=rule,
        judge=judge,
        depends=lambda check: kind_depends("extension"),
    )
)
