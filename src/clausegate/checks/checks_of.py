"""Regression metric: the number of CHECK constraints of one table."""

from __future__ import annotations

from dataclasses import dataclass

from psycopg import sql

from clausegate.checks import REGRESSION, CheckKind, body_of, register
from clausegate.checks.regression import RegressionRow, regression, regression_rule
from clausegate.spec import Check


@dataclass(frozen=True)
class ChecksOf:
    checks_of: str


def rule(check: Check) -> str:
    metric: ChecksOf = body_of(check, RegressionRow).metric
    return regression_rule(check, f"CHECK constraints of {metric.checks_of}")


def query(check: Check, conninfo: str) -> str:
    metric: ChecksOf = body_of(check, RegressionRow).metric
    return (
        sql.SQL(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = {}::regclass AND contype = 'c'"
        )
        .format(sql.Literal(metric.checks_of))
        .as_string(None)
    )


register(
    CheckKind(
        section=REGRESSION,
        key="checks_of",
        schema={
            "type": "string",
            "description": (
                "The number of CHECK constraints of this table (schema-qualified or in public)."
            ),
        },
        body=ChecksOf,
        rule=rule,
        judge=regression,
        query=query,
        value="number",
    )
)
