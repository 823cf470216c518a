"""Where the database comes from: a throwaway local cluster, a Docker container, or a DSN.

Each target is a context manager: the server is started (or reached) in `__enter__` and
everything clausegate started is gone after `__exit__`, also when the start itself fails.
"""

from clausegate.config import TARGETS, TargetSettings, parse_pg_version
from clausegate.targets.choice import Choice, choose_target, open_server
from clausegate.targets.docker import DOCKER_IMAGE, DockerServer, docker_image, docker_status
from clausegate.targets.dsn import DsnServer, dsn_from_environment
from clausegate.targets.local import LocalServer, cluster_parent
from clausegate.targets.server import SUPERUSER, THROWAWAY_SETTINGS, Server

__all__ = [
    "DOCKER_IMAGE",
    "SUPERUSER",
    "TARGETS",
    "THROWAWAY_SETTINGS",
    "Choice",
    "DockerServer",
    "DsnServer",
    "LocalServer",
    "Server",
    "TargetSettings",
    "choose_target",
    "cluster_parent",
    "docker_image",
    "docker_status",
    "dsn_from_environment",
    "open_server",
    "parse_pg_version",
]
