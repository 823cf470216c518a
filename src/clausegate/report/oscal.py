"""assessment-results.json: the run as a NIST OSCAL assessment-results document.

Auditors in regulated settings exchange assessment results as OSCAL, so every run writes
one beside verdicts.json, from it and the run's facts: one result for the run, one finding
per clause, one observation per check linking the files of the run folder that are its
evidence (by relative href, so the links hold wherever the bundle is copied).

OSCAL knows two states, satisfied and not-satisfied. PASS is satisfied and FAIL
not-satisfied; BROKEN, WAIVED and KNOWN-OPEN have no word of their own in OSCAL, so they
are said in a `clausegate-verdict` prop (namespace NS) and their state is the one that is
never a false pass: not-satisfied (a waived failure is still a failure; the waiver's note
goes with it). What stopped the run outside any check (verdicts.errors) is a finding of its
own, not-satisfied, and is said in the result's remarks.

UUIDs are uuid5 over the run's identity (its start, the spec, the clause, the check), and
the JSON is canonical, so the same verdicts always give the same text, as `clausegate
report` writing it again relies on.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clausegate.checks.verdict import ClauseStatus, Status, worst
from clausegate.errors import EXIT_FAIL, EXIT_OK
from clausegate.report import bundle, records
from clausegate.report.bundle import RunFacts
from clausegate.report.records import CheckRecord, ClauseRecord, RunRecord, VerdictsDocument

FILE = "assessment-results.json"
# The OSCAL release whose schema compliance-trestle validates (tests/test_oscal.py).
OSCAL_VERSION = "1.2.1"
NS = "urn:clausegate:oscal"
_ROOT = uuid.uuid5(uuid.NAMESPACE_URL, NS)

SATISFIED, NOT_SATISFIED = "satisfied", "not-satisfied"
# The only verdict OSCAL may read as satisfied is a PASS.
STATES = {
    status.value: SATISFIED if status is ClauseStatus.PASS else NOT_SATISFIED
    for status in ClauseStatus
}
_REASONS = {ClauseStatus.PASS.value: "pass", ClauseStatus.FAIL.value: "fail"}  # the rest: "other"
RUN_TARGET = "clausegate-run"  # the target of the finding for what stopped the run

_MEANINGS = {
    ClauseStatus.PASS: "every check passed",
    ClauseStatus.FAIL: "a check failed",
    ClauseStatus.BROKEN: "a check could not be evaluated, which proves nothing",
    ClauseStatus.WAIVED: "a check failed and a waiver accepts the failure: not a pass",
    ClauseStatus.KNOWN_OPEN: "the clause is declared known open and still fails: not a pass",
    ClauseStatus.PARTIAL: "checks of the clause were left out of the run: no verdict on it all",
}
_MAPPING = (
    "PASS is satisfied and FAIL not-satisfied; BROKEN, WAIVED and KNOWN-OPEN, which OSCAL has "
    "no state for, are not-satisfied, each with its verdict in the prop clausegate-verdict "
    f"(namespace {NS})."
)

Json = dict[str, Any]


def write(run_dir: Path, facts: RunFacts) -> Path:
    """Write run_dir/assessment-results.json from run_dir/verdicts.json."""
    verdicts = records.load(run_dir / records.FILE)
    target = run_dir / FILE
    target.write_text(render(run_dir, verdicts, facts), encoding="utf-8")
    return target


def render(run_dir: Path, verdicts: VerdictsDocument, facts: RunFacts) -> str:
    document = {"assessment-results": _Writer(run_dir, verdicts, facts).document()}
    return bundle.canonical(document)


def run_status(verdicts: VerdictsDocument, facts: RunFacts) -> ClauseStatus:
    """The run's verdict: BROKEN when anything stopped it or it exited neither 0 nor 1;
    PARTIAL when checks were left out and none that ran failed."""
    codes = {verdicts.exit_code, facts.exit_code}
    if verdicts.errors or codes - {EXIT_OK, EXIT_FAIL}:
        return ClauseStatus.BROKEN
    found = worst(c.status for c in verdicts.checks)
    found = worst([found, Status.FAIL]) if EXIT_FAIL in codes else found
    return ClauseStatus.of(found, len(verdicts.left_out))


def target_id(spec_folder: str, clause: str) -> str:
    """A clause as an OSCAL token (`§4` is not one): `phase2._a7_4` for phase2's §4.
    Letters are kept, and digits and `-` but at the start; every other character is
    written `_<hex>_`, so two clauses never share a token."""
    return ".".join(_token(part) for part in (spec_folder, clause))


def _token(text: str) -> str:
    return "".join(
        c if c.isascii() and (c.isalpha() or (n and (c.isdigit() or c == "-")))
        else f"_{ord(c):x}_"
        for n, c in enumerate(text)
    )  # fmt: skip


def _line(text: str) -> str:
    """Text as OSCAL wants a title or a prop's value: one line, trimmed."""
    return " ".join(text.split())


def _prop(name: str, value: str) -> Json:
    return {"name": name, "ns": NS, "value": _line(value) or "(none)"}


@dataclass(frozen=True)
class _Writer:
    """The document of one run folder."""

    run_dir: Path
    verdicts: VerdictsDocument
    facts: RunFacts

    def document(self) -> Json:
        names = [(r.law, r.phase) for r in self.verdicts.runs]
        names += [(c.law, c.phase) for c in self.verdicts.checks]
        phases = ", ".join(dict.fromkeys(f"{law} phase {phase}" for law, phase in names))
        return {
            "uuid": self.uuid("assessment-results", *self.specs),
            "metadata": {
                "title": _line(f"clausegate assessment: {phases or 'no spec'}"),
                "last-modified": self.facts.ended,
                "version": self.facts.clausegate_version,
                "oscal-version": OSCAL_VERSION,
            },
            "import-ap": self.import_ap(),
            "results": [self.result()],
        }

    def import_ap(self) -> Json:
        """There is no OSCAL assessment plan: the plan is the spec, named by its copy."""
        copies = [self.spec_href(spec) for spec in self.specs]
        return {
            "href": copies[0] if len(copies) == 1 else "evidence/specs/",
            "remarks": f"The assessment plan is the clausegate spec: {', '.join(copies) or 'none'}",
        }

    def result(self) -> Json:
        status = run_status(self.verdicts, self.facts)
        modes = ", ".join(sorted({r.mode for r in self.verdicts.runs})) or "run"
        findings = [self.finding(clause) for clause in self.verdicts.clauses]
        observations = [self.observation(check) for check in self.verdicts.checks]
        observations += [self.error_observation(n) for n in range(len(self.verdicts.errors))]
        controls = [self.clause_id(clause) for clause in self.verdicts.clauses]
        explained = any(c.status is ClauseStatus.BROKEN for c in self.verdicts.clauses)
        if self.verdicts.errors or (status is ClauseStatus.BROKEN and not explained):
            findings.append(self.run_finding())
            controls.append(RUN_TARGET)
        selection = {"include-controls": [{"control-id": c} for c in controls]}
        result: Json = {
            "uuid": self.uuid("result", *self.specs),
            "title": _line(f"clausegate {modes} started {self.facts.started}"),
            "description": f"clausegate {modes} of {', '.join(self.specs) or 'no spec'}: "
            f"{status.value} (exit code {self.facts.exit_code}).",
            "start": self.facts.started,
            "end": self.facts.ended,
            "props": [
                _prop("clausegate-verdict", status.value),
                _prop("clausegate-exit-code", str(self.facts.exit_code)),
                _prop("clausegate-target", self.facts.target),
                *(_prop("clausegate-server-version", v) for v in self.facts.server_versions if v),
            ],
            "reviewed-controls": {
                "control-selections": [selection if controls else {"include-all": {}}]
            },
            "remarks": "\n".join([_MAPPING, *self.stops()]),
        }
        if observations:
            result["observations"] = observations
        if findings:
            result["findings"] = findings
        return result

    def stops(self) -> list[str]:
        """What stopped the run or a phase of it, for the result's remarks."""
        lines = [f"- {error}" for error in self.verdicts.errors]
        if lines:
            lines.insert(0, "The run is BROKEN; what stopped it outside any check:")
        faults = [f"- {r.spec}: {r.fault}" for r in self.verdicts.runs if r.fault]
        if faults:
            lines += ["Phases that stopped (their checks are BROKEN):", *faults]
        return lines

    def finding(self, clause: ClauseRecord) -> Json:
        checks = self.checks_of(clause)
        notes = [f"{c.check}: {c.note}" for c in checks if c.note]
        finding: Json = {
            "uuid": self.uuid("finding", clause.spec, clause.clause),
            "title": _line(f"{clause.clause} {clause.title}"),
            "description": f"{clause.status.value}: {_MEANINGS[clause.status]} "
            f"({clause.passed} of {clause.total} checks passed or waived).",
            "props": [
                _prop("clausegate-verdict", clause.status.value),
                _prop("clausegate-spec", clause.spec),
                _prop("clausegate-clause", clause.clause),
                *(_prop("clausegate-note", note) for note in notes),
            ],
            "target": self.target(self.clause_id(clause), clause.title, clause.status),
        }
        if checks:
            finding["related-observations"] = [
                {"observation-uuid": self.observation_uuid(c)} for c in checks
            ]
        if notes:
            finding["remarks"] = "\n".join(notes)
        return finding

    def run_finding(self) -> Json:
        errors = self.verdicts.errors
        why = "; ".join(errors) or (
            f"the run exited {self.facts.exit_code} though no clause is BROKEN "
            "(a check got no verdict; see the run's output)"
        )
        finding: Json = {
            "uuid": self.uuid("finding", RUN_TARGET),
            "title": "The run itself",
            "description": f"BROKEN: {why}",
            "props": [_prop("clausegate-verdict", ClauseStatus.BROKEN.value)],
            "target": self.target(RUN_TARGET, "the run", ClauseStatus.BROKEN),
        }
        if errors:
            finding["related-observations"] = [
                {"observation-uuid": self.uuid("error", str(n))} for n in range(len(errors))
            ]
        return finding

    @staticmethod
    def target(target: str, title: str, status: Status | ClauseStatus) -> Json:
        return {
            "type": "objective-id",
            "target-id": target,
            "title": _line(title) or target,
            "status": {
                "state": STATES[status.value],
                "reason": _REASONS.get(status.value, "other"),
            },
        }

    def observation(self, check: CheckRecord) -> Json:
        description = f"{check.title}\n\n{check.status.value}: {check.message}"
        if check.rule:
            description += f"\n\nRule: {check.rule}"
        observation: Json = {
            "uuid": self.observation_uuid(check),
            "title": _line(f"{check.clause} {check.check}: {check.title}"),
            "description": description,
            "props": [
                _prop("clausegate-verdict", check.status.value),
                _prop("clausegate-spec", check.spec),
                _prop("clausegate-clause", check.clause),
                _prop("clausegate-check", check.check),
                _prop("clausegate-section", check.section),
                *([_prop("clausegate-note", check.note)] if check.note else []),
            ],
            "methods": ["TEST"],
            "relevant-evidence": self.evidence(check.spec),
            "collected": self.facts.ended,
        }
        if check.note:
            observation["remarks"] = check.note
        return observation

    def error_observation(self, n: int) -> Json:
        return {
            "uuid": self.uuid("error", str(n)),
            "title": "What stopped the run outside any check",
            "description": f"BROKEN: {self.verdicts.errors[n]}",
            "props": [_prop("clausegate-verdict", ClauseStatus.BROKEN.value)],
            "methods": ["TEST"],
            "relevant-evidence": [self.verdicts_evidence()],
            "collected": self.facts.ended,
        }

    def evidence(self, spec: str) -> list[Json]:
        """The files of the run folder that a check of `spec` rests on, those that exist."""
        found = []
        copy = bundle.spec_copy(self.run_dir, self.verdicts.runs, spec)
        if copy is not None:
            found.append(_evidence(self.relative(copy), "the spec as the run used it"))
        for run in self.runs_of(spec):
            if run.migration:
                migration = copy.parent / Path(run.migration).name if copy else None
                if migration is not None and migration.is_file():
                    found.append(_evidence(self.relative(migration), "the migration file"))
            snapshots = self.run_dir / "evidence" / "snapshots" / Path(spec).stem
            for name in run.snapshots:
                if (snapshots / f"{name}.json").is_file():
                    href = self.relative(snapshots / f"{name}.json")
                    found.append(_evidence(href, f"the {name} snapshot of the database"))
        return [*found, self.verdicts_evidence()]

    @staticmethod
    def verdicts_evidence() -> Json:
        return _evidence(records.FILE, "every verdict with its message, evidence, SQL and value")

    # --- identities -------------------------------------------------------------------

    def uuid(self, *parts: str) -> str:
        """The same UUID for the same thing of the same run (its start names the run)."""
        name = json.dumps([self.facts.started, *parts], ensure_ascii=False)
        return str(uuid.uuid5(_ROOT, name))

    def observation_uuid(self, check: CheckRecord) -> str:
        return self.uuid("observation", check.spec, check.clause, check.check)

    @property
    def specs(self) -> list[str]:
        """Every spec of the run, those that ran first (their evidence folders' order)."""
        found = [r.spec for r in self.verdicts.runs]
        found += [c.spec for c in self.verdicts.checks]
        found += [c.spec for c in self.verdicts.clauses]
        return list(dict.fromkeys(found))

    def clause_id(self, clause: ClauseRecord) -> str:
        return target_id(bundle.input_folders(self.specs)[clause.spec], clause.clause)

    def checks_of(self, clause: ClauseRecord) -> list[CheckRecord]:
        return [
            c for c in self.verdicts.checks if (c.spec, c.clause) == (clause.spec, clause.clause)
        ]

    def runs_of(self, spec: str) -> Sequence[RunRecord]:
        return [r for r in self.verdicts.runs if r.spec == spec]

    def spec_href(self, spec: str) -> str:
        copy = bundle.spec_copy(self.run_dir, self.verdicts.runs, spec)
        return self.relative(copy) if copy is not None else spec

    def relative(self, path: Path) -> str:
        return path.relative_to(self.run_dir).as_posix()


def _evidence(href: str, description: str) -> Json:
    return {"href": href, "description": description}
