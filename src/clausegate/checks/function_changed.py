"""Forbidden: a function whose identity matches a pattern changed or disappeared."""

from __future__ import annotations

import fnmatch

from clausegate.checks import CheckKind, body_of, register
from clausegate.checks.evidence import (
    Evidence,
    catalog_depends,
    label,
    matching,
    verdict_from_changes,
)
from clausegate.checks.verdict import Verdict
from clausegate.spec import Check


def rule(check: Check) -> str:
    return f"no function matching {body_of(check, str)} may change or disappear"


def judge(check: Check, ev: Evidence) -> Verdict:
    pattern = body_of(check, str)
    lines = matching(
        ev, lambda c: label(c) == "function" and fnmatch.fnmatchcase(c.identity, pattern)
    )
    return verdict_from_changes(check, lines, f"a function matching {pattern} changed")


register(
    CheckKind(
        key="function_changed",
        schema={
            "type": "string",
            "description": (
                "A shell-style pattern of function identities (e.g. `public.fn_iu_op_*`) that "
                "must not change or disappear."
            ),
        },
        body=str,
        rule=rule,
        judge=judge,
        depends=lambda check: catalog_depends,
    )
)
