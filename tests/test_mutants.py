"""Mutation self-test of the Điều 45 specs: a spec that lets a broken migration pass is broken.

tests/mutants/<phase>/NN_name.sql is the real migration of specs/dieu45/<phase>.yaml plus one
violating statement, or minus one required statement. Its first line names the check (and
that check's clause) the mutant must break: `-- breaks: no-worker-gate-flip (WK-A)`; the
comment lines after it may say `-- extends: the real migration` (the file holds only what
runs after it), `-- runs as: superuser` and `-- server: own` (see RUNS_AS). Each
mutant is gated through the real CLI with `--migration`; the run must exit 1 and
verdicts.json must show the named check and its clause FAIL. The real migration must pass,
and every forbidden item, refusal and expected change of a spec must have its mutant.
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
from tests.cli import ROOT, assert_no_traceback, clausegate

# The behaviour depends on the server: these run on every major found.
pytestmark = pytest.mark.every_major

MUTANTS = Path(__file__).parent / "mutants"
SPECS = ROOT / "specs" / "dieu45"
HEADER = re.compile(r"-- breaks: (?P<check>[A-Za-z0-9§._-]+) \((?P<clause>[^()]+)\)")
# The sections whose every entry some mutant must break: what the migration must not do,
# what it must refuse, and what it must change.
GUARDED = ("forbidden", "refusals", "expected_changes")


# Optional lines of a mutant's leading comment: `-- runs as: superuser` gates it with
# --runs-as (an attack that needs a superuser's powers), `-- server: own` on a fresh local
# cluster (it changes what a cluster keeps, or needs its files and processes watched).
RUNS_AS = re.compile(r"-- runs as: (?P<role>\S+)")
OWN_SERVER = "-- server: own"
# A mutant that says so holds only what it adds after the real migration, which the test
# puts in front of it: the mutation is the whole file, not one line among 300 copied ones.
EXTENDS = "-- extends: the real migration"


@dataclass(frozen=True)
class Mutant:
    path: Path
    spec: Path
    check: str
    clause: str
    runs_as: str | None = None
    own_server: bool = False
    extends: bool = False

    def migration(self, folder: Path) -> Path:
        """The file to gate: the mutant itself, or the real migration followed by it."""
        if not self.extends:
            return self.path
        real = load_spec(self.spec).build.migration
        whole = folder / self.path.name
        whole.write_text(
            real.read_text(encoding="utf-8") + "\n" + self.path.read_text(encoding="utf-8"),
            encoding="utf-8",
        )
        return whole


@dataclass(frozen=True)
class Run:
    exit_code: int
    output: str
    checks: dict[str, dict[str, Any]]
    clauses: dict[str, str]


def read_mutant(path: Path) -> Mutant:
    """The mutant at tests/mutants/<phase>/NN_name.sql, gated by specs/dieu45/<phase>.yaml."""
    with path.open(encoding="utf-8") as handle:
        first = handle.readline().rstrip("\n")
        leading = []
        for line in handle:
            if not line.startswith("--"):
                break
            leading.append(line.rstrip("\n"))
    match = HEADER.fullmatch(first)
    assert match, f"{path}: the first line must read `-- breaks: CHECK (CLAUSE)`, not {first!r}"
    runs_as = next((m["role"] for m in map(RUNS_AS.fullmatch, leading) if m), None)
    return Mutant(
        path,
        SPECS / f"{path.parent.name}.yaml",
        match["check"],
        match["clause"],
        runs_as=runs_as,
        own_server=OWN_SERVER in leading,
        extends=EXTENDS in leading,
    )


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
    "phase3b/33_heal_prepared_for_later",
}


def mutant_paths() -> list[Path]:
    every = sorted(MUTANTS.glob("*/*.sql"))
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
