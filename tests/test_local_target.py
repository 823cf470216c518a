"""The local target: a real cluster that starts, answers, clones and leaves nothing behind."""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import tempfile
from pathlib import Path

import psycopg
import pytest

from clausegate import db
from clausegate.db import templates
from clausegate.errors import TargetError
from clausegate.targets import LocalServer, pgbin
from tests.procs import alive

BINDIR = pgbin.discover().bindir
needs_binaries = pytest.mark.skipif(BINDIR is None, reason="no PostgreSQL server binaries")


def _traces(server: LocalServer) -> tuple[int, Path]:
    assert server.pid is not None and server.root is not None
    return server.pid, server.root


@needs_binaries
def test_starts_answers_clones_and_leaves_nothing() -> None:
    assert BINDIR is not None
    with LocalServer(BINDIR) as server:
        pid, root = _traces(server)
        assert alive(pid)
        with db.connect(server.conninfo(), purpose="test") as conn:
            row = conn.execute("select version()").fetchone()
        assert row is not None and row[0].startswith("PostgreSQL")
        assert server.version_num >= 130000

        with templates.database(server, "cg_tpl") as tpl:
            with psycopg.connect(server.conninfo(tpl), autocommit=True) as conn:
                conn.execute("create table marker (v text); insert into marker values ('tpl')")
            with (
                templates.database(server, "cg_copy", template=tpl) as copy,
                psycopg.connect(server.conninfo(copy)) as conn,
            ):
                copied = conn.execute("select v from marker").fetchall()
        assert copied == [("tpl",)]
    assert not alive(pid)
    assert not root.exists()


@needs_binaries
def test_nothing_left_after_an_exception_inside_the_block() -> None:
    assert BINDIR is not None
    with pytest.raises(RuntimeError, match="boom"), LocalServer(BINDIR) as server:
        pid, root = _traces(server)
        raise RuntimeError("boom")
    assert not alive(pid)
    assert not root.exists()


@needs_binaries
def test_no_tcp_listener_unless_asked() -> None:
    assert BINDIR is not None
    with LocalServer(BINDIR) as server:
        with db.connect(server.conninfo(), purpose="test") as conn:
            listen = conn.execute("show listen_addresses").fetchone()
            fsync = conn.execute("show fsync").fetchone()
        assert listen == ("",)
        assert fsync == ("off",)
    with (
        LocalServer(BINDIR, tcp=True) as server,
        db.connect(server.conninfo(), purpose="test") as conn,
    ):
        assert conn.execute("show listen_addresses").fetchone() == ("127.0.0.1",)


def test_failed_start_cleans_up_and_names_the_program() -> None:
    # Not tmp_path: as root the programs run as an unprivileged user who must reach them.
    with tempfile.TemporaryDirectory() as tmp:
        fake = Path(tmp)
        fake.chmod(0o755)
        _fail_to_start(fake)


def _fail_to_start(fake: Path) -> None:
    for name in pgbin.SERVER_PROGRAMS:
        program = fake / name
        program.write_text(
            "#!/bin/sh\n"
            '[ "$1" = --version ] && { echo "postgres (PostgreSQL) 16.13"; exit 0; }\n'
            "echo 'cannot start here' >&2\nexit 1\n"
        )
        program.chmod(0o755)
    server = LocalServer(fake)
    with pytest.raises(TargetError, match=r"initdb failed \(exit 1\).*cannot start here"):
        server.__enter__()
    assert server.root is None


def test_pg_server_fixture_answers(pg_server: LocalServer) -> None:
    with db.connect(pg_server.conninfo(), purpose="test") as conn:
        name = conn.execute("show application_name").fetchone()
        timeout = conn.execute("show statement_timeout").fetchone()
    assert name is not None and name[0].startswith("clausegate")
    assert timeout is not None and timeout[0] != "0"


@needs_binaries
def test_binaries_the_server_s_os_user_cannot_enter_are_copied_where_it_can(
    tmp_path: Path,
) -> None:
    """As root (CI), the server runs as `postgres`, who may not enter a checkout under
    /root: clausegate copies the binaries once into the system's temporary directory."""
    if os.geteuid() != 0:
        pytest.skip("only a root run starts the server as another OS user")
    assert BINDIR is not None
    owner = pwd.getpwnam(os.environ.get("CLAUSEGATE_PG_OS_USER", "postgres"))
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    shutil.copytree(BINDIR.resolve().parent, private / "native", symlinks=True)
    hidden = private / "native" / BINDIR.resolve().name
    assert not pgbin.runnable_by(hidden, owner.pw_uid, owner.pw_gid)
    copy = pgbin.shared_copy(hidden)
    try:
        assert pgbin.runnable_by(copy, owner.pw_uid, owner.pw_gid)
        assert pgbin.shared_copy(hidden) == copy, "made once, then reused"
        with LocalServer(hidden) as server, db.connect(server.conninfo(), purpose="test") as conn:
            row = conn.execute("select current_setting('server_version_num')::int").fetchone()
        assert row is not None and row[0] == server.version_num > 0
    finally:
        shutil.rmtree(copy.parent, ignore_errors=True)


@needs_binaries
def test_a_shared_copy_someone_else_can_change_is_never_used(tmp_path: Path) -> None:
    """The copy's folder in the shared temporary directory has a predictable name: one made
    by another user, or writable by others, is left alone and a private copy made."""
    assert BINDIR is not None
    source = tmp_path / "native"
    shutil.copytree(BINDIR.resolve().parent, source, symlinks=True)
    digest = hashlib.sha256(str(source.resolve()).encode()).hexdigest()[:12]
    planted = Path(tempfile.gettempdir()) / f"clausegate-postgres-{digest}"
    (planted / "bin").mkdir(parents=True)
    (planted / pgbin.COPY_COMPLETE).touch()
    planted.chmod(0o777)
    copy = None
    try:
        copy = pgbin.shared_copy(source / BINDIR.resolve().name)
        assert planted not in copy.parents
        assert (copy / "postgres").exists()
    finally:
        shutil.rmtree(planted, ignore_errors=True)
        if copy is not None:
            shutil.rmtree(copy.parent.parent, ignore_errors=True)
