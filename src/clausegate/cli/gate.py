"""`clausegate gate` and `clausegate verify`: validate the specs, hand the run to pytest (the
engine), and turn its outcome into an exit code and the run's reports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clausegate.cli import evidence
from clausegate.cli.common import (
    add_target_options,
    command_line,
    server_from_args,
    spec_files,
    target_values,
)
from clausegate.config import TARGETS
from clausegate.errors import EXIT_BROKEN, EXIT_OK, ClausegateError

if TYPE_CHECKING:
    from clausegate.spec import Spec


def add_parsers(commands: argparse._SubParsersAction[Any]) -> None:
    gate = commands.add_parser(
        "gate",
        help="gate migrations: build each spec's before state on a throwaway database, "
        "apply the migration, judge every clause",
        description="Gate migrations on throwaway databases, clause by clause.",
    )
    gate.add_argument("specs", nargs="*", metavar="SPEC", help="spec files or directories")
    gate.add_argument(
        "--migration", metavar="FILE", help="with one SPEC: apply FILE instead of its migration"
    )
    gate.add_argument(
        "--runs-as",
        metavar="ROLE",
        help="apply the migration as ROLE (or `superuser`) instead of the spec's build.runs_as, "
        "e.g. to gate what an attacker with a superuser's powers could do; the report says so",
    )
    add_run_options(gate)
    gate.set_defaults(func=cmd_gate)

    verify = commands.add_parser(
        "verify",
        help="verify a live database after an apply, against a before snapshot (writes nothing)",
        description="Judge a live database after a migration; before values come from a file.",
    )
    verify.add_argument("spec", metavar="SPEC", help="the spec of the phase that was applied")
    verify.add_argument(
        "--before", required=True, metavar="SNAPSHOT", help="the snapshot taken before the apply"
    )
    verify.add_argument(
        "--migration",
        metavar="FILE",
        help="the migration file that was applied: read as statements for the statement "
        "checks (statement_used, function_called); its SHA-256 goes into the evidence",
    )
    add_run_options(verify)
    verify.set_defaults(func=cmd_verify)


def add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--report-dir",
        metavar="DIR",
        help="where the run's reports go (default reports/<UTC timestamp>-<id>, "
        "with reports/latest pointing at it)",
    )
    parser.add_argument(
        "--waivers", metavar="FILE", help="a waiver file: check, approver, justification, expires"
    )
    parser.add_argument(
        "--no-html",
        action="store_true",
        help="write no report.html (it takes seconds; `clausegate report DIR` writes it later)",
    )
    evidence.add_sign_option(parser)
    parser.epilog = "Arguments after -- go to pytest, e.g. -- -k '§15.5' or -- -v."
    add_target_options(parser)


def cmd_gate(args: argparse.Namespace) -> int:
    specs = spec_files(args.specs)
    if args.migration and len(specs) != 1:
        raise ClausegateError("--migration replaces the migration of a single spec; name one spec")
    if args.migration and not Path(args.migration).is_file():
        raise ClausegateError(f"--migration {args.migration}: no such file")
    if not specs:
        with server_from_args(args) as server:
            print(f"clausegate: target {server.label}")
            print(f"clausegate: server {server.version}")
            print(f"clausegate: nothing to gate yet (no spec files in {', '.join(args.specs)})")
        return EXIT_OK
    extra = ["--clausegate-migration", args.migration] if args.migration else []
    if args.runs_as:
        extra += ["--clausegate-runs-as", args.runs_as]
    return run_engine(args, "gate", specs, extra)


def cmd_verify(args: argparse.Namespace) -> int:
    from clausegate import snapshot

    specs = spec_files([args.spec])
    if not Path(args.before).is_file():
        raise ClausegateError(f"--before {args.before}: no such file")
    if args.migration and not Path(args.migration).is_file():
        raise ClausegateError(f"--migration {args.migration}: no such file")
    snapshot.load(Path(args.before))  # a file that is not a snapshot is a usage error (2)
    args.target = args.target or "dsn"
    extra = ["--clausegate-before", args.before]
    if args.migration:
        extra += ["--clausegate-migration", args.migration]
    return run_engine(args, "verify", specs, extra)


def run_engine(args: argparse.Namespace, mode: str, specs: list[Path], extra: list[str]) -> int:
    """Validate every spec, then hand the run to pytest and turn its outcome into an exit code."""
    import pytest

    from clausegate.checks.language import load_spec
    from clausegate.cli.outputs import finish_run
    from clausegate.db import redact
    from clausegate.pytest.plugin import EngineHolder
    from clausegate.report import folders
    from clausegate.report.bundle import now
    from clausegate.targets import open_server

    started = now()
    sign_key = evidence.signing_key(args.sign_key)  # a bad key is refused before the run
    loaded = [load_spec(path) for path in specs]
    if args.waivers:
        check_waivers(Path(args.waivers), loaded)
    settings = target_values(args)
    target, dsn = settings.target, settings.dsn
    if target not in TARGETS:
        raise ClausegateError(f"unknown target {target!r}; valid targets: {', '.join(TARGETS)}")
    # A --pg-version that is not found is one line and exit 3 here, not a BROKEN per check
    # later (choosing the server looks for binaries; nothing is started).
    for production in {loaded_spec.server for loaded_spec in loaded}:
        open_server(
            settings,
            spec_major=production.major if production else None,
            spec_version=production.version if production else None,
        )
    report_dir = folders.run_dir(Path(args.report_dir) if args.report_dir else None)
    pytest_args = [
        *(str(p) for p in specs),
        "--clausegate-mode", mode,
        "--clausegate-target", target,
        *(["--clausegate-dsn", dsn] if dsn else []),
        *(["--clausegate-pg-bin", settings.pg_bin] if settings.pg_bin else []),
        *(["--clausegate-pg-version", str(settings.pg_version)] if settings.pg_version else []),
        *(["--clausegate-waivers", args.waivers] if args.waivers else []),
        *extra,
        "-p", "no:cacheprovider",
        # The plugin is imported before pytest starts; its asserts need no rewriting.
        "-W", "ignore::pytest.PytestAssertRewriteWarning",
        "--junitxml", str(report_dir / "junit.xml"),
        "--alluredir", str(report_dir / "allure-results"),
        # A spec that fails to collect (one given after --) is left out, named with its
        # error, and the run is BROKEN; the other specs are still judged.
        "--continue-on-collection-errors",
        *args.pytest_args,
    ]  # fmt: skip
    holder = EngineHolder()
    code = pytest.main(pytest_args, plugins=[holder])
    print(f"clausegate: report in {report_dir}")
    if code == pytest.ExitCode.INTERRUPTED and not (holder.engine and holder.engine.not_collected):
        raise KeyboardInterrupt
    if code in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.NO_TESTS_COLLECTED):
        raise ClausegateError("pytest selected no check (see the message above)")
    if code == pytest.ExitCode.INTERNAL_ERROR or holder.engine is None:
        return EXIT_BROKEN
    holder.engine.write_results(report_dir)
    verdict_code = holder.engine.exit_code()
    unjudged = holder.engine.unjudged()
    if unjudged or (code == pytest.ExitCode.TESTS_FAILED and verdict_code == 0):
        # Defence in depth: a check pytest ran but the engine did not judge is never a PASS.
        print(
            f"clausegate: {unjudged} check(s) pytest ran got no verdict (see the errors "
            "above); the run is BROKEN",
            file=sys.stderr,
        )
        verdict_code = EXIT_BROKEN
    finish_run(
        report_dir,
        started=started,
        command=command_line(args),
        exit_code=verdict_code,
        target=f"{target} ({redact(dsn)})" if dsn else target,
        waivers=args.waivers,
        html=not args.no_html,
        sign_key=sign_key,
    )
    return verdict_code


def check_waivers(path: Path, specs: list[Spec]) -> None:
    """A waiver file must be valid and name checks of the specs given: a misspelt check
    id would otherwise waive nothing, silently."""
    import difflib

    from clausegate.phase.judging import every_check
    from clausegate.spec import waivers

    if not path.is_file():
        raise ClausegateError(f"--waivers {path}: no such file")
    # The ids the reports show: the spec's checks and the built-in closed-world and
    # inertness checks.
    known = {check.id for loaded in specs for check in every_check(loaded)}
    for number, waiver in enumerate(waivers.load(path), start=1):
        if waiver.check not in known:
            near = difflib.get_close_matches(waiver.check, sorted(known), n=1)
            hint = f"did you mean {near[0]!r}? " if near else ""
            raise ClausegateError(
                f"{path}: waiver {number} names check {waiver.check!r}, which none of the "
                f"specs given has; {hint}write one of the ids the reports show for its checks"
            )
