"""The before states of a gate built once per machine: a throwaway local cluster starts as
a copy of the one an earlier run kept (targets.state_cache) when it holds every state the
run's specs need; otherwise the states are built, before any migration runs, and the
cluster is kept for the next run."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from psycopg import sql

from clausegate import db
from clausegate.db import reference
from clausegate.phase.gate import build_states, chain_of, state_names
from clausegate.phase.model import BuildCache
from clausegate.spec import Spec
from clausegate.targets import LocalServer, state_cache
from clausegate.targets.state_cache import StateCache, StateKey


@dataclass(frozen=True)
class KeptStates:
    """Where the run's states are kept, under which key, and whether they were found."""

    cache: StateCache
    key: StateKey
    found: bool
    # Why the states are not kept (a fixture reads what its own text does not hold), or "".
    unkept: str = ""


# What a fixture can read while it is built besides its own text, which the key does not
# hold: a file or a program the server reads (COPY … FROM 'file' or PROGRAM, pg_read_file,
# lo_import), or another database (a dblink() query). pg_dump's `COPY … FROM stdin` is its
# own text; a foreign table is read when queried, not kept. A regular expression, not the
# parser: a dump of many megabytes is read on every run, and a false match only costs a
# build.
_READS_OUTSIDE = re.compile(
    r"\bCOPY\b[^;]*?\bFROM\s+(?:PROGRAM\b|E?')"
    r"|\b(?:pg_read_file|pg_read_binary_file|lo_import|dblink)\s*\(",
    re.IGNORECASE,
)


def reads_outside(files: list[Path]) -> str:
    """Why a state built from `files` may differ from run to run with the same files
    (`before.sql reads outside itself: COPY … FROM '…'`), or "" when it may not."""
    for path in files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue  # the build says so
        match = _READS_OUTSIDE.search(text)
        if match is not None:
            said = " ".join(match.group(0).split())
            said = said if len(said) <= 60 else said[:57] + "…"
            return (
                f"{path.name} reads what its text does not hold ({said}), so a kept copy "
                "could hold what the file no longer says"
            )
    return ""


# A state holding a time this close to (or after) its build was likely stamped by the
# build's clock (a DEFAULT now(), now() - interval '1 hour'): a copy kept for a later run
# would hold it as old as the copy, so the later run would judge another state.
CLOCK_WINDOW_DAYS = 30

# Each table's columns of a time type (user tables; a superuser's in pg_catalog too).
_TIME_COLUMNS = """
SELECT n.nspname, c.relname, array_agg(a.attname::text ORDER BY a.attnum)
FROM pg_attribute AS a
JOIN pg_class AS c ON c.oid = a.attrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm') AND a.attnum > 0 AND NOT a.attisdropped
  AND a.atttypid IN ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype)
  AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_(toast|temp)'
  AND (n.nspname <> 'pg_catalog' OR c.oid >= 16384)
GROUP BY 1, 2
ORDER BY 1, 2
"""


def clock_stamped(server: LocalServer, states: tuple[str, ...]) -> str:
    """Why the built `states` hold the build's clock (a table with a time within
    CLOCK_WINDOW_DAYS of now, or later), or "" when none does."""
    for state in states:
        with (
            db.connect(server.conninfo(state), purpose="clock-stamped rows") as conn,
            conn.transaction(force_rollback=True),
        ):
            conn.execute("SET TRANSACTION READ ONLY")
            for schema, table, columns in conn.execute(_TIME_COLUMNS).fetchall():
                recent = sql.SQL(" OR ").join(
                    sql.SQL("{} >= now() - make_interval(days => {})").format(
                        sql.Identifier(column), sql.Literal(CLOCK_WINDOW_DAYS)
                    )
                    for column in columns
                )
                found = conn.execute(
                    sql.SQL("SELECT 1 FROM {} WHERE {} LIMIT 1").format(
                        sql.Identifier(schema, table), recent
                    )
                ).fetchone()
                if found is not None:
                    return (
                        f"{schema}.{table} holds a time within {CLOCK_WINDOW_DAYS} days of "
                        f"its build ({', '.join(columns)}), likely stamped by the build's "
                        "clock, which a kept copy would hold as old as the copy"
                    )
    return ""


def seed(server: LocalServer, specs: list[Spec]) -> KeptStates | None:
    """Before the server starts: make it a copy of the kept cluster holding the specs'
    states, when there is one. None when no cache is configured."""
    cache = state_cache.configured()
    if cache is None or not specs:
        return None
    installation = server.installation
    key = StateKey(
        state_cache.binaries_digest(installation), installation.version_text, state_names(specs)
    )
    unkept = next((why for spec in specs if (why := reads_outside(chain_of(spec)))), "")
    if unkept:
        return KeptStates(cache, key, False, unkept)
    server.seed = cache.find(key)
    return KeptStates(cache, key, server.seed is not None)


def prepare(server: LocalServer, kept: KeptStates, specs: list[Spec], built: BuildCache) -> str:
    """After it started, before any migration: every state the specs need on the server,
    the cluster kept when it had to build some. Returns the report's line on it."""
    try:
        count = build_states(server, specs, built)
    except reference.MigrationFailed:
        # Said per spec by its gate (its before state could not be built); nothing kept.
        return "the before states were built in this run (a fixture failed: none was kept)"
    if kept.unkept:
        return f"the before states were built in this run and not kept: {kept.unkept}"
    if count == 0 and kept.found:
        return (
            f"the before states were copied from {kept.cache.root / kept.key.digest}, kept "
            "by an earlier run from the same fixture files and server binaries"
        )
    stamped = clock_stamped(server, kept.key.states)
    if stamped:
        return f"the before states were built in this run and not kept: {stamped}"
    server.keep_stopped(lambda datadir: kept.cache.store(kept.key, datadir))
    return (
        f"the before states were built in this run and kept in "
        f"{kept.cache.root / kept.key.digest} for the next run"
    )
