"""The outputs of a run beyond verdicts.json, after a gate or verify run and for
`clausegate report`: allure-results/environment.properties, copies of the inputs under
evidence/, summary.md, assessment-results.json (OSCAL), report.html, and last
evidence/manifest.json, which seals every other file of the run folder.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from clausegate import __version__
from clausegate.cli import evidence
from clausegate.errors import EXIT_FAIL, ClausegateError
from clausegate.report import bundle, html_report, oscal, records
from clausegate.report.bundle import RunFacts, now
from clausegate.report.records import VerdictsDocument

if TYPE_CHECKING:
    from clausegate.report.keys import SigningKey

# What `clausegate report` writes again (any other file altered refuses it).
REGENERATED = ("summary.md", oscal.FILE, "report.html")


def finish_run(
    run_dir: Path,
    *,
    started: str,
    command: Sequence[str],
    exit_code: int,
    target: str,
    waivers: str | None,
    html: bool = True,
    sign_key: SigningKey | None = None,
) -> None:
    """Everything a run leaves beyond verdicts.json; the manifest is written last, then the
    run's signature with `sign_key`. Without `html`, report.html is left for `clausegate
    report` to write later."""
    verdicts = _verdicts(run_dir)
    runs = verdicts.runs
    facts = RunFacts(
        clausegate_version=__version__,
        started=started,
        ended=now(),
        command=bundle.redact_command(command),
        exit_code=exit_code,
        target=", ".join(sorted({r.target for r in runs})) or target,
        server_versions=tuple(sorted({r.server_version for r in runs})),
        working_directory=str(Path.cwd()),
    )
    notes = sorted({r.server_note for r in runs if r.server_note})
    html_report.write_environment(run_dir, _environment(facts, notes, verdicts))
    html_report.plain_messages(run_dir)
    bundle.copy_inputs(run_dir, runs, waivers)
    from clausegate.report import summary  # with its yaml and expectations, only when written

    summary.write(run_dir, facts)
    oscal.write(run_dir, facts)
    if html:
        write_html(run_dir, verdicts, append_history=True)
    else:
        print(f"clausegate: report.html not written (--no-html); `clausegate report {run_dir}`")
    sealed = bundle.seal(run_dir, facts)
    print(f"clausegate: summary in {run_dir / 'summary.md'}")
    print(f"clausegate: OSCAL assessment results in {run_dir / oscal.FILE}")
    print(f"clausegate: evidence sealed in {run_dir / bundle.MANIFEST} (sha256 {sealed})")
    if sign_key is not None:
        print(f"clausegate: {evidence.sign_run(run_dir, sign_key)}")


def _verdicts(run_dir: Path) -> VerdictsDocument:
    return records.load(verdicts_file(run_dir))


def verdicts_file(run_dir: Path) -> Path:
    """run_dir/verdicts.json; ClausegateError if there is none."""
    path = run_dir / records.FILE
    if not path.exists():
        raise ClausegateError(f"{run_dir}: not a run folder (no {records.FILE})")
    return path


def _environment(
    facts: RunFacts, server_notes: Sequence[str], verdicts: VerdictsDocument
) -> dict[str, str]:
    """What Allure shows as the environment; `server_notes` where a spec's production
    server is of another major than the one the run used; `run`: complete, or PARTIAL
    with how many checks (and specs not collected) were left out."""
    left_out = len(verdicts.left_out)
    values = {
        "run": "complete" if verdicts.complete else f"PARTIAL: {left_out} left out",
        "server_version": "; ".join(facts.server_versions) or "(none)",
        "target": facts.target,
        "clausegate_version": facts.clausegate_version,
    }
    if server_notes:
        values["server_major"] = "; ".join(server_notes)
    # Why a phase's run stopped, said once for the report (its checks say "not judged").
    stopped = [f"{Path(r.spec).name}: {r.fault}" for r in verdicts.runs if r.fault]
    if stopped:
        values["run_stopped"] = "; ".join(stopped)
    return values


def write_html(run_dir: Path, verdicts: VerdictsDocument, *, append_history: bool) -> None:
    """report.html, or one line saying why it was not written (the rest goes on)."""
    runs = verdicts.runs
    specs = [r.spec for r in runs] or [c.spec for c in verdicts.checks]
    name = ", ".join(dict.fromkeys(f"{r.law} phase {r.phase}" for r in runs))
    # The report opens with its name: the run's verdict first, then what was judged.
    title = f"clausegate: {verdicts.verdict}" + (f" · {name}" if name else "")
    # One history per spec and migration text: a check whose verdict differs between two
    # migrations of one spec is no flaky check.
    histories = [f"{r.spec} {r.migration_sha256 or ''}" for r in runs] or specs
    try:
        html_report.generate(
            run_dir,
            name=title,
            history=html_report.history_file(run_dir, histories),
            append_history=append_history,
        )
    except ClausegateError as exc:
        print(f"clausegate: report.html not written: {exc}", file=sys.stderr)
        return
    print(f"clausegate: html report in {run_dir / 'report.html'}")


def sealed_facts(run_dir: Path) -> RunFacts | None:
    """The run's facts from its manifest; None if unsealed; an error if the bundle was
    altered in any file other than those this command rewrites."""
    if not (run_dir / bundle.MANIFEST).exists():
        return None
    manifest = bundle.read_manifest(run_dir)
    found = [p for p in bundle.problems(run_dir, manifest) if p.path not in REGENERATED]
    if found:
        listed = "; ".join(p.line for p in found)
        raise ClausegateError(f"{run_dir}: the bundle was altered ({listed}); not regenerating",
                              EXIT_FAIL)  # fmt: skip
    return RunFacts.from_manifest(manifest, run_dir / bundle.MANIFEST)
