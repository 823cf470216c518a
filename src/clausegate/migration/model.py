"""A migration file read as statements: what each does, where it sits, what it calls."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from clausegate.migration import kinds as k

TOP_LEVEL = "top level"
DYNAMIC = "dynamic EXECUTE"


@dataclass(frozen=True)
class Statement:
    """One statement of the migration, at the top level or inside a body it carries.

    - `command`: what it is (`CREATE FUNCTION`, `NOTIFY`, `PERFORM`, `EXECUTE`…).
    - `line`: its line in the file (a statement in a body: the line of the body's own).
    - `where`: `top level`, `DO block at line N`, `function public.f`, or `EXECUTE at line
      N in …` for the text given to an EXECUTE as a constant.
    - `calls`: the functions it calls (also those it makes a trigger, operator, cast or
      aggregate call), as written: schema-qualified when written so.
    - `kinds`: the forbiddable kinds it is (foreign_write aside, which needs the catalog).
    - `writes`: the relations it writes (INSERT, UPDATE, DELETE, MERGE, TRUNCATE, COPY
      FROM), as written.
    - `takes_defaults`: the relations it writes rows into that take their columns'
      defaults (an INSERT or MERGE anywhere in it, a CTE's or a PREPARE's too, a COPY
      FROM, an UPDATE that sets a column to DEFAULT), as written.
    - `unverifiable`: why what it runs cannot be read from the text (`dynamic EXECUTE`, a
      body in a language clausegate does not parse), "" when it can.
    """

    command: str
    line: int
    text: str
    where: str
    calls: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    takes_defaults: tuple[str, ...] = ()
    unverifiable: str = ""

    def kinds_with(self, foreign: Collection[str]) -> tuple[str, ...]:
        """Its kinds, foreign_write included when it writes one of `foreign` (relations
        `schema.name`, or `schema.*` for a whole schema; an unqualified name written
        matches a foreign table of that name in any schema)."""
        found = set(self.kinds)
        if any(writes_foreign(name, foreign) for name in self.writes):
            found.add(k.FOREIGN_WRITE)
        return tuple(kind for kind in k.KINDS if kind in found)


def writes_foreign(name: str, foreign: Collection[str]) -> bool:
    schema, _, relation = name.rpartition(".")
    for other in foreign:
        other_schema, _, other_relation = other.rpartition(".")
        if other_relation in ("*", relation) and schema in ("", other_schema):
            return True
    return False


@dataclass(frozen=True)
class ParseProblem:
    """What could not be read: the line of the file and the parser's message."""

    line: int
    message: str


@dataclass(frozen=True)
class MigrationText:
    """A migration file as PostgreSQL's own parser reads it (pglast, libpg_query)."""

    path: Path
    sha256: str
    statements: tuple[Statement, ...]
    problems: tuple[ParseProblem, ...] = ()
    # Foreign tables the migration itself creates (`schema.*` for IMPORT FOREIGN SCHEMA).
    foreign_created: tuple[str, ...] = ()

    @property
    def calls(self) -> tuple[str, ...]:
        """Every function called, once each, sorted."""
        return tuple(sorted({call for s in self.statements for call in s.calls}))

    @property
    def unverifiable(self) -> tuple[Statement, ...]:
        return tuple(s for s in self.statements if s.unverifiable)

    def problem_lines(self) -> tuple[str, ...]:
        return tuple(f"{self.path}:{p.line}: {p.message}" for p in self.problems)
