"""verdicts.json through clausegate.report.records: written and read back the same, its
text fixed by a checked-in document, and every key missing or of the wrong type refused
with one line that names the file and the key.

After an intended change of the format, rewrite tests/report_cases/records/verdicts.json
with CLAUSEGATE_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from clausegate.checks.verdict import ClauseStatus, Status
from clausegate.errors import EXIT_USAGE, ClausegateError
from clausegate.migration import parse_text
from clausegate.report import records
from clausegate.report.records import (
    CheckRecord,
    ClauseRecord,
    RunRecord,
    StepRecord,
    VerdictsDocument,
)
from tests.cli import assert_no_traceback, clausegate

EXPECTED = Path(__file__).parent / "report_cases" / "records" / "verdicts.json"

REGRESSION = CheckRecord(
    spec="specs/demo/phase1.yaml", law="Démo law", phase="1", clause="§1",
    check="outbox-rows", title="outbox rows", section="regression",
    expected={"after": {"at_least": 1}, "tolerance": {"reason": "background inserts"}},
    status=Status.PASS, message="outbox rows: 2,500 → 3,519 (Δ +1,019)",
    evidence=("before 2500", "after 3519"), sql=("SELECT count(*) FROM outbox",),
    observed={"before": 2500, "after": 3519, "delta": 1019, "ratio": 1.5, "seen": None},
    note="", rule="rows of public.outbox: after at least 1 (tolerant of background traffic)",
)  # fmt: skip
CLOSED_WORLD = CheckRecord(
    spec="specs/demo/phase1.yaml", law="Démo law", phase="1", clause="closed-world",
    check="closed-world", title="Every change the migration made is declared (closed world)",
    section="engine", expected=None, status=Status.FAIL, message="1 undeclared change",
    evidence=(), sql=(), observed=["table public.stray: added"],
    note="the waiver by Council expired on 2020-01-01",
)  # fmt: skip
WAIVED = CheckRecord(
    spec="specs/demo/phase1.yaml", law="Démo law", phase="1", clause="§4",
    check="auditor-signed", title="auditor-signed", section="invariants",
    expected={"sql": "SELECT true", "expect": True}, status=Status.WAIVED,
    message="auditor-signed: false", evidence=(), sql=("SELECT true",), observed=False,
    note="waived by Council until 2999-12-31: signed later",
)  # fmt: skip
RUN = RunRecord(
    spec="specs/demo/phase1.yaml", law="Démo law", phase="1", mode="gate",
    target="dsn (postgresql://clausegate@localhost/postgres)",
    server_version="PostgreSQL 17.2 on x86_64-pc-linux-gnu", server_note=None,
    notes=("the migration ran as the owner of the schema",), migration="specs/demo/phase1.sql",
    fault=None, snapshots=("after", "before"),
    steps=(StepRecord("build the before state", 1.25), StepRecord("apply the migration", 0.0)),
)  # fmt: skip
DOCUMENT = VerdictsDocument(
    checks=(REGRESSION, CLOSED_WORLD, WAIVED),
    clauses=(
        ClauseRecord("specs/demo/phase1.yaml", "§1", "Outbox grows", ClauseStatus.PASS, 1, 1),
        ClauseRecord("specs/demo/phase1.yaml", "closed-world", "Closed world",
                     ClauseStatus.FAIL, 0, 1),
        ClauseRecord("specs/demo/phase1.yaml", "§4", "An auditor signed", ClauseStatus.PARTIAL,
                     1, 3, left_out=2),
    ),
    runs=(RUN,),
    errors=("specs/demo/phase2.yaml: no such file",),
    transactions="writes were committed only in the throwaway databases clausegate created",
    exit_code=3,
    left_out=("specs/demo/phase1.yaml: §4 > auditor-named: deselected",
              "specs/demo/phase1.yaml: §4 > auditor-dated: not run",
              "specs/demo/phase3.yaml: not collected: phase3.yaml:4:1: unknown key 'clauss'"),
)  # fmt: skip
# A run that stopped before any server, and one that had nothing at all.
STOPPED_RUN = RunRecord(
    spec="s.yaml", law="L", phase="2", mode="verify", target="local", server_version="",
    server_note="s.yaml ran on PostgreSQL 16.4", notes=(), migration=None,
    fault="the run stopped: server gone", snapshots=(), steps=(),
)  # fmt: skip
STOPPED = VerdictsDocument(
    checks=(), clauses=(), runs=(STOPPED_RUN,), errors=(), transactions="", exit_code=0
)
EMPTY = VerdictsDocument(checks=(), clauses=(), runs=(), errors=(), transactions="", exit_code=0)


def test_the_text_is_the_checked_in_document() -> None:
    text = records.dump(DOCUMENT)
    if os.environ.get("CLAUSEGATE_UPDATE_GOLDEN"):
        EXPECTED.write_text(text, encoding="utf-8")
    assert text == EXPECTED.read_text(encoding="utf-8")


def test_a_file_written_before_rules_were_recorded_reads_without_them(tmp_path: Path) -> None:
    data = json.loads(records.dump(DOCUMENT))
    for check in data["checks"]:
        del check["rule"]
    older = tmp_path / "verdicts.json"
    older.write_text(json.dumps(data), encoding="utf-8")
    read = records.load(older)
    assert [c.rule for c in read.checks] == [None, None, None]
    assert read == replace(DOCUMENT, checks=tuple(replace(c, rule=None) for c in DOCUMENT.checks))


def test_a_file_written_before_partial_runs_were_recorded_reads_as_complete(
    tmp_path: Path,
) -> None:
    data = json.loads(records.dump(DOCUMENT))
    del data["left_out"]
    for clause in data["clauses"]:
        del clause["left_out"]
    older = tmp_path / "verdicts.json"
    older.write_text(json.dumps(data), encoding="utf-8")
    read = records.load(older)
    assert read.left_out == ()
    assert read.complete
    assert [c.left_out for c in read.clauses] == [0, 0, 0]


def test_a_run_is_complete_when_nothing_was_left_out() -> None:
    assert not DOCUMENT.complete
    assert replace(DOCUMENT, left_out=()).complete
    assert EMPTY.complete


def test_the_text_is_what_verdicts_json_always_was() -> None:
    """Keys sorted, indented by two, non-ASCII as is, one newline at the end."""
    data = json.loads(EXPECTED.read_text(encoding="utf-8"))
    legacy = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True, default=str) + "\n"
    assert records.dump(DOCUMENT) == legacy


def test_the_checked_in_document_reads_back_to_the_records() -> None:
    assert records.load(EXPECTED) == DOCUMENT


@pytest.mark.parametrize("document", [DOCUMENT, STOPPED, EMPTY], ids=["full", "stopped", "empty"])
def test_round_trip(document: VerdictsDocument, tmp_path: Path) -> None:
    path = tmp_path / records.FILE
    records.write(path, document)
    assert records.load(path) == document
    assert records.dump(records.load(path)) == path.read_text(encoding="utf-8")


def test_a_value_that_is_no_json_data_is_written_as_text(tmp_path: Path) -> None:
    odd = replace(REGRESSION, observed={"at": Path("/x")})
    path = tmp_path / records.FILE
    records.write(path, replace(EMPTY, checks=(odd,)))
    assert records.load(path).checks[0].observed == {"at": "/x"}


Edit = Callable[[dict[str, Any]], Any]


def drop(*keys: str | int) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        *above, last = keys
        del _at(data, above)[last]

    return edit


def put(value: Any, *keys: str | int) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        *above, last = keys
        _at(data, above)[last] = value

    return edit


def _at(data: Any, keys: list[str | int]) -> Any:
    for key in keys:
        data = data[key]
    return data


STATUSES = "one of PASS, WAIVED, KNOWN-OPEN, FAIL, BROKEN"
CLAUSE_STATUSES = f"{STATUSES}, PARTIAL"
BAD = [
    ("no-exit-code", drop("exit_code"), "key exit_code is missing"),
    ("no-checks", drop("checks"), "key checks is missing"),
    ("no-status", drop("checks", 1, "status"), "key checks[1].status is missing"),
    ("no-observed", drop("checks", 0, "observed"), "key checks[0].observed is missing"),
    ("no-note", drop("checks", 2, "note"), "key checks[2].note is missing"),
    ("no-clause-total", drop("clauses", 0, "total"), "key clauses[0].total is missing"),
    ("no-server-note", drop("runs", 0, "server_note"), "key runs[0].server_note is missing"),
    ("no-step-seconds", drop("runs", 0, "steps", 1, "seconds"),
     "key runs[0].steps[1].seconds is missing"),
    ("exit-code-text", put("1", "exit_code"), 'key exit_code should be a whole number, not "1"'),
    ("exit-code-bool", put(True, "exit_code"), "key exit_code should be a whole number, not true"),
    ("status-misspelt", put("PASSED", "checks", 0, "status"),
     f'key checks[0].status should be {STATUSES}, not "PASSED"'),
    ("status-lower", put("pass", "clauses", 0, "status"),
     f'key clauses[0].status should be {CLAUSE_STATUSES}, not "pass"'),
    ("a-check-is-never-partial", put("PARTIAL", "checks", 0, "status"),
     f'key checks[0].status should be {STATUSES}, not "PARTIAL"'),
    ("left-out-text", put("§4 > x", "left_out"),
     'key left_out should be an array, not "§4 > x"'),
    ("left-out-null", put(None, "clauses", 2, "left_out"),
     "key clauses[2].left_out should be a whole number, not null"),
    ("status-null", put(None, "checks", 0, "status"),
     f"key checks[0].status should be {STATUSES}, not null"),
    ("message-number", put(7, "checks", 0, "message"),
     "key checks[0].message should be text, not 7"),
    ("evidence-text", put("before 2500", "checks", 0, "evidence"),
     'key checks[0].evidence should be an array, not "before 2500"'),
    ("evidence-line-number", put(3, "checks", 0, "evidence", 1),
     "key checks[0].evidence[1] should be text, not 3"),
    ("expected-array", put([], "checks", 0, "expected"),
     "key checks[0].expected should be an object or null, not an array"),
    ("passed-null", put(None, "clauses", 1, "passed"),
     "key clauses[1].passed should be a whole number, not null"),
    ("migration-number", put(5, "runs", 0, "migration"),
     "key runs[0].migration should be text or null, not 5"),
    ("seconds-text", put("1.25", "runs", 0, "steps", 0, "seconds"),
     'key runs[0].steps[0].seconds should be a number, not "1.25"'),
    ("run-array", put([], "runs", 0), "key runs[0] should be an object, not an array"),
    ("long-text", put("x" * 60, "exit_code"),
     f'key exit_code should be a whole number, not "{"x" * 36}…'),
    ("unknown-key", put("FAIL", "checks", 0, "statsu"),
     "key checks[0].statsu is not one clausegate writes"),
]  # fmt: skip


@pytest.mark.parametrize(("edit", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_key_is_one_line_naming_the_file_and_the_key(
    edit: Edit, message: str, tmp_path: Path
) -> None:
    data = json.loads(records.dump(DOCUMENT))
    edit(data)
    path = tmp_path / records.FILE
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ClausegateError) as caught:
        records.load(path)
    assert str(caught.value) == f"{path}: {message}"
    assert caught.value.exit_code == EXIT_USAGE


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "the document should be an object, not an array"),
        ("null", "the document should be an object, not null"),
        ("{", "unreadable (Expecting property name enclosed in double quotes: "
              "line 1 column 2 (char 1))"),
    ],
    ids=["array", "null", "not-json"],
)  # fmt: skip
def test_a_file_that_is_no_document(text: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / records.FILE
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ClausegateError) as caught:
        records.load(path)
    assert str(caught.value) == f"{path}: {message}"
    assert caught.value.exit_code == EXIT_USAGE


def test_report_of_a_verdicts_json_that_lacks_a_key_exits_2(tmp_path: Path) -> None:
    data = json.loads(records.dump(DOCUMENT))
    del data["checks"][0]["status"]
    (tmp_path / records.FILE).write_text(json.dumps(data), encoding="utf-8")
    result = clausegate("report", str(tmp_path))
    assert_no_traceback(result)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines == [
        f"clausegate report: error: {tmp_path / records.FILE}: key checks[0].status is missing"
    ]
    assert not (tmp_path / "summary.md").exists()


def test_a_run_keeps_the_migration_it_read_and_older_files_read_without_it(
    tmp_path: Path,
) -> None:
    text = parse_text("BEGIN;\nNOTIFY c;\nSELECT pg_catalog.lo_export(1, 'x');\nCOMMIT;",
                      Path("m.sql"))  # fmt: skip
    read = records.migration_read(text, frozenset())
    assert read.commands[:1] == (records.CommandCount("BEGIN", 1),)
    assert read.kinds == (
        "notify: line 2 (top level): NOTIFY c",
        "large_object: line 3 (top level): SELECT pg_catalog.lo_export(1, 'x')",
    )
    assert read.calls == ("pg_catalog.lo_export",)
    run = replace(STOPPED_RUN, migration_sha256=text.sha256, migration_read=read)
    document = replace(STOPPED, runs=(run,))
    path = tmp_path / "verdicts.json"
    records.write(path, document)
    assert records.load(path) == document
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in ("migration_sha256", "migration_read"):
        del data["runs"][0][key]
    path.write_text(json.dumps(data), encoding="utf-8")
    assert records.load(path) == STOPPED
