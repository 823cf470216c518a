"""The roll-up and waivers without a server: worst(), Engine.record (waivers, known-open),
the clause table and the exit code, and waiver files read by spec.waivers.

An Engine is built with Options only (no phase runs, no server is started); the items it
records are stand-ins with the attributes a CheckItem has, for the checks of
tests/core_cases/spec.yaml (§1 a plain clause, §2 declared known_open).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pytest

from clausegate import checks
from clausegate.checks.verdict import ClauseStatus, Status, Verdict, worst
from clausegate.errors import EXIT_BROKEN, EXIT_FAIL, EXIT_OK, ClausegateError
from clausegate.pytest.engine import (
    KNOWN_OPEN_CHECK,
    CheckItem,
    Engine,
    Options,
    planned_checks,
    shown,
)
from clausegate.spec import Clause, Spec, SpecError, waivers
from tests.pure import SPEC_FILE, core_spec

PASS, WAIVED, KNOWN_OPEN, FAIL, BROKEN = (
    Status.PASS, Status.WAIVED, Status.KNOWN_OPEN, Status.FAIL, Status.BROKEN
)  # fmt: skip
TODAY = dt.date(2026, 6, 1)


# --- worst: the order of badness ---------------------------------------------------------------

WORST = [
    ("nothing-is-a-pass", [], PASS),
    ("pass", [PASS, PASS], PASS),
    ("waived-over-pass", [PASS, WAIVED], WAIVED),
    ("known-open-over-waived", [WAIVED, KNOWN_OPEN, PASS], KNOWN_OPEN),
    ("fail-over-known-open", [KNOWN_OPEN, FAIL], FAIL),
    ("fail-among-passes", [PASS, FAIL, PASS], FAIL),
    ("broken-over-fail", [FAIL, BROKEN], BROKEN),
    ("broken-first", [BROKEN, PASS, WAIVED], BROKEN),
    ("everything", list(Status), BROKEN),
]  # fmt: skip


@pytest.mark.parametrize(("statuses", "expected"), [pytest.param(*c[1:], id=c[0]) for c in WORST])
def test_a_clause_is_as_bad_as_its_worst_check(statuses: list[Status], expected: Status) -> None:
    assert worst(statuses) is expected
    assert worst(reversed(statuses)) is expected


def test_the_order_of_badness_is_total() -> None:
    order = [PASS, WAIVED, KNOWN_OPEN, FAIL, BROKEN]
    assert [s.rank for s in order] == sorted(s.rank for s in Status)
    for better, worse in itertools.combinations(order, 2):
        assert worst([better, worse]) is worse


# --- Engine.record: waivers and known-open ----------------------------------------------------


@dataclass
class Item:
    """What Engine.record reads of a CheckItem."""

    spec: Spec
    clause: Clause | None
    clause_id: str
    check_id: str
    title: str
    name: str
    rule: str | None = None


def item(check_id: str) -> Item:
    spec = core_spec()
    found = next((c for c in spec.checks if c.id == check_id), None)
    if found is not None:
        return Item(spec, spec.clause(found.clause), found.clause, check_id, found.title,
                    check_id, checks.rule_of(found))  # fmt: skip
    if check_id == KNOWN_OPEN_CHECK:  # the item a known-open clause adds
        return Item(spec, spec.clause("§2"), "§2", check_id, "still fails", check_id)
    implicit = next(c for c in checks.implicit_checks(spec) if c.id == check_id)
    return Item(spec, None, implicit.clause, check_id, implicit.title, check_id,
                checks.rule_of(implicit))  # fmt: skip


def engine(tmp_path: Path, entries: list[str], today: dt.date = TODAY) -> Engine:
    if not entries:
        return Engine(Options(today=today))
    path = tmp_path / "waivers.yaml"
    path.write_text("waivers:\n" + "".join(f"  - {{{e}}}\n" for e in entries), "utf-8")
    return Engine(Options(waivers=path, today=today))


def record(e: Engine, check_id: str, status: Status, message: str = "m") -> Any:
    return e.record(cast(CheckItem, item(check_id)), Verdict(status, message))


def waiver(check: str, expires: str = "2999-12-31", spec: str | None = None) -> str:
    where = f", spec: {spec}" if spec else ""
    return (f"check: {check}, approver: Council, justification: ships in phase 3, "
            f"expires: {expires}{where}")  # fmt: skip


RECORDS = [
    ("fail-stays-fail", "f-gate", FAIL, [], TODAY, FAIL, ""),
    ("fail-waived", "f-gate", FAIL, [waiver("f-gate")], TODAY, WAIVED,
     "waived by Council until 2999-12-31: ships in phase 3"),
    ("waived-on-its-expiry-day", "f-gate", FAIL, [waiver("f-gate", "2026-06-01")], TODAY, WAIVED,
     "until 2026-06-01"),
    ("waiver-expired-the-day-before", "f-gate", FAIL, [waiver("f-gate", "2026-05-31")], TODAY,
     FAIL, "the waiver by Council expired on 2026-05-31"),
    ("broken-is-never-waived", "f-gate", BROKEN, [waiver("f-gate")], TODAY, BROKEN, ""),
    ("pass-needs-no-waiver", "f-gate", PASS, [waiver("f-gate")], TODAY, PASS, ""),
    ("waiver-of-another-check", "f-gate", FAIL, [waiver("f-rows")], TODAY, FAIL, ""),
    ("waiver-of-another-spec", "f-gate", FAIL, [waiver("f-gate", spec="other.yaml")], TODAY,
     FAIL, ""),
    ("waiver-of-this-spec-by-name", "f-gate", FAIL, [waiver("f-gate", spec="spec.yaml")], TODAY,
     WAIVED, "waived by Council"),
    ("waiver-of-this-spec-by-path", "f-gate", FAIL, [waiver("f-gate", spec=str(SPEC_FILE))],
     TODAY, WAIVED, "waived by Council"),
    ("implicit-check-waived", "closed-world", FAIL, [waiver("closed-world")], TODAY, WAIVED,
     "waived by Council"),
    ("implicit-check-broken-not-waived", "closed-world", BROKEN, [waiver("closed-world")], TODAY,
     BROKEN, ""),
    ("known-open-fail", "i-text", FAIL, [], TODAY, KNOWN_OPEN,
     "known open: the worker is not wired yet (DC-5)"),
    ("known-open-broken-stays-broken", "i-text", BROKEN, [], TODAY, BROKEN, ""),
    ("known-open-pass", "i-text", PASS, [], TODAY, PASS, ""),
    ("known-open-with-an-expired-waiver", "i-text", FAIL, [waiver("i-text", "2026-01-01")],
     TODAY, FAIL, "expired on 2026-01-01"),
    ("the-known-open-item-is-not-itself-open", KNOWN_OPEN_CHECK, FAIL, [], TODAY, FAIL, ""),
]  # fmt: skip


@pytest.mark.parametrize(
    ("check_id", "status", "entries", "today", "expected", "note"),
    [pytest.param(*c[1:], id=c[0]) for c in RECORDS],
)
def test_a_verdict_is_recorded_after_waivers_and_known_open(
    tmp_path: Path,
    check_id: str,
    status: Status,
    entries: list[str],
    today: dt.date,
    expected: Status,
    note: str,
) -> None:
    outcome = record(engine(tmp_path, entries, today), check_id, status, "the verdict's words")
    assert outcome.status is expected
    assert note in outcome.note if note else outcome.note == ""
    assert outcome.verdict.status is status  # the verdict itself is kept as judged
    assert outcome.verdict.message == "the verdict's words"


# --- the clause table and the exit code -------------------------------------------------------

ROLLUPS = [
    ("all-pass", [("f-gate", PASS), ("f-rows", PASS)], [], [("§1", PASS, 2, 2)], EXIT_OK),
    ("waived-counts-as-good", [("f-gate", PASS), ("f-rows", FAIL)], [waiver("f-rows")],
     [("§1", WAIVED, 2, 2)], EXIT_OK),
    ("a-fail", [("f-gate", FAIL), ("f-rows", PASS)], [], [("§1", FAIL, 1, 2)], EXIT_FAIL),
    ("expired-waiver-fails-the-run", [("f-gate", FAIL)], [waiver("f-gate", "2020-01-01")],
     [("§1", FAIL, 0, 1)], EXIT_FAIL),
    ("broken-over-fail", [("f-gate", FAIL), ("f-rows", BROKEN)], [], [("§1", BROKEN, 0, 2)],
     EXIT_BROKEN),
    ("broken-and-waived", [("f-gate", BROKEN)], [waiver("f-gate")], [("§1", BROKEN, 0, 1)],
     EXIT_BROKEN),
    ("known-open-does-not-turn-the-run-red",
     [("i-text", FAIL), (KNOWN_OPEN_CHECK, PASS), ("f-gate", PASS)], [],
     [("§1", PASS, 1, 1), ("§2", KNOWN_OPEN, 1, 2)], EXIT_OK),
    ("known-open-that-passes-fails-the-run", [("i-text", PASS), (KNOWN_OPEN_CHECK, FAIL)], [],
     [("§2", FAIL, 1, 2)], EXIT_FAIL),
    ("implicit-clauses-by-their-title", [("closed-world", PASS), ("inertness", FAIL)], [],
     [("closed-world", PASS, 1, 1), ("inertness", FAIL, 0, 1)], EXIT_FAIL),
]  # fmt: skip


@pytest.mark.parametrize(
    ("recorded", "entries", "rows", "exit_code"), [pytest.param(*c[1:], id=c[0]) for c in ROLLUPS]
)
def test_clauses_roll_up_and_the_run_exits_by_its_worst(
    tmp_path: Path,
    recorded: list[tuple[str, Status]],
    entries: list[str],
    rows: list[tuple[str, Status, int, int]],
    exit_code: int,
) -> None:
    e = engine(tmp_path, entries)
    for check_id, status in recorded:
        record(e, check_id, status)
    table = [row for row in e.clause_table() if row.statuses]  # the clauses that ran
    assert [(r.clause, r.worst, r.passed, len(r.statuses)) for r in table] == rows
    implicit = {c.clause: c.title for c in checks.implicit_checks(core_spec())}
    for row in table:
        assert row.title == (
            implicit[row.clause] if row.clause in implicit else core_spec().clause(row.clause).title
        )
    assert e.exit_code() == exit_code


# --- partial runs: checks left out ------------------------------------------------------------

CORE_CLAUSES = {"§1": 32, "§2": 2, "closed-world": 1, "inertness": 1}  # checks of each

PARTIALS = [
    ("pass-with-checks-left-out", [("f-gate", PASS)], [], ClauseStatus.PARTIAL),
    ("waived-with-checks-left-out", [("f-gate", FAIL)], [waiver("f-gate")], ClauseStatus.PARTIAL),
    ("a-fail-stands", [("f-gate", FAIL), ("f-rows", PASS)], [], ClauseStatus.FAIL),
    ("a-broken-stands", [("f-gate", BROKEN)], [], ClauseStatus.BROKEN),
]  # fmt: skip


@pytest.mark.parametrize(
    ("recorded", "entries", "verdict"), [pytest.param(*c[1:], id=c[0]) for c in PARTIALS]
)
def test_a_clause_with_checks_left_out_is_never_a_pass(
    tmp_path: Path, recorded: list[tuple[str, Status]], entries: list[str], verdict: ClauseStatus
) -> None:
    e = engine(tmp_path, entries)
    for check_id, status in recorded:
        record(e, check_id, status)
    rows = {row.clause: row for row in e.clause_table()}
    assert {clause: row.total for clause, row in rows.items()} == CORE_CLAUSES
    first = rows["§1"]
    assert (first.status, first.left_out) == (verdict, CORE_CLAUSES["§1"] - len(recorded))
    # A clause none of whose checks ran is in the table, wholly left out.
    assert (rows["inertness"].status, rows["inertness"].passed) == (ClauseStatus.PARTIAL, 0)
    left_out = e.left_out()
    assert len(left_out) == sum(CORE_CLAUSES.values()) - len(recorded)
    # No item was collected here: pytest never selected them.
    assert f"{shown(SPEC_FILE)}: §1 > f-ext-any: not selected" in left_out
    assert f"{shown(SPEC_FILE)}: §2 > {KNOWN_OPEN_CHECK}: not selected" in left_out


def test_a_run_that_judged_every_check_is_complete(tmp_path: Path) -> None:
    e = engine(tmp_path, [])
    for _clause, check_id in planned_checks(core_spec()):
        record(e, check_id, FAIL if check_id == "i-text" else PASS)
    assert e.left_out() == []
    assert all(row.left_out == 0 for row in e.clause_table())
    assert {row.clause: row.status for row in e.clause_table()}["§2"] is ClauseStatus.KNOWN_OPEN


def test_an_engine_error_makes_the_run_broken_though_every_check_passes(tmp_path: Path) -> None:
    e = engine(tmp_path, [])
    record(e, "f-gate", PASS)
    e.errors.append(ClausegateError("the report could not be written"))
    assert e.exit_code() == EXIT_BROKEN


KNOWN_OPEN_ITEM = [
    ("still-fails", [("i-text", FAIL)], PASS, "clause §2 still fails as declared"),
    ("every-check-passes", [("i-text", PASS)], FAIL,
     "clause §2 is declared known_open but every check passes: remove the known_open"),
    ("a-check-broken", [("i-text", BROKEN), ("f-gate", FAIL)], BROKEN,
     "clause §2 could not be evaluated (see its checks)"),
    ("another-clause-does-not-count", [("f-gate", FAIL)], FAIL, "every check passes"),
]  # fmt: skip


def known_open_item(e: Engine) -> Verdict:
    """The verdict of the item a known-open clause adds, on what `e` recorded so far."""
    return CheckItem._known_open_verdict(cast(CheckItem, item(KNOWN_OPEN_CHECK)), e)


@pytest.mark.parametrize(
    ("siblings", "status", "words"), [pytest.param(*c[1:], id=c[0]) for c in KNOWN_OPEN_ITEM]
)
def test_a_known_open_clause_must_still_fail(
    tmp_path: Path, siblings: list[tuple[str, Status]], status: Status, words: str
) -> None:
    e = engine(tmp_path, [])
    for check_id, sibling in siblings:
        record(e, check_id, sibling)
    verdict = known_open_item(e)
    assert verdict.status is status
    assert words in verdict.message


# Was: Engine.record applies a valid waiver before known_open, so a failing check of a
# known-open clause that is also waived is WAIVED, not KNOWN-OPEN; the clause's
# known-open-still-fails item then FAILs the run saying `every check passes: remove the
# known_open declaration`, which is false: the check still fails
def test_a_waived_failure_in_a_known_open_clause_does_not_fail_the_run(tmp_path: Path) -> None:
    e = engine(tmp_path, [waiver("i-text")])
    assert record(e, "i-text", FAIL).status is WAIVED
    verdict = known_open_item(e)
    assert verdict.status is not FAIL, verdict.message


# --- waiver files -----------------------------------------------------------------------------


def test_a_waiver_file_is_read_into_typed_waivers(tmp_path: Path) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text("waivers:\n  - {" + waiver("f-gate", "2026-06-01", "spec.yaml") + "}\n")
    (found,) = waivers.load(path)
    assert found == waivers.Waiver("f-gate", "spec.yaml", "Council", "ships in phase 3",
                                   dt.date(2026, 6, 1))  # fmt: skip
    assert not found.expired(dt.date(2026, 6, 1))
    assert found.expired(dt.date(2026, 6, 2))
    assert waivers.find([found], SPEC_FILE, "f-gate") is found
    assert waivers.find([found], SPEC_FILE.with_name("other.yaml"), "f-gate") is None
    assert waivers.find([found], SPEC_FILE, "f-rows") is None


BAD_WAIVERS = [
    ("missing-approver",
     "waivers:\n  - {check: c, justification: j, expires: 2999-01-01}\n",
     ":2:5: waiver 1 has no approver; every waiver needs check, approver, justification, expires"),
    ("empty-justification",
     "waivers:\n  - {check: c, approver: A, justification: '', expires: 2999-01-01}\n",
     "waiver 1 has no justification"),
    ("date-as-text", "waivers:\n  - {check: c, approver: A, justification: j, expires: soon}\n",
     ":2:56: expires: write a date as YYYY-MM-DD"),
    ("date-quoted",
     "waivers:\n  - {check: c, approver: A, justification: j, expires: '2999-01-01'}\n",
     "expires: write a date as YYYY-MM-DD"),
    ("unknown-key",
     "waivers:\n  - {check: c, approver: A, justification: j, expires: 2999-01-01, until: x}\n",
     ":2:5: unknown key 'until'; allowed: check, approver, justification, expires, spec"),
    ("not-a-list", "waivers: {check: c}\n", ":1:1: a waiver file is `waivers:` and a list"),
    ("not-a-mapping", "waivers:\n  - c\n",
     ":2:5: a waiver is a mapping of check, approver, justification, expires"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "words"), [pytest.param(*c[1:], id=c[0]) for c in BAD_WAIVERS])
def test_a_bad_waiver_file_is_refused_with_its_line(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(SpecError) as raised:
        waivers.load(path)
    # Words starting with `:LINE:COLUMN:` follow the file's name.
    expected = f"{path}{words}" if words.startswith(":") else words
    assert expected in str(raised.value)
