"""The lines a reviewer reads: diff.diff over snapshot documents built in Python.

Each case gives one kind's objects before and after (None: the kind could not be read)
and the exact lines of the changes. The attributes are those the catalog queries return
(tests/snapshot_cases read them from a server; here they are written by hand, so every
line can be pinned, edge cases included).
"""

from __future__ import annotations

from typing import Any

import pytest

from clausegate.checks.evidence import RowChange
from clausegate.diff import Change, diff, printed
from clausegate.snapshot import SECTIONS

LONG_OLD, LONG_NEW = "SELECT " + "x" * 200, "SELECT " + "y" * 200
CHECK_AB = "CHECK ((kind = ANY (ARRAY['a'::text, 'b'::text])))"
CHECK_ABC = "CHECK ((kind = ANY (ARRAY['a'::text, 'b'::text, 'c'::text])))"


def snap(section: str, kind: str, objects: dict[str, Any] | None) -> dict[str, Any]:
    """A snapshot document holding one kind (every section present, as diff reads them)."""
    taken: dict[str, Any] = {"server": {"version_num": 170000}, **{s: {} for s in SECTIONS}}
    taken[section][kind] = objects
    return taken


def fn(**attrs: Any) -> dict[str, Any]:
    return {"kind": "function", "security": "invoker", "owner": "postgres", **attrs}


CASES = [
    # --- functions: added, removed, modified attribute by attribute ---------------------------
    ("function-added", "catalog", "functions", {}, {"public.f(text)": fn()},
     ["function public.f(text): added (SECURITY INVOKER)"]),
    ("function-added-says-security-volatility-grants", "catalog", "functions", {},
     {"public.f(text)": fn(security="definer", volatility="volatile",
                           privileges=["=X/postgres", "app=X*/postgres", "postgres=X/postgres"])},
     ["function public.f(text): added (SECURITY DEFINER, volatile, EXECUTE to PUBLIC, "
      "EXECUTE WITH GRANT OPTION to app)"]),
    ("procedure-removed", "catalog", "functions", {"public.p(integer)": fn(kind="procedure")}, {},
     ["procedure public.p(integer): removed"]),
    ("security-definer-dropped", "catalog", "functions",
     {"public.fn_x(text)": fn(security="definer")}, {"public.fn_x(text)": fn()},
     ["function public.fn_x(text): SECURITY DEFINER → INVOKER"]),
    ("body-changed-one-line", "catalog", "functions",
     {"public.fn_x(text)": fn(body="a", body_md5="9b3c6928aa")},
     {"public.fn_x(text)": fn(body="b", body_md5="7614ceafbb")},
     ["function public.fn_x(text): body changed (1 line removed, 1 added)",
      "    @@ -1 +1 @@", "    -a", "    +b"]),
    ("body-changed-shows-the-removed-line", "catalog", "functions",
     {"public.fn_claim()": fn(body="\nBEGIN\n  PERFORM check_gate();\n  RETURN claim();\nEND\n")},
     {"public.fn_claim()": fn(body="\nBEGIN\n  RETURN claim();\nEND\n")},
     ["function public.fn_claim(): body changed (1 line removed)",
      "    @@ -1,5 +1,4 @@", "     ", "     BEGIN", "    -  PERFORM check_gate();",
      "       RETURN claim();", "     END"]),
    ("body-changed-only-in-its-last-line-break", "catalog", "functions",
     {"public.f()": fn(body="SELECT 1\n")}, {"public.f()": fn(body="SELECT 1")},
     ["function public.f(): body changed (only its line endings)"]),
    ("several-attributes-in-name-order", "catalog", "functions",
     {"public.fn_a(integer)": fn(cost="100", strict=False, volatility="volatile")},
     {"public.fn_a(integer)": fn(cost="5", strict=True, volatility="stable")},
     ["function public.fn_a(integer): cost: 100 → 5; strict: false → true; "
      "volatility: volatile → stable"]),
    ("search-path-removed", "catalog", "functions",
     {"public.fn_x(text)": fn(config=["search_path=pg_catalog, public"])},
     {"public.fn_x(text)": fn(config=[])},
     ["function public.fn_x(text): config: removed search_path=pg_catalog, public"]),
    ("empty-list-left-out-is-empty", "catalog", "functions",
     {"public.fn_x(text)": fn()}, {"public.fn_x(text)": fn(config=["search_path=public"])},
     ["function public.fn_x(text): config: added search_path=public"]),
    ("list-reordered", "catalog", "functions",
     {"public.f()": fn(config=["a=1", "b=2"])}, {"public.f()": fn(config=["b=2", "a=1"])},
     ["function public.f(): config: order a=1, b=2 → b=2, a=1"]),
    # --- constraints and indexes: their definition named when added or removed ----------------
    ("constraint-added", "catalog", "constraints", {},
     {"public.t.t_pkey": {"definition": "PRIMARY KEY (id)"}},
     ["constraint public.t.t_pkey: added (PRIMARY KEY (id))"]),
    ("constraint-validated", "catalog", "constraints",
     {"public.t.t_positive": {"definition": "CHECK ((id > 0)) NOT VALID", "validated": False}},
     {"public.t.t_positive": {"definition": "CHECK ((id > 0))", "validated": True}},
     ["constraint public.t.t_positive: CHECK ((id > 0)) NOT VALID → CHECK ((id > 0)); "
      "validated: false → true"]),
    ("index-removed", "catalog", "indexes",
     {"public.jobs_gone_idx": {"table": "public.jobs",
                               "definition": "CREATE INDEX jobs_gone_idx ON public.jobs"}}, {},
     ["index public.jobs_gone_idx: removed (CREATE INDEX jobs_gone_idx ON public.jobs)"]),
    ("index-flag-none-to-false", "catalog", "indexes",
     {"public.k": {"ready": None}}, {"public.k": {"ready": False}},
     ["index public.k: ready: none → false"]),
    # --- extensions, triggers, views, columns -------------------------------------------------
    ("extension-added-with-version", "catalog", "extensions", {},
     {"unaccent": {"version": "1.1"}}, ["extension unaccent: added (version 1.1, no members)"]),
    ("extension-updated", "catalog", "extensions", {"pg_prewarm": {"version": "1.1"}},
     {"pg_prewarm": {"version": "1.2"}}, ["extension pg_prewarm: version: 1.1 → 1.2"]),
    ("trigger-disabled", "catalog", "triggers", {"public.t.t_touch": {"enabled": "enabled"}},
     {"public.t.t_touch": {"enabled": "disabled"}},
     ["trigger public.t.t_touch: enabled → disabled"]),
    ("view-definition-too-long-by-md5", "catalog", "views",
     {"public.v": {"kind": "view", "definition": LONG_OLD}},
     {"public.v": {"kind": "view", "definition": LONG_NEW}},
     ["view public.v: definition changed (1 line removed, 1 added)",
      "    @@ -1 +1 @@", f"    -{LONG_OLD}", f"    +{LONG_NEW}"]),
    ("view-white-space-only-by-md5", "catalog", "views",
     {"public.v": {"kind": "view", "definition": "SELECT 1"}},
     {"public.v": {"kind": "view", "definition": "SELECT  1"}},
     ["view public.v: definition changed (1 line removed, 1 added)",
      "    @@ -1 +1 @@", "    -SELECT 1", "    +SELECT  1"]),
    ("policy-using-changed", "catalog", "policies",
     {"public.t.own": {"using": "(owner = CURRENT_USER)", "command": "ALL"}},
     {"public.t.own": {"using": "true", "command": "ALL"}},
     ["policy public.t.own: using changed (1 line removed, 1 added)",
      "    @@ -1 +1 @@", "    -(owner = CURRENT_USER)", "    +true"]),
    ("trigger-definition-changed", "catalog", "triggers",
     {"public.t.t_audit": {"definition": "CREATE TRIGGER t_audit AFTER INSERT ON public.t "
                                         "FOR EACH ROW EXECUTE FUNCTION audit()"}},
     {"public.t.t_audit": {"definition": "CREATE TRIGGER t_audit AFTER INSERT ON public.t "
                                         "FOR EACH STATEMENT EXECUTE FUNCTION audit()"}},
     ["trigger public.t.t_audit: definition changed (1 line removed, 1 added)",
      "    @@ -1 +1 @@",
      "    -CREATE TRIGGER t_audit AFTER INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION audit()",
      "    +CREATE TRIGGER t_audit AFTER INSERT ON public.t FOR EACH STATEMENT EXECUTE FUNCTION "
      "audit()"]),
    ("matview-names-itself", "catalog", "views",
     {"public.mv": {"kind": "materialized view", "populated": True}},
     {"public.mv": {"kind": "materialized view", "populated": False}},
     ["materialized view public.mv: populated: true → false"]),
    ("column-type-widened", "catalog", "columns",
     {"public.t.name": {"type": "character varying(20)"}},
     {"public.t.name": {"type": "character varying(40)"}},
     ["column public.t.name: type: character varying(20) → character varying(40)"]),
    ("default-text-none-is-not-null", "catalog", "columns",
     {"public.t.c": {"default": None}}, {"public.t.c": {"default": "none"}},
     ["column public.t.c: default changed (md5 none → 334c4a4c)"]),
    ("default-null-to-empty", "catalog", "columns",
     {"public.t.c": {"default": None}}, {"public.t.c": {"default": ""}},
     ["column public.t.c: default: none → "]),
    ("column-dropped-moves-no-other", "catalog", "columns",
     {"public.t.id": {"position": 1}, "public.t.old": {"position": 2},
      "public.t.total": {"position": 3}},
     {"public.t.id": {"position": 1}, "public.t.total": {"position": 2}},
     ["column public.t.old: removed"]),
    ("attnum-gap-is-no-change", "catalog", "columns",
     {"public.t.id": {"position": 1}, "public.t.total": {"position": 5}},
     {"public.t.id": {"position": 1}, "public.t.total": {"position": 2}}, []),
    ("columns-reordered", "catalog", "columns",
     {"public.t.a": {"position": 1}, "public.t.b": {"position": 2},
      'public."t.x".a': {"position": 1}},
     {"public.t.a": {"position": 2}, "public.t.b": {"position": 1},
      'public."t.x".a': {"position": 3}},
     ["column public.t.a: position: 1 → 2", "column public.t.b: position: 2 → 1"]),
    # --- comments (quoted), privileges (per grantee), owners ----------------------------------
    ("comment-changed", "catalog", "tables", {"public.t": {"comment": "hot queue"}},
     {"public.t": {"comment": "hot queue, do not touch"}},
     ['table public.t: comment: "hot queue" → "hot queue, do not touch"']),
    ("comment-removed", "catalog", "columns", {"public.t.id": {"comment": "job id"}},
     {"public.t.id": {"comment": None}}, ['column public.t.id: comment: "job id" → none']),
    ("comment-emptied", "catalog", "columns", {"public.t.id": {"comment": "job id"}},
     {"public.t.id": {"comment": ""}}, ['column public.t.id: comment: "job id" → ""']),
    ("granted-to-public", "catalog", "tables",
     {"public.secrets": {"owner": "postgres", "privileges": ["postgres=arwdDxt/postgres"]}},
     {"public.secrets": {"owner": "postgres",
                         "privileges": ["postgres=arwdDxt/postgres", "=r/postgres"]}},
     ["table public.secrets: privileges: granted SELECT to PUBLIC"]),
    ("revoked-execute", "catalog", "functions",
     {"queue.fn_claim()": fn(privileges=["=X/postgres", "postgres=X/postgres"])},
     {"queue.fn_claim()": fn(privileges=["postgres=X/postgres"])},
     ["function queue.fn_claim(): privileges: revoked EXECUTE from PUBLIC"]),
    ("granted-with-grant-option-by-another", "catalog", "sequences",
     {"queue.s": {"owner": "postgres", "privileges": []}},
     {"queue.s": {"owner": "postgres", "privileges": ["pg_monitor=U*/admin"]}},
     ["sequence queue.s: privileges: granted USAGE WITH GRANT OPTION to pg_monitor "
      "(grantor admin)"]),
    ("owner-change-is-no-grant-churn", "catalog", "tables",
     {"public.t": {"owner": "postgres", "privileges": ["postgres=arwdDxt/postgres"]}},
     {"public.t": {"owner": "pg_monitor", "privileges": ["pg_monitor=arwdDxt/pg_monitor"]}},
     ["table public.t: owner: postgres → pg_monitor"]),
    # --- roles: their powers named ------------------------------------------------------------
    ("role-added-with-powers", "cluster", "roles", {},
     {"evil": {"superuser": True, "login": True, "createdb": False}},
     ["role evil: added (superuser, login)"]),
    ("role-added-powerless", "cluster", "roles", {}, {"app": {"superuser": False}},
     ["role app: added (no powers)"]),
    ("role-made-superuser", "cluster", "roles", {"cg": {"superuser": False}},
     {"cg": {"superuser": True}}, ["role cg: superuser: false → true"]),
    # --- outside the transaction: sequences, slots, jobs, settings ----------------------------
    ("sequence-advanced", "nontransactional", "sequence_values",
     {"public.job_id_seq": {"last_value": 1, "is_called": True}},
     {"public.job_id_seq": {"last_value": 3, "is_called": True}},
     ["sequence value public.job_id_seq: last_value: 1 → 3"]),
    ("sequence-set-back-uncalled", "nontransactional", "sequence_values",
     {"public.called_seq": {"last_value": 5, "is_called": True}},
     {"public.called_seq": {"last_value": 5, "is_called": False}},
     ["sequence value public.called_seq: is_called: true → false"]),
    ("sequence-first-value", "nontransactional", "sequence_values", {},
     {"public.t_id_seq": {"last_value": 1, "is_called": False}},
     ["sequence value public.t_id_seq: added (1)"]),
    ("alter-system-setting", "nontransactional", "alter_system", {},
     {"work_mem": {"setting": "7MB"}}, ["ALTER SYSTEM setting work_mem: added (7MB)"]),
    ("cron-job-scheduled", "nontransactional", "cron_jobs", {},
     {"3": {"schedule": "*/5 * * * *"}}, ["cron job 3: added (*/5 * * * *)"]),
    ("replication-slot", "cluster", "replication_slots", {}, {"s": {"type": "logical"}},
     ["replication slot s: added (logical)"]),
    # --- extension members name their extension -----------------------------------------------
    ("extension-member-removed", "extension_members", "functions",
     {"public.triggered_change_notification()": fn(extension="tcn")}, {},
     ["function public.triggered_change_notification() (extension tcn): removed"]),
    # --- vocabularies: a CHECK's values, an enum's labels ---------------------------------------
    ("check-widened", "catalog", "constraints",
     {"public.o.o_kind_check": {"definition": CHECK_AB}},
     {"public.o.o_kind_check": {"definition": CHECK_ABC}},
     ["constraint public.o.o_kind_check: CHECK widened: added 'c'",
      f"    - {CHECK_AB}", f"    + {CHECK_ABC}"]),
    ("check-narrowed", "catalog", "constraints",
     {"public.o.o_kind_check": {"definition": CHECK_ABC}},
     {"public.o.o_kind_check": {"definition": CHECK_AB}},
     ["constraint public.o.o_kind_check: CHECK narrowed: removed 'c'",
      f"    - {CHECK_ABC}", f"    + {CHECK_AB}"]),
    ("check-in-list-changed-with-quotes", "catalog", "constraints",
     {"public.dom.dom_check": {"definition": "CHECK (VALUE IN ('it''s', 'b'))"}},
     {"public.dom.dom_check": {"definition": "CHECK (VALUE IN ('b', 'x, y'))"}},
     ["constraint public.dom.dom_check: CHECK changed: added 'x, y'; removed 'it''s'",
      "    - CHECK (VALUE IN ('it''s', 'b'))", "    + CHECK (VALUE IN ('b', 'x, y'))"]),
    ("check-values-reordered", "catalog", "constraints",
     {"public.o.c": {"definition": "CHECK ((k = ANY (ARRAY['a'::text, 'b'::text])))"}},
     {"public.o.c": {"definition": "CHECK ((k = ANY (ARRAY['b'::text, 'a'::text])))"}},
     ["constraint public.o.c: CHECK changed: the same values in another order",
      "    - CHECK ((k = ANY (ARRAY['a'::text, 'b'::text])))",
      "    + CHECK ((k = ANY (ARRAY['b'::text, 'a'::text])))"]),
    ("check-other-column-is-no-vocabulary", "catalog", "constraints",
     {"public.o.c": {"definition": "CHECK ((k = ANY (ARRAY['a'::text])))"}},
     {"public.o.c": {"definition": "CHECK ((j = ANY (ARRAY['a'::text, 'b'::text])))"}},
     ["constraint public.o.c: CHECK ((k = ANY (ARRAY['a'::text]))) → "
      "CHECK ((j = ANY (ARRAY['a'::text, 'b'::text])))"]),
    ("enum-widened", "catalog", "types", {"public.mood": {"kind": "enum type", "labels": ["a"]}},
     {"public.mood": {"kind": "enum type", "labels": ["a", "b"]}},
     ["enum type public.mood: labels widened: added 'b'", "    - [a]", "    + [a, b]"]),
    # --- data probes --------------------------------------------------------------------------
    ("rows-changed-by-hash", "probes", "content_hash",
     {"public.dot_config": {"table": "public.dot_config", "sha256": "b76b0e39ff", "rows": 2}},
     {"public.dot_config": {"table": "public.dot_config", "sha256": "de9c4530ee", "rows": 3}},
     ["table public.dot_config: row content changed (hash b76b0e39 → de9c4530; rows 2 → 3)"]),
    ("rows-written-back-unchanged", "probes", "content_hash",
     {"public.t": {"table": "public.t", "sha256": "aa", "rows": 2, "written": 0}},
     {"public.t": {"table": "public.t", "sha256": "aa", "rows": 2, "written": 4}},
     ["table public.t: 4 row(s) written since the before snapshot, though the content reads "
      "as before (deleted and inserted again, or changed and changed back)"]),
    ("probe-only-on-a", "probes", "content_hash",
     {"billing.payments": {"table": "billing.payments", "sha256": "aa", "rows": 2}}, {},
     ["table billing.payments: not captured on B (the after side ran other probes)"]),
    ("probe-only-on-b", "probes", "row_count", {}, {"public.t": {"count": 0}},
     ["row count public.t: not captured on A (the before side ran other probes)"]),
    ("probe-failed-on-a-side-is-compared", "probes", "row_count",
     {"public.t": {"count": 1}}, {"public.t": {"error": "42P01: relation does not exist"}},
     ["row count public.t: 1 → none; error: none → 42P01: relation does not exist"]),
    ("row-count", "probes", "row_count", {"public.queue_heartbeat": {"count": 0}},
     {"public.queue_heartbeat": {"count": 1}}, ["row count public.queue_heartbeat: 0 → 1"]),
    ("query-rows-paired-by-key", "probes", "rows",
     {"queue_gates": {"rows": [{"key": "queue.heartbeat.enabled", "value": "false"}]}},
     {"queue_gates": {"rows": [{"key": "queue.heartbeat.enabled", "value": "true"},
                               {"key": "queue.runtime.phase", "value": "phase2_governance"}]}},
     ['query queue_gates: rows: +{"key": "queue.runtime.phase", "value": "phase2_governance"}; '
      'key=queue.heartbeat.enabled: value "false" → "true"']),
    ("query-rows-hide-secrets", "probes", "rows",
     {"settings": {"rows": [{"key": "smtp.password", "value": "old"},
                            {"key": "replica", "value": "postgres://u:pw1@h/db"},
                            {"key": "web", "value": "x", "api_key": "k1"}]}},
     {"settings": {"rows": [{"key": "smtp.password", "value": "new"},
                            {"key": "replica", "value": "postgres://u:pw2@h2/db"},
                            {"key": "web", "value": "x", "api_key": "k2"},
                            {"key": "jwt.secret", "value": "s"}]}},
     ['query settings: rows: +{"key": "jwt.secret", "value": "***"}; '
      'key=replica: value "postgres://u:***@h/db" → "postgres://u:***@h2/db"; '
      "key=smtp.password: value changed (not shown: a secret); "
      "key=web: api_key changed (not shown: a secret)"]),
    ("query-rows-unkeyed-hide-passwords", "probes", "rows",
     {"dsns": {"rows": [["postgres://u:pw1@h/db"]]}},
     {"dsns": {"rows": [["postgres://u:pw2@h/db"]]}},
     ["query dsns: rows: changed (not shown: secrets)"]),
    # --- a kind one snapshot could not read: one line, never "no change" ----------------------
    ("kind-unreadable-after", "catalog", "functions", {"public.f()": fn()}, None,
     ["function: not readable in the after snapshot, so not compared"]),
    ("kind-unreadable-before", "nontransactional", "cron_jobs", None, {},
     ["cron job: not readable in the before snapshot, so not compared"]),
    ("kind-unreadable-both", "catalog", "functions", None, None, []),
    ("unchanged", "catalog", "functions", {"public.f()": fn()}, {"public.f()": fn()}, []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("section", "kind", "old", "new", "lines"), [pytest.param(*c[1:], id=c[0]) for c in CASES]
)
def test_a_change_reads_as_its_lines(
    section: str, kind: str, old: Any, new: Any, lines: list[str]
) -> None:
    assert printed(diff(snap(section, kind, old), snap(section, kind, new))) == lines


def test_changes_come_sorted_by_section_kind_and_identity() -> None:
    before = snap("catalog", "tables", {"public.b": {}, "public.a": {"comment": "x"}})
    after = snap("catalog", "tables", {"public.a": {"comment": "y"}, "public.c": {}})
    before["cluster"]["roles"] = {}
    after["cluster"]["roles"] = {"r": {}}
    before["catalog"]["columns"] = {"public.a.id": {}}
    after["catalog"]["columns"] = {}
    changes = diff(before, after)
    assert [(c.section, c.kind, c.identity, c.action) for c in changes] == [
        ("catalog", "columns", "public.a.id", "removed"),
        ("catalog", "tables", "public.a", "modified"),
        ("catalog", "tables", "public.b", "removed"),
        ("catalog", "tables", "public.c", "added"),
        ("cluster", "roles", "r", "added"),
    ]
    assert changes[1].line == 'table public.a: comment: "x" → "y"'


def test_the_server_section_is_not_compared() -> None:
    before, after = snap("catalog", "tables", {}), snap("catalog", "tables", {})
    after["server"] = {"version_num": 170000, "database": "copy_2"}
    assert diff(before, after) == []


def test_a_change_keeps_both_sides_for_the_judges() -> None:
    (change,) = diff(snap("catalog", "extensions", {"x": {"version": "1"}}),
                     snap("catalog", "extensions", {"x": {"version": "2"}}))  # fmt: skip
    assert change == Change("catalog", "extensions", "x", "modified", {"version": "1"},
                            {"version": "2"})  # fmt: skip


ROW_CASES = [
    ("row-added", "added", None, "two", 'row public.gate_config.demo.phase: added (value "two")'),
    ("row-removed", "removed", "one", None,
     'row public.gate_config.demo.phase: removed (value was "one")'),
    ("row-modified", "modified", "one", "two",
     'row public.gate_config.demo.phase: value "one" → "two"'),
    ("row-nulled", "modified", "false", None,
     'row public.gate_config.demo.phase: value "false" → null'),
    ("row-null-to-empty", "modified", None, "",
     'row public.gate_config.demo.phase: value null → ""'),
]  # fmt: skip


@pytest.mark.parametrize(
    ("action", "old", "new", "line"), [pytest.param(*c[1:], id=c[0]) for c in ROW_CASES]
)
def test_a_config_row_change_reads_as_one_line(action: str, old: Any, new: Any, line: str) -> None:
    change = RowChange("data", "row", "public.gate_config.demo.phase", action, old, new)
    assert change.line == line


def extension_installed() -> tuple[dict[str, Any], dict[str, Any]]:
    """hstore added whole (two members), and a function of plpgsql's added on its own."""
    before = snap("catalog", "extensions", {"plpgsql": {"version": "1.0"}})
    after = snap("catalog", "extensions",
                 {"plpgsql": {"version": "1.0"}, "hstore": {"version": "1.8"}})  # fmt: skip
    before["extension_members"] = {"functions": {}, "types": {}}
    after["extension_members"] = {
        "functions": {"public.hstore_in(cstring)": fn(extension="hstore"),
                      "public.plpgsql_extra()": fn(extension="plpgsql")},
        "types": {"public.hstore": {"kind": "base type", "extension": "hstore"}},
    }  # fmt: skip
    return before, after


def test_an_extension_added_whole_is_one_line_counting_its_members() -> None:
    assert printed(diff(*extension_installed())) == [
        "extension hstore: added (version 1.8, 2 members)",
        "function public.plpgsql_extra() (extension plpgsql): added (SECURITY INVOKER)",
    ]


def test_every_member_lists_the_members_of_an_extension_added_whole() -> None:
    assert printed(diff(*extension_installed()), every_member=True) == [
        "extension hstore: added (version 1.8, 2 members)",
        "function public.hstore_in(cstring) (extension hstore): added (SECURITY INVOKER)",
        "function public.plpgsql_extra() (extension plpgsql): added (SECURITY INVOKER)",
        "base type public.hstore (extension hstore): added",
    ]


def test_the_changes_judged_keep_every_member() -> None:
    assert len(diff(*extension_installed())) == 4


SECRET_ROW_CASES = [
    ("secret-key-modified", "public.app_config.smtp.password", "value", "modified", "a", "b",
     "row public.app_config.smtp.password: value changed (not shown: a secret)"),
    ("secret-key-added", "public.app_config.api_token", "value", "added", None, "t0k",
     "row public.app_config.api_token: added (value ***)"),
    ("secret-column-removed", "public.app_config.smtp", "secret", "removed", "s", None,
     "row public.app_config.smtp: removed (secret was ***)"),
    ("dsn-password-in-a-value", "public.app_config.replica", "value", "modified",
     "postgresql://app:hunter2@db1/app", "host=db2 password=hunter3 user=app",
     'row public.app_config.replica: value "postgresql://app:***@db1/app" → '
     '"host=db2 password=*** user=app"'),
]  # fmt: skip


@pytest.mark.parametrize(
    ("identity", "column", "action", "old", "new", "line"),
    [pytest.param(*c[1:], id=c[0]) for c in SECRET_ROW_CASES],
)
def test_a_config_row_shows_no_secret(
    identity: str, column: str, action: str, old: Any, new: Any, line: str
) -> None:
    change = RowChange("data", "row", identity, action, old, new, column)
    assert change.line == line
    assert change.text == line


def test_a_config_row_names_the_spec_s_value_column() -> None:
    change = RowChange("data", "row", "public.flags.demo.on", "modified", "f", "t", "setting")
    assert change.line == 'row public.flags.demo.on: setting "f" → "t"'
