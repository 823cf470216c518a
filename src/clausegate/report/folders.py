"""Where a run's outputs go: one folder per run, and `reports/latest` pointing at the newest."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

DEFAULT_ROOT = Path("reports")


def run_dir(explicit: Path | None = None, root: Path = DEFAULT_ROOT) -> Path:
    """Create the run's folder: `explicit`, or root/<UTC timestamp>-<short id> + root/latest."""
    if explicit is not None:
        explicit.mkdir(parents=True, exist_ok=True)
        return explicit
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = root / f"{stamp}-{secrets.token_hex(3)}"
    folder.mkdir(parents=True)
    latest = root / "latest"
    if latest.is_symlink() or latest.exists():
        latest.unlink()
    os.symlink(folder.name, latest)
    return folder
