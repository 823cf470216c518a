"""Snapshots taken on two PostgreSQL majors, made comparable: what differs only in how a
major records or prints the same catalog is not a change.

Each rule names the majors between which it applies and what it makes equal:
- 16 prints a view's column references without their table's name where the query has one
  relation (`SELECT id FROM t` for 15's `SELECT t.id FROM t`). Across 15 and 16+, a 16+
  definition that is the 15 one with some column qualifiers left out is equal; a qualifier
  16+ still prints (a join's, a subquery's) is compared, and a schema is never dropped.
- 17 adds the MAINTAIN privilege, which GRANT ALL (and an owner's own privileges) include
  there. Across 16 and 17+, MAINTAIN is not compared in an aclitem that holds every other
  table privilege; a MAINTAIN granted on its own still shows.
- 18 records each column's NOT NULL as a pg_constraint row: the catalog query leaves out the
  rows any major would make (see catalog/constraints.sql), so no rule is needed here.
- Every major ships other built-in objects (functions, types, system views): kind
  `builtin_objects` is compared only between snapshots of one major.
Extension versions (pgcrypto 1.3 on 15, 1.4 on 18) and the members a newer extension
version brings are real differences and stay.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# A snapshot read as a plain mapping: what is said here holds for any section.
Document = Mapping[str, Any]

UNQUALIFIED_VIEWS_SINCE = 16
MAINTAIN_SINCE = 17
_TABLE_PRIVILEGES = set("arwdDxt")
# An aclitem's text, `grantee=privileges/grantor` (diff.py reads grants with it too).
ACL_ITEM = re.compile(
    r'(?P<grantee>(?:"(?:[^"]|"")*"|[^="])*)=(?P<letters>[A-Za-z*]*)/(?P<grantor>.*)'
)
_QUALIFIER = re.compile(r'(?<![\w."$])("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)\.(?=["A-Za-z_])')


def major_of(taken: Document) -> int:
    return int(taken.get("server", {}).get("version_num") or 0) // 10000


def comparable(before: Document, after: Document) -> tuple[Document, Document]:
    """`before` and `after` with the representations that differ by major made equal;
    the same objects when both were taken on one major."""
    old_major, new_major = major_of(before), major_of(after)
    if old_major == new_major or not old_major or not new_major:
        return before, after
    older_first = old_major < new_major
    older, newer = (before, after) if older_first else (after, before)
    low, high = min(old_major, new_major), max(old_major, new_major)
    if low < MAINTAIN_SINCE <= high:
        newer = _without_implied_maintain(newer)
    if low < UNQUALIFIED_VIEWS_SINCE <= high:
        older = _views_as_printed_by(older, newer)
    older, newer = _without_builtins(older), _without_builtins(newer)
    return (older, newer) if older_first else (newer, older)


def note(before: Document, after: Document) -> str | None:
    """One line for a diff across majors, naming both."""
    old_major, new_major = major_of(before), major_of(after)
    if old_major == new_major or not old_major or not new_major:
        return None
    return (
        f"the snapshots were taken on PostgreSQL {before['server'].get('version')} and "
        f"{after['server'].get('version')}: how each major prints views and grants is made "
        "comparable, and the server's own built-in objects are not compared "
        "(see the README, 'What differs by major')"
    )


def _replace_kinds(taken: Document, section: str, kinds: Mapping[str, Any]) -> dict[str, Any]:
    changed = dict(taken)
    changed[section] = {**taken[section], **kinds}
    return changed


def _without_builtins(taken: Document) -> Document:
    if not (taken.get("catalog") or {}).get("builtin_objects"):
        return taken
    return _replace_kinds(taken, "catalog", {"builtin_objects": {}})


def _without_implied_maintain(taken: Document) -> Document:
    kinds: dict[str, Any] = {}
    for section in ("catalog", "extension_members"):
        for kind, objects in (taken.get(section) or {}).items():
            if not objects:
                continue
            edited = {
                identity: {**attrs, "privileges": _drop_maintain(attrs["privileges"])}
                for identity, attrs in objects.items()
                if isinstance(attrs.get("privileges"), list)
                and any("m" in item for item in attrs["privileges"])
            }
            if edited:
                kinds.setdefault(section, {})[kind] = {**objects, **edited}
    for section, section_kinds in kinds.items():
        taken = _replace_kinds(taken, section, section_kinds)
    return taken


def _drop_maintain(items: list[str]) -> list[str]:
    result = []
    for item in items:
        match = ACL_ITEM.fullmatch(item)
        letters = match["letters"] if match else ""
        if match and set(letters.replace("*", "")) >= _TABLE_PRIVILEGES:
            letters = re.sub(r"m\*?", "", letters)
            item = f"{match['grantee']}={letters}/{match['grantor']}"
        result.append(item)
    return result


def _views_as_printed_by(older: Document, newer: Document) -> Document:
    old_views = (older.get("catalog") or {}).get("views") or {}
    new_views = (newer.get("catalog") or {}).get("views") or {}
    schemas = {
        name.strip('"')
        for taken in (older, newer)
        for name in ((taken.get("catalog") or {}).get("schemas") or {})
    } | {"pg_catalog", "public"}
    edited = {}
    for identity in old_views.keys() & new_views.keys():
        old, new = old_views[identity], new_views[identity]
        old_text, new_text = old.get("definition"), new.get("definition")
        if old_text == new_text or not isinstance(old_text, str) or not isinstance(new_text, str):
            continue
        if _with_qualifiers_dropped(old_text, new_text, schemas):
            edited[identity] = {**old, "definition": new_text}
    if not edited:
        return older
    return _replace_kinds(older, "catalog", {"views": {**old_views, **edited}})


def _with_qualifiers_dropped(old: str, new: str, schemas: set[str]) -> bool:
    """Whether `new` is `old` with some of its column qualifiers left out (never a schema's):
    what 16 prints for 15's text. A qualifier `new` still has at that place is kept, so a
    column taken from another table of a join is still a difference."""
    position = 0
    at = 0
    for match in _QUALIFIER.finditer(old):
        text = old[at : match.start()]
        if not new.startswith(text, position):
            return False
        position += len(text)
        qualifier = match[0]
        if new.startswith(qualifier, position):
            position += len(qualifier)
        elif match[1].strip('"') in schemas:
            return False
        at = match.end()
    return new[position:] == old[at:]
