"""The spec language the registered check kinds make, and specs loaded in it.

A spec's schema is the shipped one with the body of every kind the spec sees (built-in,
a package's, its workspace's) under its section; `make schema` rewrites the shipped file
from the built-in kinds (a test fails when it is stale).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from clausegate import checks, spec
from clausegate.spec.language import ITEM_KEYS, Language, base_schema, schema_file


def load_spec(path: Path) -> spec.Spec:
    """Read, validate and type one spec file, its workspace's kinds loaded first. A file is
    parsed once per process while it is unchanged: `clausegate gate` validates its specs
    before handing them to pytest, whose collection then gets the same frozen Spec."""
    try:
        stat = path.stat()
    except OSError:
        return _load_spec(path, 0, -1)  # spec.load says what is wrong with the path
    return _load_spec(path.resolve(), stat.st_mtime_ns, stat.st_size)


def load_spec_to_pin(path: Path) -> spec.Spec:
    """A spec as `clausegate pin` reads it: its ratified bodies' files may be missing."""
    checks.load_workspace(path.resolve())
    return spec.load(path, language(path.resolve()), ratified_files=False)


def load_spec_in_bundle(path: Path, workspace: Path | None) -> spec.Spec:
    """A spec's copy in an evidence bundle, to judge again: its kinds are the built-in ones
    and, with `workspace` (the verifier's own `checks/` folder), that folder's, never code
    found in or above the bundle; the files of its `build:` need not be there."""
    checks.assign_workspace(path, workspace)
    checks.load_workspace(path.resolve())
    return spec.load(path, language(path.resolve()), build_files=False)


@lru_cache(maxsize=256)
def _load_spec(path: Path, mtime_ns: int, size: int) -> spec.Spec:
    checks.load_workspace(path)
    return spec.load(path, language(path))


def language(path: Path | None = None) -> Language:
    """The language of the spec at `path` (None: the built-in kinds and packages' only)."""
    forbidden = checks.kinds(checks.FORBIDDEN, path)
    metrics = checks.kinds(checks.REGRESSION, path)
    return Language(
        schema=schema(path),
        forbidden=tuple(kind.key for kind in forbidden),
        metrics=tuple(kind.key for kind in metrics),
        qualifiers={q: kind.key for kind in metrics for q in kind.qualifiers},
        metric_values={kind.key: kind.value for kind in metrics if kind.value is not None},
        needs_config=frozenset(kind.key for kind in forbidden if kind.needs_config),
        typed_body=checks.typed_body,
        lint=_lint,
    )


def _lint(section: str, item: Mapping[str, Any]) -> Sequence[spec.ItemProblem]:
    """What the kind of a section's item finds wrong in it beyond its schema."""
    if section not in checks.SECTION_KINDS:
        return ()
    (kind,) = checks.kinds(section)
    return kind.lint(item)


def schema(path: Path | None = None) -> dict[str, Any]:
    """The spec schema with the body of every check kind the spec at `path` sees (the
    built-in ones, a package's, its workspace's) under its section's items."""
    loaded: dict[str, Any] = json.loads(base_schema())
    item = loaded["properties"][checks.FORBIDDEN]["items"]
    item["properties"].update(checks.body_schema(checks.FORBIDDEN, path))
    return loaded


def built_in_schema() -> str:
    """The shipped schema file's text as the built-in kinds make it: the file editors read
    (`# yaml-language-server: $schema=…`), kept in step by `make schema` and a test."""
    loaded: dict[str, Any] = json.loads(base_schema())
    item = loaded["properties"][checks.FORBIDDEN]["items"]
    own = {key: item["properties"][key] for key in ITEM_KEYS}
    built_in = [kind for kind in checks.kinds(checks.FORBIDDEN) if kind.built_in]
    item["properties"] = own | {kind.key: dict(kind.schema) for kind in built_in}
    metric = loaded["properties"][checks.REGRESSION]["items"]["properties"]["metric"]
    metric["properties"] = {
        name: dict(body)
        for kind in checks.kinds(checks.REGRESSION)
        for name, body in ((kind.key, kind.schema), *kind.qualifiers.items())
    }
    for section in checks.SECTION_KINDS:
        (kind,) = checks.kinds(section)
        body = dict(kind.schema)
        body["properties"] = own | dict(body["properties"])
        body["required"] = ["id", "clause", *body.get("required", [])]
        loaded["properties"][section]["items"] = body
    return json.dumps(loaded, indent=2, ensure_ascii=False) + "\n"


def write_schema() -> Path:
    path = schema_file()
    path.write_text(built_in_schema(), "utf-8")
    return path
