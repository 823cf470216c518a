"""Waivers: a FAIL an approver has accepted, with a justification and an expiry date.

A waiver that has expired no longer waives: the check is a FAIL again, and says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from clausegate import yamlpos
from clausegate.spec import Problem, SpecError, read_text
from clausegate.yamlpos import Position

FIELDS = ("check", "approver", "justification", "expires")


@dataclass(frozen=True)
class Waiver:
    check: str
    spec: str | None
    approver: str
    justification: str
    expires: dt.date

    def expired(self, today: dt.date) -> bool:
        return today > self.expires


def load(path: Path) -> list[Waiver]:
    """Read a waiver file: `waivers:` a list of {check, approver, justification, expires, spec?}."""
    text = read_text(path)
    try:
        located = yamlpos.load(text)
    except yamlpos.YamlError as exc:
        raise SpecError(path, [Problem(exc.position, exc.message)]) from None
    data = located.data
    if not isinstance(data, dict) or not isinstance(data.get("waivers"), list):
        raise SpecError(path, [Problem(Position(1, 1), "a waiver file is `waivers:` and a list")])
    problems: list[Problem] = []
    waivers: list[Waiver] = []
    for i, entry in enumerate(data["waivers"]):
        here = located.position(("waivers", i))
        if not isinstance(entry, dict):
            problems.append(
                Problem(here, "a waiver is a mapping of check, approver, justification, expires")
            )
            continue
        unknown = sorted(set(entry) - {*FIELDS, "spec"})
        if unknown:
            problems.append(
                Problem(here, f"unknown key {unknown[0]!r}; allowed: {', '.join(FIELDS)}, spec")
            )
        missing = [f for f in FIELDS if not entry.get(f)]
        if missing:
            problems.append(
                Problem(
                    here,
                    f"waiver {i + 1} has no {missing[0]}; every waiver needs {', '.join(FIELDS)}",
                )
            )
            continue
        expires = entry["expires"]
        if not isinstance(expires, dt.date):
            problems.append(
                Problem(
                    located.position(("waivers", i, "expires")),
                    "expires: write a date as YYYY-MM-DD",
                )
            )
            continue
        waivers.append(
            Waiver(
                check=str(entry["check"]),
                spec=entry.get("spec"),
                approver=str(entry["approver"]),
                justification=str(entry["justification"]),
                expires=expires,
            )
        )
    if problems:
        raise SpecError(path, problems)
    return waivers


def find(waivers: list[Waiver], spec_path: Path, check_id: str) -> Waiver | None:
    for waiver in waivers:
        if waiver.check == check_id and waiver.spec in (None, spec_path.name, str(spec_path)):
            return waiver
    return None
