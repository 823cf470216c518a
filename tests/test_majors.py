"""Snapshots of one database on two majors diff empty, and what the rules that make them
comparable leave out is never a real change: each rule has the attack it must not hide."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from clausegate import db, snapshot
from clausegate.db import templates
from clausegate.diff import diff, majors
from clausegate.targets import Server


def taken(version_num: int, **catalog: dict[str, Any]) -> dict[str, Any]:
    """A minimal snapshot of a server of `version_num` holding `catalog`'s kinds."""
    sections: dict[str, Any] = {section: {} for section in snapshot.SECTIONS}
    sections["catalog"] = {"schemas": {"public": {}}, **catalog}
    return {"server": {"version_num": version_num, "version": str(version_num)}, **sections}


def view(definition: str) -> dict[str, Any]:
    return {"kind": "view", "definition": definition, "owner": "o", "privileges": None}


def table(*privileges: str) -> dict[str, Any]:
    return {"kind": "table", "owner": "o", "privileges": list(privileges)}


@pytest.mark.parametrize(
    ("on_15", "on_16", "same"),
    [
        ("SELECT t.id FROM public.t", "SELECT id FROM public.t", True),
        (
            "SELECT ( SELECT count(*) FROM public.q WHERE (q.s = 'a'::text)) AS n, hb.total "
            "FROM ( SELECT count(*) AS total FROM public.h) hb",
            "SELECT ( SELECT count(*) FROM public.q WHERE (q.s = 'a'::text)) AS n, total "
            "FROM ( SELECT count(*) AS total FROM public.h) hb",
            True,
        ),
        # a column of another table: a real change, whatever the major prints
        (
            "SELECT a.id FROM (public.a JOIN public.b USING (k))",
            "SELECT b.id FROM (public.a JOIN public.b USING (k))",
            False,
        ),
        # another schema's table is never a qualifier to drop
        ("SELECT t.id FROM public.t", "SELECT id FROM t", False),
        ("SELECT t.id FROM public.t", "SELECT id FROM public.t WHERE (id > 0)", False),
    ],
)
def test_a_view_printed_by_15_and_16(on_15: str, on_16: str, same: bool) -> None:
    before = taken(150018, views={"public.v": view(on_15)})
    after = taken(160013, views={"public.v": view(on_16)})
    assert (diff(before, after) == []) is same
    assert (diff(after, before) == []) is same
    # on one major the texts are compared as they are
    assert diff(taken(160013, views={"public.v": view(on_15)}), after) != []


@pytest.mark.parametrize(
    ("on_16", "on_17", "shown"),
    [
        (["o=arwdDxt/o"], ["o=arwdDxtm/o"], []),
        (["o=arwdDxt/o", "r=arwdDxt*/o"], ["o=arwdDxtm/o", "r=arwdDxt*m*/o"], []),
        (["o=arwdDxt/o"], ["o=arwdDxtm/o", "r=m/o"], ["granted MAINTAIN to r"]),
        (["o=arwdDxt/o", "r=r/o"], ["o=arwdDxtm/o", "r=rm/o"], ["granted MAINTAIN to r"]),
    ],
)
def test_maintain_of_17_is_compared_only_where_no_grant_of_all_implies_it(
    on_16: list[str], on_17: list[str], shown: list[str]
) -> None:
    lines = [c.line for c in diff(taken(160013, tables={"public.t": table(*on_16)}),
                                  taken(170010, tables={"public.t": table(*on_17)}))]  # fmt: skip
    assert lines == [f"table public.t: privileges: {s}" for s in shown]


def test_comparable_leaves_its_inputs_alone() -> None:
    before = taken(150018, views={"public.v": view("SELECT t.id FROM public.t")})
    after = taken(170010, tables={"public.t": table("o=arwdDxtm/o")})
    kept = copy.deepcopy((before, after))
    majors.comparable(before, after)
    assert (before, after) == kept


NOT_NULL_STATES = """
CREATE TABLE t (a int NOT NULL, b int, c int, d int, e int NOT NULL);
CREATE DOMAIN dm AS int NOT NULL;
"""


@pytest.mark.every_major
def test_a_not_null_any_major_would_make_is_the_column_s_only(pg_server: Server) -> None:
    """18's pg_constraint rows of plain NOT NULLs (17's of domains) are left out; one that
    has a name of its own, is NOT VALID or NO INHERIT is state of its own and is kept."""
    with templates.database(pg_server, "cg_not_null") as name:
        conninfo = pg_server.conninfo(name)
        with db.connect(conninfo, purpose="test") as conn:
            conn.execute(NOT_NULL_STATES)
        first = snapshot.capture(conninfo)
        assert [
            k
            for k in snapshot.objects(first, "catalog", "constraints")
            if k.startswith("public.t.")
        ] == []
        assert snapshot.objects(first, "catalog", "columns")["public.t.a"]["not_null"] is True
        assert snapshot.objects(first, "catalog", "types")["public.dm"]["not_null"] is True
        if pg_server.version_num < 180000:
            return
        with db.connect(conninfo, purpose="test") as conn:
            conn.execute("ALTER TABLE t ADD CONSTRAINT b_is_set NOT NULL b")
            conn.execute("ALTER TABLE t ADD CONSTRAINT t_c_not_null NOT NULL c NOT VALID")
            conn.execute("ALTER TABLE t ADD CONSTRAINT t_d_not_null NOT NULL d NO INHERIT")
            conn.execute("ALTER TABLE t RENAME CONSTRAINT t_e_not_null TO e_renamed")
        after = snapshot.capture(conninfo)
    constraints = snapshot.objects(after, "catalog", "constraints")
    kept = {k.rsplit(".", 1)[1]: v for k, v in constraints.items() if k.startswith("public.t.")}
    assert set(kept) == {"b_is_set", "t_c_not_null", "t_d_not_null", "e_renamed"}
    assert kept["t_c_not_null"]["validated"] is False
    lines = "\n".join(c.line for c in diff(first, after))
    for name in ("b_is_set", "t_c_not_null", "t_d_not_null", "e_renamed"):
        assert f"constraint public.t.{name}: added" in lines, lines
