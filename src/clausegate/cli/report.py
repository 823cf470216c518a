"""`clausegate report`: a run's summary.md, assessment-results.json and report.html
written again (cli.outputs writes them after a run); and the `evidence` command's parser."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from clausegate.cli import evidence
from clausegate.cli.common import command_line
from clausegate.errors import EXIT_OK

DEFAULT_RUN = Path("reports") / "latest"


def add_parsers(subparsers: argparse._SubParsersAction[Any]) -> None:
    report = subparsers.add_parser(
        "report",
        help="regenerate summary.md, assessment-results.json and report.html of a run "
        "(default reports/latest)",
        description=(
            "Rebuild summary.md, assessment-results.json and report.html from a run folder's "
            "verdicts.json and allure-results (e.g. on a machine with Node.js when the run's "
            "had none), then seal the bundle again. Refuses when any other file of the bundle "
            "was altered."
        ),
    )
    report.add_argument("run_dir", nargs="?", default=str(DEFAULT_RUN), metavar="RUN_DIR",
                        help=f"a run folder (default {DEFAULT_RUN})")  # fmt: skip
    report.set_defaults(func=cmd_report)

    evidence_parser = subparsers.add_parser(
        "evidence",
        help="verify, sign or re-seal a run's evidence bundle (offline)",
        description="Work with the evidence bundle of a run folder: verify, sign, seal.",
    )
    evidence.add_parsers(evidence_parser)


# --- clausegate report ----------------------------------------------------------------


def cmd_report(args: argparse.Namespace) -> int:
    from clausegate.cli import outputs
    from clausegate.report import bundle, oscal, records

    run_dir = Path(args.run_dir)
    # The seal first: an altered verdicts.json is refused as altered (exit 1) before it is
    # read, not reported as a bad file (exit 2).
    verdicts_file = outputs.verdicts_file(run_dir)
    facts = outputs.sealed_facts(run_dir)
    verdicts = records.load(verdicts_file)
    first_html = not (run_dir / "report.html").exists()
    from clausegate.report import summary  # with its yaml and expectations, only when written

    summary.write(run_dir, facts)
    print(f"clausegate: summary in {run_dir / 'summary.md'}")
    if facts is not None:
        oscal.write(run_dir, facts)
        print(f"clausegate: OSCAL assessment results in {run_dir / oscal.FILE}")
    else:  # its start and end are the run's, which only the manifest keeps
        print(f"clausegate: {oscal.FILE} not written: {run_dir} is not sealed (no run facts)")
    outputs.write_html(run_dir, verdicts, append_history=first_html)
    if facts is not None:
        manifest = bundle.read_manifest(run_dir)
        changed = [p.line for p in bundle.problems(run_dir, manifest)]
        for line in evidence.reseal(run_dir, manifest, changed, command_line(args)):
            print(f"clausegate: {line}")
    return EXIT_OK
