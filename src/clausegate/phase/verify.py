"""`verify`: a live database judged against a before snapshot file, reading only (READ
ONLY transactions; the probes rolled back)."""

from __future__ import annotations

from pathlib import Path

from clausegate import snapshot
from clausegate.checks.evidence import (
    Evidence,
)
from clausegate.migration import MigrationText, read_migration
from clausegate.phase import outside
from clausegate.phase.capture import run_probes, take_snapshot
from clausegate.phase.judging import (
    _outside_changes,
    _unhashed,
    _unreadable,
    changes_between,
    judge_all,
)
from clausegate.phase.model import PhaseRun, timed
from clausegate.phase.plan import live_probes, plan_probes, plan_queries, tolerated_sequences
from clausegate.snapshot import Snapshot
from clausegate.spec import Spec
from clausegate.targets import Server


def evaluate_live(
    run: PhaseRun,
    conninfo: str,
    before: Snapshot,
    queries: dict[str, str],
    before_source: str = "the before snapshot",
    probes: snapshot.DataProbes | None = None,
    watch: outside.Watch | None = None,
    others: outside.OtherDatabases | None = None,
) -> None:
    """After, diff, probes, post-probe snapshot, then judge: shared by gate and verify.
    With `watch` (a gate on clausegate's own cluster) and `others` (a gate's other
    databases), what the migration and then the probes did outside the database counts as
    changes too."""
    spec = run.spec
    probes = probes if probes is not None else plan_probes(spec)
    with timed(run, "snapshot after"):
        after = take_snapshot(conninfo, queries, probes)
    run.snapshots["after"] = after
    with timed(run, "diff"):
        changes = changes_between(spec, before, after, data_probes=True)
        changes.extend(_outside_changes(watch, others))
    with timed(run, "probes"):
        runs = run_probes(spec, conninfo)
    # Inertness compares catalog, data probes and config rows: of the spec's own queries
    # only the config one is read again.
    with timed(run, "snapshot after probes"):
        post = take_snapshot(conninfo, {k: q for k, q in queries.items() if k == "config"}, probes)
    run.snapshots["post-probes"] = post
    inert = changes_between(spec, after, post, data_probes=True)
    inert.extend(_outside_changes(watch, others))
    live = run.mode == "verify"
    run.evidence = Evidence(
        spec=spec,
        before=before.get("spec_queries", {}),
        after=after.get("spec_queries", {}),
        changes=changes,
        queries=queries,
        runs=runs.single,
        table_runs=runs.tables,
        inert=inert,
        query_errors={**before.get("spec_query_errors", {}), **after.get("spec_query_errors", {})},
        before_source=before_source,
        unreadable={
            name: _unreadable(spec, taken) | (_unhashed(before, after) if name == "before" else {})
            for name, taken in run.snapshots.items()
        },
        # Background traffic exists on a live database only: in a gate no other session
        # writes, so every sequence advanced and every row counted is the migration's.
        tolerated=tolerated_sequences(spec, before, after) if live else {},
        inert_tolerated=tolerated_sequences(spec, after, post) if live else {},
        background_traffic=live,
        snapshots=dict(run.snapshots),
        migration=run.migration_text,
        no_migration=run.no_migration,
        foreign_tables=foreign_tables(before),
    )
    judge_all(run)


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


def read_text(path: Path) -> tuple[MigrationText | None, str]:
    """The migration file read as statements, or why it could not be read."""
    try:
        return read_migration(path), ""
    except OSError as exc:
        return None, f"cannot read {path}: {exc.strerror or exc}"
    except Exception as exc:  # the parser's own failure: the checks that need it are BROKEN
        return None, f"{path}: the parser failed: {type(exc).__name__}: {exc}"


def verify(
    server: Server, spec: Spec, *, before_file: Path, migration: Path | None = None
) -> PhaseRun:
    """Judge a live database after an apply; "before" comes from a snapshot file, and
    the text of what was applied from `migration` (the file that was applied)."""
    run = PhaseRun(spec, "verify", server.label, server.version, migration)
    if migration is not None:
        run.migration_text, run.no_migration = read_text(migration)
    else:
        run.no_migration = (
            "verify was given no migration file; pass the file that was applied with "
            "`clausegate verify … --migration FILE`"
        )
    before = snapshot.load(before_file)
    run.snapshots["before"] = before
    conninfo = server.conninfo()
    queries = plan_queries(spec, conninfo)
    probes, left_out = live_probes(spec, conninfo)
    run.notes.append(outside.LIVE_BLIND_SPOTS)
    run.notes.extend(f"not content-hashed: {table}: {why}" for table, why in left_out.items())
    evaluate_live(
        run, conninfo, before, queries, f"the before snapshot {before_file}", probes=probes
    )
    return run
