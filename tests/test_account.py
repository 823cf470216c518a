"""The run's own account of what it did on the target, checked against the server's.

On a server no one else uses (autovacuum off), pg_stat_database counts one commit for
each connection's start-up and one rollback for each transaction rolled back: so after
a `verify`, the server's deltas must equal what clausegate's account lists, and the
account must show no committed write.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from clausegate import db
from clausegate.db import templates
from clausegate.targets import LocalServer, pgbin
from tests.cli import ROOT, clausegate

CASE = ROOT / "tests" / "engine_cases" / "pass_simple"
SPEC = str(CASE / "spec.yaml")
# How long the sessions on the database may take to end once their clients closed them.
SESSIONS_END_S = 30


@pytest.fixture(scope="module")
def quiet_server() -> Iterator[LocalServer]:
    found = pgbin.discover(None)
    assert found.bindir is not None, "the local target's binaries are needed here"
    with LocalServer(found.bindir) as server:
        with db.connect(server.conninfo(), purpose="test setup") as conn:
            conn.execute("ALTER SYSTEM SET autovacuum = off")
            conn.execute("SELECT pg_reload_conf()")
        yield server


def counters(server: LocalServer, database: str) -> tuple[int, int]:
    """(xact_commit, xact_rollback) of `database` once every session on it has ended.

    A backend flushes its counters as it exits, before it leaves pg_stat_activity (its
    stats shutdown hook runs before_shmem_exit, the one that clears its pg_stat_activity
    entry on_shmem_exit, PostgreSQL 15+): so once no backend is left on `database`, the
    counters are whole. A closed connection's backend may still be exiting: wait for it.
    """
    deadline = time.monotonic() + SESSIONS_END_S
    with db.connect(server.conninfo(), purpose="test stats") as conn:
        while True:
            # Autocommit: each statement reads pg_stat_activity afresh.
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (database,)
            ).fetchone()
            assert row is not None
            if row[0] == 0:
                break
            assert time.monotonic() < deadline, (
                f"{row[0]} session(s) on {database} still open after {SESSIONS_END_S} s"
            )
            time.sleep(0.02)
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute(
            "SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = %s",
            (database,),
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def test_verify_accounts_for_every_transaction_and_commits_no_write(
    quiet_server: LocalServer, tmp_path: Path
) -> None:
    with templates.database(quiet_server, "cg_account") as name:
        conninfo = quiet_server.conninfo(name)
        with db.connect(conninfo, purpose="test apply") as conn:
            conn.execute((CASE / "before.sql").read_bytes())
        before = tmp_path / "before.json"
        taken = clausegate("snapshot", "--dsn", conninfo, "--spec", SPEC, "-o", str(before))
        assert taken.returncode == 0, taken.stderr
        with db.connect(conninfo, purpose="test apply") as conn:
            conn.execute((CASE / "migration.sql").read_bytes())
        commits, rollbacks = counters(quiet_server, name)
        report = tmp_path / "run"
        result = clausegate("verify", SPEC, "--dsn", conninfo, "--before", str(before),
                            "--report-dir", str(report))  # fmt: skip
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr
        commits_after, rollbacks_after = counters(quiet_server, name)
    account = json.loads((report / "evidence" / "transactions.json").read_text())
    mine = [e for e in account["entries"] if e["database"] == name]
    assert account["committed_writes"] == []
    assert account["statement"] == (
        "no transaction clausegate opened on the target committed a write"
    )
    assert all(e["ended"] in ("opened", "rolled back") for e in mine), mine
    connections = sum(e["kind"] == "connection" for e in mine)
    rolled_back = sum(e["ended"] == "rolled back" for e in mine)
    assert commits_after - commits == connections
    assert rollbacks_after - rollbacks == rolled_back
    snapshots = [e for e in mine if e["purpose"] == "snapshot" and e["kind"] == "transaction"]
    assert snapshots and all(e["read_only"] for e in snapshots)
