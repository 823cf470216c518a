"""A phase's run as it goes: its steps and their times, its snapshots, its verdicts."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from clausegate.checks.evidence import ChangeLike, Evidence
from clausegate.checks.verdict import Verdict
from clausegate.db.probes import ProbeRun
from clausegate.migration import MigrationText
from clausegate.snapshot import Snapshot
from clausegate.spec import Spec


@dataclass
class Step:
    """What the run did, for the report: a name, how long it took, and what it produced."""

    name: str
    seconds: float
    detail: str = ""


@dataclass
class ProbeRuns:
    """What the probes saw: a run per check with one probe, the runs of its rows per check
    over a table of inputs."""

    single: dict[str, ProbeRun] = field(default_factory=dict)
    tables: dict[str, tuple[ProbeRun, ...]] = field(default_factory=dict)
    # Checks whose probe was not run, and why (a live verify does not run a probe that
    # would advance a sequence there unless the spec allows it).
    withheld: dict[str, str] = field(default_factory=dict)


@dataclass
class OutsideChanges:
    """What changed outside the database (files and processes of clausegate's own cluster,
    the catalogs of its other databases): during the migration, and during the probes."""

    migration: list[ChangeLike] = field(default_factory=list)
    probes: list[ChangeLike] = field(default_factory=list)


@dataclass
class PhaseRun:
    spec: Spec
    mode: str
    target: str
    server_version: str
    migration: Path | None
    steps: list[Step] = field(default_factory=list)
    snapshots: dict[str, Snapshot] = field(default_factory=dict)
    evidence: Evidence | None = None
    fault: str | None = None
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    # Set when the server's major is not the one the spec names for production.
    server_note: str | None = None
    # What the report must say about how the run saw the database: who applied the
    # migration, what a live verify cannot see, which tables were not hashed and why.
    notes: list[str] = field(default_factory=list)
    # The server's log of the statements run during the phase (log_statement = all), where
    # clausegate runs the server: kept in the evidence.
    server_log: str | None = None
    # The migration file read as statements (what statement_used and function_called
    # judge, and the report lists); None with the reason when there was none to read.
    migration_text: MigrationText | None = None
    no_migration: str = "no migration file was read"
    # What the judges read beyond the snapshots, kept in the evidence (evidence/judging/)
    # so that `evidence verify` can judge again.
    queries: dict[str, str] = field(default_factory=dict)
    probe_runs: ProbeRuns = field(default_factory=lambda: ProbeRuns())
    outside: OutsideChanges = field(default_factory=OutsideChanges)
    before_source: str = "the before snapshot"


@contextmanager
def timed(run: PhaseRun, name: str) -> Iterator[Step]:
    step = Step(name, 0.0)
    started = time.perf_counter()
    try:
        yield step
    finally:
        step.seconds = time.perf_counter() - started
        run.steps.append(step)


BuildCache = dict[tuple[str, ...], str]
