"""Proofs: steps in one transaction, rolled back, each with what it must return or raise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from clausegate.checks import (
    CheckKind,
    Probe,
    ProbeTable,
    advances,
    body_of,
    expect,
    input_table,
    inputs,
    register,
)
from clausegate.checks._schema import SQL_TEXT, error, expectation
from clausegate.checks.advances import Advance
from clausegate.checks.body import ErrorWanted, Expected
from clausegate.checks.evidence import Evidence
from clausegate.checks.inputs import Row
from clausegate.checks.statements import (
    Wanted,
    aborted,
    fault_in_expected_error,
    judge_step,
)
from clausegate.checks.verdict import Verdict, broken, failed, passed
from clausegate.db.probes import ProbeRun
from clausegate.spec import Check, ItemProblem


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
    # Run once per row of inputs (checks.inputs): placeholders `{name}` in the steps' SQL; a
    # case's `steps: {N: {expect: …}}` gives step N (from 1) its own expectation in that row.
    inputs: Mapping[str, Any] | None = None
    cases: tuple[Mapping[str, Any], ...] | None = None
    as_: str | None = field(default=None, metadata={"key": "as"})
    application_name: str | None = None
    # The sequences its statements advance, declared with a reason (checks.advances).
    advances: tuple[Advance, ...] = ()

    def wanted(self, row: Row | None) -> tuple[Wanted, ...]:
        """What each step must do, in `row` (its case's own expectations applied)."""
        wanted = [s.wanted for s in self.steps]
        own = (row.case or {}).get("steps", {}) if row is not None else {}
        for number, written in own.items():
            index = int(number) - 1
            wanted[index] = input_table.wanted_of(written, wanted[index])
        return tuple(wanted)


def rule(check: Check) -> str:
    proof = body_of(check, Proof)
    rows = input_table.table(check.written)
    over = f", for each of {len(rows)} row(s) of inputs (each its own)" if rows else ""
    role = f", as role {proof.as_}" if proof.as_ else ""
    return (
        f"{len(proof.steps)} step(s) in one transaction, rolled back, each as expected{over}{role}"
    )


def judge(check: Check, ev: Evidence) -> Verdict:
    proof = body_of(check, Proof)
    rows = input_table.table(check.written)
    if rows is not None:
        return input_table.judge_rows(
            check, ev, rows, lambda run, row: _judged(check, run, proof.wanted(row))
        )
    run = ev.runs.get(check.id)
    if run is None:
        return broken(f"{check.title}: the proof was not run")
    return _judged(check, run, proof.wanted(None)).verdict


def _judged(check: Check, run: ProbeRun, wanted: tuple[Wanted, ...]) -> input_table.RowOutcome:
    if run.aborted is not None:
        verdict = aborted(check, run)
        return input_table.RowOutcome(verdict, f"stopped: {verdict.message}")
    fault = fault_in_expected_error(check, run, wanted)
    if fault is not None:
        return input_table.RowOutcome(fault, f"stopped: {fault.message}")
    steps = body_of(check, Proof).steps
    lines, problems = [], []
    for number, (step, written, asked) in enumerate(zip(run.steps, steps, wanted, strict=True), 1):
        problem, seen = judge_step(step, asked)
        title = written.title or step.sql
        lines.append(f"step {number} ({title}) → {seen}")
        if problem:
            problems.append(f"step {number} ({title}): {problem}")
    sql_run = tuple(s.sql for s in run.steps)
    observed = [s.error.as_dict() if s.error else s.value for s in run.steps]
    if problems:
        return input_table.RowOutcome(
            failed(
                f"{check.title}: {problems[0]}",
                evidence=tuple(problems + lines),
                sql=sql_run,
                observed=observed,
            ),
            problems[0],
        )
    return input_table.RowOutcome(
        passed(
            f"{check.title}: {len(run.steps)} step(s) as expected",
            evidence=tuple(lines),
            sql=sql_run,
            observed=observed,
        ),
        f"{len(run.steps)} step(s) as expected; last {expect.show(observed[-1])}",
    )


def _plan(proof: Proof, row: Row | None) -> tuple[tuple[str, ...], frozenset[int]]:
    statements = tuple(s.sql for s in proof.steps)
    if row is not None:
        statements = input_table.filled(statements, row)
    errors = frozenset(i for i, w in enumerate(proof.wanted(row)) if w.error is not None)
    return statements, errors


def probe(check: Check) -> Probe | ProbeTable:
    proof = body_of(check, Proof)
    return input_table.probe_of(
        check.written, lambda row: _plan(proof, row), proof.as_, proof.application_name
    )


def lint(written: Mapping[str, Any]) -> list[ItemProblem]:
    steps = written["steps"]
    statements: dict[tuple[str | int, ...], str] = {
        ("steps", n, "sql"): step["sql"] for n, step in enumerate(steps)
    }
    problems = input_table.lint(written, statements)
    for number, case in enumerate(written.get("cases") or ()):
        for step in case.get("steps", {}):
            if not 1 <= int(step) <= len(steps):
                problems.append(
                    ItemProblem(
                        ("cases", number, "steps"),
                        f"cases[{number}].steps names step {step}; the proof has steps 1 to "
                        f"{len(steps)}",
                    )
                )
    return problems


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
                **inputs.schema(
                    {
                        "steps": {
                            "type": "object",
                            "description": (
                                "Step number (from 1) → what that step must do in this row."
                            ),
                            "propertyNames": {"pattern": "^[1-9][0-9]*$"},
                            "additionalProperties": {
                                "type": "object",
                                "additionalProperties": False,
                                "properties": {
                                    "expect": expectation("What the step returns in this row."),
                                    "error": error("The error the step raises in this row."),
                                },
                                "minProperties": 1,
                                "maxProperties": 1,
                            },
                        }
                    }
                ),
                "as": input_table.as_key_schema(),
                "application_name": input_table.application_name_schema(),
                "advances": advances.schema(),
            },
            "required": ["steps"],
        },
        body=Proof,
        rule=rule,
        judge=judge,
        probe=probe,
        lint=lint,
    )
)
