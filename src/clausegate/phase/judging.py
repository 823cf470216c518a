"""From two snapshots to verdicts: the changes between them (catalog, data, what lies
outside the database) and every check judged through its kind."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from clausegate import checks, diff, snapshot
from clausegate.checks.evidence import (
    ChangeLike,
    Evidence,
    config_changes,
    qualified,
    unreadable_of,
)
from clausegate.checks.judge import judge
from clausegate.checks.verdict import Verdict, broken
from clausegate.migration import MigrationText
from clausegate.phase import outside
from clausegate.phase.model import OutsideChanges, PhaseRun, ProbeRuns
from clausegate.phase.plan import tolerated_sequences
from clausegate.snapshot import Snapshot
from clausegate.spec import Check, Spec


@dataclass(frozen=True)
class JudgingInputs:
    """Everything a phase's checks are judged on, as a run captured it and as the evidence
    bundle keeps it (the snapshots, the probes' results, what changed outside the database):
    from these alone the same verdicts follow, in the run and in `evidence verify`."""

    spec: Spec
    mode: str  # gate or verify
    snapshots: Mapping[str, Snapshot]  # before, after, post-probes
    queries: Mapping[str, str]
    probe_runs: ProbeRuns
    outside: OutsideChanges = field(default_factory=lambda: OutsideChanges())
    before_source: str = "the before snapshot"
    migration: MigrationText | None = None
    no_migration: str = "no migration file was read"


def evidence_of(inputs: JudgingInputs) -> Evidence:
    """The Evidence the judges read, from what a run captured (nothing here reads a
    database)."""
    spec, taken = inputs.spec, inputs.snapshots
    before, after, post = taken["before"], taken["after"], taken["post-probes"]
    changes = changes_between(spec, before, after, data_probes=True)
    changes.extend(inputs.outside.migration)
    inert = changes_between(spec, after, post, data_probes=True)
    inert.extend(inputs.outside.probes)
    # Background traffic exists on a live database only: in a gate no other session
    # writes, so every sequence advanced and every row counted is the migration's.
    live = inputs.mode == "verify"
    return Evidence(
        spec=spec,
        before=before.get("spec_queries", {}),
        after=after.get("spec_queries", {}),
        changes=changes,
        queries=inputs.queries,
        runs=inputs.probe_runs.single,
        table_runs=inputs.probe_runs.tables,
        withheld=inputs.probe_runs.withheld,
        inert=inert,
        query_errors={**before.get("spec_query_errors", {}), **after.get("spec_query_errors", {})},
        before_source=inputs.before_source,
        unreadable={
            name: _unreadable(spec, snap)
            | (_unhashed(before, after) if name == "before" else {})
            | (_not_hashed(before, snap) if inputs.mode == "gate" else {})
            for name, snap in taken.items()
        },
        tolerated=tolerated_sequences(spec, before, after) if live else {},
        inert_tolerated=tolerated_sequences(spec, after, post) if live else {},
        background_traffic=live,
        snapshots=dict(taken),
        migration=inputs.migration,
        no_migration=inputs.no_migration,
        foreign_tables=foreign_tables(before),
    )


def foreign_tables(before: Snapshot) -> frozenset[str] | None:
    """The before state's foreign tables as `schema.name` (unquoted); None when its tables
    could not be read."""
    try:
        tables = snapshot.objects(before, "catalog", "tables")
    except (ValueError, KeyError):
        return None
    return frozenset(
        ".".join(snapshot.split_table(identity))
        for identity, table in tables.items()
        if table.get("kind") == "foreign table"
    )


def changes_between(spec: Spec, a: Snapshot, b: Snapshot, *, data_probes: bool) -> list[ChangeLike]:
    """Catalog, non-transactional and config-row changes; with `data_probes`, also the
    content hashes of named tables (for inertness: the migration itself may change rows
    of those tables, which its regression and forbidden rows judge)."""
    config = qualified(spec.config.table) if spec.config else None
    found: list[ChangeLike] = [
        change
        for change in diff.diff(a, b)
        if (data_probes or change.section != "probes")
        # The config table's rows are compared one by one, as changes of kind `row`.
        and not (change.kind == "content_hash" and change.identity == config)
        # A probe the before file lacks (verify) is no change of the database.
        and not (change.section == "probes" and change.action != "modified")
    ]
    probe = Evidence(spec, a.get("spec_queries", {}), b.get("spec_queries", {}), [])
    found.extend(config_changes(probe))
    return found


def judge_all(run: PhaseRun) -> None:
    assert run.evidence is not None
    run.verdicts.update(judge_every_check(run.spec, run.evidence))


def every_check(spec: Spec) -> tuple[Check, ...]:
    """The spec's checks and the implicit ones that apply to it (closed world, inertness)."""
    return (*spec.checks, *checks.implicit_checks(spec))


def judge_every_check(spec: Spec, ev: Evidence) -> dict[str, Verdict]:
    return {check.id: judge(check, ev) for check in every_check(spec)}


# What each check of a run that stopped before judging says: the cause is the run's fault,
# said once for the run (terminal, summary.md, junit.xml, Allure), never once per check.
NOT_JUDGED = "not judged: the run of this phase stopped before judging (the run's error says why)"


def all_broken(run: PhaseRun, reason: str) -> None:
    """The run stopped before its checks could be judged: `reason` is its fault, and every
    check is BROKEN as not judged."""
    run.fault = reason
    run.verdicts.update(not_judged(run.spec))


def not_judged(spec: Spec) -> dict[str, Verdict]:
    """Every check of a run that stopped before judging, BROKEN (never a PASS)."""
    return {check.id: broken(NOT_JUDGED) for check in every_check(spec)}


def _outside_changes(
    watch: outside.Watch | None, others: outside.OtherDatabases | None
) -> list[ChangeLike]:
    """What changed outside the database since the last call: files and processes of the
    cluster (where watched) and the catalogs of its other databases (in a gate)."""
    found: list[ChangeLike] = []
    for source in (watch, others):
        if source is not None:
            found.extend(source.changes())
    return found


def _unhashed(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, str]:
    """{part: why} for each table that existed before and is hashed after, but whose hash
    the before snapshot lacks (a file taken without `--spec`, or by an older clausegate):
    its rows were not compared, which must not read as unchanged."""
    hashed_before = before.get("probes", {}).get("content_hash", {})
    tables_before = {
        snapshot.split_table(identity) for identity in before.get("catalog", {}).get("tables") or {}
    }
    return {
        f"content_hash {name}": (
            "the before snapshot has no content hash of this table; take it with "
            "`clausegate snapshot --spec SPEC`"
        )
        for name, result in after.get("probes", {}).get("content_hash", {}).items()
        if name not in hashed_before and snapshot.split_table(result["table"]) in tables_before
    }


def _not_hashed(before: Mapping[str, Any], taken: Mapping[str, Any]) -> dict[str, str]:
    """{part: why} for each table of the before state, still there, that a gate's snapshot
    holds no content hash of: a gate hashes every user table, so one missing means its
    rows were not compared (a snapshot cut down by hand), which must not read as unchanged."""
    hashed = {
        snapshot.split_table(str(result.get("table", name)))
        for name, result in taken.get("probes", {}).get("content_hash", {}).items()
    }
    tables_now = set(taken.get("catalog", {}).get("tables") or {})
    return {
        f"content_hash {identity}": "this snapshot holds no content hash of the table, which "
        "a gate takes of every user table: its rows were not compared"
        for identity, table in (before.get("catalog", {}).get("tables") or {}).items()
        if identity in tables_now
        and table.get("kind") in ("table", "partitioned table")
        and table.get("persistence") != "temporary"
        and snapshot.split_table(identity) not in hashed
    }


def _unreadable(spec: Spec, taken: Snapshot) -> dict[str, str]:
    """What a snapshot could not read (see evaluate.unreadable_of)."""
    return unreadable_of(
        taken, spec, taken.get("spec_queries", {}), taken.get("spec_query_errors", {})
    )
