"""Regression metric: how many catalog objects of a kind there are in user schemas (not
pg_catalog, information_schema, pg_toast, temporary schemas; not extension members),
optionally in one schema or with names LIKE a pattern."""

from __future__ import annotations

from clausegate.checks import REGRESSION, CheckKind, register
from clausegate.checks.metrics import count_sql
from clausegate.checks.regression import regression
from clausegate.spec import Check


def query(check: Check, conninfo: str) -> str:
    metric = check.body["metric"]
    return count_sql(metric["count"], metric.get("schema"), metric.get("name_like"))


register(
    CheckKind(
        section=REGRESSION,
        key="count",
        schema={
            "type": "string",
            "description": (
                "Count catalog objects of this kind in user schemas (not pg_catalog, "
                "information_schema, pg_toast, temp schemas; not extension members)."
            ),
            "enum": [
                "tables",
                "views",
                "matviews",
                "functions",
                "sequences",
                "indexes",
                "triggers",
                "schemas",
                "types",
                "policies",
            ],
        },
        judge=regression,
        query=query,
        qualifiers={
            "name_like": {
                "type": "string",
                "description": "With `count`: only objects whose name matches this LIKE pattern.",
            },
            "schema": {
                "type": "string",
                "description": "With `count`: only objects in this schema.",
            },
        },
    )
)
