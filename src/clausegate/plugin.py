"""The pytest plugin: target options and the server fixtures every SQL test stands on.

Registered through the `pytest11` entry point, so any pytest run in an environment
where clausegate is installed has `--clausegate-target` and the `pg_server` fixture.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from clausegate import templates
from clausegate.errors import ClausegateError
from clausegate.settings import TARGET_SETTINGS, Setting
from clausegate.targets import Server, open_server


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


def setting_value(config: pytest.Config, setting: Setting) -> str | None:
    """Flag, then ini option, then environment variable, then the built-in default."""
    flag = config.getoption(setting.ini)
    if flag:
        return str(flag)
    ini = config.getini(setting.ini)
    if ini:
        return str(ini)
    return setting.from_environment()


@pytest.fixture(scope="session")
def pg_server(pytestconfig: pytest.Config) -> Iterator[Server]:
    """One server per test session (per xdist worker), gone when the session ends."""
    target, dsn, pg_bin = (setting_value(pytestconfig, s) for s in TARGET_SETTINGS)
    try:
        with open_server(target or "auto", dsn, pg_bin) as server:
            yield server
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
