"""Fixtures shared by the report and evidence tests."""

from __future__ import annotations

import pytest

from clausegate.targets import Server
from tests.report_run import Run, gate_audit


@pytest.fixture(scope="session")
def audit_run(pg_server: Server, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One gate run of tests/report_cases/audit (per xdist worker); treat it as read-only."""
    return gate_audit(pg_server, tmp_path_factory.mktemp("audit") / "run")
