"""What a phase captures, asked of each check's kind: the spec's queries, the tables whose
content is hashed, the data probes of a live verify."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from clausegate import checks, db, snapshot
from clausegate.checks import body_of
from clausegate.checks.evidence import config_query, qualified
from clausegate.checks.regression import RegressionRow
from clausegate.checks.rows import counted_table
from clausegate.errors import ClausegateError
from clausegate.spec import Spec


def plan_queries(spec: Spec, conninfo: str) -> dict[str, str]:
    """Probe name (check id, or `config`) → the SQL whose rows are captured before and after:
    what each check's kind asks for (a regression row's metric, a rows_touched key)."""
    queries: dict[str, str] = {}
    for check in spec.checks:
        kind = checks.kind_of(check)
        if kind.query is None:
            continue
        try:
            queries[check.id] = kind.query(check, conninfo)
        except ClausegateError as exc:
            raise ClausegateError(f"{spec.path}:{check.line}: {exc}", exc.exit_code) from None
    config = config_query(spec)
    if config is not None:
        queries["config"] = config
    return queries


def tolerant_tables(spec: Spec) -> dict[str, str]:
    """Table → the regression row declaring its row count tolerant of background traffic."""
    return {
        qualified(table): check.id
        for check in spec.section("regression")
        if (table := counted_table(check)) is not None
        and body_of(check, RegressionRow).tolerance is not None
    }


def tolerated_sequences(spec: Spec, a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, str]:
    """Sequence → why its advance from snapshot `a` to `b` is tolerated: it is owned (an
    identity or serial column) by a tolerant table in both, so other sessions' inserts
    there advance it. Any other sequence still counts."""
    tolerant = tolerant_tables(spec)
    owners_a, owners_b = (side["catalog"].get("sequences") or {} for side in (a, b))
    found = {}
    for sequence, attrs in owners_a.items():
        owned_by = str(attrs.get("owned_by", ""))  # schema.table.column
        table = owned_by.rsplit(".", 1)[0]
        if table in tolerant and owners_b.get(sequence, {}).get("owned_by") == owned_by:
            found[sequence] = (
                f"owned by {table}, whose row count regression row {tolerant[table]} "
                "declares tolerant of background traffic"
            )
    return found


def named_tables(spec: Spec) -> list[str]:
    """The tables a spec names (config, rows_touched, row-count metrics), schema-qualified.

    A table whose row count the spec declares tolerant of background traffic is left out:
    on a live database its content changes while clausegate reads it.
    """
    tolerant = tolerant_tables(spec)
    tables = [spec.config.table] if spec.config else []
    tables += [table for c in spec.section("forbidden") for table in checks.kind_of(c).tables(c)]
    tables += [t for c in spec.section("regression") if (t := counted_table(c)) is not None]
    return list(dict.fromkeys(qualified(t) for t in tables if qualified(t) not in tolerant))


# Every table a user made, in a system schema too (pg_catalog.job_queue, made there by a
# superuser: an OID at or above 16384), but not the tables of extensions.
_USER_TABLES = """
SELECT n.nspname || '.' || c.relname
FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND (n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
       OR (c.oid >= 16384 AND c.relpersistence <> 't'))
  AND NOT EXISTS (SELECT 1 FROM pg_depend AS d WHERE d.classid = 'pg_class'::regclass
                  AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1
"""


def user_tables(conninfo: str) -> list[str]:
    """Every user table, as `schema.table` catalog text."""
    with db.connect(conninfo, purpose="list tables") as conn, conn.transaction(force_rollback=True):
        return [str(row[0]) for row in conn.execute(_USER_TABLES).fetchall()]


def every_table_probes(
    tables: Iterable[str], *, written_since: int | None = None
) -> snapshot.DataProbes:
    """A content hash of each of `tables`: the closed world sees any row the migration
    adds, changes or deletes, in any table (with `written_since`, any row it wrote)."""
    return snapshot.DataProbes(
        tuple(
            snapshot.ContentHash(
                name,
                name if _PLAIN.fullmatch(name) else snapshot.quote_table(name),
                written_since,
            )
            for name in tables
        )
    )


def write_horizon(conninfo: str) -> int:
    """The first transaction id not yet assigned: a row whose xmin is at or after it was
    written after this call."""
    with (
        db.connect(conninfo, purpose="write horizon") as conn,
        conn.transaction(force_rollback=True),
    ):
        row = conn.execute("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")
        return int((row.fetchone() or (0,))[0])


_PLAIN = re.compile(r"[a-z_][a-z0-9_$]*\.[a-z_][a-z0-9_$]*")


def plan_probes(spec: Spec, *, written_since: int | None = None) -> snapshot.DataProbes:
    """Content hashes of the tables the spec names, so inertness sees a row touched there."""
    return snapshot.DataProbes(
        tuple(snapshot.ContentHash(table, table, written_since) for table in named_tables(spec))
    )


def live_probes(spec: Spec, conninfo: str) -> tuple[snapshot.DataProbes, dict[str, str]]:
    """What a snapshot of a live database hashes for `spec` (verify, and `clausegate
    snapshot --spec` before it): every user table but those the spec declares tolerant of
    background traffic, which change while they are read; and {table: why} of those."""
    tolerant = tolerant_tables(spec)
    tables = [t for t in user_tables(conninfo) if t not in tolerant]
    left_out = {
        table: f"its row count regression row {check_id} declares it tolerant of background "
        "traffic, so its content is not compared (its rows_touched checks still are)"
        for table, check_id in tolerant.items()
    }
    return plan_probes(spec) + every_table_probes(tables), left_out
