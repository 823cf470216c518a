"""Checks judged over plain data: the probes' values before and after, the changes, the runs.

Nothing here touches a database. Whatever a check needs and cannot find (a probe value
that was not captured, a query that failed) makes it BROKEN with the reason, never PASS.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from clausegate.checks import expect
from clausegate.checks.verdict import Verdict, broken, failed, passed
from clausegate.db.probes import ProbeRun, ServerError, StepResult
from clausegate.snapshot.catalog import KINDS, LABELS
from clausegate.spec import Check, Spec

MAX_LISTED = 12
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
# A data probe that failed because its table (or schema) does not exist read a fact of the
# database; any other error (no privilege, a time-out) means the table was not compared.
_ABSENT_TABLE = ("42P01", "3F000")
# The snapshots a phase takes, as the messages name them.
SNAPSHOTS = {"before": "before", "after": "after", "post-probes": "after the probes"}


class ChangeLike(Protocol):
    """A difference between two snapshots, as the diff module reports it."""

    @property
    def section(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def identity(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def before(self) -> Any: ...
    @property
    def after(self) -> Any: ...
    @property
    def line(self) -> str: ...


@dataclass(frozen=True)
class RowChange:
    """A change of one row of a probed table (a config gate, for instance)."""

    section: str
    kind: str
    identity: str
    action: str
    before: Any
    after: Any

    @property
    def line(self) -> str:
        if self.action == "added":
            return f"row {self.identity}: added ({expect.show(self.after)})"
        if self.action == "removed":
            return f"row {self.identity}: removed (was {expect.show(self.before)})"
        return f"row {self.identity}: {expect.show(self.before)} → {expect.show(self.after)}"


@dataclass
class Evidence:
    """Everything a phase's checks are judged on."""

    spec: Spec
    before: Mapping[str, Any]
    after: Mapping[str, Any]
    changes: Sequence[ChangeLike]
    queries: Mapping[str, str] = field(default_factory=dict)
    runs: Mapping[str, ProbeRun] = field(default_factory=dict)
    inert: Sequence[ChangeLike] | None = None
    query_errors: Mapping[str, str] = field(default_factory=dict)
    before_source: str = "the before snapshot"
    # snapshot ("before", "after", "post-probes") → {part: why it could not be read}
    unreadable: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # sequence → why its advance is tolerated (see tolerated()), from before to after, and
    # from after to after the probes (empty in a gate: no other session writes there, so a
    # sequence the probes advanced is their own trace).
    tolerated: Mapping[str, str] = field(default_factory=dict)
    inert_tolerated: Mapping[str, str] = field(default_factory=dict)
    # Whether other sessions may write meanwhile (a live verify): only then do the spec's
    # tolerances of background traffic apply.
    background_traffic: bool = False


class Missing(Exception):
    """A value a check needs was not captured."""


def label(change: ChangeLike) -> str:
    """The kind as `clausegate diff` prints it (`function`, `constraint`), which specs use;
    `data` for the rows of a table (its content hash changed)."""
    if change.section == "probes" and change.kind == "content_hash":
        return "data"
    return LABELS.get(change.kind, change.kind)


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


def qualified(name: str) -> str:
    return name if "." in name else f"public.{name}"


# --- what the snapshots could not read --------------------------------------------------


CONFIG_ROWS = "config rows"


def unreadable_of(
    taken: Mapping[str, Any],
    spec: Spec,
    query_values: Mapping[str, Any],
    query_errors: Mapping[str, str],
) -> dict[str, str]:
    """{part: why} for what a snapshot could not read: the catalog kinds it recorded as
    unreadable (a privilege the role lacks), the data probes that did not run for a reason
    other than their table being absent (part `content_hash public.t`), and the spec's
    config rows (part `config rows`) when their query, one of `query_values`, failed or
    was not run."""
    found = {str(kind): str(why) for kind, why in taken["server"].get("unreadable", {}).items()}
    for kind, results in taken["probes"].items():
        for name, result in results.items():
            error = str(result.get("error", ""))
            if error and not error.startswith(_ABSENT_TABLE):
                found[f"{kind} {name}"] = error
    config = config_query(spec)
    if config is None:
        return found
    if config in query_errors:
        if not query_errors[config].startswith(_ABSENT_TABLE):
            found[CONFIG_ROWS] = query_errors[config]
    elif config not in query_values:
        found[CONFIG_ROWS] = (
            f"not captured; take the before snapshot with `clausegate snapshot --spec {spec.path}`"
        )
    return found


_SECTION_OF = {kind.name: kind.section for kind in KINDS}


def part_label(part: str) -> str:
    """The kind of change an unreadable part hides, as specs name kinds."""
    if part.startswith("content_hash "):
        return "data"
    if part == CONFIG_ROWS:
        return "row"
    return LABELS.get(part, part)


def blind_spots(
    ev: Evidence, snapshots: Sequence[str], depends: Callable[[str], bool] = lambda _: True
) -> list[str]:
    """One line per part a check depends on that a snapshot it compares could not read."""
    return [
        f"{part} could not be read in the {SNAPSHOTS[name]} snapshot: {why}"
        for name in snapshots
        for part, why in sorted(ev.unreadable.get(name, {}).items())
        if depends(part)
    ]


def not_compared(title: str, blind: list[str], seen: Sequence[str] = ()) -> Verdict:
    """BROKEN: a comparison that could not see everything it covers proves nothing, also
    when it saw a change (a FAIL could be waived while the unseen part hides more)."""
    return broken(
        f"{title}: not everything it compares could be read: {blind[0]}",
        evidence=listed([*blind, *seen]),
    )


def kind_depends(kind: str | None) -> Callable[[str], bool]:
    """Which unreadable parts a check about changes of `kind` (any kind when None) needs."""
    if kind is None:
        return lambda _: True
    return lambda part: part_label(part) == kind


def rows_of(values: Mapping[str, Any], query: str, where: str, ev: Evidence) -> Any:
    if query in ev.query_errors:
        raise Missing(f"the query failed on {where}: {ev.query_errors[query]}")
    if query not in values:
        source = ev.before_source if values is ev.before else "the after snapshot"
        raise Missing(
            f"{source} has no value for this probe; take it with "
            f"`clausegate snapshot --spec {ev.spec.path}`"
        )
    return values[query]


def scalar(rows: Any) -> Any:
    return rows[0][0] if rows else None


def listed(lines: Sequence[str]) -> tuple[str, ...]:
    shown = tuple(lines[:MAX_LISTED])
    more = len(lines) - len(shown)
    return (*shown, f"… and {more} more") if more else shown


# --- regression -------------------------------------------------------------------


def metric_query(check: Check) -> str:
    """The query of a regression row's metric (its kind's; metrics need no connection)."""
    from clausegate import checks

    query = checks.kind_of(check).query
    assert query is not None  # every metric kind has one
    return query(check, "")


def regression(check: Check, ev: Evidence) -> Verdict:
    """A regression row, whatever its metric: the value before and after against what the
    row expects of each and of the difference."""
    query = ev.queries.get(check.id) or metric_query(check)
    try:
        before = scalar(rows_of(ev.before, query, "the before state", ev))
        after = scalar(rows_of(ev.after, query, "the after state", ev))
    except Missing as exc:
        return broken(f"{check.title}: {exc}", sql=(query,))
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (before, after))
    delta = after - before if numeric else None
    observed = {"before": before, "after": after, "delta": delta}
    problems = []
    for key, seen in observed.items():
        if key not in check.body:
            continue
        if key == "delta" and not numeric:
            problems.append(
                f"Δ: cannot be computed from {expect.show(before)} and {expect.show(after)}"
            )
            continue
        outcome = expect.check(check.body[key], seen)
        if not outcome.ok:
            problems.append(f"{key}: expected {outcome.expected}, seen {outcome.seen}")
    shown = f"before {expect.show(before)}, after {expect.show(after)}" + (
        f", Δ {delta:+}" if delta is not None else ""
    )
    evidence = (shown, *problems)
    if "tolerance" in check.body:
        evidence = (*evidence, f"tolerance applied: {check.body['tolerance']['reason']}")
    if problems:
        return failed(
            f"{check.title}: {problems[0]}", evidence=evidence, sql=(query,), observed=observed
        )
    return passed(f"{check.title}: {shown}", evidence=evidence, sql=(query,), observed=observed)


# --- judged by kind ------------------------------------------------------------------


def table_of(change: ChangeLike) -> str | None:
    attrs = change.after if change.after is not None else change.before
    table = attrs.get("table") if isinstance(attrs, Mapping) else None
    return str(table) if table is not None else None


def matching(ev: Evidence, predicate: Callable[[ChangeLike], bool]) -> list[str]:
    return [c.line for c in ev.changes if predicate(c)]


def verdict_from_changes(check: Check, lines: list[str], what: str) -> Verdict:
    if lines:
        return failed(f"{check.title}: {what}", evidence=listed(lines), observed=lines)
    return passed(f"{check.title}: nothing of the kind happened", observed=[])


def catalog_depends(part: str) -> bool:
    """Whether an unreadable part is of the catalog (what schema-wide kinds read)."""
    return _SECTION_OF.get(part) == "catalog"


def judge_by_kind(check: Check, ev: Evidence) -> Verdict:
    """A check judged by its kind (clausegate.checks); BROKEN when a part of a snapshot the
    kind reads could not be read."""
    from clausegate import checks

    kind = checks.kind_of(check)
    depends = kind.depends(check)
    if depends is not None:
        lines = blind_spots(ev, ("before", "after"), depends)
        if lines:
            return not_compared(check.title, lines)
    return kind.judge(check, ev)


def selects(selector: Mapping[str, str], change: ChangeLike) -> bool:
    kind_ok = "kind" not in selector or label(change) == selector["kind"]
    identity_ok = "identity" not in selector or fnmatch.fnmatchcase(
        change.identity, selector["identity"]
    )
    return kind_ok and identity_ok


def config_query(spec: Spec) -> str | None:
    """The probe reading every config row as (key, value) text."""
    if spec.config is None:
        return None
    from psycopg import sql

    from clausegate.checks.metrics import relation

    return (
        sql.SQL("SELECT {k}::text, {v}::text FROM {t} ORDER BY 1")
        .format(
            k=sql.Identifier(spec.config.key),
            v=sql.Identifier(spec.config.value),
            t=relation(spec.config.table),
        )
        .as_string(None)
    )


def config_values(ev: Evidence, query: str) -> tuple[dict[Any, Any], dict[Any, Any]]:
    """The config rows before and after, key → value; Missing when they were not read."""
    before = dict(rows_of(ev.before, query, "the before state", ev))
    after = dict(rows_of(ev.after, query, "the after state", ev))
    return before, after


def config_changes(ev: Evidence) -> list[RowChange]:
    """The config rows that were added, removed or changed, as changes of kind `row`."""
    query = config_query(ev.spec)
    if query is None or query not in ev.before or query not in ev.after:
        return []
    table = qualified(ev.spec.config.table) if ev.spec.config else ""
    before = {k: v for k, v in ev.before[query]}
    after = {k: v for k, v in ev.after[query]}
    changes = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if key not in before:
            changes.append(RowChange("data", "row", f"{table}.{key}", "added", None, new))
        elif key not in after:
            changes.append(RowChange("data", "row", f"{table}.{key}", "removed", old, None))
        elif old != new:
            changes.append(RowChange("data", "row", f"{table}.{key}", "modified", old, new))
    return changes


# --- expected changes and the closed world -----------------------------------------------


def declared(change: ChangeLike, check: Check) -> bool:
    body = check.body
    return (
        label(change) == body["kind"]
        and fnmatch.fnmatchcase(change.identity, body["identity"])
        and body.get("action", change.action) == change.action
    )


def covered_by_regression(change: ChangeLike, spec: Spec, background_traffic: bool) -> bool:
    """A table's data change is covered when a regression row counts that table's rows
    and the number of rows changed: a count cannot speak for rows changed in place. A row
    that tolerates background traffic covers nothing where there is none (a gate): there,
    every row added is the migration's."""
    if change.section not in ("data", "probes") or change.kind == "row":
        return False
    if change.kind == "content_hash":
        counts = [side.get("rows") if side else None for side in (change.before, change.after)]
        if counts[0] == counts[1]:
            return False
    return any(
        qualified(str(c.body["metric"].get("rows", ""))) == change.identity
        and (background_traffic or "tolerance" not in c.body)
        for c in spec.section("regression")
    )


def undeclared(ev: Evidence) -> list[ChangeLike]:
    expected = ev.spec.section("expected_changes")
    return [
        c
        for c in ev.changes
        if not any(declared(c, e) for e in expected)
        and not covered_by_regression(c, ev.spec, ev.background_traffic)
    ]


def tolerated(change: ChangeLike, sequences: Mapping[str, str]) -> str | None:
    """The line saying why a change is tolerated, or None. Only a sequence named in
    `sequences` (one owned by a table whose row count the spec declares tolerant of
    background traffic: inserts by other sessions advance it) that advanced: its last value
    grew and nothing else changed. A sequence set back, or any other one, still counts."""
    why = sequences.get(change.identity)
    if why is None or change.kind != "sequence_values" or change.action != "modified":
        return None
    old, new = dict(change.before or {}), dict(change.after or {})
    start, end = old.pop("last_value", None), new.pop("last_value", None)
    # Growth is a called sequence gone further. One never called (or set back with
    # setval(…, false)) that now has a value is a change: its old value says nothing.
    called = old.pop("is_called", True) is True and new.pop("is_called", True) is True
    grew = called and isinstance(start, int) and isinstance(end, int) and end > start
    return f"{change.line} (tolerated: {why})" if grew and old == new else None


def _tolerance(
    changes: Sequence[ChangeLike], sequences: Mapping[str, str]
) -> tuple[list[str], list[str]]:
    """(lines of the changes that count, lines of those tolerated)."""
    judged = [(c, tolerated(c, sequences)) for c in changes]
    return [c.line for c, why in judged if why is None], [why for _, why in judged if why]


def closed_world(ev: Evidence) -> Verdict:
    lines, allowed = _tolerance(undeclared(ev), ev.tolerated)
    blind = blind_spots(ev, ("before", "after"))
    if blind:
        return not_compared("closed world", blind, lines)
    if lines:
        return failed(
            f"{len(lines)} change(s) not declared under expected_changes",
            evidence=listed(lines + allowed),
            observed=lines,
        )
    if allowed:
        return passed(
            f"every one of the {len(ev.changes)} change(s) is declared or tolerated "
            f"({len(allowed)} tolerated as background traffic)",
            evidence=listed(allowed),
        )
    return passed(f"every one of the {len(ev.changes)} change(s) is declared")


def inertness(ev: Evidence) -> Verdict:
    if ev.inert is None:
        return broken("the snapshot after the probes was not taken")
    lines, allowed = _tolerance(ev.inert, ev.inert_tolerated)
    blind = blind_spots(ev, ("after", "post-probes"))
    if blind:
        return not_compared("inertness", blind, lines)
    if lines:
        return failed(
            "the probes left changes behind (the state after them differs)",
            evidence=listed(lines + allowed),
            observed=lines,
        )
    if allowed:
        return passed(
            "the state after all probes equals the state before them, but for "
            f"{len(allowed)} sequence(s) tolerated as background traffic",
            evidence=listed(allowed),
        )
    return passed("the state after all probes equals the state before them")


# --- refusals, proofs, invariants ----------------------------------------------------------


def _error_text(error: ServerError) -> str:
    constraint = f", constraint {error.constraint}" if error.constraint else ""
    return f"ERROR {error.sqlstate}{constraint}: {error.message}"


def _error_matches(wanted: Mapping[str, str], error: ServerError) -> list[str]:
    import re

    problems = []
    if "sqlstate" in wanted and wanted["sqlstate"] != error.sqlstate:
        problems.append(f"SQLSTATE {error.sqlstate}, expected {wanted['sqlstate']}")
    if "constraint" in wanted and wanted["constraint"] != error.constraint:
        problems.append(f"constraint {error.constraint}, expected {wanted['constraint']}")
    if "message" in wanted and not re.search(wanted["message"], error.message):
        problems.append(f"message {error.message!r} does not match /{wanted['message']}/")
    return problems


def judge_step(step: StepResult, body: Mapping[str, Any]) -> tuple[str | None, str]:
    """(problem or None, what was seen) for one statement against its expectation."""
    if "error" in body:
        if step.error is None:
            return f"expected an error, but it returned {expect.show(step.value)}", expect.show(
                step.value
            )
        problems = _error_matches(body["error"], step.error)
        return ("; ".join(problems) or None), _error_text(step.error)
    seen = expect.show(step.value)
    if "expect" in body:
        outcome = expect.check(body["expect"], step.value)
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


def aborted(check: Check, run: ProbeRun) -> Verdict:
    step = run.aborted
    assert step is not None and step.error is not None
    line = f"{step.sql} → {_error_text(step.error)}"
    if role_lacks_privilege(step.error, [s.sql for s in run.steps]):
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
    check: Check, run: ProbeRun, bodies: list[Mapping[str, Any]]
) -> Verdict | None:
    """BROKEN when a statement that was to raise an error raised a harness fault instead
    (a lock or statement time-out, a privilege the connecting role lacks) that the spec
    did not ask for: the refusal was never put to the test, so it can neither pass nor
    fail."""
    for index, (step, body) in enumerate(zip(run.steps, bodies, strict=False)):
        error = step.error
        wanted = body.get("error", {})
        if error is None or wanted.get("sqlstate") == error.sqlstate:
            continue
        earlier = [s.sql for s in run.steps[:index]]
        if role_lacks_privilege(error, earlier) and _error_matches(wanted, error):
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


def judge(check: Check, ev: Evidence) -> Verdict:
    """A check's verdict, by its kind (clausegate.checks); whatever it needs and was not
    captured makes it BROKEN."""
    try:
        return judge_by_kind(check, ev)
    except Missing as exc:
        return broken(f"{check.title}: {exc}")
