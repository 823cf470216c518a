"""A refusal or a proof over a table of inputs: its rows planned as probes, each run in its
own rolled-back transaction, each judged on its own, and the check's verdict naming the
rows that failed (checks.inputs says what a row is)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from clausegate.checks import Probe, ProbeTable
from clausegate.checks.body import ErrorWanted, Expected
from clausegate.checks.evidence import Evidence
from clausegate.checks.inputs import (
    InputError,
    Row,
    rows_of,
    substitute,
    unknown_placeholders,
)
from clausegate.checks.statements import Wanted
from clausegate.checks.verdict import Status, Verdict, broken, failed, passed, worst
from clausegate.db.probes import ProbeRun
from clausegate.spec import Check, ItemProblem

# The keys a refusal and a proof share for running over inputs, as a role, under a name.
AS = "as"


def as_key_schema() -> dict[str, Any]:
    return {
        "type": "string",
        "description": (
            "The role the statements run as (SET LOCAL ROLE in the rolled-back transaction), "
            "e.g. workflow_admin: a refusal proven as the role the law names."
        ),
        "minLength": 1,
    }


def application_name_schema() -> dict[str, Any]:
    return {
        "type": "string",
        "description": (
            "The application_name this check's session shows (default: the spec's "
            "`probes.application_name`, else psql)."
        ),
        "maxLength": 63,
    }


def thawed(value: Any) -> Any:
    """A frozen YAML value (read-only mappings, tuples) as plain JSON values again, as
    expectations compare them."""
    if isinstance(value, Mapping):
        return {k: thawed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [thawed(v) for v in value]
    return value


def wanted_of(written: Mapping[str, Any], default: Wanted) -> Wanted:
    """What a case's own `expect:` or `error:` asks (else `default`)."""
    if "expect" in written:
        return Wanted(expect=Expected(thawed(written["expect"])))
    if "error" in written:
        return Wanted(error=ErrorWanted(**thawed(written["error"])))
    return default


def lint(
    written: Mapping[str, Any],
    statements: Mapping[tuple[str | int, ...], str],
) -> list[ItemProblem]:
    """A placeholder no input defines (pointed at in its statement), an input no statement
    uses, a table that cannot be expanded (a case short of a column, too many rows)."""
    inputs, cases = written.get("inputs"), written.get("cases")
    if not inputs and not cases:
        return []  # Run once, its SQL as written: braces in it are not placeholders.
    try:
        rows = rows_of(inputs, tuple(cases) if cases else None)
    except InputError as exc:
        where = _table_path(exc.path) if exc.path else ("inputs" if inputs else "cases",)
        return [ItemProblem(where, str(exc))]
    names = {name for row in rows for name, _ in row.values}
    problems = [
        ItemProblem(
            u.path,
            f"placeholder {{{u.name}}} is not an input of this check"
            + (f" (inputs: {', '.join(sorted(names))})" if names else " (it has no inputs:)")
            + "; define it under `inputs:` or `cases:`, or write a brace as {{ or }}",
            f"{{{u.name}}}",
        )
        for u in unknown_placeholders(statements, names)
    ]
    used = {u.name for u in unknown_placeholders(statements, set())}
    for name in sorted(names - used):
        where = ("inputs", name) if inputs and name in inputs else ("cases",)
        problems.append(
            ItemProblem(
                where,
                f"input {name} is used by no statement of this check; write {{{name}}} where "
                "its value goes, or remove it",
            )
        )
    return problems


def _table_path(path: tuple[str | int, ...]) -> tuple[str | int, ...]:
    return path if path[0] == "cases" else ("inputs", *path)


def table(written: Mapping[str, Any]) -> tuple[Row, ...] | None:
    """The rows of a check that has `inputs:` or `cases:` (None: a check run once)."""
    inputs, cases = written.get("inputs"), written.get("cases")
    if not inputs and not cases:
        return None
    return rows_of(inputs, tuple(cases) if cases else None)


def probe_of(
    written: Mapping[str, Any],
    plan: Callable[[Row | None], tuple[tuple[str, ...], frozenset[int]]],
    role: str | None,
    application_name: str | None,
) -> Probe | ProbeTable:
    """A refusal's or proof's probe: one per row of its inputs when it has a table of
    them, else one. `plan(row)` gives the statements (placeholders filled; row None: as
    written) and the indexes of those that must raise."""
    rows = table(written)
    if rows is None:
        statements, errors = plan(None)
        return Probe(statements, errors, role=role, application_name=application_name)
    probes = []
    for row in rows:
        statements, errors = plan(row)
        probes.append(Probe(statements, errors, role=role, application_name=application_name))
    return ProbeTable(tuple(probes))


def filled(statements: Sequence[str], row: Row) -> tuple[str, ...]:
    literals = row.substitutions
    return tuple(substitute(sql, literals) for sql in statements)


@dataclass(frozen=True)
class RowOutcome:
    """One row judged: its verdict, and what it returned in a few words."""

    verdict: Verdict
    seen: str


def judge_rows(
    check: Check,
    ev: Evidence,
    rows: tuple[Row, ...],
    judge_row: Callable[[ProbeRun, Row], RowOutcome],
) -> Verdict:
    """Each row's run judged on its own; the check FAILs (or is BROKEN) naming the rows
    that did, and its evidence lists every row: input → seen → verdict."""
    runs = ev.table_runs.get(check.id)
    if runs is None or len(runs) != len(rows):
        return broken(f"{check.title}: the rows of inputs were not run")
    outcomes = [judge_row(run, row) for run, row in zip(runs, rows, strict=True)]
    lines = []
    observed = []
    for number, (row, outcome) in enumerate(zip(rows, outcomes, strict=True), 1):
        verdict = outcome.verdict
        why = f": {_reason(check, verdict)}" if verdict.status is not Status.PASS else ""
        title = f" [{row.case['title']}]" if row.case and "title" in row.case else ""
        lines.append(
            f"row {number}{title} ({row.words()}) → {outcome.seen} → {verdict.status.value}{why}"
        )
        observed.append(
            {
                "row": number,
                "inputs": row.as_dict(),
                "seen": outcome.seen,
                "verdict": verdict.status.value,
                **({"why": _reason(check, verdict)} if why else {}),
            }
        )
    status = worst(o.verdict.status for o in outcomes)
    sql = tuple(q for o in outcomes for q in o.verdict.sql)
    if status is Status.PASS:
        return passed(
            f"{check.title}: {len(rows)} row(s) of inputs, each as expected",
            evidence=tuple(lines),
            sql=sql,
            observed=observed,
        )
    bad = [
        f"row {n} ({row.words()})"
        for n, (row, o) in enumerate(zip(rows, outcomes, strict=True), 1)
        if o.verdict.status is status
    ]
    first = next(o.verdict for o in outcomes if o.verdict.status is status)
    make = broken if status is Status.BROKEN else failed
    return make(
        f"{check.title}: {len(bad)} of {len(rows)} row(s) of inputs "
        f"{'could not be evaluated' if status is Status.BROKEN else 'failed'}: "
        f"{'; '.join(bad)} (first: {_reason(check, first)})",
        evidence=tuple(lines),
        sql=sql,
        observed=observed,
    )


def _reason(check: Check, verdict: Verdict) -> str:
    """A row's verdict message without the check's title in front."""
    prefix = f"{check.title}: "
    text = verdict.message
    return text[len(prefix) :] if text.startswith(prefix) else text
