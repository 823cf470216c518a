"""Mutation self-test of the Điều 45 specs: a spec that lets a broken migration pass is broken.

tests/mutants/<phase>/NN_name.sql is the real migration of specs/dieu45/<phase>.yaml plus one
violating statement, or minus one required statement, stored as that change alone. Its
first line names the check (and that check's clause) the mutant must break:
`-- breaks: no-worker-gate-flip (WK-A)`. The comment lines after it say how the test makes
it whole (tests/mutant_files.py reads them): `-- extends: the real migration` (the file
holds what runs after it), `-- extends: the real migration, before its COMMIT` (what runs
inside its transaction, at its end) or `-- patch: the real migration` (the file holds a
unified diff of it, which must apply exactly). They may also say `-- runs as: superuser`
and `-- server: own` (see test_mutant_is_caught). Each mutant is made whole and gated
through the real CLI with `--migration`; the run must exit 1 and verdicts.json must show
the named check and its clause FAIL. The real migration must pass, and every forbidden
item, refusal and expected change of a spec must have its mutant. `make mutant-files`
writes every mutant whole, as gated here, to build/mutants/<phase>/ (OUT=DIR elsewhere).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from clausegate.checks.language import load_spec
from clausegate.targets import Server
from tests.cli import assert_no_traceback, clausegate
from tests.mutant_files import (
    MUTANTS,
    SPECS,
    MutantError,
    apply_patch,
    every_mutant_path,
    read_mutant,
    real_migration,
)

# The behaviour depends on the server: these run on every major found.
pytestmark = pytest.mark.every_major

# The sections whose every entry some mutant must break: what the migration must not do,
# what it must refuse, and what it must change.
GUARDED = ("forbidden", "refusals", "expected_changes")


@dataclass(frozen=True)
class Run:
    exit_code: int
    output: str
    checks: dict[str, dict[str, Any]]
    clauses: dict[str, str]


# `make test` gates these (the sly ones, that keep every count equal, and one of each
# kind); `make mutants` (CLAUSEGATE_ALL_MUTANTS=1) gates every mutant, a few minutes more.
QUICK = {
    "phase2/07_event_outbox_row_updated",
    "phase2/12_fn_iu_op_body_changed",
    "phase2/18_executor_check_mot",
    "phase2/43_security_definer_dropped",
    "phase2/44_search_path_removed",
    "phase2/45_worker_gate_flipped_back_as_False",
    "phase2/47_marker_healed",
    "phase3b/01_no_legacy_refusal",
    "phase3b/21_security_invoker",
    # One of each class a migration could hide in (issue 16): a role setting, an object in
    # pg_catalog, a catalog flag, a daemon, a row passed off as background traffic, a row
    # rewritten as it was, a built-in's privilege, a transaction prepared for later.
    "phase2/49_role_setting_forges_actor",
    "phase2/50_shadow_config_in_pg_catalog",
    "phase2/51_outbox_checks_switched_off",
    "phase2/52_daemon_started",
    "phase2/53_outbox_row_as_background",
    "phase2/54_outbox_row_rewritten",
    "phase2/55_builtin_function_granted",
    # Attributes of an added function (issue 18): made SECURITY DEFINER, granted on.
    "phase2/80_dry_run_made_definer",
    "phase2/81_apply_granted_on",
    "phase3b/33_heal_prepared_for_later",
    # A statement that leaves nothing in the catalog, seen only in the migration's text.
    "phase2/58_notify_hidden_in_function",
    # A function that holds its gates only while clausegate is seen to audit it (issue 18).
    "phase2/70_detects_audit",
    # A body other than the one ratified, that no count, attribute or proof sees (issue 18):
    # gates skipped for one actor, a dry run that writes.
    "phase2/60_reaper_backdoor_actor",
    "phase2/64_requeue_dry_run_writes",
}


def mutant_paths() -> list[Path]:
    every = every_mutant_path()
    if os.environ.get("CLAUSEGATE_ALL_MUTANTS") == "1":
        return every
    return [p for p in every if f"{p.parent.name}/{p.stem}" in QUICK]


def phases() -> list[str]:
    return sorted(p.name for p in MUTANTS.iterdir() if p.is_dir() and any(p.glob("*.sql")))


def gate(
    spec: Path, pg_server: Server, report_dir: Path, *args: str, own_server: bool = False
) -> Run:
    if own_server:
        target = ["--target", "local", "--pg-version", str(pg_server.version_num // 10000)]
    else:
        target = ["--target", "dsn", "--dsn", pg_server.conninfo()]
    result = clausegate(
        "gate", str(spec), *args, *target,
        "--report-dir", str(report_dir), "--no-html",
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert_no_traceback(result)
    document = report_dir / "verdicts.json"
    assert document.is_file(), output
    verdicts = json.loads(document.read_text(encoding="utf-8"))
    return Run(
        exit_code=result.returncode,
        output=output,
        checks={c["check"]: c for c in verdicts["checks"]},
        clauses={c["clause"]: c["status"] for c in verdicts["clauses"]},
    )


@pytest.mark.parametrize(
    "path", mutant_paths(), ids=[f"{p.parent.name}/{p.stem}" for p in mutant_paths()]
)
def test_mutant_is_caught(path: Path, pg_server: Server, tmp_path: Path) -> None:
    mutant = read_mutant(path)
    # `-- runs as: superuser` gates it with --runs-as (an attack that needs a superuser's
    # powers), `-- server: own` on a fresh local cluster (it changes what a cluster keeps,
    # or needs its files and processes watched).
    runs_as = ["--runs-as", mutant.runs_as] if mutant.runs_as else []
    migration = mutant.migration(tmp_path)
    run = gate(
        mutant.spec, pg_server, tmp_path / "run", "--migration", str(migration), *runs_as,
        own_server=mutant.own_server,
    )  # fmt: skip
    assert run.exit_code == 1, run.output
    assert mutant.check in run.checks, f"{mutant.spec.name} has no check {mutant.check}"
    check = run.checks[mutant.check]
    assert check["clause"] == mutant.clause, f"{mutant.check} belongs to {check['clause']}"
    assert check["status"] == "FAIL", run.output
    assert run.clauses[mutant.clause] == "FAIL", run.output


@pytest.mark.parametrize("phase", phases())
def test_real_migration_passes(phase: str, pg_server: Server, tmp_path: Path) -> None:
    run = gate(SPECS / f"{phase}.yaml", pg_server, tmp_path)
    assert run.exit_code == 0, run.output
    assert set(run.clauses.values()) <= {"PASS", "KNOWN-OPEN"}, run.output


@pytest.mark.parametrize("phase", phases())
def test_every_guard_has_a_mutant(phase: str) -> None:
    spec = load_spec(SPECS / f"{phase}.yaml")
    guarded = {check.id for section in GUARDED for check in spec.section(section)}
    broken = {read_mutant(path).check for path in (MUTANTS / phase).glob("*.sql")}
    assert sorted(guarded - broken) == [], "checks of the spec that no mutant breaks"


def test_the_quick_mutants_exist() -> None:
    every = {f"{p.parent.name}/{p.stem}" for p in MUTANTS.glob("*/*.sql")}
    assert sorted(QUICK - every) == []


@pytest.mark.parametrize(
    "path", every_mutant_path(), ids=[f"{p.parent.name}/{p.stem}" for p in every_mutant_path()]
)
def test_every_mutant_is_made_whole(path: Path) -> None:
    # Every one, gated or not in this run: a real migration changed under a patch fails here.
    mutant = read_mutant(path)
    whole = mutant.whole()
    real = real_migration(mutant.spec).read_text(encoding="utf-8")
    assert whole.startswith(mutant.header) and whole != mutant.header + real


REAL = "BEGIN;\nSELECT 1;\nSELECT 2;\n\nSELECT 1;\nCOMMIT;\n"


@pytest.mark.parametrize(
    ("patch", "error"),
    [
        ("@@ -2,2 +2,2 @@\n SELECT 1;\n-SELECT 3;\n+SELECT 4;\n", "are not in it"),
        ("@@ -2,1 +2,1 @@\n-SELECT 1;\n+SELECT 4;\n", "are at lines 2, 5"),
        ("@@ -2,2 +2,2 @@\n-SELECT 2;\n+SELECT 4;\n", "holds 1 old and 1 new lines, not the 2"),
        ("@@ -3,1 +3,1 @@\n-SELECT 2;\n+SELECT 4;\n@@ -1,1 +1,1 @@\n-BEGIN;\n+BEGIN;\n",
         "overlaps or precedes"),
        ("SELECT 4;\n", "line expected"),
        ("@@ -3,1 +3,1 @@\n*SELECT 2;\n+SELECT 4;\n", "is not a line of a hunk"),
    ],
)  # fmt: skip
def test_a_patch_that_does_not_apply_says_why(patch: str, error: str) -> None:
    with pytest.raises(MutantError, match=re.escape(error)):
        apply_patch(REAL, patch, Path("mutant.sql"), 4, Path("real.sql"))


def test_a_patch_applies_by_its_text() -> None:
    # The line numbers of the `@@` line are the reader's: the hunk is placed by its text (and
    # a blank context line stored empty is a blank line).
    patch = "@@ -1,3 +1,3 @@\n SELECT 1;\n-SELECT 2;\n+SELECT 3;\n\n"
    assert apply_patch(REAL, patch, Path("mutant.sql"), 4, Path("real.sql")) == (
        "BEGIN;\nSELECT 1;\nSELECT 3;\n\nSELECT 1;\nCOMMIT;\n"
    )


def test_a_mutant_must_say_how_it_is_made_whole(tmp_path: Path) -> None:
    path = tmp_path / "01_statements_alone.sql"
    path.write_text("-- breaks: no-pg-cron (WK-A)\n\nCREATE EXTENSION pg_trgm;\n", encoding="utf-8")
    with pytest.raises(MutantError, match="must say how it is made whole"):
        read_mutant(path)
