"""From a check's verdict to what it comes to in the reports: waivers and known-open
clauses applied, a known-open clause's own check, and the run's exit code.

The engine applies these as each check item runs; `evidence verify` applies the same to
the verdicts it judges again from a bundle, so both always agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from clausegate.checks.verdict import Status, Verdict, broken, failed, passed
from clausegate.errors import EXIT_BROKEN, EXIT_FAIL, EXIT_OK
from clausegate.spec import Clause, waivers

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


def exit_code(statuses: Iterable[Status], errors: bool) -> int:
    """0 pass, 1 fail, 3 broken (a check, or an error outside any check)."""
    seen = set(statuses)
    if errors or Status.BROKEN in seen:
        return EXIT_BROKEN
    if Status.FAIL in seen:
        return EXIT_FAIL
    return EXIT_OK
