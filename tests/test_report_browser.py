"""report.html opened in a real browser (headless Chromium): what an auditor sees first.

The run's verdict heads the page, the tree names each clause by id and title, and a failed
check's page shows its evidence in the verdict's own words, no Python class name.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests import browser
from tests.report_run import Run, allure_missing

TITLED_CLAUSES = (
    "§1: the guard exists and refuses a missing actor",
    "§2: nothing else moves",
    "§4: an auditor has signed the ledger",
    "closed-world: Every change the migration made is declared (closed world)",
)


@pytest.fixture(scope="module")
def chromium() -> str:
    found = browser.find()
    if found is None:
        pytest.skip(browser.missing())
    return found


def report(run: Run) -> Path:
    if allure_missing():
        pytest.skip(f"report.html is not made here: {allure_missing()}")
    return run.folder / "report.html"


def failed_leaf(html: Path, name: str) -> str:
    """The id Allure gives the failed test named `name` (its page is report.html#/<id>)."""
    found = dict(re.findall(r'd\("([^"]+)","([A-Za-z0-9+/=]*)"\)', html.read_text("utf-8")))
    tree: dict[str, Any] = json.loads(base64.b64decode(found["widgets/tree.json"]))
    return next(
        str(leaf_id)
        for leaf_id, leaf in tree["leavesById"].items()
        if leaf["status"] == "failed" and str(leaf["name"]).startswith(name)
    )


def test_the_report_opens_with_the_verdict_and_the_clause_titles(
    audit_run: Run, chromium: str
) -> None:
    text = browser.rendered_text(chromium, report(audit_run).as_uri())
    heading = "clausegate: FAIL (exit code 1) · Audit demo law phase 1, Audit demo law phase 2"
    assert text.index(heading) < text.index("phase 2 "), text[:2000]
    for clause in TITLED_CLAUSES:
        assert clause in text, clause


def test_a_failed_check_shows_its_evidence(audit_run: Run, chromium: str) -> None:
    html = report(audit_run)
    page = f"{html.as_uri()}#/{failed_leaf(html, 'closed-world')}"
    text = browser.rendered_text(chromium, page)
    assert "4 change(s) not declared under expected_changes" in text, text[:3000]
    assert "table public.stray: added" in text
    assert "column public.stray.id: added" in text
    for name in ("CheckFailed", "clausegate.pytest", "AssertionError"):
        assert name not in text
