"""Data probes: what a snapshot captures beyond the catalog (row counts, selected rows,
content hashes of tables), as `--probes FILE` and the specs ask for them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, ClassVar

import yaml
from psycopg import sql

from clausegate import yamlpos
from clausegate.errors import EXIT_USAGE, ClausegateError
from clausegate.snapshot.model import split_table


@dataclass(frozen=True)
class RowCount:
    """The exact number of rows of a table, or of those matching `where` (SQL)."""

    kind: ClassVar[str] = "row_count"
    name: str
    table: str
    where: str | None = None

    def __post_init__(self) -> None:
        split_table(self.table)

    def definition(self) -> dict[str, Any]:
        return {"table": self.table, "where": self.where}

    def statement(self) -> sql.Composed:
        query = sql.SQL("SELECT count(*) AS count FROM {}").format(
            sql.Identifier(*split_table(self.table))
        )
        if self.where is not None:
            query = sql.SQL("{} WHERE ({})").format(query, sql.SQL(self.where))
        return query


@dataclass(frozen=True)
class SelectedRows:
    """The rows a query returns, each as {column: text}, sorted by their JSON text.

    Sorting makes the result independent of the plan; a query needs no ORDER BY.
    """

    kind: ClassVar[str] = "rows"
    name: str
    query: str

    def definition(self) -> dict[str, Any]:
        return {"query": self.query}

    def statement(self) -> sql.Composed:
        return sql.SQL(
            "SELECT COALESCE(jsonb_agg(r.row ORDER BY r.row::text COLLATE \"C\"), '[]'::jsonb)"
            " AS rows FROM (SELECT (SELECT jsonb_object_agg(e.key, e.value #>> ARRAY[]::text[])"
            " FROM jsonb_each(to_jsonb(q)) AS e) AS row FROM ({}) AS q) AS r"
        ).format(sql.SQL(self.query.strip().rstrip(";")))


@dataclass(frozen=True)
class ContentHash:
    """A hash of every row of a table, to show that not one row was touched.

    sha256 over the concatenated sha256 of each row's text form (the record output, as in
    `SELECT t::text`, e.g. `(1,abc)`), taken in the byte order of those row digests, so
    neither the physical order of rows nor the database's collation changes it (sorting
    32-byte digests is cheaper than sorting the rows' text). A row
    that occurs twice counts twice; an empty table hashes the empty string. The text form
    depends on the output settings, which capture() fixes (TimeZone UTC, DateStyle ISO).

    With `written_since` (a 64-bit transaction id; a gate gives the one the before
    snapshot starts at), it also counts the rows written by a transaction since then: in a
    throwaway database no other session writes, so a row the migration deleted and
    inserted again unchanged, or changed and changed back, still shows.
    """

    kind: ClassVar[str] = "content_hash"
    name: str
    table: str
    written_since: int | None = None

    def __post_init__(self) -> None:
        split_table(self.table)

    def definition(self) -> dict[str, Any]:
        if self.written_since is None:
            return {"table": self.table}
        return {"table": self.table, "written_since": self.written_since}

    def statement(self) -> sql.Composed:
        written: sql.Composable = sql.SQL("")
        if self.written_since is not None:
            # A row's xmin is 32 bits: it is newer than the horizon when its age is smaller.
            # A row whose xmin reads as FrozenTransactionId (2) was frozen by hand (VACUUM
            # keeps the xmin and sets a flag; pg_surgery's heap_force_freeze overwrites it):
            # it counts too, so that a rewritten row cannot be passed off as an old one.
            written = sql.SQL(
                ", count(*) FILTER (WHERE r.age <= age(({}::xid8)::text::xid)"
                " OR r.xmin = '2'::xid) AS written"
            ).format(sql.Literal(str(self.written_since)))
        return sql.SQL(
            "SELECT count(*) AS rows, encode(sha256(COALESCE(string_agg(r.h, ''::bytea"
            " ORDER BY r.h), ''::bytea)), 'hex') AS sha256{}"
            # OFFSET 0 keeps the subquery whole, so each row is hashed once, where it is read.
            " FROM (SELECT sha256(textsend(t::text)) AS h, age(t.xmin) AS age, t.xmin"
            " FROM {} AS t OFFSET 0) AS r"
        ).format(written, sql.Identifier(*split_table(self.table)))


DataProbe = RowCount | SelectedRows | ContentHash


DATA_PROBE_TYPES: dict[str, type[DataProbe]] = {
    p.kind: p for p in (RowCount, SelectedRows, ContentHash)
}


@dataclass(frozen=True)
class DataProbes:
    """The data probes a snapshot runs; names are unique within each kind."""

    items: tuple[DataProbe, ...] = ()

    def __post_init__(self) -> None:
        seen: dict[tuple[str, str], DataProbe] = {}
        for probe in self.items:
            other = seen.setdefault((probe.kind, probe.name), probe)
            if other != probe:
                raise ValueError(f"two different {probe.kind} probes are named {probe.name!r}")

    def __add__(self, other: DataProbes) -> DataProbes:
        """Both sets of probes, each probe once (for the probes of several specs)."""
        return DataProbes(tuple(dict.fromkeys(self.items + other.items)))


_PROBE_KEYS = {"count": RowCount, "rows": SelectedRows, "hash": ContentHash}


def _probe(entry: object) -> DataProbe:
    if not isinstance(entry, dict):
        raise ValueError("each probe is a mapping such as {hash: public.orders}")
    kinds = [key for key in _PROBE_KEYS if key in entry]
    if len(kinds) != 1:
        raise ValueError("a probe has exactly one of count, rows, hash")
    key = kinds[0]
    allowed = {key, "name"} | ({"where"} if key == "count" else set())
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r}; a {key} probe takes {sorted(allowed)}")
    values = {k: entry[k] for k in allowed if k in entry}
    for k, v in values.items():
        if not isinstance(v, str) or not v.strip():
            raise ValueError(f"{k} must be a non-empty string")
    if key == "rows":
        if "name" not in values:
            raise ValueError("a rows probe needs a name")
        return SelectedRows(values["name"], values["rows"])
    where = values.get("where")
    default_name = values[key] if where is None else f"{values[key]} where {where}"
    if key == "count":
        return RowCount(values.get("name", default_name), values["count"], where)
    return ContentHash(values.get("name", default_name), values["hash"])


def load_data_probes(path: Path) -> DataProbes:
    """The probes of a YAML (or JSON) file::

        probes:
          - count: public.queue_heartbeat                # exact row count
            where: executor_name = 'iu_outbound_default'  # optional SQL condition
          - hash: public.dot_config                      # content hash of every row
          - rows: SELECT key, value FROM public.dot_config WHERE key LIKE 'queue.%'
            name: queue_gates                            # rows probes need a name

    `name` defaults to the table (and condition). Raises ClausegateError (exit 2) naming
    the file, the probe and what is wrong.
    """
    try:
        document = yamlpos.safe_load(path.read_text("utf-8"))
    except OSError as exc:
        raise ClausegateError(f"{path}: cannot read: {exc.strerror}", EXIT_USAGE) from None
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        reason = " ".join(str(exc).split())
        raise ClausegateError(f"{path}: not a probes file: {reason}", EXIT_USAGE) from None
    if not isinstance(document, dict) or not isinstance(document.get("probes"), list):
        raise ClausegateError(
            f"{path}: not a probes file: expected a mapping with a `probes:` list", EXIT_USAGE
        )
    probes: list[DataProbe] = []
    for number, entry in enumerate(document["probes"], start=1):
        try:
            probes.append(_probe(entry))
        except ValueError as exc:
            raise ClausegateError(f"{path}: probe {number}: {exc}", EXIT_USAGE) from None
    try:
        return DataProbes(tuple(probes))
    except ValueError as exc:
        raise ClausegateError(f"{path}: {exc}", EXIT_USAGE) from None


def data_probes_of(snapshot: Mapping[str, Any]) -> DataProbes:
    """The probes a snapshot ran, to run the same ones on another database."""
    items: list[DataProbe] = []
    for kind, results in sorted(snapshot["probes"].items()):
        probe_type = DATA_PROBE_TYPES[kind]
        for name, result in sorted(results.items()):
            values = {
                f.name: result[f.name]
                for f in fields(probe_type)
                if f.name != "name" and f.name in result
            }
            items.append(probe_type(name, **values))
    return DataProbes(tuple(items))
