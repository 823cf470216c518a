"""Counting catalog objects as the law counts them (the `count` metric, clausegate.checks).

The count definitions are the contract the Điều 45 documents use: user schemas only
(not pg_catalog, information_schema, pg_toast, temporary schemas) and never objects
that belong to an extension.
"""

from __future__ import annotations

from psycopg import sql

USER_SCHEMA = (
    "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
    " AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'"
)


def _not_member(catalog: str, oid: str) -> str:
    return (
        "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = "
        f"'{catalog}'::regclass AND d.objid = {oid} AND d.deptype = 'e')"
    )


# kind -> (FROM clause, the object's name column, its namespace oid column, extra WHERE)
COUNTABLE: dict[str, tuple[str, str, str, str]] = {
    "tables": ("pg_class o", "o.relname", "o.relnamespace", "o.relkind IN ('r', 'p')"),
    "views": ("pg_class o", "o.relname", "o.relnamespace", "o.relkind = 'v'"),
    "matviews": ("pg_class o", "o.relname", "o.relnamespace", "o.relkind = 'm'"),
    "sequences": ("pg_class o", "o.relname", "o.relnamespace", "o.relkind = 'S'"),
    "indexes": ("pg_class o", "o.relname", "o.relnamespace", "o.relkind IN ('i', 'I')"),
    "functions": ("pg_proc o", "o.proname", "o.pronamespace", "o.prokind IN ('f', 'p')"),
    "types": (
        "pg_type o",
        "o.typname",
        "o.typnamespace",
        "o.typtype IN ('c', 'd', 'e', 'r', 'm') AND (o.typrelid = 0 OR "
        "(SELECT c.relkind FROM pg_class c WHERE c.oid = o.typrelid) = 'c')",
    ),
    "schemas": ("pg_namespace o", "o.nspname", "o.oid", "TRUE"),
    "triggers": (
        "pg_trigger o JOIN pg_class t ON t.oid = o.tgrelid",
        "o.tgname",
        "t.relnamespace",
        "NOT o.tgisinternal",
    ),
    "policies": (
        "pg_policy o JOIN pg_class t ON t.oid = o.polrelid",
        "o.polname",
        "t.relnamespace",
        "TRUE",
    ),
}
CATALOG_OF = {"tables": "pg_class", "views": "pg_class", "matviews": "pg_class",
              "sequences": "pg_class", "indexes": "pg_class", "functions": "pg_proc",
              "types": "pg_type", "schemas": "pg_namespace", "triggers": "pg_trigger",
              "policies": "pg_policy"}  # fmt: skip


def relation(name: str) -> sql.Composable:
    """A possibly schema-qualified table name as a safely quoted identifier."""
    return sql.Identifier(*name.split(".", 1))


def count_sql(kind: str, schema: str | None = None, name_like: str | None = None) -> str:
    source, name, namespace, where = COUNTABLE[kind]
    oid = "o.oid"
    query = (
        f"SELECT count(*) FROM {source} JOIN pg_namespace n ON n.oid = {namespace}"
        f" WHERE {where} AND {USER_SCHEMA} AND {_not_member(CATALOG_OF[kind], oid)}"
    )
    if schema is not None:
        query += sql.SQL(" AND n.nspname = {}").format(sql.Literal(schema)).as_string(None)
    if name_like is not None:
        query += (
            sql.SQL(" AND {} LIKE {}").format(sql.SQL(name), sql.Literal(name_like)).as_string(None)
        )
    return query
