"""The pytest plugin: target options and the server fixtures every SQL test stands on.

Registered through the `pytest11` entry point, so any pytest run in an environment
where clausegate is installed has `--clausegate-target` and the `pg_server` fixture.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, nullcontext
from dataclasses import replace
from pathlib import Path

import pytest

from clausegate.config import TARGET_SETTINGS, Setting, target_settings
from clausegate.db import templates
from clausegate.errors import ClausegateError
from clausegate.pytest import engine
from clausegate.spec import MigrationRole
from clausegate.targets import (
    LocalServer,
    Server,
    TargetSettings,
    dsn_from_environment,
    open_server,
    pgbin,
)

# The name the run's engine is registered under (its hooks: collection, terminal summary).
ENGINE_PLUGIN = "clausegate-engine"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("clausegate", "clausegate: where the database comes from")
    for setting in TARGET_SETTINGS:
        group.addoption(
            setting.pytest_flag,
            dest=setting.ini,
            default=None,
            help=f"{setting.help} [ini: {setting.ini}; env: {setting.env}]",
        )
        parser.addini(setting.ini, help=setting.help, default=None)
    group.addoption(
        "--clausegate-mode",
        choices=("gate", "verify"),
        default=None,
        help="collect YAML spec files and gate them on a throwaway database, or verify a "
        "live one (set by the clausegate command; without it no YAML file is collected)",
    )
    group.addoption(
        "--clausegate-migration",
        default=None,
        help="gate: the migration to apply instead of the spec's; verify: the file applied",
    )
    group.addoption(
        "--clausegate-runs-as",
        default=None,
        help="gate: the role (or `superuser`) to apply the migration as instead of the spec's",
    )
    group.addoption(
        "--clausegate-before",
        default=None,
        help="verify: the snapshot file holding the before state",
    )
    group.addoption(
        "--clausegate-waivers",
        default=None,
        help="a waiver file (check, approver, justification, expires)",
    )


def pytest_configure(config: pytest.Config) -> None:
    mode = config.getoption("clausegate_mode")
    if not mode:
        return
    settings = settings_of(config)
    migration = config.getoption("clausegate_migration")
    before = config.getoption("clausegate_before")
    waiver_file = config.getoption("clausegate_waivers")
    runs_as = config.getoption("clausegate_runs_as")
    options = engine.Options(
        mode=mode,
        migration=Path(migration) if migration else None,
        runs_as=MigrationRole.from_flag(runs_as) if runs_as else None,
        before=Path(before) if before else None,
        waivers=Path(waiver_file) if waiver_file else None,
        target=settings,
    )
    run_engine = engine.Engine(options, say=lambda line: _say(config, line))
    config.stash[engine.ENGINE_KEY] = run_engine
    config.pluginmanager.register(run_engine, ENGINE_PLUGIN)


def _say(config: pytest.Config, line: str) -> None:
    """A line for the user while the run goes on (pytest captures standard error)."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        print(line, file=sys.stderr, flush=True)
        return
    capture = config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else nullcontext():
        reporter.ensure_newline()
        reporter.write_line(line)


def pytest_unconfigure(config: pytest.Config) -> None:
    run_engine = config.stash.get(engine.ENGINE_KEY, None)
    if run_engine is not None:
        del config.stash[engine.ENGINE_KEY]
        config.pluginmanager.unregister(run_engine)
        run_engine.close()


def settings_of(config: pytest.Config) -> TargetSettings:
    """The target settings of this pytest run (a bad --pg-version is a usage error)."""
    try:
        return target_settings(lambda setting: setting_value(config, setting))
    except ClausegateError as exc:
        raise pytest.UsageError(str(exc)) from None


def setting_value(config: pytest.Config, setting: Setting) -> str | None:
    """Flag, then ini option, then environment variable, then the built-in default."""
    flag = config.getoption(setting.ini)
    if flag:
        return str(flag)
    ini = config.getini(setting.ini)
    if ini:
        return str(ini)
    return setting.from_environment()


SERIAL_QUERIES = {"max_parallel_workers_per_gather": "0"}


class ServerPool:
    """The servers of one test session, started on first use and kept until its end: the
    default one, and one per PostgreSQL major a test asks for (the same server when the
    default is of that major)."""

    def __init__(self, settings: TargetSettings) -> None:
        self.settings = settings
        self._stack = ExitStack()
        self._servers: dict[str, Server] = {}

    def get(self, major: int | None = None) -> Server:
        settings = self.settings if major is None else replace(self.settings, pg_version=major)
        if settings.target in ("auto", "local") and dsn_from_environment(settings.dsn) is None:
            found = pgbin.discover(settings.pg_bin)
            if found.installations or settings.target == "local":
                return self.at(pgbin.select(found, settings.pg_version, "--pg-version"))
        key = f"{settings.target} {settings.dsn} {settings.pg_version}"
        if key not in self._servers:
            self._servers[key] = self._stack.enter_context(open_server(settings))
        return self._servers[key]

    def at(self, installation: pgbin.Installation) -> Server:
        """A local server of exactly these binaries. The servers of majors other than the
        default one run without parallel query workers: a suite that keeps every core busy
        pays their start-up and hand-over for nothing (measured: a fifth more time for two
        gates side by side); the default server keeps them, so that path stays tested."""
        key = str(installation.bindir)
        if key not in self._servers:
            default = pgbin.select(pgbin.discover(self.settings.pg_bin), None, "--pg-version")
            settings = None if default.bindir == installation.bindir else SERIAL_QUERIES
            self._servers[key] = self._stack.enter_context(
                LocalServer(installation, settings=settings)
            )
        return self._servers[key]

    def close(self) -> None:
        self._stack.close()


@pytest.fixture(scope="session")
def pg_servers(pytestconfig: pytest.Config) -> Iterator[ServerPool]:
    """Every server of the session (per xdist worker), all stopped when it ends."""
    pool = ServerPool(settings_of(pytestconfig))
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture(scope="session")
def pg_server(request: pytest.FixtureRequest, pg_servers: ServerPool) -> Server:
    """The session's server: the target settings' (default 16.13 for local), or, for a test
    parametrised indirectly with a major (`every_major`), a server of that major."""
    major: int | None = getattr(request, "param", None)
    try:
        return pg_servers.get(major)
    except ClausegateError as exc:
        pytest.fail(f"clausegate could not provide a server: {exc}", pytrace=False)


@pytest.fixture
def database_factory(pg_server: Server) -> Iterator[Callable[..., str]]:
    """Make new databases (optionally from a template); all are dropped after the test.

    Returns the new database's name.
    """
    made: list[str] = []

    def make(template: str | None = None, prefix: str = "cg_test") -> str:
        name = templates.unique_name(prefix)
        templates.create_database(pg_server, name, template)
        made.append(name)
        return name

    yield make
    for name in made:
        templates.drop_database(pg_server, name)


class EngineHolder:
    """Keeps a reference to the run's engine, so its verdicts outlive pytest's config."""

    def __init__(self) -> None:
        self.engine: engine.Engine | None = None

    @pytest.hookimpl(trylast=True)
    def pytest_configure(self, config: pytest.Config) -> None:
        self.engine = config.stash.get(engine.ENGINE_KEY, None)
