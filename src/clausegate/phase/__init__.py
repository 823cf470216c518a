"""One phase, run: before, migration, after, diff, probes, inertness; then every check judged.

Only this module and the snapshot touch a database. `gate` builds its own throwaway
database from the spec's `build:`; `verify` reads a live database and takes "before"
from a snapshot file. Either way nothing clausegate runs on the target is committed,
except the migration and the build of a database clausegate itself created.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from clausegate import checks, db, diff, environment, snapshot
from clausegate.checks.evidence import (
    ChangeLike,
    Evidence,
    config_changes,
    config_query,
    qualified,
    unreadable_of,
)
from clausegate.checks.expect import plain_rows
from clausegate.checks.judge import judge
from clausegate.checks.verdict import Verdict, broken
from clausegate.db import reference, templates
from clausegate.db.probes import ProbeRun, run_statements
from clausegate.errors import ClausegateError
from clausegate.phase import outside
from clausegate.spec import MigrationRole, Spec
from clausegate.targets import Server

QUERIES_KEY = "spec_queries"
QUERY_ERRORS_KEY = "spec_query_errors"


@dataclass
class Step:
    """What the run did, for the report: a name, how long it took, and what it produced."""

    name: str
    seconds: float
    detail: str = ""


@dataclass
class PhaseRun:
    spec: Spec
    mode: str
    target: str
    server_version: str
    migration: Path | None
    steps: list[Step] = field(default_factory=list)
    snapshots: dict[str, dict[str, Any]] = field(default_factory=dict)
    evidence: Evidence | None = None
    fault: str | None = None
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    # Set when the server's major is not the one the spec names for production.
    server_note: str | None = None
    # What the report must say about how the run saw the database: who applied the
    # migration, what a live verify cannot see, which tables were not hashed and why.
    notes: list[str] = field(default_factory=list)
    # The server's log of the statements run during the phase (log_statement = all), where
    # clausegate runs the server: kept in the evidence.
    server_log: str | None = None


@contextmanager
def timed(run: PhaseRun, name: str) -> Iterator[Step]:
    step = Step(name, 0.0)
    started = time.perf_counter()
    try:
        yield step
    finally:
        step.seconds = time.perf_counter() - started
        run.steps.append(step)


# --- what to measure ---------------------------------------------------------------------


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
        qualified(check.body["metric"]["rows"]): check.id
        for check in spec.section("regression")
        if "rows" in check.body["metric"] and "tolerance" in check.body
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
    tables += [c.body["metric"]["rows"] for c in spec.section("regression")
               if "rows" in c.body["metric"]]  # fmt: skip
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
) -> snapshot.Probes:
    """A content hash of each of `tables`: the closed world sees any row the migration
    adds, changes or deletes, in any table (with `written_since`, any row it wrote)."""
    return snapshot.Probes(
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


def plan_probes(spec: Spec, *, written_since: int | None = None) -> snapshot.Probes:
    """Content hashes of the tables the spec names, so inertness sees a row touched there."""
    return snapshot.Probes(
        tuple(snapshot.ContentHash(table, table, written_since) for table in named_tables(spec))
    )


def live_probes(spec: Spec, conninfo: str) -> tuple[snapshot.Probes, dict[str, str]]:
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


def capture_queries(
    conninfo: str, queries: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Each query's rows (plain JSON), in one READ ONLY REPEATABLE READ transaction.

    A failing query is recorded with its error and the others still run (a savepoint
    each), so one bad probe makes its own check BROKEN, not the whole run.
    """
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    with db.connect(conninfo, purpose="probe values") as conn:
        conn.read_only, conn.isolation_level = True, psycopg.IsolationLevel.REPEATABLE_READ
        with conn.transaction(force_rollback=True):
            conn.execute("SELECT " + snapshot.READ_SETTINGS)
            for query in sorted(set(queries.values())):
                try:
                    with conn.transaction():
                        rows = conn.execute(query.encode()).fetchall()
                    values[query] = plain_rows(sorted((list(r) for r in rows), key=repr))
                except psycopg.Error as exc:
                    errors[query] = f"{exc.diag.sqlstate}: {exc.diag.message_primary or exc}"
    return values, errors


def take_snapshot(
    conninfo: str, queries: Mapping[str, str], probes: snapshot.Probes | None = None
) -> dict[str, Any]:
    """A snapshot with the data probes, plus the spec's own queries (not diffed as such),
    read on a connection of their own while the snapshot is taken."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        queried = pool.submit(capture_queries, conninfo, queries)
        taken = snapshot.capture(conninfo, probes)
        values, errors = queried.result()
    taken[QUERIES_KEY] = values
    taken[QUERY_ERRORS_KEY] = errors
    return taken


# --- probes ------------------------------------------------------------------------------


# pg_catalog is searched first unless the search_path names it: an object a superuser made
# there (a pg_catalog.dot_config view) would stand in for the law's own in the spec's
# unqualified SQL. The probes search it last, so the spec's names mean the law's schemas
# (the closed world sees the object itself: nothing the server did not make stays unseen
# in a system schema).
_CATALOG_LAST = (
    "SELECT set_config('search_path', array_to_string(array_append(array_remove("
    "string_to_array(current_setting('search_path'), ', '), 'pg_catalog'), 'pg_catalog'),"
    " ', '), true)"
)


def run_probes(spec: Spec, conninfo: str) -> dict[str, ProbeRun]:
    """The probe of every check whose kind has one (refusals, proofs, invariants), each in
    its own transaction, always rolled back."""
    runs: dict[str, ProbeRun] = {}
    prelude = (_CATALOG_LAST,)
    with db.connect(conninfo, purpose="probes") as conn:
        for check in spec.checks:
            probe_of = checks.kind_of(check).probe
            if probe_of is None:
                continue
            probe = probe_of(check)
            run = run_statements(
                conn,
                list(probe.statements),
                errors_expected_at=set(probe.errors_expected_at),
                prelude=prelude,
            )
            run.steps = run.steps[probe.hidden :]
            runs[check.id] = run
    return runs


# --- the phase -----------------------------------------------------------------------------


def changes_between(
    spec: Spec, a: dict[str, Any], b: dict[str, Any], *, data_probes: bool
) -> list[ChangeLike]:
    """Catalog, non-transactional and config-row changes; with `data_probes`, also the
    content hashes of named tables (for inertness: the migration itself may change rows
    of those tables, which its regression and forbidden rows judge)."""
    config = qualified(spec.config.table) if spec.config else None
    found: list[ChangeLike] = [
        change
        for change in diff.diff(a, b)
        if (data_probes or change.section != "probes")
        # The config table's rows are compared one by one, as changes of kind `row`.
        and not (change.kind == "content_hash" and change.identity == config)
        # A probe the before file lacks (verify) is no change of the database.
        and not (change.section == "probes" and change.action != "modified")
    ]
    probe = Evidence(spec, a.get(QUERIES_KEY, {}), b.get(QUERIES_KEY, {}), [])
    found.extend(config_changes(probe))
    return found


def judge_all(run: PhaseRun) -> None:
    ev = run.evidence
    assert ev is not None
    for check in (*run.spec.checks, *checks.implicit_checks(run.spec)):
        run.verdicts[check.id] = judge(check, ev)


def all_broken(run: PhaseRun, reason: str) -> None:
    run.fault = reason
    for check in (*run.spec.checks, *checks.implicit_checks(run.spec)):
        run.verdicts[check.id] = broken(reason)


def evaluate_live(
    run: PhaseRun,
    conninfo: str,
    before: dict[str, Any],
    queries: dict[str, str],
    before_source: str = "the before snapshot",
    probes: snapshot.Probes | None = None,
    watch: outside.Watch | None = None,
    others: outside.OtherDatabases | None = None,
) -> None:
    """After, diff, probes, post-probe snapshot, then judge: shared by gate and verify.
    With `watch` (a gate on clausegate's own cluster) and `others` (a gate's other
    databases), what the migration and then the probes did outside the database counts as
    changes too."""
    spec = run.spec
    probes = probes if probes is not None else plan_probes(spec)
    with timed(run, "snapshot after"):
        after = take_snapshot(conninfo, queries, probes)
    run.snapshots["after"] = after
    with timed(run, "diff"):
        changes = changes_between(spec, before, after, data_probes=True)
        changes.extend(_outside_changes(watch, others))
    with timed(run, "probes"):
        runs = run_probes(spec, conninfo)
    # Inertness compares catalog, data probes and config rows: of the spec's own queries
    # only the config one is read again.
    with timed(run, "snapshot after probes"):
        post = take_snapshot(conninfo, {k: q for k, q in queries.items() if k == "config"}, probes)
    run.snapshots["post-probes"] = post
    inert = changes_between(spec, after, post, data_probes=True)
    inert.extend(_outside_changes(watch, others))
    live = run.mode == "verify"
    run.evidence = Evidence(
        spec=spec,
        before=before.get(QUERIES_KEY, {}),
        after=after.get(QUERIES_KEY, {}),
        changes=changes,
        queries=queries,
        runs=runs,
        inert=inert,
        query_errors={**before.get(QUERY_ERRORS_KEY, {}), **after.get(QUERY_ERRORS_KEY, {})},
        before_source=before_source,
        unreadable={
            name: _unreadable(spec, taken) | (_unhashed(before, after) if name == "before" else {})
            for name, taken in run.snapshots.items()
        },
        # Background traffic exists on a live database only: in a gate no other session
        # writes, so every sequence advanced and every row counted is the migration's.
        tolerated=tolerated_sequences(spec, before, after) if live else {},
        inert_tolerated=tolerated_sequences(spec, after, post) if live else {},
        background_traffic=live,
    )
    judge_all(run)


def _outside_changes(
    watch: outside.Watch | None, others: outside.OtherDatabases | None
) -> list[ChangeLike]:
    """What changed outside the database since the last call: files and processes of the
    cluster (where watched) and the catalogs of its other databases (in a gate)."""
    found: list[ChangeLike] = []
    for source in (watch, others):
        if source is not None:
            found.extend(source.changes())
    return found


def _unhashed(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, str]:
    """{part: why} for each table that existed before and is hashed after, but whose hash
    the before snapshot lacks (a file taken without `--spec`, or by an older clausegate):
    its rows were not compared, which must not read as unchanged."""
    hashed_before = before.get("probes", {}).get("content_hash", {})
    tables_before = {
        snapshot.split_table(identity) for identity in before.get("catalog", {}).get("tables") or {}
    }
    return {
        f"content_hash {name}": (
            "the before snapshot has no content hash of this table; take it with "
            "`clausegate snapshot --spec SPEC`"
        )
        for name, result in after.get("probes", {}).get("content_hash", {}).items()
        if name not in hashed_before and snapshot.split_table(result["table"]) in tables_before
    }


def _unreadable(spec: Spec, taken: dict[str, Any]) -> dict[str, str]:
    """What a snapshot could not read (see evaluate.unreadable_of)."""
    return unreadable_of(taken, spec, taken.get(QUERIES_KEY, {}), taken.get(QUERY_ERRORS_KEY, {}))


BuildCache = dict[tuple[str, ...], str]


REUSE_TEMPLATES = environment.REUSE_TEMPLATES
_TEMPLATE_MARK = "clausegate template of "


def before_template(
    server: Server, spec: Spec, cache: BuildCache, cleanup: Callable[[str], None]
) -> str:
    """A template database holding the spec's before state.

    A chain of fixture files is built one state at a time, each state a template cloned
    from the one before, so specs of later phases reuse the states earlier ones built.
    With CLAUSEGATE_REUSE_TEMPLATES=1 (for a throwaway server that outlives one run, as
    in the test suite) the states stay on the server, named by a hash of the files'
    contents, and later runs reuse them; otherwise they are dropped at the end of the run.
    """
    if spec.build.fixtures is not None:
        files = reference.chain_files(spec.build.fixtures, spec.build.upto)
    else:
        assert spec.build.dump is not None
        files = [spec.build.dump]
    for length in range(1, len(files) + 1):
        key = tuple(str(f.resolve()) for f in files[:length])
        if key not in cache:
            parent = cache[key[:-1]] if length > 1 else None
            cache[key] = _build_state(server, files[:length], parent, cleanup)
    return cache[tuple(str(f.resolve()) for f in files)]


def _build_state(
    server: Server, files: list[Path], parent: str | None, cleanup: Callable[[str], None]
) -> str:
    """A database cloned from `parent` (or empty) with the last of `files` applied."""
    reuse = environment.reuse_templates()
    digest = hashlib.sha256(b"".join(hashlib.sha256(f.read_bytes()).digest() for f in files))
    final = f"cg_tpl_{digest.hexdigest()[:24]}"
    if reuse and _is_complete_template(server, final):
        return final
    name = templates.unique_name("cg_before")
    templates.create_database(server, name, template=parent)
    try:
        reference.apply_sql_file(server.conninfo(name), files[-1])
    except BaseException:
        templates.drop_database(server, name)
        raise
    if not reuse:
        cleanup(name)
        return name
    with db.connect(server.conninfo("postgres"), purpose="keep template") as conn:
        conn.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
            sql.Identifier(name), sql.Identifier(final)))  # fmt: skip
        conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(
            sql.Identifier(final), sql.Literal(_TEMPLATE_MARK + files[-1].name)))  # fmt: skip
    return final


def _is_complete_template(server: Server, name: str) -> bool:
    with (
        db.connect(server.conninfo("postgres"), purpose="find template") as conn,
        conn.transaction(force_rollback=True),
    ):
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (name,),
        ).fetchone()
    return row is not None and str(row[0] or "").startswith(_TEMPLATE_MARK)


def gate(
    server: Server,
    spec: Spec,
    *,
    migration: Path | None,
    cache: BuildCache,
    cleanup: Callable[[str], None],
    runs_as: MigrationRole | None = None,
) -> PhaseRun:
    """Build the before state on a throwaway copy, apply the migration (as `runs_as`, else
    as the spec's build.runs_as), judge every check."""
    migration = migration or spec.build.migration
    run = PhaseRun(spec, "gate", server.label, server.version, migration)
    try:
        with timed(run, "build the before state"):
            tpl = before_template(server, spec, cache, cleanup)
    except reference.MigrationFailed as exc:
        all_broken(run, f"the before state could not be built: {exc}")
        return run
    run.notes.append(_applied_as(spec, runs_as))
    runs_as = runs_as or spec.build.runs_as
    role = runs_as.role if runs_as is not None else None
    with templates.database(server, "cg_gate", template=tpl) as name:
        conninfo = server.conninfo(name)
        queries = plan_queries(spec, conninfo)
        # The rows any transaction writes from here on are the migration's (and, rolled
        # back, the probes'): nothing else writes to this database.
        horizon = write_horizon(conninfo)
        probes = plan_probes(spec, written_since=horizon) + every_table_probes(
            user_tables(conninfo), written_since=horizon
        )
        watch = outside.start_watch(server, run.notes)
        with timed(run, "snapshot before"):
            before = take_snapshot(conninfo, queries, probes)
            others = outside.OtherDatabases(server, name, outside.database_digests(server, name))
        run.snapshots["before"] = before
        try:
            try:
                with timed(run, f"apply {migration.name}"):
                    reference.apply_sql_file(conninfo, migration, role=role)
            except reference.MigrationFailed as exc:
                all_broken(run, f"the migration failed: {exc}")
                return run
            evaluate_live(run, conninfo, before, queries, probes=probes, watch=watch, others=others)
        finally:
            run.notes.extend(outside.stop_leftovers(server, name, watch))
            if watch is not None:
                run.server_log = "".join(watch.statements)
    return run


def _applied_as(spec: Spec, runs_as: MigrationRole | None) -> str:
    """The report's line on who applied the migration."""
    declared = spec.build.runs_as
    if runs_as is not None:
        instead = f" instead of {declared.describe()}" if declared is not None else ""
        return f"the migration was applied as {runs_as.describe()}{instead}"
    if declared is not None:
        return f"the migration was applied as {declared.describe()}, as in production"
    return (
        "the migration was applied as the bootstrap superuser: the spec does not say who "
        "applies it in production (build.runs_as)"
    )


def verify(server: Server, spec: Spec, *, before_file: Path) -> PhaseRun:
    """Judge a live database after an apply; "before" comes from a snapshot file."""
    run = PhaseRun(spec, "verify", server.label, server.version, None)
    before = snapshot.load(before_file)
    run.snapshots["before"] = before
    conninfo = server.conninfo()
    queries = plan_queries(spec, conninfo)
    probes, left_out = live_probes(spec, conninfo)
    run.notes.append(outside.LIVE_BLIND_SPOTS)
    run.notes.extend(f"not content-hashed: {table}: {why}" for table, why in left_out.items())
    evaluate_live(
        run, conninfo, before, queries, f"the before snapshot {before_file}", probes=probes
    )
    return run
