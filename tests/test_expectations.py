"""Expectations (checks/expect.py) over every form a spec can write, as data; and the
plain JSON values (db/values.py) they are compared with.

Each case: the expectation as the spec's YAML gives it, the plain value seen, whether it
is met, and the two texts a report prints: what was expected and what was seen.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from clausegate.checks import expect
from clausegate.checks.language import load_spec
from clausegate.db import values
from clausegate.spec import SpecError

OBJECT_WITH_ID = {"type": "object", "required": ["id"]}

CASES = [
    # --- a bare value: exactly equal, in JSON terms (1 is not true, null is not '') ----------
    ("bare-number", 0, 0, True, "0", "0"),
    ("bare-int-matches-float", 1, 1.0, True, "1", "1.0"),
    ("bare-number-is-not-text", 1, "1", False, "1", '"1"'),
    ("bare-true-is-not-1", True, 1, False, "true", "1"),
    ("bare-1-is-not-true", 1, True, False, "1", "true"),
    ("bare-0-is-not-false", 0, False, False, "0", "false"),
    ("bare-null", None, None, True, "null", "null"),
    ("bare-null-is-not-empty", None, "", False, "null", '""'),
    ("bare-empty-is-not-null", "", None, False, '""', "null"),
    ("bare-text-is-case-sensitive", "false", "False", False, '"false"', '"False"'),
    ("bare-text-unescaped", "Điều 45", "Điều 45", True, '"Điều 45"', '"Điều 45"'),
    ("bare-list-in-order", [1, 2], [1, 2], True, "[1, 2]", "[1, 2]"),
    ("bare-list-out-of-order", [1, 2], [2, 1], False, "[1, 2]", "[2, 1]"),
    # --- equals: any JSON value, exactly -------------------------------------------------------
    ("equals-object", {"equals": {"a": 1}}, {"a": 1}, True, '{"a": 1}', '{"a": 1}'),
    ("equals-object-no-more-keys", {"equals": {"a": 1}}, {"a": 1, "b": 2}, False, '{"a": 1}',
     '{"a": 1, "b": 2}'),
    ("equals-keys-sorted-in-text", {"equals": {"b": 1, "a": 2}}, {"a": 2, "b": 1}, True,
     '{"a": 2, "b": 1}', '{"a": 2, "b": 1}'),
    ("equals-null", {"equals": None}, None, True, "null", "null"),
    ("equals-null-is-not-empty", {"equals": None}, "", False, "null", '""'),
    ("equals-false-is-not-0", {"equals": False}, 0, False, "false", "0"),
    # --- min / max: numbers only, bounds inclusive --------------------------------------------
    ("min-at-the-bound", {"min": 2}, 2, True, "at least 2", "2"),
    ("min-below", {"min": 2}, 1, False, "at least 2", "1"),
    ("max-at-the-bound", {"max": 5}, 5, True, "at most 5", "5"),
    ("max-above", {"max": 5}, 6, False, "at most 5", "6"),
    ("range-inside", {"min": 0, "max": 1}, 1, True, "between 0 and 1", "1"),
    ("range-set-back", {"min": 0, "max": 1}, -1, False, "between 0 and 1", "-1"),
    ("range-of-one-value", {"min": 0, "max": 0}, 0, True, "between 0 and 0", "0"),
    ("min-float", {"min": 0.5}, 0.5, True, "at least 0.5", "0.5"),
    ("min-nan-is-no-number", {"min": 0}, float("nan"), False, "at least 0", "NaN"),
    ("min-text-is-no-number", {"min": 0}, "5", False, "at least 0", '"5"'),
    ("min-true-is-no-number", {"min": 0}, True, False, "at least 0", "true"),
    ("max-null-is-no-number", {"max": 10}, None, False, "at most 10", "null"),
    # --- set / subset_of / superset_of: members compared as JSON, in any order ---------------
    ("set-any-order", {"set": ["a", "b"]}, ["b", "a"], True, 'the set ["a", "b"] (any order)',
     '["b", "a"]'),
    ("set-duplicates-not-counted", {"set": ["a", "b"]}, ["a", "a", "b"], True,
     'the set ["a", "b"] (any order)', '["a", "a", "b"]'),
    ("set-one-missing", {"set": ["a", "b"]}, ["a"], False, 'the set ["a", "b"] (any order)',
     '["a"]'),
    ("set-one-more", {"set": ["a", "b"]}, ["a", "b", "c"], False,
     'the set ["a", "b"] (any order)', '["a", "b", "c"]'),
    ("set-of-text-is-no-list", {"set": ["a", "b"]}, "a,b", False, "a list", '"a,b"'),
    ("set-true-is-not-1", {"set": [1]}, [True], False, "the set [1] (any order)", "[true]"),
    ("set-text-is-not-number", {"set": [1]}, ["1"], False, "the set [1] (any order)", '["1"]'),
    ("set-of-objects", {"set": [{"k": 1}, {"k": 2}]}, [{"k": 2}, {"k": 1}], True,
     'the set [{"k": 1}, {"k": 2}] (any order)', '[{"k": 2}, {"k": 1}]'),
    ("subset", {"subset_of": ["a", "b"]}, ["a"], True, 'a subset of ["a", "b"]', '["a"]'),
    ("subset-empty", {"subset_of": ["a", "b"]}, [], True, 'a subset of ["a", "b"]', "[]"),
    ("subset-stranger", {"subset_of": ["a", "b"]}, ["a", "c"], False, 'a subset of ["a", "b"]',
     '["a", "c"]'),
    ("subset-null-is-no-list", {"subset_of": ["a"]}, None, False, "a list", "null"),
    ("superset", {"superset_of": ["plpgsql"]}, ["pgcrypto", "plpgsql"], True,
     'containing ["plpgsql"]', '["pgcrypto", "plpgsql"]'),
    ("superset-missing", {"superset_of": ["plpgsql"]}, ["pgcrypto"], False,
     'containing ["plpgsql"]', '["pgcrypto"]'),
    # --- json_subset: objects recursively, arrays element by element --------------------------
    ("json-subset", {"json_subset": {"refused": True}}, {"refused": True, "reason": "x"}, True,
     'contains {"refused": true}', '{"reason": "x", "refused": true}'),
    ("json-subset-1-is-not-true", {"json_subset": {"refused": True}}, {"refused": 1}, False,
     'contains {"refused": true}', '{"refused": 1}'),
    ("json-subset-key-missing", {"json_subset": {"refused": True}}, {}, False,
     'contains {"refused": true}', "{}"),
    ("json-subset-null-needs-the-key", {"json_subset": {"reason": None}}, {}, False,
     'contains {"reason": null}', "{}"),
    ("json-subset-null-present", {"json_subset": {"reason": None}}, {"reason": None}, True,
     'contains {"reason": null}', '{"reason": null}'),
    ("json-subset-null-is-not-empty", {"json_subset": {"reason": None}}, {"reason": ""}, False,
     'contains {"reason": null}', '{"reason": ""}'),
    ("json-subset-nested", {"json_subset": {"a": {"b": 1}}}, {"a": {"b": 1, "c": 2}}, True,
     'contains {"a": {"b": 1}}', '{"a": {"b": 1, "c": 2}}'),
    ("json-subset-array-elementwise", {"json_subset": [{"id": 1}]}, [{"id": 1, "x": 2}], True,
     'contains [{"id": 1}]', '[{"id": 1, "x": 2}]'),
    ("json-subset-array-length", {"json_subset": [{"id": 1}]}, [{"id": 1}, {"id": 2}], False,
     'contains [{"id": 1}]', '[{"id": 1}, {"id": 2}]'),
    ("json-subset-array-order", {"json_subset": [{"id": 1}, {"id": 2}]}, [{"id": 2}, {"id": 1}],
     False, 'contains [{"id": 1}, {"id": 2}]', '[{"id": 2}, {"id": 1}]'),
    ("json-subset-scalar", {"json_subset": 3}, 3, True, "contains 3", "3"),
    ("json-subset-of-json-text", {"json_subset": {"a": 1}}, '{"a": 1}', False,
     'contains {"a": 1}', '"{\\"a\\": 1}"'),
    # --- json_schema: draft 2020-12, the first reasons appended to what was seen -------------
    ("json-schema", {"json_schema": OBJECT_WITH_ID}, {"id": 1}, True, "matches the JSON Schema",
     '{"id": 1}'),
    ("json-schema-missing-key", {"json_schema": OBJECT_WITH_ID}, {}, False,
     "matches the JSON Schema", "{} ('id' is a required property)"),
    ("json-schema-true-is-no-integer", {"json_schema": {"type": "integer"}}, True, False,
     "matches the JSON Schema", "true (True is not of type 'integer')"),
    # --- regex: re.search over text only -------------------------------------------------------
    ("regex", {"regex": "^phase2"}, "phase2_governance", True, "matches /^phase2/",
     '"phase2_governance"'),
    ("regex-anchored", {"regex": "^phase2"}, "xphase2", False, "matches /^phase2/", '"xphase2"'),
    ("regex-searches", {"regex": "done"}, "not done", True, "matches /done/", '"not done"'),
    ("regex-number-is-no-text", {"regex": "42"}, 42, False, "matches /42/", "42"),
    ("regex-null-is-no-text", {"regex": ".*"}, None, False, "matches /.*/", "null"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("expectation", "seen", "ok", "expected", "seen_text"),
    [pytest.param(*c[1:], id=c[0]) for c in CASES],
)
def test_an_expectation_is_met_or_says_what_it_wanted_and_saw(
    expectation: Any, seen: Any, ok: bool, expected: str, seen_text: str
) -> None:
    outcome = expect.check(expectation, seen)
    assert (outcome.ok, outcome.expected, outcome.seen) == (ok, expected, seen_text)


def test_every_form_of_the_schema_has_cases() -> None:
    """Each key the spec schema's expectation object takes, and a bare value, is tested."""
    forms = {next(iter(c[1])) if isinstance(c[1], dict) else "bare" for c in CASES}
    assert forms == {"bare", "equals", "min", "max", "set", "subset_of", "superset_of",
                     "json_subset", "json_schema", "regex"}  # fmt: skip


def test_an_unknown_expectation_is_an_error_not_a_pass() -> None:
    with pytest.raises(ValueError, match="unknown expectation"):
        expect.check({"roughly": 3}, 3)


PLAIN = [
    ("decimal-integral", Decimal("3.0"), 3),
    ("decimal-fraction", Decimal("1.5"), 1.5),
    ("timestamp", dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC), "2026-01-02T03:04:05+00:00"),
    ("date", dt.date(2026, 1, 2), "2026-01-02"),
    ("interval", dt.timedelta(minutes=2), 120.0),
    ("uuid", uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
    ("bytea", b"\x00\xff", "00ff"),
    ("memoryview", memoryview(b"\x01"), "01"),
    ("nested", {1: (Decimal("2"), [dt.date(2026, 1, 1)])}, {"1": [2, ["2026-01-01"]]}),
    ("null", None, None),
    ("bool-stays-bool", True, True),
]  # fmt: skip


@pytest.mark.parametrize(("value", "plain"), [pytest.param(*c[1:], id=c[0]) for c in PLAIN])
def test_a_value_read_from_the_database_is_made_plain_json(value: Any, plain: Any) -> None:
    made = values.plain(value)
    assert made == plain
    assert type(made) is type(plain)


def test_plain_rows_keeps_rows_that_are_already_plain() -> None:
    row: list[Any] = ["k", 1, None, 1.5, True]
    mixed: list[Any] = ["k", Decimal("2")]
    rows = values.plain_rows([row, mixed])
    assert rows[0] is row
    assert rows[1] == ["k", 2]


# --- bugs found by these tables, each fixed: a false PASS before ------------------------------


# Was: expect._same compares containers with Python ==, where True == 1: `equals:` (and a bare
# list) holding true is met by a 1 inside an object or list, though a bare true is not met by 1
# and json_subset and set tell them apart
@pytest.mark.parametrize(
    ("expectation", "seen"),
    [({"equals": {"ok": True}}, {"ok": 1}), ([True], [1]), ({"equals": [0]}, [False])],
    ids=["equals-object", "bare-list", "equals-list"],
)
def test_true_inside_an_object_or_list_is_not_met_by_1(expectation: Any, seen: Any) -> None:
    assert not expect.check(expectation, seen).ok


# Was: the schema's expectation object says `give exactly one key` but only requires one (min
# with max is the one pair expect.check reads together): `{equals: 1, regex: …}` or
# `{json_subset: …, json_schema: …}` loads, and expect.check silently applies only the first key
# it looks at
def test_an_expectation_with_two_comparisons_is_refused_at_load(tmp_path: Path) -> None:
    (tmp_path / "empty.sql").write_text("")
    path = tmp_path / "spec.yaml"
    path.write_text(
        'law: L\nphase: "1"\nbuild: {dump: empty.sql, migration: empty.sql}\n'
        'clauses: [{id: "§1", title: t}]\n'
        'invariants:\n  - {id: i, clause: "§1", sql: "select 2", '
        'expect: {equals: 2, regex: "^1"}}\n'
    )
    with pytest.raises(SpecError):
        load_spec(path)
