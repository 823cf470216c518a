"""Find the PostgreSQL server binaries the way a portable tool would.

Order: an explicit directory (--pg-bin / CLAUSEGATE_PG_BIN), `pg_config --bindir`, the
PATH, then the per-version directories distributions use (newest version first). The
places looked at are kept, so a failure can say what was tried.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

SERVER_PROGRAMS = ("initdb", "pg_ctl", "postgres")
VERSIONED_DIRS = (
    "/usr/lib/postgresql/*/bin",
    "/usr/pgsql-*/bin",
    "/usr/local/pgsql/bin",
    "/opt/homebrew/opt/postgresql@*/bin",
    "/usr/local/opt/postgresql@*/bin",
    "/Applications/Postgres.app/Contents/Versions/*/bin",
)


@dataclass
class Discovery:
    """The result of a search: the directory found (or None) and every place tried."""

    bindir: Path | None
    tried: list[str] = field(default_factory=list)


def has_server_programs(directory: Path) -> bool:
    return all(os.access(directory / name, os.X_OK) for name in SERVER_PROGRAMS)


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path)) or (0,)


def _pg_config_bindir() -> str | None:
    pg_config = shutil.which("pg_config")
    if pg_config is None:
        return None
    try:
        out = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def candidates(explicit: str | None) -> list[tuple[str, str | None]]:
    """(where, directory) pairs in the order they are tried; directory None = not present."""
    found: list[tuple[str, str | None]] = []
    if explicit:
        found.append(("--pg-bin / CLAUSEGATE_PG_BIN", explicit))
        return found
    found.append(("pg_config --bindir", _pg_config_bindir()))
    initdb = shutil.which("initdb")
    found.append(("PATH", str(Path(initdb).resolve().parent) if initdb else None))
    for pattern in VERSIONED_DIRS:
        matches = sorted(glob.glob(pattern), key=_version_key, reverse=True)
        found.extend((pattern, m) for m in matches)
        if not matches:
            found.append((pattern, None))
    return found


def discover(explicit: str | None = None) -> Discovery:
    """Find a directory holding initdb, pg_ctl and postgres.

    An explicit directory is the only place looked at when given, so a typo is an
    error rather than a silent fall-back to another version.
    """
    explicit = explicit or os.environ.get("CLAUSEGATE_PG_BIN") or None
    result = Discovery(bindir=None)
    for where, directory in candidates(explicit):
        if directory is None:
            result.tried.append(f"{where}: nothing there")
            continue
        if has_server_programs(Path(directory)):
            result.bindir = Path(directory)
            result.tried.append(f"{where}: {directory} (found)")
            return result
        result.tried.append(f"{where}: {directory} (no initdb/pg_ctl/postgres)")
    return result
