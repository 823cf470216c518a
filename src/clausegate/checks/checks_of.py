"""Regression metric: the number of CHECK constraints of one table."""

from __future__ import annotations

from psycopg import sql

from clausegate.checks import REGRESSION, CheckKind, register
from clausegate.checks.regression import regression
from clausegate.spec import Check


def query(check: Check, conninfo: str) -> str:
    metric = check.body["metric"]
    return (
        sql.SQL(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = {}::regclass AND contype = 'c'"
        )
        .format(sql.Literal(metric["checks_of"]))
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
        judge=regression,
        query=query,
    )
)
