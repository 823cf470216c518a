"""Check kinds as units: the registry, a workspace's `checks/`, and the Điều 45 kind there.

The workspace tests write a workspace of their own (specs/ and checks/) and run `clausegate
lint` on it, as a user would; the judges are called directly on hand-made evidence.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from clausegate import checks, spec
from clausegate.checks import language
from clausegate.checks.evidence import Evidence, config_query
from clausegate.checks.language import load_spec
from clausegate.checks.verdict import Status
from tests.cli import ROOT, assert_no_traceback, clausegate

KIND = textwrap.dedent('''
    """A workspace's own kind: no table of a name may be created."""
    from clausegate.checks import CheckKind, register
    from clausegate.checks.evidence import Evidence, label, matching, verdict_from_changes
    from clausegate.spec import Check
    from clausegate.checks.verdict import Verdict


    def judge(check: Check, ev: Evidence) -> Verdict:
        name = check.body  # no body type declared: the value as written
        lines = matching(ev, lambda c: label(c) == "table" and c.action == "added"
                         and c.identity.endswith("." + name))
        return verdict_from_changes(check, lines, f"a table {name} was created")


    register(CheckKind(
        key="table_named",
        schema={"type": "string", "pattern": "^[a-z_]+$", "description": "A table name."},
        judge=judge,
    ))
''')

SPEC = textwrap.dedent("""
    law: L
    phase: "1"
    build: {{dump: ../empty.sql, migration: ../empty.sql}}
    clauses:
      - {{id: "§1", title: t}}
    forbidden:
      - {{id: F1, clause: "§1", table_named: {value}}}
""")


def workspace(root: Path, kind: str = KIND, value: str = "audit_log") -> Path:
    (root / "checks").mkdir(parents=True)
    (root / "checks" / "table_named.py").write_text(kind, "utf-8")
    (root / "specs").mkdir()
    (root / "specs" / "empty.sql").write_text("SELECT 1;\n", "utf-8")
    path = root / "specs" / "phase" / "one.yaml"
    path.parent.mkdir()
    path.write_text(SPEC.format(value=value), "utf-8")
    return path


def test_a_workspace_kind_is_found_from_the_spec_upward_and_lints(tmp_path: Path) -> None:
    path = workspace(tmp_path)
    result = clausegate("lint", str(path))
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert "1 checks" in result.stdout


def test_a_workspace_kind_s_body_is_validated_with_its_line_and_column(tmp_path: Path) -> None:
    path = workspace(tmp_path, value="Audit-Log")
    result = clausegate("lint", str(path))
    assert_no_traceback(result)
    assert result.returncode == 2
    assert f"{path}:8:41: forbidden[0].table_named: 'Audit-Log' does not match" in result.stderr


def test_a_spec_without_the_workspace_does_not_know_its_kind(tmp_path: Path) -> None:
    path = workspace(tmp_path)
    (tmp_path / "checks" / "table_named.py").unlink()
    result = clausegate("lint", str(path))
    assert result.returncode == 2
    assert "unknown key 'table_named'" in result.stderr
    assert "allowed keys: check_changed, clause, description, extension_added" in result.stderr


def test_a_check_module_that_fails_to_load_is_named_with_its_line(tmp_path: Path) -> None:
    path = workspace(tmp_path, kind="import os\n\nraise RuntimeError('not today')\n")
    result = clausegate("lint", str(path))
    assert_no_traceback(result)
    assert result.returncode == 2
    module = tmp_path / "checks" / "table_named.py"
    assert f"{module}:3: cannot load the check kinds: RuntimeError: not today" in result.stderr


def test_a_kind_may_not_take_the_key_of_another(tmp_path: Path) -> None:
    taken = KIND.replace('key="table_named"', 'key="gate_flipped"')
    path = workspace(tmp_path, kind=taken)
    result = clausegate("lint", str(path))
    assert_no_traceback(result)
    assert result.returncode == 2
    assert "check kind forbidden.gate_flipped is already registered by" in result.stderr
    assert "clausegate/checks/gate_flipped.py" in result.stderr


# The modules of clausegate.checks that are no kind: what every judge uses.
SUPPORT = {
    "attributes",
    "body",
    "evidence",
    "migration_text",
    "ratified_text",
    "statements",
    "regression",
    "judge",
    "language",
    "expect",
    "verdict",
    "metrics",
    "inputs",
    "input_table",
    "advances",
}


def test_every_built_in_kind_is_one_module_of_the_registry() -> None:
    package = Path(checks.__file__).parent
    modules = sorted(
        p.stem for p in package.glob("*.py") if not p.stem.startswith("_") and p.stem not in SUPPORT
    )
    sections = ("regression", "forbidden", *checks.SECTION_KINDS, checks.IMPLICIT)
    built_in = [k for section in sections for k in checks.kinds(section) if k.built_in]
    assert sorted(k.key for k in built_in) == modules
    assert all(Path(k.origin).stem == k.key for k in built_in)
    whole = [k for k in built_in if k.section in checks.SECTION_KINDS]
    assert [(k.section, k.key) for k in whole] == [(s, s) for s in checks.SECTION_KINDS]
    metrics = [k.key for k in built_in if k.section == "regression"]
    assert metrics == list(checks.METRICS)


def test_every_built_in_kind_says_its_rule_in_its_own_words() -> None:
    sections = ("regression", "forbidden", *checks.SECTION_KINDS, checks.IMPLICIT)
    silent = [k.key for s in sections for k in checks.kinds(s) if k.built_in and k.rule is None]
    assert silent == []
    for path in (ROOT / "specs" / "dieu45").glob("*.yaml"):
        spec_of_phase = load_spec(path)
        for check in (*spec_of_phase.checks, *checks.implicit_checks(spec_of_phase)):
            rule = checks.rule_of(check)
            assert rule and "\n" not in rule, (path.name, check.id, rule)
            assert "{" not in rule or check.section != "forbidden", rule  # words, not a body


def test_a_kind_without_words_is_said_as_its_body_was_written(tmp_path: Path) -> None:
    path = workspace(tmp_path)
    (check,) = load_spec(path).checks
    assert checks.rule_of(check) == 'table_named: "audit_log"'


def test_a_workspace_kind_goes_under_forbidden(tmp_path: Path) -> None:
    elsewhere = KIND.replace('key="table_named",', 'key="table_named", section="proofs",')
    path = workspace(tmp_path, kind=elsewhere)
    result = clausegate("lint", str(path))
    assert_no_traceback(result)
    assert result.returncode == 2
    assert "a kind of one's own goes under `forbidden`" in result.stderr


def test_the_shipped_schema_holds_the_built_in_kinds_as_their_modules_say() -> None:
    shipped = (Path(spec.__file__).parent / "schema" / "spec.schema.json").read_text("utf-8")
    assert shipped == language.built_in_schema(), "the schema file is stale: run `make schema`"


# --- the Điều 45 kind in checks/, judged on evidence made by hand --------------------------


def _evidence(before: dict[str, str], after: dict[str, str]) -> tuple[Any, Evidence]:
    phase2 = load_spec(ROOT / "specs" / "dieu45" / "phase2.yaml")  # and its workspace's kinds
    check = next(c for c in phase2.checks if c.id == "no-worker-gate-flip")
    query = config_query(phase2)
    assert query is not None
    ev = Evidence(
        spec=phase2,
        before={query: sorted(before.items())},
        after={query: sorted(after.items())},
        changes=(),
    )
    return check, ev


@pytest.mark.parametrize(
    ("before", "after", "status", "words"),
    [
        ({"queue.worker.enabled": "false"}, {"queue.worker.enabled": "false"}, Status.PASS,
         'stays "false"'),
        ({"queue.worker.enabled": "false"}, {"queue.worker.enabled": "False"}, Status.FAIL,
         'the law wants "false"'),
        ({"queue.worker.enabled": "true"}, {"queue.worker.enabled": "false"}, Status.FAIL,
         '"true" → "false"'),
        ({}, {"queue.worker.enabled": "false"}, Status.PASS, 'stays "false"'),
        ({"queue.worker.enabled": "false"}, {}, Status.BROKEN, "does not exist after"),
    ],
)  # fmt: skip
def test_law_gate_judges_the_gate_s_value_and_its_flip(
    before: dict[str, str], after: dict[str, str], status: Status, words: str
) -> None:
    check, ev = _evidence(before, after)
    kind = checks.kind_of(check)
    assert kind.key == "law_gate"
    assert kind.origin == str(ROOT / "checks" / "dieu45_gates.py")
    verdict = kind.judge(check, ev)
    assert verdict.status is status
    assert words in verdict.message


def test_the_kinds_an_expected_change_may_name_are_every_kind_a_change_has() -> None:
    """What a gate sees outside the database is named by phase/outside.py, above the check
    kinds: the list expected_changes accepts must hold those names too."""
    from clausegate.checks.expected_changes import CHANGE_KINDS
    from clausegate.phase import outside
    from clausegate.snapshot.catalog import LABELS

    assert {outside.FILE, outside.PROCESS, outside.OTHER_DATABASE} <= set(CHANGE_KINDS)
    assert set(LABELS.values()) <= set(CHANGE_KINDS)
