"""Regression metric: how many catalog objects of a kind there are in user schemas (not
pg_catalog, information_schema, pg_toast, temporary schemas; not extension members),
optionally in one schema or with names LIKE a pattern."""

from __future__ import annotations

from dataclasses import dataclass

from clausegate.checks import REGRESSION, CheckKind, body_of, register
from clausegate.checks.metrics import count_sql
from clausegate.checks.regression import RegressionRow, regression, regression_rule
from clausegate.spec import Check


@dataclass(frozen=True)
class Count:
    count: str
    schema: str | None = None
    name_like: str | None = None


def rule(check: Check) -> str:
    metric: Count = body_of(check, RegressionRow).metric
    where = f"in schema {metric.schema}" if metric.schema else "in user schemas"
    named = f" named like {metric.name_like}" if metric.name_like else ""
    return regression_rule(check, f"{metric.count} {where}{named}")


def query(check: Check, conninfo: str) -> str:
    metric: Count = body_of(check, RegressionRow).metric
    return count_sql(metric.count, metric.schema, metric.name_like)


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
        body=Count,
        rule=rule,
        judge=regression,
        query=query,
        value="number",
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
