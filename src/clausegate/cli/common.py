"""Pieces every subcommand shares: the target options and the server they select."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from clausegate.config import TARGET_SETTINGS, Setting, target_settings
from clausegate.errors import ClausegateError
from clausegate.targets import Server, TargetSettings, open_server


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
    return open_server(target_values(args), tcp=tcp, keep=keep)


def spec_files(paths: Sequence[str]) -> list[Path]:
    """The spec files named, directories expanded to their *.yaml files (sorted)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(path.glob("*.yaml")))
        elif path.exists():
            found.append(path)
        else:
            raise ClausegateError(f"{raw}: no such file or directory")
    return found
