"""Expected changes: a change the migration must make (kind, identity pattern, action)."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from clausegate.checks import CheckKind, body_of, expect, register
from clausegate.checks.attributes import Attributes, by_kind, columns_of, mismatches
from clausegate.checks.attributes import schema as attributes_schema
from clausegate.checks.evidence import (
    ChangeLike,
    Evidence,
    blind_spots,
    kind_depends,
    label,
    listed,
    not_compared,
)
from clausegate.checks.verdict import Verdict, broken, failed, passed
from clausegate.snapshot.catalog import LABELS
from clausegate.spec import Check


@dataclass(frozen=True)
class ExpectedChange:
    kind: str
    identity: str
    action: str | None = None
    attributes: Attributes | None = None


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
    if body.attributes is not None:
        stated = body.attributes.stated()
        wanted += " with " + ", ".join(f"{k} {expect.show(v)}" for k, v in stated.items())
    return f"the migration must make this change: {wanted}"


def judge(check: Check, ev: Evidence) -> Verdict:
    lines = [c.text for c in ev.changes if declared(c, check)]
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
    if body.attributes is not None:
        try:
            problems = _attribute_problems(check, ev, body.attributes)
        except ValueError as exc:  # the after snapshot could not read what is stated
            return broken(f"{check.title}: its attributes cannot be compared: {exc}")
        if problems:
            return failed(
                f"{check.title}: {problems[0]}",
                evidence=listed([*problems, *lines]),
                observed=problems,
            )
        stated = ", ".join(body.attributes.stated())
        lines = [*lines, f"attributes as stated: {stated}"]
    return passed(f"{check.title}: {len(lines)} matching change(s)", evidence=listed(lines))


def _attribute_problems(check: Check, ev: Evidence, stated: Attributes) -> list[str]:
    """Each matching object, after the migration, against the attributes the spec states."""
    body = body_of(check, ExpectedChange)
    problems = []
    for change in ev.changes:
        if not declared(change, check) or change.after is None:
            continue
        columns = []
        if stated.columns is not None:
            after = ev.snapshots.get("after")
            if after is None:
                raise ValueError("the after snapshot is not at hand")
            columns = columns_of(after, change.identity)
        for problem in mismatches(body.kind, stated, change.after, columns):
            problems.append(f"{body.kind} {change.identity}: {problem}")
    return problems


# Every kind a change can have, as specs name them: the snapshot's kinds by their labels,
# a config row, a table's rows (and the other data probes), and what phase/outside.py
# reports of a gate's cluster (tests/test_check_kinds.py checks that list against it).
OUTSIDE_KINDS = ("file", "process", "other database")
CHANGE_KINDS = sorted({*LABELS.values(), "row", "data", "row_count", "rows", *OUTSIDE_KINDS})


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
                        "The kind of the change, as `clausegate diff` names it: a catalog, "
                        "cluster or non-transactional kind (`function`, `role setting`, "
                        "`sequence value`…), `row` for a config row, `data` for a table's "
                        "rows, or what a gate sees outside the database (`file`, `process`, "
                        "`other database`)."
                    ),
                    "enum": CHANGE_KINDS,
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
                "attributes": attributes_schema(),
            },
            "required": ["kind", "identity"],
            "allOf": [
                *by_kind(),
                {  # An object removed has no attributes after the migration.
                    "if": {"properties": {"action": {"const": "removed"}}, "required": ["action"]},
                    "then": {
                        "not": {"required": ["attributes"]},
                        "description": (
                            "an object removed has no attributes after the migration; leave "
                            "`attributes:` out"
                        ),
                    },
                },
            ],
        },
        body=ExpectedChange,
        rule=rule,
        judge=judge,
    )
)
