"""Schema fragments the kinds that run SQL share: a statement, what it returns, its error."""

from __future__ import annotations

from typing import Any

SQL_TEXT: dict[str, Any] = {
    "type": "string",
    "description": "SQL text. Values that vary belong in the SQL itself; it runs as written.",
    "minLength": 1,
}


def expectation(description: str) -> dict[str, Any]:
    """An expectation (the spec's `$defs/expectation`) of the value a statement returns."""
    return {"$ref": "#/$defs/expectation", "description": description}


def error(
    description: str = "The error the call must raise (read from the server's diagnostics).",
) -> dict[str, Any]:
    """The error a statement must raise, as the server's diagnostics name it."""
    return {
        "type": "object",
        "description": description,
        "additionalProperties": False,
        "properties": {
            "sqlstate": {
                "type": "string",
                "description": "The five-character SQLSTATE, e.g. 23514 for a CHECK violation.",
                "pattern": "^[0-9A-Z]{5}$",
            },
            "constraint": {
                "type": "string",
                "description": "The name of the constraint that refused the call.",
            },
            "message": {
                "type": "string",
                "description": "A regular expression the error message must match.",
            },
        },
        "minProperties": 1,
    }
