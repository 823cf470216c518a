"""Peak memory of a snapshot of two databases and their diff, in a fresh process.

    .venv/bin/python bench/rss_snapshot_diff.py BEFORE_CONNINFO AFTER_CONNINFO

Run by bench_performance.py as a child, so that its peak resident set size (ru_maxrss,
a high-water mark) is that of this work alone. Prints one JSON object: the peak RSS in MB
after the imports, after each snapshot and after the diff (rendered as lines, as
`clausegate diff` prints them), and the number of changes.
"""

from __future__ import annotations

import json
import resource
import sys

from clausegate.diff import diff
from clausegate.snapshot import capture


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    marks = {"imports": peak_mb()}
    before = capture(argv[0])
    marks["first snapshot"] = peak_mb()
    after = capture(argv[1])
    marks["second snapshot"] = peak_mb()
    lines = [change.line for change in diff(before, after)]
    marks["diff"] = peak_mb()
    print(json.dumps({"peak_mb": marks, "changes": len(lines)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
