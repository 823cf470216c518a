"""Timing, memory and query counts for the benchmarks: plain functions, no output.

A shared 2-core machine is noisy, so every measure runs several times, interleaved with
the others in rotating order (round r starts with the r-th measure), and is quoted as a
median with its min-max and as a ratio to `pg_dump --schema-only` timed in the same rounds.
"""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus

from clausegate import db, snapshot


@dataclass(frozen=True)
class Sample:
    """One run: wall seconds, CPU seconds (user + system) of the process measured, and the
    peak resident set size in MB where it was measured (a child process's own)."""

    wall: float
    cpu: float
    rss_mb: float | None = None
    exit_code: int = 0
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Series:
    """Several runs of one measure."""

    samples: tuple[Sample, ...]

    def values(self, what: str = "wall") -> list[float]:
        return [getattr(sample, what) for sample in self.samples]

    def median(self, what: str = "wall") -> float:
        return statistics.median(self.values(what))

    def low(self, what: str = "wall") -> float:
        return min(self.values(what))

    def high(self, what: str = "wall") -> float:
        return max(self.values(what))

    @property
    def peak_rss_mb(self) -> float | None:
        measured = [s.rss_mb for s in self.samples if s.rss_mb is not None]
        return max(measured) if measured else None


# GNU time forks the command and reports its peak RSS. The command must not be started
# from this process directly: Linux carries the RSS of the process a program was exec'd
# from into the program's ru_maxrss, and this one holds whole snapshots.
GNU_TIME = Path("/usr/bin/time")


def run_process(argv: Sequence[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
                ok: Sequence[int] = (0,)) -> Sample:  # fmt: skip
    """Run a command to the end, through GNU time: its wall time, CPU time (user + system)
    and peak RSS, those of the command and its waited-for descendants.

    Raises RuntimeError with the end of its output when it exits with a code not in `ok`.
    """
    if not GNU_TIME.exists():
        raise RuntimeError(f"{GNU_TIME} (GNU time) is needed: apt-get install time")
    with tempfile.TemporaryDirectory(prefix="clausegate-bench-run-") as folder:
        usage, output = Path(folder) / "usage", Path(folder) / "output"
        command = [str(GNU_TIME), "--format", "%M %U %S", "--output", str(usage), *argv]
        with output.open("wb") as sink:
            started = time.perf_counter()
            code = subprocess.run(
                command, cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT, check=False
            ).returncode
            wall = time.perf_counter() - started
        text = output.read_text("utf-8", "replace")
        # A line "Command exited with non-zero status N" may come before the figures.
        rss_kb, user, system = usage.read_text().split()[-3:]
    if code not in ok:
        tail = " | ".join(text.strip().splitlines()[-5:])
        raise RuntimeError(f"{argv[0]} exited with {code}: {tail}")
    return Sample(
        wall=wall,
        cpu=float(user) + float(system),
        rss_mb=int(rss_kb) / 1024,
        exit_code=code,
        detail={"output": text},
    )


def run_call(call: Callable[[], object]) -> Sample:
    """Wall and CPU time of a call in this process (CPU time is the fairer figure for
    pure-Python work on a machine other jobs share)."""
    started, cpu = time.perf_counter(), time.process_time()
    call()
    return Sample(wall=time.perf_counter() - started, cpu=time.process_time() - cpu)


def rounds(measures: dict[str, Callable[[], Sample]], runs: dict[str, int],
           on_sample: Callable[[str, int, Sample], None] | None = None,
           ) -> dict[str, list[tuple[int, Sample]]]:  # fmt: skip
    """Run each measure `runs[name]` times, interleaved: round r runs the measures still
    due, in their order rotated by r, so none always runs first or after the same one.
    Returns name → [(round, sample)]."""
    names = list(measures)
    results: dict[str, list[tuple[int, Sample]]] = {name: [] for name in names}
    for number in range(max(runs.values(), default=0)):
        order = names[number % len(names) :] + names[: number % len(names)]
        for name in order:
            if number < runs[name]:
                sample = measures[name]()
                results[name].append((number, sample))
                if on_sample is not None:
                    on_sample(name, number, sample)
    return results


# --- what a snapshot does on the server ------------------------------------------------------

# Relation locks this backend holds on objects outside the system schemas, by mode.
_USER_LOCKS = (
    "SELECT l.mode, count(*) FROM pg_catalog.pg_locks AS l"
    " JOIN pg_catalog.pg_class AS c ON c.oid = l.relation"
    " JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace"
    " WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation'"
    " AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'"
    " GROUP BY l.mode ORDER BY l.mode"
)


@dataclass(frozen=True)
class SnapshotFootprint:
    """How many statements a snapshot sent (BEGIN and ROLLBACK included), and the locks on
    user relations it held when its last query had run (mode → count)."""

    queries: int
    locks: dict[str, int]


def footprint(conninfo: str) -> SnapshotFootprint:
    """Take a snapshot with libpq's protocol trace on, on both its connections (the
    snapshot's and its helper's), to count the statements sent, through cursors that read
    pg_locks as they are closed: inside each transaction, after its last query, before
    the rollback."""
    held: Counter[str] = Counter()
    lock_reads = 0

    class LockReading(psycopg.Cursor[Any]):
        def close(self) -> None:
            nonlocal lock_reads
            status = self.connection.info.transaction_status
            if not self.closed and status == TransactionStatus.INTRANS:
                with psycopg.Cursor(self.connection) as locks:
                    held.update({str(mode): int(n) for mode, n in locks.execute(_USER_LOCKS)})
                lock_reads += 1
            super().close()

    with (
        db.connect(conninfo, purpose="snapshot") as conn,
        db.connect(conninfo, purpose="snapshot helper") as helper,
        db.counting_statements(conn, helper) as counted,
    ):
        for each in (conn, helper):
            each.cursor_factory = LockReading
        snapshot.capture_connection(conn, helper=helper)
    # The pg_locks queries went out inside the traces too.
    return SnapshotFootprint(counted.sent - lock_reads, dict(held))


@contextmanager
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="clausegate-bench-") as path:
        yield Path(path)
