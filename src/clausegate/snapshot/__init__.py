"""Snapshots: what a migration can change, read in one read-only transaction, as plain data.

A snapshot is a JSON-serialisable dict::

    {"format": "clausegate-snapshot/1",
     "server": {"version_num", "version", "database", "unreadable": {kind: why}},
     "catalog": {kind: {identity: {attribute: value}}},
     "extension_members": {kind: {identity: {..., "extension": name}}},
     "nontransactional": {kind: {identity: {...}} or None when it could not be read},
     "cluster": {kind: {identity: {...}} or None},
     "probes": {"row_count" | "rows" | "content_hash": {name: {...}}}}

The catalog holds user objects only; objects that belong to an extension are kept apart
in `extension_members` (same kinds, same attributes), so a change to them still shows.
`nontransactional` holds what a rollback does not undo; `cluster` what belongs to the
whole server (roles, role settings of every scope, tablespaces, replication slots,
prepared transactions, configuration files). Objects in system schemas are in the catalog
when the server did not make them (an OID at or above 16384); the server's own objects are
kind `builtin_objects`, a digest each, so a change to one shows too. A kind that cannot be
read is None in any section, with the reason under `server.unreadable`. Every query runs in one
READ ONLY, REPEATABLE READ snapshot of the database: a transaction that is rolled back and,
on a second connection, a transaction that imports its snapshot and reads part of the
catalog meanwhile (rolled back too); both connections come from `db.connect`
(statement_timeout, lock_timeout, application_name clausegate), and the number of
queries depends on the probes asked for, never on the size of the catalog.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, ClassVar, TextIO

import psycopg
import yaml
from psycopg import IsolationLevel, sql
from psycopg.pq import TransactionStatus

from clausegate import db
from clausegate.errors import EXIT_BROKEN, EXIT_USAGE, ClausegateError, TargetError
from clausegate.snapshot import catalog
from clausegate.spec import yamlpos

FORMAT = "clausegate-snapshot/1"
SECTIONS = ("catalog", "extension_members", "nontransactional", "cluster", "probes")

Snapshot = dict[str, Any]
Objects = dict[str, dict[str, Any]]

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
_SESSION_SETTINGS = sql.SQL(
    "SELECT set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, YMD', true),"
    " set_config('IntervalStyle', 'postgres', true), set_config('extra_float_digits', '1', true),"
    " set_config('bytea_output', 'hex', true), set_config('lc_monetary', 'C', true), "
    + READ_SETTINGS
)
# An empty search_path makes every name in catalog output schema-qualified, as pg_dump does.
# The catalog is read without parallel workers: the two connections of a snapshot already
# read kinds side by side, and workers would only compete with them for the same cores.
_QUALIFIED_NAMES = sql.SQL(
    "SELECT set_config('search_path', '', true),"
    " set_config('max_parallel_workers_per_gather', '0', true)"
)
_READABLE = "readable"
_ABSENT = "absent"


# --- data probes ---------------------------------------------------------------------------

_IDENTIFIER = r'"(?:[^"]|"")+"|[^".\s]+'
_TABLE = re.compile(rf"\s*({_IDENTIFIER})\s*\.\s*({_IDENTIFIER})\s*")


def split_table(name: str) -> tuple[str, str]:
    """("schema", "table") from `schema.table`, folding and quoting as PostgreSQL does.

    Raises ValueError when the name is not schema-qualified.
    """
    match = _TABLE.fullmatch(name)
    if match is None:
        raise ValueError(f"{name!r} is not a schema-qualified table name such as public.orders")
    parts = (match.group(1), match.group(2))
    return tuple(  # type: ignore[return-value]
        p[1:-1].replace('""', '"') if p.startswith('"') else p.lower() for p in parts
    )


def quote_table(qualified_name: str) -> str:
    """`schema.table` as catalog text (unquoted) → a name split_table reads back."""
    schema_name, table = qualified_name.split(".", 1)
    return ".".join('"' + part.replace('"', '""') + '"' for part in (schema_name, table))


@dataclass(frozen=True)
class RowCount:
    """The exact number of rows of a table, or of those matching `where` (SQL)."""

    kind: ClassVar[str] = "row_count"
    name: str
    table: str
    where: str | None = None

    def __post_init__(self) -> None:
        split_table(self.table)

    def definition(self) -> dict[str, Any]:
        return {"table": self.table, "where": self.where}

    def statement(self) -> sql.Composed:
        query = sql.SQL("SELECT count(*) AS count FROM {}").format(
            sql.Identifier(*split_table(self.table))
        )
        if self.where is not None:
            query = sql.SQL("{} WHERE ({})").format(query, sql.SQL(self.where))
        return query


@dataclass(frozen=True)
class SelectedRows:
    """The rows a query returns, each as {column: text}, sorted by their JSON text.

    Sorting makes the result independent of the plan; a query needs no ORDER BY.
    """

    kind: ClassVar[str] = "rows"
    name: str
    query: str

    def definition(self) -> dict[str, Any]:
        return {"query": self.query}

    def statement(self) -> sql.Composed:
        return sql.SQL(
            "SELECT COALESCE(jsonb_agg(r.row ORDER BY r.row::text COLLATE \"C\"), '[]'::jsonb)"
            " AS rows FROM (SELECT (SELECT jsonb_object_agg(e.key, e.value #>> ARRAY[]::text[])"
            " FROM jsonb_each(to_jsonb(q)) AS e) AS row FROM ({}) AS q) AS r"
        ).format(sql.SQL(self.query.strip().rstrip(";")))


@dataclass(frozen=True)
class ContentHash:
    """A hash of every row of a table, to show that not one row was touched.

    sha256 over the concatenated sha256 of each row's text form (the record output, as in
    `SELECT t::text`, e.g. `(1,abc)`), taken in the byte order of those row digests, so
    neither the physical order of rows nor the database's collation changes it (sorting
    32-byte digests is cheaper than sorting the rows' text). A row
    that occurs twice counts twice; an empty table hashes the empty string. The text form
    depends on the output settings, which capture() fixes (TimeZone UTC, DateStyle ISO).

    With `written_since` (a 64-bit transaction id; a gate gives the one the before
    snapshot starts at), it also counts the rows written by a transaction since then: in a
    throwaway database no other session writes, so a row the migration deleted and
    inserted again unchanged, or changed and changed back, still shows.
    """

    kind: ClassVar[str] = "content_hash"
    name: str
    table: str
    written_since: int | None = None

    def __post_init__(self) -> None:
        split_table(self.table)

    def definition(self) -> dict[str, Any]:
        if self.written_since is None:
            return {"table": self.table}
        return {"table": self.table, "written_since": self.written_since}

    def statement(self) -> sql.Composed:
        written: sql.Composable = sql.SQL("")
        if self.written_since is not None:
            # A row's xmin is 32 bits: it is newer than the horizon when its age is smaller.
            # A row whose xmin reads as FrozenTransactionId (2) was frozen by hand (VACUUM
            # keeps the xmin and sets a flag; pg_surgery's heap_force_freeze overwrites it):
            # it counts too, so that a rewritten row cannot be passed off as an old one.
            written = sql.SQL(
                ", count(*) FILTER (WHERE r.age <= age(({}::xid8)::text::xid)"
                " OR r.xmin = '2'::xid) AS written"
            ).format(sql.Literal(str(self.written_since)))
        return sql.SQL(
            "SELECT count(*) AS rows, encode(sha256(COALESCE(string_agg(r.h, ''::bytea"
            " ORDER BY r.h), ''::bytea)), 'hex') AS sha256{}"
            # OFFSET 0 keeps the subquery whole, so each row is hashed once, where it is read.
            " FROM (SELECT sha256(textsend(t::text)) AS h, age(t.xmin) AS age, t.xmin"
            " FROM {} AS t OFFSET 0) AS r"
        ).format(written, sql.Identifier(*split_table(self.table)))


Probe = RowCount | SelectedRows | ContentHash
PROBE_TYPES: dict[str, type[Probe]] = {p.kind: p for p in (RowCount, SelectedRows, ContentHash)}


@dataclass(frozen=True)
class Probes:
    """The data probes a snapshot runs; names are unique within each kind."""

    items: tuple[Probe, ...] = ()

    def __post_init__(self) -> None:
        seen: dict[tuple[str, str], Probe] = {}
        for probe in self.items:
            other = seen.setdefault((probe.kind, probe.name), probe)
            if other != probe:
                raise ValueError(f"two different {probe.kind} probes are named {probe.name!r}")

    def __add__(self, other: Probes) -> Probes:
        """Both sets of probes, each probe once (for the probes of several specs)."""
        return Probes(tuple(dict.fromkeys(self.items + other.items)))


_PROBE_KEYS = {"count": RowCount, "rows": SelectedRows, "hash": ContentHash}


def _probe(entry: object) -> Probe:
    if not isinstance(entry, dict):
        raise ValueError("each probe is a mapping such as {hash: public.orders}")
    kinds = [key for key in _PROBE_KEYS if key in entry]
    if len(kinds) != 1:
        raise ValueError("a probe has exactly one of count, rows, hash")
    key = kinds[0]
    allowed = {key, "name"} | ({"where"} if key == "count" else set())
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r}; a {key} probe takes {sorted(allowed)}")
    values = {k: entry[k] for k in allowed if k in entry}
    for k, v in values.items():
        if not isinstance(v, str) or not v.strip():
            raise ValueError(f"{k} must be a non-empty string")
    if key == "rows":
        if "name" not in values:
            raise ValueError("a rows probe needs a name")
        return SelectedRows(values["name"], values["rows"])
    where = values.get("where")
    default_name = values[key] if where is None else f"{values[key]} where {where}"
    if key == "count":
        return RowCount(values.get("name", default_name), values["count"], where)
    return ContentHash(values.get("name", default_name), values["hash"])


def load_probes(path: Path) -> Probes:
    """The probes of a YAML (or JSON) file::

        probes:
          - count: public.queue_heartbeat                # exact row count
            where: executor_name = 'iu_outbound_default'  # optional SQL condition
          - hash: public.dot_config                      # content hash of every row
          - rows: SELECT key, value FROM public.dot_config WHERE key LIKE 'queue.%'
            name: queue_gates                            # rows probes need a name

    `name` defaults to the table (and condition). Raises ClausegateError (exit 2) naming
    the file, the probe and what is wrong.
    """
    try:
        document = yamlpos.safe_load(path.read_text("utf-8"))
    except OSError as exc:
        raise ClausegateError(f"{path}: cannot read: {exc.strerror}", EXIT_USAGE) from None
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        reason = " ".join(str(exc).split())
        raise ClausegateError(f"{path}: not a probes file: {reason}", EXIT_USAGE) from None
    if not isinstance(document, dict) or not isinstance(document.get("probes"), list):
        raise ClausegateError(
            f"{path}: not a probes file: expected a mapping with a `probes:` list", EXIT_USAGE
        )
    probes: list[Probe] = []
    for number, entry in enumerate(document["probes"], start=1):
        try:
            probes.append(_probe(entry))
        except ValueError as exc:
            raise ClausegateError(f"{path}: probe {number}: {exc}", EXIT_USAGE) from None
    try:
        return Probes(tuple(probes))
    except ValueError as exc:
        raise ClausegateError(f"{path}: {exc}", EXIT_USAGE) from None


def probes_of(snapshot: Mapping[str, Any]) -> Probes:
    """The probes a snapshot ran, to run the same ones on another database."""
    items: list[Probe] = []
    for kind, results in sorted(snapshot["probes"].items()):
        probe_type = PROBE_TYPES[kind]
        for name, result in sorted(results.items()):
            values = {
                f.name: result[f.name]
                for f in fields(probe_type)
                if f.name != "name" and f.name in result
            }
            items.append(probe_type(name, **values))
    return Probes(tuple(items))


# --- capture -------------------------------------------------------------------------------


def capture(conninfo: str, probes: Probes | None = None) -> Snapshot:
    """Connect to `conninfo` and take a snapshot, with a helper connection where the server
    takes one more (see capture_connection)."""
    with db.connect(conninfo, purpose="snapshot") as conn, ExitStack() as stack:
        try:
            helper = stack.enter_context(db.connect(conninfo, purpose="snapshot helper"))
        except TargetError:
            helper = None  # E.g. a live server at max_connections: read on one connection.
        return capture_connection(conn, probes, helper)


def capture_connection(
    conn: psycopg.Connection, probes: Probes | None = None, helper: psycopg.Connection | None = None
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
            return _capture(conn, probes or Probes(), helper)
        except _NotExported:
            pass
    return _capture(conn, probes or Probes(), None)


class _NotExported(Exception):
    """The server would not export the transaction's snapshot for a helper."""


def _capture(
    conn: psycopg.Connection, probes: Probes, helper: psycopg.Connection | None
) -> Snapshot:
    reader = _CatalogReader(conn.info.server_version)
    with _read_only(conn), conn.transaction(force_rollback=True), conn.cursor() as cur:
        exported = _exported_snapshot(conn, cur) if helper is not None else None
        cur.execute(_SESSION_SETTINGS)
        reader.read_server(cur)
        with reader.helping(helper, exported):
            # Probes run before the empty search_path, so their SQL sees the usual one.
            probe_results = _run_probes(conn, cur, probes)
            cur.execute(_QUALIFIED_NAMES)
            reader.take_pending(cur)
    return reader.snapshot() | {"probes": probe_results}


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
                    cur.execute(_SESSION_SETTINGS)
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

    def snapshot(self) -> Snapshot:
        """The snapshot without its probes, once both connections are done; what the
        helper failed on is raised here."""
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
        }
        for kind in catalog.KINDS:
            section = snapshot[kind.section]
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


def _run_probes(conn: psycopg.Connection, cur: psycopg.Cursor[Any], probes: Probes) -> Snapshot:
    """Each probe in a savepoint: one that fails (a table the migration dropped) records
    its error and leaves the snapshot going."""
    results: Snapshot = {kind: {} for kind in PROBE_TYPES}
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


# --- files ---------------------------------------------------------------------------------


# Nesting levels written one key a line (the document, its sections, their kinds); below
# them each object is one line, `"identity": {…}`, written by json's C encoder.
_LINED_LEVELS = 3
_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(", ", ": "))
_ENCODE_KEY = json.encoder.encode_basestring


def _c_encode() -> Callable[[Any], str]:
    """JSON text of one value, as _ENCODER.encode writes it, by json's C encoder called
    directly: encode() builds a new C encoder on every call, which is a third of the time
    of writing a snapshot of 10,000 tables (about 200,000 objects, each encoded apart)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # A Python without the _json accelerator.
        return _ENCODER.encode
    chunks = make(
        None, _ENCODER.default, _ENCODE_KEY, None, ": ", ", ", True, False, True
    )  # markers (a snapshot is a tree), default, key encoder, indent, separators,
    # sort_keys, skipkeys, allow_nan: JSONEncoder's own arguments for the settings above.
    return lambda value: "".join(chunks(value, 0))


_ENCODE = _c_encode()


def dumps(snapshot: Mapping[str, Any]) -> str:
    """Stable JSON text: sorted keys, one object a line, so a snapshot diffs well in git."""
    return "".join(_chunks(snapshot, 0)) + "\n"


def _chunks(value: Any, level: int) -> Iterator[str]:
    if level >= _LINED_LEVELS or not isinstance(value, Mapping) or not value:
        yield _ENCODE(value)
        return
    inner = " " * (level + 1)
    yield "{\n" + inner
    if level == _LINED_LEVELS - 1:
        # The objects of a kind, one a line: tens of thousands of them in a large catalog,
        # so joined in one go rather than yielded piece by piece.
        yield (",\n" + inner).join(
            [f"{_ENCODE_KEY(key)}: {_ENCODE(value[key])}" for key in sorted(value)]
        )
    else:
        for number, key in enumerate(sorted(value)):
            if number:
                yield ",\n" + inner
            yield _ENCODE(key) + ": "
            yield from _chunks(value[key], level + 1)
    yield "\n" + " " * level + "}"


def save(snapshot: Mapping[str, Any], path: Path) -> None:
    """Write the snapshot to `path`, replacing it only once the new file is complete."""
    path = Path(path)
    if path.exists() and not path.is_file():
        # A device or a pipe (/dev/null, /dev/stdout) is written to, never replaced.
        with path.open("w", encoding="utf-8") as out:
            _write(snapshot, out)
        return
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            _write(snapshot, out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write(snapshot: Mapping[str, Any], out: TextIO) -> None:
    out.writelines(_chunks(snapshot, 0))
    out.write("\n")


def load(path: Path) -> Snapshot:
    """A snapshot from a file written by save().

    Raises ClausegateError (exit 2) naming the file and what is wrong: unreadable, not
    UTF-8, not JSON, or JSON that is not a clausegate snapshot.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ClausegateError(f"{path}: cannot read: {exc.strerror}", EXIT_USAGE) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ClausegateError(
            f"{path}: not a clausegate snapshot: not UTF-8 text "
            f"(byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            EXIT_USAGE,
        ) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ClausegateError(
            f"{path}: not a clausegate snapshot: not JSON "
            f"(line {exc.lineno}, column {exc.colno}: {exc.msg})",
            EXIT_USAGE,
        ) from None
    problem = _shape_problem(document)
    if problem is not None:
        raise ClausegateError(f"{path}: not a clausegate snapshot: {problem}", EXIT_USAGE)
    return _with_missing_kinds(dict(document))


def _with_missing_kinds(document: Snapshot) -> Snapshot:
    """A file written by an older clausegate lacks the kinds added since: each is recorded
    as unreadable (so what compares it is BROKEN, naming the remedy), never as empty."""
    unreadable = document["server"].setdefault("unreadable", {})
    for kind in catalog.KINDS:
        section = document.setdefault(kind.section, {})
        if kind.name not in section:
            section[kind.name] = None
            unreadable[kind.name] = (
                "not in this snapshot file (written by an older clausegate); "
                "take it again with `clausegate snapshot`"
            )
    return document


def _shape_problem(document: object) -> str | None:
    if not isinstance(document, dict):
        return f"expected a JSON object, found {type(document).__name__}"
    marker = document.get("format")
    if marker != FORMAT:
        found = "no format marker" if marker is None else f"format {marker!r}"
        return f"{found}; expected format {FORMAT!r}"
    if not isinstance(document.get("server"), dict):
        return "no `server` object"
    for section in SECTIONS:
        kinds = document.get(section, {} if section == catalog.CLUSTER else None)
        if not isinstance(kinds, dict):
            return f"no `{section}` object"
        for kind, objects in kinds.items():
            if objects is None and section != "probes":
                continue
            if not isinstance(objects, dict) or not all(
                isinstance(attrs, dict) for attrs in objects.values()
            ):
                return f"`{section}.{kind}` is not an object of objects"
    return None
