"""A snapshot issues the same number of queries on a small and on a larger catalog.

One bulk query per object kind is what keeps a snapshot of a 10,000-table catalog fast: a
query per table, per function or per sequence would grow with the catalog and show here.
The statements are counted in libpq's trace of what the snapshot's connection sends to a
real server.
"""

from __future__ import annotations

from collections.abc import Callable

from psycopg import sql

from clausegate import db, snapshot
from clausegate.targets import Server

# Every kind of object the snapshot reads per object somewhere: tables with serial columns
# (so sequences and their values), indexes, CHECKs, foreign keys, comments, grants,
# triggers, views and functions in two languages.
CATALOG = sql.SQL("""
DO $$
BEGIN
    CREATE SCHEMA app;
    CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql
        AS 'BEGIN RETURN NEW; END';
    FOR i IN 1..{tables} LOOP
        EXECUTE format('CREATE TABLE app.t_%s (id serial PRIMARY KEY, parent_id integer,'
                       ' code text NOT NULL UNIQUE CHECK (code <> %L))', i, '');
        EXECUTE format('CREATE VIEW app.v_%s AS SELECT id, code FROM app.t_%s', i, i);
        EXECUTE format('CREATE FUNCTION app.f_%s(p integer) RETURNS integer LANGUAGE sql'
                       ' AS %L', i, format('SELECT id FROM app.t_%s WHERE id = p', i));
        EXECUTE format('CREATE FUNCTION app.g_%s() RETURNS void LANGUAGE plpgsql'
                       ' SECURITY DEFINER AS %L', i, 'BEGIN NULL; END');
        EXECUTE format('COMMENT ON TABLE app.t_%s IS %L', i, 'table ' || i);
        EXECUTE format('GRANT SELECT ON app.t_%s TO PUBLIC', i);
        EXECUTE format('CREATE TRIGGER touch BEFORE UPDATE ON app.t_%s'
                       ' FOR EACH ROW EXECUTE FUNCTION app.touch()', i);
        IF i > 1 THEN
            EXECUTE format('ALTER TABLE app.t_%s ADD FOREIGN KEY (parent_id)'
                           ' REFERENCES app.t_%s (id)', i, i - 1);
        END IF;
    END LOOP;
END
$$
""")


def counted_snapshot(conninfo: str) -> tuple[snapshot.Snapshot, int]:
    """A snapshot, and the number of statements its two connections (the snapshot's and
    its helper's) sent to the server (BEGIN and ROLLBACK included)."""
    with (
        db.connect(conninfo, purpose="snapshot") as conn,
        db.connect(conninfo, purpose="snapshot helper") as helper,
        db.counting_statements(conn, helper) as counted,
    ):
        taken = snapshot.capture_connection(conn, helper=helper)
    return taken, counted.sent


def catalog_of(conninfo: str, tables: int) -> None:
    with db.connect(conninfo, purpose="test catalog") as conn:
        conn.execute(CATALOG.format(tables=sql.Literal(tables)))


def test_a_snapshot_issues_as_many_queries_for_300_tables_as_for_10(
    pg_server: Server, database_factory: Callable[..., str]
) -> None:
    counts = {}
    for tables in (10, 300):
        conninfo = pg_server.conninfo(database_factory(prefix="cg_query_count"))
        catalog_of(conninfo, tables)
        taken, counts[tables] = counted_snapshot(conninfo)
        # The catalog was read whole: the count is of a complete snapshot.
        assert len(snapshot.objects(taken, "catalog", "tables")) == tables
        assert len(snapshot.objects(taken, "catalog", "functions")) == 2 * tables + 1
        assert len(snapshot.objects(taken, "nontransactional", "sequence_values")) == tables
    assert counts[10] == counts[300], counts
