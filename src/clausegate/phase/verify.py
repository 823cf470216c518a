"""`verify`: a live database judged against a before snapshot file, reading only (READ
ONLY transactions; the probes rolled back)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from clausegate import snapshot
from clausegate.checks import advances
from clausegate.migration import MigrationText, read_migration
from clausegate.phase import outside
from clausegate.phase.capture import run_probes, take_snapshot
from clausegate.phase.deferred import DeferredReads
from clausegate.phase.judging import JudgingInputs, _outside_changes, evidence_of, judge_all
from clausegate.phase.model import PhaseRun, timed
from clausegate.phase.plan import live_probes, plan_probes, plan_queries
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
    say: Callable[[str], None] = print,
    deferred: DeferredReads | None = None,
) -> None:
    """After, diff, probes, post-probe snapshot, then judge: shared by gate and verify.
    With `watch` (a gate on clausegate's own cluster) and `others` (a gate's other
    databases), what the migration and then the probes did outside the database counts as
    changes too. `say` takes what the user must read before the probes run (a verify's
    probe that will advance a sequence on the live database). `deferred` (a gate): the
    row-by-row queries read only for the tables whose content changed."""
    spec = run.spec
    probes = probes if probes is not None else plan_probes(spec)
    with timed(run, "snapshot after"):
        after = take_snapshot(conninfo, deferred.eager(queries) if deferred else queries, probes)
    if deferred is not None:
        with timed(run, "rows of the tables that changed"):
            read = deferred.read_changed(before, after, conninfo)
        note = _deferred_note(deferred, read)
        if note:
            run.notes.append(note)
    run.snapshots["after"] = after
    run.outside.migration = _outside_changes(watch, others)
    withhold: dict[str, str] = {}
    if run.mode == "verify":
        plan = advances.live_plan(spec, after)
        withhold = plan.withheld
        for line in plan.warnings:
            say(f"clausegate verify: {line}")
        run.notes.extend(plan.warnings)
        run.notes.extend(f"not run on the live database: {c}: {why}" for c, why in withhold.items())
    with timed(run, "probes"):
        run.probe_runs = run_probes(spec, conninfo, withhold)
    # Inertness compares catalog, data probes and config rows: of the spec's own queries
    # only the config one is read again.
    with timed(run, "snapshot after probes"):
        post = take_snapshot(conninfo, {k: q for k, q in queries.items() if k == "config"}, probes)
    run.snapshots["post-probes"] = post
    run.outside.probes = _outside_changes(watch, others)
    run.queries, run.before_source = dict(queries), before_source
    inputs = JudgingInputs(
        spec=spec,
        mode=run.mode,
        snapshots=run.snapshots,
        queries=queries,
        probe_runs=run.probe_runs,
        outside=run.outside,
        before_source=before_source,
        migration=run.migration_text,
        no_migration=run.no_migration,
    )
    with timed(run, "diff"):
        run.evidence = evidence_of(inputs)
    judge_all(run)


def _deferred_note(deferred: DeferredReads, read: list[str]) -> str:
    tables = sorted({deferred.reads[query].name for query in deferred.reads})
    changed = sorted({deferred.reads[query].name for query in read})
    if not tables:
        return ""
    if not changed:
        return (
            f"rows_touched read no row one by one: the content of {', '.join(tables)} did not "
            "change (the same content hash before and after, no row written)"
        )
    return (
        f"rows_touched read the rows of {', '.join(changed)} one by one (their content "
        "changed), from a fresh copy of the before state and from the state after"
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
    server: Server,
    spec: Spec,
    *,
    before_file: Path,
    migration: Path | None = None,
    say: Callable[[str], None] = print,
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
        run,
        conninfo,
        before,
        queries,
        f"the before snapshot {before_file}",
        probes=probes,
        say=say,
    )
    return run
