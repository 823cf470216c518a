"""PostgreSQL 13 to 18: every catalog query, in the variant for each version, runs.

On a server of every major found (15 to 18 with the embedded servers), the variant of that
major runs (on 15 those of 13 and 14 too), and a snapshot of a database holding one object
of each kind reads it back. 13 and 14, which no embedded server brings, run on their own
server through the docker target where a daemon answers.
"""

from __future__ import annotations

import pytest
from psycopg import sql

from clausegate import db, snapshot
from clausegate.db import templates
from clausegate.snapshot import catalog
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


@pytest.mark.every_major
def test_the_variant_of_the_server_s_version_runs_on_it(pg_server: Server) -> None:
    """Each major's own variant on a server of that major; on 15, the oldest major found, the
    variants of 13 and 14 too (they read no column 15 dropped; 17 dropped some of 15's)."""
    own = [v for v in VERSIONS if v <= pg_server.version_num][-1]
    assert own // 10000 == pg_server.version_num // 10000
    variants = [v for v in VERSIONS if v < 150000] * (own == 150000) + [own]
    with (
        templates.database(pg_server, "cg_versions") as name,
        db.connect(pg_server.conninfo(name), purpose="test") as conn,
    ):
        conn.execute(SCHEMA)
        # Gated kinds (pg_cron's jobs, ALTER SYSTEM settings) run only where they can.
        for version_num in variants:
            for kind in (kind for kind in catalog.KINDS if not kind.gated):
                conn.execute(sql.SQL("SELECT count(*) FROM ({}) AS q").format(
                    catalog.query(kind.name, version_num)
                ))  # fmt: skip


@pytest.mark.every_major
def test_a_snapshot_on_each_major_reads_one_object_of_each_kind(pg_server: Server) -> None:
    with templates.database(pg_server, "cg_versions") as name:
        with db.connect(pg_server.conninfo(name), purpose="test") as conn:
            conn.execute(SCHEMA)
        taken = snapshot.capture(pg_server.conninfo(name))
    assert taken["server"]["version_num"] == pg_server.version_num

    def catalog_of(kind: str) -> snapshot.Objects:
        return snapshot.objects(taken, "catalog", kind)

    assert catalog_of("tables")["public.t"]["privileges"]
    assert "public.f(integer)" in catalog_of("functions")
    assert {"public.v", "public.s"} <= catalog_of("views").keys() | catalog_of("sequences").keys()
    # PostgreSQL 18's NOT NULL rows of pg_constraint are the columns' not_null, not constraints.
    assert catalog_of("columns")["public.t.id"]["not_null"] is True
    assert [c for c in catalog_of("constraints") if c.startswith("public.t.")] == [
        "public.t.t_pkey",
        "public.t.t_v_check",
    ]


@pytest.mark.parametrize("version", (13, 14))
def test_a_snapshot_on_each_older_version_through_docker(version: int) -> None:
    available, why = docker_status()
    if not available:
        pytest.skip(why)
    with DockerServer(f"postgres:{version}") as server:
        with db.connect(server.conninfo(), purpose="test") as conn:
            conn.execute(SCHEMA)
        taken = snapshot.capture(server.conninfo())
    assert taken["server"]["version_num"] // 10000 == version
    assert "public.t" in snapshot.objects(taken, "catalog", "tables")
    assert "public.f(integer)" in snapshot.objects(taken, "catalog", "functions")
