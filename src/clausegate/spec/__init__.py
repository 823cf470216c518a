"""Spec files: YAML validated against the shipped JSON Schema, then typed, frozen objects.

A bad spec is an error naming the file, the line and the column, what is wrong and what
to write instead; never a KeyError. Every problem found is reported, not only the first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from clausegate import checks
from clausegate.errors import EXIT_USAGE, ClausegateError
from clausegate.spec import yamlpos
from clausegate.spec.yamlpos import Located, Position

MAX_SPEC_BYTES = 2 * 1024 * 1024
SECTIONS = ("regression", "forbidden", "expected_changes", "refusals", "proofs", "invariants")


@dataclass(frozen=True)
class Problem:
    position: Position
    message: str


class SpecError(ClausegateError):
    """An invalid spec: one line per problem, each `FILE:LINE:COLUMN: what; instead`."""

    def __init__(self, path: Path, problems: Iterable[Problem]) -> None:
        self.path = path
        self.problems = sorted(problems, key=lambda p: (p.position.line, p.position.column))
        lines = [
            f"{path}:{p.position.line}:{p.position.column}: {p.message}" for p in self.problems
        ]
        super().__init__("\n".join(lines), EXIT_USAGE)


@dataclass(frozen=True)
class KnownOpen:
    reason: str
    reference: str


@dataclass(frozen=True)
class Clause:
    id: str
    title: str
    impact: str
    references: tuple[str, ...]
    known_open: KnownOpen | None


@dataclass(frozen=True)
class Check:
    """One check of a spec. `body` holds the section-specific keys as written; `spec_path`
    is the spec file (its workspace's check kinds are the ones it sees)."""

    section: str
    id: str
    clause: str
    title: str
    description: str
    body: Mapping[str, Any]
    line: int
    spec_path: Path | None = None


@dataclass(frozen=True)
class Build:
    fixtures: Path | None
    upto: str | None
    dump: Path | None
    migration: Path
    runs_as: MigrationRole | None = None


@dataclass(frozen=True)
class MigrationRole:
    """Who applies the migration in production (the spec's `build.runs_as`); `role` None
    means a superuser."""

    role: str | None
    reference: str | None

    def describe(self) -> str:
        who = f"role {self.role}" if self.role is not None else "a superuser"
        where = f" ({self.reference})" if self.reference else ""
        return f"{who}{where}"

    @classmethod
    def from_flag(cls, value: str) -> MigrationRole:
        """The role `gate --runs-as VALUE` names (`superuser` for a superuser)."""
        return cls(None if value == RUNS_AS_SUPERUSER else value, "--runs-as")


RUNS_AS_SUPERUSER = "superuser"


@dataclass(frozen=True)
class Config:
    table: str
    key: str
    value: str


@dataclass(frozen=True)
class ProductionServer:
    """The server the law's production database runs on (the spec's `server:`)."""

    major: int
    version: str | None
    reference: str | None

    def describe(self) -> str:
        where = f" ({self.reference})" if self.reference else ""
        return f"PostgreSQL {self.version or self.major}{where}"


@dataclass(frozen=True)
class Spec:
    path: Path
    law: str
    phase: str
    title: str
    build: Build
    config: Config | None
    server: ProductionServer | None
    closed_world: bool
    clauses: tuple[Clause, ...]
    checks: tuple[Check, ...]

    def clause(self, clause_id: str) -> Clause:
        return next(c for c in self.clauses if c.id == clause_id)

    def section(self, name: str) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.section == name)


def _schema_file() -> Path:
    return Path(str(resources.files("clausegate.spec").joinpath("schema/spec.schema.json")))


@cache
def _base_schema() -> str:
    return _schema_file().read_text("utf-8")


def schema(path: Path | None = None) -> dict[str, Any]:
    """The spec schema with the body of every check kind the spec at `path` sees (the
    built-in ones, a package's, its workspace's) under its section's items."""
    loaded: dict[str, Any] = json.loads(_base_schema())
    item = loaded["properties"][checks.FORBIDDEN]["items"]
    item["properties"].update(checks.body_schema(checks.FORBIDDEN, path))
    return loaded


# The keys every item has, whatever its kind.
_ITEM_KEYS = ("id", "clause", "title", "description")


def built_in_schema() -> str:
    """The shipped schema file's text as the built-in kinds make it: the file editors read
    (`# yaml-language-server: $schema=…`), kept in step by `make schema` and a test."""
    loaded: dict[str, Any] = json.loads(_base_schema())
    item = loaded["properties"][checks.FORBIDDEN]["items"]
    own = {key: item["properties"][key] for key in _ITEM_KEYS}
    built_in = [kind for kind in checks.kinds(checks.FORBIDDEN) if kind.built_in]
    item["properties"] = own | {kind.key: dict(kind.schema) for kind in built_in}
    metric = loaded["properties"][checks.REGRESSION]["items"]["properties"]["metric"]
    metric["properties"] = {
        name: dict(schema)
        for kind in checks.kinds(checks.REGRESSION)
        for name, schema in ((kind.key, kind.schema), *kind.qualifiers.items())
    }
    for section in checks.SECTION_KINDS:
        (kind,) = checks.kinds(section)
        body = dict(kind.schema)
        body["properties"] = own | dict(body["properties"])
        body["required"] = ["id", "clause", *body.get("required", [])]
        loaded["properties"][section]["items"] = body
    return json.dumps(loaded, indent=2, ensure_ascii=False) + "\n"


def write_schema() -> Path:
    path = _schema_file()
    path.write_text(built_in_schema(), "utf-8")
    return path


def forbidden_kinds(path: Path | None = None) -> tuple[str, ...]:
    """The keys naming a forbidden item's kind, for the spec at `path`."""
    return tuple(kind.key for kind in checks.kinds(checks.FORBIDDEN, path))


def read_text(path: Path) -> str:
    """The spec's text; SpecError for a missing, huge, empty or non-UTF-8 file."""
    start = Position(1, 1)
    try:
        size = path.stat().st_size
        if size > MAX_SPEC_BYTES:
            raise SpecError(
                path,
                [Problem(start, f"file is {size:,} bytes; a spec is at most {MAX_SPEC_BYTES:,}")],
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SpecError(path, [Problem(start, "no such file")]) from None
    except IsADirectoryError:
        raise SpecError(path, [Problem(start, "is a directory; name a .yaml file")]) from None
    except OSError as exc:
        raise SpecError(path, [Problem(start, f"cannot read: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SpecError(
            path,
            [Problem(Position(line, column), "not UTF-8 text; save the file as UTF-8")],
        ) from None
    if not text.strip():
        raise SpecError(
            path, [Problem(start, "the file is empty; a spec needs law, phase, build and clauses")]
        )
    return text


def load(path: Path) -> Spec:
    """Read, validate and type one spec file."""
    text = read_text(path)
    try:
        located = yamlpos.load(text)
    except yamlpos.YamlError as exc:
        raise SpecError(path, [Problem(exc.position, exc.message)]) from None
    checks.load_workspace(path)
    problems = validate(located, path) or _missing_files(path, located)
    if problems:
        raise SpecError(path, problems)
    return _build(path, located)


def _missing_files(path: Path, located: Located) -> list[Problem]:
    """The files `build:` names must exist, relative to the spec file."""
    problems = []
    for key in ("fixtures", "dump", "migration"):
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


def validate(located: Located, path: Path | None = None) -> list[Problem]:
    """Every schema and consistency problem of a loaded document (the spec file at `path`:
    its workspace's check kinds are known)."""
    if located.data is None:
        return [
            Problem(Position(1, 1), "the file is empty; a spec needs law, phase, build and clauses")
        ]
    if not isinstance(located.data, dict):
        return [Problem(Position(1, 1), "a spec is a mapping (law:, phase:, build:, clauses: …)")]
    validator = Draft202012Validator(schema(path))
    problems = [
        Problem(_error_position(located, e), describe(e))
        for e in validator.iter_errors(located.data)
    ]
    if problems:
        return problems
    return _consistency(located, path)


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
    return located.position(path)


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
        missing = next(k for k in expected if k not in instance)
        about = schema_here.get("properties", {}).get(missing, {}).get("description")
        return f"{where} is missing {missing!r}; add `{missing}:`" + (
            f" ({about})" if about else ""
        )
    if error.validator == "enum":
        choices = ", ".join(str(v) for v in expected)
        return f"{where}: {error.instance!r} is not allowed; write one of: {choices}"
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


def _consistency(located: Located, path: Path | None) -> list[Problem]:
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
            problems.extend(_kind_problems(section, check, here, at, path))
    problems.extend(_truncated_sql(located))
    build = data["build"]
    if ("fixtures" in build) == ("dump" in build):
        problems.append(Problem(at("build"), "build needs exactly one of `fixtures:` or `dump:`"))
    if "upto" in build and "fixtures" not in build:
        problems.append(Problem(at("build", "upto"), "`upto:` goes with `fixtures:`"))
    if "config" not in data:
        kinds = checks.kinds(checks.FORBIDDEN, path)
        needing = {kind.key for kind in kinds if kind.needs_config}
        for i, item in enumerate(data.get("forbidden", [])):
            for key in sorted(needing & set(item)):
                problems.append(
                    Problem(
                        located.key_positions[("forbidden", i, key)],
                        f"{key} needs a top-level `config:` naming the gate table",
                    )
                )
    return problems


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
    section: str, check: dict[str, Any], here: tuple[str, int], at: Any, path: Path | None
) -> list[Problem]:
    if section == "forbidden":
        known = forbidden_kinds(path)
        kinds = [k for k in known if k in check]
        if len(kinds) != 1:
            found = ", ".join(kinds) or "none"
            choices = ", ".join(known)
            return [Problem(at(*here), f"forbidden item {check['id']!r} needs exactly one kind "
                            f"(found: {found}); write one of: {choices}")]  # fmt: skip
    if section == "regression":
        metric = check["metric"]
        metrics = checks.kinds(checks.REGRESSION, path)
        names = [kind.key for kind in metrics]
        kinds = [k for k in names if k in metric]
        if len(kinds) != 1:
            found = ", ".join(kinds) or "none"
            return [Problem(at(*here, "metric"), f"metric of {check['id']!r} needs exactly one "
                            f"of {', '.join(names)} (found: {found})")]  # fmt: skip
        qualifiers = {q: kind.key for kind in metrics for q in kind.qualifiers}
        for qualifier, owner in qualifiers.items():
            if qualifier in metric and owner not in metric:
                return [
                    Problem(at(*here, "metric", qualifier), f"`{qualifier}:` goes with `{owner}:`")
                ]
        if not any(k in check for k in ("before", "after", "delta")):
            return [Problem(at(*here), f"regression row {check['id']!r} expects nothing; "
                            "add before:, after: or delta:")]  # fmt: skip
    return []


def _build(path: Path, located: Located) -> Spec:
    data: dict[str, Any] = located.data
    base = path.parent
    build = data["build"]
    config = data.get("config")
    server = data.get("server")
    checks = tuple(
        Check(
            section=section,
            id=item["id"],
            clause=item["clause"],
            title=item.get("title", item["id"]),
            description=item.get("description", ""),
            body=MappingProxyType(
                {k: v for k, v in item.items() if k not in ("id", "clause", "title", "description")}
            ),
            line=located.position((section, i)).line,
            spec_path=path,
        )
        for section in SECTIONS
        for i, item in enumerate(data.get(section, []))
    )
    return Spec(
        path=path,
        law=data["law"],
        phase=str(data["phase"]),
        title=data.get("title", ""),
        build=Build(
            fixtures=base / build["fixtures"] if "fixtures" in build else None,
            upto=build.get("upto"),
            dump=base / build["dump"] if "dump" in build else None,
            migration=base / build["migration"],
            runs_as=(
                MigrationRole(build["runs_as"].get("role"), build["runs_as"].get("reference"))
                if "runs_as" in build
                else None
            ),
        ),
        config=Config(config["table"], config.get("key", "key"), config.get("value", "value"))
        if config
        else None,
        server=ProductionServer(server["major"], server.get("version"), server.get("reference"))
        if server
        else None,
        closed_world=data.get("closed_world", True),
        clauses=tuple(
            Clause(
                id=c["id"],
                title=c["title"],
                impact=c.get("impact", "normal"),
                references=tuple(c.get("references", [])),
                known_open=KnownOpen(**c["known_open"]) if "known_open" in c else None,
            )
            for c in data["clauses"]
        ),
        checks=checks,
    )
