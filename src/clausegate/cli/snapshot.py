"""`clausegate snapshot` and `clausegate diff`: the snapshot engine from the command line."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from clausegate.cli.common import add_target_options, server_from_args, spec_files
from clausegate.errors import EXIT_FAIL, EXIT_OK, EXIT_USAGE, ClausegateError

PROBES_HELP = (
    "YAML or JSON file of data probes to run in the snapshot: exact row counts (optionally "
    "with a WHERE), the rows a query returns, content hashes of tables"
)


def add_parsers(subparsers: argparse._SubParsersAction[Any]) -> None:
    snapshot = subparsers.add_parser(
        "snapshot",
        help="write a snapshot of a database's catalog, non-transactional state and probes",
        description=(
            "Read everything a migration can change (catalog, sequence values, ALTER SYSTEM "
            "settings, cron jobs, sessions, and the data probes asked for) in one read-only "
            "transaction that is rolled back, and write it as JSON with sorted keys."
        ),
    )
    add_target_options(snapshot)
    snapshot.add_argument("--probes", type=Path, metavar="FILE", help=PROBES_HELP)
    snapshot.add_argument(
        "--spec",
        nargs="+",
        default=[],
        metavar="SPEC",
        help="also capture what these specs measure (their metrics, rows, config rows and "
        "content hashes), so the file serves `clausegate verify SPEC --before FILE` after a "
        "live apply",
    )
    snapshot.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="where to write the snapshot (- for standard output)",
    )
    snapshot.set_defaults(func=cmd_snapshot)

    compare = subparsers.add_parser(
        "diff",
        help="list the changes between two snapshots (files or DSNs); exit 1 if any",
        description=(
            "Print one line per change from A to B, with the lines a reviewer needs under "
            "it, indented (a unified diff of a changed body or definition, the two texts of "
            "a changed CHECK). An extension added or removed whole is one line counting its "
            "members (--all lists them). A and B are snapshot files or DSNs of live "
            "databases; a live database is read with the probes of the other side's "
            "snapshot file, or of --probes. Exit 0 when equal, 1 when they differ, 2 on bad "
            "input, 3 when a database cannot be reached."
        ),
    )
    compare.add_argument("before", metavar="A", help="snapshot file or DSN (the before side)")
    compare.add_argument("after", metavar="B", help="snapshot file or DSN (the after side)")
    compare.add_argument(
        "--probes", type=Path, metavar="FILE", help=PROBES_HELP + " (for a DSN side)"
    )
    compare.add_argument(
        "--all",
        action="store_true",
        help="also list each member object of an extension added or removed whole",
    )
    compare.set_defaults(func=cmd_diff)


def cmd_snapshot(args: argparse.Namespace) -> int:
    from clausegate.snapshot import DataProbes, capture, dumps, load_data_probes, save

    if args.output != "-":
        _writable(Path(args.output))  # before anything is read: a wrong -o is the user's
    probes = load_data_probes(args.probes) if args.probes else DataProbes()
    paths = spec_files(args.spec)
    if paths:  # the spec machinery is loaded only for a snapshot of a spec's values
        from clausegate import phase
        from clausegate.checks.language import load_spec
    specs = [load_spec(path) for path in paths]
    with server_from_args(args) as server:
        conninfo = server.conninfo()
        queries: dict[str, str] = {}
        for loaded in specs:
            probes += phase.live_probes(loaded, conninfo)[0]
            planned = phase.plan_queries(loaded, conninfo)
            queries.update({f"{loaded.path}:{name}": sql for name, sql in planned.items()})
        taken = (
            phase.take_snapshot(conninfo, queries, probes) if specs else capture(conninfo, probes)
        )
    if args.output == "-":
        sys.stdout.write(dumps(taken))
        return EXIT_OK
    save(taken, Path(args.output))
    objects = sum(len(objs or {}) for objs in taken["catalog"].values())
    print(
        f"clausegate snapshot: wrote {args.output} ({objects} objects; "
        f"database {taken['server']['database']}, PostgreSQL {taken['server']['version']})"
    )
    for kind, reason in sorted(taken["server"]["unreadable"].items()):
        print(f"clausegate snapshot: warning: {kind} not read: {reason}", file=sys.stderr)
    return EXIT_OK


def _writable(output: Path) -> None:
    """-o names a file that can be written: its folder exists and it is not a folder."""
    folder = output.parent
    if output.is_dir():
        raise ClausegateError(f"-o {output}: is a directory; name the file to write, e.g. "
                              f"{output / 'snapshot.json'}", EXIT_USAGE)  # fmt: skip
    if not folder.is_dir():
        raise ClausegateError(f"-o {output}: the folder {folder} does not exist; create it "
                              f"first (mkdir -p {folder})", EXIT_USAGE)  # fmt: skip
    if not os.access(folder, os.W_OK):
        raise ClausegateError(f"-o {output}: the folder {folder} is not writable", EXIT_USAGE)


def cmd_diff(args: argparse.Namespace) -> int:
    from clausegate.diff import diff, majors, printed
    from clausegate.snapshot import DataProbes, capture, data_probes_of, load, load_data_probes

    sides = [_side(args.before), _side(args.after)]
    files = {index: load(side) for index, side in enumerate(sides) if isinstance(side, Path)}
    if args.probes is not None and len(files) == 2:
        raise ClausegateError("--probes is used only when A or B is a DSN", EXIT_USAGE)
    if args.probes is not None:
        probes = load_data_probes(args.probes)
    else:
        # A live side is read with the probes the file side ran, so the two compare.
        probes = data_probes_of(next(iter(files.values()))) if files else DataProbes()
    snapshots = [
        files[index] if index in files else capture(str(side), probes)
        for index, side in enumerate(sides)
    ]
    changes = diff(snapshots[0], snapshots[1])
    across = majors.note(snapshots[0], snapshots[1])
    if across:
        print(f"clausegate diff: {across}", file=sys.stderr)
    for line in printed(changes, every_member=args.all):
        print(line)
    return EXIT_FAIL if changes else 0


def _side(text: str) -> Path | str:
    """A snapshot file if one exists at `text`, else a DSN; ClausegateError (2) if neither."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    from clausegate import db

    path = Path(text)
    if path.exists():
        return path
    if "=" in text or "://" in text:
        try:
            conninfo_to_dict(text)
        except psycopg.ProgrammingError:
            raise ClausegateError(
                f"{db.redact(text)}: neither a snapshot file nor a valid DSN", EXIT_USAGE
            ) from None
        return text
    raise ClausegateError(f"{text}: no such snapshot file (nor a DSN)", EXIT_USAGE)
