"""From a check's verdict to what it comes to in the reports: waivers and known-open
clauses applied, a known-open clause's own check, and the run's exit code.

The engine applies these as each check item runs; `evidence verify` applies the same to
the verdicts it judges again from a bundle, so both always agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from clausegate.checks.verdict import ClauseStatus, Status, Verdict, broken, failed, passed, worst
from clausegate.db.values import plain
from clausegate.errors import EXIT_BROKEN, EXIT_FAIL, EXIT_OK
from clausegate.report.records import CheckRecord
from clausegate.spec import Clause, Spec, waivers

KNOWN_OPEN_CHECK = "known-open-still-fails"
KNOWN_OPEN_TITLE = "the known-open clause still fails"


def final_status(
    verdict: Verdict,
    *,
    spec_path: Path,
    clause: Clause | None,
    check_id: str,
    waiver_list: Sequence[waivers.Waiver],
    today: dt.date,
) -> tuple[Status, str]:
    """The status a check's verdict comes to and the note that says why it is not its
    own: a FAIL waived (until its waiver expires) or in a clause declared known open."""
    if verdict.status is not Status.FAIL:
        return verdict.status, ""
    waiver = waivers.find(list(waiver_list), spec_path, check_id)
    if waiver is not None and not waiver.expired(today):
        note = f"waived by {waiver.approver} until {waiver.expires}: {waiver.justification}"
        return Status.WAIVED, note
    if waiver is not None:
        return Status.FAIL, f"the waiver by {waiver.approver} expired on {waiver.expires}"
    if clause is not None and clause.known_open is not None and check_id != KNOWN_OPEN_CHECK:
        note = f"known open: {clause.known_open.reason} ({clause.known_open.reference})"
        return Status.KNOWN_OPEN, note
    return Status.FAIL, ""


def known_open_verdict(clause_id: str, siblings: Iterable[Status]) -> Verdict:
    """The verdict of a known-open clause's own check, from the statuses of its checks."""
    statuses = list(siblings)
    if Status.BROKEN in statuses:
        return broken(f"clause {clause_id} could not be evaluated (see its checks)")
    # A failure waived is still a failure: the clause is still open.
    if Status.KNOWN_OPEN in statuses or Status.WAIVED in statuses:
        return passed(f"clause {clause_id} still fails as declared")
    return failed(
        f"clause {clause_id} is declared known_open but every check passes: "
        "remove the known_open declaration from the spec"
    )


def check_record(
    recorded_spec: str,
    spec: Spec,
    *,
    clause: str,
    check_id: str,
    title: str,
    rule: str | None,
    verdict: Verdict,
    status: Status,
    note: str,
) -> CheckRecord:
    """A check's record in verdicts.json (`recorded_spec`: the spec's path as the run was
    given it). A check of no section of the spec (closed world, inertness, a known-open
    clause's own) is the engine's: no expectation written."""
    check = next((c for c in spec.checks if c.id == check_id), None)
    return CheckRecord(
        spec=recorded_spec, law=spec.law, phase=spec.phase, clause=clause, check=check_id,
        title=title, section=check.section if check else "engine",
        expected=plain(dict(check.written)) if check else None,
        status=status, message=verdict.message, evidence=tuple(verdict.evidence),
        sql=tuple(verdict.sql), observed=plain(verdict.observed), note=note, rule=rule,
    )  # fmt: skip


@dataclass(frozen=True)
class Rollup:
    """A clause's verdict from the checks of it that ran, out of all of them."""

    statuses: tuple[Status, ...]  # of the checks that ran
    total: int  # every check of the clause

    @property
    def worst(self) -> Status:
        return worst(self.statuses)

    @property
    def passed(self) -> int:
        return sum(s in (Status.PASS, Status.WAIVED) for s in self.statuses)

    @property
    def left_out(self) -> int:
        return self.total - len(self.statuses)

    @property
    def status(self) -> ClauseStatus:
        return ClauseStatus.of(self.worst, self.left_out)


def exit_code(statuses: Iterable[Status], errors: bool) -> int:
    """0 pass, 1 fail, 3 broken (a check, or an error outside any check)."""
    seen = set(statuses)
    if errors or Status.BROKEN in seen:
        return EXIT_BROKEN
    if Status.FAIL in seen:
        return EXIT_FAIL
    return EXIT_OK
