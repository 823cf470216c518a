"""A server as the database layer sees it: something to connect to, with its version."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from clausegate.db import connect


class Server(Protocol):
    """A PostgreSQL server clausegate can connect to."""

    label: str
    bindir: Path | None
    version_num: int
    version: str

    def conninfo(self, dbname: str | None = None) -> str:
        """A libpq conninfo string for `dbname` (the server's default database if None)."""
        ...


def read_version(server: Server) -> tuple[int, str]:
    conn = connect(server.conninfo(), purpose="version")
    with conn, conn.transaction(force_rollback=True):
        row = conn.execute("SELECT current_setting('server_version_num')::int, version()")
        num, text = row.fetchone() or (0, "")
    return int(num), str(text)
