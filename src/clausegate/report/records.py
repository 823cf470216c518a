"""verdicts.json: what every check, clause and phase run of a run came to, as typed records.

Engine.write_results writes it at the end of a `gate` or `verify` run. Everything after
reads it back through `load`: summary.md (report/summary.py), the name and history of
report.html and the copies of the inputs in the evidence bundle (cli/report.py,
report/bundle.py), and the Council's `clausegate report`, which rebuilds summary.md and
report.html from a run folder, e.g. on another machine. `clausegate evidence verify` does
not parse it: it compares the file's SHA-256 with evidence/manifest.json, as for every
other file of the bundle, so the same verdicts must always give the same text (keys
sorted, indented by two, UTF-8 as is).

The JSON keys are the field names of the records below; nothing else writes or reads
them. Reading checks every key and every type: a record that lacks a key, has a key this
module does not know, or holds a value of the wrong type is a ClausegateError (exit 2)
naming the file and the key, never a default that a report could show as a PASS. The only
keys that may be absent are those added after the first format (each a field with a
default): CheckRecord.rule, RunRecord.migration_sha256 and migration_read, which say
nothing about a verdict, and ClauseRecord.left_out and VerdictsDocument.left_out, which
files written before clausegate recorded partial runs lack (those runs' clause tables
counted only the checks that ran: an old file can hide a partial run, a new one cannot).

A partial run (checks left out by -k, -m, --deselect, -x, or a spec that failed to
collect) lists each one in VerdictsDocument.left_out, and `complete` is false. A clause
with checks left out counts them in `total` and `left_out`, and its `status` is never
PASS: it is PARTIAL when the checks that ran held (PASS, WAIVED or KNOWN-OPEN), and FAIL
or BROKEN when one of them did, as a partial run can prove a clause fails, never that it
holds (checks.verdict.ClauseStatus). A reader that compares a clause's status with
"PASS" thus never takes a clause not wholly run for a passed one.
"""

from __future__ import annotations

import json
import types
from collections import Counter
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

from clausegate.checks.verdict import ClauseStatus, Status
from clausegate.errors import ClausegateError
from clausegate.migration import KINDS, MigrationText
from clausegate.report import strict_json

FILE = "verdicts.json"


@dataclass(frozen=True)
class CheckRecord:
    """One check of one spec: what it expected, what it came to, and the evidence."""

    spec: str  # the spec file, as the run was given it
    law: str
    phase: str
    clause: str  # the clause id, or closed-world / inertness for the engine's own checks
    check: str  # the check id; known-open-still-fails for a known-open clause's own check
    title: str
    section: str  # the spec section (regression, forbidden, …); engine for the engine's own
    expected: dict[str, Any] | None  # the check's body as written in the spec; None: engine's
    status: Status  # after waivers and known-open declarations
    message: str
    evidence: tuple[str, ...]
    sql: tuple[str, ...]  # the statements run to judge the check
    observed: Any  # the value seen, as JSON data; None when none was
    note: str  # why a FAIL is waived or known open, or that its waiver expired; "" if none
    # What the check requires, in its kind's words; None for the known-open clause's own
    # check, and absent from files written before clausegate recorded it.
    rule: str | None = None


@dataclass(frozen=True)
class ClauseRecord:
    """One clause of one spec: the worst verdict of its checks, or PARTIAL (see above)."""

    spec: str
    clause: str
    title: str
    status: ClauseStatus
    passed: int  # checks that passed or were waived
    total: int  # every check of the clause, those left out of the run included
    # Checks of the clause that got no verdict in this run (deselected, not run); absent
    # from files written before clausegate recorded it.
    left_out: int = 0


@dataclass(frozen=True)
class StepRecord:
    """One step of a phase run and how long it took."""

    name: str
    seconds: float  # rounded to the millisecond


@dataclass(frozen=True)
class CommandCount:
    """How many statements of the migration are of one command (`CREATE FUNCTION`: 5)."""

    command: str
    count: int


@dataclass(frozen=True)
class MigrationRead:
    """The migration's text as statements, for the report."""

    statements: int  # every statement, those inside bodies included
    commands: tuple[CommandCount, ...]  # by command, most frequent first
    kinds: tuple[str, ...]  # `notify: line 3 (function public.f): PERFORM pg_notify(…)`
    calls: tuple[str, ...]  # every function called, sorted
    unverifiable: tuple[str, ...]  # what cannot be read from the text, with its line
    problems: tuple[str, ...]  # FILE:LINE: what the parser could not read


def migration_read(text: MigrationText, foreign: frozenset[str] | None) -> MigrationRead:
    """The record of a migration read (foreign: the before state's foreign tables)."""
    counts = Counter(s.command for s in text.statements)
    known = frozenset(text.foreign_created) | (foreign or frozenset())
    return MigrationRead(
        statements=len(text.statements),
        commands=tuple(
            CommandCount(command, n)
            for command, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ),
        kinds=tuple(
            f"{kind}: line {s.line} ({s.where}): {s.text}"
            for kind in KINDS
            for s in text.statements
            if kind in s.kinds_with(known)
        ),
        calls=text.calls,
        unverifiable=tuple(
            f"{s.unverifiable}: line {s.line} ({s.where}): {s.text}" for s in text.unverifiable
        ),
        problems=text.problem_lines(),
    )


@dataclass(frozen=True)
class RunRecord:
    """One phase run: one spec gated or verified on one server."""

    spec: str
    law: str
    phase: str
    mode: str  # gate or verify
    target: str
    server_version: str  # "" when the run stopped before it reached a server
    server_note: str | None  # set when the server's major is not the law's production major
    notes: tuple[str, ...]  # how the run saw the database (who applied, blind spots, …)
    migration: str | None
    fault: str | None
    snapshots: tuple[str, ...]  # the names of the snapshots saved under evidence/snapshots/
    steps: tuple[StepRecord, ...]
    # The SHA-256 of the migration file applied (gate) or said applied (verify --migration)
    # and what it reads as; absent from files written before clausegate read the text.
    migration_sha256: str | None = None
    migration_read: MigrationRead | None = None


@dataclass(frozen=True)
class VerdictsDocument:
    """The whole of verdicts.json."""

    checks: tuple[CheckRecord, ...]
    clauses: tuple[ClauseRecord, ...]
    runs: tuple[RunRecord, ...]
    errors: tuple[str, ...]  # what stopped the run outside any check (each makes it BROKEN)
    transactions: str  # the account's statement of what clausegate committed
    exit_code: int
    # One line per check left out (`specs/x.yaml: §3 > R2: deselected`) and per spec not
    # collected (`specs/y.yaml: not collected: <error>`); absent from files written before
    # clausegate recorded partial runs.
    left_out: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether every check of every spec given got a verdict."""
        return not self.left_out

    @property
    def verdict(self) -> str:
        """The run's verdict in words, as summary.md and report.html open with it:
        `PASS (exit code 0)`, `FAIL, PARTIAL (exit code 1)`…"""
        word = {0: "PASS", 1: "FAIL", 3: "BROKEN"}.get(self.exit_code) or "UNKNOWN"
        if not self.complete:
            # A partial run never reads as a PASS; what it found failing still shows.
            word = "PARTIAL" if word == "PASS" else f"{word}, PARTIAL"
        return f"{word} (exit code {self.exit_code})"


# --- writing --------------------------------------------------------------------------


def dump(document: VerdictsDocument) -> str:
    """The text of verdicts.json. A value in `expected` or `observed` that is not JSON data
    is written as its str()."""
    data = _to_json(VerdictsDocument, document)
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True, default=str) + "\n"


def write(path: Path, document: VerdictsDocument) -> None:
    path.write_text(dump(document), encoding="utf-8")


def as_json(record: Any) -> Any:
    """A record as verdicts.json holds it, read back: what two records are compared by."""
    text = json.dumps(_to_json(type(record), record), sort_keys=True, default=str)
    return json.loads(text)


def _to_json(hint: Any, value: Any) -> Any:
    if value is None or hint is Any:
        return value
    if hint in _ENUMS:
        return value.value
    if _is_record(hint):
        return {name: _to_json(kind, getattr(value, name)) for name, kind in _FIELDS[hint]}
    if get_origin(hint) is tuple:
        return [_to_json(get_args(hint)[0], item) for item in value]
    if get_origin(hint) is types.UnionType:
        return _to_json(_not_none(hint), value)
    return value


# --- reading --------------------------------------------------------------------------


def load(path: Path) -> VerdictsDocument:
    """verdicts.json as written by `write`; ClausegateError naming the file and the key
    of the first value missing, unknown or of the wrong type."""
    try:
        data = strict_json.read(path)
    except strict_json.BadJson as exc:
        raise ClausegateError(f"{path}: unreadable ({exc})") from None
    return _record(VerdictsDocument, data, "", path)


R = TypeVar("R")


def _record(kind: type[R], data: Any, where: str, path: Path) -> R:
    if not isinstance(data, dict):
        raise _wrong(path, where, "an object", data)
    known = dict(_FIELDS[kind])
    unknown = sorted(set(data) - set(known))
    if unknown:
        key = _key(where, unknown[0])
        raise ClausegateError(f"{path}: key {key} is not one clausegate writes")
    values = {}
    for name, hint in known.items():
        key = _key(where, name)
        if name not in data:
            if name in _ADDED_LATER.get(kind, ()):
                continue
            raise ClausegateError(f"{path}: key {key} is missing")
        values[name] = _value(hint, data[name], key, path)
    return kind(**values)


def _value(hint: Any, data: Any, where: str, path: Path) -> Any:
    if hint is Any:
        return data
    optional = get_origin(hint) is types.UnionType
    if optional and data is None:
        return None
    kind = _not_none(hint) if optional else hint
    if not _fits(kind, data):
        raise _wrong(path, where, _describe(hint), data)
    if _is_record(kind):
        return _record(kind, data, where, path)
    if get_origin(kind) is tuple:
        item = get_args(kind)[0]
        return tuple(_value(item, v, f"{where}[{n}]", path) for n, v in enumerate(data))
    return kind(data) if kind in _ENUMS else data


def _fits(kind: Any, data: Any) -> bool:
    """Whether `data` is JSON of the shape `kind` is read from (items not looked into)."""
    if kind in _ENUMS:
        return isinstance(data, str) and data in {s.value for s in kind}
    if _is_record(kind) or get_origin(kind) is dict:
        return isinstance(data, dict)
    if get_origin(kind) is tuple:
        return isinstance(data, list)
    if kind is float:
        return isinstance(data, int | float) and not isinstance(data, bool)
    if kind is int:
        return isinstance(data, int) and not isinstance(data, bool)
    if kind is str:
        return isinstance(data, str)
    raise TypeError(f"records: no reader for {kind!r}")  # a field of a type not handled here


def _describe(hint: Any) -> str:
    if hint in _ENUMS:
        return "one of " + ", ".join(s.value for s in hint)
    if get_origin(hint) is types.UnionType:
        return f"{_describe(_not_none(hint))} or null"
    if get_origin(hint) is tuple:
        return "an array"
    if get_origin(hint) is dict or _is_record(hint):
        return "an object"
    return {str: "text", int: "a whole number", float: "a number"}[hint]


def _wrong(path: Path, where: str, wanted: str, data: Any) -> ClausegateError:
    place = f"key {where}" if where else "the document"
    if isinstance(data, list | dict):
        found = "an array" if isinstance(data, list) else "an object"
    else:
        found = json.dumps(data, ensure_ascii=False)
        found = found if len(found) <= 40 else f"{found[:37]}…"
    return ClausegateError(f"{path}: {place} should be {wanted}, not {found}")


def _key(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


# --- the records' fields --------------------------------------------------------------


def _field_types(kind: Any) -> tuple[tuple[str, Any], ...]:
    """(name, type) of each field of a record, in order."""
    hints = get_type_hints(kind)
    return tuple((f.name, hints[f.name]) for f in fields(kind))


_FIELDS: dict[Any, tuple[tuple[str, Any], ...]] = {
    kind: _field_types(kind)
    for kind in (
        CheckRecord,
        ClauseRecord,
        StepRecord,
        CommandCount,
        MigrationRead,
        RunRecord,
        VerdictsDocument,
    )
}


# Fields older files do not have (each with a default): read as that default.
_ADDED_LATER: dict[Any, frozenset[str]] = {
    CheckRecord: frozenset({"rule"}),
    ClauseRecord: frozenset({"left_out"}),
    RunRecord: frozenset({"migration_sha256", "migration_read"}),
    VerdictsDocument: frozenset({"left_out"}),
}

# The verdicts, written as their values.
_ENUMS: frozenset[Any] = frozenset({Status, ClauseStatus})


def _is_record(hint: Any) -> bool:
    return hint in _FIELDS


def _not_none(hint: Any) -> Any:
    (inner,) = [arg for arg in get_args(hint) if arg is not type(None)]
    return inner
