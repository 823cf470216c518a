"""`clausegate snapshot --spec` before a live apply, then `clausegate verify` after it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from clausegate import db
from clausegate.db import templates
from clausegate.targets import Server
from tests.cli import assert_no_traceback, clausegate
from tests.keys import make_key

# The behaviour depends on the server: these run on every major found.
pytestmark = pytest.mark.every_major

CASE = Path(__file__).parent / "engine_cases" / "pass_simple"
SPEC = str(CASE / "spec.yaml")


def run_file(conninfo: str, path: Path) -> None:
    with db.connect(conninfo, purpose="test apply") as conn:
        conn.execute(path.read_bytes())


@pytest.fixture
def live(pg_server: Server) -> Iterator[tuple[str, str]]:
    """A database in the spec's before state: (its name, its conninfo)."""
    with templates.database(pg_server, "cg_live") as name:
        conninfo = pg_server.conninfo(name)
        run_file(conninfo, CASE / "before.sql")
        yield name, conninfo


def verdicts(report_dir: Path) -> dict[str, str]:
    document = json.loads((report_dir / "verdicts.json").read_text())
    return {c["clause"]: c["status"] for c in document["clauses"]}


def test_verify_after_a_live_apply_passes(live: tuple[str, str], tmp_path: Path) -> None:
    _, conninfo = live
    before = tmp_path / "before.json"
    taken = clausegate("snapshot", "--dsn", conninfo, "--spec", SPEC, "-o", str(before))
    assert taken.returncode == 0, taken.stderr
    run_file(conninfo, CASE / "migration.sql")
    result = clausegate("verify", SPEC, "--dsn", conninfo, "--before", str(before),
                        "--report-dir", str(tmp_path / "run"), "--no-html")  # fmt: skip
    assert_no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert set(verdicts(tmp_path / "run").values()) == {"PASS"}
    # The verdicts of a live verify follow from its bundle alone, as a gate's do.
    checked = clausegate("evidence", "verify", str(tmp_path / "run"))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_verify_catches_a_sly_live_apply(live: tuple[str, str], tmp_path: Path) -> None:
    _, conninfo = live
    before = tmp_path / "before.json"
    taken = clausegate("snapshot", "--dsn", conninfo, "--spec", SPEC, "-o", str(before))
    assert taken.returncode == 0, taken.stderr
    run_file(conninfo, CASE / "migration.sql")
    with db.connect(conninfo, purpose="test sly write") as conn:
        conn.execute("UPDATE ledger SET actor = 'phase2' WHERE id = 7")
    key = make_key(tmp_path, "operator")
    result = clausegate("verify", SPEC, "--dsn", conninfo, "--before", str(before),
                        "--report-dir", str(tmp_path / "run"), "--no-html",
                        "--sign-key", str(key))  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert verdicts(tmp_path / "run")["§2"] == "FAIL"
    assert "ledger-untouched" in result.stdout
    assert "signed the run's statement as SHA256:" in result.stdout
    checked = clausegate("evidence", "verify", str(tmp_path / "run"), "--trust", f"{key}.pub")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "verified (run verdict FAIL)" in checked.stdout


def test_a_snapshot_without_the_spec_makes_its_checks_broken(
    live: tuple[str, str], tmp_path: Path
) -> None:
    _, conninfo = live
    before = tmp_path / "before.json"
    assert clausegate("snapshot", "--dsn", conninfo, "-o", str(before)).returncode == 0
    run_file(conninfo, CASE / "migration.sql")
    result = clausegate("verify", SPEC, "--dsn", conninfo, "--before", str(before),
                        "--report-dir", str(tmp_path / "run"), "--no-html")  # fmt: skip
    assert_no_traceback(result)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "clausegate snapshot --spec" in result.stdout


@pytest.mark.parametrize("same_major", [True, False], ids=["same-major", "other-major"])
def test_verify_on_a_server_of_another_major_than_the_spec_s_says_so(
    same_major: bool, live: tuple[str, str], pg_server: Server, tmp_path: Path
) -> None:
    running = pg_server.version_num // 10000
    production = running if same_major else running + 1
    spec = tmp_path / "spec.yaml"
    text = (
        (CASE / "spec.yaml")
        .read_text()
        .replace(
            "\nclauses:",
            f'\nserver: {{major: {production}, reference: "the runbook"}}\nclauses:',
            1,
        )
    )
    spec.write_text(text)
    for name in ("before.sql", "migration.sql"):
        (tmp_path / name).write_text((CASE / name).read_text())
    _, conninfo = live
    before = tmp_path / "before.json"
    taken = clausegate("snapshot", "--dsn", conninfo, "--spec", str(spec), "-o", str(before))
    assert taken.returncode == 0, taken.stderr
    run_file(conninfo, CASE / "migration.sql")
    result = clausegate("verify", str(spec), "--dsn", conninfo, "--before", str(before),
                        "--report-dir", str(tmp_path / "run"), "--no-html")  # fmt: skip
    assert_no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    summary = (tmp_path / "run" / "summary.md").read_text()
    note = f"the law's production server is PostgreSQL {production} (the runbook)"
    assert (note in result.stdout) is not same_major, result.stdout
    assert (note in summary) is not same_major
    environment = (tmp_path / "run" / "allure-results" / "environment.properties").read_text()
    assert ("server_major" in environment and note in environment) is not same_major


def test_verify_hashes_every_table_not_only_those_the_spec_names(
    live: tuple[str, str], tmp_path: Path
) -> None:
    """A row changed in a table the spec never names is still a change (issue 16, item 7),
    and the report says what a connection cannot see."""
    _, conninfo = live
    with db.connect(conninfo, purpose="test unnamed table") as conn:
        conn.execute("CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)")
        conn.execute("INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 5) g")
    before = tmp_path / "before.json"
    taken = clausegate("snapshot", "--dsn", conninfo, "--spec", SPEC, "-o", str(before))
    assert taken.returncode == 0, taken.stderr
    run_file(conninfo, CASE / "migration.sql")
    with db.connect(conninfo, purpose="test sly write") as conn:
        conn.execute("UPDATE notes SET body = 'rewritten' WHERE id = 3")
    result = clausegate("verify", SPEC, "--dsn", conninfo, "--before", str(before),
                        "--report-dir", str(tmp_path / "run"), "--no-html")  # fmt: skip
    assert_no_traceback(result)
    assert result.returncode == 1, result.stdout + result.stderr
    assert verdicts(tmp_path / "run")["closed-world"] == "FAIL"
    assert "table public.notes: row content changed" in result.stdout
    summary = (tmp_path / "run" / "summary.md").read_text()
    assert "it cannot see files written on the database host" in summary
