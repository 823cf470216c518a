"""Target auto-selection: binary discovery and Docker faked, the decision real."""

from __future__ import annotations

from pathlib import Path

import pytest

from clausegate.errors import ClausegateError, TargetError
from clausegate.targets import Choice, choose_target, docker_status, pgbin

PG16 = pgbin.Installation(Path("/opt/pg/bin"), (16, 13), "PATH")


def fake_binaries(bindir: Path, version: str, *, runs: bool = True) -> Path:
    """initdb, pg_ctl and postgres that answer `--version` like PostgreSQL `version` (or
    fail, like a binary whose libraries are missing)."""
    bindir.mkdir(parents=True, exist_ok=True)
    answer = (
        f'echo "postgres (PostgreSQL) {version}"'
        if runs
        else "echo 'libicuuc.so.60: cannot open' >&2; exit 127"
    )
    for name in pgbin.SERVER_PROGRAMS:
        (bindir / name).write_text(f"#!/bin/sh\n{answer}\n")
        (bindir / name).chmod(0o755)
    return bindir


def nothing_else_installed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Only what a test makes is found: no system binaries, no node_modules."""
    monkeypatch.setattr(pgbin, "VERSIONED_DIRS", ())
    monkeypatch.setattr(pgbin, "_pg_config_bindir", lambda: None)
    monkeypatch.setattr(pgbin, "node_modules_dirs", lambda: [])
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("CLAUSEGATE_PG_BIN", raising=False)


FOUND = pgbin.Discovery([PG16], ["PATH: /opt/pg/bin (PostgreSQL 16.13)"])
MISSING = pgbin.Discovery([], ["pg_config --bindir: nothing there", "PATH: nothing there"])
DEFAULT = "the default: 16.13, the production version"
DOCKER = (True, "Docker daemon answers")
NO_DOCKER = (False, "no Docker daemon (connection refused)")


@pytest.mark.parametrize(
    ("requested", "dsn", "discovery", "docker", "expected"),
    [
        ("auto", "host=db", FOUND, DOCKER, Choice("dsn", dsn="host=db")),
        ("auto", "", FOUND, DOCKER, Choice("dsn", dsn="")),
        ("auto", None, FOUND, DOCKER, Choice("local", installation=PG16, why=DEFAULT)),
        ("auto", None, MISSING, DOCKER, Choice("docker")),
        ("local", "host=db", FOUND, NO_DOCKER, Choice("local", installation=PG16, why=DEFAULT)),
        ("docker", None, FOUND, DOCKER, Choice("docker")),
        ("dsn", "host=db", MISSING, NO_DOCKER, Choice("dsn", dsn="host=db")),
    ],
)
def test_choice(
    requested: str,
    dsn: str | None,
    discovery: pgbin.Discovery,
    docker: tuple[bool, str],
    expected: Choice,
) -> None:
    assert choose_target(requested, dsn, discovery, docker) == expected


def test_nothing_available_lists_what_was_tried_and_the_fix() -> None:
    with pytest.raises(TargetError) as info:
        choose_target("auto", None, MISSING, NO_DOCKER)
    message = str(info.value)
    assert info.value.exit_code == 3
    for part in ("pg_config --bindir: nothing there", "no Docker daemon", "--pg-bin", "--dsn"):
        assert part in message


@pytest.mark.parametrize(
    ("requested", "error", "exit_code", "words"),
    [
        ("local", TargetError, 3, "could not find initdb"),
        ("docker", TargetError, 3, "no Docker daemon"),
        ("dsn", ClausegateError, 2, "--target dsn needs a server"),
        ("bogus", ClausegateError, 2, "valid targets: auto, local, docker, dsn"),
    ],
)
def test_impossible_requests(
    requested: str, error: type[ClausegateError], exit_code: int, words: str
) -> None:
    with pytest.raises(error, match=words) as info:
        choose_target(requested, None, MISSING, NO_DOCKER)
    assert info.value.exit_code == exit_code


def test_explicit_pg_bin_is_the_only_place_looked_at(tmp_path: Path) -> None:
    found = pgbin.discover(str(tmp_path))
    assert found.bindir is None
    assert found.tried == [f"--pg-bin / CLAUSEGATE_PG_BIN: {tmp_path} (no initdb/pg_ctl/postgres)"]
    assert found.explicit


def test_explicit_pg_bin_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_binaries(tmp_path, "15.4")
    monkeypatch.setenv("CLAUSEGATE_PG_BIN", str(tmp_path))
    assert pgbin.discover().bindir == tmp_path


def test_versioned_directories_newest_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for version in ("9.6", "15.4", "13.2"):
        fake_binaries(tmp_path / version.split(".")[0] / "bin", version)
    (tmp_path / "9").rename(tmp_path / "9.6")
    nothing_else_installed(monkeypatch, tmp_path)
    monkeypatch.setattr(pgbin, "VERSIONED_DIRS", (str(tmp_path / "*" / "bin"),))
    found = pgbin.discover()
    assert [i.version for i in found.installations] == [(15, 4), (13, 2), (9, 6)]
    assert found.bindir == tmp_path / "15" / "bin"


def test_docker_target_starts_where_a_daemon_answers() -> None:
    available, why = docker_status()
    if not available:
        pytest.skip(why)
    from clausegate import db
    from clausegate.targets import DockerServer

    with DockerServer() as server, db.connect(server.conninfo(), purpose="test") as conn:
        row = conn.execute("show server_version_num").fetchone()
    assert row is not None and row[0].startswith("16")
