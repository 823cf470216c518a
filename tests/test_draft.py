"""`clausegate draft` (issue 20, item 5): a spec drafted from the Điều 45 baselines 000 → 050
lints, gates migration 050 green, and gates red on one change more; bad input is one line.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
from pathlib import Path

import pytest
import yaml

from clausegate.cli import build_parser, main
from clausegate.draft import Draft, DraftBuild, DraftServer, literal_pattern, spec_text
from clausegate.targets import Server
from tests.cli import ROOT, assert_no_traceback, clausegate

BEFORE = ROOT / "baselines" / "dieu45" / "000.json"
AFTER = ROOT / "baselines" / "dieu45" / "050.json"
FIXTURES = ROOT / "fixtures" / "dieu45"
MIGRATION = FIXTURES / "050_phase1.sql"
# A comment on a table of the before state: one change the baselines do not have.
UNDECLARED = "\nCOMMENT ON TABLE public.event_outbox IS 'changed by no clause';\n"


def draft(output: Path, *source: str, migration: Path | None = MIGRATION) -> str:
    with_migration = ["--migration", str(migration)] if migration else []
    result = clausegate(
        "draft", "--before", str(BEFORE), "--after", str(AFTER), *source, *with_migration,
        "-o", str(output),
    )  # fmt: skip
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    return result.stdout


def gate(spec: Path, server: Server, report: Path, *args: str) -> tuple[int, str, dict[str, str]]:
    result = clausegate(
        "gate", str(spec), *args, "--target", "dsn", "--dsn", server.conninfo(),
        "--report-dir", str(report), "--no-html",
    )  # fmt: skip
    assert_no_traceback(result)
    verdicts = json.loads((report / "verdicts.json").read_text(encoding="utf-8"))
    checks = {c["check"]: c["status"] for c in verdicts["checks"]}
    return result.returncode, result.stdout + result.stderr, checks


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = tmp_path_factory.mktemp("draft") / "phase1.yaml"
    said = draft(spec, "--fixtures", str(FIXTURES), "--upto", "000")
    assert f"wrote {spec} (97 expected changes, 15 regression rows)" in said, said
    return spec


def test_the_draft_declares_every_change_and_counts_as_the_baselines_say(drafted: Path) -> None:
    document = yaml.safe_load(drafted.read_text(encoding="utf-8"))
    assert document["build"] == {
        "fixtures": _rel(FIXTURES, drafted),
        "upto": "000",
        "migration": _rel(MIGRATION, drafted),
    }
    changes = {(c["kind"], c["identity"], c["action"]) for c in document["expected_changes"]}
    assert ("table", "public.job_queue", "added") in changes
    assert ("function", "public.fn_job_claim(text, text[[]], integer, integer)", "added") in changes
    assert ("data", "public.dot_config", "modified") in changes
    regression = {row["id"]: (row["before"], row["after"]) for row in document["regression"]}
    # The counts phase1.yaml takes from seed 001's regression table.
    assert regression["tables"] == (268, 271)
    assert regression["views"] == (54, 55)
    assert regression["functions"] == (507, 515)
    assert regression["rows-public.dot_config"] == (86, 94)
    clauses = {c["id"] for c in document["clauses"]}
    assert {c["clause"] for c in document["regression"] + document["expected_changes"]} <= clauses
    assert all(c["title"].startswith("TODO") for c in document["clauses"])


def _rel(path: Path, spec: Path) -> str:
    """`path` as the spec at `spec` names it."""
    return Path(os.path.relpath(path, spec.parent)).as_posix()


def test_the_draft_lints(drafted: Path) -> None:
    result = clausegate("lint", str(drafted))
    assert result.returncode == 0, result.stderr
    assert "2 clauses, 112 checks" in result.stdout


def test_the_draft_gates_migration_050_green(
    drafted: Path, pg_server: Server, tmp_path: Path
) -> None:
    code, output, checks = gate(drafted, pg_server, tmp_path)
    assert code == 0, output
    assert checks["closed-world"] == "PASS", output
    assert set(checks.values()) == {"PASS"}, output


def test_a_draft_from_a_dump_gates_one_undeclared_change_red(
    pg_server: Server, tmp_path: Path
) -> None:
    """The dump is 000's own file, so the gate builds the state the baseline 000 is of."""
    spec = tmp_path / "from-dump.yaml"
    draft(spec, "--dump", str(FIXTURES / "000_world.sql"))
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    assert document["build"]["dump"] == _rel(FIXTURES / "000_world.sql", spec)
    assert "fixtures" not in document["build"] and "upto" not in document["build"]
    changed = tmp_path / "050_with_a_comment.sql"
    changed.write_text(MIGRATION.read_text(encoding="utf-8") + UNDECLARED, encoding="utf-8")
    code, output, checks = gate(spec, pg_server, tmp_path / "run", "--migration", str(changed))
    assert code == 1, output
    assert checks.pop("closed-world") == "FAIL", output
    assert set(checks.values()) == {"PASS"}, output
    assert "table public.event_outbox: comment:" in output, output


def test_without_migration_the_spec_says_what_to_fill_in(tmp_path: Path) -> None:
    spec = tmp_path / "phase.yaml"
    result = clausegate(
        "draft", "--before", str(BEFORE), "--after", str(AFTER), "--fixtures", str(FIXTURES),
        "--upto", "000", "-o", str(spec),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "no --migration given" in result.stderr
    assert "note: 266 table(s) of both states were not hashed by both snapshots" in result.stderr
    text = spec.read_text(encoding="utf-8")
    assert "# TODO: the migration this spec gates" in text
    linted = clausegate("lint", str(spec))
    assert linted.returncode == 2
    assert f"build.migration: {tmp_path / 'migration.sql'} does not exist" in linted.stderr


def test_standard_output_names_paths_from_the_working_directory() -> None:
    result = clausegate(
        "draft", "--before", str(BEFORE), "--after", str(AFTER), "--dump",
        str(FIXTURES / "000_world.sql"), "--migration", str(MIGRATION), "-o", "-",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    build = yaml.safe_load(result.stdout)["build"]
    assert build == {
        "dump": "fixtures/dieu45/000_world.sql",
        "migration": "fixtures/dieu45/050_phase1.sql",
    }


@pytest.mark.parametrize(
    "identity",
    ["public.fn_job_claim(text, text[], integer, integer)", "public.t*x?", "public.[a]"],
)
def test_a_declared_identity_matches_itself_only(identity: str) -> None:
    pattern = literal_pattern(identity)
    assert fnmatch.fnmatchcase(identity, pattern)
    assert not fnmatch.fnmatchcase(identity + "x", pattern)
    assert not fnmatch.fnmatchcase(identity.replace("p", "q", 1), pattern)


def _bad_inputs(tmp: Path) -> list[tuple[list[str], str]]:
    not_a_snapshot = tmp / "not.json"
    not_a_snapshot.write_text('{"format": "other/1"}')
    existing = tmp / "existing.yaml"
    existing.write_text("law: mine\n")
    good = ["--before", str(BEFORE), "--after", str(AFTER)]
    chain = ["--fixtures", str(FIXTURES), "--upto", "000"]
    out = ["-o", str(tmp / "new.yaml")]
    return [
        (["--before", str(tmp / "nope.json"), "--after", str(AFTER), *chain, *out],
         f"{tmp / 'nope.json'}: cannot read"),
        (["--before", str(BEFORE), "--after", str(not_a_snapshot), *chain, *out],
         f"{not_a_snapshot}: not a clausegate snapshot"),
        ([*good, *chain, "-o", str(tmp / "missing" / "spec.yaml")],
         f"the folder {tmp / 'missing'} does not exist"),
        ([*good, *chain, "-o", str(existing)], "already exists; draft never overwrites a spec"),
        ([*good, *chain, "-o", str(tmp)], "is a directory"),
        ([*good, "--fixtures", str(FIXTURES), *out], "needs --upto STATE"),
        ([*good, "--fixtures", str(tmp / "none"), "--upto", "000", *out], "no such directory"),
        ([*good, "--fixtures", str(FIXTURES), "--upto", "049", *out], "no state '049'"),
        ([*good, "--dump", str(tmp / "d.sql"), *out], f"--dump {tmp / 'd.sql'}: does not exist"),
        ([*good, "--dump", str(MIGRATION), "--upto", "000", *out], "--upto goes with --fixtures"),
        ([*good, *chain, "--migration", str(tmp), *out], "is not a file"),
        ([*good, *chain, "--dump", str(MIGRATION), *out], "not allowed with argument"),
        ([*good, *out], "one of the arguments --fixtures --dump is required"),
    ]  # fmt: skip


def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Run in this process, through the command's own main(), for speed: a process each
    costs seconds on a busy machine (the first case runs as a user runs it)."""
    for number, (words, message) in enumerate(_bad_inputs(tmp_path)):
        if number == 0:
            result = clausegate("draft", *words)
            assert_no_traceback(result)
            code, stderr = result.returncode, result.stderr
        else:
            code, stderr = _main("draft", *words), capsys.readouterr().err
        assert code == 2, (words, stderr)
        lines = stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], (words, stderr)
    assert (tmp_path / "existing.yaml").read_text() == "law: mine\n"
    assert not (tmp_path / "new.yaml").exists()


def _main(*words: str) -> int:
    try:
        return main(list(words))
    except SystemExit as exit:  # argparse's usage errors
        return int(exit.code or 0)


def test_the_readme_heading_names_every_option() -> None:
    """The README's `clausegate draft` heading lists each option of the parser, and its
    section says what each one does."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    heading = re.search(r"^### `clausegate draft (.*)`$", readme, re.MULTILINE)
    assert heading is not None, "no README heading for clausegate draft"
    section = readme[heading.end() : readme.index("\n### ", heading.end())]
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    parser = commands.choices["draft"]
    options = {o for a in parser._actions for o in a.option_strings if o.startswith("--")} - {
        "--help",
        "--output",
    }
    for option in [*sorted(options), "-o"]:
        assert option in heading.group(1), option
        assert f"`{option}" in section, option


def test_a_file_name_cannot_write_into_the_spec() -> None:
    """The snapshots' names go into comment lines: one holding a line break stays there."""
    empty = Draft(DraftBuild(None, None, "d.sql", "m.sql"), DraftServer(16, "16.13"), (), (), ())
    text = spec_text(empty, schema="s.json", before="a.json\nlaw: other", after="b.json")
    assert yaml.safe_load(text)["law"].startswith("TODO")
