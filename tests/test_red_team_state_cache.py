"""Red-team attacks on the kept before states (phase.kept, targets.state_cache): an entry
whose copy lost part of a file, or a file, must never yield a gate's verdict from a wrong
before state (BROKEN, or a rebuild, is fine)."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from clausegate import db
from clausegate.phase.gate import state_name
from clausegate.targets import LocalServer, Server, pgbin
from tests.test_state_cache import _entries, _gate

CASE = Path(__file__).parent / "red_cache_case"


def _relation_file(entry: Path, major: int) -> Path:
    """The file of the kept state's readings table, inside the entry."""
    installation = pgbin.select(pgbin.discover(None), major, "--pg-version")
    name = state_name([CASE / "before.sql"])
    with (
        LocalServer(installation, seed=entry / "data") as server,
        db.connect(server.conninfo(name), purpose="test") as conn,
    ):
        row = conn.execute("SELECT pg_relation_filepath('public.readings')").fetchone()
    assert row is not None
    return entry / "data" / str(row[0])


@pytest.mark.parametrize("damage", ["truncated", "missing"])
def test_a_damaged_entry_never_gives_a_verdict_from_a_wrong_state(
    pg_server: Server, tmp_path: Path, damage: str
) -> None:
    major = pg_server.version_num // 10000
    cache = tmp_path / "states"
    code, note = _gate(CASE / "spec.yaml", str(cache), tmp_path / "r1", major)
    assert code == 1, "the migration deletes a reading: FAIL"
    assert "built in this run and kept in" in note
    (entry,) = _entries(cache)
    table = _relation_file(entry, major)
    assert table.stat().st_size > 8192
    if damage == "truncated":
        # The copy lost the table's last pages (a disk filled, a copy cut short): the
        # server reads the blocks left and never says one is missing.
        os.truncate(table, 8192)
    else:
        table.unlink()
    code, note = _gate(CASE / "spec.yaml", str(cache), tmp_path / "r2", major)
    assert code != 0, f"a PASS from a before state that lost a reading ({note})"
    # The damaged entry was not used: the states were built again, and kept again.
    assert code == 1 and "built in this run and kept in" in note, note
    (again,) = _entries(cache)
    assert _relation_file(again, major).stat().st_size > 8192


@pytest.fixture
def outside_folder() -> Iterator[Path]:
    """A folder the server's OS user can read (the cluster runs as postgres under root)."""
    folder = Path(tempfile.mkdtemp(prefix="clausegate-red-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_fixture_reading_a_file_outside_itself_is_not_kept(
    pg_server: Server, tmp_path: Path, outside_folder: Path
) -> None:
    """A fixture that loads its rows with COPY … FROM 'file': the file's contents are not
    in the key (the fixture's own text is), so a changed file must not find the old
    entry. Here the file gains the negative reading the migration deletes: a fresh build
    FAILs; the entry kept from the file as it was would PASS."""
    major = pg_server.version_num // 10000
    cache = tmp_path / "states"
    rows = outside_folder / "readings.csv"
    rows.write_text("".join(f"{n},1\n" for n in range(1, 11)))
    rows.chmod(0o644)
    case = tmp_path / "case"
    shutil.copytree(CASE, case)
    (case / "before.sql").write_text(
        "CREATE TABLE public.readings (id integer PRIMARY KEY, v integer NOT NULL);\n"
        f"COPY public.readings FROM '{rows}' WITH (FORMAT csv);\n"
    )
    code, note = _gate(case / "spec.yaml", str(cache), tmp_path / "r1", major)
    assert code == 0, note
    with rows.open("a") as more:
        more.write("11,-1\n")
    code, note = _gate(case / "spec.yaml", str(cache), tmp_path / "r2", major)
    assert code == 1, f"a PASS from the rows the file held before ({note})"
    assert "not kept" in note and "before.sql" in note, note


def test_an_extension_changed_in_the_installation_builds_again(
    pg_server: Server, tmp_path: Path
) -> None:
    """An extension upgraded in place (a contrib or PostGIS package updated, the server's
    program not): the entry built from the old extension script must not be found."""
    major = pg_server.version_num // 10000
    source = pgbin.select(pgbin.discover(None), major, "--pg-version").bindir.resolve().parent
    home = Path(tempfile.mkdtemp(prefix="clausegate-red-pg-"))
    try:
        home.chmod(0o755)
        tree = home / "native"
        shutil.copytree(source, tree, symlinks=True)
        (extensions,) = {p.parent for p in (tree / "share").rglob("plpgsql.control")}
        (extensions / "red_marker.control").write_text(
            "default_version = '1.0'\nrelocatable = true\n"
        )
        script = extensions / "red_marker--1.0.sql"
        script.write_text("CREATE FUNCTION red_v() RETURNS integer LANGUAGE sql AS 'SELECT 1';\n")
        case = tmp_path / "case"
        shutil.copytree(CASE, case)
        (case / "before.sql").write_text(
            (CASE / "before.sql").read_text() + "CREATE EXTENSION red_marker;\n"
        )
        (case / "migration.sql").write_text("SELECT 1;\n")
        with (case / "spec.yaml").open("a") as spec:
            spec.write(
                "invariants:\n"
                '  - {id: marker, clause: "§1", sql: "SELECT public.red_v()", expect: 1}\n'
            )
        cache = str(tmp_path / "states")
        given = ("--pg-bin", str(tree / "bin"))
        code, note = _gate(case / "spec.yaml", cache, tmp_path / "r1", major, *given)
        assert code == 0, note
        # The extension's package is updated in place: its script now makes red_v() 2.
        script.write_text("CREATE FUNCTION red_v() RETURNS integer LANGUAGE sql AS 'SELECT 2';\n")
        code, note = _gate(case / "spec.yaml", cache, tmp_path / "r2", major, *given)
        assert code == 1, f"a PASS from the extension as it was ({note})"
        assert "built in this run" in note, note
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_a_fixture_stamped_with_the_clock_is_not_judged_from_an_old_copy(
    pg_server: Server, tmp_path: Path
) -> None:
    major = pg_server.version_num // 10000
    case = tmp_path / "case"
    shutil.copytree(CASE, case)
    (case / "before.sql").write_text(
        "CREATE TABLE public.readings (id integer PRIMARY KEY, v integer NOT NULL,\n"
        "  taken_at timestamptz NOT NULL DEFAULT now());\n"
        "INSERT INTO public.readings (id, v) VALUES (1, 1);\n"
    )
    # The bug: it deletes the readings of the last two seconds, not those older.
    (case / "migration.sql").write_text(
        "DELETE FROM public.readings WHERE taken_at > now() - interval '2 seconds';\n"
    )
    cache = str(tmp_path / "states")
    code, note = _gate(case / "spec.yaml", cache, tmp_path / "r1", major)
    assert code == 1, note
    # A state holding a time stamped by its build's clock is not kept, and says why.
    assert "not kept: public.readings holds a time within 30 days of its build" in note
    time.sleep(3)
    code, note = _gate(case / "spec.yaml", cache, tmp_path / "r2", major)
    assert code == 1, f"a PASS from a before state as old as its entry ({note})"
    assert "built in this run and not kept" in note
