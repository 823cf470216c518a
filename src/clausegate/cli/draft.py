"""`clausegate draft`: a spec drafted from two snapshots, to fill in and gate."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from clausegate.errors import EXIT_OK, EXIT_USAGE, ClausegateError


def add_parsers(commands: argparse._SubParsersAction[Any]) -> None:
    draft = commands.add_parser(
        "draft",
        help="draft a spec from two snapshots: every change an expected change, the counts "
        "a regression table, the clauses to fill in",
        description=(
            "Write a spec drafted from the snapshots of the states before and after a "
            "migration: every change between them declared under expected_changes, the "
            "counts as a regression table, placeholder clauses marked TODO. The before state "
            "is built as --fixtures DIR --upto STATE or --dump FILE say. Reads no database."
        ),
    )
    draft.add_argument(
        "--before", required=True, metavar="A.json", help="the snapshot of the state before"
    )
    draft.add_argument(
        "--after", required=True, metavar="B.json", help="the snapshot of the state after"
    )
    source = draft.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--fixtures",
        metavar="DIR",
        help="build the before state from this fixture chain, up to --upto STATE",
    )
    source.add_argument(
        "--dump", metavar="FILE", help="build the before state from this plain SQL file"
    )
    draft.add_argument(
        "--upto",
        metavar="STATE",
        help="with --fixtures: the chain's state before the migration, e.g. 050",
    )
    draft.add_argument(
        "--migration",
        metavar="FILE",
        help="the migration the spec gates, written as its build.migration (without it, a "
        "placeholder marked TODO that lint names until it is filled in)",
    )
    draft.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="SPEC",
        help="the spec file to write (never one that exists; - for standard output)",
    )
    draft.set_defaults(func=cmd_draft)


def cmd_draft(args: argparse.Namespace) -> int:
    # Drafting names changes as the check kinds do, so it loads their registry: here only.
    from clausegate import draft
    from clausegate.snapshot import load
    from clausegate.spec.language import schema_file

    to_stdout = args.output == "-"
    output = Path(args.output)
    if not to_stdout:
        _new_file(output)
    home = Path.cwd() if to_stdout else output.parent
    build = draft.DraftBuild(
        fixtures=_fixtures(args, home),
        upto=args.upto,
        dump=_existing_file("--dump", args.dump, home),
        migration=_existing_file("--migration", args.migration, home),
    )
    before, after = load(Path(args.before)), load(Path(args.after))
    drafted = draft.draft(before, after, build)
    text = draft.spec_text(
        drafted,
        schema=_relative(schema_file(), home),
        before=args.before,
        after=args.after,
    )
    if to_stdout:
        sys.stdout.write(text)
    else:
        _write(output, text)
        print(
            f"clausegate draft: wrote {output} ({len(drafted.changes)} expected changes, "
            f"{len(drafted.regression)} regression rows); fill in what is marked TODO, then "
            f"clausegate lint {output}"
        )
    for note in drafted.notes:
        print(f"clausegate draft: note: {note}", file=sys.stderr)
    if build.migration is None:
        print(
            "clausegate draft: note: no --migration given: build.migration is a placeholder "
            "(migration.sql beside the spec) to fill in",
            file=sys.stderr,
        )
    return EXIT_OK


def _new_file(output: Path) -> None:
    """-o names a file that does not exist yet, in a folder that does: a spec filled in by
    hand is never overwritten."""
    if output.is_dir():
        raise ClausegateError(f"-o {output}: is a directory; name the spec file to write, "
                              f"e.g. {output / 'phase.yaml'}", EXIT_USAGE)  # fmt: skip
    if output.exists():
        raise ClausegateError(f"-o {output}: already exists; draft never overwrites a spec "
                              "(remove it, or name another file)", EXIT_USAGE)  # fmt: skip
    folder = output.parent
    if not folder.is_dir():
        raise ClausegateError(f"-o {output}: the folder {folder} does not exist; create it "
                              f"first (mkdir -p {folder})", EXIT_USAGE)  # fmt: skip
    if not os.access(folder, os.W_OK):
        raise ClausegateError(f"-o {output}: the folder {folder} is not writable", EXIT_USAGE)


def _fixtures(args: argparse.Namespace, home: Path) -> str | None:
    from clausegate.db import reference

    if args.fixtures is None:
        if args.upto is not None:
            raise ClausegateError("--upto goes with --fixtures DIR (a dump has no states)")
        return None
    if not Path(args.fixtures).is_dir():
        raise ClausegateError(f"--fixtures {args.fixtures}: no such directory")
    if args.upto is None:
        states = ", ".join(dict.fromkeys(reference.states(Path(args.fixtures))))
        raise ClausegateError(
            f"--fixtures {args.fixtures} needs --upto STATE, the state before the migration "
            f"(its states: {states})"
        )
    reference.chain_files(Path(args.fixtures), args.upto)  # exit 2 naming the states there
    return _relative(Path(args.fixtures), home)


def _existing_file(flag: str, name: str | None, home: Path) -> str | None:
    if name is None:
        return None
    path = Path(name)
    if not path.is_file():
        what = "is not a file" if path.exists() else "does not exist"
        raise ClausegateError(f"{flag} {name}: {what}")
    return _relative(path, home)


def _relative(path: Path, home: Path) -> str:
    """`path` as a spec in `home` names it (specs name their files relative to themselves)."""
    return Path(os.path.relpath(path.resolve(), home.resolve())).as_posix()


def _write(output: Path, text: str) -> None:
    try:
        with output.open("x", encoding="utf-8") as out:  # exclusive: never over a file
            out.write(text)
    except FileExistsError:
        raise ClausegateError(f"-o {output}: already exists; draft never overwrites a spec",
                              EXIT_USAGE) from None  # fmt: skip
    except OSError as exc:
        raise ClausegateError(f"-o {output}: cannot write: {exc.strerror}", EXIT_USAGE) from None
