"""Benchmark: build the whole Điều 45 reference chain on a fresh database, several times.

    .venv/bin/python bench/bench_fixture_chain.py [--runs 5] [--target auto|local|docker|dsn]
                                                  [--dsn DSN] [--fixtures fixtures/dieu45]

The server comes from clausegate's targets (a DSN from --dsn or CLAUSEGATE_DSN, else a
throwaway local cluster, else Docker). Each run creates an empty database, applies every file
of the chain in order and drops the database; the report gives median, min and max seconds
for the whole chain and the median per file. The aim is a chain under 10 s on 2 cores.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from clausegate.db import reference, templates
from clausegate.errors import ClausegateError
from clausegate.targets import TARGETS, Server, TargetSettings, open_server

AIM_SECONDS = 10.0


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="builds to time (default 5)")
    parser.add_argument("--target", choices=TARGETS, default="auto", help="where the server is")
    parser.add_argument("--dsn", default=None, help="an existing server (default CLAUSEGATE_DSN)")
    parser.add_argument(
        "--fixtures",
        type=Path,
        default=reference.DEFAULT_FIXTURES,
        help=f"the chain's directory (default {reference.DEFAULT_FIXTURES})",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def time_one_build(server: Server, files: list[Path]) -> list[float]:
    """Seconds per file for one build of the chain on a new, empty database."""
    with templates.database(server, "bench_chain") as name:
        conninfo = server.conninfo(name)
        seconds = []
        for path in files:
            start = time.perf_counter()
            reference.apply_sql_file(conninfo, path)
            seconds.append(time.perf_counter() - start)
    return seconds


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        files = reference.chain_files(args.fixtures)
        with open_server(TargetSettings(args.target, args.dsn)) as server:
            print(f"server: {server.label}, PostgreSQL {server.version_num}")
            runs = []
            for run in range(1, args.runs + 1):
                runs.append(time_one_build(server, files))
                print(f"run {run}: {sum(runs[-1]):.2f} s")
    except ClausegateError as exc:
        print(f"bench_fixture_chain: {exc}", file=sys.stderr)
        return exc.exit_code

    totals = [sum(run) for run in runs]
    print()
    for index, path in enumerate(files):
        print(f"  {path.name:<20} median {statistics.median(r[index] for r in runs):6.2f} s")
    median = statistics.median(totals)
    print(
        f"chain of {len(files)} files, {len(runs)} runs: median {median:.2f} s, "
        f"min {min(totals):.2f} s, max {max(totals):.2f} s "
        f"({'within' if median < AIM_SECONDS else 'OVER'} the {AIM_SECONDS:.0f} s aim)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
