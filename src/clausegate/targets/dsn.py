"""The dsn target: an existing server, reached and never started or stopped."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from psycopg.conninfo import make_conninfo

from clausegate import db, environment
from clausegate.errors import TargetError
from clausegate.targets.server import read_version


class DsnServer:
    """An existing server reached by DSN (or by libpq's PG* variables when the DSN is "")."""

    def __init__(self, dsn: str, *, expected_major: int | None = None) -> None:
        self.dsn = dsn
        self.expected_major = expected_major
        self.label = f"dsn ({db.redact(dsn) or 'libpq environment'})"
        self.bindir: Path | None = None
        self.version_num = 0
        self.version = ""

    def conninfo(self, dbname: str | None = None) -> str:
        return make_conninfo(self.dsn, **({"dbname": dbname} if dbname else {}))

    def __enter__(self) -> DsnServer:
        self.version_num, self.version = read_version(self)
        major = self.version_num // 10000
        if self.expected_major is not None and major != self.expected_major:
            raise TargetError(
                f"--pg-version {self.expected_major}: the server at {db.redact(self.dsn)} runs "
                f"{self.version.split(' on ')[0]}; drop --pg-version (or CLAUSEGATE_PG_VERSION) "
                "to use it, or give the DSN of a PostgreSQL "
                f"{self.expected_major} server"
            )
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


def dsn_from_environment(explicit: str | None) -> str | None:
    """The DSN to use: --dsn, CLAUSEGATE_DSN, or "" when libpq's PG* variables name a server."""
    if explicit:
        return explicit
    dsn = environment.value(environment.DSN)
    if dsn:
        return dsn
    if environment.libpq_names_a_server():
        return ""
    return None
