"""Forbidden: a background worker, listener, pg_cron job, ALTER SYSTEM setting, process,
prepared transaction or replication slot that appeared."""

from __future__ import annotations

from clausegate.checks import CheckKind, register
from clausegate.checks.evidence import Evidence, matching, verdict_from_changes
from clausegate.checks.verdict import Verdict
from clausegate.snapshot.catalog import KINDS
from clausegate.spec import Check

WORKER_KINDS = ("sessions", "cron_jobs", "alter_system")
# What a worker leaves outside the catalog: a process the server started (seen in a gate on
# clausegate's own cluster), a transaction prepared to commit later, a replication slot.
WORKER_TRACES = ("process", "prepared_transactions", "replication_slots")
# The parts of a snapshot the judge reads: unreadable, they make it BROKEN, never PASS.
READS = frozenset(
    {k.name for k in KINDS if k.section == "nontransactional" and k.name != "sequence_values"}
    | set(WORKER_TRACES)
)


def rule(check: Check) -> str:
    return (
        "no background worker, listener, pg_cron job, ALTER SYSTEM setting, server process, "
        "prepared transaction or replication slot may appear"
    )


def judge(check: Check, ev: Evidence) -> Verdict:
    # Sessions, cron jobs and ALTER SYSTEM settings; a sequence advanced by an INSERT is
    # no worker (the closed world judges sequences).
    lines = matching(
        ev,
        lambda c: (
            (
                (c.section == "nontransactional" and c.kind != "sequence_values")
                or c.kind in WORKER_TRACES
            )
            and c.action != "removed"
        ),
    )
    return verdict_from_changes(check, lines, "a worker, job or server setting appeared")


register(
    CheckKind(
        key="worker_started",
        schema={
            "type": "boolean",
            "const": True,
            "description": (
                "No background worker, listener, pg_cron job or ALTER SYSTEM setting may appear."
            ),
        },
        body=bool,
        rule=rule,
        judge=judge,
        depends=lambda check: lambda part: part in READS,
    )
)
