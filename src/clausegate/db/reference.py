"""The reference database: the fixture chain (`NNN_name.sql` files) applied in file-name order.

Each file is one transaction (its own BEGIN ... COMMIT) and is sent to the server as one
multi-statement query, exactly the text `psql -f` reads. A failure names the file and, when
the server reports a position, the line: `fixtures/dieu45/051_phase2.sql:42: relation ...`.
"""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
from psycopg import pq, sql
from psycopg.conninfo import make_conninfo

from clausegate import db
from clausegate.errors import EXIT_BROKEN, EXIT_USAGE, ClausegateError

DEFAULT_FIXTURES = Path("fixtures/dieu45")
# One file may build a large world (133,784 outbox rows), and a build may wait for a concurrent
# one in the same cluster that is creating the same cluster-wide role: db.connect's defaults are
# meant for probes and snapshots, so both limits are raised, never lifted.
APPLY_TIMEOUT = "10min"
_CHAIN_FILE = re.compile(r"^(?P<state>\d{3})_\w+\.sql$")


class ChainError(ClausegateError):
    """The fixture directory has no chain, or no file for the requested state (exit 2)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_USAGE)


class MigrationFailed(ClausegateError):
    """A chain file failed on the server; the message is `FILE:LINE: server message` (exit 3).

    `line` is None when the server reported no position (an error raised while executing,
    such as a duplicate object or a constraint violation); the message is then `FILE: ...`.
    """

    def __init__(
        self, path: Path, line: int | None, server_message: str, sqlstate: str | None
    ) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {server_message}", EXIT_BROKEN)
        self.path = path
        self.line = line
        self.server_message = server_message
        self.sqlstate = sqlstate


def states(directory: Path) -> list[str]:
    """The state prefixes of the chain in `directory`, in order ("000", "050", ...)."""
    return [_state(path) for path in chain_files(directory)]


def chain_files(directory: Path, upto: str | None = None) -> list[Path]:
    """The chain's files sorted by name, up to and including the files of state `upto`."""
    if not directory.is_dir():
        raise ChainError(f"no fixture directory {directory}; to fix: run from the workspace root")
    files = sorted(
        (path for path in directory.iterdir() if path.is_file() and _CHAIN_FILE.match(path.name)),
        key=lambda path: path.name,
    )
    if not files:
        raise ChainError(f"no NNN_name.sql files in {directory}")
    if upto is None:
        return files
    prefixes = [_state(path) for path in files]
    if upto not in prefixes:
        raise ChainError(
            f"no state {upto!r} in {directory}; states: {', '.join(dict.fromkeys(prefixes))}"
        )
    last = max(index for index, prefix in enumerate(prefixes) if prefix == upto)
    return files[: last + 1]


def apply_sql_file(conninfo: str, path: Path, *, role: str | None = None) -> None:
    """Run one chain file on the database at `conninfo`; raise MigrationFailed if it fails.

    With `role`, the session first becomes that role (SET SESSION AUTHORIZATION, which
    needs the connecting role to be a superuser and works for a NOLOGIN role too), so the
    file runs with that role's privileges alone, as it does in production.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ChainError(f"cannot read {path}: {exc}") from None
    # The text is sent as UTF-8 bytes (a file's text is not a LiteralString, and bytes go out
    # untouched), so the session must say UTF8 whatever the database's default is.
    utf8 = make_conninfo(conninfo, client_encoding="UTF8")
    with db.connect(utf8, purpose=f"apply {path.name}") as conn:
        for setting in ("statement_timeout", "lock_timeout"):
            conn.execute(
                sql.SQL("SET {} = {}").format(sql.Identifier(setting), sql.Literal(APPLY_TIMEOUT))
            )
        if role is not None:
            try:
                conn.execute(sql.SQL("SET SESSION AUTHORIZATION {}").format(sql.Identifier(role)))
            except psycopg.Error as exc:
                reason = exc.diag.message_primary or " ".join(str(exc).split())
                raise MigrationFailed(
                    path, None, f"cannot run as role {role}: {reason}", exc.diag.sqlstate
                ) from None
        try:
            conn.execute(text.encode("utf-8"))
        except psycopg.Error as exc:
            # The file's BEGIN opened a transaction block that the error left aborted.
            if conn.info.transaction_status == pq.TransactionStatus.INERROR:
                conn.execute("ROLLBACK")
            failure = _failure(path, text, exc)
            if failure.line is None:
                failure = _located(conn, path, text, failure)
            raise failure from None


def _state(path: Path) -> str:
    match = _CHAIN_FILE.match(path.name)
    assert match is not None, f"{path.name} is not a chain file"
    return match["state"]


def _located(
    conn: psycopg.Connection, path: Path, text: str, failure: MigrationFailed
) -> MigrationFailed:
    """The failure with the line of the statement that raised it, found by running the
    file's statements again one by one in a transaction that is rolled back, until one
    raises the same error (a duplicate object, a constraint violation: errors the server
    gives no position for). Only a file whose statements all ran in one transaction
    (none, or a leading BEGIN and a closing COMMIT) is replayed: the first run then left
    nothing behind, so the replay meets the same state. Otherwise, or when no statement
    raises that error again, the failure is as it was."""
    import pglast  # only on a failure without a position; slow to import
    from pglast import ast

    try:
        parsed = pglast.parse_sql(text)
    except (pglast.parser.ParseError, RecursionError):
        return failure
    spans = []
    for raw in parsed:
        start = raw.stmt_location or 0
        if raw.stmt is not None:
            spans.append((raw.stmt, start, start + raw.stmt_len if raw.stmt_len else len(text)))
    control = [i for i, (node, _, _) in enumerate(spans) if isinstance(node, ast.TransactionStmt)]
    if control not in ([], [0, len(spans) - 1]):
        return failure
    if not conn.closed and conn.info.transaction_status == pq.TransactionStatus.IDLE:
        try:
            with conn.transaction(force_rollback=True):
                for node, start, end in spans:
                    if isinstance(node, ast.TransactionStmt):
                        continue
                    try:
                        conn.execute(text[start:end].encode("utf-8"))
                    except psycopg.Error as exc:
                        if exc.diag.sqlstate != failure.sqlstate:
                            return failure
                        line = text.count("\n", 0, start + _leading_space(text[start:end])) + 1
                        return MigrationFailed(path, line, failure.server_message, failure.sqlstate)
        except psycopg.Error:
            return failure
    return failure


def _leading_space(statement: str) -> int:
    """How many characters of white space and comments open a statement's text (pglast's
    span of a statement starts where the previous one ended)."""
    stripped = re.sub(r"^(?:\s+|--[^\n]*\n?|/\*.*?\*/)*", "", statement, flags=re.DOTALL)
    return len(statement) - len(stripped)


def _failure(path: Path, text: str, exc: psycopg.Error) -> MigrationFailed:
    diag = exc.diag
    message = diag.message_primary or " ".join(str(exc).split())
    line = None
    if diag.statement_position:
        # A 1-based character offset into the whole text sent, which is the file's text.
        offset = int(diag.statement_position) - 1
        line = text.count("\n", 0, offset) + 1
    elif diag.context:
        # Without a position, the outermost context line, the one naming what the file itself
        # ran (e.g. "PL/pgSQL function inline_code_block line 12 at RAISE"), is the best pointer.
        message = f"{message} ({diag.context.splitlines()[-1]})"
    return MigrationFailed(path, line, message, diag.sqlstate)
