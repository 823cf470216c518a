"""The views of a run that readers open instead of verdicts.json, checked against it.

summary.md and assessment-results.json are written from verdicts.json, the manifest's run
facts and the spec copies, and the same results always give the same text: each must be
what they give now. junit.xml and allure-results/ are what pytest wrote as each check
ran: each test case's verdict must be the check's recorded one. report.html is rendered
by Allure from allure-results/ and is not compared (regenerate it from a checked bundle
with `clausegate report`).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path

from clausegate.checks.verdict import Status
from clausegate.report import oscal, summary
from clausegate.report.bundle import RunFacts
from clausegate.report.records import VerdictsDocument

# How Allure records each verdict (a waived check is skipped, a known-open one xfailed).
ALLURE_STATUS = {
    Status.PASS: "passed",
    Status.FAIL: "failed",
    Status.BROKEN: "broken",
    Status.WAIVED: "skipped",
    Status.KNOWN_OPEN: "skipped",
}
# What a JUnit reader sees of each verdict (a BROKEN check raised: a failure to pytest).
JUNIT_OUTCOME = {
    Status.PASS: "passed",
    Status.FAIL: "failed",
    Status.BROKEN: "failed",
    Status.WAIVED: "skipped",
    Status.KNOWN_OPEN: "skipped",
}
_OUTCOME_OF = {status.value: outcome for status, outcome in JUNIT_OUTCOME.items()}
MAX_NAMED = 5
# The Allure label holding a check's bare clause id (the story label is the clause's id
# and title, for the report's tree); a bundle written before it has the id as the story.
CLAUSE_LABEL = "clause"


def differences(run_dir: Path, document: VerdictsDocument, facts: RunFacts) -> list[str]:
    """Each view that does not say what verdicts.json says, one line each."""
    found = []
    for name in ("summary.md", oscal.FILE):
        path = run_dir / name
        text = path.read_text("utf-8", errors="replace") if path.is_file() else None
        if text is not None and text != _render(name, run_dir, document, facts):
            found.append(f"{name}: does not say what verdicts.json says (it is not the text "
                         "verdicts.json gives)")  # fmt: skip
    found += _junit(run_dir / "junit.xml", document)
    found += _allure(run_dir / "allure-results", document)
    return found


def _render(name: str, run_dir: Path, document: VerdictsDocument, facts: RunFacts) -> str:
    if name == oscal.FILE:
        return oscal.render(run_dir, document, facts)
    return summary.render(document, facts, summary.load_specs(run_dir, document, bundle_only=True))


def _recorded(document: VerdictsDocument, stem: bool) -> Counter[tuple[str, str, str, str]]:
    """(spec name or stem, clause, check, status) of every recorded check."""
    return Counter(
        (Path(c.spec).stem if stem else Path(c.spec).name, c.clause, c.check, c.status.value)
        for c in document.checks
    )


def _named(kind: str, seen: Counter[tuple[str, str, str, str]],
           recorded: Counter[tuple[str, str, str, str]]) -> list[str]:  # fmt: skip
    """One line naming each check whose verdict in the view is not the recorded one."""
    says: dict[tuple[str, str, str], list[str]] = {}
    for (spec, clause, check, status), count in sorted((seen - recorded).items()):
        says.setdefault((spec, clause, check), []).extend([status] * count)
    was: dict[tuple[str, str, str], list[str]] = {}
    for (spec, clause, check, status), count in sorted((recorded - seen).items()):
        was.setdefault((spec, clause, check), []).extend([status] * count)
    differ = sorted(says.keys() | was.keys())
    if not differ:
        return []
    shown = "; ".join(
        f"{spec} {clause} > {check}: says {', '.join(says.get(key, []) or ['nothing'])}, "
        f"verdicts.json {', '.join(was.get(key, []) or ['nothing'])}"
        for key in differ[:MAX_NAMED]
        for spec, clause, check in [key]
    )
    more = f"; and {len(differ) - MAX_NAMED} more" if len(differ) > MAX_NAMED else ""
    return [f"{kind}: its verdicts are not verdicts.json's ({shown}{more})"]


def _junit(path: Path, document: VerdictsDocument) -> list[str]:
    if not path.is_file():
        return []
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as exc:
        return [f"junit.xml: not XML ({exc})"]
    names = {Path(c.spec).name for c in document.checks}
    seen: Counter[tuple[str, str, str, str]] = Counter()
    for case in root.iter("testcase"):
        verdict = next((p.get("value", "") for p in case.iter("property")
                        if p.get("name") == "verdict"), "")  # fmt: skip
        if not verdict and case.find("error") is not None:
            continue  # a spec that failed to collect: an error, no check (verdicts.left_out)
        classname, check = case.get("classname", ""), case.get("name", "")
        spec = next((n for n in names if f"{n}." in classname), "")
        clause = classname.split(f"{spec}.", 1)[1] if spec else classname
        outcome = _junit_outcome(case)
        if verdict and outcome != _OUTCOME_OF.get(verdict):
            verdict = f"{verdict} (but {outcome} for a JUnit reader)"
        seen[(spec, clause, check, verdict or "(no verdict)")] += 1
    found = _named("junit.xml", seen, _recorded(document, stem=False))
    return found + _junit_counts(root)


def _junit_outcome(case: ElementTree.Element) -> str:
    """What a JUnit reader sees of a test case: failed, skipped or passed."""
    if case.find("failure") is not None or case.find("error") is not None:
        return "failed"
    return "skipped" if case.find("skipped") is not None else "passed"


def _junit_counts(root: ElementTree.Element) -> list[str]:
    """Each test suite's counts must be those of its test cases (a reader shows those)."""
    found = []
    for suite in root.iter("testsuite"):
        cases = list(suite.iter("testcase"))
        counted = {
            "tests": len(cases),
            "failures": sum(c.find("failure") is not None for c in cases),
            "errors": sum(c.find("error") is not None for c in cases),
            "skipped": sum(c.find("skipped") is not None for c in cases),
        }
        said = {name: suite.get(name, "0") for name in counted}
        if said != {name: str(n) for name, n in counted.items()}:
            found.append(f"junit.xml: a testsuite's counts {said} are not its test cases' "
                         f"{counted}")  # fmt: skip
    return found


def _allure(folder: Path, document: VerdictsDocument) -> list[str]:
    if not folder.is_dir():
        return []
    recorded = Counter(
        {(s, cl, ch, ALLURE_STATUS[Status(st)]): n for (s, cl, ch, st), n in
         _recorded(document, stem=True).items()}
    )  # fmt: skip
    seen: Counter[tuple[str, str, str, str]] = Counter()
    for path in sorted(folder.glob("*-result.json")):
        try:
            result = json.loads(path.read_text("utf-8"))
            labels = {lb["name"]: lb["value"] for lb in result["labels"]}
            clause = labels.get(CLAUSE_LABEL, labels["story"])
            prefix, check = str(result["fullName"]).rsplit("#", 1)
            stem = prefix.removesuffix(f".{clause}").rsplit(".", 1)[-1]
            seen[(stem, str(clause), check, str(result["status"]))] += 1
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
            return [f"allure-results/{path.name}: not an Allure result clausegate wrote"]
    return _named("allure-results", seen, recorded)
