"""One real gate run of tests/report_cases/audit, shared by the report and evidence tests.

The case has two phases: phase 1 passes; phase 2 has a FAIL, an undeclared change, a
waived check, a known-open clause and a tolerated regression row, so every section of
summary.md has something to show.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from clausegate.errors import ClausegateError
from clausegate.report.html_report import allure_home
from clausegate.targets import Server
from tests.cli import assert_no_traceback, clausegate

CASE = Path(__file__).parent / "report_cases" / "audit"
CLAUSES = {"phase 1": ["§1", "closed-world", "inertness"],
           "phase 2": ["§1", "§2", "§4", "§9", "closed-world", "inertness"]}  # fmt: skip
LAW = "Audit demo law"


@dataclass(frozen=True)
class Run:
    folder: Path
    result: subprocess.CompletedProcess[str]


def gate_audit(server: Server, folder: Path) -> Run:
    result = clausegate(
        "gate", str(CASE / "specs"),
        "--waivers", str(CASE / "waivers.yaml"),
        "--target", "dsn", "--dsn", server.conninfo(),
        "--report-dir", str(folder),
    )  # fmt: skip
    assert_no_traceback(result)
    assert result.returncode == 1, result.stdout + result.stderr
    return Run(folder, result)


def copy_run(run: Run, target: Path) -> Path:
    """A copy of the run folder to alter freely."""
    shutil.copytree(run.folder, target, symlinks=True)
    return target


def allure_missing() -> str | None:
    """Why report.html cannot be made here, or None when Allure 3 is installed."""
    try:
        allure_home()
    except ClausegateError as exc:
        return str(exc)
    return None


def report_name(html: str) -> str:
    """The name report.html opens with (Allure's reportName)."""
    found = re.search(r'"reportName":("(?:[^"\\]|\\.)*")', html)
    assert found is not None, "report.html names no report"
    return str(json.loads(found[1]))
