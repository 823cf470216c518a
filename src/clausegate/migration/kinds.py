"""The statement kinds a spec can forbid, and which function names belong to which.

A function is matched by its own name, whatever schema it was written with: an
unqualified `pg_notify`, `pg_catalog.pg_notify` and a `public.pg_notify` a migration made
are all counted (a false alarm a reviewer can read is better than a call let through).
"""

from __future__ import annotations

import fnmatch

COPY_PROGRAM = "copy_program"
COPY_FILE = "copy_file"
NOTIFY = "notify"
ALTER_SYSTEM = "alter_system"
ROLE_DDL = "role_ddl"
LARGE_OBJECT = "large_object"
FILE_FUNCTIONS = "file_functions"
ADMIN_FUNCTIONS = "admin_functions"
DBLINK = "dblink"
FOREIGN_WRITE = "foreign_write"
DYNAMIC_EXECUTE = "dynamic_execute"

# In the order the README lists them.
KINDS = (
    COPY_PROGRAM,
    COPY_FILE,
    NOTIFY,
    ALTER_SYSTEM,
    ROLE_DDL,
    LARGE_OBJECT,
    FILE_FUNCTIONS,
    ADMIN_FUNCTIONS,
    DBLINK,
    FOREIGN_WRITE,
    DYNAMIC_EXECUTE,
)

DESCRIPTIONS = {
    COPY_PROGRAM: "COPY … TO/FROM PROGRAM: a shell command run by the server",
    COPY_FILE: "COPY … TO/FROM a file on the server",
    NOTIFY: "NOTIFY or a call of pg_notify",
    ALTER_SYSTEM: "ALTER SYSTEM",
    ROLE_DDL: "CREATE/ALTER/DROP ROLE, USER or GROUP, GRANT/REVOKE of a role membership",
    LARGE_OBJECT: "large objects: lo_import, lo_export and every other lo_* function",
    FILE_FUNCTIONS: "the server's file functions (pg_read_file, pg_ls_dir, pg_stat_file…)",
    ADMIN_FUNCTIONS: "the server's admin functions (pg_terminate_backend, pg_reload_conf…)",
    DBLINK: "a dblink* call",
    FOREIGN_WRITE: "INSERT/UPDATE/DELETE/MERGE/TRUNCATE/COPY FROM on a foreign table",
    DYNAMIC_EXECUTE: "EXECUTE of text that is not a constant",
}

# Shell patterns over a function's own name (without its schema).
_FUNCTIONS: dict[str, tuple[str, ...]] = {
    NOTIFY: ("pg_notify",),
    LARGE_OBJECT: ("lo_*", "loread", "lowrite"),
    FILE_FUNCTIONS: (
        "pg_read_file",
        "pg_read_binary_file",
        "pg_ls_*",
        "pg_stat_file",
        "pg_file_*",
        "pg_logdir_ls",
        "pg_current_logfile",
    ),
    ADMIN_FUNCTIONS: (
        "pg_terminate_backend",
        "pg_cancel_backend",
        "pg_reload_conf",
        "pg_rotate_logfile",
        "pg_promote",
        "pg_switch_wal",
        "pg_switch_xlog",
        "pg_create_restore_point",
        "pg_*_backup",
        "pg_backup_*",
        "pg_wal_replay_*",
        "pg_log_backend_memory_contexts",
        "pg_log_standby_snapshot",
        "pg_create_*_replication_slot",
        "pg_drop_replication_slot",
        "pg_copy_*_replication_slot",
        "pg_replication_slot_advance",
        "pg_sync_replication_slots",
        "pg_replication_origin_*",
        "pg_logical_emit_message",
        "pg_logical_slot_*",
        "pg_stat_reset*",
        "pg_import_system_collations",
    ),
    DBLINK: ("dblink*",),
}


def base_name(function: str) -> str:
    """`pg_catalog.pg_notify` → `pg_notify`."""
    return function.rsplit(".", 1)[-1]


def kinds_of_call(function: str) -> tuple[str, ...]:
    """The kinds a call of `function` (as written, maybe schema-qualified) is."""
    name = base_name(function)
    return tuple(
        kind
        for kind, patterns in _FUNCTIONS.items()
        if any(fnmatch.fnmatchcase(name, p) for p in patterns)
    )


def matches(function: str, pattern: str) -> bool:
    """Whether a call matches a spec's shell pattern: its name as written or its own name
    (`pg_notify` matches `pg_catalog.pg_notify`)."""
    return fnmatch.fnmatchcase(function, pattern) or fnmatch.fnmatchcase(
        base_name(function), pattern
    )
