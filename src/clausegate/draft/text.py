"""A draft as spec YAML: the sections in the order specs/ writes them, one check a line,
every value written as a JSON string (a YAML double-quoted scalar), and the places left
to fill in marked TODO."""

from __future__ import annotations

import json

from clausegate.draft.model import Draft, DraftMetric, DraftRow

# The clauses every drafted check is tied to, until the author gives each its own.
CHANGES_CLAUSE = "changes"
COUNTS_CLAUSE = "counts"


def _q(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _shown(name: str) -> str:
    """A file name for a comment line: quoted when it holds what would end the comment."""
    return name if name.isprintable() else _q(name)


def spec_text(draft: Draft, *, schema: str, before: str, after: str) -> str:
    """The spec's text; `schema` is the path of spec.schema.json as the spec sees it,
    `before` and `after` the snapshot files as the user named them."""
    lines = [
        f"# yaml-language-server: $schema={schema}",
        "# Drafted by `clausegate draft` from two snapshots:",
        f"#   before: {_shown(before)}",
        f"#   after:  {_shown(after)}",
        "# Every change between them is declared under expected_changes, and the counts are",
        "# the regression table. To do: name the law and the phase, split the two placeholder",
        "# clauses into the law's own and tie each check to one, say who applies the",
        "# migration (build.runs_as), and add the forbidden list, refusals, proofs and",
        "# invariants the law calls for. Then: clausegate lint SPEC; clausegate gate SPEC.",
        f"law: {_q('TODO: the law this migration answers to')}",
        f"phase: {_q('TODO')}",
        f"title: {_q('TODO: what this phase ships')}",
        "build:",
        *_build(draft),
        "server:                   # the server the snapshots were taken on",
        f"  major: {draft.server.major}",
        *([f"  version: {_q(draft.server.version)}"] if draft.server.version else []),
        f"  reference: {_q(f'the server {before} and {after} were taken on')}",
        "",
        "clauses:",
        f"  - id: {_q(CHANGES_CLAUSE)}",
        f"    title: {_q('TODO: the clause allowing these changes (one per clause of the law)')}",
        "    impact: normal",
        f"  - id: {_q(COUNTS_CLAUSE)}",
        f"    title: {_q('TODO: the clause these counts answer to')}",
        "    impact: normal",
        "",
        "regression:",
        *(_regression_row(row) for row in draft.regression),
    ]
    if draft.changes:
        lines += ["", "expected_changes:"]
        lines += [
            f"  - {{id: {_q(c.id)}, clause: {_q(CHANGES_CLAUSE)}, kind: {_q(c.kind)}, "
            f"identity: {_q(c.identity)}, action: {c.action},\n     title: {_q(c.line)}}}"
            for c in draft.changes
        ]
    else:
        lines += ["", "expected_changes: []   # the two snapshots do not differ"]
    return "\n".join(lines) + "\n"


def _build(draft: Draft) -> list[str]:
    build = draft.build
    lines = []
    if build.fixtures is not None:
        lines.append(f"  fixtures: {_q(build.fixtures)}")
        if build.upto is not None:
            lines.append(f"  upto: {_q(build.upto)}")
    if build.dump is not None:
        lines.append(f"  dump: {_q(build.dump)}")
    if build.migration is not None:
        lines.append(f"  migration: {_q(build.migration)}")
    else:
        lines += [
            "  # TODO: the migration this spec gates (no --migration was given); `clausegate",
            "  # lint` names this line until the file is there (paths are relative to the spec)",
            f"  migration: {_q('migration.sql')}",
        ]
    lines += [
        "  # Who applies the migration in production; without runs_as the gate applies it as",
        "  # the bootstrap superuser, and says so:",
        "  # runs_as: {role: ROLE, reference: where the law's documents say so}",
    ]
    return lines


def _regression_row(row: DraftRow) -> str:
    parts = [
        f"id: {_q(row.id)}",
        f"clause: {_q(COUNTS_CLAUSE)}",
        f"title: {_q(row.title)}",
        f"metric: {_metric(row.metric)}",
        f"before: {_value(row.before)}",
        f"after: {_value(row.after)}",
    ]
    if row.delta is not None:
        parts.append(f"delta: {row.delta}")
    return "  - {" + ", ".join(parts) + "}"


def _metric(metric: DraftMetric) -> str:
    parts = [f"{metric.key}: {_q(metric.value)}"]
    if metric.where is not None:
        parts.append(f"where: {_q(metric.where)}")
    return "{" + ", ".join(parts) + "}"


def _value(value: int | tuple[str, ...]) -> str:
    return _q(list(value)) if isinstance(value, tuple) else str(value)
