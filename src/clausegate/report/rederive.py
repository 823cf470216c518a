"""Judge a run again from its evidence bundle alone, and name every recorded verdict that
does not follow from it.

For each phase run of verdicts.json: the spec's copy (evidence/specs/<spec>/), its
snapshots (evidence/snapshots/<spec>/), the migration file it read (copied beside the
spec) and its judging record (evidence/judging/<spec>.json) go through the same judges,
waivers (the bundle's copy, on the day the run judged them) and known-open declarations
as in the run; every check's status and message, every clause's roll-up and the exit
code must come out as recorded. Nothing here reads a database, and no code found in the
bundle is ever run: a spec's workspace kinds come from the verifier's own `checks/`
folder (`--workspace`), whose files must be the ones the run used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from clausegate import checks, snapshot
from clausegate.checks.language import load_spec_in_bundle
from clausegate.checks.verdict import ClauseStatus, Status, Verdict
from clausegate.errors import ClausegateError
from clausegate.phase.judging import (
    JudgingInputs,
    evidence_of,
    judge_every_check,
    not_judged,
)
from clausegate.phase.verify import read_text
from clausegate.report import bundle, judging_record, outcomes, records
from clausegate.report.records import CheckRecord, ClauseRecord, RunRecord, VerdictsDocument
from clausegate.spec import Check, Clause, Spec, waivers

SNAPSHOT_NAMES = ("before", "after", "post-probes")
MIGRATION_READ_DIFFERS = (
    "its run record's reading of the migration (statements, kinds, calls) is not what the "
    "migration's copy reads as"
)


@dataclass(frozen=True)
class Judged:
    """A check as judged again: its record as the engine would write it."""

    record: CheckRecord

    @property
    def clause(self) -> str:
        return self.record.clause

    @property
    def check(self) -> str:
        return self.record.check

    @property
    def status(self) -> Status:
        return self.record.status

    @property
    def message(self) -> str:
        return self.record.message


def differences(
    run_dir: Path,
    document: VerdictsDocument,
    workspace: Path | None = None,
    days: frozenset[dt.date] | None = None,
) -> list[str]:
    """Each way the recorded verdicts differ from what the bundle's evidence gives, one
    line each; [] when every verdict follows."""
    found: list[str] = []
    judged: dict[str, list[Judged]] = {}
    folders = bundle.input_folders(r.spec for r in document.runs)
    try:
        waiver_list = _waivers(run_dir)
    except ClausegateError as exc:
        return [f"verdicts not judged again: {exc}"]
    for run in document.runs:
        try:
            judged[run.spec] = judge_again(
                run_dir, run, folders[run.spec], waiver_list, workspace, days
            )
        except Unjudgeable as exc:
            found.append(f"{run.spec}: verdicts not judged again: {exc}")
        except Exception as exc:  # a bundle is untrusted input: whatever it makes fail is said
            why = " ".join(str(exc).split())[:300]
            found.append(f"{run.spec}: verdicts not judged again: {type(exc).__name__}: {why}")
    left_out = document.left_out
    for spec, again in judged.items():
        recorded = [c for c in document.checks if c.spec == spec]
        found += _check_differences(spec, recorded, again)
        found += _unrecorded(spec, recorded, again, left_out)
        found += _clause_differences(
            spec, [c for c in document.clauses if c.spec == spec], recorded, again
        )
    specs_run = [r.spec for r in document.runs]
    for spec in sorted({s for s in specs_run if specs_run.count(s) > 1}):
        found.append(f"{spec}: more than one run record names it (a run judges a spec once)")
    specs_recorded = {c.spec for c in document.checks} | {c.spec for c in document.clauses}
    for spec in sorted(specs_recorded - {r.spec for r in document.runs}):
        found.append(f"{spec}: verdicts recorded for a spec that no run record names")
    if not found:
        statuses = [c.status for c in document.checks]
        # A spec that failed to collect proves nothing: the run is BROKEN, as the engine has it.
        stopped = bool(document.errors) or any(": not collected: " in line for line in left_out)
        code = outcomes.exit_code(statuses, stopped)
        if code != document.exit_code:
            found.append(f"exit code: recorded {document.exit_code}, the verdicts give {code}")
    return found


class Unjudgeable(Exception):
    """The bundle lacks what judging a run again needs (said in the message)."""


def judge_again(
    run_dir: Path,
    run: RunRecord,
    folder: str,
    waiver_list: Sequence[waivers.Waiver],
    workspace: Path | None,
    days: frozenset[dt.date] | None = None,
) -> list[Judged]:
    record_file = run_dir / judging_record.FOLDER / f"{folder}.json"
    if not record_file.is_file():
        raise Unjudgeable(
            f"{judging_record.FOLDER.as_posix()}/{folder}.json is missing (a bundle written "
            "before clausegate kept the probes' results); gate the migration again"
        )
    try:
        record = judging_record.read(record_file)
    except judging_record.NotARecord as exc:
        raise Unjudgeable(str(exc)) from None
    if days is not None and record.today not in days:
        span = f" ({min(days)} to {max(days)})" if days else ""
        raise Unjudgeable(
            f"its judging record judged waivers on {record.today}, a day the run did not run "
            f"on{span}"
        )
    spec = _spec_copy(run_dir, run, folder, workspace)
    _same_run(run, record)
    if record.fault is not None:
        verdicts = not_judged(spec)
    else:
        inputs = _inputs(run_dir, run, folder, spec, record)
        evidence = evidence_of(inputs)
        if inputs.migration is not None:
            read = records.migration_read(inputs.migration, evidence.foreign_tables)
            if run.migration_read is None or records.as_json(read) != records.as_json(
                run.migration_read
            ):
                raise Unjudgeable(MIGRATION_READ_DIFFERS)
        verdicts = judge_every_check(spec, evidence)
    return _outcomes(spec, run, verdicts, waiver_list, record.today)


def _same_run(run: RunRecord, record: judging_record.JudgingRecord) -> None:
    """The run record says what the judging record does: its mode and its fault."""
    if (run.mode, run.fault) != (record.mode, record.fault):
        raise Unjudgeable(
            f"its run record (mode {run.mode}, fault {run.fault!r}) is not its judging "
            f"record's (mode {record.mode}, fault {record.fault!r})"
        )


def _spec_copy(run_dir: Path, run: RunRecord, folder: str, workspace: Path | None) -> Spec:
    copy = run_dir / "evidence" / "specs" / folder / Path(run.spec).name
    if not copy.is_file():
        raise Unjudgeable(f"the spec's copy {copy.relative_to(run_dir)} is missing")
    used = run_dir / bundle.WORKSPACE / folder
    uses_workspace = used.is_dir() and bool(_kind_files(used))
    if uses_workspace:
        _same_workspace(used, workspace)
    try:
        return load_spec_in_bundle(copy, workspace if uses_workspace else None)
    except ClausegateError as exc:
        first = str(exc).splitlines()[0]
        hint = (
            ""
            if workspace
            else (
                "; if the spec uses kinds of a workspace, pass the verifier's own copy of its "
                "checks/ folder with --workspace DIR (clausegate never runs code from a bundle)"
            )
        )
        raise Unjudgeable(f"its spec's copy does not load: {first}{hint}") from None


def _inputs(
    run_dir: Path, run: RunRecord, folder: str, spec: Spec, record: judging_record.JudgingRecord
) -> JudgingInputs:
    taken = {}
    for name in SNAPSHOT_NAMES:
        path = run_dir / "evidence" / "snapshots" / folder / f"{name}.json"
        try:
            taken[name] = snapshot.load(path)
        except ClausegateError as exc:
            raise Unjudgeable(f"snapshot {name}: {exc}") from None
    migration_text, no_migration = None, record.no_migration
    if run.migration is not None and run.migration_sha256 is not None:
        copy = run_dir / "evidence" / "specs" / folder / Path(run.migration).name
        migration_text, no_migration = read_text(copy)
        if migration_text is not None and migration_text.sha256 != run.migration_sha256:
            raise Unjudgeable(
                f"the migration's copy {copy.name} is not the file the run read "
                f"(sha256 {migration_text.sha256[:12]}…, recorded {run.migration_sha256[:12]}…)"
            )
    return JudgingInputs(
        spec=spec,
        mode=record.mode,
        snapshots=taken,
        queries=record.queries,
        probe_runs=record.probe_runs,
        outside=record.outside,
        before_source=record.before_source,
        migration=migration_text,
        no_migration=no_migration,
    )


def _outcomes(
    spec: Spec,
    run: RunRecord,
    verdicts: dict[str, Verdict],
    waiver_list: Sequence[waivers.Waiver],
    today: dt.date,
) -> list[Judged]:
    """Every check of the spec as the engine records it, in its order: a clause's checks,
    then its known-open check; then the implicit checks."""
    judged: list[Judged] = []

    def add(clause: Clause | None, check: Check | None, implicit: Check | None,
            verdict: Verdict) -> None:  # fmt: skip
        clause_id = clause.id if clause is not None else implicit.clause if implicit else ""
        check_id = check.id if check else implicit.id if implicit else outcomes.KNOWN_OPEN_CHECK
        status, note = outcomes.final_status(
            verdict,
            spec_path=Path(run.spec),
            clause=clause,
            check_id=check_id,
            waiver_list=waiver_list,
            today=today,
        )
        written = check or implicit
        judged.append(Judged(outcomes.check_record(
            run.spec, spec, clause=clause_id, check_id=check_id,
            title=written.title if written else outcomes.KNOWN_OPEN_TITLE,
            rule=checks.rule_of(written) if written else None,
            verdict=verdict, status=status, note=note,
        )))  # fmt: skip

    for clause in spec.clauses:
        for check in (c for c in spec.checks if c.clause == clause.id):
            add(clause, check, None, verdicts[check.id])
        if clause.known_open is not None:
            siblings = [j.status for j in judged if j.clause == clause.id]
            add(clause, None, None, outcomes.known_open_verdict(clause.id, siblings))
    for check in checks.implicit_checks(spec):
        add(None, None, check, verdicts[check.id])
    return judged


def _check_differences(spec: str, recorded: list[CheckRecord], again: list[Judged]) -> list[str]:
    found = []
    by_id = {(j.clause, j.check): j for j in again}
    for record in recorded:
        where = f"{spec}: {record.clause} > {record.check}"
        judged = by_id.get((record.clause, record.check))
        if judged is None:
            found.append(f"{where}: recorded, but the spec has no such check")
        elif judged.status is not record.status:
            found.append(
                f"{where}: recorded {record.status.value}, the evidence gives "
                f"{judged.status.value} ({judged.message})"
            )
        elif records.as_json(judged.record) != records.as_json(record):
            mine, theirs = records.as_json(judged.record), records.as_json(record)
            fields = sorted(k for k in mine if mine[k] != theirs.get(k))
            found.append(f"{where}: recorded {', '.join(fields)} differ(s) from the evidence's")
    return found


def _names(line: str, spec: str, judged: Judged) -> bool:
    """Whether a left_out line names this check of this spec (the line gives the spec's
    path relative to where the run was started, when it was below it)."""
    path, _, rest = line.partition(": ")
    same_spec = spec == path or spec.endswith(f"/{path}")
    return same_spec and rest.startswith(f"{judged.clause} > {judged.check}: ")


def _unrecorded(
    spec: str, recorded: list[CheckRecord], again: list[Judged], left_out: tuple[str, ...]
) -> list[str]:
    """The checks of the spec that have no verdict and that the run does not say it left
    out: a run cut short must not pass for a complete one."""
    ran = {(c.clause, c.check) for c in recorded}
    missing = [
        f"{j.clause} > {j.check}"
        for j in again
        if (j.clause, j.check) not in ran and not any(_names(line, spec, j) for line in left_out)
    ]
    if not missing:
        return []
    shown = ", ".join(missing[:5]) + (f", and {len(missing) - 5} more" if len(missing) > 5 else "")
    return [f"{spec}: {len(missing)} check(s) of the spec have no verdict and are not "
            f"recorded as left out: {shown}"]  # fmt: skip


def _clause_differences(
    spec: str, clauses: list[ClauseRecord], recorded: list[CheckRecord], again: list[Judged]
) -> list[str]:
    """Each clause's roll-up as the evidence gives it: the worst of the checks the run
    recorded, out of every check of the clause (PARTIAL when some were left out)."""
    found = []
    ran = {(c.clause, c.check) for c in recorded}
    of_spec = list(dict.fromkeys(j.clause for j in again))
    listed = [c.clause for c in clauses]
    if sorted(listed) != sorted(of_spec):
        missing = sorted(set(of_spec) - set(listed))
        extra = sorted(set(listed) - set(of_spec))
        found.append(f"{spec}: the clauses recorded are not the spec's (missing: "
                     f"{', '.join(missing) or 'none'}; not in the spec: "
                     f"{', '.join(extra) or 'none'})")  # fmt: skip
    for clause in clauses:
        of_clause = [j for j in again if j.clause == clause.clause]
        rollup = outcomes.Rollup(
            tuple(j.status for j in of_clause if (j.clause, j.check) in ran), len(of_clause)
        )
        given = (rollup.status, rollup.passed, rollup.total, rollup.left_out)
        if (clause.status, clause.passed, clause.total, clause.left_out) != given:
            found.append(
                f"{spec}: clause {clause.clause}: recorded "
                f"{_rollup(clause.status, clause.passed, clause.total, clause.left_out)}, the "
                f"evidence gives {_rollup(*given)}"
            )
    return found


def _rollup(status: ClauseStatus, passed: int, total: int, left_out: int) -> str:
    return f"{status.value} {passed}/{total}" + (f" ({left_out} left out)" if left_out else "")


def _waivers(run_dir: Path) -> list[waivers.Waiver]:
    """The waivers of the bundle's one waiver file (a run takes at most one)."""
    folder = run_dir / "evidence" / "waivers"
    files = sorted(p for p in folder.iterdir()) if folder.is_dir() else []
    if len(files) > 1:
        names = ", ".join(p.name for p in files)
        raise ClausegateError(f"evidence/waivers/ holds {len(files)} files ({names}); a run "
                              "takes one waiver file")  # fmt: skip
    try:
        return waivers.load(files[0]) if files else []
    except (ClausegateError, ValueError, TypeError) as exc:
        why = " ".join(str(exc).split())
        raise ClausegateError(f"the bundle's waiver file does not load: {why}") from None


def _same_workspace(used: Path, workspace: Path | None) -> None:
    """The verifier's checks/ folder holds the kind files the run used, byte for byte."""
    run_files = _kind_files(used)
    if workspace is None:
        raise Unjudgeable(
            f"its spec uses the check kinds of a workspace ({', '.join(run_files)}, copied in "
            f"{used.parent.name}/{used.name}/ to read); clausegate never runs code from a "
            "bundle: pass your own copy of that checks/ folder with --workspace DIR"
        )
    mine = _kind_files(workspace)
    differ = sorted(n for n in run_files if run_files[n] != mine.get(n))
    if differ:
        raise Unjudgeable(
            f"--workspace {workspace} is not the checks/ folder the run used: "
            f"{', '.join(differ)} differ(s) from the bundle's copy in {used.name}/"
        )


def _kind_files(folder: Path) -> dict[str, str]:
    """name → SHA-256 of each kind file of a workspace's checks/ folder."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.glob("*.py"))
        if not p.name.startswith("_")
    }
