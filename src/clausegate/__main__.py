from __future__ import annotations

from clausegate.cli import run

run()
