"""The Điều 45 reference database (fixtures/dieu45/) on a real server.

What the seed documents report must come out again: the counts table, every refusal and
bounded proof of seeds 000 (Phase 3B) and 001 (Phase 2), and the chain's order. The chain is
built once per session, each file on the database holding its predecessor; probes run in
transactions that are rolled back.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, LiteralString

import psycopg
import pytest
from psycopg import errors, sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from clausegate import db
from clausegate.db import reference, templates
from clausegate.targets import Server
from tests.cli import ROOT

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED_000 = SEEDS / "000_24d2cb8be27b22b0.txt"

# The count definitions, verbatim in SQL: user schemas are all but pg_catalog,
# information_schema, pg_toast and the temporary ones; extension members are left out.
COUNTS_SQL: LiteralString = r"""
WITH user_namespaces AS (
  SELECT n.oid FROM pg_namespace AS n
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    AND n.nspname NOT LIKE 'pg\_temp%' AND n.nspname NOT LIKE 'pg\_toast\_temp%'
), extension_members AS (
  SELECT d.classid, d.objid FROM pg_depend AS d WHERE d.deptype = 'e'
)
SELECT
  (SELECT count(*) FROM pg_class AS c
   WHERE c.relkind IN ('r', 'p') AND c.relnamespace IN (SELECT oid FROM user_namespaces)
     AND (c.tableoid, c.oid) NOT IN (SELECT classid, objid FROM extension_members)),
  (SELECT count(*) FROM pg_class AS c
   WHERE c.relkind = 'v' AND c.relnamespace IN (SELECT oid FROM user_namespaces)
     AND (c.tableoid, c.oid) NOT IN (SELECT classid, objid FROM extension_members)),
  (SELECT count(*) FROM pg_proc AS p
   WHERE p.prokind IN ('f', 'p') AND p.pronamespace IN (SELECT oid FROM user_namespaces)
     AND (p.tableoid, p.oid) NOT IN (SELECT classid, objid FROM extension_members)),
  (SELECT count(*) FROM dot_config),
  (SELECT count(*) FROM dot_config WHERE key LIKE 'queue.%'),
  (SELECT count(*) FROM pg_constraint
   WHERE conrelid = 'public.event_outbox'::regclass AND contype = 'c'),
  (SELECT count(*) FROM event_outbox)
"""
HEARTBEAT_ROWS_SQL: LiteralString = "SELECT count(*) FROM queue_heartbeat"

# state: tables, views, functions, dot_config keys, queue.* keys, queue_heartbeat rows (None:
# no table yet), event_outbox CHECKs, event_outbox rows. 050 and 051 are the documents' numbers.
COUNTS: dict[str, tuple[int, int, int, int, int, int | None, int, int]] = {
    "000": (268, 54, 507, 86, 0, None, 9, 133_784),
    "050": (271, 55, 515, 94, 8, 0, 9, 133_784),
    "051": (271, 55, 520, 98, 12, 1, 9, 133_784),
    "052": (271, 55, 521, 98, 12, 2, 9, 133_784),
    "053": (271, 55, 522, 98, 12, 2, 9, 133_784),
}
EXTENSIONS = ["btree_gist", "pgcrypto", "plpgsql", "postgres_fdw"]
PHASE1_GATES = [
    "queue.job_substrate.enabled", "queue.worker.enabled", "queue.heartbeat.enabled",
    "queue.notify.enabled", "queue.event_bridge.enabled", "queue.consumer_registry.enabled",
    "queue.stale_event.enabled", "queue.retention.enabled",
]  # fmt: skip
# Seed 001's security modes; the dry runs are also STABLE (volatility s), the rest VOLATILE.
PHASE2_MODES = {
    "fn_queue_heartbeat_register_passive": "DEFINER v",
    "fn_job_reap_stale_leases_dry_run": "INVOKER s",
    "fn_job_reap_stale_leases_apply": "DEFINER v",
    "fn_job_dead_letter_requeue_dry_run": "INVOKER s",
    "fn_job_dead_letter_triage_update": "DEFINER v",
}
EXECUTOR_KINDS = [
    "DOT", "Agent", "Hermes", "Codex", "PG_worker", "external_worker", "future_Kestra_adapter",
]  # fmt: skip
SILENT_GAP_AT = "2026-05-22T11:31:41.928657+00:00"
PROTECTED_MESSAGE = (
    "iu_outbound_default is a passive marker for the pre-Dieu45 route worker silent gap; "
    "external pings cannot overwrite it. Update fn_iu_route_worker_run callsite to register "
    "a separate active executor."
)
PING: LiteralString = "SELECT fn_queue_heartbeat_ping_external(%s, %s, %s, %s::jsonb)"
# Digests of the generated world data: two builds (on any server version) must agree.
DATA_DIGESTS = {
    "event_outbox": "149601d1cf34cfea4add85b0b49ec6d7",
    "information_unit": "e5b4e2b5b30e5b02c41ed957298c15e1",
    "iu_vector_sync_point": "a1bb1feab0f72bc0205cc3b19df6ee3e",
    "iu_route_worker_cursor": "ef2e1e502eebd1a2501d7ede6c5dfbbe",
}
# Rows as text in byte order (COLLATE "C"), so the digest does not depend on the server's locale.
DIGEST_SQL: LiteralString = (
    """SELECT md5(string_agg(t::text, E'\\n' ORDER BY t::text COLLATE "C")) FROM {} AS t"""
)


# ------------------------------------------------------------------------------------------
# Fixtures: the chain built once per session, with what each state looked like.
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StateFacts:
    """What a state looked like right after its file was applied on its predecessor."""

    counts: tuple[int | None, ...]
    extensions: list[str]
    queue_gates: dict[str, str]
    queue_functions: dict[str, str]


@dataclass(frozen=True)
class Chain:
    """Databases holding the states the probes need, and the facts of every state."""

    world: str  # conninfo of a database at state 000
    phase2: str  # at state 051
    phase3b: str  # at state 053
    facts: dict[str, StateFacts]


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return ROOT / "fixtures" / "dieu45"


@pytest.fixture(scope="session")
def chain(pg_server: Server, fixtures_dir: Path) -> Iterator[Chain]:
    """The chain applied file by file, each on the database holding its predecessor.

    Copying a database costs more than applying a small file, so only the states the
    probes need are kept (000, 051, 053); 050 and 052 are measured on the way.
    """
    files = {path.name[:3]: path for path in reference.chain_files(fixtures_dir)}
    facts: dict[str, StateFacts] = {}

    def apply(conninfo: str, *states: str) -> str:
        for state in states:
            reference.apply_sql_file(conninfo, files[state])
            with connect(conninfo) as conn:
                facts[state] = read_facts(conn)
        return conninfo

    with ExitStack() as stack:

        def new_database(prefix: str, template: str | None = None) -> str:
            name = stack.enter_context(templates.database(pg_server, prefix, template))
            return pg_server.conninfo(name)

        world = apply(new_database("dieu45_000"), "000")
        phase2 = apply(new_database("dieu45_051", _dbname(world)), "050", "051")
        phase3b = apply(new_database("dieu45_053", _dbname(phase2)), "052", "053")
        yield Chain(world, phase2, phase3b, facts)


def _dbname(conninfo: str) -> str:
    return str(conninfo_to_dict(conninfo)["dbname"])


def connect(conninfo: str, *, autocommit: bool = False) -> psycopg.Connection[Any]:
    """A bounded clausegate connection in UTC, so timestamps in JSON read as in the seeds."""
    return db.connect(
        make_conninfo(conninfo, options="-c TimeZone=UTC"), purpose="test", autocommit=autocommit
    )


def read_only(conninfo: str) -> str:
    """The same database in read-only sessions: a file that should fail can change nothing."""
    return make_conninfo(conninfo, options="-c default_transaction_read_only=on")


def _probe(conninfo: str) -> Iterator[psycopg.Connection[Any]]:
    """A connection inside a transaction that is always rolled back."""
    conn = connect(conninfo)
    try:
        yield conn
    finally:
        conn.rollback()
        conn.close()


@pytest.fixture
def phase2(chain: Chain) -> Iterator[psycopg.Connection[Any]]:
    yield from _probe(chain.phase2)


@pytest.fixture
def phase3b(chain: Chain) -> Iterator[psycopg.Connection[Any]]:
    yield from _probe(chain.phase3b)


def value(
    conn: psycopg.Connection[Any],
    query: LiteralString | sql.Composed,
    params: tuple[Any, ...] | None = None,
) -> Any:
    """The first column of the first row."""
    row = conn.execute(query, params).fetchone()
    assert row is not None, query
    return row[0]


def set_gates(conn: psycopg.Connection[Any], **gates: str) -> None:
    """Flip gates inside the probe transaction, by short name."""
    for name, setting in gates.items():
        key = {
            "substrate": "queue.job_substrate.enabled",
            "worker": "queue.worker.enabled",
            "heartbeat": "queue.heartbeat.enabled",
            "reaper": "queue.lease.reaper_enabled",
            "dry_run_only": "queue.lease.reaper_dry_run_only",
            "replay": "queue.dlq.replay_enabled",
        }[name]
        cur = conn.execute("UPDATE dot_config SET value = %s WHERE key = %s", (setting, key))
        assert cur.rowcount == 1, key


def insert_leased_job(
    conn: psycopg.Connection[Any], *, attempts: int, lease_age: str, key: str | None = None
) -> str:
    """A job as a crashed worker leaves it: leased, lease ending at now() - lease_age."""
    return str(
        value(
            conn,
            "INSERT INTO job_queue (job_kind, payload, state, attempts, lease_owner, lease_until,"
            " idempotency_key, enqueued_by)"
            " VALUES ('proof_job', '{\"n\": 1}', 'leased', %s, 'proof_worker',"
            " now() - %s::interval, %s, 'proof') RETURNING id",
            (attempts, lease_age, key),
        )
    )


def measured_counts(conn: psycopg.Connection[Any]) -> tuple[int | None, ...]:
    row = conn.execute(COUNTS_SQL).fetchone()
    assert row is not None
    has_heartbeat = value(conn, "SELECT to_regclass('public.queue_heartbeat') IS NOT NULL")
    heartbeat = value(conn, HEARTBEAT_ROWS_SQL) if has_heartbeat else None
    return (*row[:5], heartbeat, *row[5:])


def read_facts(conn: psycopg.Connection[Any]) -> StateFacts:
    return StateFacts(
        counts=measured_counts(conn),
        extensions=value(
            conn, "SELECT array_agg(extname::text ORDER BY extname) FROM pg_extension"
        ),
        queue_gates=dict(
            conn.execute("SELECT key, value FROM dot_config WHERE key LIKE 'queue.%'")
        ),
        # fn_job_* / fn_queue_* as seed 001 counts them (the trigger function left out), with
        # their security mode and volatility.
        queue_functions=dict(
            conn.execute(
                "SELECT proname::text, (CASE WHEN prosecdef THEN 'DEFINER' ELSE 'INVOKER' END)"
                " || ' ' || provolatile::text FROM pg_proc WHERE proname ~ '^fn_(job|queue)_'"
                " AND prorettype <> 'trigger'::regtype"
            )
        ),
    )


# ------------------------------------------------------------------------------------------
# The counts table and the documented facts of each state. Each state was built by applying
# its file on the database holding its predecessor, so these are also the "applies cleanly
# on its predecessor" tests.
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("state", list(COUNTS))
def test_counts(chain: Chain, state: str) -> None:
    assert chain.facts[state].counts == COUNTS[state]
    assert chain.facts[state].extensions == EXTENSIONS


def test_chain_has_exactly_the_documented_states(fixtures_dir: Path) -> None:
    assert reference.states(fixtures_dir) == list(COUNTS)


def test_world_holds_what_the_documents_name(chain: Chain) -> None:
    with connect(chain.world) as conn:
        assert value(conn, "SELECT count(*) FROM information_unit") == 175
        assert value(conn, "SELECT count(*) FROM iu_vector_sync_point") == 152
        last_run = value(
            conn,
            "SELECT last_run_at FROM iu_route_worker_cursor WHERE worker_name = %s",
            ("iu_outbound_default",),
        )
        assert last_run == datetime(2026, 5, 22, 11, 31, 41, 928657, tzinfo=UTC)
        assert value(conn, "SELECT to_regclass('public.production_documents')") is None
        fn_iu_op = "SELECT count(*) FROM pg_proc WHERE proname LIKE 'fn\\_iu\\_op\\_%'"
        assert value(conn, fn_iu_op) == 5
        assert value(conn, "SELECT to_regprocedure('fn_iu_route_worker_run(text,integer)')")
        assert value(conn, "SELECT count(*) FROM pg_roles WHERE rolname = 'workflow_admin'") == 1
        route_check = value(
            conn,
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conname = 'iu_sql_event_route_domain_check'",
        )
        assert route_check == "CHECK ((domain = 'iu'::text))"
        phase2_marked = value(
            conn,
            "SELECT count(*) FROM event_outbox"
            " WHERE actor_ref ILIKE '%phase2%' OR canonical_address ILIKE '%phase2%'",
        )
        assert phase2_marked == 0
        assert value(conn, "SELECT fn_iu_route_worker_run()") == {
            "refused": True,
            "reason": "iu.route_worker_enabled=false",
        }
    assert chain.facts["000"].queue_functions == {}


@pytest.mark.parametrize("table", list(DATA_DIGESTS))
def test_world_data_is_deterministic(chain: Chain, table: str) -> None:
    with connect(chain.world) as conn:
        conn.execute("SET DateStyle = 'ISO, YMD'")
        digest = value(conn, sql.SQL(DIGEST_SQL).format(sql.Identifier(table)))
    assert digest == DATA_DIGESTS[table]


def test_phase1_ships_every_gate_off(chain: Chain) -> None:
    facts = chain.facts["050"]
    assert sorted(facts.queue_gates) == sorted(PHASE1_GATES)
    assert set(facts.queue_gates.values()) == {"false"}
    assert len(facts.queue_functions) == 7


def test_phase2_gates_and_functions(chain: Chain) -> None:
    gates = chain.facts["051"].queue_gates
    functions = chain.facts["051"].queue_functions
    assert {key: gates[key] for key in gates if key not in PHASE1_GATES} == {
        "queue.lease.reaper_enabled": "false",
        "queue.lease.reaper_dry_run_only": "true",
        "queue.dlq.replay_enabled": "false",
        "queue.runtime.phase": "phase2_governance",
    }
    assert gates["queue.heartbeat.enabled"] == "true"
    assert gates["queue.worker.enabled"] == "false"
    assert gates["queue.job_substrate.enabled"] == "false"
    assert len(functions) == 12
    assert {name: functions[name] for name in PHASE2_MODES} == PHASE2_MODES


def test_phase2_surfaces_the_silent_gap(phase2: psycopg.Connection[Any]) -> None:
    stale = value(phase2, "SELECT fn_queue_stale_check()")
    assert stale["stale_count"] == 1
    (gap,) = stale["stale_executors"]
    assert (gap["executor_name"], gap["last_tick_at"], gap["ticks_total"]) == (
        "iu_outbound_default",
        SILENT_GAP_AT,
        0,
    )
    assert value(phase2, "SELECT executors_stale FROM v_queue_health") == 1
    marker = value(
        phase2, "SELECT metadata FROM queue_heartbeat WHERE executor_name = 'iu_outbound_default'"
    )
    assert (marker["marker"], marker["registered_by"]) == (
        "legacy_silent_passive",
        "dieu45_phase2_mig_051",
    )


def test_later_phases_leave_the_gates_alone(chain: Chain) -> None:
    assert chain.facts["052"].queue_gates == chain.facts["051"].queue_gates
    assert chain.facts["053"].queue_gates == chain.facts["051"].queue_gates


# ------------------------------------------------------------------------------------------
# The chain's order: a file applied on anything but its predecessor fails loudly.
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("state", "base", "missing"),
    [
        ("050", None, "public.dot_config"),
        ("051", None, "public.fn_queue_heartbeat_tick"),
        ("051", "000", "public.fn_queue_heartbeat_tick"),
        ("052", "000", "public.fn_queue_heartbeat_register_passive"),
        ("053", "000", "public.fn_route_consumer_dry_run"),
        ("053", "051", "public.fn_route_consumer_dry_run"),
    ],
)
def test_out_of_order_fails_with_file_and_line(
    pg_server: Server,
    chain: Chain,
    fixtures_dir: Path,
    state: str,
    base: str | None,
    missing: str,
) -> None:
    (path,) = fixtures_dir.glob(f"{state}_*.sql")
    lines = path.read_text(encoding="utf-8").splitlines()
    expected_line = next(n for n, line in enumerate(lines, 1) if f"'{missing}" in line)
    with ExitStack() as stack:
        if base is None:
            target = pg_server.conninfo(
                stack.enter_context(templates.database(pg_server, "dieu45_empty"))
            )
        else:
            target = {"000": chain.world, "051": chain.phase2}[base]
        with pytest.raises(reference.MigrationFailed) as failed:
            reference.apply_sql_file(read_only(target), path)
    assert str(failed.value).startswith(f"{path}:{expected_line}: ")
    assert missing.removeprefix("public.") in str(failed.value)
    assert failed.value.exit_code == 3
    assert failed.value.line == expected_line


def test_applying_a_file_twice_fails_naming_the_file_and_line(
    chain: Chain, fixtures_dir: Path
) -> None:
    (path,) = fixtures_dir.glob("051_*.sql")
    lines = path.read_text(encoding="utf-8").splitlines()
    insert_line = next(
        n for n, line in enumerate(lines, 1) if line.startswith("INSERT INTO dot_config")
    )
    with pytest.raises(reference.MigrationFailed) as failed:
        reference.apply_sql_file(chain.phase2, path)
    # The server gives no position for a constraint violation: the statements are
    # replayed one by one (rolled back) to find the one that raised.
    assert str(failed.value) == (
        f'{path}:{insert_line}: duplicate key value violates unique constraint "dot_config_pkey"'
    )
    assert failed.value.sqlstate == "23505"
    with connect(chain.phase2) as conn:
        assert measured_counts(conn) == COUNTS["051"]


def test_failed_file_leaves_nothing_and_line_counts_characters(
    pg_server: Server, tmp_path: Path
) -> None:
    path = tmp_path / "010_broken.sql"
    path.write_text(
        "-- Điều 45: ố ầ ữ, multibyte text before the error\n"
        "BEGIN;\n"
        "CREATE TABLE kept_out (id int);\n"
        "SELECT 'Điều', 'public.no_such_table'::regclass;\n"
        "COMMIT;\n",
        encoding="utf-8",
    )
    with templates.database(pg_server, "dieu45_line") as name:
        with pytest.raises(reference.MigrationFailed) as failed:
            reference.apply_sql_file(pg_server.conninfo(name), path)
        with connect(pg_server.conninfo(name)) as conn:
            assert value(conn, "SELECT to_regclass('kept_out')") is None
    assert str(failed.value) == f'{path}:4: relation "public.no_such_table" does not exist'


def test_error_without_position_names_the_line_of_the_block_that_raised(
    pg_server: Server, tmp_path: Path
) -> None:
    path = tmp_path / "010_guard.sql"
    path.write_text(
        "BEGIN;\nDO $$ BEGIN RAISE EXCEPTION 'precondition failed'; END $$;\nCOMMIT;\n",
        encoding="utf-8",
    )
    with (
        templates.database(pg_server, "dieu45_guard") as name,
        pytest.raises(reference.MigrationFailed) as failed,
    ):
        reference.apply_sql_file(pg_server.conninfo(name), path)
    assert failed.value.line == 2
    assert str(failed.value) == (
        f"{path}:2: precondition failed (PL/pgSQL function inline_code_block line 1 at RAISE)"
    )


def test_chain_files_up_to_a_state(fixtures_dir: Path, tmp_path: Path) -> None:
    names = [p.name for p in reference.chain_files(fixtures_dir, upto="051")]
    assert names == ["000_world.sql", "050_phase1.sql", "051_phase2.sql"]
    assert len(reference.chain_files(fixtures_dir)) == 5
    with pytest.raises(reference.ChainError, match=r"no state '999'.*000, 050, 051, 052, 053"):
        reference.chain_files(fixtures_dir, upto="999")
    (tmp_path / "README.md").write_text("not a chain file")
    with pytest.raises(reference.ChainError) as empty:
        reference.chain_files(tmp_path)
    assert empty.value.exit_code == 2


# ------------------------------------------------------------------------------------------
# Seed 001: Phase 2's bounded proofs and refusals, on state 051.
# ------------------------------------------------------------------------------------------
def test_reaper_resets_a_stale_lease_with_backoff(phase2: psycopg.Connection[Any]) -> None:
    set_gates(phase2, substrate="true", reaper="true", dry_run_only="false")
    job = insert_leased_job(phase2, attempts=0, lease_age="10 minutes")
    preview = value(phase2, "SELECT fn_job_reap_stale_leases_dry_run(10)")
    assert preview["stale_count"] == 1
    assert preview["jobs"][0]["would_action"] == "retry_waiting"

    result = value(phase2, "SELECT fn_job_reap_stale_leases_apply('phase2_proof', 10)")
    assert result["refused"] is False
    assert result["jobs"] == [
        {
            "job_id": job,
            "action": "retry_waiting",
            "attempts_before": 0,
            "attempts_after": 1,
            "backoff_sec": 10,
        }
    ]
    row = phase2.execute(
        "SELECT state, attempts, lease_owner, round(extract(epoch FROM run_after - now()))"
        " FROM job_queue WHERE id = %s",
        (job,),
    ).fetchone()
    assert row == ("retry_waiting", 1, None, 10)


def test_reaper_dead_letters_at_max_attempts(phase2: psycopg.Connection[Any]) -> None:
    set_gates(phase2, substrate="true", reaper="true", dry_run_only="false")
    job = insert_leased_job(phase2, attempts=4, lease_age="1 hour")
    result = value(phase2, "SELECT fn_job_reap_stale_leases_apply('phase2_proof')")
    (moved,) = result["jobs"]
    assert (moved["action"], moved["attempts_before"], moved["attempts_after"]) == (
        "dead_letter",
        4,
        5,
    )
    assert value(phase2, "SELECT count(*) FROM job_queue WHERE id = %s", (job,)) == 0
    row = phase2.execute(
        "SELECT id::text, attempts, triage_status FROM job_dead_letter WHERE source_job_id = %s",
        (job,),
    ).fetchone()
    assert row == (moved["dead_letter_id"], 5, "pending")


def _dead_letter(conn: psycopg.Connection[Any], key: str | None = None) -> str:
    set_gates(conn, substrate="true", reaper="true", dry_run_only="false")
    insert_leased_job(conn, attempts=4, lease_age="1 hour", key=key)
    result = value(conn, "SELECT fn_job_reap_stale_leases_apply('phase2_proof')")
    return str(result["jobs"][0]["dead_letter_id"])


def test_triage_pending_to_acknowledged(phase2: psycopg.Connection[Any]) -> None:
    dead = _dead_letter(phase2)
    result = value(
        phase2,
        "SELECT fn_job_dead_letter_triage_update(%s, 'acknowledged', 'phase2_proof', 'seen')",
        (dead,),
    )
    assert result["refused"] is False
    assert (result["triage_status_before"], result["triage_status_after"]) == (
        "pending",
        "acknowledged",
    )
    assert value(phase2, "SELECT triage_status FROM job_dead_letter WHERE id = %s", (dead,)) == (
        "acknowledged"
    )


def test_requeue_dry_run_refused_by_replay_gate(phase2: psycopg.Connection[Any]) -> None:
    dead = _dead_letter(phase2, key="doc-42")
    result = value(phase2, "SELECT fn_job_dead_letter_requeue_dry_run(%s)", (dead,))
    assert result["would_action"] == "refused: queue.dlq.replay_enabled=false"
    assert result["replay_gate_enabled"] is False
    assert result["idempotency_collision"] is False
    assert value(phase2, "SELECT count(*) FROM job_queue") == 0, "a dry run enqueues nothing"

    set_gates(phase2, replay="true")
    value(phase2, "SELECT fn_job_enqueue('proof_job', '{}', 'doc-42')")
    collided = value(phase2, "SELECT fn_job_dead_letter_requeue_dry_run(%s)", (dead,))
    assert collided["idempotency_collision"] is True
    assert collided["would_action"] == "refused: triage_status=pending (manual_replay required)"


def test_ack_of_a_fresh_lease_succeeds(phase2: psycopg.Connection[Any]) -> None:
    set_gates(phase2, substrate="true")
    job = insert_leased_job(phase2, attempts=0, lease_age="-5 minutes")
    result = value(phase2, "SELECT fn_job_ack(%s, 'proof_worker', '{\"ok\": true}')", (job,))
    assert result == {"refused": False, "job_id": job, "state": "succeeded", "attempts": 0}
    assert value(phase2, "SELECT state FROM job_queue WHERE id = %s", (job,)) == "succeeded"


def test_heartbeat_tick_accepted_and_stale_check_classifies(
    phase2: psycopg.Connection[Any],
) -> None:
    tick = value(
        phase2, "SELECT fn_queue_heartbeat_tick('phase2_proof_executor', 'external_worker')"
    )
    assert tick["refused"] is False
    assert tick["ticks_total"] == 1
    stale = value(phase2, "SELECT fn_queue_stale_check()")
    assert stale["stale_count"] == 1
    assert [e["executor_name"] for e in stale["stale_executors"]] == ["iu_outbound_default"]
    health = phase2.execute(
        "SELECT executors_total, executors_fresh, executors_stale FROM v_queue_health"
    ).fetchone()
    assert health == (2, 1, 1)


@pytest.mark.parametrize(
    ("gates", "call", "expected"),
    [
        (
            {},
            "fn_queue_heartbeat_register_passive('iu_outbound_default', 'PG_worker', now(),"
            " 'phase2_proof', NULL)",
            {
                "refused": True,
                "reason": "already_registered",
                "executor_name": "iu_outbound_default",
            },
        ),
        (
            {},
            "fn_job_dead_letter_triage_update(gen_random_uuid(), 'resolved', 'phase2_proof')",
            {
                "refused": True,
                "reason": "invalid_triage_status",
                "value": "resolved",
                "allowed": ["pending", "acknowledged", "manual_replay", "escalated", "closed"],
            },
        ),
        (
            {"substrate": "true", "reaper": "true", "dry_run_only": "false"},
            "fn_job_reap_stale_leases_apply('')",
            {"refused": True, "reason": "actor_required"},
        ),
        (
            {"substrate": "true", "reaper": "true"},
            "fn_job_reap_stale_leases_apply('phase2_proof')",
            {"refused": True, "reason": "queue.lease.reaper_dry_run_only=true"},
        ),
        (
            {"substrate": "true"},
            "fn_job_reap_stale_leases_apply('phase2_proof')",
            {"refused": True, "reason": "queue.lease.reaper_enabled=false"},
        ),
        (
            {},
            "fn_job_reap_stale_leases_apply('phase2_proof')",
            {"refused": True, "reason": "queue.job_substrate.enabled=false"},
        ),
        (
            {},
            "fn_job_dead_letter_triage_update("
            "'00000000-0000-0000-0000-000000000000', 'closed', 'phase2_proof')",
            {
                "refused": True,
                "reason": "not_found",
                "dead_letter_id": "00000000-0000-0000-0000-000000000000",
            },
        ),
        (
            {},
            "fn_job_dead_letter_requeue_dry_run('00000000-0000-0000-0000-000000000000')",
            {
                "refused": True,
                "reason": "not_found",
                "dead_letter_id": "00000000-0000-0000-0000-000000000000",
            },
        ),
    ],
    ids=[
        "already_registered",
        "invalid_triage_status",
        "actor_required",
        "dry_run_only_gate",
        "reaper_enabled_gate",
        "job_substrate_gate",
        "not_found_triage",
        "not_found_requeue",
    ],
)
def test_phase2_refusals(
    phase2: psycopg.Connection[Any], gates: dict[str, str], call: str, expected: dict[str, Any]
) -> None:
    set_gates(phase2, **gates)
    assert value(phase2, f"SELECT {call}") == expected


def test_payload_denylist_blocks_vector(phase2: psycopg.Connection[Any]) -> None:
    set_gates(phase2, substrate="true")
    with pytest.raises(errors.CheckViolation) as blocked:
        phase2.execute("SELECT fn_job_enqueue('proof_job', '{\"vector\": [1, 2, 3]}')")
    assert blocked.value.diag.constraint_name == "job_queue_payload_safe_check"


def test_rollback_restores_the_phase2_state(chain: Chain) -> None:
    with connect(chain.phase2) as conn:
        set_gates(conn, substrate="true", reaper="true", dry_run_only="false")
        insert_leased_job(conn, attempts=4, lease_age="1 hour")
        value(conn, "SELECT fn_job_reap_stale_leases_apply('phase2_proof')")
        value(conn, "SELECT fn_queue_heartbeat_tick('phase2_proof_executor', 'Codex')")
        conn.rollback()
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM job_queue), (SELECT count(*) FROM job_dead_letter),"
            " (SELECT count(*) FROM queue_heartbeat)"
        ).fetchone()
        gates = dict(conn.execute("SELECT key, value FROM dot_config WHERE key LIKE 'queue.%'"))
        conn.rollback()
    assert counts == (0, 0, 1)
    assert gates["queue.job_substrate.enabled"] == "false"
    assert gates["queue.lease.reaper_dry_run_only"] == "true"


# ------------------------------------------------------------------------------------------
# Phase 1 facts the later phases lean on.
# ------------------------------------------------------------------------------------------
def test_backoff_doubles_from_ten_seconds_and_caps_at_two_to_the_ten(
    phase2: psycopg.Connection[Any],
) -> None:
    got = [value(phase2, "SELECT fn_job_backoff_seconds(%s)", (n,)) for n in (1, 2, 3, 11, 20)]
    assert got == [10, 20, 40, 10_240, 10_240]


def test_fail_or_retry_then_dead_letter(phase2: psycopg.Connection[Any]) -> None:
    set_gates(phase2, substrate="true")
    job = insert_leased_job(phase2, attempts=1, lease_age="-5 minutes")
    retry = value(phase2, "SELECT fn_job_fail_or_retry(%s, 'proof_worker', 'boom')", (job,))
    assert (retry["action"], retry["attempts"], retry["backoff_sec"]) == ("retry_waiting", 2, 20)
    phase2.execute(
        "UPDATE job_queue SET state = 'leased', attempts = 4, lease_owner = 'proof_worker',"
        " lease_until = now() + interval '5 minutes' WHERE id = %s",
        (job,),
    )
    dead = value(phase2, "SELECT fn_job_fail_or_retry(%s, 'proof_worker', 'boom')", (job,))
    assert (dead["action"], dead["attempts"]) == ("dead_letter", 5)


def test_enqueue_deduplicates_on_the_idempotency_key(phase2: psycopg.Connection[Any]) -> None:
    set_gates(phase2, substrate="true")
    first = value(phase2, "SELECT fn_job_enqueue('mark_file', '{}', 'docs/a.md')")
    again = value(phase2, "SELECT fn_job_enqueue('mark_file', '{}', 'docs/a.md')")
    assert (first["deduplicated"], again["deduplicated"]) == (False, True)
    assert again["job_id"] == first["job_id"]


def test_executor_kind_check_excludes_mot(phase2: psycopg.Connection[Any]) -> None:
    with pytest.raises(errors.CheckViolation) as refused:
        phase2.execute("SELECT fn_queue_heartbeat_tick('mot_runtime', 'MOT')")
    assert refused.value.diag.constraint_name == "queue_heartbeat_kind_check"


def test_claim_skips_rows_locked_by_another_claimer(pg_server: Server, chain: Chain) -> None:
    with templates.database(pg_server, "dieu45_claim", template=_dbname(chain.phase2)) as name:
        conninfo = pg_server.conninfo(name)
        with connect(conninfo, autocommit=True) as setup:
            set_gates(setup, substrate="true", worker="true")
            value(setup, "SELECT fn_job_enqueue('proof_job', '{\"n\": 1}', 'one')")
            value(setup, "SELECT fn_job_enqueue('proof_job', '{\"n\": 2}', 'two')")
        with connect(conninfo) as first, connect(conninfo) as second:
            second.execute("SET lock_timeout = '2s'")
            claim = "SELECT fn_job_claim(%s)"
            got_first = value(first, claim, ("worker_a",))["jobs"]
            got_second = value(second, claim, ("worker_b",))["jobs"]
            third = value(second, claim, ("worker_b",))
            first.rollback()
            second.rollback()
    assert len(got_first) == len(got_second) == 1
    assert got_first[0]["job_id"] != got_second[0]["job_id"]
    assert third["claimed"] == 0


# ------------------------------------------------------------------------------------------
# Seed 000: Phase 3B's wrapper, refusals, positive tick and "no false heal", on state 053.
# ------------------------------------------------------------------------------------------
def _seed_function() -> str:
    if not SEED_000.is_file():
        pytest.skip(f"seed document not found at {SEED_000}")
    text = SEED_000.read_text(encoding="utf-8")
    match = re.search(
        r"CREATE OR REPLACE FUNCTION fn_queue_heartbeat_ping_external\(.*?\$fn\$;", text, re.S
    )
    assert match is not None
    return match.group(0)


def test_ping_external_is_the_seed_source(
    phase3b: psycopg.Connection[Any], fixtures_dir: Path
) -> None:
    source = _seed_function()
    (path,) = fixtures_dir.glob("053_*.sql")
    assert source in path.read_text(encoding="utf-8")
    body = source.split("$fn$")[1]
    row = phase3b.execute(
        "SELECT prosrc, prosecdef, proconfig FROM pg_proc"
        " WHERE oid = 'fn_queue_heartbeat_ping_external(text,text,text,jsonb)'::regprocedure"
    ).fetchone()
    assert row == (body, True, ["search_path=pg_catalog, public"])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("iu_outbound_default", "PG_worker", "ok", "{}"),
            {
                "refused": True,
                "reason": "protected_legacy_silent_passive",
                "message": PROTECTED_MESSAGE,
            },
        ),
        (
            ("test_ext_caller_phase3b", "BogusKind", "ok", "{}"),
            {
                "refused": True,
                "reason": "executor_kind_not_in_vocab",
                "value": "BogusKind",
                "allowed": EXECUTOR_KINDS,
            },
        ),
        (
            ("test_ext_caller_phase3b", "external_worker", "bogus_status", "{}"),
            {"refused": True, "reason": "status_not_in_vocab", "value": "bogus_status"},
        ),
        (
            ("", "external_worker", "ok", "{}"),
            {"refused": True, "reason": "executor_name_required"},
        ),
    ],
    ids=["protected_legacy", "kind_not_in_vocab", "status_not_in_vocab", "name_required"],
)
def test_ping_refusals(
    phase3b: psycopg.Connection[Any], args: tuple[str, ...], expected: dict[str, Any]
) -> None:
    assert value(phase3b, PING, args) == expected


def test_ping_metadata_denylist_is_a_constraint_error(phase3b: psycopg.Connection[Any]) -> None:
    args = ("test_ext_caller_phase3b", "external_worker", "ok", '{"vector": [1, 2, 3]}')
    with pytest.raises(errors.CheckViolation) as blocked:
        phase3b.execute(PING, args)
    assert blocked.value.diag.constraint_name == "queue_heartbeat_metadata_safe_check"


def test_ping_refused_when_heartbeat_gate_is_off(phase3b: psycopg.Connection[Any]) -> None:
    set_gates(phase3b, heartbeat="false")
    args = ("test_ext_caller_phase3b", "external_worker", "ok", "{}")
    assert value(phase3b, PING, args) == {
        "refused": True,
        "reason": "queue.heartbeat.enabled=false",
    }


def test_positive_tick_then_rollback_heals_nothing(chain: Chain) -> None:
    with connect(chain.phase3b) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        conn.execute("SET LOCAL app.heartbeat_actor = 'workflow_admin'")
        args = (
            "phase3b_synthetic_external",
            "external_worker",
            "ok",
            '{"probe": "phase3b_safe_caller_proof"}',
        )
        result = value(conn, PING, args)
        inside = value(conn, "SELECT count(*) FROM queue_heartbeat")
        metadata = value(
            conn,
            "SELECT metadata FROM queue_heartbeat WHERE executor_name = %s",
            ("phase3b_synthetic_external",),
        )
        conn.rollback()
        after = value(conn, "SELECT count(*) FROM queue_heartbeat")
        marker = conn.execute(
            "SELECT last_tick_at, ticks_total, last_tick_status, metadata ->> 'marker'"
            " FROM queue_heartbeat WHERE executor_name = 'iu_outbound_default'"
        ).fetchone()
        stale = value(conn, "SELECT fn_queue_stale_check()")
        conn.rollback()

    assert sorted(result) == sorted(
        [
            "refused", "wrapper", "ticks_total", "last_tick_at", "executor_kind",
            "executor_name", "last_tick_status",
        ]
    )  # fmt: skip
    assert {k: v for k, v in result.items() if k != "last_tick_at"} == {
        "refused": False,
        "wrapper": "fn_queue_heartbeat_ping_external",
        "ticks_total": 1,
        "executor_kind": "external_worker",
        "executor_name": "phase3b_synthetic_external",
        "last_tick_status": "ok",
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00", result["last_tick_at"])
    assert inside == 3
    assert {k: v for k, v in metadata.items() if k != "ping_at"} == {
        "probe": "phase3b_safe_caller_proof",
        "ping_actor": "workflow_admin",
        "ping_origin": "external_operator",
        "ping_function": "fn_queue_heartbeat_ping_external",
    }
    assert after == 2
    assert marker == (
        datetime(2026, 5, 22, 11, 31, 41, 928657, tzinfo=UTC),
        0,
        "warn",
        "legacy_silent_passive",
    )
    assert stale["stale_count"] == 2
    assert stale["threshold_seconds"] == 300
    assert [e["executor_name"] for e in stale["stale_executors"]] == [
        "iu_outbound_default",
        "dieu45_phase3_pilot",
    ]


def test_stale_check_lists_the_silent_gap_and_the_pilot(phase3b: psycopg.Connection[Any]) -> None:
    stale = value(phase3b, "SELECT fn_queue_stale_check()")
    ages = phase3b.execute(
        "SELECT floor(extract(epoch FROM now() - last_tick_at))::bigint FROM queue_heartbeat"
        " ORDER BY last_tick_at"
    ).fetchall()
    assert stale == {
        "stale_count": 2,
        "threshold_seconds": 300,
        "stale_executors": [
            {
                "executor_name": "iu_outbound_default",
                "executor_kind": "PG_worker",
                "age_seconds": ages[0][0],
                "last_tick_at": SILENT_GAP_AT,
                "ticks_total": 0,
                "last_tick_status": "warn",
                "is_stale": True,
            },
            {
                "executor_name": "dieu45_phase3_pilot",
                "executor_kind": "external_worker",
                "age_seconds": ages[1][0],
                "last_tick_at": "2026-05-26T15:17:39.389501+00:00",
                "ticks_total": 2,
                "last_tick_status": "ok",
                "is_stale": True,
            },
        ],
    }


def test_route_consumer_dry_run_previews_without_writing(
    phase3b: psycopg.Connection[Any],
) -> None:
    preview = value(phase3b, "SELECT fn_route_consumer_dry_run('iu_outbound_default', 3)")
    assert preview["dry_run"] is True
    assert preview["substrate_enabled"] is False
    assert preview["pending_events"] == value(
        phase3b,
        "SELECT pending_events FROM v_iu_route_worker_status"
        " WHERE worker_name = 'iu_outbound_default'",
    )
    assert [job["job_kind"] for job in preview["would_enqueue"]] == ["iu_outbound_dispatch"] * 3
    assert (
        value(
            phase3b,
            "SELECT provolatile FROM pg_proc WHERE proname = %s",
            ("fn_route_consumer_dry_run",),
        )
        == "s"
    )
    assert value(phase3b, "SELECT fn_route_consumer_dry_run('nobody')") == {
        "refused": True,
        "reason": "unknown_consumer",
        "consumer": "nobody",
    }


# ------------------------------------------------------------------------------------------
# The files through psql itself, counted independently of the Python loader.
# ------------------------------------------------------------------------------------------
def test_psql_builds_the_chain_and_the_documented_counts(
    pg_server: Server, fixtures_dir: Path
) -> None:
    # psql beside the server binaries, else any psql (the embedded servers bring none; a
    # client of another major runs plain SQL files the same way).
    beside = pg_server.bindir / "psql" if pg_server.bindir else None
    psql = str(beside) if beside and beside.exists() else shutil.which("psql")
    if psql is None:
        pytest.skip("no psql beside the server binaries or on PATH")
    with templates.database(pg_server, "dieu45_psql") as name:
        conninfo = pg_server.conninfo(name)
        for path in reference.chain_files(fixtures_dir):
            run = subprocess.run(
                [psql, "-v", "ON_ERROR_STOP=1", "-X", "-q", "-f", str(path), conninfo],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            assert run.returncode == 0, run.stderr
            state = path.name[:3]
            if state in ("050", "051"):
                counted = subprocess.run(
                    [psql, "-X", "-At", "-F", " ", "-c", COUNTS_SQL, "-c", HEARTBEAT_ROWS_SQL,
                     conninfo],
                    capture_output=True,
                    text=True,
                    timeout=60,
                    check=True,
                ).stdout.split()  # fmt: skip
                numbers = [int(n) for n in counted]
                assert (*numbers[:5], numbers[7], *numbers[5:7]) == COUNTS[state]
