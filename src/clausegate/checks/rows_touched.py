"""Forbidden: rows of a table inserted, updated or deleted (optionally only rows matching a
condition), compared by key over an md5 of each row."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from clausegate import db
from clausegate.checks import CheckKind, body_of, register
from clausegate.checks.evidence import Evidence, Missing, listed, qualified, rows_of
from clausegate.checks.metrics import relation
from clausegate.checks.verdict import Verdict, broken, failed, passed
from clausegate.diff.redaction import REDACTED, names_a_secret, scrubbed
from clausegate.errors import EXIT_BROKEN, ClausegateError
from clausegate.spec import Check

OPERATIONS = ("insert", "update", "delete")
# Where a gate keeps the rows updated in place, whole (phase.deferred): the spec query
# entry named WHOLE_ROWS + the check's query holds [md5, row as JSON] of each, for the
# first WHOLE_ROWS_SHOWN of them, so a FAIL names their columns, old and new.
WHOLE_ROWS = "rows updated in place, whole, of: "
WHOLE_ROWS_SHOWN = 20


@dataclass(frozen=True)
class RowsTouched:
    table: str
    ops: tuple[str, ...] = OPERATIONS
    where: str | None = None
    key: tuple[str, ...] | None = None


def primary_key(conninfo: str, table: str) -> list[str]:
    with db.connect(conninfo, purpose="primary key") as conn, conn.transaction(force_rollback=True):
        rows = conn.execute(
            "SELECT a.attname FROM pg_index i"
            " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)"
            " WHERE i.indrelid = %s::regclass AND i.indisprimary"
            " ORDER BY array_position(i.indkey, a.attnum)",
            (table,),
        ).fetchall()
    return [r[0] for r in rows]


def rows_query(body: RowsTouched, key_columns: Sequence[str]) -> str:
    """Each row's key and an md5 of the row, of the rows the check watches."""
    key = sql.SQL(" || ',' || ").join(
        sql.SQL("coalesce({}::text, '∅')").format(sql.Identifier(c)) for c in key_columns
    )
    query = sql.SQL("SELECT {key}, md5(t::text) FROM {table} t").format(
        key=key, table=relation(body.table)
    )
    if body.where is not None:
        query = sql.SQL("{} WHERE {}").format(query, sql.SQL(body.where))
    # No ORDER BY: the rows are compared as a mapping, and capture_queries sorts them.
    return query.as_string(None)


def whole_rows_query(table: str, digests: Sequence[str]) -> str:
    """Each row of `table` whose md5 (as rows_query takes it) is one of `digests`, whole."""
    return (
        sql.SQL("SELECT md5(t::text), to_jsonb(t) FROM {} t WHERE md5(t::text) = ANY ({})")
        .format(relation(table), sql.Literal(list(digests)))
        .as_string(None)
    )


def query(check: Check, conninfo: str) -> str:
    body = body_of(check, RowsTouched)
    try:
        key = list(body.key or primary_key(conninfo, body.table))
    except psycopg.Error as exc:
        raise ClausegateError(
            f"cannot read the key of {body.table}: {exc.diag.message_primary or exc}",
            EXIT_BROKEN,
        ) from None
    if not key:
        raise ClausegateError(
            f"{body.table} has no primary key; name the columns that identify a row with `key:`"
        )
    return rows_query(body, key)


def _columns(ev: Evidence, query: str, key: str, old_digest: str, new_digest: str) -> str:
    """`: column old → new, …` for a row updated in place whose two versions a gate kept
    whole; "" where it did not. No secret is shown: not a column named as one, nor any
    value of a row whose key names one (`smtp.password`), nor a value the evidence keeps
    only as its mark (diff.redaction.scrubbed_row), nor a DSN's password."""
    was = {digest: row for digest, row in ev.before.get(WHOLE_ROWS + query, [])}
    now = {digest: row for digest, row in ev.after.get(WHOLE_ROWS + query, [])}
    old, new = was.get(old_digest), now.get(new_digest)
    if not isinstance(old, dict) or not isinstance(new, dict):
        return ""
    changed = [
        f"{name} changed (not shown: a secret)"
        if names_a_secret(name)
        or names_a_secret(str(key))
        or any(str(v).startswith(REDACTED) for v in (old.get(name), new.get(name)))
        else f"{name} {_shown(old.get(name))} → {_shown(new.get(name))}"
        for name in sorted(old.keys() | new.keys())
        if old.get(name) != new.get(name)
    ]
    return f": {', '.join(changed)}" if changed else ""


def _shown(value: Any) -> str:
    text = json.dumps(scrubbed(value), ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 80 else text[:77] + "…"


def unchanged_content(ev: Evidence, table: str) -> str | None:
    """Why no row of `table` was inserted, updated or deleted, when the snapshots show it
    (a gate reads a rows_touched query only where they do not: phase.deferred): its
    content hash and row count the same before and after, and no row of it written since
    the before snapshot began. None when they do not show it."""
    name = qualified(table)
    old, new = (ev.snapshots.get(side, {}).get("probes", {}).get("content_hash", {}).get(name)
                for side in ("before", "after"))  # fmt: skip
    if not same_content(old, new):
        return None
    assert new is not None
    return (
        f"{name} has content hash {str(new['sha256'])[:12]} and {new.get('rows')} rows before "
        "and after, and no row of it was written since the before snapshot"
    )


def same_content(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> bool:
    """Whether a table's content hash results before and after show it unchanged: the same
    rows, the same hash, and no row written after the before snapshot began."""
    if not old or not new or "sha256" not in old or "sha256" not in new:
        return False
    if new.get("written") != 0:
        return False
    return (old["sha256"], old.get("rows")) == (new["sha256"], new.get("rows"))


def rule(check: Check) -> str:
    body = body_of(check, RowsTouched)
    ops = [f"{op}ed" if op == "insert" else f"{op}d" for op in OPERATIONS if op in body.ops]
    done = ", ".join(ops[:-1]) + (" or " if len(ops) > 1 else "") + ops[-1]
    where = f" where {body.where}" if body.where else ""
    return f"no row of {qualified(body.table)}{where} may be {done}"


def judge(check: Check, ev: Evidence) -> Verdict:
    body = body_of(check, RowsTouched)
    query = ev.queries.get(check.id)
    if query is None:
        return broken(f"{check.title}: the table's row key could not be determined")
    unread = query not in ev.before and query not in ev.after and query not in ev.query_errors
    unchanged = unchanged_content(ev, body.table) if unread else None
    if unchanged is not None:
        return passed(
            f"{check.title}: no row of {qualified(body.table)} changed",
            evidence=(f"its rows were not read one by one: {unchanged}",),
            sql=(query,),
        )
    try:
        before = dict(rows_of(ev.before, query, "the before state", ev))
        after = dict(rows_of(ev.after, query, "the after state", ev))
    except Missing as exc:
        return broken(f"{check.title}: {exc}", sql=(query,))
    ops = set(body.ops)
    table = qualified(body.table)
    found = {
        "insert": [f"row {table}[{k}] inserted" for k in after.keys() - before.keys()],
        "delete": [f"row {table}[{k}] deleted" for k in before.keys() - after.keys()],
        "update": [
            f"row {table}[{k}] updated in place{_columns(ev, query, k, before[k], after[k])}"
            for k in before.keys() & after.keys()
            if before[k] != after[k]
        ],
    }
    lines = sorted(line for op in ops for line in found[op])
    counts = ", ".join(f"{len(found[op])} {op}" for op in OPERATIONS)
    evidence = (f"rows before {len(before)}, after {len(after)}: {counts}",)
    if lines:
        return failed(
            f"{check.title}: {len(lines)} forbidden row change(s) in {table}",
            evidence=evidence + listed(lines),
            sql=(query,),
            observed=lines,
        )
    return passed(
        f"{check.title}: no forbidden row change in {table}", evidence=evidence, sql=(query,)
    )


register(
    CheckKind(
        key="rows_touched",
        schema={
            "type": "object",
            "description": (
                "No row of this table may be inserted, updated or deleted (as listed in `ops`)."
            ),
            "additionalProperties": False,
            "properties": {
                "table": {
                    "type": "string",
                    "description": "The table (schema-qualified or in public).",
                },
                "ops": {
                    "type": "array",
                    "description": "Which operations are forbidden (default all three).",
                    "items": {
                        "type": "string",
                        "description": "An operation.",
                        "enum": ["insert", "update", "delete"],
                    },
                    "minItems": 1,
                    "uniqueItems": True,
                },
                "where": {
                    "type": "string",
                    "description": (
                        "Only rows matching this SQL condition count (e.g. an actor column's "
                        "value)."
                    ),
                },
                "key": {
                    "type": "array",
                    "description": "The columns identifying a row (default: the primary key).",
                    "items": {"type": "string", "description": "A column name."},
                },
            },
            "required": ["table"],
        },
        body=RowsTouched,
        rule=rule,
        judge=judge,
        query=query,
        tables=lambda check: (body_of(check, RowsTouched).table,),
    )
)
