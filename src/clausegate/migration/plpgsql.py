"""A PL/pgSQL body as its statements, each with the SQL it holds.

pglast's PL/pgSQL parser (libpg_query's copy of the server's PL/pgSQL compiler front end)
gives each statement with its line in the body and its expressions as text; this module
turns each expression into SQL that the main parser reads (an expression `x > f(y)` as
`SELECT x > f(y)`, an assignment's target and value apart).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pglast

_STMT = "PLpgSQL_stmt_"
_EXPR = "PLpgSQL_expr"
# The server's RawParseMode: what an expression's text is.
_STATEMENT, _EXPRESSION = 0, 2
# The statements whose expression (under these keys) is the text of SQL run dynamically.
_DYNAMIC = {
    "dynexecute": ("query",),
    "dynfors": ("query",),
    "open": ("dynquery",),
    "return_query": ("dynquery",),
}
_COMMANDS = {
    "perform": "PERFORM",
    "dynexecute": "EXECUTE",
    "dynfors": "FOR … IN EXECUTE",
    "assign": "assignment",
    "return_query": "RETURN QUERY",
    "return_next": "RETURN NEXT",
    "getdiag": "GET DIAGNOSTICS",
    "fori": "FOR",
    "fors": "FOR",
    "forc": "FOR",
    "foreach_a": "FOREACH",
    "execsql": "SQL",
}


@dataclass(frozen=True)
class Query:
    """One expression of a PL/pgSQL statement: its text as written, the SQL to parse, and
    whether it is a statement of its own (`INSERT …`) or the text EXECUTE runs."""

    text: str
    sql: str
    statement: bool = False
    dynamic: bool = False


@dataclass(frozen=True)
class BodyStatement:
    command: str
    lineno: int
    queries: tuple[Query, ...]
    error: str = ""


def plpgsql_statements(create: str) -> tuple[BodyStatement, ...]:
    """The statements of the PL/pgSQL body of `create` (a CREATE FUNCTION or DO
    statement's text), each with its line in the body; one with `error` when the body
    cannot be parsed."""
    try:
        parsed = pglast.parse_plpgsql(create)
    except pglast.parser.ParseError as exc:
        return (BodyStatement("", 0, (), error=str(exc.args[0])),)
    found: list[BodyStatement] = []
    for function in parsed:
        body = function.get("PLpgSQL_function", {})
        for datum in body.get("datums", ()):
            found.extend(_declaration(datum))
        found.extend(_statements(body.get("action")))
    return tuple(found)


def _declaration(datum: Mapping[str, Any]) -> Iterator[BodyStatement]:
    """A declared variable's default, or a cursor's query."""
    for variable in datum.values():
        queries = tuple(_queries(variable, "declare"))
        if queries:
            yield BodyStatement("DECLARE", int(variable.get("lineno", 0)), queries)


def _statements(node: Any) -> Iterator[BodyStatement]:
    """Every statement under `node`, nested ones after the one holding them."""
    if isinstance(node, list):
        for item in node:
            yield from _statements(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key.startswith(_STMT):
                name = key[len(_STMT) :]
                yield BodyStatement(
                    _COMMANDS.get(name, name.upper()),
                    int(value.get("lineno", 0)),
                    tuple(_queries(value, name)),
                )
                for inner in value.values():
                    yield from _statements(inner)
            elif key != _EXPR:
                yield from _statements(value)


def _queries(node: Any, statement: str, key: str = "") -> Iterator[Query]:
    """The expressions held by one statement (not by the statements nested in it); `key`
    is the statement's key the node sits under."""
    if isinstance(node, list):
        for item in node:
            yield from _queries(item, statement, key)
    elif isinstance(node, dict) and _EXPR in node:
        yield _query(node[_EXPR], key in _DYNAMIC.get(statement, ()))
    elif isinstance(node, dict):
        for name, value in node.items():
            if not name.startswith(_STMT):
                yield from _queries(value, statement, key or name)


def _query(expr: Mapping[str, Any], dynamic: bool) -> Query:
    text = str(expr.get("query", ""))
    mode = int(expr.get("parseMode", _STATEMENT))
    if mode == _STATEMENT:
        return Query(text, text, statement=True)
    if mode == _EXPRESSION:
        return Query(text, f"SELECT {text}", dynamic=dynamic)
    # An assignment, `target := value`: both sides read (a target's subscript can call).
    target, value = _split_assignment(text)
    return Query(text, f"SELECT {target}; SELECT {value}")


def _split_assignment(text: str) -> tuple[str, str]:
    for token in pglast.parser.scan(text):
        if token.name in ("COLON_EQUALS", "ASCII_61"):
            return text[: token.start], text[token.end + 1 :]
    return "NULL", text
