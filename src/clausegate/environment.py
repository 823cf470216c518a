"""Every environment variable clausegate reads, in one place: its name, its meaning, and
what a bad value says (an error naming the variable, never a traceback).

The settings that also have a flag and an ini key (CLAUSEGATE_TARGET, CLAUSEGATE_DSN, …)
are read through `value()` by clausegate.settings; the others have a function here.
"""

from __future__ import annotations

import os

from clausegate.errors import EXIT_USAGE, ClausegateError

DEBUG = "CLAUSEGATE_DEBUG"  # set: an internal error prints its traceback
PG_BIN = "CLAUSEGATE_PG_BIN"  # the folder of the server binaries (as --pg-bin)
DSN = "CLAUSEGATE_DSN"  # an existing server (as --dsn)
LOCAL_DIR = "CLAUSEGATE_LOCAL_DIR"  # where throwaway clusters are made
PG_OS_USER = "CLAUSEGATE_PG_OS_USER"  # the OS user a throwaway cluster runs as, when root
REUSE_TEMPLATES = "CLAUSEGATE_REUSE_TEMPLATES"  # 1: keep built states on the server
STATE_CACHE = "CLAUSEGATE_STATE_CACHE"  # where built before states are kept; `off`: nowhere
STATEMENT_TIMEOUT_MS = "CLAUSEGATE_STATEMENT_TIMEOUT_MS"  # every connection's statement_timeout
LOCK_TIMEOUT_MS = "CLAUSEGATE_LOCK_TIMEOUT_MS"  # every connection's lock_timeout
ALLURE_HOME = "CLAUSEGATE_ALLURE_HOME"  # where the `allure` npm package is installed
SIGN_KEY = "CLAUSEGATE_SIGN_KEY"  # the private key gate, verify and evidence sign sign with
SIGN_KEY_PASSPHRASE = "CLAUSEGATE_SIGN_KEY_PASSPHRASE"  # the passphrase of that key, if any
XDIST_WORKER = "PYTEST_XDIST_WORKER"  # pytest-xdist's worker name (names databases apart)
# libpq's variables that name a server: any of them set makes `--target dsn` usable.
LIBPQ_SERVER = ("PGHOST", "PGHOSTADDR", "PGPORT", "PGSERVICE", "PGDATABASE")


def value(name: str) -> str | None:
    """The variable's value; unset and empty both read as None."""
    return os.environ.get(name) or None


def debug() -> bool:
    return value(DEBUG) is not None


def sign_key() -> str | None:
    return value(SIGN_KEY)


def sign_key_passphrase() -> str | None:
    return value(SIGN_KEY_PASSPHRASE)


def reuse_templates() -> bool:
    return value(REUSE_TEMPLATES) == "1"


def pg_os_user() -> str:
    return value(PG_OS_USER) or "postgres"


def xdist_worker() -> str:
    return value(XDIST_WORKER) or "main"


def libpq_names_a_server() -> bool:
    return any(value(name) for name in LIBPQ_SERVER)


def milliseconds(name: str, default: int) -> int:
    """A time-out in milliseconds: a whole number, at least 1."""
    raw = value(name)
    if raw is None:
        return default
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if number < 1:
        raise ClausegateError(
            f"{name}={raw!r}: not a time-out; write a whole number of milliseconds, e.g. "
            f"{name}={default}",
            EXIT_USAGE,
        )
    return number
