"""On a live database: locks held elsewhere, dead servers, background traffic.

Each test points `clausegate verify` at a database in the state after a migration, the
way an operator would right after an apply, and checks that no fault becomes a PASS.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clausegate import db, snapshot
from clausegate.db import templates
from clausegate.diff import diff
from clausegate.spec.model import DEFAULT_PROBE_APPLICATION_NAME
from clausegate.targets import Server
from tests.cli import ROOT, assert_no_traceback, clausegate

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
                        "--report-dir", str(report), "--no-html", env=env)  # fmt: skip
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


SLOW_SPEC = Path(__file__).parent / "live_cases" / "slow_probe.yaml"


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "clausegate", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# The application_name the probes' sessions go by (no spec here sets another).
PROBES_NAME = DEFAULT_PROBE_APPLICATION_NAME


def wait_for_session(conninfo: str, application: str, query_like: str) -> int:
    """The pid of clausegate's session once it runs the query, within 60 s: a session
    named `clausegate:… APPLICATION`, or for "probes" one under the probes' neutral name."""
    pattern = PROBES_NAME if application == "probes" else f"clausegate:% {application}"
    deadline = time.monotonic() + 60
    with db.connect(conninfo, purpose="test watcher") as watcher:
        while time.monotonic() < deadline:
            row = watcher.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE application_name LIKE %s"
                " AND state = 'active' AND query LIKE %s",
                (pattern, query_like),
            ).fetchone()
            if row:
                return int(row[0])
            time.sleep(0.05)
    raise AssertionError(f"no {application!r} session ran {query_like!r} within 60 s")


def wait_until_no_clausegate_session(conninfo: str) -> None:
    deadline = time.monotonic() + 30
    with db.connect(conninfo, purpose="test watcher") as watcher:
        while time.monotonic() < deadline:
            count = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE (application_name LIKE 'clausegate:%%' OR application_name = %s)"
                " AND pid <> pg_backend_pid()",
                (PROBES_NAME,),
            ).fetchone()
            if count == (0,):
                return
            time.sleep(0.1)
    raise AssertionError("a clausegate session is still on the server after 30 s")


def state_of(conninfo: str) -> snapshot.Snapshot:
    probes = snapshot.DataProbes(
        (snapshot.ContentHash("ledger", "public.ledger"),
         snapshot.ContentHash("gate_config", "public.gate_config"))
    )  # fmt: skip
    return snapshot.capture(conninfo, probes)


def test_sigkill_inside_a_probe_transaction_leaves_the_database_unchanged(
    applied: tuple[str, Path], tmp_path: Path
) -> None:
    conninfo, before = applied
    unchanged = state_of(conninfo)
    process = start("verify", str(SLOW_SPEC), "--dsn", conninfo, "--before", str(before),
                    "--report-dir", str(tmp_path / "run"), "--no-html")  # fmt: skip
    try:
        wait_for_session(conninfo, "probes", "%pg_sleep%")
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    wait_until_no_clausegate_session(conninfo)
    assert diff(unchanged, state_of(conninfo)) == []


def test_sigint_during_a_snapshot_exits_3_interrupted(
    applied: tuple[str, Path], tmp_path: Path
) -> None:
    conninfo, _ = applied
    unchanged = state_of(conninfo)
    probes = tmp_path / "probes.yaml"
    probes.write_text("probes:\n  - {rows: 'SELECT pg_sleep(20)', name: slow}\n")
    process = start(
        "snapshot", "--dsn", conninfo, "--probes", str(probes), "-o", str(tmp_path / "s.json")
    )
    try:
        wait_for_session(conninfo, "snapshot", "%pg_sleep%")
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 3, stderr
    assert stderr.strip() == "clausegate snapshot: interrupted"
    assert not (tmp_path / "s.json").exists()
    wait_until_no_clausegate_session(conninfo)
    assert diff(unchanged, state_of(conninfo)) == []
