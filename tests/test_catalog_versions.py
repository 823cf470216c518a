"""PostgreSQL 13 to 18: every catalog query, in the variant for each version, runs.

The variants of versions up to the local server's run on it (an older variant only reads
columns that still exist); every version runs on its own server through the docker target
where a daemon answers, with a snapshot of a database holding one object of each kind.
"""

from __future__ import annotations

import pytest
from psycopg import sql

from clausegate import catalog, db, snapshot, templates
from clausegate.targets import DockerServer, Server, docker_status

VERSIONS = (130000, 140000, 150000, 160000, 170000, 180000)
SCHEMA = """
CREATE TABLE t (id integer PRIMARY KEY, v text CHECK (v <> '') DEFAULT 'x');
CREATE VIEW v AS SELECT id FROM t;
CREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql SECURITY DEFINER
  SET search_path = pg_catalog AS 'SELECT a';
CREATE SEQUENCE s;
COMMENT ON TABLE t IS 'a table';
GRANT SELECT ON t TO PUBLIC;
"""


@pytest.mark.parametrize("version_num", VERSIONS, ids=lambda v: str(v // 10000))
def test_the_variant_for_each_version_runs_on_the_local_server(
    version_num: int, pg_server: Server
) -> None:
    if version_num > pg_server.version_num:
        pytest.skip(f"the local server is {pg_server.version_num}; the variant needs a newer one")
    with (
        templates.database(pg_server, "cg_versions") as name,
        db.connect(pg_server.conninfo(name), purpose="test") as conn,
    ):
        conn.execute(SCHEMA)
        # Gated kinds (pg_cron's jobs, ALTER SYSTEM settings) run only where they can.
        for kind in (kind for kind in catalog.KINDS if not kind.gated):
            conn.execute(sql.SQL("SELECT count(*) FROM ({}) AS q").format(
                catalog.query(kind.name, version_num)
            ))  # fmt: skip


@pytest.mark.parametrize("version", (13, 14, 16, 17, 18))
def test_a_snapshot_on_each_version_through_docker(version: int) -> None:
    available, why = docker_status()
    if not available:
        pytest.skip(why)
    with DockerServer(f"postgres:{version}") as server:
        with db.connect(server.conninfo(), purpose="test") as conn:
            conn.execute(SCHEMA)
        taken = snapshot.capture(server.conninfo())
    assert taken["server"]["version_num"] // 10000 == version
    assert "public.t" in taken["catalog"]["tables"]
    assert "public.f(integer)" in taken["catalog"]["functions"]
