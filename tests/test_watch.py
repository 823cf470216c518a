"""The watch of a throwaway cluster, on a real one: the files a migration writes into the
data directory, the programs it leaves running, and the statements the server logs."""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from clausegate import db
from clausegate.targets import LocalServer, pgbin, watch
from clausegate.targets.watch import (
    DESCENDANT,
    ENVIRONMENT,
    SESSION,
    FileChange,
    Process,
    changed_files,
    files_of,
    log_since,
    processes_of,
    stop_processes,
)
from tests.procs import alive

INSTALLATION = pgbin.default_installation(pgbin.discover().installations)
pytestmark = pytest.mark.skipif(
    INSTALLATION is None,
    reason="no PostgreSQL server binaries: the watch needs a local cluster (its data "
    "directory and postmaster), which a DSN or Docker target does not give",
)
needs_proc = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="processes are read from /proc (Linux only)"
)
WAIT_S = 10.0


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    assert INSTALLATION is not None
    with LocalServer(INSTALLATION) as started:
        yield started


@pytest.fixture
def conn(server: LocalServer) -> Iterator[psycopg.Connection]:
    with db.connect(server.conninfo(), purpose="test watch") as connection:
        yield connection


def data_directory(conn: psycopg.Connection) -> str:
    row = conn.execute("SHOW data_directory").fetchone()
    assert row is not None
    return str(row[0])


def write_file(conn: psycopg.Connection, path: str) -> None:
    """A server-side file write, as a superuser migration can do it."""
    conn.execute(sql.SQL("COPY (SELECT 'x') TO {}").format(sql.Literal(path)))


def run_program(conn: psycopg.Connection, command: str) -> None:
    """Start `command` in the background through COPY TO PROGRAM. The shell reads its input
    first: COPY writes its row to the program, and that write fails (broken pipe) when the
    shell has already exited."""
    program = f"cat >/dev/null; {command} </dev/null >/dev/null 2>&1 &"
    conn.execute(sql.SQL("COPY (SELECT 1) TO PROGRAM {}").format(sql.Literal(program)))


def running_exactly(command: str) -> list[int]:
    """Live processes with this very command line: a background job is first a copy of its
    shell, then each program it execs in turn (env, setsid, nohup), and only then `command`."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            words = (entry / "cmdline").read_bytes().rstrip(b"\0").split(b"\0")
        except OSError:
            continue
        if b" ".join(words).decode(errors="replace") == command and alive(int(entry.name)):
            found.append(int(entry.name))
    return found


def wait_for(what: str, found: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not found():
        assert time.monotonic() < deadline, f"still no {what} after {WAIT_S:g} s"
        time.sleep(0.02)


def of_cluster(server: LocalServer) -> dict[int, Process]:
    assert server.pid is not None
    found = processes_of(server.pid, server.watch_token)
    assert found is not None
    return found


def started_as(server: LocalServer, command: str) -> Process:
    """The cluster's process running `command`, once it runs that and nothing else."""
    wait_for(command, lambda: bool(running_exactly(command)))
    listed = of_cluster(server)
    matches = [listed[pid] for pid in running_exactly(command) if pid in listed]
    assert len(matches) == 1, (command, listed)
    return matches[0]


@pytest.fixture
def leftovers(server: LocalServer) -> Iterator[list[str]]:
    """After the test, every process of the cluster is stopped, and the commands the test
    names here too (the ones that escape the watch)."""
    escaped: list[str] = []
    yield escaped
    stop_processes(of_cluster(server).values())
    for command in escaped:
        for pid in running_exactly(command):
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_a_fresh_cluster_reads_the_same_twice(server: LocalServer) -> None:
    first = files_of(server.datadir)
    assert changed_files(first, files_of(server.datadir)) == []
    assert {"postgresql.conf", "postgresql.auto.conf", "pg_hba.conf", "pg_ident.conf"} <= set(first)
    assert not any(path.startswith(("base/", "global/", "pg_wal/")) for path in first), first


def test_the_servers_own_storage_is_not_reported(
    server: LocalServer, conn: psycopg.Connection
) -> None:
    before = files_of(server.datadir)
    conn.execute("CREATE TABLE storage_probe AS SELECT g FROM generate_series(1, 100000) g")
    conn.execute("VACUUM storage_probe")  # its free space and visibility maps
    conn.execute("CREATE TEMPORARY TABLE temporary_probe AS SELECT 1 AS one")  # base/5/t3_*
    conn.execute("SET work_mem = '64kB'")
    conn.execute("SELECT count(*) FROM (SELECT g FROM storage_probe ORDER BY g DESC) s")
    conn.execute("CREATE DATABASE watch_probe")
    conn.execute("BEGIN; SELECT txid_current(); PREPARE TRANSACTION 'watch_probe'")
    conn.execute("CHECKPOINT")
    try:
        assert changed_files(before, files_of(server.datadir)) == []
    finally:
        conn.execute("ROLLBACK PREPARED 'watch_probe'")
        conn.execute("DROP DATABASE watch_probe")
        conn.execute("DROP TABLE storage_probe")


def test_a_file_written_among_the_relation_files_is_reported(
    server: LocalServer, conn: psycopg.Connection
) -> None:
    before = files_of(server.datadir)
    row = conn.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
    database_oid = (row.fetchone() or (0,))[0]
    write_file(conn, f"{data_directory(conn)}/base/evil.txt")
    write_file(conn, f"{data_directory(conn)}/base/{database_oid}/evil.sh")
    assert changed_files(before, files_of(server.datadir)) == [
        FileChange(f"base/{database_oid}/evil.sh", "added"),
        FileChange("base/evil.txt", "added"),
    ]


def test_alter_system_modifies_postgresql_auto_conf(
    server: LocalServer, conn: psycopg.Connection
) -> None:
    before = files_of(server.datadir)
    conn.execute("ALTER SYSTEM SET work_mem = '5MB'")
    try:
        assert changed_files(before, files_of(server.datadir)) == [
            FileChange("postgresql.auto.conf", "modified")
        ]
    finally:
        conn.execute("ALTER SYSTEM RESET work_mem")


def test_a_file_written_at_the_top_of_the_data_directory_is_reported(
    server: LocalServer, conn: psycopg.Connection
) -> None:
    before = files_of(server.datadir)
    write_file(conn, f"{data_directory(conn)}/evil.conf")
    after = files_of(server.datadir)
    assert changed_files(before, after) == [FileChange("evil.conf", "added")]
    assert len(after["evil.conf"]) == 64  # a sha256


def test_what_is_skipped_and_what_is_read_in_a_data_directory(tmp_path: Path) -> None:
    files = {
        "postgresql.conf": "a",
        "postmaster.pid": "1",
        "postmaster.opts": "postgres",
        "pg_wal/000000010000000000000001": "wal",
        "pg_xact/0000": "status",
        "pg_stat/pgstat.stat": "stats",
        "global/1262": "relation",
        "global/pg_control": "control",
        "global/pg_filenode.map.tmp": "map",
        "base/5/16384": "relation",
        "base/5/16384_fsm": "free space",
        "base/5/16384_vm": "visibility",
        "base/5/16384.1": "second segment",
        "base/5/16390_init": "unlogged",
        "base/5/t3_16400": "temporary",
        "base/5/PG_VERSION": "16",
        "base/5/pg_internal.init": "cache",
        "base/pgsql_tmp/pgsql_tmp123.0": "sort",
        "base/5/evil.sh": "evil",
        "base/5/16384.sh": "evil",
        "global/pg_control.bak": "evil",
        "pg_tblspc/16500/PG_16_202307071/5/16501": "relation",
        "pg_tblspc/16500/PG_16_202307071/5/notes": "evil",
        "pg_wal_like/0000": "evil",
        "extra/nested/file": "evil",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "pg_tblspc" / "16600").symlink_to("/srv/tablespace")
    os.mkfifo(tmp_path / "base" / "5" / "pipe")  # read, it would block the watch
    found = files_of(tmp_path)
    assert list(found) == [
        "base/5/16384.sh",
        "base/5/evil.sh",
        "base/5/pipe",
        "extra/nested/file",
        "global/pg_control.bak",
        "pg_tblspc/16500/PG_16_202307071/5/notes",
        "pg_tblspc/16600",
        "pg_wal_like/0000",
        "postgresql.conf",
    ]
    assert found["pg_tblspc/16600"] == "symlink:/srv/tablespace"
    assert found["base/5/pipe"].startswith("not a regular file: p")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_recorded_not_raised(tmp_path: Path) -> None:
    secret = tmp_path / "secret.conf"
    secret.write_text("x")
    secret.chmod(0)
    assert files_of(tmp_path) == {"secret.conf": "unreadable: Permission denied"}


def test_changed_files_names_what_differs_by_path() -> None:
    before = {"a": "1", "b": "2", "c": "3"}
    after = {"a": "1", "b": "changed", "d": "4"}
    assert changed_files(before, after) == [
        FileChange("b", "modified"),
        FileChange("c", "removed"),
        FileChange("d", "added"),
    ]


@needs_proc
def test_an_idle_cluster_has_no_processes_of_its_own(
    server: LocalServer, conn: psycopg.Connection
) -> None:
    conn.execute("SELECT 1")  # a backend runs, besides checkpointer, walwriter, autovacuum
    assert of_cluster(server) == {}


@needs_proc
@pytest.mark.usefixtures("leftovers")
def test_a_nohup_daemon_is_found_and_stopped(server: LocalServer, conn: psycopg.Connection) -> None:
    run_program(conn, "nohup sleep 300")
    daemon = started_as(server, "sleep 300")
    # The shell exited when COPY returned: the daemon was handed to init, out of the
    # postmaster's tree; its backend's session and the environment still tell it.
    assert daemon.found_by == (SESSION, ENVIRONMENT)
    assert stop_processes([daemon]) == [f"stopped process {daemon.pid} (sleep 300)"]
    assert daemon.pid not in of_cluster(server)
    assert not alive(daemon.pid)
    assert stop_processes([daemon]) == [f"process {daemon.pid} (sleep 300) had already exited"]


@needs_proc
@pytest.mark.usefixtures("leftovers")
def test_a_daemon_that_left_the_session_is_found_by_its_environment(server: LocalServer) -> None:
    with db.connect(server.conninfo(), purpose="test watch") as conn:
        run_program(conn, "setsid sleep 301")
        daemon = started_as(server, "sleep 301")
        assert daemon.found_by == (ENVIRONMENT,)
    # Its backend has exited: the environment still holds.
    assert of_cluster(server)[daemon.pid].found_by == (ENVIRONMENT,)


@needs_proc
def test_a_daemon_with_an_emptied_environment_is_found_while_its_backend_lives(
    server: LocalServer, leftovers: list[str]
) -> None:
    leftovers.append("sleep 303")
    with db.connect(server.conninfo(), purpose="test watch") as conn:
        run_program(conn, "env -i sleep 303")
        daemon = started_as(server, "sleep 303")
        assert daemon.found_by == (SESSION,)
    # A session is known by its leader's pid: once the backend has exited, nothing links
    # the daemon to the cluster any more (a known limit, in the module's docstring).
    wait_for("exit of the backend", lambda: daemon.pid not in of_cluster(server))
    assert running_exactly("sleep 303") == [daemon.pid]


@needs_proc
def test_a_daemon_that_leaves_session_and_environment_escapes(
    server: LocalServer, conn: psycopg.Connection, leftovers: list[str]
) -> None:
    # env -i empties the environment, setsid makes a session of its own, and the shell's
    # exit hands it to init: none of the three links holds. This pins the known limit the
    # module's docstring states; should it ever be caught, update both.
    leftovers.append("sleep 302")
    run_program(conn, "env -i setsid sleep 302")
    wait_for("sleep 302", lambda: bool(running_exactly("sleep 302")))
    escaped = running_exactly("sleep 302")
    assert escaped and not set(escaped) & set(of_cluster(server))


@needs_proc
@pytest.mark.usefixtures("leftovers")
def test_a_program_a_statement_still_waits_for_is_a_descendant(server: LocalServer) -> None:
    failures: list[psycopg.Error] = []

    def copy_to_program() -> None:
        with db.connect(server.conninfo(), purpose="test watch") as conn:
            try:
                conn.execute("COPY (SELECT 1) TO PROGRAM 'cat >/dev/null; exec sleep 304'")
            except psycopg.Error as exc:  # the program is killed below
                failures.append(exc)

    statement = threading.Thread(target=copy_to_program)
    statement.start()
    try:
        daemon = started_as(server, "sleep 304")
        assert DESCENDANT in daemon.found_by
        assert stop_processes([daemon]) == [f"stopped process {daemon.pid} (sleep 304)"]
    finally:
        statement.join(timeout=WAIT_S)
    assert len(failures) == 1, "the statement should have failed with its program killed"
    assert "terminated by signal 9" in str(failures[0].diag.message_detail)


@needs_proc
@pytest.mark.usefixtures("leftovers")
def test_another_clusters_daemon_is_not_ours(server: LocalServer) -> None:
    assert INSTALLATION is not None
    with LocalServer(INSTALLATION) as other:
        assert other.watch_token != server.watch_token
        with db.connect(other.conninfo(), purpose="test watch") as conn:
            run_program(conn, "nohup sleep 305")
            daemon = started_as(other, "sleep 305")
        assert daemon.pid not in of_cluster(server)
        stop_processes([daemon])


def test_the_notes_say_what_is_not_watched() -> None:
    assert "no /proc" in watch.PROCESSES_UNWATCHED_NOTE
    assert "COPY … TO '/tmp/x'" in watch.WATCHED_PATHS_NOTE


def test_the_throwaway_server_logs_every_statement_and_allows_prepared_transactions(
    conn: psycopg.Connection,
) -> None:
    settings = conn.execute(
        "SELECT current_setting('log_statement'), current_setting('max_prepared_transactions')"
    ).fetchone()
    assert settings == ("all", "10")


def test_log_since_returns_the_statements_logged_after_an_offset(
    server: LocalServer, conn: psycopg.Connection
) -> None:
    _, offset = log_since(server.log_path(), 0)
    conn.execute("SELECT 4242")
    text, after = log_since(server.log_path(), offset)
    logged = r"\[\d+\] postgres postgres \[[^\]]*\] LOG:  statement: SELECT 4242\n"
    assert re.search(logged, text), text
    assert "SELECT 4242" not in log_since(server.log_path(), after)[0]
    assert after == server.log_path().stat().st_size


def test_log_since_keeps_a_line_being_written_for_later(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    assert log_since(log, 7) == ("", 7)
    log.write_bytes(b"one\ntw")
    assert log_since(log, 0) == ("one\n", 4)
    with log.open("ab") as file:
        file.write(b"o\n")
    assert log_since(log, 4) == ("two\n", 8)
    log.write_bytes(b"new\n")  # made anew: shorter than the offset
    assert log_since(log, 8) == ("new\n", 4)
