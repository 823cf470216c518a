"""Điều 45's gates: a check kind only this law needs, kept in the workspace.

A gate of Điều 45 is a `dot_config` key that switches a part of the job queue on; seed 001
lists them with their values, spelt `true` or `false`. `law_gate` names one of them and the
value it must hold after the migration; it fails when the value is anything else (another
spelling of false included), and when the value before the migration was another one
(a gate flipped and left flipped). A key that is not one of the law's gates is refused by
`clausegate lint` at its line, so a misspelt gate is never silently "unchanged".

    forbidden:
      - id: no-worker-gate-flip
        clause: WK-A
        law_gate: {key: queue.worker.enabled, stays: "false"}
"""

from __future__ import annotations

from dataclasses import dataclass

from clausegate.checks import CheckKind, body_of, expect, register
from clausegate.checks.evidence import Evidence, Missing, config_query, config_values
from clausegate.checks.verdict import Verdict, broken, failed, passed
from clausegate.spec import Check

# Seed 001, "dot_config keys": the gates and the switches the law's functions read.
LAW_GATES = (
    "queue.worker.enabled",
    "queue.job_substrate.enabled",
    "queue.heartbeat.enabled",
    "queue.lease.reaper_enabled",
    "queue.lease.reaper_dry_run_only",
    "queue.dlq.replay_enabled",
)


@dataclass(frozen=True)
class LawGate:
    """`law_gate:`: the gate's key and the value it stays at."""

    key: str
    stays: str


def rule(check: Check) -> str:
    gate = body_of(check, LawGate)
    return f"Điều 45 gate {gate.key} (seed 001) stays {expect.show(gate.stays)}, never flipped"


def judge(check: Check, ev: Evidence) -> Verdict:
    gate = body_of(check, LawGate)
    key, wanted = gate.key, gate.stays
    query = config_query(ev.spec)
    if query is None:  # The loader requires `config:` (needs_config); kept for clarity.
        return broken(f"{check.title}: the spec names no config table")
    try:
        before, after = config_values(ev, query)
    except Missing as exc:
        return broken(f"{check.title}: {exc}", sql=(query,))
    observed = {"before": before.get(key), "after": after.get(key)}
    if key not in after:
        return broken(f"{check.title}: gate {key} does not exist after the migration",
                      sql=(query,), observed=observed)  # fmt: skip
    problems = []
    if after[key] != wanted:
        problems.append(
            f"gate {key} is {expect.show(after[key])}, the law wants {expect.show(wanted)}"
        )
    if key in before and before[key] != after[key]:
        problems.append(f"gate {key}: {expect.show(before[key])} → {expect.show(after[key])}")
    if problems:
        return failed(f"{check.title}: {problems[0]}", evidence=tuple(problems),
                      sql=(query,), observed=observed)  # fmt: skip
    return passed(
        f"{check.title}: gate {key} stays {expect.show(wanted)}", sql=(query,), observed=observed
    )


register(
    CheckKind(
        key="law_gate",
        schema={
            "type": "object",
            "description": (
                "One of Điều 45's gates (seed 001's dot_config keys) and the value it must "
                "keep, spelt as the law spells it."
            ),
            "additionalProperties": False,
            "properties": {
                "key": {
                    "type": "string",
                    "description": "The gate's dot_config key.",
                    "enum": list(LAW_GATES),
                },
                "stays": {
                    "type": "string",
                    "description": "Its value after the migration, and before it when it existed.",
                    "enum": ["true", "false"],
                },
            },
            "required": ["key", "stays"],
        },
        body=LawGate,
        rule=rule,
        judge=judge,
        needs_config=True,
    )
)
