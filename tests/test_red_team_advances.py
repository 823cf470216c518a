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
from tests.test_advances import (
    CASE,
    DECLARED,
    case,
    evidence_of,
    gate,
    snapshot_before,
    verify,
)

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


# --- in a gate: a declared advance as cover ----------------------------------------------------

TAKES_THREE = """
  - id: takes-three
    clause: "§1"
    title: three ids taken
    steps:
      - sql: SELECT count(nextval('public.payments_id_seq')) FROM generate_series(1, 3)
        expect: "3"
    advances:
      - {sequence: public.payments_id_seq, reason: it takes three ids}
"""


@pytest.mark.parametrize("back_to", ["3", "2"], ids=["net-growth-hides-it", "net-nothing-hides-it"])
def test_a_setback_by_a_declared_probe_fails_whatever_the_net_position(
    pg_server: Server, tmp_path: Path, back_to: str
) -> None:
    """The setback's cover: one declared probe takes ids 3, 4, 5, another (declared too)
    sets the sequence back to 3 (or to 2, where it was): the net position shows growth
    (or nothing), but ids 4 and 5 are handed out again; on a live database with traffic
    those may be rows' ids already. Each run's readings show the setback: never tolerated."""
    proofs = TAKES_THREE + (
        "  - id: sets-back\n"
        '    clause: "§1"\n'
        "    title: the sequence set back\n"
        "    steps:\n"
        f"      - sql: SELECT setval('public.payments_id_seq', {back_to})\n"
        f'        expect: "{back_to}"\n'
        "    advances:\n"
        "      - {sequence: public.payments_id_seq, reason: the cover}\n"
    )
    code, found, output = gate(pg_server, case(tmp_path, proofs))
    inert = found["inertness"]
    assert inert["status"] == "FAIL", inert
    text = evidence_of(inert)
    assert "set back by proof sets-back while it ran" in text, text
    assert code == 1, output


@pytest.mark.xfail(
    strict=True,
    reason=(
        "a declared advance tolerates any growth (advances.grew: end > start): a trigger of "
        "the migration that, on the probe's INSERT, pushes the sequence to just below its "
        "maximum (setval forward) passes inertness as the declared advance; with live: true "
        "a verify does it to the live sequence (a few hundred inserts from exhausted)"
    ),
)
def test_a_declared_advance_does_not_cover_a_jump_to_the_end(
    pg_server: Server, tmp_path: Path
) -> None:
    spec = case(
        tmp_path,
        "\n  - id: negative-refused\n"
        '    clause: "§1"\n'
        "    title: a negative amount is refused by the CHECK\n"
        "    steps:\n"
        "      - sql: INSERT INTO payments (amount) VALUES (-1)\n"
        '        error: {sqlstate: "23514"}\n' + DECLARED,
    )
    (spec.parent / "migration.sql").write_text(
        "CREATE FUNCTION public.fn_note() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN PERFORM setval('public.payments_id_seq', 2147483000); RETURN NEW; END $$;\n"
        "CREATE TRIGGER note BEFORE INSERT ON public.payments\n"
        "  FOR EACH ROW EXECUTE FUNCTION public.fn_note();\n"
    )
    text = spec.read_text()
    spec.write_text(
        text.replace(
            "expected_changes:\n",
            "expected_changes:\n"
            '  - {id: note-fn, clause: "§1", kind: function, identity: "public.fn_note(*",'
            " action: added}\n"
            '  - {id: note-trigger, clause: "§1", kind: trigger, identity: "public.payments.note",'
            " action: added}\n",
        )
    )
    _code, found, _output = gate(pg_server, spec)
    assert found["inertness"]["status"] != "PASS", found["inertness"]
