"""A probe's statements judged: what each returned or raised against what the spec
expects of it, and which errors say the harness could not evaluate (BROKEN) rather than
that the database refused or misbehaved (a finding)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from clausegate.checks import expect
from clausegate.checks.body import ErrorWanted, Expected
from clausegate.checks.verdict import Verdict, broken, failed
from clausegate.db.probes import ProbeRun, ServerError, StepResult
from clausegate.spec import Check

# SQLSTATEs that say the harness could not evaluate (bad SQL in the spec, time-outs,
# locks, a lost server), as opposed to the database refusing or misbehaving.
# Not here: 42501 (no privilege) and 25006 (a write in a READ ONLY transaction), which a
# guarded function or a dry run that writes raises as a finding of its own; a 42501 that
# only says the connecting role lacks a grant is told apart by role_lacks_privilege.
HARNESS_FAULTS = ("42601", "55P03", "57014", "57P01")


HARNESS_FAULT_CLASSES = ("08", "53", "58", "XX")


INSUFFICIENT_PRIVILEGE = "42501"


# A statement that changes the role the rest of a probe runs as.
_ROLE_SWITCH = re.compile(
    r"\bSET\s+(?:(?:LOCAL|SESSION)\s+)?(?:ROLE|SESSION\s+AUTHORIZATION)\b"
    r"|\bset_config\s*\(\s*'(?:role|session_authorization)'",
    re.IGNORECASE,
)


def harness_fault(error: ServerError) -> bool:
    return error.sqlstate in HARNESS_FAULTS or error.sqlstate[:2] in HARNESS_FAULT_CLASSES


def role_lacks_privilege(error: ServerError, earlier: Sequence[str]) -> bool:
    """A privilege the role clausegate connects as lacks on an object the spec's SQL names
    itself: raised by the statement, not from inside a function (a guarded function that
    refuses raises 42501 from its own frame, a finding), with no earlier statement of the
    probe having switched roles (a refusal proven as a lesser role is a finding too)."""
    return (
        error.sqlstate == INSUFFICIENT_PRIVILEGE
        and not error.context
        and not any(_ROLE_SWITCH.search(sql) for sql in earlier)
    )


def one_line(sql: str, limit: int = 120) -> str:
    """SQL on one line, shortened for a rule."""
    text = " ".join(sql.split())
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def expectation_words(expected: Expected) -> str:
    """An expectation as a rule says it: `3`, `at least 1`, `a JSON value containing …`."""
    value = expected.value
    if not isinstance(value, dict):
        return expect.show(value)
    if "min" in value or "max" in value:
        return expect.check(value, 0).expected  # expect's own words for a range
    (key, wanted), *_ = value.items()
    words = {"equals": "", "set": "the set ", "subset_of": "a subset of ",
             "superset_of": "a list containing ", "json_subset": "JSON containing ",
             "regex": "text matching "}  # fmt: skip
    if key == "json_schema":
        return "JSON matching a JSON Schema"
    return f"{words.get(key, key + ' ')}{expect.show(wanted)}"


def error_words(error: ErrorWanted) -> str:
    """The error a rule asks for: `an error (SQLSTATE P0001, constraint c)`."""
    parts = [f"SQLSTATE {error.sqlstate}"] if error.sqlstate else []
    if error.constraint:
        parts.append(f"constraint {error.constraint}")
    if error.message:
        parts.append(f"message matching /{error.message}/")
    return f"an error ({', '.join(parts)})"


def _error_text(error: ServerError) -> str:
    constraint = f", constraint {error.constraint}" if error.constraint else ""
    return f"ERROR {error.sqlstate}{constraint}: {error.message}"


def _error_matches(wanted: ErrorWanted, error: ServerError) -> list[str]:
    problems = []
    if wanted.sqlstate is not None and wanted.sqlstate != error.sqlstate:
        problems.append(f"SQLSTATE {error.sqlstate}, expected {wanted.sqlstate}")
    if wanted.constraint is not None and wanted.constraint != error.constraint:
        problems.append(f"constraint {error.constraint}, expected {wanted.constraint}")
    if wanted.message is not None and not re.search(wanted.message, error.message):
        problems.append(f"message {error.message!r} does not match /{wanted.message}/")
    return problems


@dataclass(frozen=True)
class Wanted:
    """What one statement of a probe must do: raise `error`, or return what `expect` says
    (neither: only run without an error, as a setup statement)."""

    expect: Expected | None = None
    error: ErrorWanted | None = None


def judge_step(step: StepResult, wanted: Wanted) -> tuple[str | None, str]:
    """(problem or None, what was seen) for one statement against its expectation."""
    if wanted.error is not None:
        if step.error is None:
            return f"expected an error, but it returned {expect.show(step.value)}", expect.show(
                step.value
            )
        problems = _error_matches(wanted.error, step.error)
        return ("; ".join(problems) or None), _error_text(step.error)
    seen = expect.show(step.value)
    if wanted.expect is not None:
        outcome = expect.check(wanted.expect.value, step.value)
        if not outcome.ok:
            return f"expected {outcome.expected}, seen {outcome.seen}", seen
    return None, seen


def _role_lacks(check: Check, run: ProbeRun, step: StepResult) -> Verdict:
    assert step.error is not None
    return broken(
        f"{check.title}: the role clausegate connects as lacks a privilege this "
        f"{check.section[:-1]} needs: {_error_text(step.error)} "
        f"({check.section[:-1]} at spec line {check.line}); grant it and run again "
        "(README: Least privilege)",
        evidence=(f"{step.sql} → {_error_text(step.error)}",),
        sql=tuple(s.sql for s in run.steps) + (() if step in run.steps else (step.sql,)),
        observed=step.error.as_dict(),
    )


def _earlier(run: ProbeRun, steps: Sequence[StepResult]) -> list[str]:
    """The statements run before a step, the harness's role switch (`as:`) included."""
    switch = [f"SET LOCAL ROLE {run.role}"] if run.role is not None else []
    return [*switch, *(s.sql for s in steps)]


def aborted(check: Check, run: ProbeRun) -> Verdict:
    step = run.aborted
    assert step is not None and step.error is not None
    line = f"{step.sql} → {_error_text(step.error)}"
    if run.role_failed:
        return broken(
            f"{check.title}: the probe could not run as role {run.role}: "
            f"{_error_text(step.error)} ({check.section[:-1]} at spec line {check.line}); "
            "the role must exist and the role clausegate connects as must be a member of it",
            evidence=(line,),
            observed=step.error.as_dict(),
        )
    if role_lacks_privilege(step.error, _earlier(run, run.steps)):
        return _role_lacks(check, run, step)
    if harness_fault(step.error):
        relation = f" on {step.error.relation}" if step.error.relation else ""
        return broken(
            f"{check.title}: the SQL could not be evaluated{relation}: "
            f"{_error_text(step.error)} ({check.section[:-1]} at spec line {check.line})",
            evidence=(line,),
            sql=(*tuple(s.sql for s in run.steps), step.sql),
            observed=step.error.as_dict(),
        )
    hint = ""
    if step.error.sqlstate == INSUFFICIENT_PRIVILEGE and step.error.context:
        # A SECURITY INVOKER function reads with the connecting role's privileges: its
        # "permission denied" cannot be told from a refusal without the function's source.
        hint = (
            " (raised inside a function: either it refuses, or it reads with the privileges "
            "of the role clausegate connects as and that role lacks a grant; see README: "
            "Least privilege)"
        )
    context = (f"context: {' '.join(step.error.context.split())}",) if step.error.context else ()
    return failed(
        f"{check.title}: a statement failed: {_error_text(step.error)}{hint}",
        evidence=(line, *context),
        sql=(*tuple(s.sql for s in run.steps), step.sql),
        observed=step.error.as_dict(),
    )


def fault_in_expected_error(
    check: Check, run: ProbeRun, wanted: Sequence[Wanted]
) -> Verdict | None:
    """BROKEN when a statement that was to raise an error raised a harness fault instead
    (a lock or statement time-out, a privilege the connecting role lacks) that the spec
    did not ask for: the refusal was never put to the test, so it can neither pass nor
    fail."""
    for index, (step, statement) in enumerate(zip(run.steps, wanted, strict=False)):
        error = step.error
        asked = statement.error or ErrorWanted()
        if error is None or asked.sqlstate == error.sqlstate:
            continue
        earlier = _earlier(run, run.steps[:index])
        if role_lacks_privilege(error, earlier) and _error_matches(asked, error):
            return _role_lacks(check, run, step)
        if not harness_fault(error):
            continue
        relation = f" on {error.relation}" if error.relation else ""
        return broken(
            f"{check.title}: the statement could not be evaluated{relation}: "
            f"{_error_text(error)} ({check.section[:-1]} at spec line {check.line})",
            evidence=(f"{step.sql} → {_error_text(error)}",),
            sql=tuple(s.sql for s in run.steps),
            observed=error.as_dict(),
        )
    return None
