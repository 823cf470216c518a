"""Waiver files: bad ones are refused before anything runs, naming the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import assert_no_traceback, clausegate

SPEC = Path(__file__).parent / "engine_cases" / "waived" / "spec.yaml"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "waivers:\n  - check: worker-on\n    justification: later\n    expires: 2999-01-01\n",
            ":2:5: waiver 1 has no approver; every waiver needs check, approver, "
            "justification, expires",
        ),
        (
            "waivers:\n  - {check: worker-on, approver: C, justification: j, expires: soon}\n",
            ":2:64: expires: write a date as YYYY-MM-DD",
        ),
        (
            "waivers:\n  - {check: worker-on, approver: C, justification: j, expires: 2999-01-01,"
            " until: x}\n",
            ":2:5: unknown key 'until'",
        ),
        ("nothing: here\n", ":1:1: a waiver file is `waivers:` and a list"),
        (
            "waivers:\n  - {check: no-such-check, approver: C, justification: j,"
            " expires: 2999-01-01}\n",
            "waiver 1 names check 'no-such-check', which none of the specs given has",
        ),
    ],
    ids=["missing-approver", "bad-date", "unknown-key", "not-a-list", "unknown-check"],
)
def test_a_bad_waiver_file_exits_2(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text(text)
    result = clausegate("gate", str(SPEC), "--waivers", str(path), "--target", "nowhere-needed")
    assert_no_traceback(result)
    assert result.returncode == 2, result.stderr
    assert str(path) in result.stderr and message in result.stderr, result.stderr
