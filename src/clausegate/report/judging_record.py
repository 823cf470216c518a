"""evidence/judging/<spec>.json: what a phase's judges read beyond its snapshots.

A run's verdicts follow from its spec, its snapshots (evidence/snapshots/<spec>/), the
migration file it read and what this file keeps: the spec's queries, every probe's steps
and results, what changed outside the database during the migration and during the
probes, the mode, the day waivers were judged on, and the fault that stopped the run if
one did. `evidence verify` reads it back to judge the run again (rederive.py).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from clausegate.db.probes import ProbeRun, ServerError, StepResult
from clausegate.diff import Change
from clausegate.phase.model import OutsideChanges, PhaseRun, ProbeRuns
from clausegate.report import strict_json

FORMAT = "clausegate-judging/1"
FOLDER = Path("evidence") / "judging"


@dataclass(frozen=True)
class JudgingRecord:
    """One phase run's judging inputs, as kept in the bundle."""

    mode: str
    fault: str | None
    today: dt.date
    before_source: str
    queries: dict[str, str]
    probe_runs: ProbeRuns
    outside: OutsideChanges
    no_migration: str


class NotARecord(ValueError):
    """The file is not a judging record this clausegate reads."""


def write(path: Path, run: PhaseRun, today: dt.date) -> None:
    document = {
        "format": FORMAT,
        "mode": run.mode,
        "fault": run.fault,
        "today": today.isoformat(),
        "before_source": run.before_source,
        "queries": run.queries,
        "probe_runs": {
            "single": {name: _run_json(r) for name, r in run.probe_runs.single.items()},
            "tables": {
                name: [_run_json(r) for r in rows] for name, rows in run.probe_runs.tables.items()
            },
            "withheld": run.probe_runs.withheld,
        },
        "outside": {
            "migration": [_change_json(c) for c in run.outside.migration],
            "probes": [_change_json(c) for c in run.outside.probes],
        },
        "no_migration": run.no_migration,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    path.write_text(text + "\n", encoding="utf-8")


def read(path: Path) -> JudgingRecord:
    try:
        data = strict_json.read(path)
    except strict_json.BadJson as exc:
        raise NotARecord(f"{path.name}: cannot read: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise NotARecord(f"{path.name}: not a judging record of format {FORMAT}")
    try:
        probes = data["probe_runs"]
        return JudgingRecord(
            mode=str(data["mode"]),
            fault=data["fault"],
            today=dt.date.fromisoformat(data["today"]),
            before_source=str(data["before_source"]),
            queries={str(k): str(v) for k, v in data["queries"].items()},
            probe_runs=ProbeRuns(
                single={k: _run_of(v) for k, v in probes["single"].items()},
                tables={k: tuple(_run_of(r) for r in v) for k, v in probes["tables"].items()},
                withheld={str(k): str(v) for k, v in probes.get("withheld", {}).items()},
            ),
            outside=OutsideChanges(
                migration=[_change_of(c) for c in data["outside"]["migration"]],
                probes=[_change_of(c) for c in data["outside"]["probes"]],
            ),
            no_migration=str(data["no_migration"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise NotARecord(f"{path.name}: malformed ({type(exc).__name__}: {exc})") from None


def _run_json(run: ProbeRun) -> dict[str, Any]:
    return asdict(run)


def _step_of(data: dict[str, Any]) -> StepResult:
    error = data["error"]
    return StepResult(
        sql=str(data["sql"]),
        value=data["value"],
        error=ServerError(**error) if error is not None else None,
        returned_rows=bool(data["returned_rows"]),
    )


def _run_of(data: dict[str, Any]) -> ProbeRun:
    aborted = data["aborted"]
    return ProbeRun(
        steps=[_step_of(s) for s in data["steps"]],
        aborted=_step_of(aborted) if aborted is not None else None,
        role=data["role"],
        role_failed=bool(data["role_failed"]),
        # Records written before runs named the sequences a probe moved have none.
        advanced=tuple(str(name) for name in data.get("advanced", ())),
        set_back=tuple(str(name) for name in data.get("set_back", ())),
    )


def _change_json(change: Any) -> dict[str, Any]:
    return {
        "section": change.section,
        "kind": change.kind,
        "identity": change.identity,
        "action": change.action,
        "before": change.before,
        "after": change.after,
    }


def _change_of(data: dict[str, Any]) -> Change:
    return Change(
        str(data["section"]),
        str(data["kind"]),
        str(data["identity"]),
        data["action"],
        data["before"],
        data["after"],
    )
