"""On a live database: locks held elsewhere, dead servers, background traffic.

Each test points `clausegate verify` at a database in the state after a migration, the
way an operator would right after an apply, and checks that no fault becomes a PASS.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clausegate import db, templates
from clausegate.targets import Server
from tests.cli import assert_no_traceback, clausegate

CASE = Path(__file__).parent / "engine_cases" / "pass_simple"
SPEC = str(CASE / "spec.yaml")


def run_file(conninfo: str, path: Path) -> None:
    with db.connect(conninfo, purpose="test apply") as conn:
        conn.execute(path.read_bytes())


@pytest.fixture
def applied(pg_server: Server, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """(conninfo, before snapshot file) of a database right after the spec's migration."""
    with templates.database(pg_server, "cg_live") as name:
        conninfo = pg_server.conninfo(name)
        run_file(conninfo, CASE / "before.sql")
        before = tmp_path / "before.json"
        taken = clausegate("snapshot", "--dsn", conninfo, "--spec", SPEC, "-o", str(before))
        assert taken.returncode == 0, taken.stderr
        run_file(conninfo, CASE / "migration.sql")
        yield conninfo, before


def verify(
    conninfo: str, before: Path, report: Path, **env: str
) -> tuple[int, str, dict[str, Any]]:
    result = clausegate("verify", SPEC, "--dsn", conninfo, "--before", str(before),
                        "--report-dir", str(report), env=env)  # fmt: skip
    assert_no_traceback(result)
    verdicts = json.loads((report / "verdicts.json").read_text())
    checks = {c["check"]: c for c in verdicts["checks"]}
    return result.returncode, result.stdout + result.stderr, checks


def test_a_probe_blocked_by_a_lock_ends_broken_naming_the_relation(
    applied: tuple[str, Path], tmp_path: Path
) -> None:
    conninfo, before = applied
    with db.connect(conninfo, purpose="test lock holder", autocommit=False) as holder:
        # EXCLUSIVE lets the snapshots read the table but blocks the refusal's INSERT.
        holder.execute("LOCK TABLE ledger IN EXCLUSIVE MODE")
        code, output, checks = verify(
            conninfo, before, tmp_path / "run", CLAUSEGATE_LOCK_TIMEOUT_MS="300"
        )
        holder.rollback()
    assert code == 3, output
    assert checks["R2"]["status"] == "BROKEN"
    assert "lock timeout" in checks["R2"]["message"]
    assert "ledger (ExclusiveLock held by pid" in checks["R2"]["message"]
    assert checks["R1"]["status"] == "PASS"
