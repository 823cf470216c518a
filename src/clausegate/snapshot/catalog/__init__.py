"""The catalog queries of a snapshot: one `.sql` file per object kind, read once.

Every query returns `identity` first (a stable, schema-qualified, quoted name that is
unique within its kind), then `extension` where an object can belong to one, then the
attributes, and ends in `ORDER BY identity`. The differences between PostgreSQL 13 and 18
live in one table here, `VERSIONED`: a placeholder in a query and the expression that
fills it from each server version on.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

from psycopg import sql

CATALOG = "catalog"
NONTRANSACTIONAL = "nontransactional"
# What belongs to the whole server rather than to the database: roles, their settings in
# every scope, tablespaces, replication slots, prepared transactions, configuration files.
CLUSTER = "cluster"


@dataclass(frozen=True)
class Kind:
    """One kind of object, read by the query file of the same name.

    `label` names one object of the kind in a change line (rows with a `kind` attribute
    name themselves: "procedure", "materialized view"). A `gated` kind is read only when
    server.sql says it can be; otherwise the snapshot records why it was not read.
    """

    name: str
    label: str
    section: str = CATALOG
    gated: bool = False
    # Whether the query's second column is `extension`: objects of the kind can belong to
    # an extension, and those that do are kept apart (tests/test_snapshot_helper.py checks
    # this against each query's columns).
    extension_column: bool = True


KINDS: Final = (
    Kind("schemas", "schema"),
    Kind("extensions", "extension", extension_column=False),
    Kind("types", "type"),
    Kind("collations", "collation"),
    Kind("tables", "table"),
    Kind("columns", "column"),
    Kind("constraints", "constraint"),
    Kind("indexes", "index"),
    Kind("triggers", "trigger"),
    Kind("rules", "rule"),
    Kind("policies", "policy"),
    Kind("views", "view"),
    Kind("sequences", "sequence"),
    Kind("statistics", "statistics"),
    Kind("functions", "function"),
    Kind("operators", "operator"),
    Kind("operator_classes", "operator class"),
    Kind("operator_families", "operator family"),
    Kind("casts", "cast"),
    Kind("conversions", "conversion"),
    Kind("text_search_configurations", "text search configuration"),
    Kind("text_search_dictionaries", "text search dictionary"),
    Kind("text_search_parsers", "text search parser"),
    Kind("text_search_templates", "text search template"),
    Kind("languages", "language"),
    Kind("foreign_data_wrappers", "foreign-data wrapper"),
    Kind("foreign_servers", "server"),
    Kind("user_mappings", "user mapping", extension_column=False),
    Kind("access_methods", "access method"),
    Kind("default_privileges", "default privileges", extension_column=False),
    Kind("event_triggers", "event trigger"),
    Kind("publications", "publication", extension_column=False),
    Kind("subscriptions", "subscription", extension_column=False),
    Kind("database", "database", extension_column=False),
    Kind("large_objects", "large object", gated=True, extension_column=False),
    Kind("builtin_objects", "built-in object", extension_column=False),
    Kind("catalog_flags", "catalog flag", extension_column=False),
    Kind("databases", "database", CLUSTER, extension_column=False),
    Kind("roles", "role", CLUSTER, extension_column=False),
    Kind("role_passwords", "role password", CLUSTER, gated=True, extension_column=False),
    Kind("role_memberships", "role membership", CLUSTER, extension_column=False),
    Kind("role_settings", "role setting", CLUSTER, extension_column=False),
    Kind("tablespaces", "tablespace", CLUSTER, extension_column=False),
    Kind("replication_slots", "replication slot", CLUSTER, extension_column=False),
    Kind("prepared_transactions", "prepared transaction", CLUSTER, extension_column=False),
    Kind("config_files", "configuration file", CLUSTER, gated=True, extension_column=False),
    Kind("sequence_values", "sequence value", NONTRANSACTIONAL, gated=True, extension_column=False),
    Kind(
        "alter_system", "ALTER SYSTEM setting", NONTRANSACTIONAL, gated=True, extension_column=False
    ),
    Kind("cron_jobs", "cron job", NONTRANSACTIONAL, gated=True, extension_column=False),
    Kind("sessions", "sessions", NONTRANSACTIONAL, gated=True, extension_column=False),
)
LABELS: Final = {kind.name: kind.label for kind in KINDS}

TRIGGER_FIRES = (
    "concat_ws(' ',"
    " CASE WHEN g.tgtype & 2 <> 0 THEN 'BEFORE' WHEN g.tgtype & 64 <> 0 THEN 'INSTEAD OF'"
    " ELSE 'AFTER' END,"
    " NULLIF(array_to_string(ARRAY[CASE WHEN g.tgtype & 4 <> 0 THEN 'INSERT' END,"
    " CASE WHEN g.tgtype & 8 <> 0 THEN 'DELETE' END,"
    " CASE WHEN g.tgtype & 16 <> 0 THEN 'UPDATE' END,"
    " CASE WHEN g.tgtype & 32 <> 0 THEN 'TRUNCATE' END], ' OR '), ''),"
    " CASE WHEN g.tgtype & 1 <> 0 THEN 'FOR EACH ROW' ELSE 'FOR EACH STATEMENT' END,"
    " CASE WHEN g.tgdeferrable THEN 'DEFERRABLE' END,"
    " CASE WHEN g.tginitdeferred THEN 'INITIALLY DEFERRED' END,"
    " CASE WHEN g.tgattr::text <> '' THEN 'OF column numbers ' || g.tgattr::text END,"
    " CASE WHEN g.tgqual IS NOT NULL THEN 'WHEN (a condition)' END,"
    " CASE WHEN g.tgnargs > 0 THEN 'with arguments ' || encode(g.tgargs, 'escape') END,"
    " 'FROM ' || NULLIF(g.tgconstrrelid, 0)::regclass::text)"
)

# (first server version, expression): the last entry at or below the server's version wins.
VERSIONED: Final[dict[str, tuple[tuple[int, str], ...]]] = {
    "attcompression": (
        (0, "NULL::text"),
        (140000, "CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' END"),
    ),
    # SQL-standard bodies (BEGIN ATOMIC, 14+) are kept parsed, with an empty prosrc.
    "function_body": (
        (0, "p.prosrc"),
        (
            140000,
            "CASE WHEN p.prosqlbody IS NULL THEN p.prosrc ELSE pg_get_function_sqlbody(p.oid) END",
        ),
    ),
    # Membership options INHERIT and SET came in 16; before, a member always had both.
    "membership_inherit": ((0, "NULL::boolean"), (160000, "a.inherit_option")),
    "membership_set": ((0, "NULL::boolean"), (160000, "a.set_option")),
    # The last values of the sequences that are not called (`uncalled`: oid, batch): 18
    # reads them with pg_get_sequence_data; before, each batch is one query of its rows.
    "uncalled_last_values": (
        (
            0,
            "SELECT x.oid, x.last_value"
            " FROM (SELECT string_agg(format('SELECT %s::oid AS oid, last_value FROM %s',"
            " u.oid, u.oid::regclass), ' UNION ALL ') AS statement"
            " FROM uncalled AS u GROUP BY u.batch) AS b"
            " CROSS JOIN LATERAL XMLTABLE('/table/row'"
            " PASSING query_to_xml(b.statement, false, false, '')"
            " COLUMNS oid oid PATH 'oid', last_value bigint PATH 'last_value') AS x",
        ),
        (
            180000,
            "SELECT u.oid, (pg_get_sequence_data(u.oid)).last_value FROM uncalled AS u",
        ),
    ),
    # When and on what an internal trigger fires, as pg_get_triggerdef would say it (its
    # definition names the trigger by an OID): the same on every major.
    "trigger_fires": ((0, TRIGGER_FIRES),),
    "multirange_type": ((0, "NULL::text"), (140000, "r.rngmultitypid::regtype::text")),
    "type_subscript": ((0, "NULL::text"), (140000, "NULLIF(t.typsubscript, 0)::regproc::text")),
    "collation_locale": (
        (0, "NULL::text"),
        (150000, "c.colliculocale"),
        (170000, "c.colllocale"),
    ),
    "collation_rules": ((0, "NULL::text"), (160000, "c.collicurules")),
    # Column lists and row filters of published tables, and TABLES IN SCHEMA, came in 15.
    "publication_table_details": (
        (0, "''"),
        (
            150000,
            "COALESCE(' (' || (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)"
            " FROM pg_attribute AS a WHERE a.attrelid = r.prrelid"
            " AND a.attnum = ANY (r.prattrs)) || ')', '')"
            " || COALESCE(' WHERE (' || pg_get_expr(r.prqual, r.prrelid) || ')', '')",
        ),
    ),
    "publication_schemas": (
        (0, "ARRAY[]::text[]"),
        (
            150000,
            'ARRAY(SELECT quote_ident(s.nspname) COLLATE "C" AS item'
            " FROM pg_publication_namespace AS pn JOIN pg_namespace AS s ON s.oid = pn.pnnspid"
            " WHERE pn.pnpubid = p.oid ORDER BY item)",
        ),
    ),
    # Subscription options, each from the version that added it.
    "subscription_binary": ((0, "NULL::text"), (140000, "'binary=' || s.subbinary::text")),
    "subscription_streaming": ((0, "NULL::text"), (140000, "'streaming=' || s.substream::text")),
    "subscription_two_phase": (
        (0, "NULL::text"),
        (150000, "'two_phase=' || s.subtwophasestate::text"),
    ),
    "subscription_disable_on_error": (
        (0, "NULL::text"),
        (150000, "'disable_on_error=' || s.subdisableonerr::text"),
    ),
    "subscription_origin": ((0, "NULL::text"), (160000, "'origin=' || s.suborigin::text")),
    "subscription_password_required": (
        (0, "NULL::text"),
        (160000, "'password_required=' || s.subpasswordrequired::text"),
    ),
    "subscription_run_as_owner": (
        (0, "NULL::text"),
        (160000, "'run_as_owner=' || s.subrunasowner::text"),
    ),
    "subscription_failover": ((0, "NULL::text"), (170000, "'failover=' || s.subfailover::text")),
}


def expression(placeholder: str, version_num: int) -> str:
    """The SQL that fills `placeholder` on a server of `version_num`."""
    return [expr for since, expr in VERSIONED[placeholder] if since <= version_num][-1]


@cache
def text(name: str) -> str:
    """The text of query file `name`.sql, read from the package once."""
    return resources.files("clausegate.snapshot.catalog").joinpath(f"{name}.sql").read_text("utf-8")


@cache
def query(name: str, version_num: int) -> sql.Composed:
    """Query `name` with its placeholders filled for a server of `version_num`."""
    fragments = {key: sql.SQL(expression(key, version_num)) for key in VERSIONED}
    return sql.SQL(text(name)).format(**fragments)
