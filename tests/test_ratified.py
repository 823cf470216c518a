"""Ratified bodies: a body compared token by token with the one reviewed, and `clausegate pin`.

The normal form is pure (no server). The kind and the command run on tests/ratified_case:
a function, a view, a trigger, a policy and a CHECK pinned by `clausegate pin` from the
reviewed migration, then gated with it (PASS) and with reviewed_otherwise.sql, which
creates the same objects with other bodies (each pin FAILs with its diff, as
expected.yaml says).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from clausegate.checks.ratified_text import normal_form, ratified_file_text, read_ratified
from clausegate.targets import Server
from tests.cli import assert_no_traceback, clausegate

CASE = Path(__file__).parent / "ratified_case"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("IF x IS NULL THEN\n  RETURN 1;\nEND IF;", "if X is null then return 1; end if;"),
        ("SELECT a -- a comment\nFROM t /* another */", "select a from t"),
        ("SELECT 1", "  SELECT   1  \n\n"),
    ],
)
def test_layout_comments_and_folded_case_do_not_count(one: str, other: str) -> None:
    assert normal_form(one).tokens == normal_form(other).tokens
    assert normal_form(one).sha256 == normal_form(other).sha256


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("SELECT 'a'", "SELECT 'A'"),  # a string constant is exact
        ("SELECT 'a b'", "SELECT 'a  b'"),
        ('SELECT "Foo"', "SELECT foo"),  # a quoted identifier is not folded
        ("SELECT fooÄ", "SELECT fooä"),  # PostgreSQL folds ASCII letters only
        ('SELECT U&"Foo"', 'SELECT U&"foo"'),
        ("SELECT $$a$$", "SELECT 'a'"),  # another spelling of the same text still differs
        ("IF p_actor = '' THEN", "IF p_actor IS NULL OR btrim(p_actor) = '' THEN"),
    ],
)
def test_any_other_token_counts(one: str, other: str) -> None:
    assert normal_form(one).tokens != normal_form(other).tokens
    assert normal_form(one).sha256 != normal_form(other).sha256


def test_a_text_the_scanner_cannot_read_is_compared_line_by_line() -> None:
    unreadable = "x = 'unterminated\n  return x  \n"
    form = normal_form(unreadable)
    assert not form.scanned
    assert form.tokens == ("x = 'unterminated", "  return x")


def test_a_ratified_file_keeps_its_header_apart(tmp_path: Path) -> None:
    path = tmp_path / "f.sql"
    header = ["-- the body of f", "-- as ratified: r"]
    path.write_text(ratified_file_text(header, "\nBEGIN\nEND;\n\n"))
    read = read_ratified(path)
    assert read.header == tuple(header)
    assert read.body == "BEGIN\nEND;\n"


def _gate(spec: Path, pg_server: Server, report_dir: Path, *args: str) -> tuple[int, str, Any]:
    result = clausegate(
        "gate", str(spec), *args, "--target", "dsn", "--dsn", pg_server.conninfo(),
        "--report-dir", str(report_dir), "--no-html",
    )  # fmt: skip
    assert_no_traceback(result)
    output = result.stdout + result.stderr
    document = json.loads((report_dir / "verdicts.json").read_text("utf-8"))
    return result.returncode, output, {c["check"]: c for c in document["checks"]}


def _pin(spec: Path, pg_server: Server, *args: str) -> tuple[int, str]:
    result = clausegate(
        "pin", str(spec), *args, "--target", "dsn", "--dsn", pg_server.conninfo()
    )  # fmt: skip
    assert_no_traceback(result)
    return result.returncode, result.stdout + result.stderr


@pytest.fixture
def case(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    shutil.copytree(CASE, folder)
    return folder


def test_pinned_bodies_pass_and_other_bodies_fail_with_their_diff(
    case: Path, pg_server: Server, tmp_path: Path
) -> None:
    spec = case / "spec.yaml"
    lint = clausegate("lint", str(spec))
    assert lint.returncode == 2 and "`clausegate pin` writes it" in lint.stderr, lint.stderr

    code, output = _pin(spec, pg_server)
    assert code == 0, output
    assert "ratified/fn_withdraw.sql is new" in output
    assert "6 pins read, 6 changed" in output
    assert '"0000000000000000000000000000000000000000000000000000000000000000"' not in (
        spec.read_text("utf-8")
    )
    # A reviewer's own layout and comments are the same body.
    withdraw = case / "ratified" / "fn_withdraw.sql"
    pinned = read_ratified(withdraw)
    relaid = "-- reviewed by hand\n\n" + pinned.body.replace("\n  ", "\n      -- (indented)\n  ")
    withdraw.write_text(relaid, "utf-8")

    code, output, checks = _gate(spec, pg_server, tmp_path / "reviewed")
    assert code == 0, output
    assert checks["withdraw-as-reviewed"]["status"] == "PASS"
    assert "layout differs" in checks["withdraw-as-reviewed"]["message"]
    # The bundle holds the ratified files beside the spec's copy, at the paths it names.
    copied = tmp_path / "reviewed" / "evidence" / "specs" / "spec" / "ratified"
    assert (copied / "fn_withdraw.sql").read_text("utf-8") == relaid
    assert sorted(p.name for p in copied.iterdir()) == sorted(
        p.name for p in (case / "ratified").iterdir()
    )

    expected = yaml.safe_load((case / "expected.yaml").read_text("utf-8"))["otherwise"]
    otherwise = case / "reviewed_otherwise.sql"
    code, output, checks = _gate(
        spec, pg_server, tmp_path / "otherwise", "--migration", str(otherwise)
    )
    assert code == 1, output
    for check, line in expected.items():
        assert checks[check]["status"] == "FAIL", (check, checks[check])
        shown = "\n".join([checks[check]["message"], *checks[check]["evidence"]])
        assert line in shown, (check, shown)
    assert checks["closed-world"]["status"] == "PASS"

    # `pin --check` shows what a new review would change and writes nothing; `pin` writes.
    before = {p.name: p.read_text("utf-8") for p in (case / "ratified").iterdir()}
    spec_text = spec.read_text("utf-8")
    code, output = _pin(spec, pg_server, "--migration", str(otherwise), "--check")
    assert code == 1, output
    assert "+  IF p_amount <= 0 AND current_user <> 'ops' THEN" in output
    assert "6 pins read, 6 would change" in output
    assert before == {p.name: p.read_text("utf-8") for p in (case / "ratified").iterdir()}
    assert spec.read_text("utf-8") == spec_text
    code, output = _pin(spec, pg_server, "--migration", str(otherwise))
    assert code == 0, output
    assert spec.read_text("utf-8") != spec_text
    code, output, checks = _gate(
        spec, pg_server, tmp_path / "repinned", "--migration", str(otherwise)
    )
    assert code == 0, output


def test_a_pinned_object_that_is_gone_fails(case: Path, pg_server: Server, tmp_path: Path) -> None:
    spec = case / "spec.yaml"
    assert _pin(spec, pg_server)[0] == 0
    without = case / "without_view.sql"
    text = (case / "migration.sql").read_text("utf-8")
    without.write_text(text.replace("CREATE VIEW", "CREATE VIEW public.other AS SELECT 1; --"))
    code, output, checks = _gate(spec, pg_server, tmp_path / "gone", "--migration", str(without))
    assert code == 1, output
    assert checks["view-as-reviewed"]["status"] == "FAIL"
    assert "does not exist after the migration" in checks["view-as-reviewed"]["message"]
    code, output = _pin(spec, pg_server, "--migration", str(without))
    assert code == 1 and "public.v_large_accounts does not exist after" in output, output


def test_pin_needs_a_spec_with_pins(pg_server: Server) -> None:
    result = clausegate("pin", str(Path(__file__).parent / "spec_files/good/minimal.yaml"))
    assert_no_traceback(result)
    assert result.returncode == 2, result.stderr
    assert "no ratified_body check to pin" in result.stderr


def test_the_fixture_053_matches_the_wrapper_seed_000_prints_token_for_token() -> None:
    """phase3b.yaml pins the wrapper to the body seed 000 prints (copied from the seed, not
    written by `clausegate pin`); the fixture's body must be the same tokens."""
    root = Path(__file__).parent.parent
    ratified = read_ratified(
        root / "specs/dieu45/ratified/phase3b/fn_queue_heartbeat_ping_external.sql"
    )
    fixture = (root / "fixtures/dieu45/053_phase3b.sql").read_text("utf-8")
    _, body, _ = fixture.split("$fn$")
    assert normal_form(ratified.body).scanned
    assert normal_form(ratified.body).tokens == normal_form(body).tokens
    assert "seed 000" in "\n".join(ratified.header)
