"""What every target shares: the superuser, the settings of a throwaway cluster, and the
Server it gives (clausegate.db.server)."""

from __future__ import annotations

from clausegate.db.server import Server, read_version

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


__all__ = ["SUPERUSER", "THROWAWAY_SETTINGS", "Server", "read_version"]
