"""Refusals: a call (after optional setup) that must return a value or raise an error, in a
transaction rolled back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clausegate.checks import CheckKind, Probe, register
from clausegate.checks._schema import SQL_TEXT, error, expectation
from clausegate.checks.evidence import Evidence
from clausegate.checks.statements import aborted, fault_in_expected_error, judge_step
from clausegate.checks.verdict import Verdict, broken, failed, passed
from clausegate.spec import Check


def judge(check: Check, ev: Evidence) -> Verdict:
    run = ev.runs.get(check.id)
    if run is None:
        return broken(f"{check.title}: the refusal was not run")
    if run.aborted is not None:
        return aborted(check, run)
    setup: list[Mapping[str, Any]] = [{} for _ in check.body.get("setup", [])]
    fault = fault_in_expected_error(check, run, [*setup, check.body])
    if fault is not None:
        return fault
    call = run.steps[-1]
    problem, seen = judge_step(call, check.body)
    sql_run = tuple(s.sql for s in run.steps)
    observed = call.error.as_dict() if call.error else call.value
    if problem:
        return failed(
            f"{check.title}: {problem}",
            evidence=(f"{call.sql} → {seen}",),
            sql=sql_run,
            observed=observed,
        )
    return passed(
        f"{check.title}: refused as expected",
        evidence=(f"{call.sql} → {seen}",),
        sql=sql_run,
        observed=observed,
    )


def probe(check: Check) -> Probe:
    statements = (*check.body.get("setup", []), check.body["call"])
    expected_error = {len(statements) - 1} if "error" in check.body else set()
    return Probe(statements, frozenset(expected_error))


register(
    CheckKind(
        section="refusals",
        key="refusals",
        schema={
            "type": "object",
            "description": (
                "A call that must be refused, inside a transaction that is always rolled back."
            ),
            "additionalProperties": False,
            "properties": {
                "setup": {
                    "type": "array",
                    "description": "SQL run first, inside the same rolled-back transaction.",
                    "items": {
                        "type": "string",
                        "description": (
                            "SQL text. Values that vary belong in the SQL itself; it runs as "
                            "written."
                        ),
                        "minLength": 1,
                    },
                },
                "call": SQL_TEXT,
                "expect": expectation(
                    "The value the call must return (the refusal), e.g. a JSON subset."
                ),
                "error": error(),
            },
            "required": ["call"],
            "oneOf": [
                {
                    "required": ["expect"],
                },
                {
                    "required": ["error"],
                },
            ],
        },
        judge=judge,
        probe=probe,
    )
)
