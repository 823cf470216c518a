"""`clausegate pin`: write a spec's ratified bodies from a reviewed migration.

The spec's before state is built on a throwaway database, the reviewed migration applied
(as the spec's build.runs_as), and each `ratified_body` check's object read from the
snapshot after it: a `source:` file is rewritten with that body (a header saying what it
is and where it was read), a `sha256:` is rewritten in the spec file in place. What
changed is shown as a unified diff; `--check` shows it and writes nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clausegate.cli.common import add_target_options, server_from_args
from clausegate.errors import EXIT_FAIL, EXIT_OK, EXIT_USAGE, ClausegateError

if TYPE_CHECKING:
    from clausegate.spec import Check, Spec


def add_parsers(commands: argparse._SubParsersAction[Any]) -> None:
    pin = commands.add_parser(
        "pin",
        help="write the ratified bodies of a spec (ratified_body) from a reviewed migration",
        description=(
            "Apply a reviewed migration on a throwaway copy of the spec's before state and "
            "write each ratified_body pin (its source file, or its sha256 in the spec) from "
            "what it created, showing what changed."
        ),
    )
    pin.add_argument("spec", metavar="SPEC", help="the spec whose pins to refresh")
    pin.add_argument(
        "--migration",
        metavar="FILE",
        help="the reviewed migration (default: the spec's build.migration)",
    )
    pin.add_argument(
        "--check",
        action="store_true",
        help="write nothing: show what would change and exit 1 if anything would",
    )
    add_target_options(pin)
    pin.set_defaults(func=cmd_pin)


@dataclass(frozen=True)
class Pin:
    """One ratified_body check of the spec and the body the reviewed migration gave it."""

    check: Check
    found: str | None  # None: the object does not exist after the migration


def cmd_pin(args: argparse.Namespace) -> int:
    from clausegate.checks.language import load_spec_to_pin
    from clausegate.checks.ratified_body import RatifiedBody

    spec = load_spec_to_pin(Path(args.spec))
    checks = [c for c in spec.checks if isinstance(c.body, RatifiedBody)]
    if not checks:
        raise ClausegateError(
            f"{args.spec}: no ratified_body check to pin; add one under forbidden:, e.g. "
            "`ratified_body: {function: public.fn(text), source: ratified/fn.sql, "
            "ratified: migration 051 as reviewed}`",
            EXIT_USAGE,
        )
    migration = Path(args.migration) if args.migration else spec.build.migration
    if not migration.is_file():
        raise ClausegateError(f"--migration {migration}: no such file", EXIT_USAGE)
    pins, version = _read_pins(args, spec, checks, migration)
    digest = hashlib.sha256(migration.read_bytes()).hexdigest()
    spec_text = spec.path.read_text("utf-8")
    changed = missing = 0
    for pin in pins:
        body = pin.check.body
        assert isinstance(body, RatifiedBody)
        what = f"{body.kind} {body.identity}"
        if pin.found is None:
            print(f"clausegate pin: {pin.check.id}: {what} does not exist after {migration}")
            missing += 1
            continue
        if body.source is not None:
            header = (
                f"-- The body of {what},",
                f"-- as ratified: {body.ratified}.",
                f"-- Read by `clausegate pin` from {migration.name} (sha256 {digest[:16]}…)",
                f"-- applied on {version}; compared token by token.",
            )
            changed += _pin_source(pin.check, body.source, header, pin.found, args.check)
        else:
            spec_text, moved = _pin_hash(spec, spec_text, pin.check, pin.found, args.check)
            changed += moved
    if changed and not args.check:
        spec.path.write_text(spec_text, "utf-8")
    verb = "would change" if args.check else "changed"
    read = len(pins) - missing
    print(f"clausegate pin: {read} pin{'s' if read != 1 else ''} read, {changed} {verb}"
          + (f", {missing} objects missing" if missing else ""))  # fmt: skip
    if missing or (args.check and changed):
        return EXIT_FAIL
    return EXIT_OK


def _read_pins(
    args: argparse.Namespace, spec: Spec, checks: list[Check], migration: Path
) -> tuple[list[Pin], str]:
    """Each check's body after the reviewed migration, and the server's version."""
    from clausegate.checks.ratified_body import RatifiedBody, text_of
    from clausegate.db import reference, templates
    from clausegate.phase.capture import take_snapshot
    from clausegate.phase.gate import before_template

    made: list[str] = []
    role = spec.build.runs_as.role if spec.build.runs_as is not None else None
    with server_from_args(args) as server:
        try:
            template = before_template(server, spec, {}, made.append)
            with templates.database(server, "cg_pin", template=template) as name:
                conninfo = server.conninfo(name)
                reference.apply_sql_file(conninfo, migration, role=role)
                after = take_snapshot(conninfo, {})
        finally:
            for name in reversed(made):
                templates.drop_database(server, name)
        version = " ".join(server.version.split()[:2])  # PostgreSQL 16.13
    pins = []
    for check in checks:
        body = check.body
        assert isinstance(body, RatifiedBody)
        try:
            found = text_of(after, body.kind, body.identity)
        except ValueError as exc:
            raise ClausegateError(f"{check.id}: {exc}") from None
        pins.append(Pin(check, found))
    return pins, version


def _pin_source(check: Check, source: str, header: tuple[str, ...], found: str, dry: bool) -> int:
    """Write a source pin; 1 when its body changed (a diff shown), else 0."""
    from clausegate.checks.ratified_text import (
        normal_form,
        ratified_file_text,
        read_ratified,
        unified_diff,
    )

    assert check.spec_path is not None
    path = check.spec_path.parent / source
    if path.is_file():
        old = read_ratified(path)
        if normal_form(old.body).tokens == normal_form(found).tokens:
            print(f"clausegate pin: {check.id}: {path} unchanged")
            return 0
        print(f"clausegate pin: {check.id}: {path} changed:")
        for line in unified_diff(old.body, found, ratified_name=f"{path} (pinned)",
                                 found_name=f"{path} (reviewed migration)"):  # fmt: skip
            print(f"  {line}")
    else:
        print(f"clausegate pin: {check.id}: {path} is new ({_lines(found)})")
    if not dry:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(ratified_file_text(header, found), "utf-8")
    return 1


def _pin_hash(spec: Spec, text: str, check: Check, found: str, dry: bool) -> tuple[str, int]:
    """The spec's text with a hash pin rewritten; 1 when it changed, else 0."""
    from clausegate.checks.ratified_body import RatifiedBody
    from clausegate.checks.ratified_text import normal_form

    body = check.body
    assert isinstance(body, RatifiedBody) and body.sha256 is not None
    new = normal_form(found).sha256
    if new == body.sha256:
        print(f"clausegate pin: {check.id}: sha256 unchanged")
        return text, 0
    print(f"clausegate pin: {check.id}: sha256 {body.sha256} → {new}")
    count = len(re.findall(re.escape(body.sha256), text))
    if count != 1:
        raise ClausegateError(
            f"{spec.path}: the sha256 of check {check.id} appears {count} times in the file; "
            "write it once, under its check"
        )
    return (text if dry else text.replace(body.sha256, new)), 1


def _lines(text: str) -> str:
    count = len(text.splitlines())
    return f"{count} line{'s' if count != 1 else ''}"
