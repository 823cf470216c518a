"""Where a workspace keeps its specs, baselines, reference fixtures, checks and reports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def specs(self) -> Path:
        return self.root / "specs"

    @property
    def baselines(self) -> Path:
        return self.root / "baselines"

    @property
    def fixtures(self) -> Path:
        return self.root / "fixtures"

    @property
    def checks(self) -> Path:
        return self.root / "checks"

    @property
    def reports(self) -> Path:
        return self.root / "reports"
