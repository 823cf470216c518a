"""Run the real `clausegate` command in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def clausegate(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clausegate", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        # The test servers are throwaway: keep built states there for the next gate run.
        env={**os.environ, "CLAUSEGATE_REUSE_TEMPLATES": "1", **(env or {})},
        timeout=timeout,
        check=False,
    )


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout
