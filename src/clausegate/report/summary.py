"""summary.md: the run as the tables an auditor lays beside the seed documents.

Built from verdicts.json alone (plus the spec files copied into the bundle, for the
phase titles and the known-open declarations), so `clausegate report` can rebuild it
anywhere. Same input, same text: nothing here reads a clock or a database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from clausegate import yamlpos
from clausegate.checks import expect
from clausegate.checks.verdict import Status, worst
from clausegate.report import bundle, records
from clausegate.report.bundle import RunFacts
from clausegate.report.records import CheckRecord, RunRecord, VerdictsDocument

Section = Callable[[list[CheckRecord], Mapping[str, Any]], list[str]]


# --- cells ----------------------------------------------------------------------------


def cell(text: Any) -> str:
    """Text fit for one Markdown table cell: pipes escaped, lines joined with <br>."""
    return "<br>".join(str(text).replace("|", "\\|").splitlines()) or " "


def code(text: str) -> str:
    """Inline code on one line, fenced so that backticks inside survive."""
    one_line = " ".join(text.split())
    fence = "``" if "`" in one_line else "`"
    pad = " " if one_line.startswith("`") or one_line.endswith("`") else ""
    return f"{fence}{pad}{one_line}{pad}{fence}"


def value(seen: Any) -> str:
    """A value as the seeds write it: 133,784; a/b/c for a set; NULL for none."""
    if seen is None:
        return "NULL"
    if isinstance(seen, bool):
        return "true" if seen else "false"
    if isinstance(seen, int):
        return f"{seen:,}"
    if isinstance(seen, list) and all(isinstance(v, str) for v in seen):
        return "/".join(seen) if seen else "(none)"
    if isinstance(seen, str):
        return seen
    return expect.show(seen)


def delta(observed: Mapping[str, Any]) -> str:
    """Δ as the seeds write it: +5, 0, -2; unchanged or changed for what is not a number."""
    change = observed.get("delta")
    if isinstance(change, int | float) and not isinstance(change, bool):
        return f"{change:+,}" if change else "0"
    return "unchanged" if observed.get("before") == observed.get("after") else "changed"


def expectation(wanted: Any) -> str:
    """An expectation in words: 1,200, at least 1, the set ["plpgsql"] (any order)…"""
    if isinstance(wanted, int) and not isinstance(wanted, bool):
        return f"{wanted:,}"
    # The wording does not depend on the value seen; a list lets set kinds describe themselves.
    return str(expect.check(wanted, []).expected)


def text(item: Any) -> str:
    """A spec value as written: text bare, anything else as JSON."""
    return item if isinstance(item, str) else expect.show(item)


def table(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> list[str]:
    names = list(header)
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    lines.extend("| " + " | ".join(cell(c) for c in row) + " |" for row in rows)
    return lines


def without_title(check: CheckRecord, text: str) -> str:
    """A message without its leading `title: `, which the table already shows."""
    for prefix in (check.title, check.check):
        if text.startswith(f"{prefix}: "):
            return text[len(prefix) + 2 :]
    return text


def name(check: CheckRecord) -> str:
    return check.title if check.title == check.check else f"{check.check}: {check.title}"


def display_path(path: str | None, base: Path) -> str:
    """A path relative to `base` (the directory the run was started in) when it lies below
    it: the same run reads the same wherever summary.md is rendered again."""
    if not path:
        return "(none)"
    try:
        return Path(path).relative_to(base).as_posix()
    except ValueError:
        return path


# --- sections of a phase --------------------------------------------------------------


def regression(checks: list[CheckRecord], spec: Mapping[str, Any]) -> list[str]:
    rows = []
    for check in checks:
        observed = check.observed if isinstance(check.observed, dict) else {}
        body = check.expected or {}
        wanted = [
            f"{label} {_signed(body[key]) if key == 'delta' else expectation(body[key])}"
            for key, label in (("before", "before"), ("after", "after"), ("delta", "Δ"))
            if key in body
        ]
        if "tolerance" in body:
            wanted.append("tolerance (below)")
        shown = [value(observed[k]) if k in observed else "—" for k in ("before", "after")]
        rows.append([check.title, *shown, delta(observed) if observed else "—",
                     ", ".join(wanted), check.status.value])  # fmt: skip
    return table(["metric", "before", "after", "Δ", "expected", "verdict"], rows)


def _signed(wanted: Any) -> str:
    if isinstance(wanted, int) and not isinstance(wanted, bool):
        return f"{wanted:+,}" if wanted else "0"
    return expectation(wanted)


def forbidden(checks: list[CheckRecord], spec: Mapping[str, Any]) -> list[str]:
    rows = []
    for check in checks:
        item = f"{name(check)} ({_rule(check)})" if _rule(check) else name(check)
        rows.append([item, check.status.value, _evidence(check)])
    return table(["item", "verdict", "evidence"], rows)


def _rule(check: CheckRecord) -> str:
    """What the check requires: its kind's words, or (in a file written before clausegate
    recorded them) its body as written."""
    if check.rule:
        return cell(check.rule)
    written = "; ".join(f"{k}: {text(v)}" for k, v in sorted((check.expected or {}).items()))
    return code(written) if written else ""


def _evidence(check: CheckRecord) -> str:
    message = without_title(check, check.message)
    lines = [message, *(line for line in check.evidence if line != message)]
    if check.note:
        lines.append(check.note)
    return "\n".join(lines)


def declared_changes(checks: list[CheckRecord], spec: Mapping[str, Any]) -> list[str]:
    rows = []
    for check in checks:
        body = check.expected or {}
        wanted = " ".join(str(body[k]) for k in ("action", "kind", "identity") if k in body)
        rows.append([name(check), code(wanted), check.status.value, _evidence(check)])
    return table(["item", "expected change", "verdict", "changes seen"], rows)


def refusals(checks: list[CheckRecord], spec: Mapping[str, Any]) -> list[str]:
    rows = []
    for check in checks:
        body = check.expected or {}
        setup = [code(s) for s in body.get("setup", [])]
        given = "\n".join(
            [*_how(body), *(f"setup {s}" for s in setup), code(str(body.get("call", ""))),
             *_inputs(body)]
        )  # fmt: skip
        wanted = _error_text(body["error"]) if "error" in body else expectation(body.get("expect"))
        seen = _row_results(check)
        result = f"expected {wanted}\n" + (seen if seen is not None else f"seen {_result(check)}")
        rows.append([check.check, given, result, check.status.value])
    return table(["#", "input", "result", "verdict"], rows)


def _how(body: Mapping[str, Any]) -> list[str]:
    """How a probe ran, where the spec says: as which role, under which name."""
    lines = [f"as {code(str(body['as']))}"] if "as" in body else []
    if "application_name" in body:
        lines.append(f"application_name {code(str(body['application_name']))}")
    return lines


def _inputs(body: Mapping[str, Any]) -> list[str]:
    """A check's table of inputs as written: each column, and how many cases."""
    lines = [
        f"{{{name}}} ∈ {code(expect.show(values))}"
        for name, values in (body.get("inputs") or {}).items()
    ]
    if body.get("cases"):
        lines.append(f"{len(body['cases'])} case(s), each with its own expectation or row")
    return lines


def _row_results(check: CheckRecord) -> str | None:
    """A check over rows of inputs, row by row: input → seen → verdict (None: no rows)."""
    observed = check.observed
    if not (isinstance(observed, list) and observed and isinstance(observed[0], dict)):
        return None
    if not all(isinstance(r, dict) and {"row", "inputs", "verdict"} <= r.keys() for r in observed):
        return None
    lines = [without_title(check, check.message)]
    for row in observed:
        inputs = ", ".join(f"{k}={v}" for k, v in row["inputs"].items())
        why = f" ({row['why']})" if row.get("why") else ""
        lines.append(f"{row['row']}. {code(inputs)} → {row.get('seen')} → {row['verdict']}{why}")
    return "\n".join(lines)


def _error_text(error: Mapping[str, Any]) -> str:
    parts = [f"ERROR {error.get('sqlstate', '')}".strip()]
    if error.get("constraint"):
        parts.append(f"constraint {error['constraint']}")
    if error.get("message"):
        parts.append(f"message {expect.show(error['message'])}")
    return ", ".join(parts)


def _result(check: CheckRecord) -> str:
    observed = check.observed
    if isinstance(observed, dict) and "sqlstate" in observed:
        return _error_text({k: observed.get(k) for k in ("sqlstate", "constraint")})
    if observed is None:
        return without_title(check, check.message)
    return expect.show(observed)


def proofs(checks: list[CheckRecord], spec: Mapping[str, Any]) -> list[str]:
    rows = []
    for check in checks:
        steps = (check.expected or {}).get("steps", [])
        listed = "\n".join(
            [*_how(check.expected or {}),
             *(f"{n}. {code(s.get('sql', ''))}" for n, s in enumerate(steps, 1)),
             *_inputs(check.expected or {})]
        )  # fmt: skip
        rows.append([name(check), listed, _step_results(check), check.status.value])
    return table(["#", "steps (one transaction, rolled back)", "result", "verdict"], rows)


def _step_results(check: CheckRecord) -> str:
    """The proof's message, then what each step returned (each row's, over inputs)."""
    rows = _row_results(check)
    if rows is not None:
        return rows
    if not isinstance(check.observed, list):
        return _evidence(check)
    seen = [f"{n}. {expect.show(v)}" for n, v in enumerate(check.observed, 1)]
    return "\n".join([without_title(check, check.message), *seen])


def invariants(checks: list[CheckRecord], spec: Mapping[str, Any]) -> list[str]:
    rows = []
    for check in checks:
        body = check.expected or {}
        seen = "—" if check.status is Status.BROKEN else expect.show(check.observed)
        rows.append([name(check), code(str(body.get("sql", ""))),
                     expectation(body.get("expect")), seen, check.status.value])  # fmt: skip
    return table(["#", "query", "expected", "seen", "verdict"], rows)


SECTIONS: tuple[tuple[str, str, Section], ...] = (
    ("regression", "Regression", regression),
    ("forbidden", "Forbidden list", forbidden),
    ("expected_changes", "Declared changes", declared_changes),
    ("refusals", "Refusal proofs", refusals),
    ("proofs", "Bounded proofs", proofs),
    ("invariants", "Invariants", invariants),
)


def undeclared(checks: list[CheckRecord]) -> list[str]:
    check = next((c for c in checks if c.check == "closed-world"), None)
    if check is None:
        return ["Not checked: the spec sets `closed_world: false`."]
    lines = check.observed if isinstance(check.observed, list) else check.evidence
    head = f"{check.status.value}: {check.message}"
    return [head, "", *(f"- {cell(line)}" for line in lines)] if lines else [head]


def inertness(checks: list[CheckRecord]) -> list[str]:
    check = next((c for c in checks if c.check == "inertness"), None)
    if check is None:
        return ["Not run."]
    lines = check.observed if isinstance(check.observed, list) else check.evidence
    head = f"{check.status.value}: {check.message}"
    return [head, "", *(f"- {cell(line)}" for line in lines)] if lines else [head]


def exceptions(checks: list[CheckRecord], spec: Mapping[str, Any]) -> list[str]:
    """Waived checks, expired waivers and known-open clauses, each with its reason."""
    rows = [
        [c.clause, c.check, c.status.value, c.note]
        for c in checks
        if c.note and c.status is not Status.KNOWN_OPEN
    ]
    for clause in spec.get("clauses", []):
        declared = clause.get("known_open")
        if declared:
            status = _clause_status(checks, clause["id"])
            reason = declared.get("reason", "")
            if declared.get("reference"):
                reason += f" ({declared['reference']})"
            rows.append([clause["id"], "(clause declared known open)", status, reason])
    return table(["clause", "check", "verdict", "reason"], rows) if rows else ["None."]


def _clause_status(checks: list[CheckRecord], clause_id: str) -> str:
    return worst(c.status for c in checks if c.clause == clause_id).value


def tolerances(checks: list[CheckRecord]) -> list[str]:
    rows = []
    for check in checks:
        body = check.expected or {}
        if check.section == "regression" and "tolerance" in body:
            allowance = body["tolerance"]
            rows.append([name(check), allowance.get("reason", ""),
                         allowance.get("reference", "")])  # fmt: skip
    return table(["metric", "reason", "reference"], rows) if rows else ["None."]


def problems(checks: list[CheckRecord]) -> list[str]:
    bad = [c for c in checks if c.status in (Status.FAIL, Status.BROKEN)]
    return [
        f"- {c.status.value} {c.clause} / {c.check}: {cell(without_title(c, c.message))}"
        + (f" (rule: {cell(c.rule)})" if c.rule else "")
        for c in bad
    ]


# --- the document ---------------------------------------------------------------------


def render(
    verdicts: VerdictsDocument, facts: RunFacts | None, specs: Mapping[str, Mapping[str, Any]]
) -> str:
    """summary.md of a run; `specs` maps each spec path to its parsed YAML."""
    lines = [f"# clausegate summary: {verdicts.verdict}", "", *_run_table(verdicts, facts)]
    if verdicts.errors:
        lines += ["", "## Errors", "", *(f"- {cell(e)}" for e in verdicts.errors)]
    if not verdicts.complete:
        lines += ["", "## Left out (a PARTIAL run)", "",
                  f"This run left out what follows ({len(verdicts.left_out)}): it is no "
                  "verdict on the whole of its specs, and cannot be ratified.", "",
                  *(f"- {cell(line)}" for line in verdicts.left_out)]  # fmt: skip
    lines += ["", "## Verdict per clause"]
    base = Path(facts.working_directory) if facts and facts.working_directory else Path.cwd()
    for path in _phases(verdicts):
        lines += ["", *_clause_table(verdicts, path, base)]
    for path in _phases(verdicts):
        lines += ["", *_phase(verdicts, path, specs.get(path, {}), base)]
    return "\n".join(lines) + "\n"


def _run_table(verdicts: VerdictsDocument, facts: RunFacts | None) -> list[str]:
    runs = verdicts.runs
    servers = sorted({r.server_version for r in runs if r.server_version})
    rows: list[list[str]] = []
    if facts is not None:
        rows += [["started", facts.started], ["ended", facts.ended],
                 ["command", code(" ".join(facts.command))]]  # fmt: skip
        servers = servers or list(facts.server_versions)
    targets = sorted({r.target for r in runs}) or ([facts.target] if facts else [])
    rows += [["target", ", ".join(targets)], ["server", ", ".join(servers) or "(none)"]]
    notes = sorted({r.server_note for r in runs if r.server_note})
    rows += [["server major", note] for note in notes]
    seen = sorted({note for r in runs for note in r.notes})
    rows += [["note", cell(note)] for note in seen]
    if facts is not None:
        rows.append(["clausegate", facts.clausegate_version])
    return table(["run", ""], rows)


def _phases(verdicts: VerdictsDocument) -> list[str]:
    ordered = [r.spec for r in verdicts.runs]
    ordered += [c.spec for c in verdicts.checks]
    return list(dict.fromkeys(ordered))


def _run(verdicts: VerdictsDocument, path: str) -> RunRecord | None:
    return next((r for r in verdicts.runs if r.spec == path), None)


def _heading(verdicts: VerdictsDocument, path: str) -> str:
    check = next((c for c in verdicts.checks if c.spec == path), None)
    source = _run(verdicts, path) or check
    law, phase = (source.law, source.phase) if source else ("?", "?")
    return f"{law}, phase {phase}"


def _clause_table(verdicts: VerdictsDocument, path: str, base: Path) -> list[str]:
    rows = [
        [c.clause, c.title, c.status.value, _counted(c)] for c in verdicts.clauses if c.spec == path
    ]
    heading = f"**{_heading(verdicts, path)}** ({code(display_path(path, base))})"
    return [heading, "", *table(["clause", "title", "verdict", "checks passed/total"], rows)]


def _counted(clause: records.ClauseRecord) -> str:
    """Checks passed / total: `1/6 (5 left out)` for a clause not wholly run."""
    left_out = f" ({clause.left_out} left out)" if clause.left_out else ""
    return f"{clause.passed}/{clause.total}{left_out}"


def _phase(verdicts: VerdictsDocument, path: str, spec: Mapping[str, Any], base: Path) -> list[str]:
    checks = [c for c in verdicts.checks if c.spec == path]
    title = f": {spec['title']}" if spec.get("title") else ""
    lines = [f"## {_heading(verdicts, path)}{title}", "", *_phase_facts(verdicts, path, base)]
    run = _run(verdicts, path)
    if run is not None and run.fault:
        # One cause, said once: the checks it left BROKEN were never judged, and a table of
        # them would repeat it per check.
        lines += ["", "### The run stopped", "", f"BROKEN: {cell(run.fault)}.", "",
                  f"None of its {len(checks)} checks was judged: each is BROKEN, "
                  "not judged."]  # fmt: skip
        lines += ["", "### The migration as statements", "", *statements(run)]
        return lines
    failing = problems(checks)
    if failing:
        lines += ["", "### What failed", "", *failing]
    for section, heading, render_section in SECTIONS:
        chosen = [c for c in checks if c.section == section]
        if chosen:
            lines += ["", f"### {heading}", "", *render_section(chosen, spec)]
    lines += ["", "### The migration as statements", "", *statements(run)]
    lines += ["", "### Undeclared changes (closed world)", "", *undeclared(checks)]
    lines += ["", "### Inertness (the probes left nothing behind)", "", *inertness(checks)]
    lines += ["", "### Waivers and known-open clauses", "", *exceptions(checks, spec)]
    lines += ["", "### Tolerances applied", "", *tolerances(checks)]
    return lines


def _phase_facts(verdicts: VerdictsDocument, path: str, base: Path) -> list[str]:
    run = _run(verdicts, path)
    lines = [f"- spec: {code(display_path(path, base))}"]
    if run is None:
        return [*lines, "- the phase did not run"]
    lines += [f"- mode: {run.mode}", f"- migration: {code(display_path(run.migration, base))}"]
    if run.migration_sha256:
        lines.append(f"- migration SHA-256: {code(run.migration_sha256)}")
    return lines


def statements(run: RunRecord | None) -> list[str]:
    """The migration's statements by command, those of a forbiddable kind, what could not
    be read from the text, and the functions it calls."""
    read = run.migration_read if run is not None else None
    if read is None:
        return ["The migration's text was not read."]
    tally = ", ".join(f"{c.command} {c.count}" for c in read.commands)
    lines = [f"{read.statements} statement(s), those inside DO blocks and function bodies "
             f"included (PostgreSQL's parser, pglast): {tally or 'none'}."]  # fmt: skip
    for heading, found in (
        ("Of a kind a spec can forbid", read.kinds),
        ("Not verifiable from the text", read.unverifiable),
        ("Could not be parsed", read.problems),
    ):
        if found:
            lines += ["", f"{heading}:", "", *(f"- {cell(line)}" for line in found)]
    calls = ", ".join(code(call) for call in read.calls) or "none"
    return [*lines, "", f"Functions called: {calls}."]


# --- files ----------------------------------------------------------------------------


def load_specs(
    run_dir: Path, verdicts: VerdictsDocument, *, bundle_only: bool = False
) -> dict[str, dict[str, Any]]:
    """Each spec as parsed YAML: the copy in the bundle, else (unless `bundle_only`, as when
    a bundle is verified) the file it came from."""
    loaded: dict[str, dict[str, Any]] = {}
    for path in _phases(verdicts):
        copy = bundle.spec_copy(run_dir, verdicts.runs, path)
        if copy is None and bundle_only:
            loaded[path] = {}
            continue
        source = copy or Path(path)
        try:
            document = yamlpos.safe_load(source.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            document = None
        loaded[path] = document if isinstance(document, dict) else {}
    return loaded


def write(run_dir: Path, facts: RunFacts | None) -> Path:
    """Write run_dir/summary.md from run_dir/verdicts.json."""
    verdicts = records.load(run_dir / records.FILE)
    text = render(verdicts, facts, load_specs(run_dir, verdicts))
    target = run_dir / "summary.md"
    target.write_text(text, encoding="utf-8")
    return target
