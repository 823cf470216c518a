"""The command line as a user meets it: help, usage errors, and the demo's first job."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from clausegate.checks.metrics import count_sql
from clausegate.targets import pgbin
from tests.cli import assert_no_traceback, clausegate
from tests.procs import processes_mentioning


def test_help_lists_the_subcommands() -> None:
    result = clausegate("--help")
    assert result.returncode == 0
    assert "gate" in result.stdout


def test_unknown_target_is_one_line_naming_the_valid_ones() -> None:
    result = clausegate("gate", "--target", "nowhere")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "nowhere" in lines[0]
    assert "auto, local, docker, dsn" in lines[0]


def test_unknown_target_from_the_environment() -> None:
    result = clausegate("gate", env={"CLAUSEGATE_TARGET": "cloud"})
    assert result.returncode == 2
    assert "valid targets: auto, local, docker, dsn" in result.stderr


def test_usage_error_is_one_line() -> None:
    result = clausegate("gate", "--no-such-option")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert_no_traceback(result)


def test_missing_spec_path_is_named() -> None:
    result = clausegate("gate", "specs/nowhere.yaml")
    assert result.returncode == 2
    assert "specs/nowhere.yaml: no such file or directory" in result.stderr


def test_unreachable_dsn_exits_3_without_traceback() -> None:
    result = clausegate(
        "gate", "--dsn", "host=127.0.0.1 port=1 user=x password=s3cret connect_timeout=2"
    )
    assert result.returncode == 3
    assert "cannot connect" in result.stderr
    assert "s3cret" not in result.stderr + result.stdout
    assert_no_traceback(result)


@pytest.mark.skipif(pgbin.discover().bindir is None, reason="no PostgreSQL server binaries")
def test_gate_with_nothing_to_gate_starts_a_server_and_leaves_none() -> None:
    # A private TMPDIR: whatever the run started lives below it, so traces are findable.
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp).chmod(0o755)
        empty = Path(tmp) / "specs"
        empty.mkdir()
        result = clausegate("gate", "--target", "local", str(empty), env={"TMPDIR": tmp})
        empty.rmdir()
        assert result.returncode == 0, result.stderr
        assert re.search(r"server PostgreSQL \d+", result.stdout)
        assert "nothing to gate yet" in result.stdout
        assert list(Path(tmp).iterdir()) == []
        assert processes_mentioning(tmp) == []


@pytest.mark.skipif(pgbin.discover().bindir is None, reason="no PostgreSQL server binaries")
def test_twin_keep_builds_the_chain_and_says_how_to_open_and_stop_it() -> None:
    import subprocess

    import psycopg

    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp).chmod(0o755)
        result = clausegate(
            "twin", "--upto", "051", "--keep", "--target", "local", env={"TMPDIR": tmp}
        )
        assert result.returncode == 0, result.stderr
        dsn = re.search(r"explore it with: psql '([^']+)'", result.stdout)
        stop = re.search(r"stop it with: (.+)$", result.stdout, re.MULTILINE)
        assert dsn is not None and stop is not None, result.stdout
        try:
            with psycopg.connect(dsn.group(1)) as conn:
                functions = conn.execute(count_sql("functions").encode()).fetchone()
            assert functions == (520,)
        finally:
            subprocess.run(stop.group(1), shell=True, check=True, capture_output=True)
        assert list(Path(tmp).iterdir()) == []
        assert processes_mentioning(tmp) == []
