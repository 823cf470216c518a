"""What a run prints at its end: the verdict of each clause, and each known-open clause in
plain words."""

from __future__ import annotations

from pathlib import Path

from clausegate.checks.verdict import Status
from clausegate.spec import Spec

ClauseRow = tuple[Spec, str, str, Status, int, int]


def known_open_lines(rows: list[ClauseRow]) -> list[str]:
    """Each KNOWN-OPEN clause in plain words: a violation declared, never a silent pass."""
    lines = []
    for spec, clause_id, _title, status, _good, _total in rows:
        if status is not Status.KNOWN_OPEN:
            continue
        known = spec.clause(clause_id).known_open
        assert known is not None
        lines.append(
            f"KNOWN-OPEN {clause_id} ({spec.path.name}): a known open violation, declared by "
            f"the spec and still failing as declared. Why: {known.reason} "
            f"(reference: {known.reference}). It does not turn the run red; if it starts to "
            "pass, the run fails until the declaration is removed."
        )
    return lines


def clause_lines(rows: list[ClauseRow]) -> list[str]:
    """The per-clause table: spec, clause, title, verdict, checks passed / total."""
    lines = []
    current: Path | None = None
    for spec, clause_id, title, status, good, total in rows:
        if spec.path != current:
            current = spec.path
            lines.append(f"{spec.law} phase {spec.phase} ({spec.path})")
        lines.append(f"  {clause_id:<14} {status.value:<10} {good:>3}/{total:<3} {title}")
    return lines
