"""Expectations: does an observed value meet what a spec says it must be?

Values read from PostgreSQL are first made plain JSON (numbers, text, lists, dicts), so
a spec compares against what it would see in psql's JSON output, not Python types.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Outcome:
    ok: bool
    expected: str
    seen: str


def show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def json_subset(expected: Any, seen: Any) -> bool:
    """Every key and value of `expected` appears in `seen` (objects recursively)."""
    if isinstance(expected, dict):
        return isinstance(seen, dict) and all(
            key in seen and json_subset(value, seen[key]) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(seen, list)
            and len(expected) == len(seen)
            and all(json_subset(e, s) for e, s in zip(expected, seen, strict=True))
        )
    return _same(expected, seen)


def _same(expected: Any, seen: Any) -> bool:
    """Equal as JSON values: true is not 1, at any depth (Python's == says it is)."""
    if isinstance(expected, bool) or isinstance(seen, bool):
        return expected is seen
    if isinstance(expected, Mapping) and isinstance(seen, Mapping):
        return expected.keys() == seen.keys() and all(
            _same(v, seen[k]) for k, v in expected.items()
        )
    if isinstance(expected, list | tuple) and isinstance(seen, list | tuple):
        return len(expected) == len(seen) and all(map(_same, expected, seen))
    return bool(expected == seen)


def _hashable(value: Any) -> str:
    """Set members compare by their JSON text, so lists and dicts can be members."""
    return show(value)


def check(expectation: Any, seen: Any) -> Outcome:
    """Compare an observed (plain) value with a spec expectation."""
    seen_text = show(seen)
    if not isinstance(expectation, dict):
        return Outcome(_same(expectation, seen), show(expectation), seen_text)
    if "equals" in expectation:
        value = expectation["equals"]
        return Outcome(_same(value, seen), show(value), seen_text)
    if "min" in expectation or "max" in expectation:
        low, high = expectation.get("min"), expectation.get("max")
        text = (
            f"between {low} and {high}"
            if low is not None and high is not None
            else (f"at least {low}" if low is not None else f"at most {high}")
        )
        numeric = isinstance(seen, int | float) and not isinstance(seen, bool)
        ok = numeric and (low is None or seen >= low) and (high is None or seen <= high)
        return Outcome(ok, text, seen_text)
    if "set" in expectation or "subset_of" in expectation or "superset_of" in expectation:
        return _set_check(expectation, seen, seen_text)
    if "json_subset" in expectation:
        value = expectation["json_subset"]
        return Outcome(json_subset(value, seen), f"contains {show(value)}", seen_text)
    if "json_schema" in expectation:
        from jsonschema import Draft202012Validator  # slow to import; rarely needed

        errors = sorted(Draft202012Validator(expectation["json_schema"]).iter_errors(seen), key=str)
        why = "; ".join(e.message for e in errors[:3])
        return Outcome(
            not errors, "matches the JSON Schema", seen_text + (f" ({why})" if why else "")
        )
    if "regex" in expectation:
        pattern = expectation["regex"]
        ok = isinstance(seen, str) and re.search(pattern, seen) is not None
        return Outcome(ok, f"matches /{pattern}/", seen_text)
    raise ValueError(f"unknown expectation {expectation!r}")


def _set_check(expectation: dict[str, Any], seen: Any, seen_text: str) -> Outcome:
    if not isinstance(seen, list):
        return Outcome(False, "a list", seen_text)
    observed = {_hashable(v) for v in seen}
    if "set" in expectation:
        wanted = expectation["set"]
        ok = observed == {_hashable(v) for v in wanted}
        return Outcome(ok, f"the set {show(wanted)} (any order)", seen_text)
    if "subset_of" in expectation:
        allowed = expectation["subset_of"]
        ok = observed <= {_hashable(v) for v in allowed}
        return Outcome(ok, f"a subset of {show(allowed)}", seen_text)
    needed = expectation["superset_of"]
    ok = observed >= {_hashable(v) for v in needed}
    return Outcome(ok, f"containing {show(needed)}", seen_text)
