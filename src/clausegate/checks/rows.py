"""Regression metric: the number of rows of one table, optionally only those matching a
SQL condition."""

from __future__ import annotations

from dataclasses import dataclass

from psycopg import sql

from clausegate.checks import REGRESSION, CheckKind, body_of, register
from clausegate.checks.metrics import relation
from clausegate.checks.regression import RegressionRow, regression, regression_rule
from clausegate.spec import Check


@dataclass(frozen=True)
class Rows:
    rows: str
    where: str | None = None


def counted_table(check: Check) -> str | None:
    """The table a regression row counts the rows of (None: its metric is another)."""
    metric = body_of(check, RegressionRow).metric
    return metric.rows if isinstance(metric, Rows) else None


def rule(check: Check) -> str:
    metric: Rows = body_of(check, RegressionRow).metric
    where = f" where {metric.where}" if metric.where else ""
    return regression_rule(check, f"rows of {metric.rows}{where}")


def query(check: Check, conninfo: str) -> str:
    metric: Rows = body_of(check, RegressionRow).metric
    statement = sql.SQL("SELECT count(*) FROM {}").format(relation(metric.rows))
    if metric.where is not None:
        statement = sql.SQL("{} WHERE {}").format(statement, sql.SQL(metric.where))
    return statement.as_string(None)


register(
    CheckKind(
        section=REGRESSION,
        key="rows",
        schema={
            "type": "string",
            "description": "The number of rows of this table.",
        },
        body=Rows,
        rule=rule,
        judge=regression,
        query=query,
        value="number",
        qualifiers={
            "where": {
                "type": "string",
                "description": "With `rows`: a SQL condition the counted rows must match.",
            }
        },
    )
)
