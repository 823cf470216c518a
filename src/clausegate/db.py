"""Every connection clausegate opens: named, and bounded in time.

A connection that can hang or hold a lock without end is not safe to point at a live
database, so the timeouts are set here once, for every caller, and never left out.
"""

from __future__ import annotations

import os
import re

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from clausegate.errors import TargetError

APPLICATION_NAME = "clausegate"
STATEMENT_TIMEOUT_MS = int(os.environ.get("CLAUSEGATE_STATEMENT_TIMEOUT_MS", "60000"))
LOCK_TIMEOUT_MS = int(os.environ.get("CLAUSEGATE_LOCK_TIMEOUT_MS", "5000"))
IDLE_IN_TRANSACTION_TIMEOUT_MS = 60000
CONNECT_TIMEOUT_S = 10


def session_options() -> str:
    """The libpq `options` string that sets the timeouts at connection start."""
    return (
        f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"
        f" -c lock_timeout={LOCK_TIMEOUT_MS}"
        f" -c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_TIMEOUT_MS}"
    )


def connect(conninfo: str, *, purpose: str, autocommit: bool = True) -> psycopg.Connection:
    """Open a connection named `clausegate` (with the purpose), timeouts set.

    Raises TargetError (exit 3) with the target shown without its password when the
    server cannot be reached.
    """
    params = conninfo_to_dict(conninfo)
    options = " ".join(filter(None, [str(params.get("options") or ""), session_options()]))
    full = make_conninfo(
        conninfo,
        application_name=f"{APPLICATION_NAME} {purpose}"[:63],
        options=options,
        connect_timeout=params.get("connect_timeout") or CONNECT_TIMEOUT_S,
    )
    try:
        return psycopg.connect(full, autocommit=autocommit)
    except psycopg.OperationalError as exc:
        reason = " ".join(str(exc).split())
        password = str(params.get("password") or "")
        if password:
            reason = reason.replace(password, "***")
        raise TargetError(f"cannot connect to {redact(conninfo)}: {reason}") from None


_URL_PASSWORD = re.compile(r"(://[^:/@]*):[^@]*@")


def redact(conninfo: str) -> str:
    """The conninfo or URL with any password replaced by ***, safe for logs and reports."""
    if "://" in conninfo:
        return _URL_PASSWORD.sub(r"\1:***@", conninfo)
    try:
        params = conninfo_to_dict(conninfo)
    except psycopg.ProgrammingError:
        return "<unparseable conninfo>"
    if "password" in params:
        params["password"] = "***"
    return make_conninfo("", **{k: v for k, v in params.items() if v is not None})
