"""What a phase's checks are judged on, and the helpers every judge shares.

Nothing here touches a database. Whatever a check needs and cannot find (a value that
was not captured, a query that failed, a part of a snapshot that could not be read)
makes it BROKEN with the reason, never PASS.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from clausegate.checks import expect
from clausegate.checks.verdict import Verdict, broken, failed, passed
from clausegate.db.probes import ProbeRun
from clausegate.diff.redaction import REDACTED, names_a_secret, without_passwords
from clausegate.migration import MigrationText
from clausegate.snapshot.catalog import KINDS, LABELS
from clausegate.spec import Check, Spec

MAX_LISTED = 12


# A data probe that failed because its table (or schema) does not exist read a fact of the
# database; any other error (no privilege, a time-out) means the table was not compared.
_ABSENT_TABLE = ("42P01", "3F000")


# The snapshots a phase takes, as the messages name them.
SNAPSHOTS = {"before": "before", "after": "after", "post-probes": "after the probes"}


class ChangeLike(Protocol):
    """A difference between two snapshots, as the diff module reports it: `line` in one
    line (what a spec's patterns and the counts speak of), `text` that line with the
    details a reviewer needs under it (what evidence shows)."""

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
    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class RowChange:
    """A change of one row of a probed table (a config gate, for instance): the value in
    its `column`, before and after. A row or column named as a secret shows no value."""

    section: str
    kind: str
    identity: str
    action: str
    before: Any
    after: Any
    column: str = "value"

    @property
    def line(self) -> str:
        secret = names_a_secret(self.identity) or names_a_secret(self.column)
        if self.action == "added":
            shown = REDACTED if secret else self._show(self.after)
            return f"row {self.identity}: added ({self.column} {shown})"
        if self.action == "removed":
            shown = REDACTED if secret else self._show(self.before)
            return f"row {self.identity}: removed ({self.column} was {shown})"
        if secret:
            return f"row {self.identity}: {self.column} changed (not shown: a secret)"
        was, now = self._show(self.before), self._show(self.after)
        return f"row {self.identity}: {self.column} {was} → {now}"

    @property
    def text(self) -> str:
        return self.line

    @staticmethod
    def _show(value: Any) -> str:
        return without_passwords(expect.show(value))


@dataclass
class Evidence:
    """Everything a phase's checks are judged on."""

    spec: Spec
    before: Mapping[str, Any]
    after: Mapping[str, Any]
    changes: Sequence[ChangeLike]
    queries: Mapping[str, str] = field(default_factory=dict)
    runs: Mapping[str, ProbeRun] = field(default_factory=dict)
    # A check over a table of inputs: the run of each of its rows, in order.
    table_runs: Mapping[str, tuple[ProbeRun, ...]] = field(default_factory=dict)
    # Checks whose probe was not run, and why (ProbeRuns.withheld): BROKEN with that reason.
    withheld: Mapping[str, str] = field(default_factory=dict)
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
    # The snapshots themselves ("before", "after", "post-probes"), for what a change does
    # not carry (a table's columns, when an expected change states them).
    snapshots: Mapping[str, Any] = field(default_factory=dict)
    # The migration file applied, read as statements (what statement_used and
    # function_called judge); None when the phase had none, `no_migration` saying why.
    migration: MigrationText | None = None
    no_migration: str = "no migration file was read"
    # The foreign tables of the before state (`schema.name`), read from its catalog; None
    # when its tables could not be read.
    foreign_tables: frozenset[str] | None = None


class Missing(Exception):
    """A value a check needs was not captured."""


def label(change: ChangeLike) -> str:
    """The kind as `clausegate diff` prints it (`function`, `constraint`), which specs use;
    `data` for the rows of a table (its content hash changed)."""
    if change.section == "probes" and change.kind == "content_hash":
        return "data"
    return LABELS.get(change.kind, change.kind)


def qualified(name: str) -> str:
    return name if "." in name else f"public.{name}"


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


def table_of(change: ChangeLike) -> str | None:
    attrs = change.after if change.after is not None else change.before
    table = attrs.get("table") if isinstance(attrs, Mapping) else None
    return str(table) if table is not None else None


def matching(ev: Evidence, predicate: Callable[[ChangeLike], bool]) -> list[str]:
    return [c.text for c in ev.changes if predicate(c)]


def verdict_from_changes(check: Check, lines: list[str], what: str) -> Verdict:
    if lines:
        return failed(f"{check.title}: {what}", evidence=listed(lines), observed=lines)
    return passed(f"{check.title}: nothing of the kind happened", observed=[])


def catalog_depends(part: str) -> bool:
    """Whether an unreadable part is of the catalog (what schema-wide kinds read)."""
    return _SECTION_OF.get(part) == "catalog"


@dataclass(frozen=True)
class Selector:
    """Which changes: of a kind (as `clausegate diff` labels it), with an identity matching a
    shell-style pattern; either left out matches any."""

    kind: str | None = None
    identity: str | None = None


def selects(selector: Selector, change: ChangeLike) -> bool:
    kind_ok = selector.kind is None or label(change) == selector.kind
    identity_ok = selector.identity is None or fnmatch.fnmatchcase(
        change.identity, selector.identity
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
    column = ev.spec.config.value if ev.spec.config else "value"
    before = {k: v for k, v in ev.before[query]}
    after = {k: v for k, v in ev.after[query]}
    changes = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if key not in before:
            changes.append(RowChange("data", "row", f"{table}.{key}", "added", None, new, column))
        elif key not in after:
            changes.append(RowChange("data", "row", f"{table}.{key}", "removed", old, None, column))
        elif old != new:
            changes.append(RowChange("data", "row", f"{table}.{key}", "modified", old, new, column))
    return changes
