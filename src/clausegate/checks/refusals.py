"""Refusals: a call (after optional setup) that must return a value or raise an error, in a
transaction rolled back."""

from __future__ import annotations

from dataclasses import dataclass

from clausegate.checks import CheckKind, Probe, body_of, register
from clausegate.checks._schema import SQL_TEXT, error, expectation
from clausegate.checks.body import ErrorWanted, Expected
from clausegate.checks.evidence import Evidence
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
from clausegate.spec import Check


@dataclass(frozen=True)
class Refusal:
    """A call, after the setup statements, that must return what `expect` says or raise
    `error` (the schema asks for exactly one of them)."""

    call: str
    setup: tuple[str, ...] = ()
    expect: Expected | None = None
    error: ErrorWanted | None = None

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
    return f"{one_line(refusal.call)}{setup} must {wanted}, in a transaction rolled back"


def judge(check: Check, ev: Evidence) -> Verdict:
    run = ev.runs.get(check.id)
    if run is None:
        return broken(f"{check.title}: the refusal was not run")
    if run.aborted is not None:
        return aborted(check, run)
    refusal = body_of(check, Refusal)
    fault = fault_in_expected_error(check, run, refusal.wanted)
    if fault is not None:
        return fault
    call = run.steps[-1]
    problem, seen = judge_step(call, refusal.wanted[-1])
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
    refusal = body_of(check, Refusal)
    statements = (*refusal.setup, refusal.call)
    expected_error = {len(statements) - 1} if refusal.error is not None else set()
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
        body=Refusal,
        rule=rule,
        judge=judge,
        probe=probe,
    )
)
