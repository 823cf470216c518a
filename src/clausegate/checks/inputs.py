"""Input tables: a refusal or a proof run once per row of inputs, each row on its own.

A check's SQL names its inputs as placeholders, `{actor}`; each row puts an SQL literal in
their place (the text substituted into the statement, as the spec's SQL itself is: the
spec is trusted like its SQL, and `{{` / `}}` write a brace). The rows are the cross
product of the `inputs:` columns (every combination of a double or triple gate), then the
`cases:` rows. A case whose every value names a row of the product (by its literal or by
its family's label) gives that row its own expectation instead of adding one; any other
case is a row of its own. A column is a list of literals (YAML null, true, false and
numbers are written as SQL's NULL, true, false and the number; a string is SQL as
written) or a named family (FAMILIES) that spells the literals for the author, quoted
here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# The most rows one check may run: each is a transaction of its own.
MAX_ROWS = 64
# What a case row may carry beside its inputs.
CASE_KEYS = ("title", "expect", "error", "steps")

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Value:
    """One input: the SQL literal put in place of the placeholder, and how a report names
    it (a family's label, or the literal itself)."""

    sql: str
    label: str

    @property
    def shown(self) -> str:
        said = self.label in (self.sql, self.sql.removeprefix("'").removesuffix("'"))
        return self.sql if said else f"{self.sql} ({self.label})"


@dataclass(frozen=True)
class Row:
    """One row of inputs, with the case that gave it its own expectation (if any)."""

    values: tuple[tuple[str, Value], ...]
    case: Mapping[str, Any] | None = None

    @property
    def substitutions(self) -> dict[str, str]:
        return {name: value.sql for name, value in self.values}

    def words(self) -> str:
        """`actor=NULL, limit=10`, as the evidence names the row."""
        return ", ".join(f"{name}={value.shown}" for name, value in self.values)

    def as_dict(self) -> dict[str, str]:
        return {name: value.sql for name, value in self.values}


class InputError(ValueError):
    """An input table that cannot be expanded: the message says what to write instead;
    `path` is where in the check it points (below the check's own item)."""

    def __init__(self, message: str, path: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.path = path


# --- SQL literals -----------------------------------------------------------------------------


def text_literal(value: str) -> str:
    """`value` as an SQL text literal that reads back exactly: `'x'` with quotes doubled, or
    an escape string `E'…'` when it holds a backslash, a control character or anything
    outside printable ASCII (tab \\t, newline \\n, else \\uXXXX / \\UXXXXXXXX)."""
    if all(" " <= ch <= "~" and ch != "\\" for ch in value):
        return "'" + value.replace("'", "''") + "'"
    out = []
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == "'":
            out.append("''")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif " " <= ch <= "~":
            out.append(ch)
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(f"\\U{ord(ch):08X}")
    return "E'" + "".join(out) + "'"


def written_literal(value: Any) -> str:
    """A value of a column's list as SQL: null → NULL, booleans and numbers as SQL spells
    them, a string as written (it is SQL)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return str(value)


def _text(value: str, label: str | None = None) -> Value:
    return Value(text_literal(value), label if label is not None else value)


# --- the families -----------------------------------------------------------------------------


def _blank_text(_: Any) -> tuple[Value, ...]:
    return (
        Value("NULL", "NULL"),
        _text("", "empty"),
        _text(" ", "a space"),
        _text("\t", "a tab"),
        _text("\n", "a newline"),
        _text("\u00a0", "a no-break space U+00A0"),
        _text("\u3000", "an ideographic space U+3000"),
    )


def _case_variants(value: Any) -> tuple[Value, ...]:
    text = str(value)
    variants = (
        (text, "as written"),
        (text.upper(), "upper case"),
        (text.lower(), "lower case"),
        (text[:1].upper() + text[1:].lower(), "capitalised"),
        (" " + text, "a leading space"),
        (text + " ", "a trailing space"),
        (text + "\u00a0", "a trailing no-break space"),
    )
    seen: set[str] = set()
    values = []
    for spelt, label in variants:
        if spelt not in seen:
            seen.add(spelt)
            values.append(_text(spelt, label))
    return tuple(values)


def _vocabulary(value: Any) -> tuple[Value, ...]:
    if isinstance(value, Mapping):
        words, outside = list(value["values"]), list(value.get("outside", ()))
    else:
        words, outside = list(value), []
    if not outside:
        outside = [f"{words[0]}_outside" if words else "outside"]
    inside = {str(w) for w in words}
    clash = [str(o) for o in outside if str(o) in inside]
    if clash:
        raise InputError(f"vocabulary: {', '.join(clash)} is both inside and outside")
    return (
        *(_text(str(w)) for w in words),
        *(_text(str(o), f"outside: {o}") for o in outside),
    )


def _booleans_as_text(_: Any) -> tuple[Value, ...]:
    return (_text("true"), _text("false"))


def _boolean_spellings(_: Any) -> tuple[Value, ...]:
    spellings = ("true", "false", "TRUE", "True", "t", "1", "yes", "on", " true", "true ", "")
    return (*(_text(s, "empty" if s == "" else s) for s in spellings), Value("NULL", "NULL"))


_INTERVAL = re.compile(r"^\s*-?\d+(\.\d+)?\s*[a-z]+(\s+-?\d+(\.\d+)?\s*[a-z]+)*\s*$")


def _ages(value: Any) -> tuple[Value, ...]:
    if isinstance(value, Mapping):
        threshold, by = str(value["threshold"]), str(value.get("by", "1 second"))
    else:
        threshold, by = str(value), "1 second"
    for text in (threshold, by):
        if not _INTERVAL.match(text):
            raise InputError(
                f"ages: {text!r} is not an interval; write one such as '10 minutes' or "
                "'1 hour 30 minutes'"
            )
    at = f"now() - interval {text_literal(threshold)}"
    step = f"interval {text_literal(by)}"
    return (
        Value(f"({at} - {step})", "older"),
        Value(f"({at})", "at"),
        Value(f"({at} + {step})", "younger"),
    )


@dataclass(frozen=True)
class Family:
    """A named family of inputs: what its argument is, and the literals it spells."""

    argument: str
    values: Callable[[Any], tuple[Value, ...]]
    words: str


FAMILIES: Mapping[str, Family] = {
    "blank_text": Family(
        "true",
        _blank_text,
        "NULL, '', ' ', a tab, a newline, a no-break space U+00A0, an ideographic space U+3000",
    ),
    "case_variants": Family(
        "the value as text",
        _case_variants,
        "the value as written, upper, lower and capitalised, with a leading space, a trailing "
        "space and a trailing no-break space",
    ),
    "vocabulary": Family(
        "the values, or {values: [...], outside: [...]}",
        _vocabulary,
        "every value, then one outside it (`outside:`, default the first value + '_outside'), "
        "labelled `outside: X`",
    ),
    "booleans_as_text": Family("true", _booleans_as_text, "'true' and 'false'"),
    "boolean_spellings": Family(
        "true",
        _boolean_spellings,
        "'true', 'false' and what else might be read as true: 'TRUE', 'True', 't', '1', "
        "'yes', 'on', ' true', 'true ', '' and NULL",
    ),
    "ages": Family(
        "an interval, or {threshold: INTERVAL, by: INTERVAL}",
        _ages,
        "timestamps relative to the probe's now(), labelled older (the threshold plus `by`, "
        "default 1 second, ago), at (exactly the threshold ago) and younger (`by` less)",
    ),
}


def column_values(name: str, written: Any) -> tuple[Value, ...]:
    """The values of one `inputs:` column: a list of literals, or `{FAMILY: ARGUMENT}`."""
    if isinstance(written, Mapping):
        ((family_name, argument),) = written.items()
        family = FAMILIES[family_name]
        try:
            values = family.values(argument)
        except InputError as exc:
            raise InputError(f"inputs.{name}: {exc}", (name,)) from None
    else:
        values = tuple(Value(written_literal(v), written_literal(v)) for v in written)
    if not values:
        raise InputError(f"inputs.{name} has no value; give at least one", (name,))
    return values


# --- rows -------------------------------------------------------------------------------------


def rows_of(inputs: Mapping[str, Any] | None, cases: tuple[Any, ...] | None) -> tuple[Row, ...]:
    """Every row a check runs: the product of `inputs`, each case that names a product row
    giving it its own expectation, then the other cases. InputError when a row lacks a
    column or the rows exceed MAX_ROWS."""
    columns = {name: column_values(name, written) for name, written in (inputs or {}).items()}
    product = [
        Row(tuple(zip(columns, combination, strict=True)))
        for combination in itertools.product(*columns.values())
    ] if columns else []  # fmt: skip
    names = list(columns)
    extra: list[Row] = []
    for number, case in enumerate(cases or ()):
        given = {k: v for k, v in case.items() if k not in CASE_KEYS}
        for name in given:
            if name not in names:
                if columns:
                    raise InputError(
                        f"cases[{number}]: {name} is not a column of inputs "
                        f"({', '.join(names)}); name one of them",
                        ("cases", number, name),
                    )
                names.append(name)
        missing = [n for n in names if n not in given]
        if missing:
            raise InputError(
                f"cases[{number}] gives no value for {', '.join(missing)}; every row gives "
                f"every input ({', '.join(names)})",
                ("cases", number),
            )
        matched = _matching(product, given) if columns else None
        if matched is not None:
            index = product.index(matched)
            if product[index].case is not None:
                raise InputError(
                    f"cases[{number}] names the same row as an earlier case", ("cases", number)
                )
            product[index] = Row(matched.values, case)
        else:
            values = tuple(
                (n, Value(written_literal(given[n]), written_literal(given[n]))) for n in names
            )
            extra.append(Row(values, case))
    rows = (*product, *extra)
    if len(rows) > MAX_ROWS:
        raise InputError(
            f"{len(rows)} rows of inputs; a check runs at most {MAX_ROWS} (each in a "
            "transaction of its own): split the check, or list the rows that matter as cases",
        )
    return rows


def _matching(product: list[Row], given: Mapping[str, Any]) -> Row | None:
    for row in product:
        if all(
            (given[name] is not None and str(given[name]) in (value.sql, value.label))
            or (given[name] is None and value.sql == "NULL")
            for name, value in row.values
        ):
            return row
    return None


# --- placeholders -----------------------------------------------------------------------------


def placeholders(sql: str) -> list[tuple[str, int]]:
    """The placeholders of a statement, each with its offset in the text."""
    return [(m.group(1), m.start()) for m in _PLACEHOLDER.finditer(sql) if m.group(1)]


def substitute(sql: str, literals: Mapping[str, str]) -> str:
    """`sql` with each `{name}` replaced by its literal, `{{` and `}}` by a brace."""

    def put(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return match.group(0)[0]
        return literals[match.group(1)]

    return _PLACEHOLDER.sub(put, sql)


@dataclass(frozen=True)
class Unknown:
    """A placeholder no input defines: its name, the statement's path in the check and its
    offset in the statement's text."""

    name: str
    path: tuple[str | int, ...]
    offset: int


def unknown_placeholders(
    statements: Mapping[tuple[str | int, ...], str], names: set[str]
) -> list[Unknown]:
    return [
        Unknown(name, path, offset)
        for path, sql in statements.items()
        for name, offset in placeholders(sql)
        if name not in names
    ]


def schema(row_expectation: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The `inputs:` and `cases:` keys of a refusal or a proof; `row_expectation`: the
    properties a case may carry beside its inputs."""
    family_schemas = {
        "blank_text": {"const": True, "description": FAMILIES["blank_text"].words},
        "case_variants": {"type": "string", "description": FAMILIES["case_variants"].words},
        "vocabulary": {
            "description": FAMILIES["vocabulary"].words,
            "oneOf": [
                {"type": "array", "items": {"type": "string"}, "minItems": 1},
                {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "values": {
                            "type": "array",
                            "description": "The vocabulary, as text (quoted here).",
                            "items": {"type": "string"},
                            "minItems": 1,
                        },
                        "outside": {
                            "type": "array",
                            "description": "Values outside it to try, as text.",
                            "items": {"type": "string"},
                            "minItems": 1,
                        },
                    },
                    "required": ["values"],
                },
            ],
        },
        "booleans_as_text": {"const": True, "description": FAMILIES["booleans_as_text"].words},
        "boolean_spellings": {"const": True, "description": FAMILIES["boolean_spellings"].words},
        "ages": {
            "description": FAMILIES["ages"].words,
            "oneOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "threshold": {
                            "type": "string",
                            "description": "The age at which the function's rule changes.",
                        },
                        "by": {
                            "type": "string",
                            "description": "How far either side of it (default 1 second).",
                        },
                    },
                    "required": ["threshold"],
                },
            ],
        },
    }
    literal = {
        "type": ["string", "number", "boolean", "null"],
        "description": "An SQL literal as written ('x', 10, NULL); YAML null is NULL.",
    }
    return {
        "inputs": {
            "type": "object",
            "description": (
                "Columns of inputs, by placeholder name (`{name}` in the SQL): the check runs "
                "once per combination, each in its own rolled-back transaction. A column is a "
                "list of SQL literals or a named family."
            ),
            "minProperties": 1,
            "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
            "additionalProperties": {
                "oneOf": [
                    {"type": "array", "items": literal, "minItems": 1},
                    {
                        "type": "object",
                        "description": "A named family of inputs.",
                        "additionalProperties": False,
                        "properties": family_schemas,
                        "minProperties": 1,
                        "maxProperties": 1,
                    },
                ]
            },
        },
        "cases": {
            "type": "array",
            "description": (
                "Rows of inputs, each placeholder → an SQL literal, with its own expectation "
                "where the result differs by row. A case naming a row of `inputs:` (by literal "
                "or family label) gives that row its expectation; another case is a row of "
                "its own."
            ),
            "minItems": 1,
            "items": {
                "type": "object",
                "description": "One row: placeholder → SQL literal, and what this row must do.",
                "minProperties": 1,
                "properties": {
                    "title": {"type": "string", "description": "What this row shows."},
                    **row_expectation,
                },
                "additionalProperties": literal,
            },
        },
    }
