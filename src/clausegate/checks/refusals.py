"""Refusals: a call (after optional setup) that must return a value or raise an error, in a
transaction rolled back."""

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
    error_words,
    expectation_words,
    fault_in_expected_error,
    judge_step,
    one_line,
)
from clausegate.checks.verdict import Verdict, broken, failed, passed
from clausegate.db.probes import ProbeRun
from clausegate.spec import Check, ItemProblem


@dataclass(frozen=True)
class Refusal:
    """A call, after the setup statements, that must return what `expect` says or raise
    `error` (the schema asks for exactly one of them)."""

    call: str
    setup: tuple[str, ...] = ()
    expect: Expected | None = None
    error: ErrorWanted | None = None
    # Run once per row of inputs (checks.inputs): placeholders `{name}` in setup and call.
    inputs: Mapping[str, Any] | None = None
    cases: tuple[Mapping[str, Any], ...] | None = None
    # The spec's `as:` (a keyword in Python): the role the statements run as.
    as_: str | None = field(default=None, metadata={"key": "as"})
    application_name: str | None = None
    # The sequences its statements advance, declared with a reason (checks.advances).
    advances: tuple[Advance, ...] = ()

    @property
    def wanted(self) -> tuple[Wanted, ...]:
        """What each statement run must do: the setup only run, the call judged."""
        return (*(Wanted() for _ in self.setup), Wanted(self.expect, self.error))


def rule(check: Check) -> str:
    refusal = body_of(check, Refusal)
    setup = f" (after {len(refusal.setup)} setup statement(s))" if refusal.setup else ""
    if refusal.error is not None:
        wanted = f"raise {error_words(refusal.error)}"
    else:
        assert refusal.expect is not None  # the schema asks for one of them
        wanted = f"return {expectation_words(refusal.expect)}"
    rows = input_table.table(check.written)
    over = f", for each of {len(rows)} row(s) of inputs (each its own)" if rows else ""
    role = f", as role {refusal.as_}" if refusal.as_ else ""
    return (
        f"{one_line(refusal.call)}{setup} must {wanted}{over}{role}, in a transaction rolled back"
    )


def judge(check: Check, ev: Evidence) -> Verdict:
    refusal = body_of(check, Refusal)
    rows = input_table.table(check.written)
    if rows is not None:
        return input_table.judge_rows(
            check, ev, rows, lambda run, row: _judged_row(check, run, row)
        )
    run = ev.runs.get(check.id)
    if run is None:
        return broken(f"{check.title}: the refusal was not run")
    return _judged(check, run, refusal.wanted).verdict


def _judged_row(check: Check, run: ProbeRun, row: Row) -> input_table.RowOutcome:
    refusal = body_of(check, Refusal)
    wanted = (*refusal.wanted[:-1], input_table.wanted_of(row.case or {}, refusal.wanted[-1]))
    return _judged(check, run, wanted)


def _judged(check: Check, run: ProbeRun, wanted: tuple[Wanted, ...]) -> input_table.RowOutcome:
    if run.aborted is not None:
        verdict = aborted(check, run)
        return input_table.RowOutcome(verdict, _seen_error(verdict))
    fault = fault_in_expected_error(check, run, wanted)
    if fault is not None:
        return input_table.RowOutcome(fault, _seen_error(fault))
    call = run.steps[-1]
    problem, seen = judge_step(call, wanted[-1])
    sql_run = tuple(s.sql for s in run.steps)
    observed = call.error.as_dict() if call.error else call.value
    if problem:
        verdict = failed(
            f"{check.title}: {problem}",
            evidence=(f"{call.sql} → {seen}",),
            sql=sql_run,
            observed=observed,
        )
    else:
        verdict = passed(
            f"{check.title}: refused as expected",
            evidence=(f"{call.sql} → {seen}",),
            sql=sql_run,
            observed=observed,
        )
    return input_table.RowOutcome(verdict, seen)


def _seen_error(verdict: Verdict) -> str:
    """What a row that did not get to its call saw: the error that stopped it."""
    observed = verdict.observed
    if isinstance(observed, dict) and "sqlstate" in observed:
        return f"ERROR {observed['sqlstate']}: {observed.get('message')}"
    return "not run"


def _plan(refusal: Refusal, row: Row | None) -> tuple[tuple[str, ...], frozenset[int]]:
    statements = (*refusal.setup, refusal.call)
    wanted = refusal.wanted[-1]
    if row is not None:
        statements = input_table.filled(statements, row)
        wanted = input_table.wanted_of(row.case or {}, wanted)
    expected_error = {len(statements) - 1} if wanted.error is not None else set()
    return statements, frozenset(expected_error)


def probe(check: Check) -> Probe | ProbeTable:
    refusal = body_of(check, Refusal)
    return input_table.probe_of(
        check.written, lambda row: _plan(refusal, row), refusal.as_, refusal.application_name
    )


def lint(written: Mapping[str, Any]) -> list[ItemProblem]:
    statements: dict[tuple[str | int, ...], str] = {("call",): written["call"]}
    statements.update({("setup", n): sql for n, sql in enumerate(written.get("setup", ()))})
    return input_table.lint(written, statements)


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
                **inputs.schema(
                    {
                        "expect": expectation("What the call must return in this row."),
                        "error": error("The error the call must raise in this row."),
                    }
                ),
                "as": input_table.as_key_schema(),
                "application_name": input_table.application_name_schema(),
                "advances": advances.schema(),
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
        body=Refusal,
        rule=rule,
        judge=judge,
        probe=probe,
        lint=lint,
    )
)
