"""What every target gives: a server with a conninfo, a version and a label."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from clausegate import db

SUPERUSER = "postgres"


# Environment variables that, set alone, say "use this existing server" to libpq.
# A throwaway cluster's data is discarded after the run, so durability buys nothing.
THROWAWAY_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "logging_collector": "off",
    "max_connections": "100",
    # What the server did, statement by statement, for the watch of a gate (watch.log_since).
    "log_statement": "'all'",
    "log_line_prefix": "'%m [%p] %d %u [%a] '",
    # Production servers that allow two-phase commit let a migration leave a prepared
    # transaction behind; with the default 0 it could not, and the gate would not see it.
    "max_prepared_transactions": "10",
}


class Server(Protocol):
    """A PostgreSQL server clausegate can connect to."""

    label: str
    bindir: Path | None
    version_num: int
    version: str

    def conninfo(self, dbname: str | None = None) -> str:
        """A libpq conninfo string for `dbname` (the server's default database if None)."""
        ...


def _read_version(server: Server) -> tuple[int, str]:
    conn = db.connect(server.conninfo(), purpose="version")
    with conn, conn.transaction(force_rollback=True):
        row = conn.execute("SELECT current_setting('server_version_num')::int, version()")
        num, text = row.fetchone() or (0, "")
    return int(num), str(text)
