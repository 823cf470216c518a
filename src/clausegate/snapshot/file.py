"""The snapshot file: one JSON document, written in a stable, diffable form and read back
with a clear error for anything that is not a snapshot."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO, cast

from clausegate.errors import EXIT_USAGE, ClausegateError
from clausegate.snapshot import catalog
from clausegate.snapshot.model import FORMAT, SECTIONS, Snapshot
from clausegate.snapshot.model import section as section_of

# Nesting levels written one key a line (the document, its sections, their kinds); below
# them each object is one line, `"identity": {…}`, written by json's C encoder.
_LINED_LEVELS = 3


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


_ENCODE_KEY = json.encoder.encode_basestring


def _c_encode() -> Callable[[Any], str]:
    """JSON text of one value, as _ENCODER.encode writes it, by json's C encoder called
    directly: encode() builds a new C encoder on every call, which is a third of the time
    of writing a snapshot of 10,000 tables (about 200,000 objects, each encoded apart)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # A Python without the _json accelerator.
        return _ENCODER.encode
    chunks = make(
        None, _ENCODER.default, _ENCODE_KEY, None, ": ", ", ", True, False, True
    )  # markers (a snapshot is a tree), default, key encoder, indent, separators,
    # sort_keys, skipkeys, allow_nan: JSONEncoder's own arguments for the settings above.
    return lambda value: "".join(chunks(value, 0))


_ENCODE = _c_encode()


def dumps(snapshot: Mapping[str, Any]) -> str:
    """Stable JSON text: sorted keys, one object a line, so a snapshot diffs well in git."""
    return "".join(_chunks(snapshot, 0)) + "\n"


def _chunks(value: Any, level: int) -> Iterator[str]:
    if level >= _LINED_LEVELS or not isinstance(value, Mapping) or not value:
        yield _ENCODE(value)
        return
    inner = " " * (level + 1)
    yield "{\n" + inner
    if level == _LINED_LEVELS - 1:
        # The objects of a kind, one a line: tens of thousands of them in a large catalog,
        # so joined in one go rather than yielded piece by piece.
        yield (",\n" + inner).join(
            [f"{_ENCODE_KEY(key)}: {_ENCODE(value[key])}" for key in sorted(value)]
        )
    else:
        for number, key in enumerate(sorted(value)):
            if number:
                yield ",\n" + inner
            yield _ENCODE(key) + ": "
            yield from _chunks(value[key], level + 1)
    yield "\n" + " " * level + "}"


def save(snapshot: Mapping[str, Any], path: Path) -> None:
    """Write the snapshot to `path`, replacing it only once the new file is complete."""
    path = Path(path)
    if path.exists() and not path.is_file():
        # A device or a pipe (/dev/null, /dev/stdout) is written to, never replaced.
        with path.open("w", encoding="utf-8") as out:
            _write(snapshot, out)
        return
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            _write(snapshot, out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write(snapshot: Mapping[str, Any], out: TextIO) -> None:
    out.writelines(_chunks(snapshot, 0))
    out.write("\n")


def load(path: Path) -> Snapshot:
    """A snapshot from a file written by save().

    Raises ClausegateError (exit 2) naming the file and what is wrong: unreadable, not
    UTF-8, not JSON, or JSON that is not a clausegate snapshot.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ClausegateError(f"{path}: cannot read: {exc.strerror}", EXIT_USAGE) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ClausegateError(
            f"{path}: not a clausegate snapshot: not UTF-8 text "
            f"(byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            EXIT_USAGE,
        ) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ClausegateError(
            f"{path}: not a clausegate snapshot: not JSON "
            f"(line {exc.lineno}, column {exc.colno}: {exc.msg})",
            EXIT_USAGE,
        ) from None
    problem = _shape_problem(document)
    if problem is not None:
        raise ClausegateError(f"{path}: not a clausegate snapshot: {problem}", EXIT_USAGE)
    return _with_missing_kinds(cast(Snapshot, document))


def _with_missing_kinds(document: Snapshot) -> Snapshot:
    """A file written by an older clausegate lacks the kinds added since: each is recorded
    as unreadable (so what compares it is BROKEN, naming the remedy), never as empty."""
    unreadable = document["server"].setdefault("unreadable", {})
    document.setdefault("cluster", {})  # a file older than the cluster section
    for kind in catalog.KINDS:
        section = section_of(document, kind.section)
        if kind.name not in section:
            section[kind.name] = None
            unreadable[kind.name] = (
                "not in this snapshot file (written by an older clausegate); "
                "take it again with `clausegate snapshot`"
            )
    return document


def _shape_problem(document: object) -> str | None:
    if not isinstance(document, dict):
        return f"expected a JSON object, found {type(document).__name__}"
    marker = document.get("format")
    if marker != FORMAT:
        found = "no format marker" if marker is None else f"format {marker!r}"
        return f"{found}; expected format {FORMAT!r}"
    if not isinstance(document.get("server"), dict):
        return "no `server` object"
    for section in SECTIONS:
        kinds = document.get(section, {} if section == catalog.CLUSTER else None)
        if not isinstance(kinds, dict):
            return f"no `{section}` object"
        for kind, objects in kinds.items():
            if objects is None and section != "probes":
                continue
            if not isinstance(objects, dict) or not all(
                isinstance(attrs, dict) for attrs in objects.values()
            ):
                return f"`{section}.{kind}` is not an object of objects"
    return None
