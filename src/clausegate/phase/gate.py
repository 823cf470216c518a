"""`gate`: the before state built on a throwaway database (a template per spec build, kept
for the next phase), the migration applied, every check judged."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from psycopg import sql

from clausegate import db, environment
from clausegate.db import reference, templates
from clausegate.phase import outside
from clausegate.phase.capture import take_snapshot
from clausegate.phase.deferred import DeferredReads
from clausegate.phase.deferred import plan as plan_deferred
from clausegate.phase.judging import all_broken
from clausegate.phase.model import BuildCache, PhaseRun, timed
from clausegate.phase.plan import (
    every_table_probes,
    plan_probes,
    plan_queries,
    user_tables,
    write_horizon,
)
from clausegate.phase.verify import evaluate_live, read_text
from clausegate.spec import MigrationRole, Spec
from clausegate.targets import Server

REUSE_TEMPLATES = environment.REUSE_TEMPLATES


_TEMPLATE_MARK = "clausegate template of "


def chain_of(spec: Spec) -> list[Path]:
    """The files the spec's before state is built from, in order."""
    if spec.build.fixtures is not None:
        return reference.chain_files(spec.build.fixtures, spec.build.upto)
    assert spec.build.dump is not None
    return [spec.build.dump]


def state_name(files: list[Path]) -> str:
    """The name a kept state built from `files` goes by: a hash of their contents."""
    digest = hashlib.sha256(b"".join(hashlib.sha256(f.read_bytes()).digest() for f in files))
    return f"cg_tpl_{digest.hexdigest()[:24]}"


def state_names(specs: list[Spec]) -> tuple[str, ...]:
    """Every state the specs' chains build (each prefix of each chain), sorted."""
    names: set[str] = set()
    for spec in specs:
        files = chain_of(spec)
        names.update(state_name(files[:length]) for length in range(1, len(files) + 1))
    return tuple(sorted(names))


def before_template(
    server: Server,
    spec: Spec,
    cache: BuildCache,
    cleanup: Callable[[str], None],
    *,
    keep: bool = False,
) -> str:
    """A template database holding the spec's before state.

    A chain of fixture files is built one state at a time, each state a template cloned
    from the one before, so specs of later phases reuse the states earlier ones built.
    Kept states (`keep`, or CLAUSEGATE_REUSE_TEMPLATES=1 for a throwaway server that
    outlives one run, as in the test suite) stay on the server, named by state_name, and
    later runs reuse them; otherwise they are dropped at the end of the run.
    """
    files = chain_of(spec)
    keep = keep or environment.reuse_templates()
    for length in range(1, len(files) + 1):
        key = tuple(str(f.resolve()) for f in files[:length])
        if key not in cache:
            parent = cache[key[:-1]] if length > 1 else None
            cache[key] = _build_state(server, files[:length], parent, cleanup, keep)
    return cache[tuple(str(f.resolve()) for f in files)]


def build_states(server: Server, specs: list[Spec], cache: BuildCache) -> int:
    """Every state the specs need, built and kept on the server before any migration
    runs there; returns how many were built (0: the server held them all)."""
    present = _kept_states(server)
    for spec in specs:
        before_template(server, spec, cache, lambda name: None, keep=True)
    return len(set(_kept_states(server)) - set(present))


def _build_state(
    server: Server,
    files: list[Path],
    parent: str | None,
    cleanup: Callable[[str], None],
    keep: bool,
) -> str:
    """A database cloned from `parent` (or empty) with the last of `files` applied."""
    final = state_name(files)
    if keep and _is_complete_template(server, final):
        return final
    name = templates.unique_name("cg_before")
    templates.create_database(server, name, template=parent)
    try:
        reference.apply_sql_file(server.conninfo(name), files[-1])
    except BaseException:
        templates.drop_database(server, name)
        raise
    if not keep:
        cleanup(name)
        return name
    with db.connect(server.conninfo("postgres"), purpose="keep template") as conn:
        conn.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
            sql.Identifier(name), sql.Identifier(final)))  # fmt: skip
        conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(
            sql.Identifier(final), sql.Literal(_TEMPLATE_MARK + files[-1].name)))  # fmt: skip
    return final


def _kept_states(server: Server) -> list[str]:
    """The databases marked as kept states (the mark is set last, after the build)."""
    with (
        db.connect(server.conninfo("postgres"), purpose="find templates") as conn,
        conn.transaction(force_rollback=True),
    ):
        rows = conn.execute(
            "SELECT datname FROM pg_database WHERE shobj_description(oid, 'pg_database') LIKE %s",
            (_TEMPLATE_MARK + "%",),
        ).fetchall()
    return [str(row[0]) for row in rows]


def _is_complete_template(server: Server, name: str) -> bool:
    """Whether `name` is a kept state: renamed and marked once its file was applied."""
    return name in _kept_states(server)


def gate(
    server: Server,
    spec: Spec,
    *,
    migration: Path | None,
    cache: BuildCache,
    cleanup: Callable[[str], None],
    runs_as: MigrationRole | None = None,
    keep_states: bool = False,
) -> PhaseRun:
    """Build the before state on a throwaway copy, apply the migration (as `runs_as`, else
    as the spec's build.runs_as), judge every check."""
    migration = migration or spec.build.migration
    run = PhaseRun(spec, "gate", server.label, server.version, migration)
    run.migration_text, run.no_migration = read_text(migration)
    try:
        with timed(run, "build the before state"):
            tpl = before_template(server, spec, cache, cleanup, keep=keep_states)
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
        deferred = DeferredReads(
            plan_deferred(spec, queries, probes), lambda: _copy_of(server, tpl)
        )
        watch = outside.start_watch(server, run.notes)
        with timed(run, "snapshot before"):
            before = take_snapshot(conninfo, deferred.eager(queries), probes)
            others = outside.OtherDatabases(server, name, outside.database_digests(server, name))
        run.snapshots["before"] = before
        try:
            try:
                with timed(run, f"apply {migration.name}"):
                    reference.apply_sql_file(conninfo, migration, role=role)
            except reference.MigrationFailed as exc:
                all_broken(run, f"the migration failed: {exc}")
                return run
            evaluate_live(
                run,
                conninfo,
                before,
                queries,
                probes=probes,
                watch=watch,
                others=others,
                deferred=deferred,
            )
        finally:
            run.notes.extend(outside.stop_leftovers(server, name, watch))
            if watch is not None:
                run.server_log = "".join(watch.statements)
    return run


@contextmanager
def _copy_of(server: Server, template: str) -> Iterator[str]:
    """A fresh copy of the before state (the template), as a conninfo, dropped after."""
    with templates.database(server, "cg_before_copy", template=template) as name:
        yield server.conninfo(name)


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
