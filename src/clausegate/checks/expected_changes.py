"""Expected changes: a change the migration must make (kind, identity pattern, action)."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from clausegate.checks import CheckKind, body_of, register
from clausegate.checks.evidence import (
    ChangeLike,
    Evidence,
    blind_spots,
    kind_depends,
    label,
    listed,
    not_compared,
)
from clausegate.checks.verdict import Verdict, failed, passed
from clausegate.spec import Check


@dataclass(frozen=True)
class ExpectedChange:
    kind: str
    identity: str
    action: str | None = None


def declared(change: ChangeLike, check: Check) -> bool:
    body = body_of(check, ExpectedChange)
    return (
        label(change) == body.kind
        and fnmatch.fnmatchcase(change.identity, body.identity)
        and (body.action is None or body.action == change.action)
    )


def rule(check: Check) -> str:
    body = body_of(check, ExpectedChange)
    wanted = f"{body.action or 'any change of'} {body.kind} {body.identity}"
    return f"the migration must make this change: {wanted}"


def judge(check: Check, ev: Evidence) -> Verdict:
    lines = [c.line for c in ev.changes if declared(c, check)]
    body = body_of(check, ExpectedChange)
    blind = blind_spots(ev, ("before", "after"), kind_depends(body.kind))
    if not lines and blind:
        return not_compared(check.title, blind)
    wanted = f"{body.action or 'any change of'} {body.kind} {body.identity}"
    if not lines:
        return failed(
            f"{check.title}: the expected change did not happen ({wanted})",
            evidence=(f"expected: {wanted}", "seen: no matching change"),
        )
    return passed(f"{check.title}: {len(lines)} matching change(s)", evidence=listed(lines))


register(
    CheckKind(
        section="expected_changes",
        key="expected_changes",
        schema={
            "type": "object",
            "description": (
                "A change the migration is allowed to make. Every other change fails the closed "
                "world."
            ),
            "additionalProperties": False,
            "properties": {
                "kind": {
                    "type": "string",
                    "description": (
                        "The catalog kind, `row` for a config/data row, or `nontransactional`."
                    ),
                },
                "identity": {
                    "type": "string",
                    "description": (
                        "A shell-style pattern over the identity of the changed object."
                    ),
                },
                "action": {
                    "type": "string",
                    "description": "How it may change (any when omitted).",
                    "enum": ["added", "removed", "modified"],
                },
            },
            "required": ["kind", "identity"],
        },
        body=ExpectedChange,
        rule=rule,
        judge=judge,
    )
)
