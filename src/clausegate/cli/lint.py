"""`clausegate lint`: validate spec files, every problem as FILE:LINE:COLUMN."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from clausegate.cli.common import spec_files
from clausegate.errors import EXIT_OK, EXIT_USAGE, ClausegateError


def add_parsers(commands: argparse._SubParsersAction[Any]) -> None:
    lint = commands.add_parser(
        "lint",
        help="validate spec files only (exit 2 naming file:line:column of each problem)",
        description="Validate spec files against the schema and their own consistency.",
    )
    lint.add_argument("specs", nargs="+", metavar="SPEC", help="spec files or directories")
    lint.set_defaults(func=cmd_lint)


def cmd_lint(args: argparse.Namespace) -> int:
    from clausegate import spec
    from clausegate.checks.language import load_spec

    specs = spec_files(args.specs)
    if not specs:
        raise ClausegateError(f"no spec files in {', '.join(args.specs)}")
    invalid = 0
    for path in specs:
        try:
            loaded = load_spec(path)
        except spec.SpecError as exc:
            print(exc, file=sys.stderr)
            invalid += 1
            continue
        print(
            f"{path}: ok ({loaded.law}, phase {loaded.phase}: "
            f"{len(loaded.clauses)} clauses, {len(loaded.checks)} checks)"
        )
    return EXIT_USAGE if invalid else EXIT_OK
