"""The engine end to end, as data: each folder of tests/engine_cases is one gate run.

A case holds spec.yaml (with before.sql and migration.sql beside it) and expected.yaml:
the exit code, the verdict of each clause, optionally of single checks, text the output
must contain, text summary.md must contain (`summary`), text the run's notes must contain
(`notes`), extra command-line arguments (paths relative to the case folder), `spec` when
the spec lies elsewhere (the attack_* cases share attack_world/spec.yaml and pass their
migration with --migration), and `own_server: true` to gate on a fresh local cluster of
the suite's major instead of the shared server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from clausegate.targets import Server
from tests.cli import assert_no_traceback, clausegate

# The behaviour depends on the server: these run on every major found.
pytestmark = pytest.mark.every_major

CASES = Path(__file__).parent / "engine_cases"


def case_ids() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "expected.yaml").exists())


@pytest.mark.parametrize("case", case_ids())
def test_case(case: str, pg_server: Server, tmp_path: Path) -> None:
    folder = CASES / case
    expected: dict[str, Any] = yaml.safe_load((folder / "expected.yaml").read_text())
    args = [str(folder / a) if (folder / a).exists() else a for a in expected.get("args", [])]
    # A case that needs clausegate's own cluster (files and processes are watched there
    # only), or that changes what a cluster keeps (roles), gates on a fresh local one.
    if expected.get("own_server"):
        target = ["--target", "local", "--pg-version", str(pg_server.version_num // 10000)]
    else:
        target = ["--target", "dsn", "--dsn", pg_server.conninfo()]
    result = clausegate(
        "gate", str(folder / expected.get("spec", "spec.yaml")), *args, *target,
        "--report-dir", str(tmp_path), "--no-html",
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert_no_traceback(result)
    assert result.returncode == expected["exit_code"], output
    verdicts = json.loads((tmp_path / "verdicts.json").read_text())
    clauses = {c["clause"]: c["status"] for c in verdicts["clauses"]}
    assert clauses == expected["clauses"], output
    checks = {c["check"]: c["status"] for c in verdicts["checks"]}
    for check_id, status in expected.get("checks", {}).items():
        assert checks[check_id] == status, output
    for text in expected.get("output", []):
        assert text in output
    # Values that must appear in no line of output and no file of the run (the evidence).
    for secret in expected.get("secrets", []):
        assert secret not in output
        for path in tmp_path.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path
    if expected.get("summary"):
        summary = (tmp_path / "summary.md").read_text("utf-8")
        for text in expected["summary"]:
            assert text in summary, summary
    notes = [note for run in verdicts["runs"] for note in run.get("notes", [])]
    for text in expected.get("notes", []):
        assert any(text in note for note in notes), notes
