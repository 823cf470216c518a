"""The evidence bundle of a run: copies of its inputs and a manifest of SHA-256 hashes.

`evidence/manifest.json` lists every file of the run folder with its SHA-256 and size,
and what the run was (clausegate and server versions, start and end, target, command
line, exit code). It is written last and is not listed in itself, nor is the folder of
signatures written after it (evidence/attestations/, see attestation.py): it carries
`manifest_sha256`, the SHA-256 of its own canonical text without that key, and it must
be byte for byte in canonical form, so any change to it is detected as well.

Formats: `clausegate-evidence/1` (the first) and `clausegate-evidence/2`, which names its
hash algorithm and canonical JSON form in the manifest itself (`canonical_form`) and keeps
what the judges read beyond the snapshots (evidence/judging/), so `evidence verify` can
judge the run again. Both are read; any other format is refused by name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from clausegate import checks, db
from clausegate.errors import EXIT_FAIL, EXIT_USAGE, ClausegateError
from clausegate.report import strict_json
from clausegate.report.records import RunRecord

FORMAT = "clausegate-evidence/2"
FORMAT_1 = "clausegate-evidence/1"
FORMATS_READ = (FORMAT_1, FORMAT)
MANIFEST = Path("evidence") / "manifest.json"
SIGNATURES = Path("evidence") / "attestations"
SELF_HASH = "manifest_sha256"
NOT_A_FILE = "not a regular file"  # what a pipe or a device hashes to: no SHA-256 is this
# Copies of the workspace check kinds a spec used, per spec: read by `evidence verify` to
# compare with the verifier's own, never run.
WORKSPACE = Path("evidence") / "workspace"
# What the manifest says of itself (format 2 on): how every hash in it was made and how
# its own text is written, so a later clausegate never has to guess.
CANONICAL_FORM = {
    "hash": "sha256 (hex, lower case) of each file's bytes; of a symbolic link, of its target path",
    "json": "UTF-8, keys sorted, indented by 2 spaces, non-ASCII characters as themselves, "
    "separators ', ' and ': ', a final newline (Python json.dumps(indent=2, sort_keys=True, "
    "ensure_ascii=False) + '\\n')",
    "self_hash": f"{SELF_HASH} is the sha256 of this text written without that key",
    "not_listed": f"{MANIFEST.as_posix()} itself and {SIGNATURES.as_posix()}/ (written after it)",
}


@dataclass(frozen=True)
class RunFacts:
    """What a run was, beyond its verdicts: recorded in the manifest and the summary."""

    clausegate_version: str
    started: str
    ended: str
    command: tuple[str, ...]
    exit_code: int
    target: str
    server_versions: tuple[str, ...] = ()
    regenerated: tuple[dict[str, Any], ...] = field(default=())
    # Where the run was started: what summary.md's paths are relative to, wherever it is
    # rendered again ("" in bundles written before clausegate recorded it).
    working_directory: str = ""

    @classmethod
    def from_manifest(cls, manifest: dict[str, Any], source: Path = MANIFEST) -> RunFacts:
        """The run's facts of a manifest (read from `source`, for the message); ClausegateError
        (exit 1) when any is missing."""
        try:
            run = manifest["run"]
            return cls(
                clausegate_version=run["clausegate_version"],
                started=run["started"],
                ended=run["ended"],
                command=tuple(run["command"]),
                exit_code=run["exit_code"],
                target=run["target"],
                server_versions=tuple(run["server_versions"]),
                regenerated=tuple(run.get("regenerated", ())),
                working_directory=str(run.get("working_directory", "")),
            )
        except (KeyError, TypeError, AttributeError):
            raise ClausegateError(f"{source}: run facts missing", EXIT_FAIL) from None


@dataclass(frozen=True)
class Problem:
    """One way a bundle differs from its manifest: altered, missing or added."""

    kind: str
    path: str

    @property
    def line(self) -> str:
        return f"{self.kind}: {printable(self.path)}"


def printable(line: str) -> str:
    """A line as it is safe to print: what a bundle wrote into it (a file name, a spec
    path, a check id, a message) cannot break it into lines or send the terminal escape
    codes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in line)


def redact_command(words: Sequence[str]) -> tuple[str, ...]:
    """The command line with the password of any DSN in it replaced by ***."""
    return tuple(_redact_word(word) for word in words)


def _redact_word(word: str) -> str:
    if word.startswith("--") and "=" in word:
        flag, value = word.split("=", 1)
        return f"{flag}={_redact_word(value)}"
    if "://" in word or "password" in word.lower():
        return db.redact(word)
    return word


def now() -> str:
    """The time now, UTC, to the second, as the manifest and the statements write it."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# --- inputs ---------------------------------------------------------------------------


def input_folders(specs: Iterable[str]) -> dict[str, str]:
    """The folder under evidence/specs/ of each spec: its file stem, numbered if taken."""
    folders: dict[str, str] = {}
    for spec in specs:
        stem = Path(spec).stem
        name, number = stem, 1
        while name in folders.values():
            number += 1
            name = f"{stem}-{number}"
        folders.setdefault(spec, name)
    return folders


def spec_copy(run_dir: Path, runs: Sequence[RunRecord], spec: str) -> Path | None:
    """Where the copy of `spec` is in the bundle, if it was copied."""
    folder = input_folders(r.spec for r in runs).get(spec)
    if folder is None:
        return None
    copy = run_dir / "evidence" / "specs" / folder / Path(spec).name
    return copy if copy.is_file() else None


def ratified_files(spec: Path) -> list[str]:
    """The ratified bodies' files a spec names (`ratified_body.source`, relative to it) that
    exist: copied beside the spec's copy, so that its paths hold in the bundle too."""
    try:
        data = yaml.safe_load(spec.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    items = data.get("forbidden") if isinstance(data, dict) else None
    found = []
    for item in items if isinstance(items, list) else []:
        pin = item.get("ratified_body") if isinstance(item, dict) else None
        source = pin.get("source") if isinstance(pin, dict) else None
        if isinstance(source, str) and (spec.parent / source).is_file():
            found.append(source)
    return found


def workspace_kind_files(spec: Path) -> list[Path]:
    """The files of the spec's workspace (checks/) that define a kind its checks use."""
    folder = checks.workspace_folder(spec)
    if folder is None:
        return []
    from clausegate.checks.language import load_spec

    try:
        loaded = load_spec(spec)
    except ClausegateError:  # a spec that did not load was not judged: nothing to copy
        return []
    origins = {Path(checks.kind_of(c).origin).resolve() for c in loaded.checks}
    return sorted(o for o in origins if o.is_relative_to(folder) and o.is_file())


def copy_inputs(run_dir: Path, runs: Sequence[RunRecord], waivers: str | None) -> None:
    """Copy each run's spec, its ratified bodies, its migration file and its workspace's
    check kinds, and the waiver file, into evidence/."""
    for spec, folder in input_folders(r.spec for r in runs).items():
        target = run_dir / "evidence" / "specs" / folder
        target.mkdir(parents=True, exist_ok=True)
        migrations = [r.migration for r in runs if r.spec == spec and r.migration]
        for source in [spec, *migrations]:
            if Path(source).is_file():
                shutil.copyfile(source, target / Path(source).name)
        for ratified in ratified_files(Path(spec)):
            copy = (target / ratified).resolve()
            if not copy.is_relative_to(target.resolve()):  # `../x.sql`: kept apart, by name
                copy = target / "outside" / Path(ratified).name
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(spec).parent / ratified, copy)
        for kind_file in workspace_kind_files(Path(spec)):
            (run_dir / WORKSPACE / folder).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(kind_file, run_dir / WORKSPACE / folder / kind_file.name)
    if waivers and Path(waivers).is_file():
        waiver_folder = run_dir / "evidence" / "waivers"
        waiver_folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(waivers, waiver_folder / Path(waivers).name)


# --- the manifest ---------------------------------------------------------------------


def canonical(document: Mapping[str, Any]) -> str:
    """The canonical JSON form the manifest names (CANONICAL_FORM["json"])."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def sha256_file(path: Path) -> str:
    """The file's SHA-256; a symbolic link's is that of the path it points to (never followed)."""
    digest = hashlib.sha256()
    if path.is_symlink():
        digest.update(os.readlink(path).encode("utf-8"))
        return digest.hexdigest()
    if not path.is_file():  # a pipe or a device: never opened (it could block, or not end)
        return NOT_A_FILE
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bundle_files(run_dir: Path) -> list[str]:
    """Every file of the run folder (relative POSIX paths, sorted), but the manifest and the
    signatures."""
    found = (p for p in run_dir.rglob("*") if p.is_symlink() or not p.is_dir())
    names = (p.relative_to(run_dir).as_posix() for p in found)
    signatures = SIGNATURES.as_posix() + "/"
    return sorted(n for n in names if n != MANIFEST.as_posix() and not n.startswith(signatures))


def file_entries(run_dir: Path) -> dict[str, dict[str, Any]]:
    return {
        name: {"sha256": sha256_file(run_dir / name), "bytes": (run_dir / name).lstat().st_size}
        for name in bundle_files(run_dir)
    }


def seal(run_dir: Path, facts: RunFacts) -> str:
    """Write evidence/manifest.json (do it last); returns the SHA-256 of that file, the
    value to hand over with the bundle."""
    body = {
        "format": FORMAT,
        "canonical_form": CANONICAL_FORM,
        "run": asdict(facts),
        "files": file_entries(run_dir),
    }
    own = hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()
    path = run_dir / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(canonical({**body, SELF_HASH: own}), encoding="utf-8")
    return sha256_file(path)


def read_manifest(run_dir: Path) -> dict[str, Any]:
    """The manifest of a bundle: ClausegateError 2 if not a bundle, 1 if the manifest
    itself was altered (not JSON, not canonical, or not matching its own hash)."""
    if not run_dir.is_dir():
        raise ClausegateError(f"{run_dir}: not a directory", EXIT_USAGE)
    path = run_dir / MANIFEST
    if not path.is_file():
        raise ClausegateError(f"{run_dir}: not an evidence bundle (no {MANIFEST})", EXIT_USAGE)
    raw = path.read_bytes()
    altered = f"altered: {MANIFEST.as_posix()}"
    try:
        manifest: dict[str, Any] = strict_json.loads(raw)
    except (UnicodeDecodeError, strict_json.BadJson) as exc:
        raise ClausegateError(f"{altered} (not valid JSON: {exc})", EXIT_FAIL) from None
    known = manifest.get("format") if isinstance(manifest, dict) else None
    if (
        isinstance(known, str)
        and known.startswith("clausegate-evidence/")
        and (known not in FORMATS_READ)
    ):
        raise ClausegateError(
            f"{path}: bundle format {known} is not one this clausegate reads (it reads "
            f"{' and '.join(FORMATS_READ)}); verify it with the clausegate that wrote it "
            f"({_writer(manifest)}) or a newer one",
            EXIT_FAIL,
        )
    if not _well_formed(manifest):
        raise ClausegateError(f"{altered} (not a clausegate manifest)", EXIT_FAIL)
    if raw != canonical(manifest).encode("utf-8"):
        raise ClausegateError(f"{altered} (not in the form clausegate writes)", EXIT_FAIL)
    body = {k: v for k, v in manifest.items() if k != SELF_HASH}
    if hashlib.sha256(canonical(body).encode("utf-8")).hexdigest() != manifest[SELF_HASH]:
        raise ClausegateError(f"{altered} (its content does not match its hash)", EXIT_FAIL)
    return manifest


def _writer(manifest: dict[str, Any]) -> str:
    run = manifest.get("run")
    version = run.get("clausegate_version") if isinstance(run, dict) else None
    return f"clausegate {version}" if isinstance(version, str) else "version not recorded"


# The keys of a manifest, by format: any other key is an alteration.
_KEYS = {
    FORMAT_1: {"format", "run", "files", SELF_HASH},
    FORMAT: {"format", "canonical_form", "run", "files", SELF_HASH},
}


_ENTRY = {"sha256", "bytes"}


def _well_formed(manifest: Any) -> bool:
    return (
        isinstance(manifest, dict)
        and manifest.get("format") in FORMATS_READ
        and set(manifest) == _KEYS[manifest["format"]]
        and (manifest["format"] == FORMAT_1 or manifest.get("canonical_form") == CANONICAL_FORM)
        and isinstance(manifest.get("files"), dict)
        and isinstance(manifest.get("run"), dict)
        and isinstance(manifest.get(SELF_HASH), str)
        and all(
            isinstance(e, dict) and set(e) == {"sha256", "bytes"}
            for e in manifest["files"].values()
        )
    )


def problems(run_dir: Path, manifest: dict[str, Any]) -> list[Problem]:
    """Every file altered, missing or added since the manifest was written."""
    listed: dict[str, dict[str, Any]] = manifest["files"]
    present = set(bundle_files(run_dir))
    found = [Problem("missing", name) for name in sorted(set(listed) - present)]
    found += [Problem("added", name) for name in sorted(present - set(listed))]
    # Only regular files: a link or a pipe is never what a run wrote, whatever its manifest
    # says (a bundle re-sealed by hand over one would otherwise make the verifier read it).
    for name in sorted(present & set(listed)):
        path = run_dir / name
        if path.is_symlink() or not path.is_file():
            found.append(Problem("altered", f"{name} (not a regular file)"))
        elif sha256_file(path) != listed[name]["sha256"] or (
            path.stat().st_size != listed[name]["bytes"]
        ):
            found.append(Problem("altered", name))
    return sorted(found, key=lambda p: (p.path, p.kind))
