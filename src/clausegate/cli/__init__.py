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
from types import FrameType
from typing import NoReturn

from clausegate import __version__, environment
from clausegate.cli import draft, gate, lint, pin, report, servers, snapshot, twin
from clausegate.errors import EXIT_BROKEN, EXIT_FAIL, EXIT_USAGE, ClausegateError

# The spec machinery (jsonschema) and pytest are imported where they are used, so
# `snapshot`, `diff` and `report` start quickly.


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line that says where to look for help."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> Parser:
    parser = Parser(
        prog="clausegate",
        description="Prove, clause by clause, that a PostgreSQL migration obeyed its law.",
    )
    parser.add_argument("--version", action="version", version=f"clausegate {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    commands.required = True
    for command in (gate, twin, lint, pin, draft, snapshot, report, servers):
        command.add_parsers(commands)
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
