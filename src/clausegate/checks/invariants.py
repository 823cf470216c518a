"""Invariants: a query on the state after, in a READ ONLY transaction, and what it returns."""

from __future__ import annotations

from dataclasses import dataclass

from clausegate.checks import CheckKind, Probe, body_of, register
from clausegate.checks._schema import SQL_TEXT, expectation
from clausegate.checks.body import Expected
from clausegate.checks.evidence import Evidence
from clausegate.checks.statements import Wanted, aborted, expectation_words, judge_step, one_line
from clausegate.checks.verdict import Verdict, broken, failed, passed
from clausegate.spec import Check


@dataclass(frozen=True)
class Invariant:
    sql: str
    expect: Expected


def rule(check: Check) -> str:
    invariant = body_of(check, Invariant)
    wanted = expectation_words(invariant.expect)
    return f"{one_line(invariant.sql)} must return {wanted} on the state after (read only)"


def judge(check: Check, ev: Evidence) -> Verdict:
    run = ev.runs.get(check.id)
    if run is None:
        return broken(f"{check.title}: the invariant was not run")
    if run.aborted is not None:
        return aborted(check, run)
    step = run.steps[0]
    problem, seen = judge_step(step, Wanted(expect=body_of(check, Invariant).expect))
    if problem:
        return failed(
            f"{check.title}: {problem}",
            evidence=(f"{step.sql} → {seen}",),
            sql=(step.sql,),
            observed=step.value,
        )
    return passed(f"{check.title}: {seen}", sql=(step.sql,), observed=step.value)


def probe(check: Check) -> Probe:
    # The first statement is the harness's own: not shown, not judged.
    return Probe(
        ("SET TRANSACTION READ ONLY", body_of(check, Invariant).sql), frozenset(), hidden=1
    )


register(
    CheckKind(
        section="invariants",
        key="invariants",
        schema={
            "type": "object",
            "description": "An assertion on the state after the migration (read only).",
            "additionalProperties": False,
            "properties": {
                "sql": SQL_TEXT,
                "expect": expectation(
                    "The value the query must return (first column of the first row)."
                ),
            },
            "required": ["sql", "expect"],
        },
        body=Invariant,
        rule=rule,
        judge=judge,
        probe=probe,
    )
)
