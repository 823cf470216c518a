"""The snapshot's helper connection: it reads catalog kinds in the snapshot's own view, or,
when it cannot import that view, reads nothing, so that no kind is ever read from another
point in time or another database."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clausegate import db, snapshot
from clausegate.errors import EXIT_BROKEN, ClausegateError
from clausegate.snapshot import catalog
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
    assert "app.account" in snapshot.objects(alone, "catalog", "tables")


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
    assert "elsewhere" not in snapshot.objects(taken, "catalog", "schemas")
    assert set(snapshot.objects(taken, "catalog", "tables")) == {"app.account"}


def test_a_helper_failing_on_a_kind_fails_the_snapshot_never_leaves_it_empty(
    pg_server: Server, database_factory: Callable[..., str]
) -> None:
    name = database_factory(prefix="cg_helper")
    conninfo = pg_server.conninfo(name)
    role = f"{name}_helper"
    with db.connect(conninfo, purpose="test catalog") as conn:
        conn.execute(CATALOG)
        # In this database only, the helper's role may not call pg_get_viewdef.
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute("REVOKE EXECUTE ON FUNCTION pg_catalog.pg_get_viewdef(oid) FROM PUBLIC")
    # The snapshot's own connection is busy in a slow probe while the helper takes every
    # catalog kind, views among them.
    slow = snapshot.DataProbes((snapshot.SelectedRows("slow", "SELECT pg_sleep(3)"),))
    try:
        with (
            db.connect(conninfo, purpose="snapshot") as conn,
            db.connect(f"{conninfo} user={role}", purpose="snapshot helper") as helper,
            pytest.raises(ClausegateError) as failed,
        ):
            snapshot.capture_connection(conn, slow, helper)
        assert failed.value.exit_code == EXIT_BROKEN
        assert str(failed.value).startswith("snapshot failed reading views: ")
        assert "permission denied for function pg_get_viewdef" in str(failed.value)
    finally:
        with db.connect(pg_server.conninfo("postgres"), purpose="test cleanup") as conn:
            conn.execute(f"DROP ROLE IF EXISTS {role}")


def test_each_kind_says_truly_whether_its_query_has_an_extension_column(
    pg_server: Server, database_factory: Callable[..., str]
) -> None:
    # A kind's rows come in chunks, so a kind with none gives no columns to look at: which
    # kinds keep extension members apart is declared, and must match the queries.
    conninfo = pg_server.conninfo(database_factory(prefix="cg_helper"))
    with db.connect(conninfo, purpose="test catalog") as conn:
        version = conn.info.server_version
        for kind in catalog.KINDS:
            if kind.name == "cron_jobs":
                continue  # Reads cron.job, which needs pg_cron (not installed here).
            with conn.transaction(force_rollback=True):
                cur = conn.execute(catalog.query(kind.name, version))
                names = [column.name for column in cur.description or ()]
            assert (names[1:2] == ["extension"]) == kind.extension_column, kind.name
