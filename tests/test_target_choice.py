"""Target auto-selection: binary discovery and Docker faked, the decision real."""

from __future__ import annotations

from pathlib import Path

import pytest

from clausegate import pgbin
from clausegate.errors import ClausegateError, TargetError
from clausegate.targets import Choice, choose_target, docker_status

FOUND = pgbin.Discovery(Path("/opt/pg/bin"), ["PATH: /opt/pg/bin (found)"])
MISSING = pgbin.Discovery(None, ["pg_config --bindir: nothing there", "PATH: nothing there"])
DOCKER = (True, "Docker daemon answers")
NO_DOCKER = (False, "no Docker daemon (connection refused)")


@pytest.mark.parametrize(
    ("requested", "dsn", "discovery", "docker", "expected"),
    [
        ("auto", "host=db", FOUND, DOCKER, Choice("dsn", dsn="host=db")),
        ("auto", "", FOUND, DOCKER, Choice("dsn", dsn="")),
        ("auto", None, FOUND, DOCKER, Choice("local", bindir=Path("/opt/pg/bin"))),
        ("auto", None, MISSING, DOCKER, Choice("docker")),
        ("local", "host=db", FOUND, NO_DOCKER, Choice("local", bindir=Path("/opt/pg/bin"))),
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


def test_explicit_pg_bin_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in pgbin.SERVER_PROGRAMS:
        (tmp_path / name).write_text("#!/bin/sh\n")
        (tmp_path / name).chmod(0o755)
    monkeypatch.setenv("CLAUSEGATE_PG_BIN", str(tmp_path))
    assert pgbin.discover().bindir == tmp_path


def test_versioned_directories_newest_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for version in ("9.6", "15", "13"):
        bindir = tmp_path / version / "bin"
        bindir.mkdir(parents=True)
        for name in pgbin.SERVER_PROGRAMS:
            (bindir / name).write_text("#!/bin/sh\n")
            (bindir / name).chmod(0o755)
    monkeypatch.setattr(pgbin, "VERSIONED_DIRS", (str(tmp_path / "*" / "bin"),))
    monkeypatch.setattr(pgbin, "_pg_config_bindir", lambda: None)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert pgbin.discover().bindir == tmp_path / "15" / "bin"


def test_docker_target_starts_where_a_daemon_answers() -> None:
    available, why = docker_status()
    if not available:
        pytest.skip(why)
    from clausegate import db
    from clausegate.targets import DockerServer

    with DockerServer() as server, db.connect(server.conninfo(), purpose="test") as conn:
        row = conn.execute("show server_version_num").fetchone()
    assert row is not None and row[0].startswith("16")
