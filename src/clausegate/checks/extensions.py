"""Regression metric: the set of installed extensions' names, as a sorted JSON list."""

from __future__ import annotations

from clausegate.checks import REGRESSION, CheckKind, register
from clausegate.checks.regression import regression
from clausegate.spec import Check


def query(check: Check, conninfo: str) -> str:
    return "SELECT coalesce(jsonb_agg(extname ORDER BY extname), '[]'::jsonb) FROM pg_extension"


register(
    CheckKind(
        section=REGRESSION,
        key="extensions",
        schema={
            "type": "boolean",
            "const": True,
            "description": "The set of installed extension names.",
        },
        judge=regression,
        query=query,
    )
)
