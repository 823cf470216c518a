"""Each command starts with only what it uses: the parser of every subcommand loads no
database driver, spec machinery, test runner or report code, and `snapshot` loads
psycopg and the snapshot engine but none of the rest (bench/ measures what that costs)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from clausegate.targets import Server
from tests.cli import ROOT

# What only some commands need, each slow to import.
HEAVY = ("psycopg", "jsonschema", "pytest", "pglast", "deepdiff", "cryptography", "yaml")
# Of those, what a snapshot needs: the driver, and YAML for a --probes file.
SNAPSHOT_NEEDS = ("psycopg", "yaml")


def _loaded_after(code: str) -> list[str]:
    """The heavy top-level packages loaded after running `code` in a fresh interpreter."""
    script = (
        f"import sys\n{code}\n"
        f"print(__import__('json').dumps(sorted({{m.split('.')[0] for m in sys.modules}} & "
        f"set({HEAVY!r}))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return list(json.loads(result.stdout.splitlines()[-1]))


def test_the_parser_of_every_command_loads_nothing_heavy() -> None:
    assert _loaded_after("from clausegate.cli import build_parser; build_parser()") == []


def test_a_snapshot_loads_the_driver_and_not_the_spec_machinery(
    pg_server: Server, tmp_path: Path
) -> None:
    output = tmp_path / "snapshot.json"
    run = (
        "from clausegate.cli import main\n"
        f"assert main(['snapshot', '--dsn', {pg_server.conninfo()!r}, '-o', {str(output)!r}]) == 0"
    )
    loaded = _loaded_after(run)
    assert output.is_file()
    assert set(loaded) <= set(SNAPSHOT_NEEDS), loaded
    assert "psycopg" in loaded
