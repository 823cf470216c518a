"""The catalogs the benchmarks read, built on a throwaway local server.

Each is a pair of databases with a migration between them: `before`, then `after` (a copy
of `before` with the migration applied). `after` is the database the snapshot and pg_dump
rows read; the diff rows compare the two.

- reference: the Điều 45 chain up to 050, then 051, 052 and 053 (three real migrations);
  `after` is the reference database after 053, 271 tables, 133,784 event_outbox rows.
- synthetic: N tables, N/5 views and 2N functions over 20 schemas, made on the server by
  bench/synthetic.sql; the migration (`bench_gen.migrate()`) changes about 1 % of a
  10,000-table catalog in the ways migrations do (tables and columns added, CHECKs widened,
  function bodies replaced, SECURITY changed, views dropped and made, grants, comments).

Databases are not dropped: the cluster is thrown away after the run, which is quicker than
dropping catalogs of tens of thousands of relations.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from psycopg import sql

from clausegate import db
from clausegate.db import reference, templates
from clausegate.targets import LocalServer

SYNTHETIC_SQL = Path(__file__).with_name("synthetic.sql")
# Objects created per transaction: far below the lock table's default capacity.
_BATCH = {"tables": 250, "views": 500, "functions": 1000}


@dataclass(frozen=True)
class Size:
    """A synthetic catalog's size."""

    label: str
    tables: int
    views: int
    functions: int


TEN_THOUSAND = Size("10,000 tables", 10_000, 2_000, 20_000)
FIFTY_THOUSAND = Size("50,000 tables", 50_000, 10_000, 100_000)
TWO_HUNDRED_THOUSAND = Size("200,000 tables", 200_000, 40_000, 400_000)


@dataclass(frozen=True)
class Pair:
    label: str
    before: str
    after: str
    migration: str
    counts: dict[str, int]
    build_seconds: float


# Counts of the measured database, as the fixture README defines them (user schemas, no
# extension members), plus sequences and the catalog's size on disk.
_COUNTS = sql.SQL("""
SELECT count(*) FILTER (WHERE c.relkind IN ('r', 'p')) AS tables,
       count(*) FILTER (WHERE c.relkind = 'v') AS views,
       count(*) FILTER (WHERE c.relkind = 'S') AS sequences,
       count(*) FILTER (WHERE c.relkind = 'i') AS indexes,
       (SELECT count(*) FROM pg_proc AS p JOIN pg_namespace AS pn ON pn.oid = p.pronamespace
        WHERE pn.nspname !~ '^pg_' AND pn.nspname <> 'information_schema'
          AND NOT EXISTS (SELECT FROM pg_depend AS e WHERE e.classid = 'pg_proc'::regclass
                          AND e.objid = p.oid AND e.deptype = 'e')) AS functions,
       (SELECT count(*) FROM pg_attribute AS a JOIN pg_class AS ac ON ac.oid = a.attrelid
        JOIN pg_namespace AS an ON an.oid = ac.relnamespace
        WHERE a.attnum > 0 AND NOT a.attisdropped AND ac.relkind IN ('r', 'p', 'f', 'v', 'm', 'c')
          AND an.nspname !~ '^pg_'
          AND an.nspname <> 'information_schema') AS columns,
       (SELECT count(*) FROM pg_constraint AS k JOIN pg_namespace AS kn
        ON kn.oid = k.connamespace WHERE kn.nspname !~ '^pg_'
          AND kn.nspname <> 'information_schema') AS constraints
FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT FROM pg_depend AS e WHERE e.classid = 'pg_class'::regclass
                  AND e.objid = c.oid AND e.deptype = 'e')
""")


def counts(conninfo: str) -> dict[str, int]:
    with db.connect(conninfo, purpose="bench counts") as conn:
        cur = conn.execute(_COUNTS)
        names = [column.name for column in cur.description or ()]
        return dict(zip(names, map(int, cur.fetchone() or ()), strict=True))


def analyze(conninfo: str) -> None:
    """Fresh planner statistics, catalogs included, as autovacuum keeps them on a server
    that has been up a while (a catalog just built has none)."""
    with db.connect(conninfo, purpose="bench analyze") as conn:
        conn.execute("ANALYZE")


def reference_pair(server: LocalServer) -> Pair:
    started = time.perf_counter()
    chain = reference.chain_files(reference.DEFAULT_FIXTURES)
    first = reference.chain_files(reference.DEFAULT_FIXTURES, "050")
    before = templates.unique_name("bench_ref_050")
    templates.create_database(server, before)
    for path in first:
        reference.apply_sql_file(server.conninfo(before), path)
    after = templates.unique_name("bench_ref_053")
    templates.create_database(server, after, before)
    for path in chain[len(first) :]:
        reference.apply_sql_file(server.conninfo(after), path)
    for name in (before, after):
        analyze(server.conninfo(name))
    return Pair(
        label="reference (053)",
        before=before,
        after=after,
        migration=", ".join(path.name for path in chain[len(first) :]) + " on 050",
        counts=counts(server.conninfo(after)),
        build_seconds=time.perf_counter() - started,
    )


def synthetic_pair(server: LocalServer, size: Size) -> Pair:
    started = time.perf_counter()
    before = templates.unique_name(f"bench_syn_{size.tables}")
    templates.create_database(server, before)
    with db.connect(server.conninfo(before), purpose="bench build") as conn:
        conn.execute(SYNTHETIC_SQL.read_bytes())
        conn.execute("CALL bench_gen.make_schemas()")
        conn.execute("CALL bench_gen.make_tables(1, %s, %s)", (size.tables, _BATCH["tables"]))
        conn.execute("CALL bench_gen.make_views(1, %s, %s)", (size.views, _BATCH["views"]))
        conn.execute(
            "CALL bench_gen.make_functions(1, %s, %s, %s)",
            (size.functions, size.tables, _BATCH["functions"]),
        )
    after = templates.unique_name(f"bench_syn_{size.tables}_migrated")
    templates.create_database(server, after, before)
    with db.connect(server.conninfo(after), purpose="bench migrate") as conn:
        conn.execute("CALL bench_gen.migrate()")
    for name in (before, after):
        with db.connect(server.conninfo(name), purpose="bench build") as conn:
            conn.execute("DROP SCHEMA bench_gen CASCADE")
        analyze(server.conninfo(name))
    return Pair(
        label=size.label,
        before=before,
        after=after,
        migration="bench_gen.migrate() (bench/synthetic.sql)",
        counts=counts(server.conninfo(after)),
        build_seconds=time.perf_counter() - started,
    )


def restart_with(server: LocalServer, settings: dict[str, str]) -> None:
    """Set server parameters that need a restart (ALTER SYSTEM), and restart.

    Uses the local server's own runner, which starts pg_ctl as the cluster's OS user.
    """
    with db.connect(server.conninfo(), purpose="bench settings") as conn:
        for name, value in settings.items():
            conn.execute(
                sql.SQL("ALTER SYSTEM SET {} = {}").format(sql.Identifier(name), sql.Literal(value))
            )
    assert server.root is not None
    server._run(
        "pg_ctl", "-D", str(server.datadir), "-l", str(server.root / "server.log"),
        "-w", "-t", "120", "restart",
    )  # fmt: skip
    server.pid = int((server.datadir / "postmaster.pid").read_text().split()[0])
