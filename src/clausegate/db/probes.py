"""Refusal proofs, bounded proofs and invariants: SQL run in transactions always rolled back.

A probe records what it ran and what it saw (a value, or an error with its SQLSTATE and
constraint name from the server's diagnostics). Whether that meets the spec is decided
elsewhere; here nothing is judged and nothing is ever committed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import psycopg
from psycopg import sql

from clausegate.db.values import plain


@dataclass(frozen=True)
class ServerError:
    sqlstate: str
    constraint: str | None
    message: str
    relation: str | None
    # Where the server raised it: empty for the statement itself, a PL/pgSQL or SQL
    # function's frame for an error raised inside one.
    context: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "sqlstate": self.sqlstate,
            "constraint": self.constraint,
            "message": self.message,
            "relation": self.relation,
        }


@dataclass(frozen=True)
class StepResult:
    """One statement: its SQL and either the first column of its first row, or an error."""

    sql: str
    value: Any = None
    error: ServerError | None = None
    returned_rows: bool = False


@dataclass
class ProbeRun:
    """All statements a probe ran, in order; `aborted` when a statement broke the transaction."""

    steps: list[StepResult] = field(default_factory=list)
    aborted: StepResult | None = None
    # The role the statements ran as (SET LOCAL ROLE before them), and whether that switch
    # itself failed (the probe never ran: the harness's fault, not a finding).
    role: str | None = None
    role_failed: bool = False
    # The sequences that moved while it ran (nextval() is never rolled back), as the
    # harness read them right before and after it (advanced_by).
    advanced: tuple[str, ...] = ()
    # Those of them it left behind where they were before it (setval to an earlier value,
    # or to uncalled): values handed out again, whatever the probes after it did.
    set_back: tuple[str, ...] = ()


def server_error(exc: psycopg.Error) -> ServerError:
    diag = exc.diag
    return ServerError(
        sqlstate=diag.sqlstate or "",
        constraint=diag.constraint_name,
        message=(diag.message_primary or str(exc)).strip(),
        relation=".".join(p for p in (diag.schema_name, diag.table_name) if p) or None,
        context=diag.context or None,
    )


def _first_value(cur: psycopg.Cursor[Any]) -> tuple[Any, bool]:
    if cur.description is None:
        return None, False
    row = cur.fetchone()
    return (plain(row[0]) if row is not None else None), True


def run_statements(
    conn: psycopg.Connection,
    statements: Sequence[str],
    *,
    errors_expected_at: set[int],
    prelude: Sequence[str] = (),
    role: str | None = None,
) -> ProbeRun:
    """Run statements in one transaction that is rolled back whatever happens.

    `prelude` runs first in the same transaction and is not recorded (the harness's own
    settings, local to the transaction); then, with `role`, `SET LOCAL ROLE role`, so the
    statements run with that role's privileges (a failed switch is recorded as `aborted`
    with `role_failed`). A statement whose index is in
    `errors_expected_at` runs inside a savepoint, so its error is recorded and the
    transaction goes on; any other error stops the probe and is recorded as `aborted`.
    """
    run = ProbeRun(role=role)
    with conn.transaction(force_rollback=True), conn.cursor() as cur:
        for setting in prelude:
            cur.execute(setting.encode())
        if role is not None:
            switch = sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role))
            try:
                with conn.transaction():
                    cur.execute(switch)
            except psycopg.Error as exc:
                if isinstance(exc, psycopg.OperationalError) and conn.closed:
                    raise
                run.aborted = StepResult(switch.as_string(conn), error=server_error(exc))
                run.role_failed = True
                statements = ()
        for index, statement in enumerate(statements):
            try:
                if index in errors_expected_at:
                    with conn.transaction():
                        cur.execute(statement.encode())
                        value, returned = _first_value(cur)
                else:
                    cur.execute(statement.encode())
                    value, returned = _first_value(cur)
            except psycopg.Error as exc:
                if isinstance(exc, psycopg.OperationalError) and conn.closed:
                    raise
                result = StepResult(statement, error=server_error(exc))
                if index not in errors_expected_at:
                    run.aborted = result
                    break
                run.steps.append(result)
                continue
            run.steps.append(StepResult(statement, value=value, returned_rows=returned))
    _name_lock_holders(conn, run)
    return run


LOCK_NOT_AVAILABLE = "55P03"
_LOCKS_HELD_ELSEWHERE = """
SELECT string_agg(DISTINCT l.relation::regclass::text || ' (' || l.mode || ' held by pid '
                  || l.pid || ')', ', ')
FROM pg_locks AS l
WHERE l.granted AND l.relation IS NOT NULL AND l.pid <> pg_backend_pid()
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.mode NOT IN ('AccessShareLock')
"""


def _name_lock_holders(conn: psycopg.Connection, run: ProbeRun) -> None:
    """A lock time-out names no relation; name those other sessions hold locks on, read
    right after the time-out, so the report says what the probe was blocked by."""
    results = [*run.steps, *([run.aborted] if run.aborted else [])]
    timed_out = [r for r in results if r.error and r.error.sqlstate == LOCK_NOT_AVAILABLE]
    if not timed_out or conn.closed:
        return
    try:
        with conn.transaction(force_rollback=True):
            row = conn.execute(_LOCKS_HELD_ELSEWHERE).fetchone()
    except psycopg.Error:
        return
    held = row[0] if row else None
    if not held:
        return
    for result in timed_out:
        assert result.error is not None
        named = replace(result.error, relation=result.error.relation or f"locked elsewhere: {held}")
        patched = replace(result, error=named)
        if result is run.aborted:
            run.aborted = patched
        else:
            run.steps[run.steps.index(result)] = patched


# Where every readable sequence is: pg_sequence_last_value is NULL for one never called
# (or set back with setval(…, false)), so a first nextval() shows as a change too.
_SEQUENCE_POSITIONS = """
SELECT (quote_ident(n.nspname) || '.' || quote_ident(c.relname)) COLLATE "C",
       pg_sequence_last_value(c.oid)::text
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind = 'S' AND c.relpersistence <> 't'
  -- has_sequence_privilege raises on a table: asked of sequences only, whatever the
  -- order the planner tests the conditions in.
  AND CASE WHEN c.relkind = 'S' THEN has_sequence_privilege(c.oid, 'SELECT,USAGE') END
"""
SequencePositions = dict[str, str | None]


def sequence_positions(conn: psycopg.Connection) -> SequencePositions | None:
    """Every readable sequence's last value, in a READ ONLY transaction of its own (None
    when it cannot be read: then no probe is named for what it moved)."""
    if conn.closed:
        return None
    try:
        with conn.transaction(force_rollback=True):
            conn.execute("SET TRANSACTION READ ONLY")
            rows = conn.execute(_SEQUENCE_POSITIONS).fetchall()
    except psycopg.Error as exc:
        if isinstance(exc, psycopg.OperationalError) and conn.closed:
            raise
        return None
    return {str(identity): value for identity, value in rows}


def moved(before: SequencePositions | None, after: SequencePositions | None) -> tuple[str, ...]:
    """The sequences whose position differs between two readings (one only in `after`,
    made by the probe and rolled back, is none: it no longer exists)."""
    if before is None or after is None:
        return ()
    return tuple(sorted(name for name, value in after.items() if before.get(name, value) != value))


def moved_back(
    before: SequencePositions | None, after: SequencePositions | None
) -> tuple[str, ...]:
    """The sequences a run left at an earlier position than it found them: a lower last
    value, or uncalled (setval(…, false)) after being called."""
    if before is None or after is None:
        return ()
    back: list[str] = []
    for name, value in after.items():
        was = before.get(name)
        if was is None or value == was:
            continue
        if value is None or int(value) < int(was):
            back.append(name)
    return tuple(sorted(back))
