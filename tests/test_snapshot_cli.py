"""`clausegate snapshot` and `clausegate diff` from the command line: outputs and exit codes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from clausegate import db
from clausegate.db import templates
from clausegate.targets import Server
from tests.cli import assert_no_traceback, clausegate

UNREACHABLE = "host=127.0.0.1 port=1 dbname=x user=x connect_timeout=2"


@pytest.fixture
def conninfo(pg_server: Server) -> Iterator[str]:
    with templates.database(pg_server, "cg_snapcli") as name:
        info = pg_server.conninfo(name)
        with db.connect(info, purpose="test setup") as conn:
            conn.execute(
                "CREATE TABLE t (id integer PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'a')"
            )
        yield info


def test_snapshot_file_is_stable_and_diffs_equal_against_the_live_database(
    conninfo: str, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for path in (first, second):
        result = clausegate("snapshot", "--dsn", conninfo, "-o", str(path))
        assert result.returncode == 0, result.stderr
    assert first.read_text() == second.read_text()
    document = json.loads(first.read_text())
    assert "public.t" in document["catalog"]["tables"]
    result = clausegate("diff", str(first), conninfo)
    assert (result.returncode, result.stdout) == (0, "")


def test_diff_exits_1_and_names_the_change(conninfo: str, tmp_path: Path) -> None:
    probes = tmp_path / "probes.yaml"
    probes.write_text("probes:\n  - hash: public.t\n  - count: public.t\n")
    before = tmp_path / "before.json"
    taken = clausegate("snapshot", "--dsn", conninfo, "--probes", str(probes), "-o", str(before))
    assert taken.returncode == 0, taken.stderr
    with db.connect(conninfo, purpose="test change") as conn:
        conn.execute("UPDATE t SET v = 'b' WHERE id = 1")
    result = clausegate("diff", str(before), conninfo)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("table public.t: row content changed"), result.stdout
    assert len(result.stdout.splitlines()) == 1, "the row count did not change"


def test_diff_prints_a_body_s_unified_diff_and_an_extension_as_one_line(
    conninfo: str, tmp_path: Path
) -> None:
    with db.connect(conninfo, purpose="test setup") as conn:
        conn.execute("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$\nSELECT 1\n$$")
    before = tmp_path / "before.json"
    assert clausegate("snapshot", "--dsn", conninfo, "-o", str(before)).returncode == 0
    with db.connect(conninfo, purpose="test change") as conn:
        conn.execute(
            "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$\nSELECT 2\n$$;"
            " CREATE EXTENSION unaccent"
        )
    result = clausegate("diff", str(before), conninfo)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "extension unaccent: added (version 1.1, 6 members)",
        "function public.f(): body changed (1 line removed, 1 added)",
        "    @@ -1,2 +1,2 @@",
        "     ",
        "    -SELECT 1",
        "    +SELECT 2",
    ]
    every = clausegate("diff", "--all", str(before), conninfo).stdout.splitlines()
    assert every[0] == "extension unaccent: added (version 1.1, 6 members)"
    members = [line for line in every if "(extension unaccent): added" in line]
    assert len(members) == 6, every


def test_a_column_s_position_is_its_place_among_the_live_columns(conninfo: str) -> None:
    with db.connect(conninfo, purpose="test setup") as conn:
        conn.execute("ALTER TABLE t ADD COLUMN w text; ALTER TABLE t DROP COLUMN v")
    taken = clausegate("snapshot", "--dsn", conninfo, "-o", "-")
    columns = json.loads(taken.stdout)["catalog"]["columns"]
    assert {name: columns[name]["position"] for name in ("public.t.id", "public.t.w")} == {
        "public.t.id": 1,
        "public.t.w": 2,
    }


def test_a_side_read_with_other_probes_says_so(conninfo: str, tmp_path: Path) -> None:
    hashed, counted = tmp_path / "hashed.yaml", tmp_path / "counted.yaml"
    hashed.write_text("probes:\n  - hash: public.t\n")
    counted.write_text("probes:\n  - count: public.t\n")
    before = tmp_path / "before.json"
    taken = clausegate("snapshot", "--dsn", conninfo, "--probes", str(hashed), "-o", str(before))
    assert taken.returncode == 0, taken.stderr
    result = clausegate("diff", "--probes", str(counted), str(before), conninfo)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "table public.t: not captured on B (the after side ran other probes)",
        "row count public.t: not captured on A (the before side ran other probes)",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not JSON"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[1, 2]", "expected a JSON object"),
        (b'{"format": "other/1"}', "expected format 'clausegate-snapshot/1'"),
    ],
)
def test_a_file_that_is_not_a_snapshot_exits_2(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = clausegate("diff", str(path), str(path))
    assert_no_traceback(result)
    assert result.returncode == 2
    assert str(path) in result.stderr and message in result.stderr, result.stderr


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = clausegate("diff", str(tmp_path / "nope.json"), str(tmp_path / "nope.json"))
    assert result.returncode == 2
    assert "no such snapshot file" in result.stderr


def test_a_bad_probes_file_exits_2_naming_the_probe(tmp_path: Path) -> None:
    probes = tmp_path / "probes.yaml"
    probes.write_text("probes:\n  - hash: public.t\n    where: x > 1\n")
    result = clausegate("snapshot", "--dsn", UNREACHABLE, "--probes", str(probes), "-o", "-")
    assert result.returncode == 2
    assert f"{probes}: probe 1: unknown key 'where'" in result.stderr


def test_an_unreachable_database_exits_3(tmp_path: Path) -> None:
    for args in (("snapshot", "--dsn", UNREACHABLE, "-o", "-"), ("diff", UNREACHABLE, UNREACHABLE)):
        result = clausegate(*args)
        assert_no_traceback(result)
        assert result.returncode == 3, (args, result.stderr)


def test_an_output_that_cannot_be_written_is_one_line_exit_2_before_any_connection(
    tmp_path: Path,
) -> None:
    cases = {
        tmp_path / "nope" / "x.json": f"the folder {tmp_path / 'nope'} does not exist; create it",
        tmp_path: "is a directory; name the file to write",
    }
    for output, message in cases.items():
        result = clausegate("snapshot", "--dsn", UNREACHABLE, "-o", str(output))
        assert_no_traceback(result)
        assert result.returncode == 2, result.stderr
        assert message in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr
