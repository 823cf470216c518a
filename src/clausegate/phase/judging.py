"""From two snapshots to verdicts: the changes between them (catalog, data, what lies
outside the database) and every check judged through its kind."""

from __future__ import annotations

from collections.abc import Mapping
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
from clausegate.checks.verdict import broken
from clausegate.phase import outside
from clausegate.phase.model import PhaseRun
from clausegate.snapshot import Snapshot
from clausegate.spec import Spec


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
    ev = run.evidence
    assert ev is not None
    for check in (*run.spec.checks, *checks.implicit_checks(run.spec)):
        run.verdicts[check.id] = judge(check, ev)


def all_broken(run: PhaseRun, reason: str) -> None:
    run.fault = reason
    for check in (*run.spec.checks, *checks.implicit_checks(run.spec)):
        run.verdicts[check.id] = broken(reason)


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


def _unreadable(spec: Spec, taken: Snapshot) -> dict[str, str]:
    """What a snapshot could not read (see evaluate.unreadable_of)."""
    return unreadable_of(
        taken, spec, taken.get("spec_queries", {}), taken.get("spec_query_errors", {})
    )
