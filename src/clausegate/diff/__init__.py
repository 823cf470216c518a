"""The changes between two snapshots, as data and as lines a person can read.

Objects are compared by identity in plain Python: a kind whose objects are equal is
skipped in one comparison, so the cost follows the size of the change, not of the catalog.
Only the objects that changed are looked into, to say how. Row order never matters:
every collection in a snapshot is keyed by identity or sorted when it is captured.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Literal

from clausegate.diff import majors
from clausegate.diff.redaction import REDACTED, names_a_secret, scrubbed
from clausegate.snapshot import SECTIONS
from clausegate.snapshot.catalog import LABELS

Action = Literal["added", "removed", "modified"]
Attributes = Mapping[str, Any]

# Strings longer than this, or with a line break, are shown by their md5 in a change line.
_INLINE = 160
# Attributes whose added / removed line names the object's definition or value.
_SUMMARY = {
    "constraints": "definition",
    "indexes": "definition",
    "triggers": "definition",
    "rules": "definition",
    "statistics": "definition",
    "default_privileges": "privileges",
    "alter_system": "setting",
    "sequence_values": "last_value",
    "sessions": "count",
    "cron_jobs": "schedule",
    "row_count": "count",
    "role_settings": "settings",
    "catalog_flags": "problem",
    "prepared_transactions": "database",
    "replication_slots": "type",
}
# The attributes of a role its added / removed line names when true.
_ROLE_POWERS = ("superuser", "login", "createrole", "createdb", "replication", "bypassrls")
_PROBE_LABELS = {"row_count": "row count", "rows": "query", "content_hash": "table"}
# Texts a reviewer reads line by line: a change of one is shown as a unified diff.
_CODE = {
    "functions": ("body",),
    "views": ("definition",),
    "triggers": ("definition",),
    "policies": ("using", "with_check"),
}
# Where detail lines sit under their change's line.
INDENT = "    "


@dataclass(frozen=True)
class Change:
    """One difference: an object added, removed or modified (`before`/`after` are its
    attributes, None on the side where it does not exist), read as one `line` and the
    `details` a reviewer needs under it.

    A kind that could not be read in one snapshot (see server.unreadable) is one change
    with an empty identity, `before`/`after` holding the whole kind (None where unread).
    """

    section: str
    kind: str
    identity: str
    action: Action
    before: Attributes | None
    after: Attributes | None
    # An extension added or removed whole: how many member objects came or went with it.
    members: int | None = field(default=None, compare=False)

    @property
    def line(self) -> str:
        """The change in one line, e.g. `function public.f(text): SECURITY DEFINER → INVOKER`."""
        return self._read[0]

    @property
    def details(self) -> tuple[str, ...]:
        """The lines a reviewer needs under `line`: a unified diff of a changed body or
        definition, the two texts of a changed CHECK."""
        return self._read[1]

    @property
    def text(self) -> str:
        """`line`, then each of `details` on a line of its own, indented."""
        return "\n".join([self.line, *(INDENT + detail for detail in self.details)])

    @cached_property
    def _read(self) -> tuple[str, tuple[str, ...]]:
        subject = _subject(self)
        if self.identity == "":
            side = "before" if self.before is None else "after"
            return f"{subject}: not readable in the {side} snapshot, so not compared", ()
        if self.action == "modified":
            assert self.before is not None and self.after is not None
            phrases = _describe(self.kind, self.before, self.after)
            details = tuple(line for phrase in phrases for line in phrase.details)
            return f"{subject}: {'; '.join(p.text for p in phrases)}", details
        if self.section == "probes":
            # A probe's result is kept even where its query failed: a result on one side
            # only is a probe the other side did not run, not a table added or removed.
            side, which = ("A", "before") if self.action == "added" else ("B", "after")
            return f"{subject}: not captured on {side} (the {which} side ran other probes)", ()
        attrs = self.after if self.action == "added" else self.before
        assert attrs is not None
        return f"{subject}: {self.action}{_whole(self, attrs)}", ()

    def sort_key(self) -> tuple[int, str, str, str]:
        return (SECTIONS.index(self.section), self.kind, self.identity, self.action)


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """Every change from `before` to `after`, sorted by section, kind, identity.

    The `server` sections are not compared: two copies of a database differ in name.
    Snapshots of two majors are first made comparable (majors.comparable).
    """
    before, after = majors.comparable(before, after)
    changes: list[Change] = []
    for section in SECTIONS:
        old_kinds, new_kinds = before[section], after[section]
        for kind in old_kinds.keys() | new_kinds.keys():
            old, new = old_kinds.get(kind, {}), new_kinds.get(kind, {})
            if old == new:
                continue
            if old is None or new is None:
                changes.append(Change(section, kind, "", "modified", old, new))
                continue
            if kind == "columns":
                old, new = _ranked(old, new)
            changes.extend(
                Change(section, kind, identity, "removed", old[identity], None)
                for identity in old.keys() - new.keys()
            )
            changes.extend(
                Change(section, kind, identity, "added", None, new[identity])
                for identity in new.keys() - old.keys()
            )
            changes.extend(
                Change(section, kind, identity, "modified", old[identity], new[identity])
                for identity in old.keys() & new.keys()
                if old[identity] != new[identity]
            )
    return sorted(changes, key=Change.sort_key)


def for_reading(changes: Sequence[Change], *, every_member: bool = False) -> list[Change]:
    """The changes as a person reads them: an extension added or removed whole is one
    change that counts its member objects, which are left out unless `every_member`."""
    whole: dict[tuple[str, str], Change] = {
        (c.identity, c.action): c
        for c in changes
        if c.kind == "extensions" and c.section == "catalog" and c.action != "modified"
    }
    if not whole:
        return list(changes)
    counted: dict[tuple[str, str], int] = dict.fromkeys(whole, 0)
    shown: list[Change] = []
    for change in changes:
        attrs = change.after if change.after is not None else change.before
        came_with = (
            (str(attrs.get("extension")), change.action)
            if change.section == "extension_members" and attrs is not None
            else None
        )
        if came_with in counted:
            counted[came_with] += 1
            if not every_member:
                continue
        shown.append(change)
    return [
        replace(c, members=counted[key]) if whole.get(key := (c.identity, c.action)) is c else c
        for c in shown
    ]


def printed(changes: Sequence[Change], *, every_member: bool = False) -> list[str]:
    """The lines `clausegate diff` prints: each change's line, its details under it."""
    return [
        line
        for change in for_reading(changes, every_member=every_member)
        for line in change.text.splitlines()
    ]


_LAST_NAME = re.compile(r'\.(?:"(?:[^"]|"")*"|[^."]+)$')


def _ranked(
    old: Mapping[str, Attributes], new: Mapping[str, Attributes]
) -> tuple[Mapping[str, Attributes], Mapping[str, Attributes]]:
    """The two sides' columns, each one's `position` its place among its table's columns
    that both sides have, so a column added or dropped moves no other column; only the
    tables whose columns differ are ranked (the others are left as they are)."""
    touched = {_table_of(i) for i in old.keys() ^ new.keys()}
    touched |= {_table_of(i) for i in old.keys() & new.keys() if old[i] != new[i]}
    if not touched:
        return old, new
    tables: dict[str, list[str]] = {}
    for identity in old.keys() & new.keys():
        table = _table_of(identity)
        if table in touched:
            tables.setdefault(table, []).append(identity)
    return _ranked_among(old, tables), _ranked_among(new, tables)


def _table_of(column: str) -> str:
    """`schema.table` of a column's identity (`schema.table.column`, quoted where needed)."""
    return column.rpartition(".")[0] if '"' not in column else _LAST_NAME.sub("", column)


def _ranked_among(
    columns: Mapping[str, Attributes], tables: Mapping[str, list[str]]
) -> dict[str, Attributes]:
    """`columns` with the position of each column of `tables` (table → its columns both
    sides have) replaced by its rank among them."""
    ranked = dict(columns)
    for identities in tables.values():
        ordered = sorted(identities, key=lambda i: (_position(columns[i]), i))
        for rank, identity in enumerate(ordered, 1):
            if "position" in columns[identity]:
                ranked[identity] = {**columns[identity], "position": rank}
    return ranked


def _position(attrs: Attributes) -> int:
    position = attrs.get("position")
    return position if isinstance(position, int) else 0


# --- lines ---------------------------------------------------------------------------------


def _subject(change: Change) -> str:
    attrs = change.after if change.after is not None else change.before
    if change.section == "probes":
        label = _PROBE_LABELS.get(change.kind, change.kind)
        if attrs is not None and change.kind == "content_hash":
            return f"{label} {attrs['table']}"
        return f"{label} {change.identity}"
    label = LABELS.get(change.kind, change.kind)
    if change.identity == "":
        return label
    if attrs is not None and isinstance(attrs.get("kind"), str):
        label = attrs["kind"]
    subject = f"{label} {change.identity}"
    if change.section == "extension_members" and attrs is not None:
        subject += f" (extension {attrs['extension']})"
    return subject


@dataclass(frozen=True)
class Phrase:
    """What a change line says of one attribute, and the lines to show under it."""

    text: str
    details: tuple[str, ...] = ()


def _whole(change: Change, attrs: Attributes) -> str:
    """What an added or removed object's line says of it, in parentheses: a role's powers,
    a function's security, volatility and grants, an extension's version and members."""
    if change.kind == "roles":
        powers = [name for name in _ROLE_POWERS if attrs.get(name) is True]
        return f" ({', '.join(powers) or 'no powers'})"
    if change.action == "added" and attrs.get("kind") in ("function", "procedure"):
        said = [f"SECURITY {str(attrs['security']).upper()}"]
        if attrs.get("volatility") is not None:
            said.append(str(attrs["volatility"]))
        granted = grants(list(attrs.get("privileges") or []))
        owner = attrs.get("owner")
        said += [
            f"{', '.join(sorted(names))} to {grantee}"
            for grantee, names in sorted(granted.items())
            if grantee != _quote_role(str(owner))
        ]
        return f" ({', '.join(said)})"
    if change.kind == "extensions":
        said = [f"version {_value(attrs.get('version'))}"]
        if change.members is not None:
            count = change.members
            said.append(
                "no members" if not count else "1 member" if count == 1 else f"{count} members"
            )
        return f" ({', '.join(said)})"
    summary = _SUMMARY.get(change.kind)
    if summary is not None and attrs.get(summary) is not None:
        return f" ({_value(attrs[summary])})"
    return ""


def _describe(kind: str, before: Attributes, after: Attributes) -> list[Phrase]:
    """One phrase per attribute that differs, in attribute-name order."""
    if kind == "content_hash" and before.get("sha256") != after.get("sha256"):
        return [
            Phrase(
                f"row content changed (hash {_short(before.get('sha256'))} → "
                f"{_short(after.get('sha256'))}; rows {_value(before.get('rows'))} → "
                f"{_value(after.get('rows'))})"
            )
        ]
    if kind == "content_hash" and before.get("written") != after.get("written"):
        written = int(after.get("written") or 0) - int(before.get("written") or 0)
        return [
            Phrase(
                f"{written} row(s) written since the before snapshot, "
                "though the content reads as before (deleted and inserted again, or changed "
                "and changed back)"
            )
        ]
    phrases = []
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if name in _CODE.get(kind, ()):
            phrases.append(_code(name, old, new))
            continue
        if kind in ("constraints", "types") and name in ("definition", "labels"):
            vocabulary = vocabulary_change(name, old, new)
            if vocabulary is not None:
                phrases.append(vocabulary)
                continue
        render = _RENDER.get(name, _generic)
        phrase = render(name, old, new, before, after)
        if phrase:
            phrases.append(Phrase(phrase))
    return phrases


def _code(name: str, old: Any, new: Any) -> Phrase:
    """A body or definition changed: how many lines went and came, and the unified diff
    (its hunks; the two file names it starts with would say nothing)."""
    old_lines = "" if old is None else str(old)
    new_lines = "" if new is None else str(new)
    hunks = list(
        difflib.unified_diff(old_lines.splitlines(), new_lines.splitlines(), lineterm="", n=2)
    )[2:]
    if not hunks:  # the same lines, but for a line break at the end
        return Phrase(f"{name} changed (only its line endings)")
    removed = sum(1 for line in hunks if line.startswith("-"))
    added = sum(1 for line in hunks if line.startswith("+"))
    return Phrase(f"{name} changed ({_counted(removed, added)})", tuple(hunks))


def _counted(removed: int, added: int) -> str:
    """`1 line removed`, `2 lines added`, `2 lines removed, 1 added`."""
    counts = [(n, how) for n, how in ((removed, "removed"), (added, "added")) if n]
    (first, how), rest = counts[0], counts[1:]
    noun = "line" if first == 1 else "lines"
    return ", ".join([f"{first} {noun} {how}", *(f"{n} {h}" for n, h in rest)])


# A quoted literal (its cast, `::text`, left outside), and the value lists a CHECK's
# `IN (…)` and `= ANY (ARRAY[…])` are deparsed to.
_LITERAL = re.compile(r"'((?:[^']|'')*)'")
_VALUE_LIST = re.compile(
    r"ARRAY\[((?:'(?:[^']|'')*'|[^'\]])*)\]|\bIN \(((?:'(?:[^']|'')*'|[^')])*)\)"
)


def vocabulary_change(name: str, old: Any, new: Any) -> Phrase | None:
    """A CHECK whose list of allowed values (`= ANY (ARRAY[…])`, `IN (…)`) changed and
    nothing else, or an enum's labels: widened, narrowed or changed, the values added and
    removed named, and the two texts under it. None when it is no such change."""
    if name == "labels":
        if not all(isinstance(v, list) for v in (old or [], new or [])):
            return None
        was, now = list(old or []), list(new or [])
        details: tuple[str, ...] = (f"- {_value(was)}", f"+ {_value(now)}")
        return _vocabulary("labels", was, now, details)
    if not (isinstance(old, str) and isinstance(new, str)):
        return None
    if not (old.startswith("CHECK") and new.startswith("CHECK")):
        return None
    lists = [_VALUE_LIST.findall(text) for text in (old, new)]
    if not lists[0] or len(lists[0]) != len(lists[1]):
        return None
    if not all(_LITERAL.search("".join(found)) for side in lists for found in side):
        return None
    if _VALUE_LIST.sub("…", old) != _VALUE_LIST.sub("…", new):
        return None
    was, now = ([v for found in side for v in _literals(found)] for side in lists)
    return _vocabulary("CHECK", was, now, (f"- {old}", f"+ {new}"))


def _literals(found: tuple[str, str]) -> list[str]:
    return [m.group(1).replace("''", "'") for m in _LITERAL.finditer("".join(found))]


def _vocabulary(what: str, was: list[str], now: list[str], details: tuple[str, ...]) -> Phrase:
    added = [v for v in now if v not in was]
    removed = [v for v in was if v not in now]
    how = "widened" if not removed else "narrowed" if not added else "changed"
    if not added and not removed:
        return Phrase(f"{what} changed: the same values in another order", details)
    named = [f"added {_sql_list(added)}"] if added else []
    named += [f"removed {_sql_list(removed)}"] if removed else []
    return Phrase(f"{what} {how}: {'; '.join(named)}", details)


def _sql_list(values: list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


Render = Callable[[str, Any, Any, Attributes, Attributes], str]


def _generic(name: str, old: Any, new: Any, before: Attributes, after: Attributes) -> str:
    # A snapshot leaves empty lists out, so a list next to nothing is a list next to [].
    if isinstance(old, list) or isinstance(new, list):
        old, new = old or [], new or []
    if isinstance(old, list) and isinstance(new, list):
        if all(isinstance(item, str) for item in old + new):
            return f"{name}: {_list_change(old, new)}"
        return f"{name}: {_rows_change(old, new)}"
    return _from_to(name, old, new)


def _bare(name: str, old: Any, new: Any, before: Attributes, after: Attributes) -> str:
    """A value that names itself (a definition, `enabled`): no attribute name in front."""
    return _from_to(name, old, new, labelled=False)


def _security(name: str, old: Any, new: Any, before: Attributes, after: Attributes) -> str:
    return f"SECURITY {str(old).upper()} → {str(new).upper()}"


def _skip(name: str, old: Any, new: Any, before: Attributes, after: Attributes) -> str:
    return ""


def _comment(name: str, old: Any, new: Any, before: Attributes, after: Attributes) -> str:
    return _from_to(name, old, new, show=_quoted)


def _from_to(
    name: str,
    old: Any,
    new: Any,
    *,
    labelled: bool = True,
    show: Callable[[Any], str] | None = None,
) -> str:
    """`name: old → new`; by md5 where a value does not fit on a line, or where the two
    differ only in white space."""
    shown = [(show or _value)(value) for value in (old, new)]
    if _is_long(old) or _is_long(new) or shown[0] == shown[1]:
        return f"{name} changed (md5 {_md5(old)} → {_md5(new)})"
    return f"{name}: {shown[0]} → {shown[1]}" if labelled else f"{shown[0]} → {shown[1]}"


def _privileges(name: str, old: Any, new: Any, before: Attributes, after: Attributes) -> str:
    """Granted and revoked privileges per grantee, e.g. `granted EXECUTE to PUBLIC`.

    Grants made by the object's owner are compared as grants of "the owner", so an owner
    change (a phrase of its own) does not read as every grant revoked and made again; nor
    do the owner's own privileges passing to the new owner.
    """
    was, now = _acl(old or [], before.get("owner")), _acl(new or [], after.get("owner"))
    mine = (_quote_role(str(before.get("owner"))), _OWNER)
    theirs = (_quote_role(str(after.get("owner"))), _OWNER)
    if (
        mine != theirs
        and mine not in now
        and theirs not in was
        and was.get(mine) == now.get(theirs)
    ):
        was.pop(mine, None)
        now.pop(theirs, None)
    phrases = []
    for grantee, grantor in sorted(was.keys() | now.keys()):
        lost = sorted(was.get((grantee, grantor), set()) - now.get((grantee, grantor), set()))
        won = sorted(now.get((grantee, grantor), set()) - was.get((grantee, grantor), set()))
        by = "" if grantor == _OWNER else f" (grantor {grantor})"
        if lost:
            phrases.append(f"revoked {', '.join(lost)} from {grantee}{by}")
        if won:
            phrases.append(f"granted {', '.join(won)} to {grantee}{by}")
    return f"{name}: {'; '.join(phrases)}" if phrases else ""


def _catalog_row(name: str, old: Any, new: Any, before: Attributes, after: Attributes) -> str:
    # A built-in object's digest: its value differs by major, the fact is what matters.
    return "its catalog row changed"


def _catalog(name: str, old: Any, new: Any, before: Attributes, after: Attributes) -> str:
    return f"its catalog changed (digest {_short(old)} → {_short(new)})"


def _content(name: str, old: Any, new: Any, before: Attributes, after: Attributes) -> str:
    return f"content changed (sha256 {_short(old)} → {_short(new)})"


_RENDER: dict[str, Render] = {
    "definition": _bare,
    "enabled": _bare,
    "count": _bare,
    "security": _security,
    "body_md5": _skip,
    "comment": _comment,
    "privileges": _privileges,
    "digest": _catalog_row,
    "sha256": _content,
    "catalog_digest": _catalog,
}

_PRIVILEGE_NAMES = {
    "r": "SELECT", "w": "UPDATE", "a": "INSERT", "d": "DELETE", "D": "TRUNCATE",
    "x": "REFERENCES", "t": "TRIGGER", "X": "EXECUTE", "U": "USAGE", "C": "CREATE",
    "c": "CONNECT", "T": "TEMPORARY", "s": "SET", "A": "ALTER SYSTEM", "m": "MAINTAIN",
}  # fmt: skip
_OWNER = ""
_PLAIN_ROLE = re.compile(r"[a-z_][a-z0-9_$]*")


def _acl(items: list[str], owner: Any) -> dict[tuple[str, str], set[str]]:
    """aclitem texts (`grantee=privileges/grantor`) as {(grantee, grantor): privilege names},
    the grantor being _OWNER where it is the object's owner."""
    owner_text = _quote_role(str(owner))
    parsed: dict[tuple[str, str], set[str]] = {}
    for item in items:
        match = majors.ACL_ITEM.fullmatch(item)
        if match is None:
            parsed.setdefault((item, _OWNER), set()).add("?")
            continue
        grantee, letters, grantor = match.groups()
        key = (grantee or "PUBLIC", _OWNER if grantor == owner_text else grantor)
        names = parsed.setdefault(key, set())
        for letter, option in re.findall(r"([A-Za-z])(\*?)", letters):
            privilege = _PRIVILEGE_NAMES.get(letter, letter)
            names.add(f"{privilege} WITH GRANT OPTION" if option else privilege)
    return parsed


def grants(items: list[str]) -> dict[str, set[str]]:
    """aclitem texts as {grantee: privilege names}, whoever granted them; PUBLIC for the
    empty grantee, `EXECUTE WITH GRANT OPTION` for a privilege that may be passed on."""
    found: dict[str, set[str]] = {}
    for (grantee, _), names in _acl(items, None).items():
        found.setdefault(grantee, set()).update(names)
    return found


def _quote_role(role: str) -> str:
    """A role name as aclitem text writes it (double-quoted unless plain lower case)."""
    if _PLAIN_ROLE.fullmatch(role):
        return role
    return '"' + role.replace('"', '""') + '"'


def _list_change(old: list[str], new: list[str]) -> str:
    removed = [item for item in old if item not in new]
    added = [item for item in new if item not in old]
    if not removed and not added:
        return f"order {', '.join(old)} → {', '.join(new)}"
    return "; ".join(
        [*(f"removed {_value(i)}" for i in removed), *(f"added {_value(i)}" for i in added)]
    )


def _rows_change(old: list[Any], new: list[Any]) -> str:
    """Rows removed, added and changed. Rows that are objects are paired by a column that
    identifies a row on both sides (see _row_key), so a changed row reads as one change of
    the columns that differ; other rows are paired by deepdiff regardless of their order.
    No secret is shown: not the value of a column named as one (`password`), nor the
    other values of a row whose key names one (`smtp.password`), nor a DSN's password."""
    removed = [row for row in old if row not in new]
    added = [row for row in new if row not in old]
    key = _row_key(old, new)
    if key is None:
        return _deep_rows_change(scrubbed(old), scrubbed(new))
    by_key = {row[key]: row for row in added}
    phrases = []
    for row in removed:
        twin = by_key.pop(row[key], None)
        if twin is None:
            phrases.append(f"-{_json(_shown_row(row, key))}")
            continue
        columns = sorted(
            name for name in row.keys() | twin.keys() if row.get(name) != twin.get(name)
        )
        shown, shown_twin = _shown_row(row, key), _shown_row(twin, key)
        changed = ", ".join(
            f"{c} changed (not shown: a secret)"
            if shown.get(c) == REDACTED or shown_twin.get(c) == REDACTED
            else f"{c} {_json(shown.get(c))} → {_json(shown_twin.get(c))}"
            for c in columns
        )
        phrases.append(f"{key}={_value(shown[key])}: {changed}")
    phrases.extend(f"+{_json(_shown_row(row, key))}" for row in added if row[key] in by_key)
    return "; ".join(sorted(phrases))


def _shown_row(row: Mapping[str, Any], key: str) -> dict[str, Any]:
    """A row as a change line may show it: secrets replaced by ***."""
    secret_row = names_a_secret(str(row.get(key)))
    return {
        column: REDACTED
        if names_a_secret(column) or (column != key and secret_row)
        else scrubbed(value)
        for column, value in row.items()
    }


_KEY_NAMES = ("id", "key", "name")


def _row_key(old: list[Any], new: list[Any]) -> str | None:
    """The column whose values are present and unique on each side, preferring id, key,
    name and then *_id, *_key, *_name columns; None when rows are not objects or none is."""
    rows = old + new
    if not rows or not all(isinstance(row, dict) for row in rows):
        return None
    common = set.intersection(*(set(row) for row in rows))
    unique = [
        column
        for column in sorted(common)
        if all(
            None not in (values := [row[column] for row in side])
            and len(set(map(_json, values))) == len(values)
            for side in (old, new)
        )
    ]

    def preference(column: str) -> tuple[int, str]:
        if column in _KEY_NAMES:
            return (0, column)
        if column.endswith(tuple(f"_{name}" for name in _KEY_NAMES)):
            return (1, column)
        return (2, column)

    return min(unique, key=preference, default=None)


def _deep_rows_change(old: list[Any], new: list[Any]) -> str:
    """Rows removed, added and changed, paired by deepdiff regardless of their order."""
    from deepdiff import DeepDiff  # only for the objects that changed; slow to import

    found = DeepDiff(old, new, ignore_order=True, view="tree")
    if not found:  # they differ only in what is not shown
        return "changed (not shown: secrets)"
    phrases: dict[str, str] = {}
    for report, levels in found.items():
        for level in levels:
            row = level.all_up.down if report not in _WHOLE_ROW else level
            if report == "iterable_item_removed":
                phrase = f"-{_json(row.t1)}"
            elif report == "iterable_item_added":
                phrase = f"+{_json(row.t2)}"
            else:
                phrase = f"{_json(row.t1)} → {_json(row.t2)}"
            phrases.setdefault(phrase, phrase)
    return "; ".join(sorted(phrases))


_WHOLE_ROW = {"iterable_item_removed", "iterable_item_added"}


def _quoted(value: Any) -> str:
    return "none" if value is None else json.dumps(_one_line(str(value)), ensure_ascii=False)


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _is_long(value: Any) -> bool:
    return isinstance(value, str) and len(_one_line(value)) > _INLINE


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _md5(value: Any) -> str:
    if value is None:
        return "none"
    return hashlib.md5(str(value).encode(), usedforsecurity=False).hexdigest()[:8]


def _short(digest: Any) -> str:
    return "none" if digest is None else str(digest)[:8]


def _value(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, str):
        return _one_line(value)
    return str(value)
