"""A migration read as statements (clausegate.migration): no server.

CASES is the table: each row a piece of migration, written as an attacker would hide a
statement of a forbidden kind (quoted, schema-qualified, nested in an expression, in a
function the migration creates and calls, in a DO block run through EXECUTE of a
constant, as a trigger's or an operator's function), and the kinds it must be found to
be. The file names a statement of a kind; the statement's own line is checked apart.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from clausegate.migration import KINDS, MigrationText, parse_text, read_migration

ROOT = Path(__file__).resolve().parent.parent
NONE: frozenset[str] = frozenset()

# (case id, SQL, the kinds found anywhere in it)
CASES: list[tuple[str, str, frozenset[str]]] = [
    ("notify", "NOTIFY queue_wake, 'x';", frozenset({"notify"})),
    ("pg_notify", "SELECT pg_notify('c', 'x');", frozenset({"notify"})),
    ("pg_notify quoted", "SELECT \"pg_notify\"('c', 'x');", frozenset({"notify"})),
    ("pg_notify upper case", "SELECT PG_NOTIFY('c', 'x');", frozenset({"notify"})),
    ("pg_notify qualified", "SELECT pg_catalog.pg_notify('c', 'x');", frozenset({"notify"})),
    (
        "pg_notify quoted and qualified",
        "SELECT \"pg_catalog\".\"pg_notify\"('c', 'x');",
        frozenset({"notify"}),
    ),
    (
        "pg_notify nested in an expression",
        "SELECT coalesce(NULL, (SELECT length(pg_notify('c', 'x')::text)));",
        frozenset({"notify"}),
    ),
    (
        "pg_notify in a CTE of an INSERT",
        "WITH w AS (SELECT pg_notify('c', 'x')) INSERT INTO t SELECT 1 FROM w;",
        frozenset({"notify"}),
    ),
    (
        "pg_notify in a function created and called",
        "CREATE FUNCTION public.f() RETURNS void LANGUAGE plpgsql AS $$\n"
        "BEGIN PERFORM pg_notify('c', 'x'); END $$;\nSELECT public.f();",
        frozenset({"notify"}),
    ),
    (
        "pg_notify in a PL/pgSQL assignment",
        "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\n"
        "DECLARE v text; BEGIN v := pg_notify('c', 'x')::text; END $$;",
        frozenset({"notify"}),
    ),
    (
        "pg_notify in a variable's default",
        "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\n"
        "DECLARE v text := pg_notify('c', 'x'); BEGIN NULL; END $$;",
        frozenset({"notify"}),
    ),
    (
        "pg_notify in an IF condition of a nested block",
        "DO $$ BEGIN BEGIN IF pg_notify('c', 'x') IS NULL THEN NULL; END IF; END; END $$;",
        frozenset({"notify"}),
    ),
    (
        "NOTIFY in an exception handler",
        "DO $$ BEGIN PERFORM 1/0; EXCEPTION WHEN others THEN NOTIFY c; END $$;",
        frozenset({"notify"}),
    ),
    (
        "pg_notify in a SQL function body",
        "CREATE FUNCTION f() RETURNS void LANGUAGE sql AS 'SELECT pg_notify(''c'', ''x'')';",
        frozenset({"notify"}),
    ),
    (
        "pg_notify in a SQL-standard body",
        "CREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC "
        "SELECT pg_notify('c', 'x'); END;",
        frozenset({"notify"}),
    ),
    (
        "NOTIFY in a DO block inside EXECUTE 'constant'",
        "DO $$ BEGIN EXECUTE 'DO $i$ BEGIN NOTIFY c; END $i$'; END $$;",
        frozenset({"notify"}),
    ),
    (
        "pg_notify in EXECUTE of concatenated constants",
        "DO $$ BEGIN EXECUTE 'SELECT pg_' || 'notify(''c'', ''x'')'; END $$;",
        frozenset({"notify"}),
    ),
    (
        "pg_notify in a function created inside a DO block",
        "DO $$ BEGIN CREATE FUNCTION g() RETURNS void LANGUAGE sql AS 'NOTIFY c'; END $$;",
        frozenset({"notify"}),
    ),
    ("pg_notify as a CALL argument", "CALL p(pg_notify('c', 'x'));", frozenset({"notify"})),
    (
        "pg_notify as a trigger function",
        "CREATE TRIGGER t AFTER INSERT ON x FOR EACH ROW EXECUTE FUNCTION pg_notify();",
        frozenset({"notify"}),
    ),
    (
        "pg_notify as an operator's function",
        "CREATE OPERATOR ### (FUNCTION = pg_catalog.pg_notify, LEFTARG = text, RIGHTARG = text);",
        frozenset({"notify"}),
    ),
    (
        "NOTIFY as a rule's action",
        "CREATE RULE r AS ON INSERT TO t DO ALSO NOTIFY c;",
        frozenset({"notify"}),
    ),
    (
        "pg_notify as an internal function under another name",
        "CREATE FUNCTION wake(text, text) RETURNS void LANGUAGE internal AS 'pg_notify';",
        frozenset({"notify"}),
    ),
    (
        "pg_notify in query_to_xml's query",
        "SELECT query_to_xml('SELECT pg_notify(''c'', ''x'')', true, true, '');",
        frozenset({"notify"}),
    ),
    (
        "pg_notify in a column default",
        "CREATE TABLE t (x text DEFAULT pg_notify('c', 'x')::text);",
        frozenset({"notify"}),
    ),
    (
        "pg_notify in a prepared statement",
        "PREPARE p AS SELECT pg_notify('c', 'x'); EXECUTE p;",
        frozenset({"notify"}),
    ),
    (
        "pg_notify in a view",
        "CREATE VIEW v AS SELECT pg_notify('c', 'x') AS n;",
        frozenset({"notify"}),
    ),
    (
        "pg_notify in ts_stat's query",
        "SELECT * FROM ts_stat('SELECT to_tsvector(pg_notify(''c'', ''x'')::text)');",
        frozenset({"notify"}),
    ),
    (
        "pg_notify in a procedure called",
        "CREATE PROCEDURE pr() LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('c', 'x'); END $$;"
        "\nCALL pr();",
        frozenset({"notify"}),
    ),
    (
        "pg_notify in a function whose parameter copies a column's type",
        "CREATE FUNCTION f(a public.t.col%TYPE) RETURNS public.t.col%TYPE LANGUAGE plpgsql\n"
        "AS $$ BEGIN PERFORM pg_notify('c', a::text); RETURN a; END $$;",
        frozenset({"notify"}),
    ),
    ("copy to program", "COPY t TO PROGRAM 'cat';", frozenset({"copy_program"})),
    ("copy from program", "COPY t FROM PROGRAM 'id';", frozenset({"copy_program"})),
    (
        "copy of a query to program",
        "COPY (SELECT 1) TO PROGRAM 'sh -c id';",
        frozenset({"copy_program"}),
    ),
    (
        "copy to program in a function",
        "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\n"
        "BEGIN COPY (SELECT 1) TO PROGRAM 'id'; END $$;",
        frozenset({"copy_program"}),
    ),
    ("copy to a file", "COPY t TO '/tmp/t.csv';", frozenset({"copy_file"})),
    ("copy from a file", "COPY t FROM '/etc/passwd';", frozenset({"copy_file"})),
    ("copy to stdout", "COPY t TO STDOUT;", NONE),
    ("alter system", "ALTER SYSTEM SET work_mem = '1GB';", frozenset({"alter_system"})),
    ("alter system reset", "ALTER SYSTEM RESET ALL;", frozenset({"alter_system"})),
    ("create role", "CREATE ROLE r LOGIN;", frozenset({"role_ddl"})),
    ("create user", "CREATE USER u PASSWORD 'x';", frozenset({"role_ddl"})),
    ("create group", "CREATE GROUP g;", frozenset({"role_ddl"})),
    ("alter role", "ALTER ROLE r SUPERUSER;", frozenset({"role_ddl"})),
    ("alter user set", "ALTER USER u SET search_path = evil;", frozenset({"role_ddl"})),
    ("alter group add user", "ALTER GROUP g ADD USER u;", frozenset({"role_ddl"})),
    ("rename role", "ALTER ROLE r RENAME TO s;", frozenset({"role_ddl"})),
    ("drop role", "DROP ROLE r;", frozenset({"role_ddl"})),
    ("grant membership", "GRANT pg_read_server_files TO app;", frozenset({"role_ddl"})),
    ("revoke membership", "REVOKE admin FROM app;", frozenset({"role_ddl"})),
    ("owner to is not role ddl", "ALTER TABLE t OWNER TO app;", NONE),
    ("grant on a table is not role ddl", "GRANT SELECT ON t TO app;", NONE),
    (
        "role ddl in EXECUTE 'constant'",
        "DO $$ BEGIN EXECUTE 'CREATE ROLE backdoor SUPERUSER LOGIN'; END $$;",
        frozenset({"role_ddl"}),
    ),
    ("lo_import", "SELECT lo_import('/etc/passwd');", frozenset({"large_object"})),
    ("lo_export", "SELECT lo_export(1, '/tmp/x');", frozenset({"large_object"})),
    ("lo_from_bytea", "SELECT pg_catalog.lo_from_bytea(0, 'x');", frozenset({"large_object"})),
    ("lowrite", "SELECT lowrite(0, 'x');", frozenset({"large_object"})),
    (
        "grant on a large object",
        "GRANT SELECT ON LARGE OBJECT 1 TO app;",
        frozenset({"large_object"}),
    ),
    ("pg_read_file", "SELECT pg_read_file('pg_hba.conf');", frozenset({"file_functions"})),
    (
        "pg_read_binary_file",
        "SELECT pg_catalog.pg_read_binary_file('x');",
        frozenset({"file_functions"}),
    ),
    ("pg_ls_dir", "SELECT * FROM pg_ls_dir('.');", frozenset({"file_functions"})),
    ("pg_stat_file", "SELECT (pg_stat_file('x')).size;", frozenset({"file_functions"})),
    ("pg_ls_waldir", "SELECT count(*) FROM pg_ls_waldir();", frozenset({"file_functions"})),
    (
        "pg_terminate_backend",
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity;",
        frozenset({"admin_functions"}),
    ),
    ("pg_cancel_backend", "SELECT pg_cancel_backend(1);", frozenset({"admin_functions"})),
    ("pg_reload_conf", "SELECT pg_reload_conf();", frozenset({"admin_functions"})),
    ("pg_rotate_logfile", "SELECT pg_rotate_logfile();", frozenset({"admin_functions"})),
    ("pg_promote", "SELECT pg_promote();", frozenset({"admin_functions"})),
    ("pg_switch_wal", "SELECT pg_catalog.pg_switch_wal();", frozenset({"admin_functions"})),
    (
        "a replication slot made",
        "SELECT pg_create_logical_replication_slot('s', 'test_decoding');",
        frozenset({"admin_functions"}),
    ),
    ("dblink", "SELECT * FROM dblink('db', 'SELECT 1') AS t(x int);", frozenset({"dblink"})),
    ("dblink_exec", "SELECT dblink_exec('db', 'DROP TABLE t');", frozenset({"dblink"})),
    ("dblink_connect", "SELECT public.dblink_connect('c', 'dbname=x');", frozenset({"dblink"})),
    (
        "dynamic EXECUTE",
        "DO $$ DECLARE q text := 'NOTIFY c'; BEGIN EXECUTE q; END $$;",
        frozenset({"dynamic_execute"}),
    ),
    (
        "dynamic EXECUTE of format()",
        "CREATE FUNCTION f(t text) RETURNS void LANGUAGE plpgsql AS $$\n"
        "BEGIN EXECUTE format('TRUNCATE %I', t); END $$;",
        frozenset({"dynamic_execute"}),
    ),
    (
        "dynamic FOR … IN EXECUTE",
        "DO $$ DECLARE r record; q text := 'SELECT 1'; BEGIN "
        "FOR r IN EXECUTE q LOOP END LOOP; END $$;",
        frozenset({"dynamic_execute"}),
    ),
    (
        "dynamic RETURN QUERY EXECUTE",
        "CREATE FUNCTION f(q text) RETURNS SETOF int LANGUAGE plpgsql AS $$\n"
        "BEGIN RETURN QUERY EXECUTE q; END $$;",
        frozenset({"dynamic_execute"}),
    ),
    (
        "dynamic query_to_xml",
        "SELECT query_to_xml(current_setting('app.q'), true, true, '');",
        frozenset({"dynamic_execute"}),
    ),
    ("EXECUTE of a constant is not dynamic", "DO $$ BEGIN EXECUTE 'SELECT 1'; END $$;", NONE),
    (
        "a harmless migration",
        "BEGIN;\nCREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n"
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT count(*)::int FROM t';\n"
        "COMMENT ON TABLE t IS 'NOTIFY pg_notify lo_export';\nCOMMIT;",
        NONE,
    ),
]


def read(sql: str) -> MigrationText:
    return parse_text(sql, Path("migration.sql"))


def kinds_in(text: MigrationText, foreign: frozenset[str] = NONE) -> frozenset[str]:
    return frozenset(kind for s in text.statements for kind in s.kinds_with(foreign))


@pytest.mark.parametrize(("sql", "kinds"), [pytest.param(s, k, id=i) for i, s, k in CASES])
def test_each_form_is_seen(sql: str, kinds: frozenset[str]) -> None:
    text = read(sql)
    assert text.problems == ()
    assert kinds_in(text) == kinds


def test_every_kind_has_a_case() -> None:
    seen = {kind for _, _, kinds in CASES for kind in kinds}
    assert sorted(set(KINDS) - seen - {"foreign_write"}) == []


FOREIGN = frozenset({"remote.accounts"})


@pytest.mark.parametrize(
    ("sql", "written"),
    [
        ("INSERT INTO remote.accounts VALUES (1);", True),
        ("UPDATE accounts SET x = 1;", True),  # unqualified: any schema's foreign table
        ("DELETE FROM remote.accounts;", True),
        ("MERGE INTO remote.accounts a USING t ON true WHEN MATCHED THEN DELETE;", True),
        ("TRUNCATE remote.accounts;", True),
        ("COPY remote.accounts FROM STDIN;", True),
        ("WITH d AS (DELETE FROM remote.accounts RETURNING 1) SELECT * FROM d;", True),
        (
            "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\n"
            "BEGIN INSERT INTO remote.accounts VALUES (1); END $$;",
            True,
        ),
        ("SELECT * FROM remote.accounts;", False),
        ("INSERT INTO public.accounts VALUES (1);", False),
        ("COPY remote.accounts TO STDOUT;", False),
    ],
)
def test_a_write_to_a_foreign_table_is_seen(sql: str, written: bool) -> None:
    assert ("foreign_write" in kinds_in(read(sql), FOREIGN)) is written


def test_a_foreign_table_the_migration_creates_or_imports_counts_too() -> None:
    text = read(
        "CREATE FOREIGN TABLE public.mirror (id int) SERVER s;\n"
        "IMPORT FOREIGN SCHEMA remote FROM SERVER s INTO staging;\n"
        "INSERT INTO public.mirror VALUES (1);\nUPDATE staging.anything SET x = 1;"
    )
    assert text.foreign_created == ("public.mirror", "staging.*")
    lines = [s.line for s in text.statements if s.kinds_with(frozenset(text.foreign_created))]
    assert lines == [3, 4]


def test_each_statement_has_its_line_place_and_calls() -> None:
    text = read(
        "-- Điều 45: a comment with non-ASCII text\n"  # 1
        "BEGIN;\n"  # 2
        "CREATE FUNCTION public.fn_wake(a int)\n"  # 3
        "RETURNS void LANGUAGE plpgsql AS $$\n"  # 4
        "BEGIN\n"  # 5
        "  IF a > 0 THEN\n"  # 6
        "    PERFORM pg_catalog.pg_notify('c', 'đ');\n"  # 7
        "  END IF;\n"  # 8
        "END $$;\n"  # 9
        "DO $$\n"  # 10
        "BEGIN\n"  # 11
        "  EXECUTE 'NOTIFY c';\n"  # 12
        "END $$;\n"  # 13
        "COMMIT;\n"  # 14
    )
    notify = [(s.line, s.command, s.where, s.calls) for s in text.statements if s.kinds]
    assert notify == [
        (7, "PERFORM", "function public.fn_wake", ("pg_catalog.pg_notify",)),
        (12, "NOTIFY", "EXECUTE at line 12 in DO block at line 10", ()),
    ]
    assert [s.line for s in text.statements if s.where == "top level"] == [2, 3, 10, 14]
    assert text.calls == ("pg_catalog.pg_notify",)


def test_a_dynamic_execute_is_not_verifiable() -> None:
    text = read("DO $$\nDECLARE q text := 'x';\nBEGIN\n  EXECUTE q;\nEND $$;")
    assert [(s.line, s.unverifiable) for s in text.unverifiable] == [(4, "dynamic EXECUTE")]


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE FUNCTION f() RETURNS int LANGUAGE plperlu AS 'system(\"id\")';",
        "DO LANGUAGE plperlu $$ system('id') $$;",
    ],
)
def test_a_body_in_another_language_is_not_verifiable(sql: str) -> None:
    assert [s.unverifiable for s in read(sql).unverifiable] == ["a body in language plperlu"]


@pytest.mark.parametrize(
    ("sql", "line", "words"),
    [
        ("SELECT 1;\n\nSELECT (;\n", 3, "syntax error"),
        (
            "SELECT 1;\nCREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\n"
            "BEGIN x := 1; END $$;",
            2,
            '"x" is not a known variable',
        ),
        ("DO $$ BEGIN EXECUTE 'SELEC 1'; END $$;", 1, "syntax error"),
    ],
)
def test_what_cannot_be_parsed_is_a_problem_with_its_line(sql: str, line: int, words: str) -> None:
    problems = read(sql).problems
    assert [p.line for p in problems] == [line]
    assert words in problems[0].message


def test_an_expression_thousands_of_levels_deep_is_read_or_a_problem() -> None:
    concatenated = " || ".join(["'a'"] * 3000)
    assert read(f"SELECT 1;\nSELECT {concatenated};").problems == ()
    problems = read(f"DO $$ BEGIN EXECUTE {concatenated}; END $$;").problems
    assert [(p.line, p.message) for p in problems] == [
        (1, "cannot parse: nested too deeply to be read")
    ]


def test_a_file_is_read_with_its_sha256(tmp_path: Path) -> None:
    path = tmp_path / "m.sql"
    path.write_bytes(b"NOTIFY c;\n")
    text = read_migration(path)
    assert text.sha256 == hashlib.sha256(b"NOTIFY c;\n").hexdigest()
    path.write_bytes(b"\xff\xfe")
    assert "not UTF-8" in read_migration(path).problems[0].message


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "fixtures/dieu45").glob("05*.sql")))
def test_the_real_migrations_read_whole_and_use_no_forbidden_kind(name: str) -> None:
    text = read_migration(ROOT / "fixtures" / "dieu45" / name)
    assert text.problems == ()
    assert text.unverifiable == ()
    assert kinds_in(text) == NONE
