"""Proofs: steps in one transaction, rolled back, each with what it must return or raise."""

from __future__ import annotations

from dataclasses import dataclass

from clausegate.checks import CheckKind, Probe, body_of, register
from clausegate.checks._schema import SQL_TEXT, error, expectation
from clausegate.checks.body import ErrorWanted, Expected
from clausegate.checks.evidence import Evidence
from clausegate.checks.statements import (
    Wanted,
    aborted,
    fault_in_expected_error,
    judge_step,
)
from clausegate.checks.verdict import Verdict, broken, failed, passed
from clausegate.spec import Check


@dataclass(frozen=True)
class Step:
    sql: str
    title: str | None = None
    expect: Expected | None = None
    error: ErrorWanted | None = None

    @property
    def wanted(self) -> Wanted:
        return Wanted(self.expect, self.error)


@dataclass(frozen=True)
class Proof:
    steps: tuple[Step, ...]


def rule(check: Check) -> str:
    steps = body_of(check, Proof).steps
    return f"{len(steps)} step(s) in one transaction, rolled back, each as expected"


def judge(check: Check, ev: Evidence) -> Verdict:
    run = ev.runs.get(check.id)
    if run is None:
        return broken(f"{check.title}: the proof was not run")
    if run.aborted is not None:
        return aborted(check, run)
    steps = body_of(check, Proof).steps
    fault = fault_in_expected_error(check, run, [s.wanted for s in steps])
    if fault is not None:
        return fault
    lines, problems = [], []
    for number, (step, written) in enumerate(zip(run.steps, steps, strict=True), 1):
        problem, seen = judge_step(step, written.wanted)
        title = written.title or step.sql
        lines.append(f"step {number} ({title}) → {seen}")
        if problem:
            problems.append(f"step {number} ({title}): {problem}")
    sql_run = tuple(s.sql for s in run.steps)
    observed = [s.error.as_dict() if s.error else s.value for s in run.steps]
    if problems:
        return failed(
            f"{check.title}: {problems[0]}",
            evidence=tuple(problems + lines),
            sql=sql_run,
            observed=observed,
        )
    return passed(
        f"{check.title}: {len(run.steps)} step(s) as expected",
        evidence=tuple(lines),
        sql=sql_run,
        observed=observed,
    )


def probe(check: Check) -> Probe:
    steps = body_of(check, Proof).steps
    errors = frozenset(i for i, s in enumerate(steps) if s.error is not None)
    return Probe(tuple(s.sql for s in steps), errors)


register(
    CheckKind(
        section="proofs",
        key="proofs",
        schema={
            "type": "object",
            "description": (
                "A multi-step positive scenario inside one transaction that is always rolled back."
            ),
            "additionalProperties": False,
            "properties": {
                "steps": {
                    "type": "array",
                    "description": "The steps, run in order; each may expect a value.",
                    "items": {
                        "type": "object",
                        "description": "One step of a bounded proof.",
                        "additionalProperties": False,
                        "properties": {
                            "title": {
                                "type": "string",
                                "description": (
                                    "One line saying what is checked, in the auditor's words."
                                ),
                            },
                            "sql": SQL_TEXT,
                            "expect": expectation(
                                "The value this step must return (first column of the first row)."
                            ),
                            "error": error(),
                        },
                        "required": ["sql"],
                    },
                    "minItems": 1,
                },
            },
            "required": ["steps"],
        },
        body=Proof,
        rule=rule,
        judge=judge,
        probe=probe,
    )
)
