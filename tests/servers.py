"""A server that asks for passwords over TCP, for the tests of secrets and wrong passwords."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from clausegate import db
from clausegate.targets import LocalServer, pgbin


@contextmanager
def password_server(role: str, password: str, *, superuser: bool) -> Iterator[LocalServer]:
    """A local server on 127.0.0.1 where `role` logs in with `password` (scram-sha-256);
    the superuser still connects without one, for setup."""
    found = pgbin.discover(None)
    assert found.bindir is not None, "the local target's binaries are needed here"
    with LocalServer(found.bindir, tcp=True) as server:
        hba = server.datadir / "pg_hba.conf"
        with db.connect(server.conninfo(), purpose="test setup") as conn:
            kind = "SUPERUSER" if superuser else "NOSUPERUSER"
            conn.execute(f"CREATE ROLE {role} LOGIN {kind} PASSWORD '{password}'")
            conn.execute(
                "COPY (VALUES ('local all all trust'),"
                f" ('host all {role} 127.0.0.1/32 scram-sha-256'),"
                f" ('host all all 127.0.0.1/32 trust')) TO '{hba}'"
            )
            conn.execute("SELECT pg_reload_conf()")
        yield server
