"""The Điều 45 specs verified on a live database (issue 8, items 1 and 3).

Each test does what an operator does: a database in a phase's before state (a copy of the
chain's template), `clausegate snapshot --spec`, the real migration, `clausegate verify`.
The first proves a verify leaves no trace; the others that background inserts by other
actors into event_outbox are tolerated where the spec says so, and nowhere else.
"""

from __future__ import annotations

import hashlib
import json
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

from clausegate import db, environment, phase, snapshot
from clausegate.checks.language import load_spec
from clausegate.db import reference
from clausegate.diff import diff
from clausegate.spec.model import DEFAULT_PROBE_APPLICATION_NAME
from clausegate.targets import Server
from tests.cli import ROOT, assert_no_traceback, clausegate

# The behaviour depends on the server: these run on every major found.
pytestmark = pytest.mark.every_major

SPECS = ROOT / "specs" / "dieu45"
FIXTURES = ROOT / "fixtures" / "dieu45"
PHASE2 = SPECS / "phase2.yaml"
PHASE3B = SPECS / "phase3b.yaml"
WAIT_S = 30


@pytest.fixture
def live_copy(pg_server: Server, database_factory: Callable[..., str]) -> Callable[[Path], str]:
    """A new database in a spec's before state (a copy of the template the gates cache on
    the test server); returns its conninfo. Dropped after the test."""

    def make(spec_path: Path) -> str:
        loaded = load_spec(spec_path)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv(environment.REUSE_TEMPLATES, "1")
            template = phase.before_template(pg_server, loaded, {}, lambda name: None)
        return pg_server.conninfo(database_factory(template, "cg_live45"))

    return make


def take_before(conninfo: str, spec_path: Path, out: Path) -> None:
    taken = clausegate("snapshot", "--dsn", conninfo, "--spec", str(spec_path), "-o", str(out))
    assert_no_traceback(taken)
    assert taken.returncode == 0, taken.stdout + taken.stderr


def verify(
    conninfo: str, spec_path: Path, before: Path, report: Path, *, applied: bool = True
) -> tuple[int, str, dict[str, dict[str, Any]]]:
    """verify, given the spec's migration as the file applied (unless not `applied`)."""
    migration = ["--migration", str(load_spec(spec_path).build.migration)] if applied else []
    result = clausegate("verify", str(spec_path), "--dsn", conninfo, "--before", str(before),
                        *migration, "--report-dir", str(report), "--no-html")  # fmt: skip
    assert_no_traceback(result)
    document = json.loads((report / "verdicts.json").read_text())
    return (
        result.returncode,
        result.stdout + result.stderr,
        {c["check"]: c for c in document["checks"]},
    )


def statuses(checks: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {check_id: c["status"] for check_id, c in checks.items()}


def clausegate_sessions(conn: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
    """Sessions of any other clausegate process on the server, its probes' (under their
    neutral name) included (this test process names its own connections clausegate too:
    those are left out)."""
    return conn.execute(
        "SELECT pid, datname, application_name, state FROM pg_stat_activity"
        " WHERE (application_name LIKE 'clausegate:%%' OR application_name = %s)"
        " AND application_name NOT LIKE %s",
        (DEFAULT_PROBE_APPLICATION_NAME, f"{db.APPLICATION_NAME}:{db.RUN_TOKEN} %"),
    ).fetchall()


def wait_until_no_clausegate_session(conninfo: str) -> None:
    """A finished process's backends leave pg_stat_activity a moment after it exits."""
    with db.connect(conninfo, purpose="test watcher") as conn:
        for _ in range(WAIT_S * 10):
            if not clausegate_sessions(conn):
                return
            conn.execute("SELECT pg_sleep(0.1)")
        raise AssertionError(f"clausegate sessions remain: {clausegate_sessions(conn)}")


def leftovers(conninfo: str) -> dict[str, list[tuple[Any, ...]]]:
    """What a run could leave on the server: prepared transactions, locks held by other
    client sessions on this database (advisory ones anywhere), clausegate sessions."""
    with db.connect(conninfo, purpose="test leftovers") as conn:
        prepared = conn.execute("SELECT gid, database, owner FROM pg_prepared_xacts").fetchall()
        locks = conn.execute(
            "SELECT l.locktype, l.mode, l.relation::regclass::text, l.pid, a.application_name"
            " FROM pg_locks AS l LEFT JOIN pg_stat_activity AS a ON a.pid = l.pid"
            " WHERE l.pid IS DISTINCT FROM pg_backend_pid()"
            "   AND (l.pid IS NULL OR a.backend_type = 'client backend')"
            "   AND (l.pid IS NULL OR l.locktype = 'advisory' OR a.datname = current_database()"
            "        OR l.database = (SELECT oid FROM pg_database"
            "                         WHERE datname = current_database()))"
        ).fetchall()
        return {"prepared": prepared, "locks": locks, "sessions": clausegate_sessions(conn)}


# --- 1. nothing written ----------------------------------------------------------------------


def full_state(conninfo: str) -> snapshot.Snapshot:
    """The whole catalog, every sequence value and session count (the non-transactional
    section), a content hash of every user table, and the dot_config rows themselves."""
    config = snapshot.SelectedRows("dot_config rows", "SELECT * FROM public.dot_config")
    probes = phase.every_table_probes(phase.user_tables(conninfo)) + snapshot.DataProbes((config,))
    return snapshot.capture(conninfo, probes)


def test_verify_of_phase3b_on_a_live_053_database_writes_nothing(
    live_copy: Callable[[Path], str], tmp_path: Path
) -> None:
    conninfo = live_copy(PHASE3B)
    before = tmp_path / "before.json"
    take_before(conninfo, PHASE3B, before)
    reference.apply_sql_file(conninfo, FIXTURES / "053_phase3b.sql")
    state = full_state(conninfo)
    # Not a vacuous comparison: all 271 tables hashed, sequences and config rows read.
    assert len(state["probes"]["content_hash"]) == 271
    assert not [p for kind in state["probes"].values() for p in kind.values() if "error" in p]
    assert state["nontransactional"]["sequence_values"]
    assert len(state["probes"]["rows"]["dot_config rows"]["rows"]) == 98

    report = tmp_path / "run"
    code, output, checks = verify(conninfo, PHASE3B, before, report)

    assert code == 0, output
    assert set(statuses(checks).values()) == {"PASS"}, output
    wait_until_no_clausegate_session(conninfo)
    assert [c.line for c in diff(state, full_state(conninfo))] == []
    assert leftovers(conninfo) == {"prepared": [], "locks": [], "sessions": []}
    account = json.loads((report / "evidence" / "transactions.json").read_text())
    assert account["committed_writes"] == []
    assert account["statement"] == (
        "no transaction clausegate opened on the target committed a write"
    )
    assert all(e["ended"] in ("opened", "rolled back") for e in account["entries"])
    (run,) = json.loads((report / "verdicts.json").read_text())["runs"]
    applied = (FIXTURES / "053_phase3b.sql").read_bytes()
    assert run["migration_sha256"] == hashlib.sha256(applied).hexdigest()
    assert run["migration_read"]["problems"] == [] and run["migration_read"]["kinds"] == []

    # Without the file that was applied, the checks that read it cannot be judged.
    code, output, checks = verify(conninfo, PHASE3B, before, tmp_path / "blind", applied=False)
    assert code == 3, output
    assert {k for k, status in statuses(checks).items() if status != "PASS"} == {
        "no-forbidden-statement"
    }
    assert (
        "pass the file that was applied with `clausegate verify … --migration FILE`"
        in (checks["no-forbidden-statement"]["message"])
    )


# --- 3. background traffic -------------------------------------------------------------------

# Rows as the platform's own emitter writes them, by the actors of the world's 133,784
# (000_world.sql): none carries a phase-2 marker in actor_ref or canonical_address.
BACKGROUND_EVENTS = (
    ("kb/article_revised", "kb://article/{n}", "dot:kb_publisher"),
    ("system/healthcheck", "system://healthcheck/{n}", "system:scheduler"),
    ("iu/updated", "iu://unit/{n}", "agent:codex"),
    ("dot/run_completed", "dot://run/background-{n}", "agent:hermes"),
    ("law/clause_referenced", "law://dieu45/clause/{n}", "user:editor_01"),
)
EMIT = "SELECT fn_event_outbox_emit(%s, %s, %s, %s::jsonb)"
BACKGROUND_APPLICATION = "dieu45 background traffic"


class Background:
    """Another session that keeps inserting event_outbox rows until stopped.

    Its connection is opened first, so the sessions a snapshot counts are the same before
    and after. Until `release()` its rows stay in one open transaction: inserted while the
    before snapshot runs, committed after it, so the baseline the spec pins (seed 001:
    133,784) is what the snapshot reads; from then on every row commits on its own.
    """

    def __init__(self, conninfo: str) -> None:
        self.conn = psycopg.connect(
            conninfo,
            application_name=BACKGROUND_APPLICATION,
            connect_timeout=10,
            options="-c statement_timeout=30000 -c idle_in_transaction_session_timeout=120000",
        )
        self.inserted = 0
        self.committed = 0
        self.extra_committed = 0
        self.error: BaseException | None = None
        self._released = threading.Event()
        self._stop = threading.Event()
        self._progress = threading.Condition()
        self._extra: queue.Queue[tuple[str, str, str]] = queue.Queue()
        self._thread = threading.Thread(target=self._insert, name="background traffic")

    def __enter__(self) -> Background:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        try:
            self._thread.join(WAIT_S)
        finally:
            self.conn.close()
        assert not self._thread.is_alive(), "the background session did not stop"

    def _insert(self) -> None:
        pending, extra = 0, 0
        try:
            n = 0
            while not self._stop.is_set():
                event = None if self._extra.empty() else self._extra.get_nowait()
                event_type, address, actor = event or BACKGROUND_EVENTS[n % 5]
                n += 1
                payload = json.dumps({"seq": n, "schema_version": 1, "summary": event_type})
                self.conn.execute(EMIT, (event_type, address.format(n=n), actor, payload))
                pending, extra = pending + 1, extra + (event is not None)
                self.inserted += 1
                if self._released.is_set():
                    self.conn.commit()
                    with self._progress:
                        self.committed += pending
                        self.extra_committed += extra
                        self._progress.notify_all()
                    pending, extra = 0, 0
                self._stop.wait(0.02)  # a steady trickle, not a flood on a shared machine
        except BaseException as exc:
            self.error = exc
            with self._progress:
                self._progress.notify_all()
        finally:
            if not self.conn.closed:
                self.conn.rollback()

    def release(self) -> None:
        """Commit the open transaction, and each row from now on."""
        self._released.set()

    def emit(self, event_type: str, address: str, actor: str) -> None:
        """One row with these values among the next ones; returns once it is committed."""
        assert self._released.is_set(), "a row emitted before release() would wait for it"
        wanted = self.extra_committed + 1
        self._extra.put((event_type, address, actor))
        self._wait(lambda: self.extra_committed >= wanted, "the emitted row")

    def wait_for(self, committed: int) -> None:
        """Until at least `committed` rows are committed, within WAIT_S seconds."""
        self._wait(lambda: self.committed >= committed, f"{committed} rows")

    def _wait(self, done: Callable[[], bool], what: str) -> None:
        with self._progress:
            self._progress.wait_for(lambda: done() or self.error is not None, WAIT_S)
        assert self.error is None, f"the background session failed: {self.error}"
        assert done(), f"{what} not committed within {WAIT_S} s ({self.committed} so far)"


def wait_for_rows_in_flight(conninfo: str) -> None:
    """Until the background session has an open transaction that inserted rows."""
    with db.connect(conninfo, purpose="test watcher") as conn:
        for _ in range(WAIT_S * 10):
            row = conn.execute(
                "SELECT backend_xid IS NOT NULL FROM pg_stat_activity WHERE application_name = %s",
                (BACKGROUND_APPLICATION,),
            ).fetchone()
            if row == (True,):
                return
            conn.execute("SELECT pg_sleep(0.1)")
    raise AssertionError("the background session inserted nothing")


def verify_phase2_under_traffic(
    conninfo: str, tmp_path: Path, during: Callable[[Background], None] = lambda bg: None
) -> tuple[int, str, dict[str, dict[str, Any]], int]:
    """Snapshot, apply 051, verify, with background inserts running throughout; returns
    the verify's result and how many background rows committed while it ran."""
    before = tmp_path / "before.json"
    with Background(conninfo) as background:
        wait_for_rows_in_flight(conninfo)
        take_before(conninfo, PHASE2, before)
        inserted_by_then = background.inserted
        background.release()
        reference.apply_sql_file(conninfo, FIXTURES / "051_phase2.sql")
        during(background)
        # A row inserted after the snapshot is in: the id sequence has moved on since.
        background.wait_for(inserted_by_then + 1)
        committed_before_verify = background.committed
        result = verify(conninfo, PHASE2, before, tmp_path / "run")
        committed_during_verify = background.committed - committed_before_verify
        # Still inserting afterwards: nothing the verify did blocked or broke the session.
        background.wait_for(background.committed + 1)
    return (*result, committed_during_verify)


def test_verify_of_phase2_passes_under_background_inserts_by_other_actors(
    live_copy: Callable[[Path], str], tmp_path: Path
) -> None:
    conninfo = live_copy(PHASE2)
    code, output, checks, during_verify = verify_phase2_under_traffic(conninfo, tmp_path)

    assert code == 0, output
    assert set(statuses(checks).values()) == {"PASS"}, output
    # The traffic was real and was seen: rows committed during the verify, the count grew.
    assert during_verify > 0
    outbox = checks["event-outbox-rows"]["observed"]
    assert outbox["before"] == 133784 and outbox["delta"] > 0, outbox
    # The id sequence those rows advanced is tolerated, and the evidence says so.
    tolerated = [
        line
        for check_id in ("closed-world", "inertness")
        for line in checks[check_id]["evidence"]
        if "public.event_outbox_id_seq" in line
    ]
    assert tolerated and all("tolerated" in line for line in tolerated), tolerated


def test_verify_of_phase2_fails_a_background_row_with_a_phase2_actor(
    live_copy: Callable[[Path], str], tmp_path: Path
) -> None:
    conninfo = live_copy(PHASE2)

    def sly_row(background: Background) -> None:
        background.emit("iu/updated", "iu://unit/7", "dot:dieu45_phase2_mig_051")

    code, output, checks, _ = verify_phase2_under_traffic(conninfo, tmp_path, sly_row)

    assert code == 1, output
    failing = {check_id for check_id, status in statuses(checks).items() if status != "PASS"}
    assert failing == {"no-event-outbox-phase2-row", "event-outbox-phase2-rows"}, output
    assert statuses(checks)["no-event-outbox-phase2-row"] == "FAIL"
    assert "1 forbidden row change(s) in public.event_outbox" in output
