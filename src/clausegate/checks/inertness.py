"""Inertness: the probes (refusals, proofs, invariants, run rolled back) left nothing behind."""

from __future__ import annotations

from collections.abc import Sequence

from clausegate.checks import IMPLICIT, CheckKind, advances, register
from clausegate.checks.closed_world import tolerated
from clausegate.checks.evidence import ChangeLike, Evidence, blind_spots, listed, not_compared
from clausegate.checks.verdict import Verdict, broken, failed, passed


def inertness(ev: Evidence) -> Verdict:
    if ev.inert is None:
        return broken("the snapshot after the probes was not taken")
    lines, declared, background = _judged(ev, ev.inert)
    allowed = declared + background
    blind = blind_spots(ev, ("after", "post-probes"))
    if blind:
        return not_compared("inertness", blind, lines)
    if lines:
        return failed(
            "the probes left changes behind (the state after them differs)",
            evidence=listed(lines + allowed),
            observed=lines,
        )
    if allowed:
        why = [
            f"{len(declared)} sequence(s) advanced by probes that declare it" if declared else "",
            f"{len(background)} sequence(s) tolerated as background traffic" if background else "",
        ]
        return passed(
            "the state after all probes equals the state before them, but for "
            + " and ".join(part for part in why if part),
            evidence=listed(allowed),
        )
    return passed("the state after all probes equals the state before them")


def _judged(ev: Evidence, changes: Sequence[ChangeLike]) -> tuple[list[str], list[str], list[str]]:
    """Lines of the changes that count, of those their probes declared, of those tolerated
    as background traffic. A sequence the probes left further on names the probes whose
    run moved it; it is tolerated when each of them declared it under `advances:` and it
    only grew (a setval back never is)."""
    moved_by = advances.movers(ev)
    set_back = advances.setbacks(ev)
    counted: list[str] = []
    declared: list[str] = []
    background: list[str] = []
    for change in changes:
        back = set_back.pop(change.identity, None) if change.kind == "sequence_values" else None
        if back:
            counted.append(f"{change.line} ({_set_back_words(back)})")
            continue
        traffic = tolerated(change, ev.inert_tolerated)
        if traffic is not None:
            background.append(traffic)
            continue
        if change.kind != "sequence_values" or change.action != "modified":
            counted.append(change.text)
            continue
        who = advances.attribute(moved_by, change.identity)
        line = f"{change.line} ({who.words()})"
        (declared if who.excused and advances.grew(change) else counted).append(line)
    # Set back by a probe, though the state after all of them shows it where it was, or
    # further on: the values between were handed out again.
    counted.extend(
        f"sequence value {sequence}: {_set_back_words(back)}; the state after the probes "
        "shows no setback"
        for sequence, back in sorted(set_back.items())
    )
    return counted, declared, background


def _set_back_words(probes: Sequence[str]) -> str:
    return (
        f"set back by {', '.join(probes)} while it ran: a sequence set back hands out "
        "its values again, which no `advances:` allows"
    )


register(
    CheckKind(
        section=IMPLICIT,
        key="inertness",
        schema={},
        judge=lambda check, ev: inertness(ev),
        rule=lambda check: (
            "the state after every probe (run rolled back) equals the state before them"
        ),
        title="The probes leave nothing behind (inertness)",
    )
)
