"""Forbidden: any body of a function, view, trigger, policy or CHECK but the one ratified.

A reviewer ratifies what a function does by reading its body; a migration that ships
another body (a backdoor actor, a gate skipped from some date, a dry run that writes)
keeps every count and every attribute. The spec pins the body as reviewed, in a file
beside the spec (`source:`) or as the SHA-256 of its normal form (`sha256:`), and says
where it was ratified; the check reads the object's text from the after snapshot and
FAILs on any other body, with a unified diff against the ratified text. Bodies are
compared token by token (clausegate.checks.ratified_text): layout and comments do not
count. `clausegate pin SPEC` refreshes the pins from a reviewed migration.

What text each kind has, as the after snapshot reads it: a function its body (prosrc,
or the SQL-standard body as the server prints it), a view pg_get_viewdef, a trigger
pg_get_triggerdef, a CHECK (any constraint) pg_get_constraintdef, a policy its command,
mode, roles and expressions in CREATE POLICY's words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clausegate.checks import CheckKind, body_of, register
from clausegate.checks.evidence import Evidence, Missing, blind_spots, not_compared
from clausegate.checks.ratified_text import normal_form, read_ratified, unified_diff
from clausegate.checks.verdict import Verdict, broken, failed, passed
from clausegate.snapshot.model import Snapshot, objects
from clausegate.spec import Check

# The kinds a body can be pinned for: the key naming the object → its catalog kind.
PINNABLE: Mapping[str, str] = {
    "function": "functions",
    "view": "views",
    "trigger": "triggers",
    "policy": "policies",
    "check": "constraints",
}


@dataclass(frozen=True)
class RatifiedBody:
    """The object (exactly one of the five keys: its identity as `clausegate diff` writes
    it), the body it must have (a file or a hash) and where that body was ratified."""

    ratified: str
    function: str | None = None
    view: str | None = None
    trigger: str | None = None
    policy: str | None = None
    check: str | None = None
    source: str | None = None
    sha256: str | None = None

    @property
    def kind(self) -> str:
        (kind,) = (key for key in PINNABLE if getattr(self, key) is not None)
        return kind

    @property
    def identity(self) -> str:
        return str(getattr(self, self.kind))


def source_path(check: Check) -> Path | None:
    """The ratified file of a check (relative to its spec file), None when it pins a hash."""
    pin = body_of(check, RatifiedBody)
    if pin.source is None:
        return None
    base = check.spec_path.parent if check.spec_path is not None else Path()
    return base / pin.source


def text_of(snapshot: Snapshot, kind: str, identity: str) -> str | None:
    """The text of an object as the snapshot reads it (see the module docstring); None
    when the object is not there; ValueError when its kind could not be read."""
    found = objects(snapshot, "catalog", PINNABLE[kind]).get(identity)
    if found is None:
        return None
    if kind == "function":
        return str(found.get("body") or "")
    if kind == "policy":
        return policy_text(found)
    return str(found.get("definition") or "")


def policy_text(attrs: Mapping[str, Any]) -> str:
    """A policy's text in CREATE POLICY's words, one clause a line."""
    lines = [f"AS {str(attrs.get('mode', '')).upper()}", f"FOR {attrs.get('command')}",
             f"TO {', '.join(attrs.get('roles') or [])}"]  # fmt: skip
    if attrs.get("using") is not None:
        lines.append(f"USING ({attrs['using']})")
    if attrs.get("with_check") is not None:
        lines.append(f"WITH CHECK ({attrs['with_check']})")
    return "\n".join(lines)


def rule(check: Check) -> str:
    pin = body_of(check, RatifiedBody)
    pinned = f"the body in {pin.source}" if pin.source else f"the body of sha256 {pin.sha256}"
    return f"{pin.kind} {pin.identity} must have {pinned}; ratified: {pin.ratified}"


def judge(check: Check, ev: Evidence) -> Verdict:
    pin = body_of(check, RatifiedBody)
    blind = blind_spots(ev, ["after"], lambda part: part == PINNABLE[pin.kind])
    if blind:
        return not_compared(check.title, blind)
    after = ev.snapshots.get("after")
    if after is None:
        raise Missing("the after snapshot was not kept for this run")
    try:
        found = text_of(after, pin.kind, pin.identity)
    except ValueError as exc:
        return broken(f"{check.title}: {exc}")
    if found is None:
        return failed(
            f"{check.title}: {pin.kind} {pin.identity} does not exist after the migration; "
            f"its body was ratified ({pin.ratified})"
        )
    seen = normal_form(found)
    how = "" if seen.scanned else " (compared line by line: PostgreSQL's scanner cannot read it)"
    if pin.sha256 is not None:
        if seen.sha256 == pin.sha256:
            return passed(f"{pin.kind} {pin.identity} has the ratified body{how}")
        return failed(
            f"{check.title}: the body of {pin.kind} {pin.identity} is not the one ratified "
            f"({pin.ratified}): its sha256 is {seen.sha256}, the spec pins {pin.sha256}{how}",
            evidence=("the body found:", *found.splitlines()),
        )
    path = source_path(check)
    assert path is not None  # the schema takes a source or a hash
    try:
        ratified = read_ratified(path)
    except (OSError, UnicodeDecodeError) as exc:
        return broken(f"{check.title}: the ratified body {path} cannot be read: {exc}")
    wanted = normal_form(ratified.body)
    if wanted.tokens == seen.tokens and wanted.scanned == seen.scanned:
        layout = "" if ratified.body.strip() == found.strip() else " (its layout differs)"
        return passed(f"{pin.kind} {pin.identity} has the ratified body{how}{layout}")
    diff = unified_diff(
        ratified.body,
        found,
        ratified_name=f"{pin.source} (as ratified)",
        found_name=f"{pin.kind} {pin.identity} after the migration",
    )
    return failed(
        f"{check.title}: the body of {pin.kind} {pin.identity} is not the one ratified "
        f"({pin.ratified}){how}",
        evidence=tuple(diff),
    )


def _depends(check: Check) -> Any:
    part = PINNABLE[body_of(check, RatifiedBody).kind]
    return lambda name: name == part


_IDENTITY = {
    "function": "A function's identity, e.g. `public.fn_withdraw(integer, numeric)`.",
    "view": "A view's identity, e.g. `public.v_queue_health`.",
    "trigger": "A trigger's identity: `schema.table.trigger`.",
    "policy": "A policy's identity: `schema.table.policy`.",
    "check": "A constraint's identity: `schema.table.constraint` (a CHECK, or any other).",
}

_IDENTITIES = {
    key: {"type": "string", "minLength": 1, "description": text} for key, text in _IDENTITY.items()
}

register(
    CheckKind(
        key="ratified_body",
        schema={
            "type": "object",
            "description": (
                "The body of one function, view, trigger, policy or CHECK, pinned as it was "
                "reviewed: any other body after the migration FAILs with a unified diff. "
                "`clausegate pin SPEC` writes the pins from a reviewed migration."
            ),
            "additionalProperties": False,
            "properties": {
                **_IDENTITIES,
                "source": {
                    "type": "string",
                    "minLength": 1,
                    "description": (
                        "A file holding the body as ratified, relative to the spec file "
                        "(leading `--` lines are its header). Compared token by token."
                    ),
                },
                "sha256": {
                    "type": "string",
                    "pattern": "^[0-9a-f]{64}$",
                    "description": "The SHA-256 of the body's normal form (a token a line).",
                },
                "ratified": {
                    "type": "string",
                    "minLength": 1,
                    "description": (
                        "Where the body was ratified, e.g. `migration 051 as reviewed (seed 001)`."
                    ),
                },
            },
            "required": ["ratified"],
            "oneOf": [{"required": [key]} for key in PINNABLE],
            "allOf": [{"oneOf": [{"required": ["source"]}, {"required": ["sha256"]}]}],
        },
        body=RatifiedBody,
        rule=rule,
        judge=judge,
        depends=_depends,
    )
)
