"""Every built-in check kind judged directly on hand-made evidence: no server, no CLI.

One table of cases; each names a check of tests/core_cases/spec.yaml, builds the evidence
a phase would have gathered (changes, captured query values, probe runs, what a snapshot
could not read), and says the status and the words the verdict must hold: the changed
object named, the expected and the seen value. Every kind has at least a PASS, a FAIL and
a BROKEN case (test_every_built_in_kind_has_a_pass_a_fail_and_a_broken_case).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from clausegate import checks
from clausegate.checks.evidence import Evidence
from clausegate.checks.judge import judge
from clausegate.checks.language import load_spec
from clausegate.checks.verdict import Status, Verdict
from clausegate.spec import Check, SpecError
from tests.pure import (
    added,
    check,
    config,
    core_spec,
    error,
    evidence,
    metric,
    modified,
    raised,
    ran,
    removed,
    row,
    rows_hashed,
    sequence,
    text,
    value,
)

PASS, FAIL, BROKEN = Status.PASS, Status.FAIL, Status.BROKEN
GATE = "queue.worker.enabled"
DENIED = "permission denied for table pg_proc"


@dataclass(frozen=True)
class Case:
    check_id: str
    ev: Callable[[], Evidence]
    status: Status
    message: tuple[str, ...]  # words the message holds
    evidence: tuple[str, ...] = ()  # words the evidence lines hold


def case(
    case_id: str,
    check_id: str,
    ev: Callable[[], Evidence],
    status: Status,
    *message: str,
    evidence: tuple[str, ...] = (),
) -> Any:
    return pytest.param(Case(check_id, ev, status, message, evidence), id=case_id)


def the_check(check_id: str) -> Check:
    """A check of the core spec, the implicit ones (closed-world, inertness) included."""
    implicit = {c.id: c for c in checks.implicit_checks(core_spec())}
    return implicit[check_id] if check_id in implicit else check(check_id)


def gate(before: dict[str, Any], after: dict[str, Any], **kw: Any) -> Evidence:
    """Config rows before and after (key → value) as the config query captured them."""
    return evidence(before={config(): sorted(before.items())},
                    after={config(): sorted(after.items())}, **kw)  # fmt: skip


ROWS = "SELECT id, md5(t::text) FROM ledger t"


def ledger(before: dict[str, str], after: dict[str, str] | None, **kw: Any) -> Evidence:
    """The rows_touched query's rows (key, md5) before and after; None: not captured after."""
    return evidence(
        queries={"f-rows": ROWS},
        before={ROWS: sorted(before.items())},
        after={} if after is None else {ROWS: sorted(after.items())},
        **kw,
    )


def metric_values(check_id: str, before: Any, after: Any, **kw: Any) -> Evidence:
    """A regression row's query captured before and after (rows of one column)."""
    query = metric(check_id)
    return evidence(before={query: before}, after={query: after}, **kw)


def unreadable(snapshot: str, part: str, why: str = DENIED) -> dict[str, dict[str, str]]:
    return {snapshot: {part: why}}


def fn(name: str, **attrs: Any) -> dict[str, Any]:
    return {"kind": "function", "security": "invoker", "body_md5": "9b3c6928aa", **attrs}


def columns_snapshot(*columns: tuple[str, str], readable: bool = True) -> dict[str, Any]:
    """An after snapshot holding only public.ledger's columns (or columns unreadable)."""
    found = {f"public.ledger.{name}": {"position": n, "type": kind}
             for n, (name, kind) in enumerate(columns, 1)}  # fmt: skip
    unread = {} if readable else {"columns": "permission denied"}
    return {"catalog": {"columns": found if readable else None}, "server": {"unreadable": unread}}


def catalog_snapshot(kind: str, found: dict[str, Any] | None) -> dict[str, Any]:
    """An after snapshot holding only one catalog kind's objects (None: it was unreadable)."""
    unread = {} if found is not None else {kind: "permission denied"}
    return {"catalog": {kind: found}, "server": {"unreadable": unread}}


GUARD_BODY = """
BEGIN
  IF p_actor IS NULL OR btrim(p_actor) = '' THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'actor_required');
  END IF;
  RETURN jsonb_build_object('refused', false);
END;
"""


def guard_body(body: str) -> Evidence:
    functions = {"public.fn_guard(text)": fn("f", body=body)}
    return evidence(snapshots={"after": catalog_snapshot("functions", functions)})


def own_rows(using: str) -> Evidence:
    policy = {"mode": "permissive", "command": "SELECT", "roles": ["PUBLIC"], "using": using,
              "with_check": None}  # fmt: skip
    found = {"public.orders.own_rows": policy}
    return evidence(snapshots={"after": catalog_snapshot("policies", found)})


CHECK_DEF = "CHECK ((qty > 0))"
CALL = "insert into orders (qty) values (-1)"
REFUSE = "select fn_refuse()"
SET_ROLE, GUARD = "set local role app", "select fn_guard(null)"
CLAIM = "select fn_claim()"
ZERO = "select count(*) from orders where qty < 0"
TEXT = "select value from gate_config where key = 'w'"
TIMEOUT = error("57014", "canceling statement due to statement timeout")
IN_FUNCTION = "PL/pgSQL function fn_guard(text) line 3 at RAISE"


CASES = [
    # --- extension_added: any extension (true), or one by name --------------------------------
    case("ext-nothing-added", "f-ext-any", lambda: evidence(), PASS,
         "nothing of the kind happened"),
    case("ext-added", "f-ext-any",
         lambda: evidence([added("extensions", "pgcrypto", version="1.3")]),
         FAIL, "f-ext-any: an extension was added",
         evidence=("extension pgcrypto: added (version 1.3)",)),
    case("ext-removed-is-no-addition", "f-ext-any",
         lambda: evidence([removed("extensions", "pgcrypto", version="1.3")]), PASS),
    case("ext-member-is-no-extension", "f-ext-any",
         lambda: evidence([added("functions", "public.gen_random_uuid()", "extension_members",
                                 extension="pgcrypto")]), PASS),
    case("ext-named-added", "f-ext-named",
         lambda: evidence([added("extensions", "pg_cron", version="1.6")]), FAIL,
         "an extension was added", evidence=("extension pg_cron: added (version 1.6)",)),
    case("ext-named-almost-matches", "f-ext-named",
         lambda: evidence([added("extensions", "pg_cron_ext", version="1.0")]), PASS),
    case("ext-unreadable", "f-ext-any",
         lambda: evidence(unreadable=unreadable("after", "extensions", "permission denied")),
         BROKEN, "not everything it compares could be read",
         "extensions could not be read in the after snapshot: permission denied"),
    case("ext-other-kind-unreadable", "f-ext-any",
         lambda: evidence(unreadable=unreadable("before", "functions")), PASS),
    # --- gate_flipped: the value of one config key ---------------------------------------------
    case("gate-stays", "f-gate", lambda: gate({GATE: "false"}, {GATE: "false"}), PASS,
         'gate queue.worker.enabled stays "false"'),
    case("gate-flipped", "f-gate", lambda: gate({GATE: "false"}, {GATE: "true"}), FAIL,
         'f-gate: gate queue.worker.enabled: "false" → "true"',
         evidence=('gate queue.worker.enabled: "false" → "true"',)),
    case("gate-case-changed", "f-gate", lambda: gate({GATE: "false"}, {GATE: "False"}), FAIL,
         '"false" → "False"'),
    case("gate-null-to-empty", "f-gate", lambda: gate({GATE: None}, {GATE: ""}), FAIL,
         'null → ""'),
    case("gate-row-deleted", "f-gate", lambda: gate({GATE: "false"}, {}), FAIL,
         'removed (value "false")'),
    case("gate-other-key-flipped", "f-gate",
         lambda: gate({GATE: "false", "demo.x": "1"}, {GATE: "false", "demo.x": "2"}), PASS,
         'stays "false"'),
    case("gate-exists-nowhere", "f-gate", lambda: gate({"demo.x": "1"}, {"demo.x": "1"}), BROKEN,
         "gate queue.worker.enabled exists neither before nor after"),
    case("gate-not-captured-after", "f-gate",
         lambda: evidence(before={config(): [[GATE, "false"]]}), BROKEN,
         "the after snapshot has no value for this probe", "clausegate snapshot --spec"),
    case("gate-query-failed", "f-gate",
         lambda: evidence(query_errors={config(): "42501: permission denied for gate_config"}),
         BROKEN, "the query failed on the before state: 42501"),
    # --- rows_touched: ledger, update and delete forbidden (insert allowed) ---------------------
    case("rows-untouched", "f-rows", lambda: ledger({"1": "a", "2": "b"}, {"1": "a", "2": "b"}),
         PASS, "no forbidden row change in public.ledger",
         evidence=("rows before 2, after 2: 0 insert, 0 update, 0 delete",)),
    case("rows-insert-allowed", "f-rows",
         lambda: ledger({"1": "a"}, {"1": "a", "2": "b"}), PASS,
         evidence=("rows before 1, after 2: 1 insert, 0 update, 0 delete",)),
    case("rows-updated", "f-rows", lambda: ledger({"1": "a", "2": "b"}, {"1": "a", "2": "c"}),
         FAIL, "1 forbidden row change(s) in public.ledger",
         evidence=("row public.ledger[2] updated in place",)),
    case("rows-deleted-and-inserted", "f-rows", lambda: ledger({"1": "a"}, {"2": "a"}), FAIL,
         "1 forbidden row change(s)", evidence=("row public.ledger[1] deleted",)),
    case("rows-key-unknown", "f-rows", lambda: evidence(), BROKEN,
         "the table's row key could not be determined"),
    case("rows-not-captured-after", "f-rows", lambda: ledger({"1": "a"}, None), BROKEN,
         "the after snapshot has no value for this probe"),
    case("rows-query-failed", "f-rows",
         lambda: ledger({}, {}, query_errors={ROWS: "57014: canceling statement"}), BROKEN,
         "the query failed on the before state: 57014"),
    # --- schema_changed: orders (→ public.orders) ---------------------------------------------
    case("schema-column-changed", "f-schema",
         lambda: evidence([modified("columns", "public.orders.qty", {"type": "integer"},
                                    {"type": "bigint"})]),
         FAIL, "the schema of public.orders changed",
         evidence=("column public.orders.qty: type: integer → bigint",)),
    case("schema-index-named-apart", "f-schema",
         lambda: evidence([added("indexes", "public.qty_idx", table="public.orders",
                                 definition="CREATE INDEX qty_idx ON public.orders (qty)")]),
         FAIL, evidence=("index public.qty_idx: added (CREATE INDEX qty_idx",)),
    case("schema-privilege-granted", "f-schema",
         lambda: evidence([modified("tables", "public.orders", {"owner": "o", "privileges": []},
                                    {"owner": "o", "privileges": ["=r/o"]})]),
         FAIL, evidence=("table public.orders: privileges: granted SELECT to PUBLIC",)),
    case("schema-prefix-table-is-another", "f-schema",
         lambda: evidence([added("columns", "public.orders_archive.qty"),
                           added("tables", "audit.orders")]), PASS),
    case("schema-rows-are-no-schema", "f-schema",
         lambda: evidence([rows_hashed("public.orders", {"sha256": "a", "rows": 1},
                                       {"sha256": "b", "rows": 2})]), PASS),
    case("schema-constraints-unreadable", "f-schema",
         lambda: evidence(unreadable=unreadable("before", "constraints")), BROKEN,
         "constraints could not be read in the before snapshot: " + DENIED),
    case("schema-sessions-unreadable-irrelevant", "f-schema",
         lambda: evidence(unreadable=unreadable("after", "sessions")), PASS),
    # --- check_changed: public.orders ---------------------------------------------------------
    case("check-widened", "f-check",
         lambda: evidence([modified("constraints", "public.orders.orders_qty_check",
                                    {"definition": CHECK_DEF},
                                    {"definition": "CHECK ((qty >= 0))"})]),
         FAIL, "a CHECK constraint of public.orders changed",
         evidence=("constraint public.orders.orders_qty_check: CHECK ((qty > 0)) → "
                   "CHECK ((qty >= 0))",)),
    case("check-dropped", "f-check",
         lambda: evidence([removed("constraints", "public.orders.orders_qty_check",
                                   definition=CHECK_DEF)]),
         FAIL,
         evidence=("constraint public.orders.orders_qty_check: removed (CHECK ((qty > 0)))",)),
    case("check-no-longer-validated", "f-check",
         lambda: evidence([modified("constraints", "public.orders.orders_qty_check",
                                    {"definition": CHECK_DEF, "validated": True},
                                    {"definition": CHECK_DEF + " NOT VALID", "validated": False})]),
         FAIL, evidence=("validated: true → false",)),
    case("check-unique-is-no-check", "f-check",
         lambda: evidence([added("constraints", "public.orders.orders_code_key",
                                 definition="UNIQUE (code)")]), PASS),
    case("check-of-another-table", "f-check",
         lambda: evidence([removed("constraints", "public.orders_archive.c",
                                   definition=CHECK_DEF)]), PASS),
    case("check-constraints-unreadable", "f-check",
         lambda: evidence(unreadable=unreadable("after", "constraints")), BROKEN,
         "constraints could not be read in the after snapshot"),
    # --- function_changed: public.fn_iu_op_* ---------------------------------------------------
    case("fn-body-changed", "f-fn",
         lambda: evidence([modified("functions", "public.fn_iu_op_claim(integer)",
                                    fn("f", body="a", body_md5="9b3c6928aa"),
                                    fn("f", body="b", body_md5="7614ceafbb"))]),
         FAIL, "a function matching public.fn_iu_op_* changed",
         evidence=("function public.fn_iu_op_claim(integer): body changed (1 line removed, "
                   "1 added)\n    @@ -1 +1 @@\n    -a\n    +b",)),
    case("fn-security-dropped", "f-fn",
         lambda: evidence([modified("functions", "public.fn_iu_op_claim(integer)",
                                    fn("f", security="definer"), fn("f"))]),
         FAIL, evidence=("SECURITY DEFINER → INVOKER",)),
    case("fn-dropped", "f-fn",
         lambda: evidence([removed("functions", "public.fn_iu_op_claim(integer)", **fn("f"))]),
         FAIL, evidence=("function public.fn_iu_op_claim(integer): removed",)),
    case("fn-almost-matching-names", "f-fn",
         lambda: evidence([removed("functions", "public.fn_iu_opclaim(integer)", **fn("f")),
                           removed("functions", "audit.fn_iu_op_claim(integer)", **fn("f"))]),
         PASS),
    case("fn-unreadable", "f-fn", lambda: evidence(unreadable=unreadable("after", "functions")),
         BROKEN, "functions could not be read in the after snapshot"),
    # --- statement_used: the migration's text read as statements ------------------------------
    case("statement-notify", "f-statements", lambda: text("BEGIN;\nNOTIFY c;\nCOMMIT;"), FAIL,
         "the migration uses a forbidden kind of statement",
         evidence=("line 2: notify: NOTIFY c",)),
    case("statement-hidden-in-a-function", "f-statements",
         lambda: text("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n"
                      "  COPY (SELECT 1) TO PROGRAM 'id';\nEND $$;\nSELECT f();"), FAIL,
         evidence=("line 3: copy_program (function f): COPY (SELECT 1) TO PROGRAM 'id'",)),
    case("statement-foreign-write", "f-statements",
         lambda: text("UPDATE accounts SET x = 1;", foreign_tables=frozenset({"remote.accounts"})),
         FAIL, evidence=("line 1: foreign_write: UPDATE accounts SET x = 1",)),
    case("statement-foreign-unknown", "f-statements",
         lambda: text("SELECT 1;", foreign_tables=None), BROKEN,
         "which relations are foreign tables is not known"),
    case("statement-none", "f-statements",
         lambda: text("CREATE TABLE t (id int);\nSELECT pg_ls_dir('.');"), PASS,
         "none of 2 statement(s) is of a forbidden kind"),
    case("statement-not-parsed", "f-statements", lambda: text("SELECT 1;\nSELECT (;"), BROKEN,
         "migration.sql:2: cannot parse: syntax error"),
    case("statement-no-text", "f-statements",
         lambda: evidence(no_migration="verify was given no migration file; pass …"), BROKEN,
         "the migration's text was not read: verify was given no migration file"),
    case("statement-dynamic", "f-statements",
         lambda: text("DO $$\nDECLARE q text := 'NOTIFY c';\nBEGIN\n  EXECUTE q;\nEND $$;"),
         BROKEN, "not verifiable from the text: dynamic EXECUTE at line 4"),
    case("statement-dynamic-forbidden", "f-dynamic",
         lambda: text("DO $$\nDECLARE q text := 'NOTIFY c';\nBEGIN\n  EXECUTE q;\nEND $$;"),
         FAIL, evidence=("line 4: dynamic_execute (DO block at line 1): q",)),
    case("statement-other-language", "f-dynamic",
         lambda: text("CREATE FUNCTION f() RETURNS int LANGUAGE plperlu AS 'system(1)';"),
         BROKEN, "not verifiable from the text: a body in language plperlu at line 1"),
    # --- function_called: lo_*, pg_catalog.pg_read_file; dblink* ---------------------------
    case("call-lo-export", "f-call",
         lambda: text("SELECT 1;\nSELECT pg_catalog.lo_export(1, 'x');"),
         FAIL, "the migration calls a forbidden function",
         evidence=("line 2: calls pg_catalog.lo_export: SELECT pg_catalog.lo_export(1, 'x')",)),
    case("call-read-file-qualified-pattern", "f-call",
         lambda: text("DO $$ BEGIN PERFORM pg_catalog.pg_read_file('x'); END $$;"), FAIL,
         evidence=("calls pg_catalog.pg_read_file",)),
    case("call-read-file-unqualified", "f-call",
         lambda: text("SELECT pg_read_file('x');"), PASS,
         "no call of a function matching lo_*, pg_catalog.pg_read_file"),
    case("call-dblink", "f-call-one",
         lambda: text("SELECT dblink_exec('c', 'DROP TABLE t');"), FAIL,
         evidence=("calls dblink_exec",)),
    case("call-dynamic", "f-call-one",
         lambda: text("DO $$ DECLARE q text; BEGIN EXECUTE q; END $$;"), BROKEN,
         "not verifiable from the text: dynamic EXECUTE at line 1"),
    case("call-no-text", "f-call-one", lambda: evidence(), BROKEN,
         "the migration's text was not read"),
    # --- object_created: a trigger on public.event_outbox; an event trigger --------------------
    case("trigger-created", "f-trigger",
         lambda: evidence([added("triggers", "public.event_outbox.tg_notify")]), FAIL,
         "a forbidden object was created",
         evidence=("trigger public.event_outbox.tg_notify: added",)),
    case("trigger-only-modified", "f-trigger",
         lambda: evidence([modified("triggers", "public.event_outbox.tg", {"enabled": "enabled"},
                                    {"enabled": "disabled"})]), PASS),
    case("trigger-on-a-prefix-table", "f-trigger",
         lambda: evidence([added("triggers", "public.event_outbox_archive.tg")]), PASS),
    case("trigger-pattern-other-kind", "f-trigger",
         lambda: evidence([added("constraints", "public.event_outbox.c")]), PASS),
    case("trigger-unreadable", "f-trigger",
         lambda: evidence(unreadable=unreadable("before", "triggers")), BROKEN,
         "triggers could not be read in the before snapshot"),
    case("trigger-functions-unreadable-irrelevant", "f-trigger",
         lambda: evidence(unreadable=unreadable("before", "functions")), PASS),
    case("event-trigger-created", "f-evt",
         lambda: evidence([added("event_triggers", "no_drops")]), FAIL,
         evidence=("event trigger no_drops: added",)),
    # --- worker_started -----------------------------------------------------------------------
    case("worker-cron-job", "f-worker",
         lambda: evidence([added("cron_jobs", "1", "nontransactional", schedule="* * * * *")]),
         FAIL, "a worker, job or server setting appeared",
         evidence=("cron job 1: added (* * * * *)",)),
    case("worker-alter-system", "f-worker",
         lambda: evidence([added("alter_system", "work_mem", "nontransactional", setting="7MB")]),
         FAIL, evidence=("ALTER SYSTEM setting work_mem: added (7MB)",)),
    case("worker-process", "f-worker",
         lambda: evidence([added("process", "sh -c sleep (pid 42)", "cluster", pid=42)]), FAIL,
         evidence=("process sh -c sleep (pid 42): added",)),
    case("worker-slot", "f-worker",
         lambda: evidence([added("replication_slots", "s", "cluster", type="physical")]), FAIL,
         evidence=("replication slot s: added (physical)",)),
    case("worker-sequence-is-no-worker", "f-worker",
         lambda: evidence([sequence("public.t_id_seq", {"last_value": 1}, {"last_value": 2})]),
         PASS),
    case("worker-session-gone", "f-worker",
         lambda: evidence([removed("sessions", "listener", "nontransactional", count=1)]), PASS),
    case("worker-cron-unreadable", "f-worker",
         lambda: evidence(unreadable=unreadable("before", "cron_jobs", "pg_cron not readable")),
         BROKEN, "cron_jobs could not be read in the before snapshot: pg_cron not readable"),
    # --- expected_changes: fn_guard added; the demo.phase config row, any action ---------------
    case("expected-happened", "e-guard",
         lambda: evidence([added("functions", "public.fn_guard(text)", **fn("f"))]), PASS,
         "1 matching change(s)", evidence=("function public.fn_guard(text): added",)),
    case("expected-modified-not-added", "e-guard",
         lambda: evidence([modified("functions", "public.fn_guard(text)", fn("f"),
                                    fn("f", security="definer"))]), FAIL,
         "the expected change did not happen (added function public.fn_guard(*)",
         evidence=("expected: added function public.fn_guard(*", "seen: no matching change")),
    case("expected-identity-almost-matches", "e-guard",
         lambda: evidence([added("functions", "public.fn_guard_old(text)", **fn("f"))]), FAIL,
         "the expected change did not happen"),
    case("expected-row-any-action", "e-phase",
         lambda: evidence([row("demo.phase", None, "two", "added")]), PASS,
         evidence=('row public.gate_config.demo.phase: added (value "two")',)),
    case("expected-unseen-and-unreadable", "e-guard",
         lambda: evidence(unreadable=unreadable("after", "functions")), BROKEN,
         "functions could not be read in the after snapshot"),
    case("expected-row-config-unreadable", "e-phase",
         lambda: evidence(unreadable=unreadable("before", "config rows", "42501")), BROKEN,
         "config rows could not be read in the before snapshot: 42501"),
    case("expected-seen-though-partly-unreadable", "e-guard",
         lambda: evidence([added("functions", "public.fn_guard(text)", **fn("f"))],
                          unreadable=unreadable("after", "functions")), PASS),
    # --- expected_changes with attributes: the object after, exactly as stated ----------------
    case("attributes-as-stated", "e-guard-attributes",
         lambda: evidence([added("functions", "public.fn_guard(text)",
                                 **fn("f", config=[], privileges=["alice=X/alice"]))]),
         PASS, "2 matching change(s)",
         evidence=("function public.fn_guard(text): added",
                   "attributes as stated: security, config, grants")),
    case("attributes-made-definer", "e-guard-attributes",
         lambda: evidence([added("functions", "public.fn_guard(text)", **fn(
             "f", security="definer", config=[], privileges=["alice=X/alice"]))]),
         FAIL, 'function public.fn_guard(text): security is "definer", the spec says "invoker"'),
    case("attributes-public-may-execute", "e-guard-attributes",
         lambda: evidence([added("functions", "public.fn_guard(text)", **fn(
             "f", config=[], privileges=["=X/alice", "alice=X/alice"]))]),
         FAIL, 'grants is {"PUBLIC": ["EXECUTE"], "alice": ["EXECUTE"]}, the spec says '
               '{"alice": ["EXECUTE"]}'),
    case("attributes-grant-option-is-another-grant", "e-guard-attributes",
         lambda: evidence([added("functions", "public.fn_guard(text)", **fn(
             "f", config=[], privileges=["alice=X*/alice"]))]),
         FAIL, '["EXECUTE WITH GRANT OPTION"]'),
    case("attributes-search-path-set", "e-guard-attributes",
         lambda: evidence([added("functions", "public.fn_guard(text)", **fn(
             "f", config=["search_path=public"], privileges=["alice=X/alice"]))]),
         FAIL, 'config is ["search_path=public"], the spec says []'),
    case("attributes-table-columns", "e-ledger-attributes",
         lambda: evidence([added("tables", "public.ledger", owner="alice", row_security=True)],
                          snapshots={"after": columns_snapshot(("id", "bigint"),
                                                               ("amount", "numeric"))}),
         PASS),
    case("attributes-table-columns-reordered", "e-ledger-attributes",
         lambda: evidence([added("tables", "public.ledger", owner="alice", row_security=True)],
                          snapshots={"after": columns_snapshot(("amount", "numeric"),
                                                               ("id", "bigint"))}),
         FAIL, 'columns is [["amount", "numeric"], ["id", "bigint"]]'),
    case("attributes-row-security-off", "e-ledger-attributes",
         lambda: evidence([added("tables", "public.ledger", owner="alice", row_security=False)],
                          snapshots={"after": columns_snapshot(("id", "bigint"),
                                                               ("amount", "numeric"))}),
         FAIL, "row_security is false, the spec says true"),
    case("attributes-columns-unreadable", "e-ledger-attributes",
         lambda: evidence([added("tables", "public.ledger", owner="alice", row_security=True)],
                          snapshots={"after": columns_snapshot(readable=False)}),
         BROKEN, "its attributes cannot be compared: columns could not be read"),
    # --- ratified_body: the body after, token by token against the one ratified -------------
    case("ratified-as-reviewed", "f-ratified", lambda: guard_body(GUARD_BODY), PASS,
         "has the ratified body"),
    case("ratified-relaid", "f-ratified",
         lambda: guard_body(GUARD_BODY.replace("\n  ", "\n    -- reviewed\n    ")), PASS,
         "has the ratified body (its layout differs)"),
    case("ratified-backdoor-actor", "f-ratified",
         lambda: guard_body(GUARD_BODY.replace("btrim(p_actor) = ''",
                                               "btrim(p_actor) = '' OR p_actor = 'hermes'")),
         FAIL, "the body of function public.fn_guard(text) is not the one ratified",
         evidence=("-  IF p_actor IS NULL OR btrim(p_actor) = '' THEN",
                   "+  IF p_actor IS NULL OR btrim(p_actor) = '' OR p_actor = 'hermes' THEN")),
    case("ratified-gone", "f-ratified",
         lambda: evidence(snapshots={"after": catalog_snapshot("functions", {})}), FAIL,
         "function public.fn_guard(text) does not exist after the migration"),
    case("ratified-functions-unreadable", "f-ratified",
         lambda: evidence(unreadable=unreadable("after", "functions")), BROKEN,
         "could not be read in the after snapshot"),
    case("ratified-no-after-snapshot", "f-ratified", lambda: evidence(), BROKEN,
         "the after snapshot was not kept"),
    case("ratified-hash-as-reviewed", "f-ratified-hash",
         lambda: own_rows("(owner = CURRENT_USER)"), PASS, "has the ratified body"),
    case("ratified-hash-widened", "f-ratified-hash", lambda: own_rows("true"), FAIL,
         "its sha256 is", evidence=("USING (true)",)),
    # --- refusals: an error by SQLSTATE and constraint; by message; a returned value ----------
    case("refusal-refused", "r-check",
         lambda: evidence(runs={"r-check": ran(raised(CALL, error(
             "23514", "new row violates check constraint", "orders_qty_check")))}),
         PASS, "refused as expected",
         evidence=(f"{CALL} → ERROR 23514, constraint orders_qty_check: new row violates",)),
    case("refusal-wrong-sqlstate", "r-check",
         lambda: evidence(runs={"r-check": ran(raised(CALL, error(
             "23505", "duplicate key", "orders_qty_check")))}),
         FAIL, "r-check: SQLSTATE 23505, expected 23514"),
    case("refusal-wrong-constraint", "r-check",
         lambda: evidence(runs={"r-check": ran(raised(CALL, error(
             "23514", "violates", "orders_other_check")))}),
         FAIL, "constraint orders_other_check, expected orders_qty_check"),
    case("refusal-not-refused", "r-check",
         lambda: evidence(runs={"r-check": ran(value(CALL, None))}), FAIL,
         "expected an error, but it returned null"),
    case("refusal-timed-out", "r-check",
         lambda: evidence(runs={"r-check": ran(raised(CALL, TIMEOUT))}), BROKEN,
         "the statement could not be evaluated: ERROR 57014: canceling statement due to "
         "statement timeout (refusal at spec line"),
    case("refusal-lock-time-out-names-holder", "r-check",
         lambda: evidence(runs={"r-check": ran(raised(CALL, error(
             "55P03", "lock timeout", relation="locked elsewhere: public.orders (RowExclusiveLock "
             "held by pid 7)")))}),
         BROKEN, "could not be evaluated on locked elsewhere: public.orders"),
    case("refusal-connection-lost", "r-check",
         lambda: evidence(runs={"r-check": ran(raised(CALL, error("08006", "gone")))}), BROKEN,
         "could not be evaluated"),
    case("refusal-connecting-role-lacks-grant", "r-check",
         lambda: evidence(runs={"r-check": ran(raised(CALL, error(
             "42501", "permission denied for table orders")))}),
         BROKEN, "the role clausegate connects as lacks a privilege this refusal needs: "
         "ERROR 42501"),
    case("refusal-42501-from-inside-a-function", "r-check",
         lambda: evidence(runs={"r-check": ran(raised(CALL, error(
             "42501", "not allowed", context=IN_FUNCTION)))}),
         FAIL, "SQLSTATE 42501, expected 23514"),
    case("refusal-not-run", "r-check", lambda: evidence(), BROKEN, "the refusal was not run"),
    case("refusal-message-matches", "r-message",
         lambda: evidence(runs={"r-message": ran(raised(REFUSE, error(
             "P0001", "actor required for this call")))}), PASS),
    case("refusal-message-case-differs", "r-message",
         lambda: evidence(runs={"r-message": ran(raised(REFUSE, error(
             "P0001", "Actor required")))}),
         FAIL, "message 'Actor required' does not match /^actor required/"),
    case("refusal-message-matching-time-out", "r-message",
         lambda: evidence(runs={"r-message": ran(raised(REFUSE, error(
             "57014", "actor required? canceling statement due to statement timeout")))}),
         BROKEN, "could not be evaluated: ERROR 57014"),
    case("refusal-value-as-expected", "r-value",
         lambda: evidence(runs={"r-value": ran(
             value(SET_ROLE, None),
             value(GUARD, {"refused": True, "reason": "actor_required"}))}),
         PASS, "refused as expected",
         evidence=(f'{GUARD} → {{"reason": "actor_required", "refused": true}}',)),
    case("refusal-value-not-refused", "r-value",
         lambda: evidence(runs={"r-value": ran(value(SET_ROLE, None),
                                               value(GUARD, {"refused": False}))}),
         FAIL, 'expected contains {"refused": true}, seen {"refused": false}'),
    case("refusal-value-1-is-not-true", "r-value",
         lambda: evidence(runs={"r-value": ran(value(SET_ROLE, None),
                                               value(GUARD, {"refused": 1}))}),
         FAIL, 'seen {"refused": 1}'),
    case("refusal-value-call-raised", "r-value",
         lambda: evidence(runs={"r-value": ran(value(SET_ROLE, None), aborted=raised(
             GUARD, error("P0001", "boom")))}),
         FAIL, "a statement failed: ERROR P0001: boom"),
    case("refusal-as-lesser-role-42501-is-a-finding", "r-value",
         lambda: evidence(runs={"r-value": ran(value(SET_ROLE, None), aborted=raised(
             GUARD, error("42501", "permission denied for function fn_guard")))}),
         FAIL, "a statement failed: ERROR 42501"),
    case("refusal-setup-syntax-error", "r-value",
         lambda: evidence(runs={"r-value": ran(aborted=raised(
             SET_ROLE, error("42601", "syntax error at or near \"rol\"")))}),
         BROKEN, "the SQL could not be evaluated: ERROR 42601", "(refusal at spec line"),
    # --- proofs: a claim, then a second claim refused -----------------------------------------
    case("proof-holds", "p-two",
         lambda: evidence(runs={"p-two": ran(value(CLAIM, 1), raised(CLAIM, error(
             "23505", "duplicate key", "claims_pkey")))}),
         PASS, "2 step(s) as expected",
         evidence=("step 1 (one row claimed) → 1",
                   "step 2 (the second claim is refused) → ERROR 23505, constraint claims_pkey")),
    case("proof-value-where-an-error-was-expected", "p-two",
         lambda: evidence(runs={"p-two": ran(value(CLAIM, 1), value(CLAIM, 1))}), FAIL,
         "step 2 (the second claim is refused): expected an error, but it returned 1"),
    case("proof-first-step-wrong", "p-two",
         lambda: evidence(runs={"p-two": ran(value(CLAIM, 0), raised(CLAIM, error("23505")))}),
         FAIL, "step 1 (one row claimed): expected 1, seen 0"),
    case("proof-true-is-not-1", "p-two",
         lambda: evidence(runs={"p-two": ran(value(CLAIM, True), raised(CLAIM, error("23505")))}),
         FAIL, "expected 1, seen true"),
    case("proof-lock-time-out-in-expected-error", "p-two",
         lambda: evidence(runs={"p-two": ran(value(CLAIM, 1), raised(CLAIM, error(
             "55P03", "lock timeout")))}),
         BROKEN, "the statement could not be evaluated: ERROR 55P03", "(proof at spec line"),
    case("proof-server-gone", "p-two",
         lambda: evidence(runs={"p-two": ran(aborted=raised(CLAIM, error(
             "57P01", "terminating connection due to administrator command")))}),
         BROKEN, "the SQL could not be evaluated: ERROR 57P01"),
    case("proof-step-raised", "p-two",
         lambda: evidence(runs={"p-two": ran(aborted=raised(CLAIM, error("P0001", "no job")))}),
         FAIL, "a statement failed: ERROR P0001: no job"),
    case("proof-not-run", "p-two", lambda: evidence(), BROKEN, "the proof was not run"),
    # --- invariants: a count that must be 0; a text that must be '' ---------------------------
    case("invariant-holds", "i-zero", lambda: evidence(runs={"i-zero": ran(value(ZERO, 0))}),
         PASS, "i-zero: 0"),
    case("invariant-broken-by-rows", "i-zero",
         lambda: evidence(runs={"i-zero": ran(value(ZERO, 3))}), FAIL, "expected 0, seen 3",
         evidence=(f"{ZERO} → 3",)),
    case("invariant-null-is-not-0", "i-zero",
         lambda: evidence(runs={"i-zero": ran(value(ZERO, None))}), FAIL, "expected 0, seen null"),
    case("invariant-false-is-not-0", "i-zero",
         lambda: evidence(runs={"i-zero": ran(value(ZERO, False))}), FAIL,
         "expected 0, seen false"),
    case("invariant-empty-text", "i-text", lambda: evidence(runs={"i-text": ran(value(TEXT, ""))}),
         PASS),
    case("invariant-null-is-not-empty-text", "i-text",
         lambda: evidence(runs={"i-text": ran(value(TEXT, None))}), FAIL,
         'expected "", seen null'),
    case("invariant-writes-in-read-only", "i-zero",
         lambda: evidence(runs={"i-zero": ran(aborted=raised(ZERO, error(
             "25006", "cannot execute UPDATE in a read-only transaction")))}),
         FAIL, "a statement failed: ERROR 25006"),
    case("invariant-42501-inside-function", "i-zero",
         lambda: evidence(runs={"i-zero": ran(aborted=raised(ZERO, error(
             "42501", "permission denied for table secrets", context=IN_FUNCTION)))}),
         FAIL, "raised inside a function", evidence=(f"context: {IN_FUNCTION}",)),
    case("invariant-connecting-role-lacks-grant", "i-zero",
         lambda: evidence(runs={"i-zero": ran(aborted=raised(ZERO, error(
             "42501", "permission denied for table orders")))}),
         BROKEN, "lacks a privilege this invariant needs"),
    case("invariant-timed-out", "i-zero",
         lambda: evidence(runs={"i-zero": ran(aborted=raised(ZERO, TIMEOUT))}), BROKEN,
         "the SQL could not be evaluated: ERROR 57014", "(invariant at spec line"),
    case("invariant-not-run", "i-zero", lambda: evidence(), BROKEN, "the invariant was not run"),
    # --- count: tables, delta 0 ---------------------------------------------------------------
    case("count-same", "reg-count", lambda: metric_values("reg-count", [[3]], [[3]]), PASS,
         "before 3, after 3, Δ +0"),
    case("count-grew", "reg-count", lambda: metric_values("reg-count", [[3]], [[4]]), FAIL,
         "reg-count: delta: expected 0, seen 1", evidence=("before 3, after 4, Δ +1",)),
    case("count-no-row-before", "reg-count", lambda: metric_values("reg-count", [], [[3]]), FAIL,
         "Δ: cannot be computed from null and 3"),
    case("count-not-captured-before", "reg-count",
         lambda: evidence(after={metric("reg-count"): [[3]]},
                          before_source="the before file before.json"),
         BROKEN, "the before file before.json has no value for this probe"),
    case("count-query-failed", "reg-count",
         lambda: evidence(query_errors={metric("reg-count"): "57014: canceling statement"}),
         BROKEN, "the query failed on the before state: 57014"),
    # --- checks_of: public.orders, after at least 2 -------------------------------------------
    case("checks-of-at-the-bound", "reg-checks", lambda: metric_values("reg-checks", [[2]], [[2]]),
         PASS),
    case("checks-of-one-dropped", "reg-checks",
         lambda: metric_values("reg-checks", [[2]], [[1]]), FAIL,
         "after: expected at least 2, seen 1"),
    case("checks-of-text-is-no-number", "reg-checks",
         lambda: metric_values("reg-checks", [["2"]], [["2"]]), FAIL,
         'after: expected at least 2, seen "2"'),
    case("checks-of-not-captured-after", "reg-checks",
         lambda: evidence(before={metric("reg-checks"): [[2]]}), BROKEN,
         "the after snapshot has no value for this probe"),
    # --- extensions: the set {plpgsql, pgcrypto} ----------------------------------------------
    case("extensions-any-order", "reg-ext",
         lambda: metric_values("reg-ext", [[["plpgsql"]]], [[["pgcrypto", "plpgsql"]]]), PASS,
         'before ["plpgsql"], after ["pgcrypto", "plpgsql"]'),
    case("extensions-one-more", "reg-ext",
         lambda: metric_values("reg-ext", [[["plpgsql"]]], [[["pg_cron", "pgcrypto", "plpgsql"]]]),
         FAIL, 'after: expected the set ["plpgsql", "pgcrypto"] (any order), '
         'seen ["pg_cron", "pgcrypto", "plpgsql"]'),
    case("extensions-query-failed", "reg-ext",
         lambda: evidence(query_errors={metric("reg-ext"): "42501: no"}), BROKEN,
         "the query failed"),
    # --- rows: ledger before 50, delta between 0 and 1 ----------------------------------------
    case("rows-one-added", "reg-rows", lambda: metric_values("reg-rows", [[50]], [[51]]), PASS,
         "before 50, after 51, Δ +1"),
    case("rows-two-added", "reg-rows", lambda: metric_values("reg-rows", [[50]], [[52]]), FAIL,
         "delta: expected between 0 and 1, seen 2"),
    case("rows-set-back", "reg-rows", lambda: metric_values("reg-rows", [[50]], [[49]]), FAIL,
         "delta: expected between 0 and 1, seen -1"),
    case("rows-wrong-before-and-delta", "reg-rows",
         lambda: metric_values("reg-rows", [[49]], [[52]]), FAIL, "before: expected 50, seen 49",
         evidence=("before: expected 50, seen 49", "delta: expected between 0 and 1, seen 3")),
    case("rows-tolerance-is-listed", "reg-rows-tolerant",
         lambda: metric_values("reg-rows-tolerant", [[10]], [[12]]), PASS,
         evidence=("tolerance applied: background inserts by other actors",)),
    case("rows-tolerance-does-not-excuse", "reg-rows-tolerant",
         lambda: metric_values("reg-rows-tolerant", [[10]], [[9]]), FAIL,
         "delta: expected at least 0, seen -1",
         evidence=("tolerance applied: background inserts by other actors",)),
    case("rows-not-captured", "reg-rows", lambda: evidence(), BROKEN,
         "the before snapshot has no value for this probe"),
    # --- sql: any value; text before/after; a delta of text -----------------------------------
    case("sql-as-expected", "reg-sql", lambda: metric_values("reg-sql", [["one"]], [["two"]]),
         PASS, 'before "one", after "two"'),
    case("sql-other-value", "reg-sql", lambda: metric_values("reg-sql", [["one"]], [["three"]]),
         FAIL, 'after: expected "two", seen "three"'),
    case("sql-empty-is-not-the-value", "reg-sql",
         lambda: metric_values("reg-sql", [["one"]], [[""]]), FAIL,
         'after: expected "two", seen ""'),
    case("sql-delta-of-text", "reg-sql-delta",
         lambda: metric_values("reg-sql-delta", [["a"]], [["a"]]), FAIL,
         'Δ: cannot be computed from "a" and "a"'),
    case("sql-delta-of-booleans", "reg-sql-delta",
         lambda: metric_values("reg-sql-delta", [[True]], [[True]]), FAIL,
         "Δ: cannot be computed from true and true"),
    case("sql-query-failed-after", "reg-sql",
         lambda: evidence(before={metric("reg-sql"): [["one"]]},
                          query_errors={metric("reg-sql"): "42P01: relation state does not exist"}),
         BROKEN, "the query failed on the before state: 42P01"),
    # --- closed world -------------------------------------------------------------------------
    case("closed-nothing-changed", "closed-world", lambda: evidence(), PASS,
         "every one of the 0 change(s) is declared"),
    case("closed-all-declared", "closed-world",
         lambda: evidence([added("functions", "public.fn_guard(text)", **fn("f")),
                           row("demo.phase", "one", "two")]),
         PASS, "every one of the 2 change(s) is declared"),
    case("closed-undeclared", "closed-world",
         lambda: evidence([added("functions", "public.fn_guard(text)", **fn("f")),
                           added("columns", "public.orders.note")]),
         FAIL, "1 change(s) not declared under expected_changes",
         evidence=("column public.orders.note: added",)),
    case("closed-declared-action-differs", "closed-world",
         lambda: evidence([removed("functions", "public.fn_guard(text)", **fn("f"))]), FAIL,
         evidence=("function public.fn_guard(text): removed",)),
    case("closed-rows-counted-by-regression", "closed-world",
         lambda: evidence([rows_hashed("public.ledger", {"sha256": "aa", "rows": 50},
                                       {"sha256": "bb", "rows": 51})]), PASS),
    case("closed-rows-changed-in-place", "closed-world",
         lambda: evidence([rows_hashed("public.ledger", {"sha256": "aa", "rows": 50},
                                       {"sha256": "bb", "rows": 50})]),
         FAIL, evidence=("table public.ledger: row content changed (hash aa → bb; rows 50 → 50)",)),
    case("closed-tolerant-count-covers-nothing-in-a-gate", "closed-world",
         lambda: evidence([rows_hashed("public.outbox", {"sha256": "aa", "rows": 10},
                                       {"sha256": "bb", "rows": 11})]),
         FAIL, evidence=("table public.outbox: row content changed",)),
    case("closed-tolerant-count-covers-background-traffic", "closed-world",
         lambda: evidence([rows_hashed("public.outbox", {"sha256": "aa", "rows": 10},
                                       {"sha256": "bb", "rows": 11})], background_traffic=True),
         PASS),
    case("closed-sequence-tolerated", "closed-world",
         lambda: evidence([sequence("public.outbox_id_seq", {"last_value": 10, "is_called": True},
                                    {"last_value": 12, "is_called": True})],
                          tolerated={"public.outbox_id_seq": "outbox inserts"}),
         PASS, "(1 tolerated as background traffic)",
         evidence=("sequence value public.outbox_id_seq: last_value: 10 → 12 "
                   "(tolerated: outbox inserts)",)),
    case("closed-sequence-set-back", "closed-world",
         lambda: evidence([sequence("public.outbox_id_seq", {"last_value": 12, "is_called": True},
                                    {"last_value": 10, "is_called": True})],
                          tolerated={"public.outbox_id_seq": "outbox inserts"}),
         FAIL, evidence=("sequence value public.outbox_id_seq: last_value: 12 → 10",)),
    case("closed-sequence-first-called", "closed-world",
         lambda: evidence([sequence("public.outbox_id_seq", {"last_value": 1, "is_called": False},
                                    {"last_value": 5, "is_called": True})],
                          tolerated={"public.outbox_id_seq": "outbox inserts"}),
         FAIL, evidence=("is_called: false → true; last_value: 1 → 5",)),
    case("closed-sequence-grew-and-more", "closed-world",
         lambda: evidence([sequence("public.outbox_id_seq",
                                    {"last_value": 1, "is_called": True, "readable": True},
                                    {"last_value": 5, "is_called": True, "readable": False})],
                          tolerated={"public.outbox_id_seq": "outbox inserts"}),
         FAIL),
    case("closed-sequence-not-tolerated", "closed-world",
         lambda: evidence([sequence("public.ledger_id_seq", {"last_value": 1}, {"last_value": 2})],
                          tolerated={"public.outbox_id_seq": "outbox inserts"}),
         FAIL, evidence=("sequence value public.ledger_id_seq: last_value: 1 → 2",)),
    case("closed-unreadable", "closed-world",
         lambda: evidence([added("columns", "public.orders.note")],
                          unreadable=unreadable("before", "functions")),
         BROKEN, "closed world: not everything it compares could be read: functions could not "
         "be read in the before snapshot", evidence=("column public.orders.note: added",)),
    # --- inertness ----------------------------------------------------------------------------
    case("inert", "inertness", lambda: evidence(inert=[]), PASS,
         "the state after all probes equals the state before them"),
    case("inert-left-a-row", "inertness", lambda: evidence(inert=[row("demo.x", "1", "2")]), FAIL,
         "the probes left changes behind",
         evidence=('row public.gate_config.demo.x: value "1" → "2"',)),
    case("inert-sequence-in-a-gate-is-a-trace", "inertness",
         lambda: evidence(inert=[sequence("public.outbox_id_seq", {"last_value": 1},
                                          {"last_value": 2})]), FAIL),
    case("inert-sequence-tolerated-live", "inertness",
         lambda: evidence(inert=[sequence("public.outbox_id_seq", {"last_value": 1},
                                          {"last_value": 2})],
                          inert_tolerated={"public.outbox_id_seq": "outbox inserts"}),
         PASS, "but for 1 sequence(s) tolerated as background traffic"),
    case("inert-not-taken", "inertness", lambda: evidence(), BROKEN,
         "the snapshot after the probes was not taken"),
    case("inert-post-probes-unreadable", "inertness",
         lambda: evidence(inert=[], unreadable=unreadable("post-probes", "sequence_values")),
         BROKEN, "sequence_values could not be read"),
    case("inert-ignores-the-before-snapshot", "inertness",
         lambda: evidence(inert=[], unreadable=unreadable("before", "functions")), PASS),
]  # fmt: skip


def judged(c: Case) -> Verdict:
    return judge(the_check(c.check_id), c.ev())


@pytest.mark.parametrize("c", CASES)
def test_a_kind_judges_its_evidence(c: Case) -> None:
    verdict = judged(c)
    assert verdict.status is c.status, verdict.text()
    for words in c.message:
        assert words in verdict.message, verdict.text()
    shown = "\n".join(verdict.evidence)
    for words in c.evidence:
        assert words in shown, verdict.text()


def test_every_built_in_kind_has_a_pass_a_fail_and_a_broken_case() -> None:
    seen: dict[str, set[Status]] = {}
    for param in CASES:
        c: Case = param.values[0]
        seen.setdefault(checks.kind_of(the_check(c.check_id)).key, set()).add(c.status)
    sections = ("forbidden", "regression", *checks.SECTION_KINDS, checks.IMPLICIT)
    built_in = {k.key for s in sections for k in checks.kinds(s) if k.built_in}
    assert set(seen) == built_in
    lacking = {key: sorted(s.value for s in {PASS, FAIL, BROKEN} - got)
               for key, got in seen.items() if {PASS, FAIL, BROKEN} - got}  # fmt: skip
    assert not lacking


def test_a_verdict_keeps_what_it_saw() -> None:
    """The observed value a report shows beside the verdict: before and after, the SQL."""
    flip = judge(check("f-gate"), gate({GATE: "false"}, {GATE: "true"}))
    assert flip.observed == {"before": "false", "after": "true"}
    assert flip.sql == (config(),)
    count = judged(Case("reg-rows", lambda: metric_values("reg-rows", [[50]], [[52]]), FAIL, ()))
    assert count.observed == {"before": 50, "after": 52, "delta": 2}
    assert count.sql == ('SELECT count(*) FROM "public"."ledger"',)
    refusal = judge(check("r-check"), evidence(runs={"r-check": ran(raised(CALL, TIMEOUT))}))
    assert refusal.observed == {
        "sqlstate": "57014",
        "constraint": None,
        "relation": None,
        "message": "canceling statement due to statement timeout",
    }
    assert refusal.sql == (CALL,)


def test_a_change_that_is_not_the_kinds_own_is_never_listed() -> None:
    """A forbidden kind lists the changes it forbids only, however many others there are."""
    noise = [added("columns", f"public.t{n}.c") for n in range(20)]
    ev = evidence([*noise, added("extensions", "pg_cron", version="1.6")])
    verdict = judge(check("f-ext-named"), ev)
    assert verdict.status is FAIL
    assert verdict.evidence == ("extension pg_cron: added (version 1.6)",)
    assert verdict.observed == ["extension pg_cron: added (version 1.6)"]


def test_a_long_list_of_changes_is_cut_and_says_how_many_more() -> None:
    ev = evidence([added("columns", f"public.orders.c{n:02}") for n in range(15)])
    verdict = judge(check("f-schema"), ev)
    assert verdict.status is FAIL
    assert len(verdict.evidence) == 13
    assert verdict.evidence[-1] == "… and 3 more"
    assert len(verdict.observed) == 15


# --- bugs found by these tables, each fixed: a false PASS before ------------------------------


# Was: gate_flipped compares before.get(key) with after.get(key): a gate row whose value is NULL
# and that the migration deletes reads as `stays null` (PASS), as does a gate row added with a
# NULL value; an absent key is not told from a NULL value
def test_a_gate_row_deleted_while_null_is_not_a_pass() -> None:
    verdict = judge(check("f-gate"), gate({GATE: None}, {}))
    assert verdict.status is not PASS, verdict.text()


# Was: worker_started reads changes of kinds process, prepared_transactions and
# replication_slots (WORKER_TRACES) but its depends() names only sessions, cron_jobs and
# alter_system: a snapshot that could not read replication slots or prepared transactions leaves
# it PASS (or a waivable FAIL on the `not readable` change) instead of BROKEN
def test_worker_started_is_broken_when_replication_slots_were_not_read() -> None:
    ev = evidence(unreadable=unreadable("before", "replication_slots", "not in the file"))
    verdict = judge(check("f-worker"), ev)
    assert verdict.status is BROKEN, verdict.text()


# Was: object_created's schema describes its kinds as `event_trigger`, `matview`, `privilege`,
# `comment`, `owner`, but it matches label(change), which is `event trigger`, `view`… and no
# change has label privilege, comment or owner: `kind: event_trigger` loads without a word and
# never fails (nor goes BROKEN on an unreadable part)
def test_object_created_of_a_kind_no_change_has_is_refused_at_load(tmp_path: Path) -> None:
    (tmp_path / "empty.sql").write_text("")
    path = tmp_path / "spec.yaml"
    path.write_text(
        'law: L\nphase: "1"\nbuild: {dump: empty.sql, migration: empty.sql}\n'
        'clauses: [{id: "§1", title: t}]\n'
        'forbidden:\n  - {id: f, clause: "§1", object_created: {kind: event_trigger}}\n'
    )
    with pytest.raises(SpecError, match="event trigger"):
        load_spec(path)
