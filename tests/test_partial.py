"""Partial runs: a gate that leaves checks out (-k, -x, a spec that fails to collect) is
PARTIAL in verdicts.json, the terminal, summary.md, junit.xml and Allure's environment,
naming what it left out; a full run is complete and says PARTIAL nowhere.

The cheap specs of tests/report_cases/audit: phase 1 (six checks, all PASS), phase 2 (a
FAIL to stop -x at)."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from clausegate.checks.verdict import ClauseStatus
from clausegate.report import attestation, records
from clausegate.targets import Server
from tests.cli import assert_no_traceback, clausegate
from tests.keys import make_key
from tests.report_run import CASE, Run

PHASE1 = CASE / "specs" / "phase1.yaml"
PHASE2 = CASE / "specs" / "phase2.yaml"
SHOWN1 = "tests/report_cases/audit/specs/phase1.yaml"
SHOWN2 = "tests/report_cases/audit/specs/phase2.yaml"


def gate(
    server: Server, folder: Path, spec: Path, *pytest_args: str
) -> subprocess.CompletedProcess[str]:
    result = clausegate(
        "gate", str(spec),
        "--target", "dsn", "--dsn", server.conninfo(), "--report-dir", str(folder), "--no-html",
        "--", *pytest_args,
    )  # fmt: skip
    assert_no_traceback(result)
    return result


def junit_properties(folder: Path) -> list[tuple[str, str]]:
    tree = ET.parse(folder / "junit.xml")
    return [(p.get("name", ""), p.get("value", "")) for p in tree.iter("property")
            if p.get("name", "").startswith("clausegate_")]  # fmt: skip


def environment(folder: Path) -> dict[str, str]:
    text = (folder / "allure-results" / "environment.properties").read_text(encoding="utf-8")
    return dict(line.split("=", 1) for line in text.splitlines())


def test_a_run_filtered_with_k_is_partial_everywhere(pg_server: Server, tmp_path: Path) -> None:
    folder = tmp_path / "run"
    result = gate(pg_server, folder, PHASE1, "-k", "R1")
    assert result.returncode == 0, result.stdout + result.stderr  # what its verdicts make it
    verdicts = records.load(folder / records.FILE)
    left_out = [f"{SHOWN1}: §1 > functions: deselected",
                f"{SHOWN1}: §1 > no-extension: deselected",
                f"{SHOWN1}: §1 > guard-added: deselected",
                f"{SHOWN1}: closed-world > closed-world: deselected",
                f"{SHOWN1}: inertness > inertness: deselected"]  # fmt: skip
    assert list(verdicts.left_out) == left_out
    assert not verdicts.complete
    assert [c.check for c in verdicts.checks] == ["R1"]
    clauses = {c.clause: c for c in verdicts.clauses}
    first = clauses["§1"]
    counted = (first.status, first.passed, first.total, first.left_out)
    assert counted == (ClauseStatus.PARTIAL, 1, 4, 3)
    assert clauses["inertness"].status is ClauseStatus.PARTIAL
    assert all(c.status is not ClauseStatus.PASS for c in verdicts.clauses)

    assert "PARTIAL: 5 checks left out" in result.stdout
    assert "  §1             PARTIAL      1/4   " in result.stdout
    assert f"  {left_out[0]}" in result.stdout

    summary = (folder / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("# clausegate summary: PARTIAL (exit code 0)\n")
    assert "## Left out (a PARTIAL run)" in summary
    assert f"- {left_out[-1]}" in summary
    assert "| PARTIAL | 1/4 (3 left out) |" in summary

    assert junit_properties(folder) == [
        ("clausegate_run", "PARTIAL"),
        *(("clausegate_left_out", line) for line in left_out),
    ]
    assert environment(folder)["run"] == "PARTIAL: 5 left out"

    # The Council: refused, each reason on a line, unless accepted as partial; never ratified.
    refused = clausegate("evidence", "verify", str(folder))
    assert refused.returncode == 1
    assert refused.stdout.splitlines() == [
        f"the run is PARTIAL: 5 left out ({'; '.join(left_out)}); --allow-partial accepts a "
        "partial run"
    ]
    accepted = clausegate("evidence", "verify", str(folder), "--allow-partial")
    assert accepted.returncode == 0, accepted.stdout
    assert "accepted by --allow-partial" in accepted.stdout
    assert "verified (run verdict PARTIAL (PASS of the checks run))" in accepted.stdout
    operator, council = make_key(tmp_path, "operator"), make_key(tmp_path, "council")
    signed = clausegate("evidence", "sign", str(folder), "--key", str(operator))
    assert signed.returncode == 0, signed.stderr
    statement = attestation.read(folder, attestation.RUN_FILE.as_posix()).statement
    assert statement["predicate"]["complete"] is False
    assert statement["predicate"]["left_out"] == left_out
    ratified = clausegate("evidence", "sign", str(folder), "--key", str(council))
    assert_no_traceback(ratified)
    assert ratified.returncode == 1
    assert "not ratifying: the bundle does not verify" in ratified.stderr
    assert "the run is PARTIAL: 5 left out" in ratified.stderr


def test_a_run_stopped_by_x_leaves_the_rest_out_and_still_fails(
    pg_server: Server, tmp_path: Path
) -> None:
    folder = tmp_path / "run"
    result = gate(pg_server, folder, PHASE2, "-x")
    assert result.returncode == 1, result.stdout + result.stderr  # the FAIL, not BROKEN
    verdicts = records.load(folder / records.FILE)
    assert verdicts.left_out
    assert all(line.endswith(": not run") for line in verdicts.left_out), verdicts.left_out
    assert f"{SHOWN2}: inertness > inertness: not run" in verdicts.left_out
    clauses = {c.clause: c.status for c in verdicts.clauses}
    assert clauses["§2"] is ClauseStatus.FAIL  # a partial run can prove a clause fails
    assert clauses["inertness"] is ClauseStatus.PARTIAL
    summary = (folder / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("# clausegate summary: FAIL, PARTIAL (exit code 1)\n")


def test_a_spec_that_fails_to_collect_is_left_out_whole(pg_server: Server, tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "broken.yaml").write_text('law: x\nphase: "1"\nclauss: []\n', encoding="utf-8")
    folder = tmp_path / "run"
    # The directory after -- goes to pytest as it is, with no validation before.
    result = gate(pg_server, folder, PHASE1, str(specs))
    assert result.returncode == 3, result.stdout + result.stderr  # it proves nothing
    verdicts = records.load(folder / records.FILE)
    (line,) = verdicts.left_out
    assert line.startswith(f"{specs / 'broken.yaml'}: not collected: ")
    assert "unknown key 'clauss'" in line
    assert {c.clause: c.status for c in verdicts.clauses} == {
        "§1": ClauseStatus.PASS, "closed-world": ClauseStatus.PASS,
        "inertness": ClauseStatus.PASS,
    }  # fmt: skip
    assert "PARTIAL: 0 checks left out, 1 spec file(s) not collected" in result.stdout
    summary = (folder / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("# clausegate summary: BROKEN, PARTIAL (exit code 3)\n")
    assert ("clausegate_left_out", line) in junit_properties(folder)
    # Its evidence says the same: accepted as partial, the exit code 3 follows.
    checked = clausegate("evidence", "verify", str(folder), "--allow-partial")
    assert checked.returncode == 0, checked.stdout


def test_a_full_run_is_complete_and_says_partial_nowhere(audit_run: Run) -> None:
    folder = audit_run.folder
    verdicts = records.load(folder / records.FILE)
    assert verdicts.complete
    assert verdicts.left_out == ()
    assert all(c.left_out == 0 for c in verdicts.clauses)
    assert "PARTIAL" not in audit_run.result.stdout
    assert "PARTIAL" not in (folder / "summary.md").read_text(encoding="utf-8")
    assert junit_properties(folder) == [("clausegate_run", "complete")]
    assert environment(folder)["run"] == "complete"
