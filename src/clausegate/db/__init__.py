"""Every connection clausegate opens: named, and bounded in time.

A connection that can hang or hold a lock without end is not safe to point at a live
database, so the timeouts are set here once, for every caller, and never left out.
"""

from __future__ import annotations

import re
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from typing import Any

import psycopg
from psycopg import pq
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.pq import TransactionStatus

from clausegate import environment
from clausegate.errors import TargetError

APPLICATION_NAME = "clausegate"
# Names this process's sessions apart from those of another clausegate (or of a migration
# that calls itself clausegate), so a snapshot leaves out only its own.
RUN_TOKEN = secrets.token_hex(4)
# The backend process ids of this process's sessions that go by another name than
# clausegate's (the probes, under the neutral name a spec sets, so that a function cannot
# tell it is being audited): a snapshot leaves them out by pid (own_backends()), read at
# connect, and kept after the session closes (its backend may linger a moment).
_OWN_BACKENDS: set[int] = set()
# None: from the environment (CLAUSEGATE_STATEMENT_TIMEOUT_MS, CLAUSEGATE_LOCK_TIMEOUT_MS),
# else these defaults; a process may set its own (the bench does).
STATEMENT_TIMEOUT_MS: int | None = None
LOCK_TIMEOUT_MS: int | None = None
DEFAULT_STATEMENT_TIMEOUT_MS = 60000
DEFAULT_LOCK_TIMEOUT_MS = 5000
IDLE_IN_TRANSACTION_TIMEOUT_MS = 60000
CONNECT_TIMEOUT_S = 10


def session_options() -> str:
    """The libpq `options` string that sets the timeouts at connection start."""
    statement = STATEMENT_TIMEOUT_MS or environment.milliseconds(
        environment.STATEMENT_TIMEOUT_MS, DEFAULT_STATEMENT_TIMEOUT_MS
    )
    lock = LOCK_TIMEOUT_MS or environment.milliseconds(
        environment.LOCK_TIMEOUT_MS, DEFAULT_LOCK_TIMEOUT_MS
    )
    return (
        f"-c statement_timeout={statement}"
        f" -c lock_timeout={lock}"
        f" -c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_TIMEOUT_MS}"
    )


def own_backends() -> str:
    """The pids of this process's sessions named otherwise than clausegate's, as text
    (`123,456`; empty when none) for the sessions query to leave out."""
    return ",".join(str(pid) for pid in sorted(_OWN_BACKENDS))


def connect(
    conninfo: str,
    *,
    purpose: str,
    autocommit: bool = True,
    application_name: str | None = None,
) -> psycopg.Connection:
    """Open a connection named `clausegate:<run token> <purpose>`, timeouts set; with
    `application_name`, named that instead (a probe's neutral name), and its backend's pid
    recorded so this process still tells the session is its own.

    Raises TargetError (exit 3) with the target shown without its password when the
    server cannot be reached.
    """
    params = conninfo_to_dict(conninfo)
    options = " ".join(filter(None, [str(params.get("options") or ""), session_options()]))
    full = make_conninfo(
        conninfo,
        application_name=(
            application_name
            if application_name is not None
            else f"{APPLICATION_NAME}:{RUN_TOKEN} {purpose}"[:63]
        ),
        options=options,
        connect_timeout=params.get("connect_timeout") or CONNECT_TIMEOUT_S,
    )
    try:
        conn = AccountedConnection.connect(
            full, autocommit=autocommit, cursor_factory=AccountedCursor
        )
    except psycopg.OperationalError as exc:
        reason = " ".join(str(exc).split())
        password = str(params.get("password") or "")
        if password:
            reason = reason.replace(password, "***")
        raise TargetError(f"cannot connect to {redact(conninfo)}: {reason}") from None
    conn.purpose = purpose
    if application_name is not None:
        _OWN_BACKENDS.add(conn.info.backend_pid)
    ACCOUNT.append(Entry("connection", purpose, conn.info.dbname, None, "opened", None))
    return conn


# --- the account of what clausegate did on a server ------------------------------------------


@dataclass
class Entry:
    """A connection opened, or a transaction clausegate ran: its purpose, the database,
    whether it was READ ONLY, how it ended, and whether it wrote (had a transaction id)."""

    kind: str
    purpose: str
    database: str
    read_only: bool | None
    ended: str
    wrote: bool | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


ACCOUNT: list[Entry] = []


def account() -> list[Entry]:
    """Every connection and transaction of this process so far, in order."""
    return list(ACCOUNT)


def committed_writes(entries: list[Entry]) -> list[Entry]:
    """The transactions that committed, unless proven to have written nothing."""
    return [
        e
        for e in entries
        if e.kind != "connection" and e.ended == "committed" and e.wrote is not False
    ]


_OBSERVE = (
    "SELECT current_setting('transaction_read_only') = 'on',"
    " pg_current_xact_id_if_assigned() IS NOT NULL"
)


class AccountedConnection(psycopg.Connection[Any]):
    """A connection that enters each top-level transaction, and each statement run in
    autocommit mode, in ACCOUNT. Just before a transaction ends it asks the server whether
    the transaction was READ ONLY and whether it got a transaction id: one without an id
    wrote nothing."""

    purpose = ""

    @contextmanager
    def transaction(
        self, savepoint_name: str | None = None, force_rollback: bool = False
    ) -> Iterator[psycopg.Transaction]:
        if self.info.transaction_status != TransactionStatus.IDLE:
            with super().transaction(savepoint_name, force_rollback) as inner:
                yield inner
            return
        entry = Entry("transaction", self.purpose, self.info.dbname, None, "rolled back", None)
        ACCOUNT.append(entry)
        with super().transaction(savepoint_name, force_rollback) as outer:
            try:
                yield outer
            finally:
                self._observe(entry)
        entry.ended = "rolled back" if force_rollback else "committed"

    def _observe(self, entry: Entry) -> None:
        if self.closed or self.info.transaction_status != TransactionStatus.INTRANS:
            return
        try:
            with super().transaction():
                row = self.execute(_OBSERVE).fetchone()
        except psycopg.Error:
            return
        if row is not None:
            entry.read_only, entry.wrote = bool(row[0]), bool(row[1])


class AccountedCursor(psycopg.Cursor[Any]):
    """A cursor that enters each statement it runs in autocommit mode (its own committed
    transaction) in ACCOUNT; whether such a statement wrote is not known."""

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> AccountedCursor:
        conn = self.connection
        if conn.autocommit and conn.info.transaction_status == TransactionStatus.IDLE:
            purpose = getattr(conn, "purpose", "")
            ACCOUNT.append(Entry("statement", purpose, conn.info.dbname, None, "committed", None))
        super().execute(query, params, **kwargs)
        return self


# A statement in libpq's trace of the messages sent: a simple Query, or the Execute of the
# extended protocol (sent again each time a prepared statement is reused).
_SENT_STATEMENT = re.compile(r"^F\t\d+\t(Query|Execute)\b", re.MULTILINE)


@dataclass
class StatementCount:
    """The statements counted by counting_statements, once its block has ended."""

    sent: int = 0


@contextmanager
def counting_statements(*conns: psycopg.Connection) -> Iterator[StatementCount]:
    """Count the statements `conns` send to the server within the block (BEGIN and
    ROLLBACK included), read from libpq's protocol trace of each connection: how the tests
    and the bench show that a snapshot's queries do not grow with the catalog."""
    counted = StatementCount()
    with ExitStack() as stack:
        traces = [stack.enter_context(tempfile.TemporaryFile("w+")) for _ in conns]
        for conn, trace in zip(conns, traces, strict=True):
            conn.pgconn.trace(trace.fileno())
            conn.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            yield counted
        finally:
            for conn, trace in zip(conns, traces, strict=True):
                conn.pgconn.untrace()
                trace.seek(0)
                counted.sent += len(_SENT_STATEMENT.findall(trace.read()))


_URL_PASSWORD = re.compile(r"(://[^:/@]*):[^@]*@")


def redact(conninfo: str) -> str:
    """The conninfo or URL with any password replaced by ***, safe for logs and reports."""
    if "://" in conninfo:
        return _URL_PASSWORD.sub(r"\1:***@", conninfo)
    try:
        params = conninfo_to_dict(conninfo)
    except psycopg.ProgrammingError:
        return "<unparseable conninfo>"
    if "password" in params:
        params["password"] = "***"
    return make_conninfo("", **{k: v for k, v in params.items() if v is not None})
