"""What a throwaway cluster does outside its database: the files of its data directory,
the programs it starts, and the statements it logs.

A superuser migration can act where no catalog snapshot looks: write a file with
COPY … TO, or run a program with COPY … TO PROGRAM that leaves a daemon behind. A gate
reads these before and after the migration and reports what differs.

A process belongs to the cluster when any of these holds:
- it descends from the postmaster;
- it is in the session of the postmaster or of one of the server's own processes:
  PostgreSQL makes every postmaster child a session leader (setsid), so a program a
  backend runs is in that backend's session, also after its shell has exited and it was
  handed to init; but only while that backend lives, as a session is known by its
  leader's pid;
- its environment holds CLAUSEGATE_CLUSTER=<token>: the postmaster inherits it from
  pg_ctl (LocalServer sets it) and hands it to every program it runs, so this catches a
  daemon that left the session (setsid) or outlived its backend.
Known limit: a program that leaves the session and empties its environment too
(`env -i setsid sleep 302 &`, or `env -i sleep 303 &` once its backend has exited) is
not found; neither is one that overwrites its environment in memory.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import stat
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

CLUSTER_VARIABLE = "CLAUSEGATE_CLUSTER"

WATCHED_PATHS_NOTE = (
    "Only the data directory is watched: a file written outside it (COPY … TO '/tmp/x', "
    "or by a program run with COPY … TO PROGRAM) is not seen, nor is a file hidden under "
    "a name the server uses for its own storage (base/5/16999) or state (pg_xact/0001)."
)
PROCESSES_UNWATCHED_NOTE = (
    "Processes are not watched: this system has no /proc (they are read on Linux only)."
)

# Directories where the server keeps state that moves on its own (WAL, commit status,
# statistics, shared memory): their contents change with any activity at all, so only the
# files there that the server would not have named (MOVING_FILE) are read.
MOVING_DIRS = frozenset(
    {
        "pg_wal", "pg_xact", "pg_multixact", "pg_subtrans", "pg_stat", "pg_stat_tmp",
        "pg_notify", "pg_serial", "pg_snapshots", "pg_commit_ts", "pg_dynshmem",
        "pg_logical", "pg_replslot", "pg_twophase", "pg_wal_summaries",
    }
)  # fmt: skip
RUNTIME_FILES = frozenset({"postmaster.pid", "postmaster.opts"})
# Directories holding relation storage: only the server's own file names are left out
# there, so anything else written among them is reported.
STORAGE_DIRS = frozenset({"base", "global", "pg_tblspc"})
STORAGE_FILE = re.compile(
    r"(t\d+_)?\d+(_(fsm|vm|init))?(\.\d+)?"  # a relation's forks and segments (t: temporary)
    r"|pg_filenode\.map(\.tmp)?"  # written to .tmp and renamed (PostgreSQL 16+)
    r"|pg_internal\.init(\.\d+)?"  # written to .<pid> and renamed
    r"|PG_VERSION|pg_control"
)
TEMP_DIR_PREFIX = "pgsql_tmp"
# The names the server gives the files of its moving state (WAL segments and their
# history, backup and status files; commit-status, multixact, subtransaction, notify and
# serial pages; statistics; exported snapshots; shared memory segments; logical decoding
# snapshots, mappings and origins; slot state; two-phase state files; WAL summaries):
# hexadecimal names and a few fixed ones. Any other file there is reported, so the
# directories of moving state are no hiding place (`pg_logical/evil.sh`).
MOVING_FILE = re.compile(
    r"[0-9A-Fa-f]+(-[0-9A-Fa-f]+)*(\.(partial|history|backup|ready|done|summary|snap|spill"
    r"|[0-9A-Fa-f]+(\.backup)?))*"
    r"|(pgstat|global|db_\d+)\.(stat|tmp)|mmap\.\d+|replorigin_checkpoint(\.tmp)?"
    r"|state(\.tmp)?|map-[0-9A-Fa-f_-]+|xid-\d+-lsn-[0-9A-Fa-f]+-[0-9A-Fa-f]+\.spill"
    r"|xlogtemp\.\d+|[0-9A-Fa-f]+-[0-9A-Fa-f]+-\d+"
)


@dataclass(frozen=True)
class FileChange:
    """A file of the data directory that differs between two readings."""

    path: str
    action: Literal["added", "removed", "modified"]


def files_of(datadir: Path) -> dict[str, str]:
    """Relative path → sha256 of every file of the data directory that is not the server's
    moving storage; "symlink:<target>" for a symlink, "unreadable: <why>" for what cannot
    be read. Sorted by path."""
    return dict(sorted(_entries(Path(datadir), "", own=None)))


def changed_files(before: dict[str, str], after: dict[str, str]) -> list[FileChange]:
    """What was added, removed or modified between two readings of files_of, by path."""
    changes = [FileChange(path, "added") for path in after.keys() - before.keys()]
    changes += [FileChange(path, "removed") for path in before.keys() - after.keys()]
    changes += [
        FileChange(path, "modified")
        for path in before.keys() & after.keys()
        if before[path] != after[path]
    ]
    return sorted(changes, key=lambda change: change.path)


def _entries(
    directory: Path, prefix: str, *, own: re.Pattern[str] | None
) -> Iterator[tuple[str, str]]:
    """The files under `directory`; `own` is the pattern of the names the server gives its
    own files there (relation storage, moving state), which are left out."""
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except FileNotFoundError:  # removed while we read
        return
    except OSError as exc:
        yield prefix.rstrip("/") or ".", f"unreadable: {exc.strerror}"
        return
    for entry in entries:
        path = prefix + entry.name
        try:
            if _skipped(entry, top_level=not prefix, own=own):
                continue
            if entry.is_symlink():
                yield path, "symlink:" + os.readlink(entry.path)
            elif entry.is_dir(follow_symlinks=False):
                yield from _entries(
                    Path(entry.path), path + "/", own=_own_names(entry, prefix, own)
                )
            elif entry.is_file(follow_symlinks=False):
                yield path, _digest(Path(entry.path))
            else:  # never opened: reading a FIFO would block
                mode = entry.stat(follow_symlinks=False).st_mode
                yield path, f"not a regular file: {stat.filemode(mode)}"
        except FileNotFoundError:
            continue
        except OSError as exc:
            yield path, f"unreadable: {exc.strerror}"


def _own_names(
    entry: os.DirEntry[str], prefix: str, own: re.Pattern[str] | None
) -> re.Pattern[str] | None:
    """The pattern of the server's own names inside the directory `entry`."""
    if own is not None or prefix:
        return own
    if entry.name in STORAGE_DIRS:
        return STORAGE_FILE
    return MOVING_FILE if entry.name in MOVING_DIRS else None


def _skipped(entry: os.DirEntry[str], *, top_level: bool, own: re.Pattern[str] | None) -> bool:
    if top_level:
        return entry.name in RUNTIME_FILES
    if own is None:
        return False
    if entry.is_dir(follow_symlinks=False):
        return entry.name.startswith(TEMP_DIR_PREFIX)
    return entry.is_file(follow_symlinks=False) and own.fullmatch(entry.name) is not None


def _digest(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


PROC = Path("/proc")
# How a process was found to belong to the cluster (Process.found_by).
DESCENDANT = "descendant of the postmaster"
SESSION = "in a server process's session"
ENVIRONMENT = f"{CLUSTER_VARIABLE} in its environment"
# How long stop_processes waits for a killed process to be gone.
STOP_WAIT_S = 5.0


@dataclass(frozen=True)
class Process:
    """A process the cluster started that is not one of the server's own."""

    pid: int
    ppid: int
    command: str
    start_time: int  # clock ticks after boot (/proc/<pid>/stat field 22): tells a reused pid
    found_by: tuple[str, ...]


ClusterProcesses = dict[int, Process]


@dataclass(frozen=True)
class _Stat:
    pid: int
    ppid: int
    session: int
    start_time: int


def processes_of(postmaster_pid: int, token: str) -> ClusterProcesses | None:
    """The processes the cluster of `postmaster_pid` started that are still running, by
    pid; None without /proc (PROCESSES_UNWATCHED_NOTE says so). The postmaster and its
    forked children (backends, checkpointer, autovacuum, workers) are left out."""
    if not (PROC / "self" / "stat").exists():
        return None
    stats = {found.pid: found for found in _all_stats()}
    postmaster = stats.get(postmaster_pid)
    server_exe = _exe(postmaster_pid) if postmaster else None
    own = {postmaster_pid} if postmaster else set()
    own |= {
        found.pid
        for found in stats.values()
        if found.ppid == postmaster_pid and server_exe and _child_exe(found.pid) == server_exe
    }
    descendants = _descendants(postmaster_pid, stats)
    leaders = {stats[pid].session for pid in own if pid in stats}
    marker = f"{CLUSTER_VARIABLE}={token}".encode()
    found: ClusterProcesses = {}
    for pid, info in stats.items():
        if pid in own:
            continue
        reasons = []
        if pid in descendants:
            reasons.append(DESCENDANT)
        if info.session in leaders and _joined(info, stats.get(info.session)):
            reasons.append(SESSION)
        if marker in _environment(pid):
            reasons.append(ENVIRONMENT)
        # A process that exited meanwhile (a child waited for above, now a zombie) is gone.
        command = _command(pid) if reasons and _stat(pid) is not None else None
        if command is not None:
            found[pid] = Process(pid, info.ppid, command, info.start_time, tuple(reasons))
    return found


def stop_processes(processes: Iterable[Process]) -> list[str]:
    """SIGKILL each process (they belong to a throwaway cluster) and wait until it is gone;
    one line per process saying what was done."""
    return [_stop(process) for process in processes]


def _stop(process: Process) -> str:
    what = f"process {process.pid} ({process.command})"
    gone = f"{what} had already exited"
    pidfd: int | None
    try:
        # A pidfd holds on to this very process: once its start time is checked, the signal
        # cannot reach another process that was given the same pid meanwhile.
        pidfd = os.pidfd_open(process.pid)
    except ProcessLookupError:
        return gone
    except OSError:  # no pidfds before Linux 5.3: by pid, its start time checked just before
        pidfd = None
    try:
        if not _running(process):
            return gone
        if pidfd is None:
            os.kill(process.pid, signal.SIGKILL)
        else:
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)
    except ProcessLookupError:
        return gone
    except PermissionError as exc:
        return f"could not stop {what}: {exc.strerror}"
    finally:
        if pidfd is not None:
            os.close(pidfd)
    deadline = time.monotonic() + STOP_WAIT_S
    while _running(process):
        if time.monotonic() > deadline:
            return f"sent SIGKILL to {what}, still there after {STOP_WAIT_S:g} s"
        time.sleep(0.01)
    return f"stopped {what}"


def _running(process: Process) -> bool:
    current = _stat(process.pid)
    return current is not None and current.start_time == process.start_time


def _all_stats() -> Iterator[_Stat]:
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            found = _stat(int(entry.name))
            if found is not None:
                yield found


def _stat(pid: int) -> _Stat | None:
    """A live process's /proc/<pid>/stat; None when it is gone or a zombie."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name in parentheses may hold spaces and parentheses itself.
    fields = text.rsplit(")", 1)[1].split()
    if fields[0] in ("Z", "X"):
        return None
    return _Stat(pid, ppid=int(fields[1]), session=int(fields[3]), start_time=int(fields[19]))


def _descendants(root: int, stats: dict[int, _Stat]) -> set[int]:
    children: dict[int, list[int]] = {}
    for found in stats.values():
        children.setdefault(found.ppid, []).append(found.pid)
    found_pids: set[int] = set()
    pending = list(children.get(root, []))
    while pending:
        pid = pending.pop()
        if pid not in found_pids:
            found_pids.add(pid)
            pending.extend(children.get(pid, []))
    return found_pids


def _joined(member: _Stat, leader: _Stat | None) -> bool:
    """Whether `leader` can be the process that made `member`'s session: a session is
    joined only by forking from inside it, so a leader started later is another process
    that was given the pid of the real, exited one."""
    return leader is not None and leader.start_time <= member.start_time


# How long a child of the postmaster whose binary cannot be read is given to finish
# exiting (a backend on its way out has no binary and no command line for a moment).
EXITING_WAIT_S = 1.0


def _child_exe(pid: int) -> str | None:
    """The binary of a child of the postmaster; a child caught exiting is waited for (it
    is then gone, or a zombie: no process of the cluster), not taken for a stranger."""
    deadline = time.monotonic() + EXITING_WAIT_S
    while (exe := _exe(pid)) is None and _stat(pid) is not None:
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.02)
    return exe


def _exe(pid: int) -> str | None:
    try:
        return os.readlink(PROC / str(pid) / "exe")
    except OSError:
        return None


def _environment(pid: int) -> list[bytes]:
    """The environment a process was started with; empty when it may not be read."""
    try:
        return (PROC / str(pid) / "environ").read_bytes().split(b"\0")
    except OSError:
        return []


def _command(pid: int) -> str | None:
    """The command line as text ([name] when it has none); None when the process is gone."""
    base = PROC / str(pid)
    try:
        words = (base / "cmdline").read_bytes().rstrip(b"\0").split(b"\0")
        text = b" ".join(words).decode(errors="replace")
        return text or "[" + (base / "comm").read_text().strip() + "]"
    except (FileNotFoundError, ProcessLookupError):
        return None
    except PermissionError:
        return "[command line unreadable]"


def log_since(path: Path, offset: int) -> tuple[str, int]:
    """The whole lines logged after byte `offset`, and the offset to read on from. A line
    still being written is left for the next call; a missing log reads as nothing, and one
    shorter than `offset` (truncated, or made anew) is read from its start."""
    try:
        with path.open("rb") as log:
            size = log.seek(0, os.SEEK_END)
            start = offset if offset <= size else 0
            log.seek(start)
            data = log.read()
    except FileNotFoundError:
        return "", offset
    end = data.rfind(b"\n") + 1
    return data[:end].decode(errors="replace"), start + end
