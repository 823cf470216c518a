"""Pieces every subcommand shares: the target options and the server they select.

Every command module imports only what declaring its options needs at the top; what
running it needs (psycopg, the spec machinery, pytest, the reports) is imported by the
function that runs it, so each command starts with only what it uses.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from clausegate.config import TARGET_SETTINGS, Setting, TargetSettings, target_settings
from clausegate.errors import ClausegateError

if TYPE_CHECKING:
    from clausegate.targets import Server


def add_target_options(
    parser: argparse.ArgumentParser, settings: Sequence[Setting] = TARGET_SETTINGS
) -> None:
    group = parser.add_argument_group("where the database comes from")
    for setting in settings:
        group.add_argument(
            setting.flag,
            dest=setting.name,
            default=None,
            metavar=setting.name.upper(),
            help=f"{setting.help} [env: {setting.env}]",
        )


def target_values(args: argparse.Namespace) -> TargetSettings:
    """The target settings from the flags, falling back to the environment."""

    def value_of(setting: Setting) -> str | None:
        return getattr(args, setting.name, None) or setting.from_environment()

    return target_settings(value_of)


def server_from_args(
    args: argparse.Namespace, *, tcp: bool = False, keep: bool = False
) -> AbstractContextManager[Server]:
    from clausegate.targets import open_server

    return open_server(target_values(args), tcp=tcp, keep=keep)


def spec_files(paths: Sequence[str]) -> list[Path]:
    """The spec files named, directories expanded to their *.yaml files (sorted), but those
    that are plainly something else (a waiver file beside the specs), each said on stderr.
    A file named on its own is always taken as a spec."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for candidate in sorted(path.glob("*.yaml")):
                other = not_a_spec(candidate)
                if other:
                    print(f"clausegate: skipped {candidate}: {other}", file=sys.stderr)
                else:
                    found.append(candidate)
        elif path.exists():
            found.append(path)
        else:
            raise ClausegateError(f"{raw}: no such file or directory")
    return found


# The top-level keys every spec has (one of them at least) and what else a YAML file
# beside specs usually is.
_SPEC_KEYS = ("law", "phase", "build", "clauses")


def not_a_spec(path: Path) -> str:
    """What a YAML file in a spec folder is instead of a spec ("" when it may be one)."""
    import yaml

    from clausegate import yamlpos

    try:
        data = yamlpos.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""  # let the spec loader say what is wrong with it
    if not isinstance(data, dict) or any(key in data for key in _SPEC_KEYS):
        return ""
    if "waivers" in data:
        return "a waiver file, not a spec (give it to gate or verify with --waivers)"
    keys = ", ".join(sorted(str(k) for k in data)[:5]) or "nothing"
    return f"not a spec (it has none of {', '.join(_SPEC_KEYS)}; its keys: {keys})"


def command_line(args: argparse.Namespace) -> list[str]:
    """The command as typed (main() keeps its words; sys.argv otherwise)."""
    return ["clausegate", *getattr(args, "command_line", sys.argv[1:])]
