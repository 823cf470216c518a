"""Snapshots: what a migration can change, read in one read-only transaction, as plain data.

A snapshot is a JSON-serialisable dict::

    {"format": "clausegate-snapshot/1",
     "server": {"version_num", "version", "database", "unreadable": {kind: why}},
     "catalog": {kind: {identity: {attribute: value}}},
     "extension_members": {kind: {identity: {..., "extension": name}}},
     "nontransactional": {kind: {identity: {...}} or None when it could not be read},
     "cluster": {kind: {identity: {...}} or None},
     "probes": {"row_count" | "rows" | "content_hash": {name: {...}}}}

The catalog holds user objects only; objects that belong to an extension are kept apart
in `extension_members` (same kinds, same attributes), so a change to them still shows.
`nontransactional` holds what a rollback does not undo; `cluster` what belongs to the
whole server (roles, role settings of every scope, tablespaces, replication slots,
prepared transactions, configuration files). Objects in system schemas are in the catalog
when the server did not make them (an OID at or above 16384); the server's own objects are
kind `builtin_objects`, a digest each, so a change to one shows too. A kind that cannot be
read is None in any section, with the reason under `server.unreadable`. Every query runs in one
READ ONLY, REPEATABLE READ snapshot of the database: a transaction that is rolled back and,
on a second connection, a transaction that imports its snapshot and reads part of the
catalog meanwhile (rolled back too); both connections come from `db.connect`
(statement_timeout, lock_timeout, application_name clausegate), and the number of
queries depends on the probes asked for, never on the size of the catalog.
"""

from clausegate.snapshot.data_probes import (
    ContentHash,
    DataProbe,
    DataProbes,
    RowCount,
    SelectedRows,
    data_probes_of,
    load_data_probes,
)
from clausegate.snapshot.file import dumps, load, save
from clausegate.snapshot.model import (
    FORMAT,
    SECTIONS,
    Objects,
    ObjectSection,
    ServerFacts,
    Snapshot,
    objects,
    quote_table,
    section,
    split_table,
)
from clausegate.snapshot.reading import READ_SETTINGS, capture, capture_connection

__all__ = [
    "FORMAT",
    "READ_SETTINGS",
    "SECTIONS",
    "ContentHash",
    "DataProbe",
    "DataProbes",
    "ObjectSection",
    "Objects",
    "RowCount",
    "SelectedRows",
    "ServerFacts",
    "Snapshot",
    "capture",
    "capture_connection",
    "data_probes_of",
    "dumps",
    "load",
    "load_data_probes",
    "objects",
    "quote_table",
    "save",
    "section",
    "split_table",
]
