"""Capturing: the spec's queries beside a snapshot, and the probes (refusals, proofs,
invariants) run on the state after, each in a transaction that is always rolled back."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from typing import Any

import psycopg

from clausegate import checks, db, snapshot
from clausegate.checks import Probe, ProbeTable
from clausegate.db.probes import (
    ProbeRun,
    SequencePositions,
    moved,
    moved_back,
    run_statements,
    sequence_positions,
)
from clausegate.db.values import plain_rows
from clausegate.phase.model import ProbeRuns
from clausegate.spec import Spec


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
    conninfo: str, queries: Mapping[str, str], probes: snapshot.DataProbes | None = None
) -> snapshot.Snapshot:
    """A snapshot with the data probes, plus the spec's own queries (not diffed as such),
    read on a connection of their own while the snapshot is taken."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        queried = pool.submit(capture_queries, conninfo, queries)
        taken = snapshot.capture(conninfo, probes)
        values, errors = queried.result()
    taken["spec_queries"] = values
    taken["spec_query_errors"] = errors
    return taken


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


def run_probes(spec: Spec, conninfo: str, withhold: Mapping[str, str] | None = None) -> ProbeRuns:
    """The probe of every check whose kind has one (refusals, proofs, invariants), each in
    its own transaction (each row of a table of inputs in its own), always rolled back;
    but those `withhold` names (check id → why), recorded as not run.

    The probes' sessions go by a neutral application_name (the check's, else the spec's
    `probes:`, else psql), so a function cannot tell it is being audited from the name;
    db.connect records their backends' pids, which is how snapshots still tell them apart.
    """
    runs = ProbeRuns(withheld=dict(withhold or {}))
    prelude = (_CATALOG_LAST,)
    with ExitStack() as stack:
        sessions: dict[str, psycopg.Connection] = {}
        # The sequences' positions as the last probe left them (None: not read yet, or
        # unreadable): each run is compared with the reading before it, so the probe
        # that moved a sequence is named.
        last: SequencePositions | None = None

        def run(probe: Probe) -> ProbeRun:
            name = probe.application_name or spec.probes.application_name
            if name not in sessions:
                sessions[name] = stack.enter_context(
                    db.connect(conninfo, purpose="probes", application_name=name)
                )
            nonlocal last
            session = sessions[name]
            before = last if last is not None else sequence_positions(session)
            done = run_statements(
                session,
                list(probe.statements),
                errors_expected_at=set(probe.errors_expected_at),
                prelude=prelude,
                role=probe.role,
            )
            done.steps = done.steps[probe.hidden :]
            last = sequence_positions(session)
            done.advanced = moved(before, last)
            done.set_back = moved_back(before, last)
            return done

        for check in spec.checks:
            probe_of = checks.kind_of(check).probe
            if probe_of is None or check.id in runs.withheld:
                continue
            planned = probe_of(check)
            if isinstance(planned, ProbeTable):
                runs.tables[check.id] = tuple(run(row) for row in planned.rows)
            else:
                runs.single[check.id] = run(planned)
    return runs
