"""A spec drafted from two snapshots (`clausegate draft`): every change between them an
expected change, the counts a regression table, the clauses placeholders to fill in.

Nothing here touches a database: the draft is read from the snapshot files alone, and
its values are those a gate of the migration between the two states measures.
"""

from __future__ import annotations

import re

from clausegate.diff import diff, majors
from clausegate.draft.changes import expected_changes, literal_pattern, unhashed_tables
from clausegate.draft.counts import regression_rows
from clausegate.draft.model import Draft, DraftBuild, DraftChange, DraftRow, DraftServer
from clausegate.draft.text import spec_text
from clausegate.snapshot import Snapshot

# The versions `server.version` accepts (a beta's `18beta1` is not one).
_VERSION = re.compile(r"[0-9]+\.[0-9]+")


def draft(before: Snapshot, after: Snapshot, build: DraftBuild) -> Draft:
    """The spec that declares every change from `before` to `after` and their counts."""
    changes, change_notes = expected_changes(diff(before, after))
    rows, count_notes = regression_rows(before, after)
    across = majors.note(before, after)
    unhashed = unhashed_tables(before, after)
    version = str(after["server"]["version"])
    return Draft(
        build=build,
        server=DraftServer(
            int(after["server"]["version_num"]) // 10000,
            version if _VERSION.fullmatch(version) else None,
        ),
        changes=changes,
        regression=rows,
        notes=(
            *([across] if across else []),
            *change_notes,
            *([unhashed] if unhashed else []),
            *count_notes,
        ),
    )


__all__ = [
    "Draft",
    "DraftBuild",
    "DraftChange",
    "DraftRow",
    "DraftServer",
    "draft",
    "literal_pattern",
    "spec_text",
]
