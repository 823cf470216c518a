"""clausegate: prove, clause by clause, that a PostgreSQL migration obeyed its governing law."""

from __future__ import annotations

__version__ = "0.1.0"
