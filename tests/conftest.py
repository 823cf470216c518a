"""Fixtures shared by the report and evidence tests."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from clausegate import environment
from clausegate.pytest.plugin import settings_of
from clausegate.targets import Server, dsn_from_environment, pgbin
from tests.report_run import Run, gate_audit


@pytest.fixture(scope="session")
def audit_run(pg_server: Server, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One gate run of tests/report_cases/audit (per xdist worker); treat it as read-only."""
    return gate_audit(pg_server, tmp_path_factory.mktemp("audit") / "run")


def pytest_configure(config: pytest.Config) -> None:
    # The before states the suite's local gate runs keep (phase.kept) go to a folder of
    # this session, shared by its xdist workers (they inherit the environment), never to
    # the user's cache.
    if environment.value(environment.XDIST_WORKER) is None and not environment.value(
        environment.STATE_CACHE
    ):
        folder = tempfile.mkdtemp(prefix="clausegate-test-states-")
        os.environ[environment.STATE_CACHE] = folder
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    config.addinivalue_line(
        "markers",
        "every_major: run on a local server of every PostgreSQL major found (15, 16, 17 and "
        "18 once npm ci has installed the embedded servers), not only on the default one",
    )
    config.addinivalue_line(
        "markers",
        "with_pg_dump: with every_major, only on the majors whose server has pg_dump beside it",
    )


MAJORS_KEY = pytest.StashKey[list[int | None]]()


def suite_majors(config: pytest.Config) -> list[int | None]:
    """The majors an `every_major` test runs on: each major found for the local target;
    only the configured server when the suite runs against a DSN, Docker or a --pg-bin.
    Looked up once per session."""
    if MAJORS_KEY not in config.stash:
        config.stash[MAJORS_KEY] = _find_majors(config)
    return config.stash[MAJORS_KEY]


def _find_majors(config: pytest.Config) -> list[int | None]:
    settings = settings_of(config)
    if settings.target not in ("auto", "local") or settings.pg_bin or settings.pg_version:
        return [None]
    if dsn_from_environment(settings.dsn) is not None:
        return [None]
    return list(pgbin.discover(None).majors()) or [None]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "pg_server" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("every_major") is None:
        return
    majors = suite_majors(metafunc.config)
    if metafunc.definition.get_closest_marker("with_pg_dump") is not None:
        majors = [m for m in majors if m is None or has_pg_dump(metafunc.config, m)]
    metafunc.parametrize(
        "pg_server",
        majors,
        indirect=True,
        scope="session",
        ids=[f"pg{major}" if major else "pg" for major in majors],
    )


def has_pg_dump(config: pytest.Config, major: int) -> bool:
    """Whether the server a test of `major` gets has pg_dump beside its binaries."""
    found = pgbin.discover(settings_of(config).pg_bin)
    return (pgbin.select(found, major, "--pg-version").bindir / "pg_dump").exists()
