"""Taking a snapshot: every catalog kind and data probe read in READ ONLY, REPEATABLE READ
transactions of `db.connect`, always rolled back (see the package docstring)."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from typing import Any

import psycopg
from psycopg import IsolationLevel, sql
from psycopg.pq import TransactionStatus

from clausegate import db
from clausegate.errors import EXIT_BROKEN, ClausegateError, TargetError
from clausegate.snapshot import catalog
from clausegate.snapshot.data_probes import DATA_PROBE_TYPES, DataProbes
from clausegate.snapshot.model import FORMAT, Objects, Snapshot
from clausegate.snapshot.model import section as section_of

# The text of defaults, view definitions and rows (hence content hashes) depends on these
# output settings, so they are fixed for the transaction instead of taken from the client.
# Settings of a read of many rows, local to its transaction: no JIT (its compile time
# outweighs any gain on these queries), sorts in memory, and parallel workers for a big
# table (hashing is CPU-bound; tables under min_parallel_table_scan_size, 8 MB by default,
# are still read by the backend alone).
READ_SETTINGS = (
    "set_config('jit', 'off', true), set_config('work_mem', '64MB', true),"
    " set_config('parallel_setup_cost', '0', true), set_config('parallel_tuple_cost', '0', true)"
)


_SETTINGS = sql.SQL(
    "SELECT set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, YMD', true),"
    " set_config('IntervalStyle', 'postgres', true), set_config('extra_float_digits', '1', true),"
    " set_config('bytea_output', 'hex', true), set_config('lc_monetary', 'C', true), "
    + READ_SETTINGS
    + ", set_config('clausegate.own_backends', {}, true)"
)


def _session_settings() -> sql.Composed:
    """The settings of a snapshot's transaction, with the pids of this process's sessions
    that go by another name (sessions.sql leaves them out)."""
    return _SETTINGS.format(sql.Literal(db.own_backends()))


# An empty search_path makes every name in catalog output schema-qualified, as pg_dump does.
# The catalog is read without parallel workers: the two connections of a snapshot already
# read kinds side by side, and workers would only compete with them for the same cores.
_QUALIFIED_NAMES = sql.SQL(
    "SELECT set_config('search_path', '', true),"
    " set_config('max_parallel_workers_per_gather', '0', true)"
)


_READABLE = "readable"


_ABSENT = "absent"


def capture(conninfo: str, probes: DataProbes | None = None) -> Snapshot:
    """Connect to `conninfo` and take a snapshot, with a helper connection where the server
    takes one more (see capture_connection)."""
    with db.connect(conninfo, purpose="snapshot") as conn, ExitStack() as stack:
        try:
            helper = stack.enter_context(db.connect(conninfo, purpose="snapshot helper"))
        except TargetError:
            helper = None  # E.g. a live server at max_connections: read on one connection.
        return capture_connection(conn, probes, helper)


def capture_connection(
    conn: psycopg.Connection,
    probes: DataProbes | None = None,
    helper: psycopg.Connection | None = None,
) -> Snapshot:
    """Take a snapshot on an idle connection, in a READ ONLY, REPEATABLE READ transaction
    that is rolled back. The connection's timeouts apply (db.connect sets them).

    With `helper`, a second idle connection to the same database, the helper reads catalog
    kinds in a transaction of its own that imports this one's snapshot
    (`pg_export_snapshot`, as `pg_dump -j` does): the same view of the database, read on
    two server processes while this process decodes the rows. A helper that cannot import
    the snapshot (a pooler between, a server that cannot export) reads nothing, and this
    connection reads it all.

    Raises ClausegateError (exit 3) when a catalog query fails; a failing probe is recorded
    in the snapshot as its error instead.
    """
    for each in (conn, helper):
        if each is not None and each.info.transaction_status != TransactionStatus.IDLE:
            raise ValueError("capture_connection needs connections outside any transaction")
    if helper is not None:
        try:
            return _capture(conn, probes or DataProbes(), helper)
        except _NotExported:
            pass
    return _capture(conn, probes or DataProbes(), None)


class _NotExported(Exception):
    """The server would not export the transaction's snapshot for a helper."""


def _capture(
    conn: psycopg.Connection, probes: DataProbes, helper: psycopg.Connection | None
) -> Snapshot:
    reader = _CatalogReader(conn.info.server_version)
    with _read_only(conn), conn.transaction(force_rollback=True), conn.cursor() as cur:
        exported = _exported_snapshot(conn, cur) if helper is not None else None
        cur.execute(_session_settings())
        reader.read_server(cur)
        with reader.helping(helper, exported):
            # DataProbes run before the empty search_path, so their SQL sees the usual one.
            probe_results = _run_probes(conn, cur, probes)
            cur.execute(_QUALIFIED_NAMES)
            reader.take_pending(cur)
    return reader.snapshot(probe_results)


@contextmanager
def _read_only(conn: psycopg.Connection) -> Iterator[None]:
    saved = conn.read_only, conn.isolation_level
    conn.read_only, conn.isolation_level = True, IsolationLevel.REPEATABLE_READ
    try:
        yield
    finally:
        conn.read_only, conn.isolation_level = saved


def _exported_snapshot(conn: psycopg.Connection, cur: psycopg.Cursor[Any]) -> str:
    """The transaction's snapshot, exported for a helper (first, outside any savepoint, as
    the server requires); raises _NotExported, leaving the transaction to be rolled back,
    where it cannot be."""
    try:
        row = cur.execute("SELECT pg_export_snapshot()").fetchone()
    except psycopg.Error:
        if conn.closed:
            raise
        raise _NotExported from None
    if row is None:
        raise _NotExported
    return str(row[0])


def _fail(what: str, exc: psycopg.Error) -> ClausegateError:
    reason = " ".join(str(exc).split())
    return ClausegateError(f"snapshot failed reading {what}: {reason}", EXIT_BROKEN)


# The kinds that cost most on a large catalog first, so that two connections taking kinds
# in turn end together.
_COSTLY_FIRST = (
    "builtin_objects", "columns", "constraints", "indexes", "functions", "sequence_values",
    "sequences", "tables", "views",
)  # fmt: skip


_READ_ORDER = sorted(
    (kind.name for kind in catalog.KINDS),
    key=lambda name: _COSTLY_FIRST.index(name) if name in _COSTLY_FIRST else len(_COSTLY_FIRST),
)


_GATED = frozenset(kind.name for kind in catalog.KINDS if kind.gated)


_IMPORT = sql.SQL("SET TRANSACTION SNAPSHOT {}")


class _CatalogReader:
    """The catalog kinds of one snapshot, read by this connection and, in a thread, by a
    helper connection in the same snapshot; each takes the next kind still pending."""

    def __init__(self, version_num: int) -> None:
        self.version_num = version_num
        self.pending: deque[str] = deque()
        self.read_kinds: dict[str, tuple[Objects, Objects | None]] = {}
        # Equal texts share one string (see _objects), across both connections.
        self.texts: dict[str, str] = {}
        self.server: dict[str, Any] = {}
        self.failure: BaseException | None = None

    @contextmanager
    def helping(self, helper: psycopg.Connection | None, exported: str | None) -> Iterator[None]:
        """Within the block the helper, if it can import `exported`, reads pending kinds;
        the block ends when the helper is done."""
        if helper is None or exported is None:
            yield
            return
        thread = threading.Thread(target=self._help, args=(helper, exported), daemon=True)
        thread.start()
        try:
            yield
        except BaseException:
            # Interrupted, or this connection failed: the helper's query is of no use now.
            self.pending.clear()
            with suppress(psycopg.Error):
                helper.cancel_safe(timeout=5)
            raise
        finally:
            self.pending.clear()
            thread.join()

    def _help(self, helper: psycopg.Connection, exported: str) -> None:
        try:
            with (
                _read_only(helper),
                helper.transaction(force_rollback=True),
                helper.cursor() as cur,
            ):
                try:
                    cur.execute(_IMPORT.format(sql.Literal(exported)))
                    cur.execute(_session_settings())
                    cur.execute(_QUALIFIED_NAMES)
                except psycopg.Error:
                    return  # Not one kind taken: this connection reads them all.
                self.take_pending(cur)
        except BaseException as exc:  # Raised again by snapshot(), in the caller's thread.
            self.failure = self.failure or exc

    def take_pending(self, cur: psycopg.Cursor[Any]) -> None:
        """Read kinds until none is pending (or the other connection failed)."""
        while self.failure is None:
            try:
                kind = self.pending.popleft()
            except IndexError:
                return
            self._read_kind(cur, kind)

    def _read_kind(self, cur: psycopg.Cursor[Any], kind: str) -> None:
        try:
            rows = _rows(cur, catalog.query(kind, self.version_num))
            self.read_kinds[kind] = _objects(kind, cur, rows, self.texts)
        except psycopg.Error as exc:
            raise _fail(kind, exc) from None

    def read_server(self, cur: psycopg.Cursor[Any]) -> None:
        """server.sql: the server, and which gated kinds can be read; every kind that can
        is then pending."""
        try:
            cur.execute(catalog.query("server", self.version_num))
            names = [column.name for column in cur.description or ()]
            self.server = dict(zip(names, cur.fetchone() or (), strict=True))
        except psycopg.Error as exc:
            raise _fail("server", exc) from None
        self.pending.extend(name for name in _READ_ORDER if self._status(name) == _READABLE)

    def _status(self, name: str) -> str:
        return str(self.server[name]) if name in _GATED else _READABLE

    def snapshot(self, probe_results: dict[str, Objects]) -> Snapshot:
        """The snapshot, with the probes' results, once both connections are done; what
        the helper failed on is raised here."""
        if self.failure is not None:
            raise self.failure
        server = self.server
        snapshot: Snapshot = {
            "format": FORMAT,
            "server": {
                "version_num": server["version_num"],
                "version": server["version"],
                "database": server["database"],
                "unreadable": {},
            },
            "catalog": {},
            "extension_members": {},
            "nontransactional": {},
            "cluster": {},
            "probes": probe_results,
        }
        for kind in catalog.KINDS:
            section = section_of(snapshot, kind.section)
            status = self._status(kind.name)
            if status == _ABSENT:
                section[kind.name] = {}
            elif status != _READABLE:
                section[kind.name] = None
                snapshot["server"]["unreadable"][kind.name] = status
            elif kind.name not in self.read_kinds:
                # Not a kind may go unread and show as empty: that would pass unseen.
                raise ClausegateError(f"snapshot failed: {kind.name} was not read", EXIT_BROKEN)
            else:
                section[kind.name], members = self.read_kinds[kind.name]
                if members is not None:
                    snapshot["extension_members"][kind.name] = members
        return snapshot


# libpq 17 and later can hand a result over in chunks: then no kind's whole result (tens
# of MB for the columns of 10,000 tables) is held beside the objects built from it, twice
# over when both connections of a snapshot read a large kind at once.
_CHUNKED = psycopg.pq.version() >= 170000


_CHUNK_ROWS = 5000


_EXTENSION_COLUMN = frozenset(kind.name for kind in catalog.KINDS if kind.extension_column)


def _rows(cur: psycopg.Cursor[Any], query: sql.Composed) -> Iterator[Any]:
    """The rows of one query, sent as one statement, in chunks where libpq can."""
    if _CHUNKED:
        return cur.stream(query, size=_CHUNK_ROWS)
    cur.execute(query)
    return iter(cur)


def _objects(
    kind: str, cur: psycopg.Cursor[Any], rows: Iterator[Any], texts: dict[str, str]
) -> tuple[Objects, Objects | None]:
    """The rows of a catalog query as {identity: attributes}, attributes that are null or
    empty left out (a snapshot of a large catalog is mostly those). Kinds that can belong
    to an extension return their members apart, with their `extension` attribute.

    Equal texts share one string through `texts` (type names, owners, flags repeat across
    tens of thousands of objects: a fifth less memory for a large catalog).
    """
    names: list[str] = []
    own: Objects = {}
    members: Objects = {}
    shared = texts.setdefault  # Looked up once: called for every text of every row.
    for identity, *values in rows:
        if not names:  # The columns are known once the first rows have come.
            names = [column.name for column in cur.description or ()][1:]
        attrs = {
            name: shared(value, value) if type(value) is str else value
            for name, value in zip(names, values, strict=True)
            if value is not None and value != []
        }
        target = members if "extension" in attrs else own
        if identity in target:
            raise ClausegateError(
                f"snapshot failed reading {kind}: identity {identity} occurs twice", EXIT_BROKEN
            )
        target[identity] = attrs
    return own, (members if kind in _EXTENSION_COLUMN else None)


def _run_probes(
    conn: psycopg.Connection, cur: psycopg.Cursor[Any], probes: DataProbes
) -> dict[str, Objects]:
    """Each probe in a savepoint: one that fails (a table the migration dropped) records
    its error and leaves the snapshot going."""
    results: dict[str, Objects] = {kind: {} for kind in DATA_PROBE_TYPES}
    for probe in probes.items:
        result = probe.definition()
        try:
            with conn.transaction():
                cur.execute(probe.statement())
                names = [column.name for column in cur.description or ()]
                result |= dict(zip(names, cur.fetchone() or (), strict=True))
        except psycopg.Error as exc:
            if conn.closed:
                raise _fail(f"probe {probe.name}", exc) from None
            state = exc.sqlstate or "error"
            result["error"] = f"{state}: {' '.join(str(exc).split())}"
        results[probe.kind][probe.name] = result
    return results
