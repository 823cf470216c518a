"""Inertness: the probes (refusals, proofs, invariants, run rolled back) left nothing behind."""

from __future__ import annotations

from clausegate.checks import IMPLICIT, CheckKind, register
from clausegate.checks.closed_world import tolerance
from clausegate.checks.evidence import Evidence, blind_spots, listed, not_compared
from clausegate.checks.verdict import Verdict, broken, failed, passed


def inertness(ev: Evidence) -> Verdict:
    if ev.inert is None:
        return broken("the snapshot after the probes was not taken")
    lines, allowed = tolerance(ev.inert, ev.inert_tolerated)
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
        return passed(
            "the state after all probes equals the state before them, but for "
            f"{len(allowed)} sequence(s) tolerated as background traffic",
            evidence=listed(allowed),
        )
    return passed("the state after all probes equals the state before them")


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
