"""What a drafted spec holds before it is written: typed, so the text is made in one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DraftBuild:
    """The spec's `build:` section, each path as the spec writes it (relative to the spec
    file). `migration` None: no migration was named, and the spec says so."""

    fixtures: str | None
    upto: str | None
    dump: str | None
    migration: str | None


@dataclass(frozen=True)
class DraftServer:
    """The major (and exact version, when it is one `server.version` accepts) the
    snapshots were taken on: the gate runs there, so what differs by major compares."""

    major: int
    version: str | None


@dataclass(frozen=True)
class DraftChange:
    """One expected change: a difference between the two snapshots, declared exactly
    (`identity` is the pattern that matches that identity and no other)."""

    id: str
    kind: str
    identity: str
    action: str
    line: str


@dataclass(frozen=True)
class DraftMetric:
    """A regression metric: `key` one of the metric kinds (`count`, `rows`, `extensions`),
    `value` what it names, `where` the condition of a row count."""

    key: str
    value: str | bool
    where: str | None = None


@dataclass(frozen=True)
class DraftRow:
    """One row of the regression table, its values read from the two snapshots."""

    id: str
    title: str
    metric: DraftMetric
    before: int | tuple[str, ...]
    after: int | tuple[str, ...]

    @property
    def delta(self) -> int | None:
        if isinstance(self.before, int) and isinstance(self.after, int):
            return self.after - self.before
        return None


@dataclass(frozen=True)
class Draft:
    """A spec drafted from two snapshots, and what could not be drafted (`notes`, each a
    sentence for the user)."""

    build: DraftBuild
    server: DraftServer
    changes: tuple[DraftChange, ...]
    regression: tuple[DraftRow, ...]
    notes: tuple[str, ...]
