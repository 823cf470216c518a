"""The expected changes of a draft: every difference between the two snapshots that a gate
sees too, each declared exactly, and a note for each one that cannot be declared."""

from __future__ import annotations

import re
from collections.abc import Iterable

from clausegate.checks.evidence import label
from clausegate.checks.expected_changes import CHANGE_KINDS
from clausegate.diff import Change
from clausegate.draft.model import DraftChange
from clausegate.snapshot import Snapshot, split_table

# What a shell pattern reads as more than itself; each is written as a class of one.
_PATTERN_SPECIAL = re.compile(r"[*?\[]")
_NOT_IN_ID = re.compile(r"[^A-Za-z0-9._-]+")


def literal_pattern(identity: str) -> str:
    """The shell pattern (fnmatch) that matches `identity` and nothing else:
    `public.f(text[])` → `public.f(text[[]])`."""
    return _PATTERN_SPECIAL.sub(lambda match: f"[{match.group()}]", identity)


def check_id(*words: str) -> str:
    """A check id (letters, digits, `.`, `_`, `-`) from words: `function-public.f-text-added`."""
    return "-".join(part for word in words if (part := _NOT_IN_ID.sub("-", word).strip("-")))


def unique_ids(ids: Iterable[str]) -> list[str]:
    """Each id, with `-2`, `-3` … after those met before (two identities can spell one id)."""
    seen: dict[str, int] = {}
    found = []
    for wanted in ids:
        number = seen.get(wanted, 0) + 1
        seen[wanted] = number
        found.append(wanted if number == 1 else f"{wanted}-{number}")
    return found


def expected_changes(changes: Iterable[Change]) -> tuple[tuple[DraftChange, ...], list[str]]:
    """(the changes a spec declares, notes on those it cannot declare)."""
    declared: list[tuple[str, str, str, Change]] = []
    notes: list[str] = []
    probes = 0
    for change in changes:
        if change.identity == "":
            side = "before" if change.before is None else "after"
            notes.append(
                f"{change.line.split(':', 1)[0]} could not be read in the {side} snapshot, "
                "so its changes are not drafted; take both snapshots with a role that reads it"
            )
            continue
        if change.section == "probes":
            table = _hashed_table(change)
            if table is None:
                if change.kind != "content_hash":
                    probes += 1
                continue
            declared.append(("data", table, change.action, change))
            continue
        kind = label(change)
        if kind not in CHANGE_KINDS:
            notes.append(f"{change.line}: kind {kind!r} is no kind a spec declares; not drafted")
            continue
        declared.append((kind, change.identity, change.action, change))
    if probes:
        notes.append(
            f"{probes} change(s) of the snapshots' row counts and queries are not expected "
            "changes: a gate reads a table's rows by its own content hashes (the row counts "
            "read on both sides are regression rows)"
        )
    ids = unique_ids(check_id(kind, identity, action) for kind, identity, action, _ in declared)
    return (
        tuple(
            DraftChange(id, kind, literal_pattern(identity), action, change.line)
            for id, (kind, identity, action, change) in zip(ids, declared, strict=True)
        ),
        notes,
    )


def unhashed_tables(before: Snapshot, after: Snapshot) -> str | None:
    """The note on the tables of both states whose rows the two snapshots did not both
    hash: a gate hashes every table, so rows the migration changed there are not drafted."""
    tables = [
        {split_table(identity) for identity, attrs in (side["catalog"].get("tables") or {}).items()
         if attrs.get("kind") in ("table", "partitioned table")}
        for side in (before, after)
    ]  # fmt: skip
    hashed = [
        {split_table(str(attrs.get("table", name)))
         for name, attrs in (side["probes"].get("content_hash") or {}).items()
         if "sha256" in attrs}
        for side in (before, after)
    ]  # fmt: skip
    missing = (tables[0] & tables[1]) - (hashed[0] & hashed[1])
    if not missing:
        return None
    return (
        f"{len(missing)} table(s) of both states were not hashed by both snapshots (e.g. "
        f"{'.'.join(min(missing))}): rows the migration changed there are not drafted, and "
        "a gate, which hashes every table, would find them undeclared; take the snapshots "
        "with "
        "`--probes` hashing them (`- hash: TABLE`) to draft them"
    )


def _hashed_table(change: Change) -> str | None:
    """The table (`schema.name` catalog text) of a content hash read on both sides whose
    rows changed; None for any other probe (a gate does not take it)."""
    if change.kind != "content_hash" or change.before is None or change.after is None:
        return None
    if "sha256" not in change.before or "sha256" not in change.after:
        return None  # the table is absent on one side: its own change says so
    return ".".join(split_table(str(change.after.get("table", change.identity))))
