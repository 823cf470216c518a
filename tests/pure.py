"""Typed inputs for the tests of the pure core: no server, no subprocess.

The checks come from tests/core_cases/spec.yaml, loaded (and validated) by load_spec as
any spec is; the evidence is built by hand from diff.Change and RowChange objects, the
captured query values and probe runs a phase would have recorded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from clausegate import spec
from clausegate.checks.evidence import ChangeLike, Evidence, RowChange, config_query
from clausegate.checks.language import load_spec
from clausegate.checks.regression import metric_query
from clausegate.db.probes import ProbeRun, ServerError, StepResult
from clausegate.diff import Change
from clausegate.migration import parse_text

SPEC_FILE = Path(__file__).parent / "core_cases" / "spec.yaml"


@cache
def core_spec() -> spec.Spec:
    return load_spec(SPEC_FILE)


def check(check_id: str) -> spec.Check:
    return next(c for c in core_spec().checks if c.id == check_id)


def config() -> str:
    query = config_query(core_spec())
    assert query is not None
    return query


def metric(check_id: str) -> str:
    return metric_query(check(check_id))


def evidence(
    changes: Sequence[ChangeLike] = (),
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    **kw: Any,
) -> Evidence:
    """Evidence on the core spec; `before`/`after` are the captured query values."""
    return Evidence(spec=core_spec(), before=before or {}, after=after or {}, changes=changes, **kw)


def text(sql: str, foreign_tables: frozenset[str] | None = frozenset(), **kw: Any) -> Evidence:
    """Evidence holding a migration's text (file migration.sql) and the before state's
    foreign tables."""
    return evidence(
        migration=parse_text(sql, Path("migration.sql")), foreign_tables=foreign_tables, **kw
    )


# --- changes as the diff module makes them ---------------------------------------------------


def added(kind: str, identity: str, section: str = "catalog", /, **attrs: Any) -> Change:
    return Change(section, kind, identity, "added", None, attrs)


def removed(kind: str, identity: str, section: str = "catalog", /, **attrs: Any) -> Change:
    return Change(section, kind, identity, "removed", attrs, None)


def modified(
    kind: str,
    identity: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    section: str = "catalog",
) -> Change:
    return Change(section, kind, identity, "modified", old, new)


def row(key: str, old: Any, new: Any, action: str = "modified") -> RowChange:
    return RowChange("data", "row", f"public.gate_config.{key}", action, old, new)


def sequence(identity: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> Change:
    return modified("sequence_values", identity, old, new, section="nontransactional")


def rows_hashed(table: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> Change:
    """A table's content hash that changed (probes section, named by the table)."""
    return modified("content_hash", table, {"table": table, **old}, {"table": table, **new},
                    section="probes")  # fmt: skip


# --- what a probe ran --------------------------------------------------------------------------


def error(
    sqlstate: str,
    message: str = "refused",
    constraint: str | None = None,
    relation: str | None = None,
    context: str | None = None,
) -> ServerError:
    return ServerError(sqlstate, constraint, message, relation, context)


def value(sql: str, seen: Any) -> StepResult:
    return StepResult(sql, value=seen, returned_rows=True)


def raised(sql: str, err: ServerError) -> StepResult:
    return StepResult(sql, error=err)


def ran(*steps: StepResult, aborted: StepResult | None = None) -> ProbeRun:
    return ProbeRun(list(steps), aborted)
