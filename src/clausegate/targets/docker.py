"""The docker target: a throwaway postgres:MAJOR container."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from psycopg.conninfo import make_conninfo

from clausegate.targets import pgbin
from clausegate.targets.server import read_version

DOCKER_IMAGE = "postgres:16.13"


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
            self.version_num, self.version = read_version(self)
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


def docker_image(major: int | None) -> str:
    """postgres:16.13 (production's) by default and for 16; postgres:MAJOR otherwise."""
    if major is None or major == pgbin.PRODUCTION_VERSION[0]:
        return DOCKER_IMAGE
    return f"postgres:{major}"
