"""baselines/dieu45/: the snapshot of the reference database after each fixture file.

Each baseline must equal a fresh snapshot of the rebuilt chain (so a fixture edit that is
not re-baselined fails here), and the diff from 050 to 051 must list exactly what seed 001
says Phase 2 did, and nothing else. Regenerate the files after a deliberate fixture change
with `CLAUSEGATE_UPDATE_BASELINES=1 .venv/bin/pytest tests/test_baselines.py`. They hold the
database's part of each snapshot: the cluster section (roles, tablespaces, configuration
files) belongs to whichever server the suite builds the chain on, and is left out.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clausegate import snapshot
from clausegate.db import reference, templates
from clausegate.diff import diff
from clausegate.targets import Server
from tests.cli import ROOT, clausegate

# Each major's snapshot of the chain must equal the baselines: a major's way of recording
# the catalog (PostgreSQL 18's NOT NULL constraints, say) is no change.
pytestmark = pytest.mark.every_major

BASELINES = ROOT / "baselines" / "dieu45"
FIXTURES = ROOT / "fixtures" / "dieu45"
UPDATE = os.environ.get("CLAUSEGATE_UPDATE_BASELINES") == "1"

# Seed 001: "5 new functions", "4 new dot_config keys", queue.heartbeat.enabled flipped to
# true, and one queue_heartbeat row: the passive marker of iu_outbound_default.
PHASE2_FUNCTIONS = {
    "public.fn_job_dead_letter_requeue_dry_run(uuid)",
    "public.fn_job_dead_letter_triage_update(uuid, text, text, text)",
    "public.fn_job_reap_stale_leases_apply(text, integer)",
    "public.fn_job_reap_stale_leases_dry_run(integer)",
    "public.fn_queue_heartbeat_register_passive(text, text, timestamp with time zone, text, text)",
}
PHASE2_KEYS = {
    "queue.dlq.replay_enabled",
    "queue.lease.reaper_dry_run_only",
    "queue.lease.reaper_enabled",
    "queue.runtime.phase",
}


def baseline(state: str) -> Path:
    return BASELINES / f"{state}.json"


@pytest.fixture(scope="module")
def states(pg_server: Server) -> Iterator[dict[str, snapshot.Snapshot]]:
    """A fresh snapshot after each fixture file, applied one by one to one database."""
    probes = snapshot.load_data_probes(BASELINES / "probes.yaml")
    taken: dict[str, snapshot.Snapshot] = {}
    with templates.database(pg_server, "cg_baselines") as name:
        conninfo = pg_server.conninfo(name)
        for path in reference.chain_files(FIXTURES):
            reference.apply_sql_file(conninfo, path)
            taken[path.name[:3]] = snapshot.capture(conninfo, probes)
    if UPDATE:
        for state, fresh in taken.items():
            snapshot.save(database_part(fresh), baseline(state))
    yield {state: database_part(fresh) for state, fresh in taken.items()}


def database_part(taken: snapshot.Snapshot) -> snapshot.Snapshot:
    """The snapshot without its cluster section: the roles, tablespaces and settings of
    the server the suite builds the chain on are the suite's, not the reference state's."""
    return {**taken, "cluster": {}}


def load_baseline(state: str) -> snapshot.Snapshot:
    return database_part(snapshot.load(baseline(state)))


def test_there_is_a_baseline_for_each_fixture_file() -> None:
    expected = {f"{state}.json" for state in reference.states(FIXTURES)}
    assert {path.name for path in BASELINES.glob("*.json")} == expected


@pytest.mark.parametrize("state", reference.states(FIXTURES))
def test_the_baseline_equals_a_fresh_snapshot(
    state: str, states: dict[str, snapshot.Snapshot]
) -> None:
    lines = [change.line for change in diff(load_baseline(state), states[state])]
    assert lines == [], "re-baseline after a deliberate fixture change (see module docstring)"


def rows_of(snap: snapshot.Snapshot, probe: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = snap["probes"]["rows"][probe]["rows"]
    return rows


def test_phase2_changed_exactly_what_seed_001_says(states: dict[str, snapshot.Snapshot]) -> None:
    before, after = states["050"], states["051"]
    changes = diff(before, after)
    functions = {c.identity for c in changes if c.kind == "functions" and c.action == "added"}
    assert functions == PHASE2_FUNCTIONS
    others = {(c.section, c.kind, c.identity) for c in changes if c.kind != "functions"}
    assert others == {
        ("probes", "content_hash", "public.dot_config"),
        ("probes", "rows", "dot_config"),
        ("probes", "rows", "queue_heartbeat"),
    }
    config_before = {r["key"]: r["value"] for r in rows_of(before, "dot_config")}
    config_after = {r["key"]: r["value"] for r in rows_of(after, "dot_config")}
    assert config_after.keys() - config_before.keys() == PHASE2_KEYS
    assert config_before.keys() <= config_after.keys()
    flipped = {k for k in config_before if config_before[k] != config_after[k]}
    assert flipped == {"queue.heartbeat.enabled"}
    assert (config_before["queue.heartbeat.enabled"], config_after["queue.heartbeat.enabled"]) == (
        "false",
        "true",
    )
    assert rows_of(before, "queue_heartbeat") == []
    [marker] = rows_of(after, "queue_heartbeat")
    assert marker["executor_name"] == "iu_outbound_default"


def test_clausegate_diff_of_the_050_and_051_baselines_lists_those_changes() -> None:
    result = clausegate("diff", str(baseline("050")), str(baseline("051")))
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(PHASE2_FUNCTIONS) + 3, result.stdout
    assert sum(line.startswith("function ") for line in lines) == len(PHASE2_FUNCTIONS)
    assert 'key=queue.heartbeat.enabled: value "false" → "true"' in result.stdout
