"""A spec file read: its text (size, encoding), its YAML with positions, validated, then
built into a typed Spec."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from clausegate import yamlpos
from clausegate.spec.language import Language
from clausegate.spec.model import (
    SECTIONS,
    Build,
    Check,
    Clause,
    Config,
    KnownOpen,
    MigrationRole,
    ProbeSettings,
    Problem,
    ProductionServer,
    Spec,
    SpecError,
)
from clausegate.spec.validate import _missing_files, validate
from clausegate.yamlpos import Located, Position

MAX_SPEC_BYTES = 2 * 1024 * 1024


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


def load(
    path: Path, language: Language, *, ratified_files: bool = True, build_files: bool = True
) -> Spec:
    """Read, validate and type one spec file, in the language of its check kinds
    (clausegate.checks.load_spec passes the one the spec's kinds make). With
    `ratified_files` False, a ratified body's source file may be missing (`clausegate pin`
    is about to write it); with `build_files` False, the fixtures and dump of `build:` may
    be (a spec's copy in an evidence bundle, judged again from its snapshots)."""
    text = read_text(path)
    try:
        located = yamlpos.load(text)
    except yamlpos.YamlError as exc:
        raise SpecError(path, [Problem(exc.position, exc.message)]) from None
    problems = validate(located, language) or _missing_files(
        path, located, ratified_files, build_files
    )
    if problems:
        raise SpecError(path, problems)
    return _build(path, located, language)


def _build(path: Path, located: Located, language: Language) -> Spec:
    data: dict[str, Any] = located.data
    base = path.parent
    build = data["build"]
    config = data.get("config")
    server = data.get("server")
    written = tuple(
        Check(
            section=section,
            id=item["id"],
            clause=item["clause"],
            title=item.get("title", item["id"]),
            description=item.get("description", ""),
            written=MappingProxyType(
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
        probes=ProbeSettings(**data.get("probes", {})),
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
        checks=tuple(replace(check, body=language.typed_body(check)) for check in written),
    )
