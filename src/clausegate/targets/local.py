"""The local target: a throwaway cluster of the binaries found (system or embedded), in
RAM when there is room, owned by the postgres user when run as root, gone after use."""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from types import TracebackType

from psycopg.conninfo import make_conninfo

from clausegate import environment
from clausegate.errors import TargetError
from clausegate.targets import pgbin
from clausegate.targets.server import SUPERUSER, THROWAWAY_SETTINGS, read_version
from clausegate.targets.watch import CLUSTER_VARIABLE


class LocalServer:
    """A fresh cluster from `initdb`, run with `pg_ctl` on a private unix socket.

    Running as root (as CI does), initdb refuses to run, so the cluster is run as an
    unprivileged OS user that owns the temporary directory.
    """

    def __init__(
        self,
        binaries: pgbin.Installation | Path,
        *,
        why: str = "",
        tcp: bool = False,
        keep: bool = False,
        settings: dict[str, str] | None = None,
        seed: Path | None = None,
    ) -> None:
        if isinstance(binaries, Path):
            version = pgbin.server_version(binaries)
            if isinstance(version, str):
                raise TargetError(f"{binaries}: {version}")
            binaries = pgbin.Installation(binaries, version, "given")
        self.installation = binaries
        self.bindir: Path | None = binaries.bindir
        self._bin = binaries.bindir
        self.tcp = tcp
        self.keep = keep
        self.extra_settings = dict(settings or {})
        # A kept data directory (targets.state_cache) the cluster starts as a copy of,
        # instead of a new one from initdb.
        self.seed = seed
        chosen = f"; chosen as {why}" if why else ""
        self.label = (
            f"local PostgreSQL {binaries.version_text} ({binaries.bindir}; "
            f"{binaries.source}{chosen})"
        )
        self.version_num = 0
        self.version = ""
        self.root: Path | None = None
        self.port = 5432
        self.pid: int | None = None
        self._owner: pwd.struct_passwd | None = None
        # Inherited by every process the server starts, so watch.processes_of can tell them
        # from those of another cluster, also after they left the postmaster's process tree.
        self.watch_token = secrets.token_hex(8)

    @property
    def datadir(self) -> Path:
        assert self.root is not None, "server not started"
        return self.root / "data"

    def conninfo(self, dbname: str | None = None) -> str:
        host = "127.0.0.1" if self.tcp else str(self.root)
        return make_conninfo(host=host, port=self.port, user=SUPERUSER, dbname=dbname or "postgres")

    def log_path(self) -> Path:
        """The server's log (stderr of the postmaster and of every process it starts)."""
        assert self.root is not None, "server not started"
        return self.root / "server.log"

    def __enter__(self) -> LocalServer:
        self._owner = _server_os_user()
        if self._owner is not None and not pgbin.runnable_by(
            self._bin, self._owner.pw_uid, self._owner.pw_gid
        ):
            # The OS user cannot enter where the binaries lie (a checkout under /root).
            self._bin = pgbin.shared_copy(self._bin)
        self.root = Path(tempfile.mkdtemp(prefix="clausegate-pg-", dir=cluster_parent()))
        try:
            self._start()
        except BaseException:
            self._cleanup()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self.keep:
            self._cleanup()

    def _run(self, *args: str) -> None:
        """Run one server program as the cluster's owner; its output goes to the log."""
        assert self.root is not None
        owner = self._owner
        env = {
            **os.environ,
            "HOME": str(self.root),
            "LC_ALL": "C",
            CLUSTER_VARIABLE: self.watch_token,
        }
        try:
            result = subprocess.run(
                [str(self._bin / args[0]), *args[1:]],
                cwd=self.root,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
                user=owner.pw_uid if owner else None,
                group=owner.pw_gid if owner else None,
                extra_groups=[] if owner else None,
            )
        except OSError as exc:
            raise TargetError(f"could not run {self._bin / args[0]}: {exc.strerror}") from None
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            log = self.log_path()
            if log.exists():
                detail += log.read_text(errors="replace").strip().splitlines()[-5:]
            raise TargetError(
                f"{args[0]} failed (exit {result.returncode}) in {self.root}: " + " | ".join(detail)
            )

    def _start(self) -> None:
        assert self.root is not None
        if self._owner is not None:
            os.chown(self.root, self._owner.pw_uid, self._owner.pw_gid)
        self.root.chmod(0o700)
        if self.seed is not None:
            self._copy_seed(self.seed)
        else:
            self._run(
                "initdb", "-D", str(self.datadir), "-U", SUPERUSER, "--auth=trust",
                "--no-locale", "--encoding=UTF8", "--no-sync",
            )  # fmt: skip
        if self.tcp:
            self.port = _free_port()
        settings = {
            **THROWAWAY_SETTINGS,
            **self.extra_settings,
            "listen_addresses": "'127.0.0.1'" if self.tcp else "''",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.root}'",
        }
        conf = self.datadir / "postgresql.conf"
        # A copied cluster carries the settings of the one it was kept from: replaced.
        initdb_part = conf.read_text().split(_SETTINGS_MARK)[0]
        conf.write_text(
            initdb_part + _SETTINGS_MARK + "".join(f"{k} = {v}\n" for k, v in settings.items())
        )
        self._pg_ctl_start()

    def _copy_seed(self, seed: Path) -> None:
        shutil.copytree(seed, self.datadir, symlinks=True)
        if self._owner is not None:
            for path in [self.datadir, *self.datadir.rglob("*")]:
                os.lchown(path, self._owner.pw_uid, self._owner.pw_gid)
        self.datadir.chmod(0o700)

    def _pg_ctl_start(self) -> None:
        self._run(
            "pg_ctl", "-D", str(self.datadir), "-l", str(self.log_path()),
            "-w", "-t", "60", "start",
        )  # fmt: skip
        self.pid = int((self.datadir / "postmaster.pid").read_text().split()[0])
        self.version_num, self.version = read_version(self)

    def keep_stopped(self, store: Callable[[Path], object]) -> None:
        """Stop the server cleanly, hand its data directory to `store` (which copies it),
        and start it again. Every connection to it is closed by then."""
        self._run("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop")
        try:
            store(self.datadir)
        finally:
            self._pg_ctl_start()

    def _cleanup(self) -> None:
        if self.root is None:
            return
        if (self.datadir / "postmaster.pid").exists():
            try:
                self._run("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "-w", "stop")
            except (TargetError, subprocess.TimeoutExpired):
                if self.pid is not None:
                    _kill(self.pid)
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def stop_command(self) -> str:
        """The shell command that stops a kept server and removes its directory."""
        assert self.root is not None
        pg_ctl = self._bin / "pg_ctl"
        run_as = f"runuser -u {self._owner.pw_name} -- " if self._owner is not None else ""
        return f"{run_as}{pg_ctl} -D {self.datadir} -m fast stop && rm -rf {self.root}"


_SETTINGS_MARK = "\n# clausegate throwaway cluster\n"


# Where a throwaway cluster lives: creating and deleting the thousands of files of a
# database (CREATE DATABASE … TEMPLATE, DROP DATABASE) is ~20x faster in memory than on a
# journaling disk, and the data is thrown away anyway.
RAM_DIR = Path("/dev/shm")


RAM_DIR_MIN_FREE = 2 * 1024**3


def cluster_parent() -> str | None:
    """The directory a throwaway cluster is made in: CLAUSEGATE_LOCAL_DIR when set; else
    /dev/shm when it is a writable, memory-backed directory with 2 GiB free; else the
    system's temporary directory (None)."""
    chosen = environment.value(environment.LOCAL_DIR)
    if chosen:
        if not os.path.isdir(chosen) or not os.access(chosen, os.W_OK | os.X_OK):
            raise TargetError(
                f"{environment.LOCAL_DIR}={chosen}: not a writable directory; name one the "
                "throwaway cluster can be made in, or unset it"
            )
        return chosen
    try:
        free = shutil.disk_usage(RAM_DIR).free
    except OSError:
        return None
    if os.access(RAM_DIR, os.W_OK | os.X_OK) and free >= RAM_DIR_MIN_FREE:
        return str(RAM_DIR)
    return None


def _kill(pid: int) -> None:
    with suppress(ProcessLookupError):
        os.kill(pid, 9)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_os_user() -> pwd.struct_passwd | None:
    """None when not root; else the unprivileged user the cluster runs as."""
    if os.geteuid() != 0:
        return None
    name = environment.pg_os_user()
    try:
        return pwd.getpwnam(name)
    except KeyError:
        raise TargetError(
            f"running as root, and initdb refuses to run as root; no OS user {name!r} exists "
            "to run the throwaway server as. To fix: create one (useradd --system postgres), "
            "name another with CLAUSEGATE_PG_OS_USER, run as a normal user, "
            "or pass --target docker / --dsn"
        ) from None
