"""Forbidden: a gate flipped, i.e. the value of one key of the spec's config table changed."""

from __future__ import annotations

from clausegate.checks import CheckKind, body_of, expect, register
from clausegate.checks.evidence import Evidence, Missing, config_query, config_values
from clausegate.checks.verdict import Verdict, broken, failed, passed
from clausegate.spec import Check


def rule(check: Check) -> str:
    return f"the value of config key {body_of(check, str)} may not change"


def judge(check: Check, ev: Evidence) -> Verdict:
    key = body_of(check, str)
    query = config_query(ev.spec)
    assert query is not None  # the spec loader requires `config:` for gate_flipped
    try:
        before, after = config_values(ev, query)
    except Missing as exc:
        return broken(f"{check.title}: {exc}", sql=(query,))
    observed = {"before": before.get(key), "after": after.get(key)}
    if key not in before and key not in after:
        return broken(f"{check.title}: gate {key} exists neither before nor after", sql=(query,))
    if key not in after or key not in before:
        # A row deleted or added is a flip even when its value is NULL (get() would say
        # "stays null").
        action, value = ("removed", before[key]) if key in before else ("added", after[key])
        line = f"gate {key}: {action} (value {expect.show(value)})"
        return failed(f"{check.title}: {line}", evidence=(line,), sql=(query,), observed=observed)
    if before[key] != after[key]:
        line = f"gate {key}: {expect.show(before.get(key))} → {expect.show(after.get(key))}"
        return failed(f"{check.title}: {line}", evidence=(line,), sql=(query,), observed=observed)
    return passed(
        f"{check.title}: gate {key} stays {expect.show(after.get(key))}",
        sql=(query,),
        observed=observed,
    )


register(
    CheckKind(
        key="gate_flipped",
        schema={
            "type": "string",
            "description": (
                "A config key (in the spec's `config` table) whose value must not change."
            ),
        },
        body=str,
        rule=rule,
        judge=judge,
        needs_config=True,
    )
)
