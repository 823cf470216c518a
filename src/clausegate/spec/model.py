"""A spec as typed, frozen objects: its build, its clauses, its checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from clausegate.errors import EXIT_USAGE, ClausegateError
from clausegate.yamlpos import Position

SECTIONS = ("regression", "forbidden", "expected_changes", "refusals", "proofs", "invariants")


@dataclass(frozen=True)
class Problem:
    position: Position
    message: str


# What a regression metric's value is (CheckKind.value): a number, or a sorted list.
MetricValue = Literal["number", "list"]


@dataclass(frozen=True)
class ItemProblem:
    """A problem of a check's body that a schema cannot see (a check kind's `lint`): where
    under the check's item (`path`), what is wrong, and the text to point at inside that
    value (a placeholder in a statement), so the position is its line and column."""

    path: tuple[str | int, ...]
    message: str
    find: str | None = None


class SpecError(ClausegateError):
    """An invalid spec: one line per problem, each `FILE:LINE:COLUMN: what; instead`."""

    def __init__(self, path: Path, problems: Iterable[Problem]) -> None:
        self.path = path
        self.problems = sorted(problems, key=lambda p: (p.position.line, p.position.column))
        lines = [
            f"{path}:{p.position.line}:{p.position.column}: {p.message}" for p in self.problems
        ]
        super().__init__("\n".join(lines), EXIT_USAGE)


@dataclass(frozen=True)
class KnownOpen:
    reason: str
    reference: str


@dataclass(frozen=True)
class Clause:
    id: str
    title: str
    impact: str
    references: tuple[str, ...]
    known_open: KnownOpen | None


@dataclass(frozen=True)
class Check:
    """One check of a spec. `written` holds the section-specific keys as the spec wrote
    them (what reports show); `body` is the same made into the frozen dataclass its kind
    declares, when the spec is loaded (what judges read: clausegate.checks.body_of).
    `spec_path` is the spec file (its workspace's check kinds are the ones it sees)."""

    section: str
    id: str
    clause: str
    title: str
    description: str
    written: Mapping[str, Any]
    line: int
    spec_path: Path | None = None
    body: object = None


@dataclass(frozen=True)
class Build:
    fixtures: Path | None
    upto: str | None
    dump: Path | None
    migration: Path
    runs_as: MigrationRole | None = None


@dataclass(frozen=True)
class MigrationRole:
    """Who applies the migration in production (the spec's `build.runs_as`); `role` None
    means a superuser."""

    role: str | None
    reference: str | None

    def describe(self) -> str:
        who = f"role {self.role}" if self.role is not None else "a superuser"
        where = f" ({self.reference})" if self.reference else ""
        return f"{who}{where}"

    @classmethod
    def from_flag(cls, value: str) -> MigrationRole:
        """The role `gate --runs-as VALUE` names (`superuser` for a superuser)."""
        return cls(None if value == RUNS_AS_SUPERUSER else value, "--runs-as")


RUNS_AS_SUPERUSER = "superuser"


@dataclass(frozen=True)
class Config:
    table: str
    key: str
    value: str


@dataclass(frozen=True)
class ProductionServer:
    """The server the law's production database runs on (the spec's `server:`)."""

    major: int
    version: str | None
    reference: str | None

    def describe(self) -> str:
        where = f" ({self.reference})" if self.reference else ""
        return f"PostgreSQL {self.version or self.major}{where}"


# The application_name the probes' sessions show unless the spec says otherwise: the name
# psql gives its own, as an operator's session shows; never one that says clausegate.
DEFAULT_PROBE_APPLICATION_NAME = "psql"


@dataclass(frozen=True)
class ProbeSettings:
    """How the probes (refusals, proofs, invariants) present themselves (the spec's
    `probes:`): the application_name of their sessions."""

    application_name: str = DEFAULT_PROBE_APPLICATION_NAME


@dataclass(frozen=True)
class Spec:
    path: Path
    law: str
    phase: str
    title: str
    build: Build
    config: Config | None
    server: ProductionServer | None
    closed_world: bool
    clauses: tuple[Clause, ...]
    checks: tuple[Check, ...]
    probes: ProbeSettings = ProbeSettings()

    def clause(self, clause_id: str) -> Clause:
        return next(c for c in self.clauses if c.id == clause_id)

    def section(self, name: str) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.section == name)
