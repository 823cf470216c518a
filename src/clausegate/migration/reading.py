"""Reading a migration file with PostgreSQL's own parser (pglast wraps libpg_query).

Every top-level statement is read, and what it carries that runs later or elsewhere: the
body of a DO block and of a PL/pgSQL or SQL function (each statement of it, recursively),
the constant text given to EXECUTE (and to query_to_xml and ts_stat, which run the query
they are given), read as SQL. What cannot be read from the text (an EXECUTE of text built
at run time, a body in another language) is marked as such, never taken as harmless.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pglast
from pglast import ast, enums
from pglast.stream import RawStream

from clausegate.migration import kinds as k
from clausegate.migration.commands import command_of
from clausegate.migration.model import (
    DYNAMIC,
    TOP_LEVEL,
    MigrationText,
    ParseProblem,
    Statement,
)
from clausegate.migration.plpgsql import plpgsql_statements

SHORT = 80
# Functions that run the SQL text they are given, and which argument holds it.
_SQL_TEXT_ARGUMENT = {
    "query_to_xml": 0,
    "query_to_xmlschema": 0,
    "query_to_xml_and_xmlschema": 0,
    "ts_stat": 0,
}
# Keys of CREATE OPERATOR / AGGREGATE / TYPE … whose value is a function the server calls.
_FUNCTION_KEYS = frozenset(
    (
        *("function", "procedure", "handler", "validator", "restrict", "join"),
        *("sfunc", "finalfunc", "combinefunc", "serialfunc", "deserialfunc"),
        *("msfunc", "minvfunc", "mfinalfunc"),
        *("input", "output", "receive", "send", "typmod_in", "typmod_out", "analyze"),
        *("subscript", "canonical", "subtype_diff"),
    )
)
_ROLE_DDL = (ast.CreateRoleStmt, ast.AlterRoleStmt, ast.AlterRoleSetStmt, ast.DropRoleStmt,
             ast.GrantRoleStmt)  # fmt: skip
_READ_LANGUAGES = ("sql", "plpgsql")


def read_migration(path: Path) -> MigrationText:
    """The file as statements; what could not be parsed is a problem with its line."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = ParseProblem(1, f"not UTF-8 text: {exc}")
        return MigrationText(path, hashlib.sha256(data).hexdigest(), (), (problem,))
    return parse_text(text, path)


def parse_text(text: str, path: Path) -> MigrationText:
    """SQL text read as the migration file `path`."""
    reader = Reader()
    reader.sql(text, Place(1, exact=True, where=TOP_LEVEL))
    return MigrationText(
        path,
        hashlib.sha256(text.encode("utf-8")).hexdigest(),
        tuple(reader.statements),
        tuple(reader.problems),
        tuple(reader.foreign),
    )


@dataclass(frozen=True)
class Place:
    """Where a text being read sits: the file line its first line is on; whether its own
    line breaks are the file's (a body quoted in the file) or not (a constant given to
    EXECUTE: every statement of it is put on the EXECUTE's line); what it is part of."""

    line: int
    exact: bool
    where: str

    def line_at(self, text: str, offset: int) -> int:
        return self.line + text.count("\n", 0, offset) if self.exact else self.line


@dataclass
class Found:
    """What the nodes of one statement call, are and write."""

    calls: list[str] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)
    writes: list[str] = field(default_factory=list)
    takes_defaults: list[str] = field(default_factory=list)
    unverifiable: str = ""
    sql_texts: list[tuple[str, str | None]] = field(default_factory=list)  # (function, text)


@dataclass
class Reader:
    statements: list[Statement] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def sql(self, text: str, place: Place) -> None:
        """Read SQL text: each statement, and the bodies it carries."""
        try:
            parsed = pglast.parse_sql(text)
        except pglast.parser.ParseError as exc:
            offset = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else 0
            self.problem(place.line_at(text, offset), place, str(exc.args[0]))
            return
        except RecursionError:
            self.problem(place.line, place, "nested too deeply for the parser to read")
            return
        for node, start, end in _spans(parsed, text):
            try:
                self.statement(node, text, start, end, place)
            except RecursionError:
                line = place.line_at(text, start)
                self.problem(line, place, "nested too deeply to be read")

    def problem(self, line: int, place: Place, message: str) -> None:
        within = "" if place.where == TOP_LEVEL else f" (in {place.where})"
        self.problems.append(ParseProblem(line, f"cannot parse{within}: {message}"))

    def statement(self, node: ast.Node, text: str, start: int, end: int, place: Place) -> None:
        line = place.line_at(text, start)
        found = Found()
        facts(node, found)
        self.foreign.extend(_foreign_created(node))
        self.add(command_of(node), line, text[start:end], place.where, found)
        self.sql_texts(found, line, place)
        if isinstance(node, ast.DoStmt):
            self.do_block(node, text, start, end, line, place)
        elif isinstance(node, ast.CreateFunctionStmt):
            self.function(node, text, start, end, line, place)

    def add(self, command: str, line: int, text: str, where: str, found: Found) -> None:
        self.statements.append(
            Statement(
                command=command,
                line=line,
                text=short(text),
                where=where,
                calls=tuple(dict.fromkeys(found.calls)),
                kinds=tuple(kind for kind in k.KINDS if kind in found.kinds),
                writes=tuple(dict.fromkeys(found.writes)),
                takes_defaults=tuple(dict.fromkeys(found.takes_defaults)),
                unverifiable=found.unverifiable,
            )
        )

    def sql_texts(self, found: Found, line: int, place: Place) -> None:
        """The constant SQL given to query_to_xml or ts_stat, read as SQL."""
        for function, constant in found.sql_texts:
            if constant is not None:
                self.sql(constant, Place(line, False, f"{function} at line {line}{_within(place)}"))

    def do_block(
        self, node: ast.DoStmt, text: str, start: int, end: int, line: int, place: Place
    ) -> None:
        language, body, at = "plpgsql", None, start
        for item in node.args or ():
            if item.defname == "language":
                language = item.arg.sval
            elif item.defname == "as":
                body, at = item.arg.sval, item.arg_location or start
        where = f"DO block at line {line}" + _within(place)
        self.body(language, body, text[start:end], place.line_at(text, at), place, where, line)

    def function(
        self, node: ast.CreateFunctionStmt, text: str, start: int, end: int, line: int,
        place: Place,
    ) -> None:  # fmt: skip
        language, body, at = "sql", None, start
        for item in node.options or ():
            if item.defname == "language":
                language = item.arg.sval
            elif item.defname == "as":
                parts = [str(part.sval) for part in item.arg or ()]
                body = parts[0] if len(parts) == 1 else " ".join(parts)
                at = item.arg_location or start
        name = dotted(node.funcname)
        kind = "procedure" if node.is_procedure else "function"
        where = f"{kind} {name}" + _within(place)
        if body is None:  # BEGIN ATOMIC … END or RETURN …: parsed with the statement
            return
        statement = _without_copied_types(node) or text[start:end]
        self.body(language, body, statement, place.line_at(text, at), place, where, line)

    def body(
        self, language: str, body: str | None, statement: str, first: int, place: Place,
        where: str, line: int,
    ) -> None:  # fmt: skip
        inner = Place(first, exact=place.exact, where=where)
        if body is None:
            return
        if language == "plpgsql":
            for item in plpgsql_statements(statement):
                if item.error:
                    self.problem(inner.line, inner, item.error)
                    continue
                at = inner.line + item.lineno - 1 if inner.exact and item.lineno else inner.line
                self.plpgsql(item.command, item.queries, at, inner)
        elif language == "sql":
            self.sql(body, inner)
        elif language == "internal":
            # The body names the server's C function it runs: `AS 'pg_notify'` is pg_notify.
            found = Found()
            found.calls.append(body.strip())
            found.kinds.update(k.kinds_of_call(body.strip()))
            self.add("LANGUAGE internal", line, statement, where, found)
        else:
            found = Found(unverifiable=f"a body in language {language}")
            self.add(f"LANGUAGE {language}", line, statement, where, found)

    def plpgsql(self, command: str, queries: tuple[Any, ...], line: int, place: Place) -> None:
        """One PL/pgSQL statement: its expressions parsed as SQL; the constant text of an
        EXECUTE parsed as SQL too; any other EXECUTE is dynamic."""
        if not queries:  # control flow alone (a block, a bare RETURN): nothing runs
            return
        found = Found()
        nested: list[tuple[ast.Node, str, int, int]] = []
        constants: list[str] = []
        for query in queries:
            try:
                parsed = pglast.parse_sql(query.sql)
            except pglast.parser.ParseError as exc:
                self.problem(line, place, f"{exc.args[0]} in {query.text!r}")
                continue
            for node, begin, stop in _spans(parsed, query.sql):
                facts(node, found)
                if query.statement:
                    if command == "SQL":
                        command = command_of(node)
                    self.foreign.extend(_foreign_created(node))
                    nested.append((node, query.sql, begin, stop))
                if query.dynamic:
                    constant = constant_text(node)
                    if constant is None:
                        found.unverifiable = DYNAMIC
                        found.kinds.add(k.DYNAMIC_EXECUTE)
                    else:
                        constants.append(constant)
        self.add(command, line, " ".join(q.text for q in queries), place.where, found)
        here = Place(line, exact=False, where=f"{command} at line {line} in {place.where}")
        for constant in constants:
            self.sql(constant, here)
        self.sql_texts(found, line, place)
        inside = Place(line, exact=False, where=place.where)
        for node, sql_text, begin, stop in nested:
            if isinstance(node, ast.DoStmt):
                self.do_block(node, sql_text, begin, stop, line, inside)
            elif isinstance(node, ast.CreateFunctionStmt):
                self.function(node, sql_text, begin, stop, line, inside)


def _spans(parsed: Any, text: str) -> Iterator[tuple[ast.Node, int, int]]:
    """Each parsed statement with where its text starts and ends."""
    for raw in parsed:
        start = raw.stmt_location or 0
        end = start + raw.stmt_len if raw.stmt_len else len(text)
        if raw.stmt is not None:
            yield raw.stmt, start, end


def _without_copied_types(node: ast.CreateFunctionStmt) -> str | None:
    """The statement with its `x%TYPE` parameter and result types written `text`, or None
    when it has none. The PL/pgSQL parser pglast wraps cannot look a copied type up (it
    has no catalog: "Not implemented"), and what a body calls does not depend on them."""

    def plain(given: ast.TypeName | None) -> ast.TypeName | None:
        copied = given is not None and given.pct_type
        return ast.TypeName(names=(ast.String(sval="text"),)) if copied else given

    parameters = node.parameters or ()
    if not any(p.argType is not None and p.argType.pct_type for p in parameters) and not (
        node.returnType is not None and node.returnType.pct_type
    ):
        return None
    copy = ast.CreateFunctionStmt(
        is_procedure=node.is_procedure,
        replace=node.replace,
        funcname=node.funcname,
        parameters=tuple(
            ast.FunctionParameter(
                name=p.name, argType=plain(p.argType), mode=p.mode, defexpr=p.defexpr
            )
            for p in parameters
        ),
        returnType=plain(node.returnType),
        options=node.options,
        sql_body=node.sql_body,
    )
    return str(RawStream()(copy))


def _within(place: Place) -> str:
    return "" if place.where == TOP_LEVEL else f" in {place.where}"


def short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SHORT else flat[: SHORT - 1] + "…"


def nodes(root: Any) -> Iterator[ast.Node]:
    """The node and every node under it (without recursion: a generated migration may
    nest an expression thousands of levels deep, `'a' || 'b' || …`)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Node):
            yield node
            stack.extend(
                getattr(node, name, None) for name in reversed(getattr(node, "__slots__", ()))
            )
        elif isinstance(node, tuple | list):
            stack.extend(reversed(node))


def dotted(names: Any) -> str:
    return ".".join(str(n.sval) for n in names or () if isinstance(n, ast.String))


def relation(range_var: ast.RangeVar) -> str:
    return (
        f"{range_var.schemaname}.{range_var.relname}"
        if range_var.schemaname
        else str(range_var.relname)
    )


def constant_text(node: ast.Node) -> str | None:
    """The text of `SELECT <constant>`: a string literal, maybe cast or concatenated with
    other literals; None when any part of it is computed."""
    if not isinstance(node, ast.SelectStmt) or not node.targetList or len(node.targetList) != 1:
        return None
    if node.fromClause or node.whereClause:
        return None
    return _constant(node.targetList[0].val)


def _constant(node: Any) -> str | None:
    if isinstance(node, ast.A_Const) and isinstance(node.val, ast.String):
        return str(node.val.sval)
    if isinstance(node, ast.TypeCast):
        return _constant(node.arg)
    if isinstance(node, ast.A_Expr) and dotted(node.name) == "||" and node.lexpr is not None:
        left, right = _constant(node.lexpr), _constant(node.rexpr)
        return None if left is None or right is None else left + right
    return None


def _call(found: Found, name: str) -> None:
    if name:
        found.calls.append(name)
        found.kinds.update(k.kinds_of_call(name))


def facts(root: ast.Node, found: Found) -> None:
    """What the nodes under `root` call, are and write."""
    for node in nodes(root):
        if isinstance(node, ast.FuncCall):
            name = dotted(node.funcname)
            _call(found, name)
            argument = _SQL_TEXT_ARGUMENT.get(k.base_name(name))
            if argument is not None:
                given = node.args[argument] if node.args and len(node.args) > argument else None
                constant = _constant(given)
                found.sql_texts.append((name, constant))
                if constant is None:
                    found.unverifiable = f"dynamic SQL text given to {name}"
                    found.kinds.add(k.DYNAMIC_EXECUTE)
        elif isinstance(node, ast.CopyStmt):
            if node.is_program:
                found.kinds.add(k.COPY_PROGRAM)
            elif node.filename is not None:
                found.kinds.add(k.COPY_FILE)
            if node.is_from and node.relation is not None:
                found.writes.append(relation(node.relation))
                found.takes_defaults.append(relation(node.relation))
        elif isinstance(node, ast.NotifyStmt):
            found.kinds.add(k.NOTIFY)
        elif isinstance(node, ast.AlterSystemStmt):
            found.kinds.add(k.ALTER_SYSTEM)
        elif isinstance(node, _ROLE_DDL) or (
            isinstance(node, ast.RenameStmt) and node.renameType == enums.ObjectType.OBJECT_ROLE
        ):
            found.kinds.add(k.ROLE_DDL)
        elif isinstance(node, ast.GrantStmt | ast.AlterOwnerStmt | ast.CommentStmt):
            objtype = getattr(node, "objtype", None) or getattr(node, "objectType", None)
            if objtype == enums.ObjectType.OBJECT_LARGEOBJECT:
                found.kinds.add(k.LARGE_OBJECT)
        elif isinstance(node, ast.InsertStmt | ast.UpdateStmt | ast.DeleteStmt | ast.MergeStmt):
            if node.relation is not None:
                found.writes.append(relation(node.relation))
                if _takes_defaults(node):
                    found.takes_defaults.append(relation(node.relation))
        elif isinstance(node, ast.TruncateStmt):
            found.writes.extend(relation(r) for r in node.relations or ())
        else:
            for name in _function_references(node):
                _call(found, name)


def _takes_defaults(node: ast.Node) -> bool:
    """An INSERT or MERGE (its rows take the columns' defaults), or an UPDATE that sets a
    column to DEFAULT."""
    if isinstance(node, ast.InsertStmt | ast.MergeStmt):
        return True
    if isinstance(node, ast.UpdateStmt):
        return any(
            isinstance(getattr(target, "val", None), ast.SetToDefault)
            for target in node.targetList or ()
        )
    return False


def _function_references(node: ast.Node) -> Iterator[str]:
    """Functions a statement makes the server call later: a trigger's, an operator's, a
    cast's, an aggregate's, a type's, a language's, a conversion's."""
    if isinstance(node, ast.CreateTrigStmt | ast.CreateEventTrigStmt):
        yield dotted(node.funcname)
    elif isinstance(node, ast.CreateCastStmt) and node.func is not None:
        yield dotted(node.func.objname)
    elif isinstance(node, ast.CreateTransformStmt):
        for func in (node.fromsql, node.tosql):
            if func is not None:
                yield dotted(func.objname)
    elif isinstance(node, ast.CreateOpClassItem) and node.itemtype == 2 and node.name:
        yield dotted(node.name.objname)
    elif isinstance(node, ast.CreateConversionStmt):
        yield dotted(node.func_name)
    elif isinstance(node, ast.CreatePLangStmt):
        for names in (node.plhandler, node.plinline, node.plvalidator):
            yield dotted(names)
    elif isinstance(node, ast.CreateAmStmt):
        yield dotted(node.handler_name)
    elif isinstance(node, ast.DefElem) and node.defname in _FUNCTION_KEYS:
        arg = node.arg
        if isinstance(arg, ast.TypeName):
            yield dotted(arg.names)
        elif isinstance(arg, tuple | list):
            yield dotted(arg)


def _foreign_created(node: ast.Node) -> Iterator[str]:
    if isinstance(node, ast.CreateForeignTableStmt) and node.base and node.base.relation:
        yield relation(node.base.relation)
    elif isinstance(node, ast.ImportForeignSchemaStmt):
        yield f"{node.local_schema}.*"
