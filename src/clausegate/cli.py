"""The `clausegate` command: a thin front over the engine.

Every error a user can cause ends here as one line on stderr and an exit code:
0 pass, 1 fail, 2 usage or bad input, 3 broken (a database that can't be started or
reached, or an interruption). No Python traceback reaches the user unless
CLAUSEGATE_DEBUG is set.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, NoReturn

from clausegate import (
    __version__,
    commands_report,
    commands_servers,
    commands_snapshot,
    environment,
    reference,
    reports,
    snapshot,
    templates,
)
from clausegate.cli_common import add_target_options, server_from_args, spec_files, target_values
from clausegate.db import redact
from clausegate.errors import EXIT_BROKEN, EXIT_FAIL, EXIT_OK, EXIT_USAGE, ClausegateError
from clausegate.targets import TARGETS, LocalServer, open_server

if TYPE_CHECKING:
    from clausegate.spec import Spec

# The spec machinery (jsonschema) and pytest are imported where they are used, so
# `snapshot`, `diff` and `report` start quickly.


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line that says where to look for help."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


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
    specs = spec_files([args.spec])
    if not Path(args.before).is_file():
        raise ClausegateError(f"--before {args.before}: no such file")
    snapshot.load(Path(args.before))  # a file that is not a snapshot is a usage error (2)
    args.target = args.target or "dsn"
    return run_engine(args, "verify", specs, ["--clausegate-before", args.before])


def run_engine(args: argparse.Namespace, mode: str, specs: list[Path], extra: list[str]) -> int:
    """Validate every spec, then hand the run to pytest and turn its outcome into an exit code."""
    import pytest  # here, not at the top: `snapshot`, `diff` and `lint` start without it

    from clausegate import spec
    from clausegate.plugin import EngineHolder

    started = commands_report.now()
    loaded = [spec.load(path) for path in specs]
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
    report_dir = reports.run_dir(Path(args.report_dir) if args.report_dir else None)
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
        *args.pytest_args,
    ]  # fmt: skip
    holder = EngineHolder()
    code = pytest.main(pytest_args, plugins=[holder])
    print(f"clausegate: report in {report_dir}")
    if code == pytest.ExitCode.INTERRUPTED:
        raise KeyboardInterrupt
    if code in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.NO_TESTS_COLLECTED):
        raise ClausegateError("pytest selected no check (see the message above)")
    if code == pytest.ExitCode.INTERNAL_ERROR or holder.engine is None:
        return EXIT_BROKEN
    holder.engine.write_results(report_dir)
    verdict_code = holder.engine.exit_code()
    judged = len(holder.engine.outcomes)
    if judged < holder.collected or (code == pytest.ExitCode.TESTS_FAILED and verdict_code == 0):
        # Defence in depth: a check pytest ran but the engine did not judge is never a PASS.
        print(
            f"clausegate: {holder.collected - judged} of {holder.collected} checks got no "
            "verdict (see the errors above); the run is BROKEN",
            file=sys.stderr,
        )
        verdict_code = EXIT_BROKEN
    commands_report.finish_run(
        report_dir,
        started=started,
        command=commands_report.command_line(args),
        exit_code=verdict_code,
        target=f"{target} ({redact(dsn)})" if dsn else target,
        waivers=args.waivers,
        html=not args.no_html,
    )
    return verdict_code


def check_waivers(path: Path, specs: list[Spec]) -> None:
    """A waiver file must be valid and name checks of the specs given: a misspelt check
    id would otherwise waive nothing, silently."""
    from clausegate import waivers

    if not path.is_file():
        raise ClausegateError(f"--waivers {path}: no such file")
    known = {check.id for loaded in specs for check in loaded.checks}
    for number, waiver in enumerate(waivers.load(path), start=1):
        if waiver.check not in known:
            raise ClausegateError(
                f"{path}: waiver {number} names check {waiver.check!r}, which none of the "
                f"specs given has; write one of the ids the spec gives its checks"
            )


def cmd_lint(args: argparse.Namespace) -> int:
    from clausegate import spec

    specs = spec_files(args.specs)
    if not specs:
        raise ClausegateError(f"no spec files in {', '.join(args.specs)}")
    invalid = 0
    for path in specs:
        try:
            loaded = spec.load(path)
        except spec.SpecError as exc:
            print(exc, file=sys.stderr)
            invalid += 1
            continue
        print(
            f"{path}: ok ({loaded.law}, phase {loaded.phase}: "
            f"{len(loaded.clauses)} clauses, {len(loaded.checks)} checks)"
        )
    return EXIT_USAGE if invalid else 0


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
    parser.epilog = "Arguments after -- go to pytest, e.g. -- -k '§15.5' or -- -v."
    add_target_options(parser)


def cmd_twin(args: argparse.Namespace) -> int:
    fixtures = Path(args.fixtures)
    files = reference.chain_files(fixtures, args.upto)
    with server_from_args(args, keep=args.keep) as server:
        if args.database in ("postgres", "template0", "template1"):
            raise ClausegateError(f"--database {args.database}: choose a new database name")
        templates.create_database(server, args.database)
        conninfo = server.conninfo(args.database)
        started = time.perf_counter()
        for path in files:
            reference.apply_sql_file(conninfo, path)
            print(f"clausegate: applied {path}")
        print(f"clausegate: built {args.database} up to {files[-1].name[:3]} in "
              f"{time.perf_counter() - started:.1f} s on {server.label}")  # fmt: skip
        print(f"clausegate: explore it with: psql '{redact(conninfo)}'")
        if args.keep:
            if isinstance(server, LocalServer):
                print(
                    f"clausegate: the server keeps running; stop it with: {server.stop_command()}"
                )
            return EXIT_OK
        print("clausegate: press Ctrl-C to stop the server and discard the database")
        try:
            signal.pause()
        except KeyboardInterrupt:
            print("clausegate: stopped")
        finally:
            if not isinstance(server, LocalServer):
                templates.drop_database(server, args.database)
    return EXIT_OK


def build_parser() -> Parser:
    parser = Parser(
        prog="clausegate",
        description="Prove, clause by clause, that a PostgreSQL migration obeyed its law.",
    )
    parser.add_argument("--version", action="version", version=f"clausegate {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    commands.required = True

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
    add_run_options(verify)
    verify.set_defaults(func=cmd_verify)

    twin = commands.add_parser(
        "twin",
        help="build the reference database (fixtures/dieu45) on a throwaway server and "
        "print a DSN to explore it",
        description="Build a fixture chain on a server and print how to open it with psql.",
    )
    twin.add_argument(
        "--upto", metavar="STATE", help="build up to this state, e.g. 051 (default: all)"
    )
    twin.add_argument("--fixtures", default=str(reference.DEFAULT_FIXTURES), metavar="DIR",
                      help="the chain's directory (default fixtures/dieu45)")  # fmt: skip
    twin.add_argument("--database", default="dieu45", metavar="NAME",
                      help="the database to create (default dieu45)")  # fmt: skip
    twin.add_argument(
        "--keep",
        action="store_true",
        help="leave the server running and print how to stop it (otherwise wait for Ctrl-C)",
    )
    add_target_options(twin)
    twin.set_defaults(func=cmd_twin)

    lint = commands.add_parser(
        "lint",
        help="validate spec files only (exit 2 naming file:line:column of each problem)",
        description="Validate spec files against the schema and their own consistency.",
    )
    lint.add_argument("specs", nargs="+", metavar="SPEC", help="spec files or directories")
    lint.set_defaults(func=cmd_lint)
    commands_snapshot.add_parsers(commands)
    commands_report.add_parsers(commands)
    commands_servers.add_parsers(commands)
    return parser


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    # Everything after `--` belongs to pytest, untouched by argparse.
    cut = words.index("--") if "--" in words else len(words)
    args = parser.parse_args(words[:cut])
    args.pytest_args = words[cut + 1 :]
    args.command_line = words
    # SIGTERM unwinds like Ctrl-C, so every `with` block cleans up what it started.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return int(args.func(args))
    except ClausegateError as exc:
        print(f"clausegate {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"clausegate {args.command}: interrupted", file=sys.stderr)
        return EXIT_BROKEN
    except BrokenPipeError:  # `clausegate … | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAIL
    except Exception as exc:  # the last line of defence: never a traceback for a user
        if environment.debug():
            traceback.print_exc()
        print(
            f"clausegate {args.command}: internal error: {type(exc).__name__}: {exc} "
            "(set CLAUSEGATE_DEBUG=1 for the traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_BROKEN


def run() -> NoReturn:
    sys.exit(main())
