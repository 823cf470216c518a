"""A migration that does not apply is one BROKEN run: exit 3, its file, line and error said
once in every output, each check BROKEN as not judged, and the bundle still verifies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clausegate.phase.judging import NOT_JUDGED
from clausegate.targets import Server
from tests.cli import assert_no_traceback, clausegate
from tests.report_run import Run, allure_missing, report_name

CASE = Path(__file__).parent / "engine_cases" / "migration_fails"
CAUSE = 'migration.sql:3: column "no_such_column" does not exist'


@pytest.fixture(scope="module")
def broken_run(pg_server: Server, tmp_path_factory: pytest.TempPathFactory) -> Run:
    folder = tmp_path_factory.mktemp("broken") / "run"
    result = clausegate("gate", str(CASE / "spec.yaml"), "--target", "dsn",
                        "--dsn", pg_server.conninfo(), "--report-dir", str(folder))  # fmt: skip
    assert_no_traceback(result)
    return Run(folder, result)


def test_the_cause_is_said_once_in_the_terminal(broken_run: Run) -> None:
    output = broken_run.result.stdout + broken_run.result.stderr
    assert broken_run.result.returncode == 3, output
    assert output.count("no_such_column") == 1, output
    line = next(line for line in output.splitlines() if CAUSE in line)
    assert line.startswith("BROKEN run: Demo law phase 2 (")
    assert line.endswith("none of its 17 checks was judged")


def test_every_check_is_broken_as_not_judged(broken_run: Run) -> None:
    verdicts = json.loads((broken_run.folder / "verdicts.json").read_text())
    assert {(c["status"], c["message"]) for c in verdicts["checks"]} == {("BROKEN", NOT_JUDGED)}
    assert len(verdicts["checks"]) == 17
    assert {c["status"] for c in verdicts["clauses"]} == {"BROKEN"}
    [run] = verdicts["runs"]
    assert run["fault"].startswith("the migration failed: ")
    assert run["fault"].endswith(CAUSE)
    assert verdicts["exit_code"] == 3


@pytest.mark.parametrize(
    "name", ["summary.md", "junit.xml", "verdicts.json", "allure-results/environment.properties"]
)
def test_each_output_says_the_cause_once(broken_run: Run, name: str) -> None:
    text = (broken_run.folder / name).read_text(encoding="utf-8")
    assert text.count("no_such_column") == 1, text


def test_the_summary_says_the_run_stopped_and_lists_no_check(broken_run: Run) -> None:
    summary = (broken_run.folder / "summary.md").read_text(encoding="utf-8")
    assert "### The run stopped" in summary
    assert "None of its 17 checks was judged: each is BROKEN, not judged." in summary
    assert "### What failed" not in summary
    assert "### Regression" not in summary


def test_allure_results_say_not_judged_without_class_names(broken_run: Run) -> None:
    results = sorted((broken_run.folder / "allure-results").glob("*-result.json"))
    assert len(results) == 17
    for path in results:
        result = json.loads(path.read_text(encoding="utf-8"))
        assert result["status"] == "broken"
        assert result["statusDetails"]["message"] == NOT_JUDGED


def test_the_broken_run_verifies(broken_run: Run) -> None:
    result = clausegate("evidence", "verify", str(broken_run.folder))
    assert_no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "verified (run verdict BROKEN)" in result.stderr + result.stdout


def test_the_report_opens_with_the_broken_verdict(broken_run: Run) -> None:
    if allure_missing():
        pytest.skip(f"report.html is not made here: {allure_missing()}")
    html = (broken_run.folder / "report.html").read_text(encoding="utf-8")
    assert report_name(html) == "clausegate: BROKEN (exit code 3) · Demo law phase 2"
