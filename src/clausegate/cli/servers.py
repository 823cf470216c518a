"""`clausegate servers`: every set of PostgreSQL server binaries the local target can use."""

from __future__ import annotations

import argparse
from typing import Any

from clausegate.cli.common import add_target_options, target_values
from clausegate.config import PG_BIN, PG_VERSION
from clausegate.errors import EXIT_OK


def add_parsers(subparsers: argparse._SubParsersAction[Any]) -> None:
    servers = subparsers.add_parser(
        "servers",
        help="list the PostgreSQL server binaries found for the local target: version, "
        "path, where they came from, and which one a run takes",
        description=(
            "List every set of PostgreSQL server binaries (initdb, pg_ctl, postgres) the "
            "local target finds: the system's, and the embedded servers npm ci installs. "
            "Exit 0 when the choice (default, or --pg-version's) exists, 3 when it does not."
        ),
    )
    add_target_options(servers, (PG_BIN, PG_VERSION))
    servers.add_argument(
        "--tried", action="store_true", help="also list every place looked at and what was there"
    )
    servers.set_defaults(func=cmd_servers)


def cmd_servers(args: argparse.Namespace) -> int:
    from clausegate.targets import pgbin

    settings = target_values(args)
    found = pgbin.discover(settings.pg_bin)
    if found.installations:
        print("clausegate: PostgreSQL server binaries found (* = the one a run takes):")
    chosen: pgbin.Installation | None = None
    try:
        chosen = pgbin.select(found, settings.pg_version, "--pg-version")
    finally:
        width = max((len(i.version_text) for i in found.installations), default=0)
        for installation in found.installations:
            mark = "*" if installation == chosen else " "
            print(
                f"  {mark} {installation.version_text:<{width}}  {installation.bindir}  "
                f"({installation.source})"
            )
        if args.tried:
            print("clausegate: looked at:")
            for place in found.tried:
                print(f"    {place}")
    assert chosen is not None
    why = pgbin.why_chosen(found, chosen, settings.pg_version, "--pg-version")
    print(f"clausegate: a run takes PostgreSQL {chosen.version_text} ({why}); "
          "a spec's server: names its own major")  # fmt: skip
    return EXIT_OK
