"""What a run prints at its end: why a phase's run stopped (once), the verdict of each
clause, each known-open clause in plain words, and the checks a partial run left out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clausegate.checks.verdict import ClauseStatus, Status
from clausegate.report.outcomes import Rollup
from clausegate.spec import Spec


@dataclass(frozen=True)
class ClauseRow:
    """One clause of one spec: the verdicts of its checks that ran, out of all of them."""

    spec: Spec
    clause: str
    title: str
    statuses: tuple[Status, ...]  # of the checks that ran
    total: int  # every check of the clause

    @property
    def rollup(self) -> Rollup:
        return Rollup(self.statuses, self.total)

    @property
    def worst(self) -> Status:
        return self.rollup.worst

    @property
    def passed(self) -> int:
        return self.rollup.passed

    @property
    def left_out(self) -> int:
        return self.rollup.left_out

    @property
    def status(self) -> ClauseStatus:
        return self.rollup.status


def known_open_lines(rows: list[ClauseRow]) -> list[str]:
    """Each KNOWN-OPEN clause in plain words: a violation declared, never a silent pass."""
    lines = []
    for row in rows:
        if row.status is not ClauseStatus.KNOWN_OPEN:
            continue
        known = row.spec.clause(row.clause).known_open
        assert known is not None
        lines.append(
            f"KNOWN-OPEN {row.clause} ({row.spec.path.name}): a known open violation, declared "
            f"by the spec and still failing as declared. Why: {known.reason} "
            f"(reference: {known.reference}). It does not turn the run red; if it starts to "
            "pass, the run fails until the declaration is removed."
        )
    return lines


def clause_lines(rows: list[ClauseRow]) -> list[str]:
    """The per-clause table: spec, clause, title, verdict, checks passed / total."""
    lines = []
    current: Path | None = None
    for row in rows:
        if row.spec.path != current:
            current = row.spec.path
            lines.append(f"{row.spec.law} phase {row.spec.phase} ({row.spec.path})")
        left = f" ({row.left_out} left out)" if row.left_out else ""
        lines.append(f"  {row.clause:<14} {row.status.value:<10} {row.passed:>3}/{row.total:<3} "
                     f"{row.title}{left}")  # fmt: skip
    return lines


def left_out_lines(left_out: list[str], not_collected: int, shown: int) -> list[str]:
    """What a partial run left out (the last `not_collected` lines are specs that failed
    to collect): the count, then the first `shown` of them."""
    if not left_out:
        return []
    checks = len(left_out) - not_collected
    specs = f", {not_collected} spec file(s) not collected" if not_collected else ""
    lines = [
        f"PARTIAL: {checks} check{'' if checks == 1 else 's'} left out{specs}; the run is no "
        "verdict on the whole of its specs and cannot be ratified:",
        *(f"  {line}" for line in left_out[:shown]),
    ]
    if len(left_out) > shown:
        lines.append(f"  … and {len(left_out) - shown} more (verdicts.json lists every one)")
    return lines


def fault_lines(faults: list[tuple[Spec, str, int]]) -> list[str]:
    """Each phase whose run stopped before judging, (spec, fault, checks not judged): its
    cause said once, however many checks it left BROKEN."""
    return [
        f"BROKEN run: {spec.law} phase {spec.phase} ({spec.path}): {fault}; none of its "
        f"{count} check{'' if count == 1 else 's'} was judged"
        for spec, fault, count in faults
    ]
