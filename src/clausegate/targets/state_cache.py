"""Before states built once per machine: the data directory of a stopped throwaway cluster
that holds the built states of a run's fixture chains, kept so the next gate of the same
specs starts from a copy of it instead of `initdb` and the whole chain.

An entry is keyed by the server binaries (the sha256 of the `postgres` program and its
version) and by the names of the states it holds, each a hash of the contents of the
fixture files it was built from (phase.gate.state_name): a changed fixture or other
binaries give another key, so a stale entry is never used; old entries are pruned.
Only a cluster in which nothing but fixture files ran is kept (the engine stores it
right after building the states, before any migration). An entry also lists every file of
its data directory with its size and modification time (`files.json`, read from the copy
once it is written): one whose files differ (a copy cut short, a file lost or changed
since) is never used, and is removed, so the next run builds and keeps it again; the
server itself would read a truncated table as one with fewer rows and say nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from clausegate import environment
from clausegate.errors import ClausegateError
from clausegate.targets import pgbin

# Entries kept: enough for a workspace's spec sets on two or three majors.
KEEP = 4
# A half-written entry (a process killed while storing) older than this is removed.
STALE_SECONDS = 3600
_FORMAT = "clausegate-state-cache/2"
_KEY_FILE = "key.json"
_FILES = "files.json"
_OFF = ("off", "0", "none", "no")


@dataclass(frozen=True)
class StateKey:
    """What a kept cluster holds: built by these binaries, these states."""

    binaries: str  # sha256 of the postgres program
    version: str  # its version text, as `postgres --version` reads
    states: tuple[str, ...]  # the state databases it holds, sorted

    @property
    def digest(self) -> str:
        text = json.dumps([_FORMAT, self.binaries, self.version, list(self.states)])
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def as_json(self) -> dict[str, object]:
        return {
            "format": _FORMAT,
            "binaries": self.binaries,
            "version": self.version,
            "states": list(self.states),
        }


def binaries_digest(installation: pgbin.Installation) -> str:
    """The sha256 of the installation's `postgres` program (symlinks followed) and of the
    list of its extension and library files (each one's path, size and modification
    time): an extension's script or library updated in place, the server's program not
    (a contrib or PostGIS package upgraded), builds again."""
    program = (installation.bindir / "postgres").resolve()
    digest = hashlib.sha256()
    with program.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    for folder in _installation_folders(installation):
        for path, stamp in sorted(_files_of(folder).items()):
            digest.update(f"{folder}/{path}\0{stamp}\n".encode())
    return digest.hexdigest()


def _installation_folders(installation: pgbin.Installation) -> list[Path]:
    """Where the server finds its extensions' scripts and libraries: lib/ and share/ beside
    bin/ (a relocatable or embedded installation; Debian's lib/), and Debian's
    /usr/share/postgresql/MAJOR."""
    root = installation.bindir.resolve().parent
    found = [root / "lib", root / "share", Path(f"/usr/share/postgresql/{installation.major}")]
    return [folder for folder in found if folder.is_dir()]


class StateCache:
    """Kept clusters under one directory, one folder per key (its `key.json` and `data/`)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def find(self, key: StateKey) -> Path | None:
        """The data directory kept for `key`, or None."""
        entry = self.root / key.digest
        try:
            stored = json.loads((entry / _KEY_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if stored != key.as_json() or not (entry / "data" / "PG_VERSION").is_file():
            return None
        try:
            listed = json.loads((entry / _FILES).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            listed = None
        if listed != _files_of(entry / "data"):
            # Damaged since it was kept: never a before state; built and kept again.
            shutil.rmtree(entry, ignore_errors=True)
            return None
        os.utime(entry)  # most recently used: pruned last
        return entry / "data"

    def store(self, key: StateKey, datadir: Path) -> Path:
        """Keep a copy of a stopped cluster's data directory under `key`; returns it."""
        self.root.mkdir(parents=True, exist_ok=True)
        entry = self.root / key.digest
        partial = self.root / f".partial-{key.digest}-{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        try:
            shutil.copytree(datadir, partial / "data", symlinks=True)
            (partial / _FILES).write_text(json.dumps(_files_of(partial / "data")), encoding="utf-8")
            (partial / _KEY_FILE).write_text(json.dumps(key.as_json()), encoding="utf-8")
            if entry.exists():  # another run stored the same states meanwhile
                shutil.rmtree(partial, ignore_errors=True)
            else:
                partial.rename(entry)
        except OSError as exc:
            shutil.rmtree(partial, ignore_errors=True)
            raise ClausegateError(
                f"could not keep the built before state in {self.root}: {exc.strerror}; set "
                f"{environment.STATE_CACHE}=off to build it on every run, or name another "
                "directory"
            ) from None
        self._prune(keep=entry)
        return entry / "data"

    def _prune(self, keep: Path) -> None:
        entries = [p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(".")]
        entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in [p for p in entries if p != keep][KEEP - 1 :]:
            shutil.rmtree(old, ignore_errors=True)
        now = time.time()
        for partial in self.root.glob(".partial-*"):
            if now - partial.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(partial, ignore_errors=True)


def _files_of(datadir: Path) -> dict[str, list[int] | str]:
    """Every file under `datadir` (relative path → [size, mtime in ns]) and every symbolic
    link (→ its target)."""
    found: dict[str, list[int] | str] = {}
    for folder, dirs, files in os.walk(datadir):
        for name in [*dirs, *files]:
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, datadir)
            if os.path.islink(path):
                found[relative] = os.readlink(path)
            elif name in files:
                status = os.stat(path)
                found[relative] = [status.st_size, status.st_mtime_ns]
    return dict(sorted(found.items()))


def configured() -> StateCache | None:
    """The cache CLAUSEGATE_STATE_CACHE names (`off` for none), else the user's cache
    directory ($XDG_CACHE_HOME/clausegate/states, or ~/.cache/clausegate/states)."""
    chosen = environment.value(environment.STATE_CACHE)
    if chosen is not None and chosen.lower() in _OFF:
        return None
    if chosen is not None:
        return StateCache(Path(chosen))
    base = environment.value("XDG_CACHE_HOME")
    home = Path(base) if base else Path.home() / ".cache"
    return StateCache(home / "clausegate" / "states")
