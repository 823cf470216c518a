"""Forbidden: a catalog object created, selected by kind and by an identity pattern."""

from __future__ import annotations

from clausegate.checks import CheckKind, body_of, register
from clausegate.checks.evidence import (
    Evidence,
    Selector,
    kind_depends,
    matching,
    selects,
    verdict_from_changes,
)
from clausegate.checks.verdict import Verdict
from clausegate.snapshot.catalog import LABELS
from clausegate.spec import Check


def rule(check: Check) -> str:
    selector = body_of(check, Selector)
    what = selector.kind or "object"
    named = f" matching {selector.identity}" if selector.identity else ""
    return f"no {what}{named} may be created"


def judge(check: Check, ev: Evidence) -> Verdict:
    selector = body_of(check, Selector)
    lines = matching(ev, lambda c: c.action == "added" and selects(selector, c))
    return verdict_from_changes(check, lines, "a forbidden object was created")


register(
    CheckKind(
        key="object_created",
        schema={
            "type": "object",
            "description": (
                "Which catalog objects: by kind and by identity (shell-style pattern, e.g. "
                "`public.fn_iu_op_*`)."
            ),
            "additionalProperties": False,
            "properties": {
                "kind": {
                    "type": "string",
                    "description": (
                        "The kind of catalog object, as `clausegate diff` names it (table, "
                        "column, constraint, index, trigger, view, sequence, function, "
                        "extension, schema, type, policy, event trigger, publication, role…); "
                        "any when omitted."
                    ),
                    "enum": sorted(set(LABELS.values())),
                },
                "identity": {
                    "type": "string",
                    "description": (
                        "A shell-style pattern over the object's identity (e.g. "
                        "`public.event_outbox.*`)."
                    ),
                },
            },
            "minProperties": 1,
        },
        body=Selector,
        rule=rule,
        judge=judge,
        depends=lambda check: kind_depends(body_of(check, Selector).kind),
    )
)
