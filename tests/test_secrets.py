"""A password given in --dsn or PGPASSWORD appears in no file of the run's report folder
and in no line of output."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg.conninfo import make_conninfo

from tests.cli import ROOT, clausegate
from tests.servers import password_server

PASSWORD = "Tr0ub4dor-secret-7731"
SPEC = str(ROOT / "tests" / "engine_cases" / "pass_simple" / "spec.yaml")


@pytest.fixture(scope="module")
def server_dsn() -> Iterator[str]:
    with password_server("cg_owner", PASSWORD, superuser=True) as server:
        yield make_conninfo(server.conninfo(), user="cg_owner")


def assert_secret_nowhere(report: Path, *outputs: str) -> None:
    for text in outputs:
        assert PASSWORD not in text
    files = [path for path in report.rglob("*") if path.is_file()]
    assert files, "the run wrote no report"
    for path in files:
        assert PASSWORD.encode() not in path.read_bytes(), path


@pytest.mark.parametrize("how", ["dsn", "PGPASSWORD"])
def test_the_password_appears_nowhere(server_dsn: str, tmp_path: Path, how: str) -> None:
    dsn = make_conninfo(server_dsn, password=PASSWORD) if how == "dsn" else server_dsn
    env = {"PGPASSWORD": PASSWORD} if how == "PGPASSWORD" else {}
    report = tmp_path / "run"
    result = clausegate("gate", SPEC, "--target", "dsn", "--dsn", dsn,
                        "--report-dir", str(report), env=env)  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert_secret_nowhere(report, result.stdout, result.stderr)
    snap = tmp_path / "snap.json"
    taken = clausegate("snapshot", "--dsn", dsn, "-o", str(snap), env=env)
    assert taken.returncode == 0, taken.stderr
    assert PASSWORD not in snap.read_text() + taken.stdout + taken.stderr
