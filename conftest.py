"""Wires this workspace (specs/, baselines/, fixtures/, checks/, reports/) into the plugin."""

from __future__ import annotations

from pathlib import Path

import pytest

from clausegate.workspace import Workspace

ROOT = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def workspace() -> Workspace:
    return Workspace(ROOT)
