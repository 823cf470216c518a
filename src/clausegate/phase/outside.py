"""What a gate sees outside the database, and what it stops when the run ends.

A gate's cluster is clausegate's own (target local): files written in or under its data
directory and configuration, and processes its server started other than its own backends
and workers (COPY … TO PROGRAM, a daemon left behind) are changes like any other, in the
closed world (kinds `file` and `process`), and a process is a worker for `worker_started`.
On a server clausegate did not start (dsn, docker) nothing of this can be watched, and the
report says so. At the end of a gate, whatever the migration left running is stopped:
processes, transactions it prepared, logical replication slots and subscriptions on its
database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, LiteralString

import psycopg
from psycopg import sql

from clausegate import db
from clausegate.diff import Change
from clausegate.errors import TargetError
from clausegate.targets import LocalServer, Server, watch

SECTION = "cluster"
FILE = "file"
PROCESS = "process"

LIVE_BLIND_SPOTS = (
    "a verify reads the live database through a connection: it cannot see files written on "
    "the database host (COPY … TO a file, configuration it may not read), processes started "
    "there (COPY … TO PROGRAM), or effects delayed past the verify (a prepared transaction "
    "committed later, a scheduled job not yet run), nor the contents of the cluster's "
    "other databases; gate the migration on a throwaway cluster (target local) to see those"
)


@dataclass
class Watch:
    """The files and processes of one local cluster, compared call by call."""

    datadir: Path
    postmaster: int
    token: str
    log: Path
    files: dict[str, str]
    log_offset: int
    seen: set[int] = field(default_factory=set)
    statements: list[str] = field(default_factory=list)

    def changes(self) -> list[Change]:
        """What changed outside the database since the last call (or the start)."""
        now = watch.files_of(self.datadir)
        found = [
            Change(SECTION, FILE, change.path, change.action, _file(self.files, change.path),
                   _file(now, change.path))
            for change in watch.changed_files(self.files, now)
        ]  # fmt: skip
        self.files = now
        processes = watch.processes_of(self.postmaster, self.token) or {}
        for pid in sorted(processes.keys() - self.seen):
            process = processes[pid]
            attrs: dict[str, Any] = {"pid": pid, "command": process.command}
            found.append(Change(SECTION, PROCESS, f"{process.command} (pid {pid})", "added",
                                None, attrs))  # fmt: skip
        self.seen |= processes.keys()
        text, self.log_offset = watch.log_since(self.log, self.log_offset)
        self.statements.append(statements_of_interest(text))
        return found

    def stop(self) -> list[str]:
        """Stop every process the server started that still runs."""
        running = watch.processes_of(self.postmaster, self.token) or {}
        return watch.stop_processes(running.values())


# A log record starts with the prefix LocalServer sets: `%m [%p] %d %u [%a] `; the lines
# of a statement that follow it carry none.
_RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \S+ \[\d+\] \S* \S* \[(?P<app>[^\]]*)\] "
)
# Secrets a statement can carry: PASSWORD 'x' (CREATE / ALTER ROLE), password 'x' in the
# options of a server or user mapping, password=x in a connection string.
_SECRETS = (
    (re.compile(r"(?i)(password\s+)'(?:[^']|'')*'"), r"\1'***'"),
    (re.compile(r"(?i)(password\s*=\s*)(?:'(?:[^']|'')*'|[^\s']+)"), r"\1***"),
)
# clausegate's own sessions whose statements are not evidence of what the migration did:
# snapshots, their helpers, the spec's queries; the migration and the probes are kept.
_KEPT_PURPOSES = ("apply ", "probes")


def statements_of_interest(text: str) -> str:
    """The log records of `text` that say what the migration (and the probes, and any
    session that is not clausegate's) ran, passwords masked."""
    own = f"{db.APPLICATION_NAME}:{db.RUN_TOKEN} "
    kept: list[str] = []
    keep = True
    for line in text.splitlines(keepends=True):
        record = _RECORD.match(line)
        if record is not None:
            app = record["app"]
            keep = not app.startswith(own) or app[len(own) :].startswith(_KEPT_PURPOSES)
        if keep:
            kept.append(line)
    masked = "".join(kept)
    for pattern, replacement in _SECRETS:
        masked = pattern.sub(replacement, masked)
    return masked


def _file(files: dict[str, str], path: str) -> dict[str, str] | None:
    return {"sha256": files[path]} if path in files else None


def start_watch(server: Server, notes: list[str]) -> Watch | None:
    """A watch of `server` when clausegate runs it; otherwise None, with a note saying
    what is not seen."""
    if not isinstance(server, LocalServer) or server.pid is None:
        notes.append(
            "files and processes outside the database are not watched: the gate's server "
            "is not a cluster clausegate started (use --target local)"
        )
        return None
    running = watch.processes_of(server.pid, server.watch_token)
    if running is None:
        notes.append(watch.PROCESSES_UNWATCHED_NOTE)
    notes.append(watch.WATCHED_PATHS_NOTE)
    log = server.log_path()
    return Watch(
        datadir=server.datadir,
        postmaster=server.pid,
        token=server.watch_token,
        log=log,
        files=watch.files_of(server.datadir),
        log_offset=log.stat().st_size if log.exists() else 0,
        # What already ran before the migration is not its doing.
        seen=set(running or {}),
    )


OTHER_DATABASE = "other database"

# A digest of what a migration could plant in another database of the cluster through
# dblink or a program (a SECURITY DEFINER backdoor in template1 is copied into every later
# database): the catalog rows of every object a user made there, and the privileges of the
# server's own functions, relations and schemas.
_DATABASE_DIGEST = """
SELECT md5(string_agg(r, ',' ORDER BY r)) FROM (
  SELECT 'class ' || ROW(c.oid, c.relname, c.relnamespace, c.relkind, c.relowner, c.relacl,
                         c.reloptions, c.relchecks, c.relrowsecurity, c.relforcerowsecurity)::text
  FROM pg_class AS c  -- less the statistics VACUUM and ANALYZE keep there
  WHERE c.oid >= 16384 OR c.relacl IS NOT NULL
  UNION ALL SELECT 'proc ' || p::text FROM pg_proc AS p
  WHERE p.oid >= 16384 OR p.proacl IS NOT NULL
  UNION ALL SELECT 'namespace ' || n::text FROM pg_namespace AS n
  UNION ALL SELECT 'type ' || t::text FROM pg_type AS t WHERE t.oid >= 16384
  UNION ALL SELECT 'trigger ' || g::text FROM pg_trigger AS g WHERE g.oid >= 16384
  UNION ALL SELECT 'rule ' || w::text FROM pg_rewrite AS w WHERE w.oid >= 16384
  UNION ALL SELECT 'event trigger ' || e::text FROM pg_event_trigger AS e
  UNION ALL SELECT 'extension ' || x::text FROM pg_extension AS x
  UNION ALL SELECT 'default acl ' || d::text FROM pg_default_acl AS d
  UNION ALL SELECT 'cast ' || k::text FROM pg_cast AS k WHERE k.oid >= 16384
  UNION ALL SELECT 'operator ' || o::text FROM pg_operator AS o WHERE o.oid >= 16384
) AS rows(r)
"""


@dataclass
class OtherDatabases:
    """A digest of the catalog of every other database of the gate's server, compared
    call by call: only the migration could change them meanwhile."""

    server: Server
    own: str
    digests: dict[str, str]

    def changes(self) -> list[Change]:
        now = database_digests(self.server, self.own)
        found = [
            Change(SECTION, OTHER_DATABASE, name, "modified",
                   {"catalog_digest": self.digests[name]}, {"catalog_digest": digest})
            for name, digest in sorted(now.items())
            if name in self.digests and self.digests[name] != digest
        ]  # fmt: skip
        self.digests = now
        return found


def database_digests(server: Server, own: str) -> dict[str, str]:
    """{database: digest} for every database of `server` but `own` that takes connections;
    one that cannot be read is named with why."""
    with db.connect(server.conninfo(own), purpose="list databases") as conn:
        names = [
            str(row[0])
            for row in conn.execute(
                "SELECT datname FROM pg_database WHERE datallowconn AND datname <> %s"
                " ORDER BY datname",
                (own,),
            ).fetchall()
        ]
    digests = {}
    for name in names:
        try:
            with (
                db.connect(server.conninfo(name), purpose="database digest") as conn,
                conn.transaction(force_rollback=True),
            ):
                row = conn.execute(_DATABASE_DIGEST).fetchone()
            digests[name] = str(row[0]) if row else ""
        except (psycopg.Error, TargetError) as exc:
            digests[name] = f"unreadable: {' '.join(str(exc).split())}"
    return digests


def stop_leftovers(server: Server, dbname: str, watched: Watch | None) -> list[str]:
    """Stop what the migration (or a probe) left running on the gate's own database and
    cluster; one line each, for the report."""
    lines = watched.stop() if watched is not None else []
    try:
        with db.connect(server.conninfo(dbname), purpose="stop leftovers") as conn:
            for gid in _names(conn, _PREPARED):
                conn.execute(sql.SQL("ROLLBACK PREPARED {}").format(sql.Literal(gid)))
                lines.append(f"rolled back the prepared transaction {gid!r} left on the database")
            for slot in _names(conn, _INACTIVE_SLOTS):
                conn.execute("SELECT pg_drop_replication_slot(%s)", (slot,))
                lines.append(f"dropped the replication slot {slot!r} left on the database")
            # A subscription keeps its database from being dropped; detached from its
            # slot first, so dropping it contacts no publisher.
            for name in _names(conn, _SUBSCRIPTIONS):
                subscription = sql.Identifier(name)
                for statement in ("ALTER SUBSCRIPTION {} DISABLE",
                                  "ALTER SUBSCRIPTION {} SET (slot_name = NONE)",
                                  "DROP SUBSCRIPTION {}"):  # fmt: skip
                    conn.execute(sql.SQL(statement).format(subscription))
                lines.append(f"dropped the subscription {name!r} left on the database")
    except psycopg.Error as exc:
        lines.append(f"could not stop what the migration left on the database: {exc}")
    return lines


# What a migration can leave on its database that outlives its session.
_PREPARED = "SELECT gid FROM pg_prepared_xacts WHERE database = current_database()"
_INACTIVE_SLOTS = (
    "SELECT slot_name FROM pg_replication_slots WHERE database = current_database() AND NOT active"
)
_SUBSCRIPTIONS = (
    "SELECT subname FROM pg_subscription"
    " WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


def _names(conn: psycopg.Connection, query: LiteralString) -> list[str]:
    """The first column of each row of `query`."""
    return [str(row[0]) for row in conn.execute(query).fetchall()]
