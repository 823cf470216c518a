"""Regression metric: any SQL returning one value (one row, one column)."""

from __future__ import annotations

from dataclasses import dataclass

from clausegate.checks import REGRESSION, CheckKind, body_of, register
from clausegate.checks.regression import RegressionRow, regression, regression_rule
from clausegate.checks.statements import one_line
from clausegate.spec import Check


@dataclass(frozen=True)
class Sql:
    sql: str


def rule(check: Check) -> str:
    metric: Sql = body_of(check, RegressionRow).metric
    return regression_rule(check, f"the value of {one_line(metric.sql)}")


def query(check: Check, conninfo: str) -> str:
    metric: Sql = body_of(check, RegressionRow).metric
    return metric.sql


register(
    CheckKind(
        section=REGRESSION,
        key="sql",
        schema={
            "type": "string",
            "description": "Any SQL returning one value (one row, one column).",
        },
        body=Sql,
        rule=rule,
        judge=regression,
        query=query,
    )
)
