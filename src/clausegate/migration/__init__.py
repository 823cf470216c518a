"""A migration file read as statements by PostgreSQL's own parser (pglast, libpg_query):
each statement's kind, line, place (top level, a DO block, a function's body), the
functions it calls, and what cannot be read from the text. Knows no snapshot and no check.
"""

from clausegate.migration.kinds import DESCRIPTIONS, KINDS, kinds_of_call, matches
from clausegate.migration.model import MigrationText, ParseProblem, Statement
from clausegate.migration.reading import parse_text, read_migration

__all__ = [
    "DESCRIPTIONS",
    "KINDS",
    "MigrationText",
    "ParseProblem",
    "Statement",
    "kinds_of_call",
    "matches",
    "parse_text",
    "read_migration",
]
