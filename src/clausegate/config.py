"""The target settings, resolved once into one frozen `TargetSettings`.

A setting is a CLI flag (`--target`), a pytest flag (`--clausegate-target`), an ini
option (`clausegate_target`) and an environment variable giving its default
(`CLAUSEGATE_TARGET`), each with one help text, so the two front ends cannot drift apart;
each front end reads them once (flag > ini > environment) with `target_settings`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from clausegate import environment
from clausegate.errors import ClausegateError

TARGETS = ("auto", "local", "docker", "dsn")


@dataclass(frozen=True)
class TargetSettings:
    """Where the database comes from, as the user set it (flag > ini > environment)."""

    target: str = "auto"
    dsn: str | None = None
    pg_bin: str | None = None
    pg_version: int | None = None


def parse_pg_version(raw: str | None) -> int | None:
    """--pg-version MAJOR: a major version number such as 16."""
    if raw is None or raw == "":
        return None
    text = raw.strip()
    if not text.isdigit() or not 10 <= int(text) <= 99:
        raise ClausegateError(
            f"--pg-version {raw}: write a PostgreSQL major version, e.g. --pg-version 16 "
            "(`clausegate servers` lists the ones found)"
        )
    return int(text)


@dataclass(frozen=True)
class Setting:
    name: str
    help: str
    default: str | None = None

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def pytest_flag(self) -> str:
        return "--clausegate-" + self.name.replace("_", "-")

    @property
    def ini(self) -> str:
        return "clausegate_" + self.name

    @property
    def env(self) -> str:
        return "CLAUSEGATE_" + self.name.upper()

    def from_environment(self) -> str | None:
        return environment.value(self.env) or self.default


TARGET = Setting(
    "target",
    "where the database comes from: " + ", ".join(TARGETS) + " (default auto: a DSN if given, "
    "else local binaries, else Docker)",
    default="auto",
)
DSN = Setting(
    "dsn",
    "an existing server's DSN (libpq conninfo or postgresql:// URL); libpq's PG* variables "
    "are used when --target dsn is given without one",
)
PG_BIN = Setting(
    "pg_bin",
    "directory holding initdb, pg_ctl and postgres for the local target, the only place "
    "looked at when given (default: pg_config --bindir, PATH, /usr/lib/postgresql/*/bin and "
    "the like, and the embedded servers npm ci installs in node_modules)",
)
PG_VERSION = Setting(
    "pg_version",
    "the PostgreSQL major the local target runs, among the binaries found, e.g. 16 (default: "
    "the spec's server: major, else 16.13, the production version, when found, else the "
    "newest found; `clausegate servers` lists them); with a DSN, the major its server must run",
)

TARGET_SETTINGS = (TARGET, DSN, PG_BIN, PG_VERSION)


def target_settings(value_of: Callable[[Setting], str | None]) -> TargetSettings:
    """The target settings, each read with `value_of` (a front end's flag > ini > env)."""
    return TargetSettings(
        target=value_of(TARGET) or "auto",
        dsn=value_of(DSN),
        pg_bin=value_of(PG_BIN),
        pg_version=parse_pg_version(value_of(PG_VERSION)),
    )
