"""Red-team attacks on declared sequence advances (`advances:`): probes written so that a
live verify's static prediction misses the sequence they move, and declared probes that
hide a sabotage of their sequence behind the declaration."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clausegate import db
from clausegate.db import templates
from clausegate.targets import Server
from tests.test_advances import CASE, case, evidence_of, snapshot_before, verify

# A view over payments: an INSERT into it takes payments' id default.
VIEW = "CREATE VIEW public.payments_v AS SELECT id, amount FROM public.payments;\n"


@pytest.fixture
def live_with_view(pg_server: Server) -> Iterator[str]:
    """The case's before state (and a view over payments) on a database: its conninfo."""
    with templates.database(pg_server, "cg_red_advances") as name:
        conninfo = pg_server.conninfo(name)
        with db.connect(conninfo, purpose="test apply") as conn:
            conn.execute((CASE / "before.sql").read_bytes())
            conn.execute(VIEW.encode())
        yield conninfo


def sequence_at(conninfo: str) -> int:
    with db.connect(conninfo, purpose="test read") as conn:
        row = conn.execute("SELECT last_value FROM public.payments_id_seq").fetchone()
    assert row is not None
    return int(row[0])


def proof(sql: str) -> str:
    return (
        "\n  - id: negative-refused\n"
        '    clause: "§1"\n'
        "    title: a negative amount is refused by the CHECK\n"
        "    steps:\n"
        f"      - sql: {sql}\n"
        '        error: {sqlstate: "23514"}\n'
    )


@pytest.mark.parametrize(
    "sql",
    [
        '"WITH made AS (INSERT INTO payments (amount) VALUES (-1) RETURNING id) TABLE made"',
        '"PREPARE pay AS INSERT INTO payments (amount) VALUES (-1); EXECUTE pay"',
        '"UPDATE payments SET id = DEFAULT, amount = -1 WHERE id = 1"',
    ],
    ids=["insert-in-a-cte", "prepared-insert", "update-set-default"],
)
def test_verify_withholds_an_insert_the_statement_hides(
    live_with_view: str, tmp_path: Path, sql: str
) -> None:
    """An INSERT inside a CTE, or prepared and executed, or an UPDATE setting the id to
    its DEFAULT, calls nextval() as a plain INSERT does: the live verify must withhold it
    (undeclared) rather than move the live sequence."""
    spec = case(tmp_path, proof(sql))
    before = snapshot_before(live_with_view, spec)
    was = sequence_at(live_with_view)
    _code, found, output = verify(live_with_view, spec, before)
    assert sequence_at(live_with_view) == was, f"the probe moved the live sequence: {output}"
    check = found["negative-refused"]
    assert check["status"] == "BROKEN" and "not run" in check["message"], check


@pytest.mark.xfail(
    strict=True,
    reason=(
        "advances.predicted maps an INSERT's target to sequences through the catalog's "
        "tables only: an INSERT into an auto-updatable view takes the base table's id "
        "default, unpredicted, so a live verify runs the probe and moves the live sequence "
        "(inertness FAILs afterwards, naming the probe, but the live database is changed)"
    ),
)
def test_verify_withholds_an_insert_into_a_view(live_with_view: str, tmp_path: Path) -> None:
    spec = case(tmp_path, proof('"INSERT INTO payments_v (amount) VALUES (-1)"'))
    before = snapshot_before(live_with_view, spec)
    was = sequence_at(live_with_view)
    _code, _found, output = verify(live_with_view, spec, before)
    assert sequence_at(live_with_view) == was, f"the probe moved the live sequence: {output}"


def test_verify_says_so_when_a_function_moves_the_live_sequence(
    live_with_view: str, tmp_path: Path
) -> None:
    """The documented gap: a function's body is not read, so the probe runs live; the
    sequence moves there, and inertness must say so (never a PASS)."""
    spec = case(tmp_path, proof('"SELECT fn_pay(-1)"'))
    before = snapshot_before(live_with_view, spec)
    was = sequence_at(live_with_view)
    code, found, output = verify(live_with_view, spec, before)
    assert sequence_at(live_with_view) == was + 1
    inert = found["inertness"]
    assert inert["status"] == "FAIL", inert
    assert "advanced by proof negative-refused, which does not declare it" in evidence_of(inert)
    assert code != 0, output
