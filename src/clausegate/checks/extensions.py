"""Regression metric: the set of installed extensions' names, as a sorted JSON list."""

from __future__ import annotations

from dataclasses import dataclass

from clausegate.checks import REGRESSION, CheckKind, register
from clausegate.checks.regression import regression, regression_rule
from clausegate.spec import Check


@dataclass(frozen=True)
class Extensions:
    extensions: bool


def rule(check: Check) -> str:
    return regression_rule(check, "the installed extensions")


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
        body=Extensions,
        rule=rule,
        judge=regression,
        query=query,
        value="list",
    )
)
