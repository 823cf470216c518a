"""assessment-results.json: the OSCAL document of real runs, validated with compliance-trestle.

The audit case (tests/report_run.py) has PASS, FAIL, WAIVED and KNOWN-OPEN clauses; the
engine case broken_probe a BROKEN one. Every document must parse as OSCAL, say each
clause's verdict without ever reading a non-PASS as satisfied, and link each check to
evidence files that exist in its run folder.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path
from typing import cast

import pytest
import trestle.oscal
from trestle.oscal.assessment_results import Model
from trestle.oscal.common import Finding, Observation, Property

from clausegate.checks.verdict import Status
from clausegate.errors import EXIT_BROKEN
from clausegate.report import bundle, oscal, records
from clausegate.report.bundle import RunFacts
from clausegate.targets import Server
from tests.cli import assert_no_traceback, clausegate
from tests.report_run import Run, copy_run

BROKEN_CASE = Path(__file__).parent / "engine_cases" / "broken_probe"


@pytest.fixture(scope="module")
def broken_run(pg_server: Server, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A gate whose refusal is not valid SQL: its clause §1 is BROKEN (exit 3)."""
    folder = tmp_path_factory.mktemp("broken") / "run"
    result = clausegate(
        "gate", str(BROKEN_CASE / "spec.yaml"),
        "--target", "dsn", "--dsn", pg_server.conninfo(),
        "--report-dir", str(folder), "--no-html",
    )  # fmt: skip
    assert_no_traceback(result)
    assert result.returncode == EXIT_BROKEN, result.stdout + result.stderr
    return folder


@pytest.fixture(params=["audit", "broken"])
def run_folder(request: pytest.FixtureRequest) -> Path:
    """The folder of each real run: the audit case's, then broken_probe's."""
    if request.param == "audit":
        return cast(Run, request.getfixturevalue("audit_run")).folder
    return cast(Path, request.getfixturevalue("broken_run"))


def parsed(folder: Path) -> Model:
    """The run's assessment-results.json, validated against the OSCAL schema by trestle."""
    text = (folder / oscal.FILE).read_text(encoding="utf-8")
    return Model.model_validate(json.loads(text))


def facts_of(folder: Path) -> RunFacts:
    return RunFacts.from_manifest(bundle.read_manifest(folder))


def values(props: list[Property] | None, name: str) -> list[str]:
    return [p.value for p in props or [] if p.name == name and str(p.ns) == oscal.NS]


def verdict(props: list[Property] | None) -> str:
    (value,) = values(props, "clausegate-verdict")
    return str(value)


def findings(document: Model) -> list[Finding]:
    return document.assessment_results.results[0].findings or []


def observations(document: Model) -> list[Observation]:
    return document.assessment_results.results[0].observations or []


def clause_findings(document: Model) -> dict[tuple[str, str], Finding]:
    """The findings of clauses, by (spec, clause); the run's own finding has neither."""
    found = {}
    for finding in findings(document):
        spec, clause = (
            values(finding.props, "clausegate-spec"),
            values(finding.props, "clausegate-clause"),
        )
        if spec or clause:
            key = (*spec, *clause)
            assert len(key) == 2 and key not in found, key
            found[key[0], key[1]] = finding
    return found


def test_the_document_is_oscal_with_one_finding_per_clause(run_folder: Path) -> None:
    folder = run_folder
    document = parsed(folder)
    verdicts = records.load(folder / records.FILE)
    metadata = document.assessment_results.metadata
    # The release trestle models: a newer trestle moves OSCAL_VERSION with it.
    assert metadata.oscal_version.root.root == oscal.OSCAL_VERSION == trestle.oscal.OSCAL_VERSION
    assert metadata.version == facts_of(folder).clausegate_version
    assert verdicts.runs[0].law in metadata.title
    plan = document.assessment_results.import_ap  # the spec's copy, or the folder of them
    assert (folder / plan.href).exists()
    for run in verdicts.runs:
        copy = bundle.spec_copy(folder, verdicts.runs, run.spec)
        assert copy is not None
        assert copy.relative_to(folder).as_posix() in (plan.remarks or "")
    result = document.assessment_results.results[0]
    assert result.start.isoformat().replace("+00:00", "Z") == facts_of(folder).started
    by_clause = clause_findings(document)
    assert sorted(by_clause) == sorted((c.spec, c.clause) for c in verdicts.clauses)
    reviewed = result.reviewed_controls.control_selections[0]
    controls = {c.control_id for c in getattr(reviewed, "include_controls", [])}
    assert {f.target.target_id for f in by_clause.values()} == controls
    for clause in verdicts.clauses:
        finding = by_clause[clause.spec, clause.clause]
        assert verdict(finding.props) == clause.status.value
        state = finding.target.status.state.value if finding.target.status else None
        assert state == ("satisfied" if clause.status.value == "PASS" else "not-satisfied")
    uuids = [f.uuid for f in findings(document)] + [o.uuid for o in observations(document)]
    assert len(uuids) == len(set(uuids))


def test_every_verdict_the_audit_run_has_is_said(audit_run: Run) -> None:
    seen = Counter(verdict(f.props) for f in findings(parsed(audit_run.folder)))
    assert set(seen) == {"PASS", "FAIL", "WAIVED", "KNOWN-OPEN"}


def test_a_waived_clause_carries_its_waiver_note(audit_run: Run) -> None:
    verdicts = records.load(audit_run.folder / records.FILE)
    waived = next(c for c in verdicts.checks if c.status is Status.WAIVED)
    finding = clause_findings(parsed(audit_run.folder))[waived.spec, waived.clause]
    assert verdict(finding.props) == Status.WAIVED.value
    assert any(waived.note[:30] in note for note in values(finding.props, "clausegate-note"))
    assert waived.note in (finding.remarks or "")


def test_a_broken_clause_is_not_satisfied(broken_run: Path) -> None:
    document = parsed(broken_run)
    (finding,) = [f for f in findings(document) if values(f.props, "clausegate-clause") == ["§1"]]
    assert verdict(finding.props) == Status.BROKEN.value
    assert finding.target.status is not None
    assert finding.target.status.state.value == "not-satisfied"
    assert verdict(document.assessment_results.results[0].props) == Status.BROKEN.value


def test_each_check_has_an_observation_linking_evidence_that_exists(run_folder: Path) -> None:
    folder = run_folder
    document = parsed(folder)
    verdicts = records.load(folder / records.FILE)
    by_check = {
        (values(o.props, "clausegate-spec")[0], values(o.props, "clausegate-check")[0]): o
        for o in observations(document)
    }
    assert sorted(by_check) == sorted((c.spec, c.check) for c in verdicts.checks)
    related = {
        r.observation_uuid: f for f in findings(document) for r in f.related_observations or []
    }
    for check in verdicts.checks:
        observation = by_check[check.spec, check.check]
        assert verdict(observation.props) == check.status.value
        assert [m if isinstance(m, str) else m.value for m in observation.methods] == ["TEST"]
        assert check.title in observation.description
        assert check.message in observation.description
        hrefs = [e.href or "" for e in observation.relevant_evidence or []]
        assert records.FILE in hrefs
        assert any(h.startswith("evidence/specs/") for h in hrefs), hrefs
        for href in hrefs:
            assert (folder / href).is_file(), href
        finding = related[observation.uuid]
        assert values(finding.props, "clausegate-clause") == [check.clause]
    linked = {e.href for o in observations(document) for e in o.relevant_evidence or []}
    saved = {p.relative_to(folder).as_posix() for p in folder.glob("evidence/snapshots/*/*")}
    assert saved <= linked


def test_the_same_verdicts_give_the_same_bytes(audit_run: Run, tmp_path: Path) -> None:
    folder = copy_run(audit_run, tmp_path / "run")
    written = (folder / oscal.FILE).read_bytes()
    again = oscal.render(folder, records.load(folder / records.FILE), facts_of(folder))
    assert again.encode("utf-8") == written
    assert written.endswith(b"}\n")
    assert json.dumps(json.loads(written), indent=2, sort_keys=True, ensure_ascii=False) + "\n" \
        == written.decode("utf-8")  # fmt: skip


def test_clausegate_report_writes_it_again_byte_for_byte(audit_run: Run, tmp_path: Path) -> None:
    folder = copy_run(audit_run, tmp_path / "run")
    (folder / oscal.FILE).unlink()
    result = clausegate("report", str(folder))
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert (folder / oscal.FILE).read_bytes() == (audit_run.folder / oscal.FILE).read_bytes()
    assert clausegate("evidence", "verify", str(folder)).returncode == 0


def test_the_manifest_seals_it(run_folder: Path) -> None:
    folder = run_folder
    assert oscal.FILE in bundle.read_manifest(folder)["files"]
    result = clausegate("evidence", "verify", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr


def test_what_stopped_the_run_is_a_finding_not_satisfied(audit_run: Run) -> None:
    verdicts = records.load(audit_run.folder / records.FILE)
    stopped = dataclasses.replace(verdicts, errors=("the report could not be written",))
    text = oscal.render(audit_run.folder, stopped, facts_of(audit_run.folder))
    document = Model.model_validate(json.loads(text))
    result = document.assessment_results.results[0]
    assert verdict(result.props) == Status.BROKEN.value
    assert "the report could not be written" in (result.remarks or "")
    (run,) = [f for f in findings(document) if f.target.target_id == oscal.RUN_TARGET]
    assert run.target.status is not None
    assert run.target.status.state.value == "not-satisfied"
    (error,) = [o for o in observations(document) if "could not be written" in o.description]
    assert [r.observation_uuid for r in run.related_observations or []] == [error.uuid]


def test_a_broken_exit_without_a_broken_clause_is_still_broken(audit_run: Run) -> None:
    facts = dataclasses.replace(facts_of(audit_run.folder), exit_code=EXIT_BROKEN)
    verdicts = records.load(audit_run.folder / records.FILE)
    document = Model.model_validate(json.loads(oscal.render(audit_run.folder, verdicts, facts)))
    assert verdict(document.assessment_results.results[0].props) == Status.BROKEN.value
    assert oscal.RUN_TARGET in {f.target.target_id for f in findings(document)}


def test_clause_ids_become_distinct_oscal_tokens() -> None:
    ids = [oscal.target_id("phase2", c) for c in ("§4", "§15.5", "_a7_4", "closed-world")]
    assert ids == [
        "phase2._a7_4",
        "phase2._a7_15_2e_5",
        "phase2._5f_a7_5f_4",
        "phase2.closed-world",
    ]
    assert oscal.target_id("053-wrapper", "§1").startswith("_30_53-wrapper.")
