"""The snapshot's helper connection: it reads catalog kinds in the snapshot's own view, or,
when it cannot import that view, reads nothing, so that no kind is ever read from another
point in time or another database."""

from __future__ import annotations

from collections.abc import Callable

from clausegate import db, snapshot
from clausegate.targets import Server

CATALOG = """
CREATE SCHEMA app;
CREATE TABLE app.account (id serial PRIMARY KEY, code text NOT NULL UNIQUE);
CREATE VIEW app.codes AS SELECT code FROM app.account;
CREATE FUNCTION app.touch() RETURNS integer LANGUAGE sql AS 'SELECT 1';
INSERT INTO app.account (code) VALUES ('a'), ('b');
"""
OTHER = "CREATE SCHEMA elsewhere; CREATE TABLE elsewhere.only_here (id integer);"


def test_a_snapshot_read_with_a_helper_equals_one_read_alone(
    pg_server: Server, database_factory: Callable[..., str]
) -> None:
    conninfo = pg_server.conninfo(database_factory(prefix="cg_helper"))
    with db.connect(conninfo, purpose="test catalog") as conn:
        conn.execute(CATALOG)
        alone = snapshot.capture_connection(conn)
    assert snapshot.capture(conninfo) == alone
    assert "app.account" in alone["catalog"]["tables"]


def test_a_helper_on_another_database_reads_nothing_of_it(
    pg_server: Server, database_factory: Callable[..., str]
) -> None:
    conninfo = pg_server.conninfo(database_factory(prefix="cg_helper"))
    other = pg_server.conninfo(database_factory(prefix="cg_helper_other"))
    with db.connect(conninfo, purpose="test catalog") as conn:
        conn.execute(CATALOG)
    with db.connect(other, purpose="test catalog") as conn:
        conn.execute(OTHER)
    with (
        db.connect(conninfo, purpose="snapshot") as conn,
        db.connect(other, purpose="snapshot helper") as helper,
    ):
        # The server refuses to import a snapshot into another database: the snapshot's
        # own connection then reads every kind.
        taken = snapshot.capture_connection(conn, helper=helper)
        alone = snapshot.capture_connection(conn)
    assert taken == alone
    assert "elsewhere" not in taken["catalog"]["schemas"]
    assert set(taken["catalog"]["tables"]) == {"app.account"}
