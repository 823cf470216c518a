"""Regression metric: the number of rows of one table, optionally only those matching a
SQL condition."""

from __future__ import annotations

from psycopg import sql

from clausegate.checks import REGRESSION, CheckKind, register
from clausegate.checks.metrics import relation
from clausegate.checks.regression import regression
from clausegate.spec import Check


def query(check: Check, conninfo: str) -> str:
    metric = check.body["metric"]
    statement = sql.SQL("SELECT count(*) FROM {}").format(relation(metric["rows"]))
    if "where" in metric:
        statement = sql.SQL("{} WHERE {}").format(statement, sql.SQL(metric["where"]))
    return statement.as_string(None)


register(
    CheckKind(
        section=REGRESSION,
        key="rows",
        schema={
            "type": "string",
            "description": "The number of rows of this table.",
        },
        judge=regression,
        query=query,
        qualifiers={
            "where": {
                "type": "string",
                "description": "With `rows`: a SQL condition the counted rows must match.",
            }
        },
    )
)
