"""Regression metric: any SQL returning one value (one row, one column)."""

from __future__ import annotations

from clausegate.checks import REGRESSION, CheckKind, register
from clausegate.checks.regression import regression
from clausegate.spec import Check


def query(check: Check, conninfo: str) -> str:
    metric = check.body["metric"]
    return str(metric["sql"])


register(
    CheckKind(
        section=REGRESSION,
        key="sql",
        schema={
            "type": "string",
            "description": "Any SQL returning one value (one row, one column).",
        },
        judge=regression,
        query=query,
    )
)
