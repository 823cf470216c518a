"""summary.md (a golden file), report.html (offline, the clause tree) and `clausegate report`.

Set CLAUSEGATE_UPDATE_GOLDEN=1 to rewrite tests/report_cases/audit/summary.md after an
intended change of the summary, then review the diff.
"""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from clausegate.report import bundle, html_report
from clausegate.targets import Server
from tests.cli import assert_no_traceback, clausegate
from tests.report_run import CASE, CLAUSES, LAW, Run, allure_missing, copy_run, report_name

GOLDEN = CASE / "summary.md"
# Rows of the run table that differ from one machine or moment to the next.
VOLATILE = ("started", "ended", "command", "target", "server", "clausegate")


def normalised(summary: str) -> str:
    lines = []
    for line in summary.splitlines():
        row = next((r for r in VOLATILE if line.startswith(f"| {r} |")), None)
        lines.append(f"| {row} | … |" if row else line)
    return "\n".join(lines) + "\n"


def test_summary_matches_the_golden_file(audit_run: Run) -> None:
    summary = normalised((audit_run.folder / "summary.md").read_text(encoding="utf-8"))
    if os.environ.get("CLAUSEGATE_UPDATE_GOLDEN"):
        GOLDEN.write_text(summary, encoding="utf-8")
    assert summary == GOLDEN.read_text(encoding="utf-8")


def test_summary_has_the_seed_shapes(audit_run: Run) -> None:
    summary = (audit_run.folder / "summary.md").read_text(encoding="utf-8")
    for header in (
        "| clause | title | verdict | checks passed/total |",
        "| metric | before | after | Δ | expected | verdict |",
        "| item | verdict | evidence |",
        "| # | input | result | verdict |",
    ):
        assert header in summary
    assert "| outbox rows | 2,500 | 3,519 | +1,019 |" in summary
    assert "background inserts by other actors" in summary
    assert "no heartbeat caller is wired yet (DC-5)" in summary
    assert "- table public.stray: added" in summary


def test_report_regenerates_the_same_summary_and_reseals(audit_run: Run, tmp_path: Path) -> None:
    folder = copy_run(audit_run, tmp_path / "run")
    (folder / "summary.md").unlink()
    (folder / "report.html").unlink(missing_ok=True)
    result = clausegate("report", str(folder))
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    regenerated = (folder / "summary.md").read_bytes()
    assert regenerated == (audit_run.folder / "summary.md").read_bytes()
    assert (folder / "report.html").exists() == (allure_missing() is None)
    assert clausegate("evidence", "verify", str(folder)).returncode == 0
    manifest = json.loads((folder / bundle.MANIFEST).read_text())
    assert [r["command"][:2] for r in manifest["run"]["regenerated"]] == [["clausegate", "report"]]


def test_report_refuses_an_altered_bundle(audit_run: Run, tmp_path: Path) -> None:
    folder = copy_run(audit_run, tmp_path / "run")
    (folder / "verdicts.json").write_text("{}")
    result = clausegate("report", str(folder))
    assert_no_traceback(result)
    assert result.returncode == 1
    assert "altered: verdicts.json" in result.stderr


def test_report_of_a_folder_that_is_no_run_exits_2(tmp_path: Path) -> None:
    result = clausegate("report", str(tmp_path))
    assert_no_traceback(result)
    assert result.returncode == 2
    assert "not a run folder" in result.stderr


def test_environment_properties(audit_run: Run) -> None:
    text = (audit_run.folder / "allure-results" / "environment.properties").read_text()
    values = dict(line.split("=", 1) for line in text.splitlines())
    assert values["server_version"].startswith("PostgreSQL")
    assert values["target"].startswith("dsn (")
    assert values["clausegate_version"]


# --- report.html ----------------------------------------------------------------------


def report_html(run: Run) -> str:
    missing = allure_missing()
    if missing:
        pytest.skip(f"report.html is not made here: {missing}")
    return (run.folder / "report.html").read_text(encoding="utf-8")


def embedded(html: str, name: str) -> Any:
    """One JSON file of those a single-file Allure report embeds (base64, by name)."""
    found = dict(re.findall(r'd\("([^"]+)","([A-Za-z0-9+/=]*)"\)', html))
    return json.loads(base64.b64decode(found[name]))


def tree_paths(tree: dict[str, Any]) -> set[tuple[str, ...]]:
    """Every path of group names in Allure's tree widget, from the root down."""
    paths: set[tuple[str, ...]] = set()

    def walk(ids: list[str], above: tuple[str, ...]) -> None:
        for group_id in ids:
            group = tree["groupsById"][group_id]
            path = (*above, group["name"])
            paths.add(path)
            walk(group.get("groups", []), path)

    walk(tree["root"].get("groups", []), ())
    return paths


def test_html_loads_nothing_from_outside(audit_run: Run) -> None:
    html = report_html(audit_run)
    assert re.findall(r"<script\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//", html, re.I) == []
    assert html_report.outside_script_sources(html) == []
    assert "googletagmanager" not in html
    assert "gtag(" not in html


def test_html_shows_the_clause_tree(audit_run: Run) -> None:
    """law > phase > clause, each clause by its id and its title."""
    paths = tree_paths(embedded(report_html(audit_run), "widgets/tree.json"))
    verdicts = json.loads((audit_run.folder / "verdicts.json").read_text())
    titles = {(f"phase {Path(c['spec']).stem[-1]}", c["clause"]): c["title"]
              for c in verdicts["clauses"]}  # fmt: skip
    for phase, clauses in CLAUSES.items():
        for clause in clauses:
            named = f"{clause}: {titles[(phase, clause)]}"
            assert (LAW, phase, named) in paths, (phase, named, sorted(paths))


def test_html_opens_with_the_run_verdict(audit_run: Run) -> None:
    name = report_name(report_html(audit_run))
    assert name == "clausegate: FAIL (exit code 1) · Audit demo law phase 1, Audit demo law phase 2"


def test_allure_messages_carry_no_python_class_name(audit_run: Run) -> None:
    """allure-pytest heads a message with the exception's class; the run removes it."""
    messages = []
    for path in (audit_run.folder / "allure-results").glob("*-result.json"):
        details = json.loads(path.read_text(encoding="utf-8")).get("statusDetails") or {}
        messages.append(str(details.get("message", "")))
    failing = [m for m in messages if m]
    assert failing, "the audit run has failing, waived and known-open checks"
    for message in failing:
        assert not re.search(
            r"\b(CheckFailed|CheckBroken|Skipped|XFailed|clausegate\.)", message
        ), message
    assert any(m.startswith("4 change(s) not declared") for m in failing)


def test_html_sorts_problems_into_categories(audit_run: Run) -> None:
    categories = embedded(report_html(audit_run), "widgets/categories.json")
    names = {n["name"] for n in categories["nodes"].values() if n["type"] == "category"}
    assert {"Known-open violations", "Waived failures", "Clause failures"} <= names


def test_history_carries_over_between_runs_of_the_same_specs(
    pg_server: Server, tmp_path: Path
) -> None:
    if allure_missing():
        pytest.skip(f"report.html is not made here: {allure_missing()}")
    spec = Path(__file__).parent / "engine_cases" / "pass_simple" / "spec.yaml"
    for name in ("first", "second"):
        result = clausegate("gate", str(spec), "--target", "dsn", "--dsn", pg_server.conninfo(),
                            "--report-dir", str(tmp_path / name))  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
    histories = list((tmp_path / "history").iterdir())
    assert len(histories) == 1
    assert len(histories[0].read_text().splitlines()) == 2


def test_another_migration_of_the_same_spec_keeps_its_own_history(
    pg_server: Server, tmp_path: Path
) -> None:
    """A check whose verdict differs between two migrations of one spec is no flaky check:
    their histories do not mix."""
    if allure_missing():
        pytest.skip(f"report.html is not made here: {allure_missing()}")
    case = Path(__file__).parent / "engine_cases" / "pass_simple"
    other = tmp_path / "other.sql"
    other.write_text((case / "migration.sql").read_text() + "\n-- the same, said again\n")
    for name, migration in (("first", case / "migration.sql"), ("second", other)):
        result = clausegate("gate", str(case / "spec.yaml"), "--migration", str(migration),
                            "--target", "dsn", "--dsn", pg_server.conninfo(),
                            "--report-dir", str(tmp_path / name))  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
    histories = sorted((tmp_path / "history").iterdir())
    assert len(histories) == 2
    assert [len(h.read_text().splitlines()) for h in histories] == [1, 1]
