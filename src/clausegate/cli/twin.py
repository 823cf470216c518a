"""`clausegate twin`: build a fixture chain on a server and say how to open it with psql."""

from __future__ import annotations

import argparse
import signal
import time
from pathlib import Path
from typing import Any

from clausegate.cli.common import add_target_options, server_from_args
from clausegate.errors import EXIT_OK, ClausegateError


def add_parsers(commands: argparse._SubParsersAction[Any]) -> None:
    twin = commands.add_parser(
        "twin",
        help="build the reference database (fixtures/dieu45) on a throwaway server and "
        "print a DSN to explore it",
        description="Build a fixture chain on a server and print how to open it with psql.",
    )
    twin.add_argument(
        "--upto", metavar="STATE", help="build up to this state, e.g. 051 (default: all)"
    )
    twin.add_argument("--fixtures", metavar="DIR",
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


def cmd_twin(args: argparse.Namespace) -> int:
    from clausegate.db import redact, reference, templates
    from clausegate.targets import LocalServer

    fixtures = Path(args.fixtures) if args.fixtures else reference.DEFAULT_FIXTURES
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
