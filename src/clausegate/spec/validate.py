"""Validation: every problem of a spec file at its line and column, schema first, then what
a schema cannot say (unique ids, known clauses, one kind per check), each saying what to
write instead."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from clausegate.spec.language import Language
from clausegate.spec.model import SECTIONS, MetricValue, Problem
from clausegate.yamlpos import Located, Position


def _missing_files(
    path: Path, located: Located, ratified: bool = True, build: bool = True
) -> list[Problem]:
    """The files a spec names (`build:` unless `build` is False, ratified bodies unless
    `ratified` is False) must exist, relative to it."""
    problems = []
    for i, item in enumerate(located.data.get("forbidden") or [] if ratified else []):
        source = (item.get("ratified_body") or {}).get("source")
        if isinstance(source, str) and not (path.parent / source).is_file():
            problems.append(
                Problem(
                    located.position(("forbidden", i, "ratified_body", "source")),
                    f"forbidden[{i}].ratified_body.source: {path.parent / source} does not "
                    "exist (paths are relative to the spec file; `clausegate pin` writes it "
                    "from a reviewed migration)",
                )
            )
    for key in ("fixtures", "dump", "migration") if build else ():
        name = located.data["build"].get(key)
        if name is not None and not (path.parent / name).exists():
            problems.append(
                Problem(
                    located.position(("build", key)),
                    f"build.{key}: {path.parent / name} does not exist "
                    "(paths are relative to the spec file)",
                )
            )
    return problems


def validate(located: Located, language: Language) -> list[Problem]:
    """Every schema and consistency problem of a loaded document, in the language its check
    kinds make."""
    if located.data is None:
        return [
            Problem(Position(1, 1), "the file is empty; a spec needs law, phase, build and clauses")
        ]
    if not isinstance(located.data, dict):
        return [Problem(Position(1, 1), "a spec is a mapping (law:, phase:, build:, clauses: …)")]
    validator = Draft202012Validator(language.schema)
    problems = [
        Problem(_error_position(located, e), describe(e))
        for e in validator.iter_errors(located.data)
    ]
    if problems:
        return problems
    return _consistency(located, language)


def _error_position(located: Located, error: ValidationError) -> Position:
    """Where to point: at the unknown key itself, else at the value that is wrong."""
    if error.validator in ("anyOf", "oneOf"):
        error = _branch_error(error) or error
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        extra = sorted(set(error.instance) - set(allowed))
        if extra:
            return located.key_positions[(*path, extra[0])]
    forbidden_key = _forbidden_key(error)
    if forbidden_key is not None and isinstance(error.instance, dict):
        return located.key_positions.get((*path, forbidden_key), located.position(path))
    return located.position(path)


def _forbidden_key(error: ValidationError) -> str | None:
    """The key a `not: {required: [key]}` clause refuses here, if that is what failed."""
    ruled = error.validator_value if error.validator == "not" else None
    if isinstance(ruled, dict) and list(ruled) == ["required"] and len(ruled["required"]) == 1:
        return str(ruled["required"][0])
    return None


def _where(path: Iterable[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the top level"


def describe(error: ValidationError) -> str:
    """One sentence on what is wrong and what to write instead."""
    where = _where(error.absolute_path)
    schema_here: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    expected: Any = error.validator_value
    instance: Any = error.instance
    if error.validator == "additionalProperties":
        allowed = sorted(schema_here.get("properties", {}))
        extra = sorted(set(instance) - set(allowed))
        return (
            f"unknown key {', '.join(repr(k) for k in extra)} in {where}; "
            f"allowed keys: {', '.join(allowed)}"
        )
    if error.validator == "required":
        # One error per key missing, each naming its own (jsonschema says which in its
        # message: "'phase' is a required property").
        named = [k for k in expected if k not in instance and error.message.startswith(repr(k))]
        missing = named[0] if named else next(k for k in expected if k not in instance)
        about = schema_here.get("properties", {}).get(missing, {}).get("description")
        return f"{where} is missing {missing!r}; add `{missing}:`" + (
            f" ({about})" if about else ""
        )
    if error.validator == "enum":
        choices = ", ".join(str(v) for v in expected)
        near = difflib.get_close_matches(str(error.instance), [str(v) for v in expected], n=1)
        hint = f"did you mean {near[0]!r}? " if near else ""
        return f"{where}: {error.instance!r} is not allowed; {hint}write one of: {choices}"
    if error.validator == "type":
        return f"{where}: expected {_types(expected)}, got {_json_type(error.instance)}"
    if error.validator == "oneOf" and all(set(b) == {"required"} for b in expected):
        keys = " or ".join(f"`{b['required'][0]}:`" for b in expected)
        return f"{where}: give exactly one of {keys}"
    if error.validator in ("anyOf", "oneOf"):
        branch = _branch_error(error)
        if branch is not None:
            return describe(branch)
        about = schema_here.get("description", "see the schema")
        return f"{where}: {instance!r:.60} is not a valid value here; {about}"
    if error.validator == "pattern":
        return f"{where}: {error.instance!r} does not match the pattern {error.validator_value}"
    if error.validator in ("minItems", "minLength", "minProperties"):
        return f"{where} is empty; " + str(schema_here.get("description", "give a value"))
    if _forbidden_key(error) is not None:
        why = schema_here.get("description", "leave it out")
        return f"{where}: `{_forbidden_key(error)}:` is not allowed here; {why}"
    if error.validator == "const":
        return f"{where}: write `{json.dumps(error.validator_value)}` or leave the key out"
    return f"{where}: {error.message}"


def _branch_error(error: ValidationError) -> ValidationError | None:
    """The error of the alternative meant for this kind of value (a mapping → the object one)."""
    wanted = "object" if isinstance(error.instance, dict) else None
    branches: Any = error.validator_value
    for sub in error.context or []:
        branch = branches[sub.relative_schema_path[0]]
        if wanted is not None and branch.get("type") == wanted:
            return sub
    return None


def _types(value: str | list[str]) -> str:
    names = {"object": "a mapping", "array": "a list", "string": "a string", "number": "a number",
             "integer": "an integer", "boolean": "true or false", "null": "null"}  # fmt: skip
    values = [value] if isinstance(value, str) else value
    return " or ".join(names.get(v, v) for v in values)


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "null"


def _consistency(located: Located, language: Language) -> list[Problem]:
    """What the schema cannot say: unique ids, known clauses, one kind per check."""
    data: dict[str, Any] = located.data
    problems: list[Problem] = []

    def at(*path: str | int) -> Position:
        return located.position(tuple(path))

    clause_ids: list[str] = []
    for i, clause in enumerate(data["clauses"]):
        if clause["id"] in clause_ids:
            problems.append(
                Problem(at("clauses", i, "id"), f"clause {clause['id']!r} is declared twice")
            )
        clause_ids.append(clause["id"])
    seen: dict[str, tuple[str, int]] = {}
    for section in SECTIONS:
        for i, check in enumerate(data.get(section, [])):
            here = (section, i)
            if check["id"] in seen:
                other = seen[check["id"]]
                problems.append(
                    Problem(
                        at(*here, "id"),
                        f"check id {check['id']!r} is used twice (also at {_where(other)}); "
                        "give each check its own id",
                    )
                )
            seen.setdefault(check["id"], here)
            if check["clause"] not in clause_ids:
                problems.append(
                    Problem(
                        at(*here, "clause"),
                        f"check {check['id']!r} names clause {check['clause']!r}, which is not "
                        f"declared under clauses; declared: {', '.join(clause_ids)}",
                    )
                )
            problems.extend(_kind_problems(section, check, here, at, language))
            problems.extend(
                Problem(_found(located, (*here, *p.path), p.find), p.message)
                for p in language.lint(section, check)
            )
    problems.extend(_truncated_sql(located))
    build = data["build"]
    if ("fixtures" in build) == ("dump" in build):
        problems.append(Problem(at("build"), "build needs exactly one of `fixtures:` or `dump:`"))
    if "upto" in build and "fixtures" not in build:
        problems.append(Problem(at("build", "upto"), "`upto:` goes with `fixtures:`"))
    if "config" not in data:
        for i, item in enumerate(data.get("forbidden", [])):
            for key in sorted(language.needs_config & set(item)):
                problems.append(
                    Problem(
                        located.key_positions[("forbidden", i, key)],
                        f"{key} needs a top-level `config:` naming the gate table",
                    )
                )
    return problems


def _found(located: Located, path: tuple[str | int, ...], text: str | None) -> Position:
    """Where `text` first appears in the value at `path` (its line and column in the
    file), else the value's own position."""
    start = located.position(path)
    if text is None:
        return start
    for number in range(start.line - 1, len(located.lines)):
        line = located.lines[number]
        column = line.find(text, start.column - 1 if number == start.line - 1 else 0)
        if column >= 0:
            return Position(number + 1, column + 1)
    return start


SQL_KEYS = {"sql", "call", "setup", "where", "query"}


def _truncated_sql(located: Located) -> list[Problem]:
    """SQL in a plain YAML value cut short by a ` #` that YAML reads as a comment."""
    return [
        Problem(
            located.position(path),
            "the SQL ends where ` #` starts a YAML comment (`#-`, `#>` and `#>>` are operators "
            "too); quote the value, or write it as a block: `sql: >-` and the SQL below",
        )
        for path in sorted(located.commented, key=str)
        if any(part in SQL_KEYS for part in path if isinstance(part, str))
    ]


def _kind_problems(
    section: str, check: dict[str, Any], here: tuple[str, int], at: Any, language: Language
) -> list[Problem]:
    if section == "forbidden":
        known = language.forbidden
        kinds = [k for k in known if k in check]
        if len(kinds) != 1:
            found = ", ".join(kinds) or "none"
            choices = ", ".join(known)
            return [Problem(at(*here), f"forbidden item {check['id']!r} needs exactly one kind "
                            f"(found: {found}); write one of: {choices}")]  # fmt: skip
    if section == "regression":
        metric = check["metric"]
        names = language.metrics
        kinds = [k for k in names if k in metric]
        if len(kinds) != 1:
            found = ", ".join(kinds) or "none"
            return [Problem(at(*here, "metric"), f"metric of {check['id']!r} needs exactly one "
                            f"of {', '.join(names)} (found: {found})")]  # fmt: skip
        for qualifier, owner in language.qualifiers.items():
            if qualifier in metric and owner not in metric:
                return [
                    Problem(at(*here, "metric", qualifier), f"`{qualifier}:` goes with `{owner}:`")
                ]
        if not any(k in check for k in ("before", "after", "delta")):
            return [Problem(at(*here), f"regression row {check['id']!r} expects nothing; "
                            "add before:, after: or delta:")]  # fmt: skip
        value = language.metric_values.get(kinds[0])
        if value is not None:
            return _unmeetable(kinds[0], value, check, here, at)
    return []


# The comparisons (expect.check) a value of each kind can meet; `equals` holds a value.
_MEETS: dict[MetricValue, frozenset[str]] = {
    "number": frozenset({"min", "max", "equals", "json_schema"}),
    "list": frozenset({"set", "subset_of", "superset_of", "json_subset", "equals", "json_schema"}),
}
_WRITE: dict[MetricValue, str] = {
    "number": "a number, or {min: N} / {max: N}",
    "list": "a list, or {set: [...]} / {subset_of: [...]} / {superset_of: [...]}",
}


def _unmeetable(
    metric: str, value: MetricValue, check: dict[str, Any], here: tuple[str, int], at: Any
) -> list[Problem]:
    """A regression row's expectations that its metric's value can never meet: a `delta:`
    of a list, a number of a list, a set of a number."""
    problems = []
    for key in ("before", "after", "delta"):
        if key not in check:
            continue
        if key == "delta" and value != "number":
            problems.append(Problem(at(*here, key), f"{here[0]}[{here[1]}].delta: `{metric}` is a "
                                    f"{value}, which has no difference to expect; write "
                                    f"before: and after: ({_WRITE[value]})"))  # fmt: skip
            continue
        if not _meets(value, check[key]):
            problems.append(Problem(at(*here, key), f"{here[0]}[{here[1]}].{key}: `{metric}` is a "
                                    f"{value}, so {json.dumps(check[key])} can never match it; "
                                    f"write {_WRITE[value]}"))  # fmt: skip
    return problems


def _meets(value: MetricValue, expectation: Any) -> bool:
    if isinstance(expectation, dict):
        if not expectation.keys() <= _MEETS[value]:
            return False
        return "equals" not in expectation or _meets(value, expectation["equals"])
    if value == "number":
        return isinstance(expectation, int | float) and not isinstance(expectation, bool)
    return isinstance(expectation, list)
