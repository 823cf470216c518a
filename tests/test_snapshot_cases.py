"""Snapshot and diff, tested as data: one folder per case under tests/snapshot_cases/.

A case folder holds `before.sql` (the state before), `change.sql` (the migration, in
steps separated by blank lines), `expected.txt` (the lines `clausegate diff` must print, in
order: each change's line, the details indented under it) and optionally `probes.yaml`
(data probes for both snapshots), `cleanup.sql` (run before the database is dropped, in
steps like change.sql: what the cluster keeps, such as roles, prepared transactions and
slots, is undone there) and `beyond_pg_dump.txt`
(why pg_dump --schema-only cannot see this change, which clausegate must see anyway).
Each case runs on a fresh database from template0, on every major found (`every_major`);
the cross-checks against pg_dump --schema-only (`with_pg_dump`) on the majors whose
server has pg_dump beside it (the embedded servers bring none).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from clausegate import db
from clausegate.db import templates
from clausegate.diff import diff, printed
from clausegate.snapshot import DataProbes, Snapshot, capture, load, load_data_probes, save
from clausegate.targets import Server

pytestmark = pytest.mark.every_major

CASES = Path(__file__).parent / "snapshot_cases"
# Lines of pg_dump output that change from one run to the next, not with the schema.
VOLATILE_DUMP_LINES = ("\\restrict ", "\\unrestrict ", "-- Dumped from ", "-- Dumped by ")


@dataclass
class Ran:
    """A case after its change: a snapshot and a pg_dump before it and after each step."""

    folder: Path
    conninfo: str
    probes: DataProbes
    snapshots: list[Snapshot]
    dumps: list[str] | None
    _again: Snapshot | None = None

    @property
    def before(self) -> Snapshot:
        return self.snapshots[0]

    @property
    def after(self) -> Snapshot:
        return self.snapshots[-1]

    def again(self) -> Snapshot:
        """A second snapshot of the unchanged database after the change (taken once)."""
        if self._again is None:
            self._again = capture(self.conninfo, self.probes)
        return self._again


def run_sql(conninfo: str, text: str) -> None:
    with db.connect(conninfo, purpose="test case") as conn:
        conn.execute(text.encode())


def schema_dump(server: Server, dbname: str) -> str | None:
    """pg_dump --schema-only without its run-specific lines; None without pg_dump."""
    if server.bindir is None or not (server.bindir / "pg_dump").exists():
        return None
    result = subprocess.run(
        [str(server.bindir / "pg_dump"), "--schema-only", "--dbname", server.conninfo(dbname)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    lines = result.stdout.splitlines()
    return "\n".join(line for line in lines if not line.startswith(VOLATILE_DUMP_LINES))


def case_folders() -> list[Path]:
    return sorted(path for path in CASES.iterdir() if path.is_dir())


def steps(text: str) -> list[str]:
    """The paragraphs of a change.sql, each run (and checked) as one step."""
    return [paragraph for paragraph in text.split("\n\n") if paragraph.strip()]


def catalog_changes(before: Snapshot, after: Snapshot) -> list[str]:
    return [
        change.line
        for change in diff(before, after)
        if change.section in ("catalog", "extension_members")
    ]


@contextmanager
def run_case(folder: Path, server: Server, *, dump: bool) -> Iterator[Ran]:
    """The case's before.sql and each step of change.sql on a fresh database, with a
    snapshot before and after; with `dump`, a snapshot and a pg_dump --schema-only after
    each step."""
    probes_file = folder / "probes.yaml"
    probes = load_data_probes(probes_file) if probes_file.exists() else DataProbes()
    with templates.database(server, "cg_snapshot_case") as name:
        conninfo = server.conninfo(name)
        run_sql(conninfo, (folder / "before.sql").read_text("utf-8"))
        snapshots = [capture(conninfo, probes)]
        dumps = [schema_dump(server, name)] if dump else []
        for step in steps((folder / "change.sql").read_text("utf-8")):
            run_sql(conninfo, step)
            # Step by step only where pg_dump checks each step; else before and after.
            if dump:
                snapshots.append(capture(conninfo, probes))
                dumps.append(schema_dump(server, name))
        if not dump:
            snapshots.append(capture(conninfo, probes))
        complete = [d for d in dumps if d is not None]
        yield Ran(folder, conninfo, probes, snapshots, complete if dump else None)
        cleanup = folder / "cleanup.sql"
        if cleanup.exists():
            for step in steps(cleanup.read_text("utf-8")):
                run_sql(conninfo, step)


@pytest.fixture(scope="module", params=case_folders(), ids=lambda path: path.name)
def ran(request: pytest.FixtureRequest, pg_server: Server) -> Iterator[Ran]:
    with run_case(request.param, pg_server, dump=has_pg_dump(pg_server)) as done:
        yield done


def has_pg_dump(server: Server) -> bool:
    return server.bindir is not None and (server.bindir / "pg_dump").exists()


def expected_lines_file(folder: Path, version_num: int) -> Path:
    """expected.txt, or expected.pgN.txt of the newest N at or below the server's major where
    the lines differ by major (16 prints a view's columns without their table's name)."""
    major = version_num // 10000
    by_major = {int(p.suffixes[0][3:]): p for p in folder.glob("expected.pg*.txt")}
    fitting = [n for n in by_major if n <= major]
    return by_major[max(fitting)] if fitting else folder / "expected.txt"


def test_diff_prints_the_expected_lines(ran: Ran) -> None:
    """The lines `clausegate diff` prints: each change's line and its indented details.
    CLAUSEGATE_UPDATE_GOLDEN=1 writes them to the expected file instead (review its diff)."""
    version_num = int(ran.after["server"]["version_num"])
    golden = expected_lines_file(ran.folder, version_num)
    lines = printed(diff(ran.before, ran.after))
    if os.environ.get("CLAUSEGATE_UPDATE_GOLDEN"):
        golden.write_text("".join(f"{line}\n" for line in lines), "utf-8")
    expected = golden.read_text("utf-8").splitlines()
    assert [line for line in lines if line.strip()] == [line for line in expected if line.strip()]


def test_a_second_snapshot_of_the_unchanged_database_is_identical(ran: Ran) -> None:
    assert ran.again() == ran.after


def test_a_snapshot_loaded_from_json_diffs_empty_against_the_live_database(
    ran: Ran, tmp_path: Path
) -> None:
    path = tmp_path / "after.json"
    save(ran.after, path)
    loaded = load(path)
    assert loaded == ran.after
    assert diff(loaded, ran.again()) == []


@pytest.mark.with_pg_dump
def test_pg_dump_differs_exactly_when_the_catalog_diff_is_not_empty(ran: Ran) -> None:
    assert ran.dumps is not None and len(ran.dumps) == len(ran.snapshots)
    changes = catalog_changes(ran.before, ran.after)
    dump_differs = ran.dumps[0] != ran.dumps[-1]
    if (ran.folder / "beyond_pg_dump.txt").exists():
        assert changes and not dump_differs
    else:
        assert dump_differs == bool(changes), changes


@pytest.mark.with_pg_dump
def test_every_step_pg_dump_sees_is_seen_by_the_snapshot(ran: Ran) -> None:
    """Step by step, so a change the snapshot misses cannot hide behind one it sees."""
    assert ran.dumps is not None and len(ran.dumps) == len(ran.snapshots)
    texts = steps((ran.folder / "change.sql").read_text("utf-8"))
    for number, step in enumerate(texts, start=1):
        if ran.dumps[number - 1] != ran.dumps[number]:
            changes = catalog_changes(ran.snapshots[number - 1], ran.snapshots[number])
            assert changes, f"step {number} changed pg_dump output, not the snapshot:\n{step}"
