"""JSON read from a bundle, which is untrusted input: a key given twice (one reader would
keep the first value, another the last), nesting deeper than clausegate writes, or a file
larger than clausegate writes is refused, never half-read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

MAX_BYTES = 1 << 30  # no file clausegate writes comes near a gigabyte
MAX_DEPTH = 200  # nor nests objects that deep


class BadJson(ValueError):
    """Not JSON clausegate reads, and why."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise BadJson(f"the key {key!r} is given twice")
        found[key] = value
    return found


def loads(data: bytes | str) -> Any:
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    depth = max_depth(text)
    if depth > MAX_DEPTH:
        raise BadJson(f"nested {depth} deep (clausegate writes at most {MAX_DEPTH})")
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise BadJson(str(exc)) from None


def max_depth(text: str) -> int:
    """How deep the brackets of a JSON text nest, strings left out."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def read(path: Path) -> Any:
    """A regular file's JSON (a symbolic link, a pipe or a device is refused unread)."""
    if path.is_symlink() or not path.is_file():
        raise BadJson("not a regular file")
    if path.stat().st_size > MAX_BYTES:
        raise BadJson(f"larger than {MAX_BYTES} bytes")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadJson(f"cannot read: {exc.strerror}") from None
    try:
        return loads(data)
    except UnicodeDecodeError:
        raise BadJson("not UTF-8") from None
