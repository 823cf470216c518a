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
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import NoReturn

from clausegate import __version__, spec
from clausegate.cli_common import add_target_options, server_from_args
from clausegate.errors import EXIT_BROKEN, EXIT_USAGE, ClausegateError


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line that says where to look for help."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def spec_files(paths: Sequence[str]) -> list[Path]:
    """The spec files named, directories expanded to their *.yaml files (sorted)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(path.glob("*.yaml")))
        elif path.exists():
            found.append(path)
        else:
            raise ClausegateError(f"{raw}: no such file or directory")
    return found


def cmd_gate(args: argparse.Namespace) -> int:
    specs = spec_files(args.specs)
    if specs:
        raise ClausegateError(
            f"{specs[0]}: this version of clausegate cannot gate specs yet; "
            "it starts the target server only"
        )
    with server_from_args(args) as server:
        print(f"clausegate: target {server.label}")
        print(f"clausegate: server {server.version}")
        where = ", ".join(args.specs) or "(no paths given)"
        print(f"clausegate: nothing to gate yet (no spec files in {where})")
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
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
        help="gate migrations on a throwaway server (starts the target; reports specs found)",
        description="Start the target server and gate the specs found under the given paths.",
    )
    gate.add_argument("specs", nargs="*", metavar="SPEC", help="spec files or directories")
    add_target_options(gate)
    gate.set_defaults(func=cmd_gate)

    lint = commands.add_parser(
        "lint",
        help="validate spec files only (exit 2 naming file:line:column of each problem)",
        description="Validate spec files against the schema and their own consistency.",
    )
    lint.add_argument("specs", nargs="+", metavar="SPEC", help="spec files or directories")
    lint.set_defaults(func=cmd_lint)
    return parser


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
    except Exception as exc:  # the last line of defence: never a traceback for a user
        if os.environ.get("CLAUSEGATE_DEBUG"):
            traceback.print_exc()
        print(
            f"clausegate {args.command}: internal error: {type(exc).__name__}: {exc} "
            "(set CLAUSEGATE_DEBUG=1 for the traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_BROKEN


def run() -> NoReturn:
    sys.exit(main())
