"""The settings shared by the CLI and the pytest plugin, each with one help text.

A setting is a CLI flag (`--target`), a pytest flag (`--clausegate-target`), an ini
option (`clausegate_target`) and an environment variable giving its default
(`CLAUSEGATE_TARGET`), so the two front ends cannot drift apart.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from clausegate.targets import TARGETS


@dataclass(frozen=True)
class Setting:
    name: str
    help: str
    default: str | None = None
    secret: bool = False

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
        return os.environ.get(self.env) or self.default


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
    secret=True,
)
PG_BIN = Setting(
    "pg_bin",
    "directory holding initdb, pg_ctl and postgres for the local target (default: "
    "pg_config --bindir, PATH, then /usr/lib/postgresql/*/bin, newest first)",
)

TARGET_SETTINGS = (TARGET, DSN, PG_BIN)
