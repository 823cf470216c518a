"""A gate reads a rows_touched query row by row only for a table whose content changed
(phase.deferred), and never from another state than the snapshot it completes: each read
takes the table's content hash again in its transaction (engine cases pass_simple and
rows_touched_read_where_changed show the two paths end to end)."""

from __future__ import annotations

from contextlib import nullcontext

import psycopg

from clausegate import snapshot
from clausegate.checks.rows_touched import RowsTouched, rows_query
from clausegate.db import templates
from clausegate.phase.capture import take_snapshot
from clausegate.phase.deferred import DeferredReads
from clausegate.phase.plan import write_horizon
from clausegate.targets import Server


def test_a_table_changed_after_its_snapshot_is_not_read_as_if_it_were_the_snapshot_s(
    pg_server: Server,
) -> None:
    with templates.database(pg_server, "deferred") as name:
        conninfo = pg_server.conninfo(name)
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute("CREATE TABLE t (id int PRIMARY KEY, v text)")
            conn.execute("INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 5) g")
        probe = snapshot.ContentHash("public.t", "public.t", write_horizon(conninfo))
        probes = snapshot.DataProbes((probe,))
        query = rows_query(RowsTouched("public.t"), ["id"])
        before = take_snapshot(conninfo, {}, probes)
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute("UPDATE t SET v = 'changed' WHERE id = 2")
        after = take_snapshot(conninfo, {}, probes)
        reads = DeferredReads({query: probe}, lambda: nullcontext(conninfo))
        # Unchanged since the after snapshot: the after read completes it.
        assert reads.read_changed(before, after, conninfo) == [query]
        assert sorted(key for key, _ in after["spec_queries"][query]) == ["1", "2", "3", "4", "5"]
        # The "copy of the before state" given here is the changed database itself: its
        # content is not the before snapshot's, so its rows are refused, not recorded.
        assert query not in before["spec_queries"]
        assert "was not the table its snapshot hashed" in before["spec_query_errors"][query]

        # Written again after the after snapshot (a program the migration left running):
        # the after read is refused too.
        again = take_snapshot(conninfo, {}, probes)
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute("UPDATE t SET v = 'later' WHERE id = 3")
        assert reads.read_changed(before, again, conninfo) == [query]
        assert query not in again["spec_queries"]
        assert "was not the table its snapshot hashed" in again["spec_query_errors"][query]


def test_an_unchanged_table_is_not_read_row_by_row(pg_server: Server) -> None:
    with templates.database(pg_server, "deferred") as name:
        conninfo = pg_server.conninfo(name)
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute("CREATE TABLE t (id int PRIMARY KEY, v text)")
            conn.execute("INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 5) g")
        probe = snapshot.ContentHash("public.t", "public.t", write_horizon(conninfo))
        probes = snapshot.DataProbes((probe,))
        query = rows_query(RowsTouched("public.t"), ["id"])
        before = take_snapshot(conninfo, {}, probes)
        after = take_snapshot(conninfo, {}, probes)

        def no_copy() -> nullcontext[str]:
            raise AssertionError("an unchanged table needs no copy of the before state")

        assert DeferredReads({query: probe}, no_copy).read_changed(before, after, conninfo) == []
        assert query not in after["spec_queries"]
        # The same text written again is a write: then the rows are read.
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute("UPDATE t SET v = v WHERE id = 1")
        rewritten = take_snapshot(conninfo, {}, probes)
        reads = DeferredReads({query: probe}, lambda: nullcontext(conninfo))
        assert rewritten["probes"]["content_hash"]["public.t"]["written"] == 1
        assert reads.read_changed(before, rewritten, conninfo) == [query]
