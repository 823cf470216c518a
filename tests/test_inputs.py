"""Tables of inputs: the families spell what they say, every literal reads back as the
value it quotes on a real server, rows combine as a cross product with cases naming their
own expectation, and a table that cannot run is refused with what to write instead."""

from __future__ import annotations

import psycopg
import pytest

from clausegate.checks.inputs import (
    FAMILIES,
    MAX_ROWS,
    InputError,
    column_values,
    placeholders,
    rows_of,
    substitute,
    text_literal,
)
from clausegate.targets import Server

TRICKY = ["", " ", "\t", "\n", "\r", "\u00a0", "\u3000", "it's", "back\\slash", "é", "😀", "'"]


def test_blank_text_is_null_empty_space_tab_newline_and_two_unicode_spaces() -> None:
    values = column_values("actor", {"blank_text": True})
    assert [v.sql for v in values] == [
        "NULL", "''", "' '", "E'\\t'", "E'\\n'", "E'\\u00A0'", "E'\\u3000'"
    ]  # fmt: skip
    assert [v.label for v in values][:3] == ["NULL", "empty", "a space"]


def test_vocabulary_is_every_value_and_one_outside_it() -> None:
    values = column_values("s", {"vocabulary": ["pending", "closed"]})
    assert [(v.sql, v.label) for v in values] == [
        ("'pending'", "pending"), ("'closed'", "closed"),
        ("'pending_outside'", "outside: pending_outside"),
    ]  # fmt: skip
    with pytest.raises(InputError, match="both inside and outside"):
        column_values("s", {"vocabulary": {"values": ["a"], "outside": ["a"]}})


def test_case_variants_booleans_and_ages() -> None:
    variants = [v.sql for v in column_values("n", {"case_variants": "Phase2"})]
    assert variants == ["'Phase2'", "'PHASE2'", "'phase2'", "' Phase2'", "'Phase2 '",
                        "E'Phase2\\u00A0'"]  # fmt: skip
    assert [v.sql for v in column_values("g", {"booleans_as_text": True})] == ["'true'", "'false'"]
    ages = column_values("t", {"ages": "300 seconds"})
    assert [v.label for v in ages] == ["older", "at", "younger"]
    assert ages[0].sql == "(now() - interval '300 seconds' - interval '1 second')"
    with pytest.raises(InputError, match="not an interval"):
        column_values("t", {"ages": "300'); DROP TABLE x; --"})


def test_every_family_is_documented() -> None:
    assert all(f.words and f.argument for f in FAMILIES.values())


@pytest.mark.parametrize("value", TRICKY, ids=repr)
def test_a_text_literal_reads_back_exactly(value: str, pg_server: Server) -> None:
    with psycopg.connect(pg_server.conninfo(), autocommit=True) as conn:
        row = conn.execute(f"SELECT {text_literal(value)}::text".encode()).fetchone()
    assert row == (value,)


def test_rows_are_the_cross_product_and_a_case_names_its_row() -> None:
    rows = rows_of(
        {"a": {"booleans_as_text": True}, "b": {"booleans_as_text": True}},
        ({"a": "true", "b": "'false'", "expect": 1},),
    )
    assert [r.words() for r in rows] == [
        "a='true', b='true'", "a='true', b='false'", "a='false', b='true'", "a='false', b='false'"
    ]  # fmt: skip
    assert [r.case is not None for r in rows] == [False, True, False, False]


def test_a_case_outside_the_product_is_a_row_of_its_own() -> None:
    rows = rows_of({"s": ["'ok'"]}, ({"s": None, "title": "NULL reads ok"},))
    assert [r.as_dict() for r in rows] == [{"s": "'ok'"}, {"s": "NULL"}]
    only_cases = rows_of(None, ({"actor": "'x'", "limit": 10}, {"actor": None, "limit": 1}))
    assert [r.as_dict() for r in only_cases] == [
        {"actor": "'x'", "limit": "10"}, {"actor": "NULL", "limit": "1"}
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("inputs", "cases", "message"),
    [
        ({"a": list(range(MAX_ROWS + 1))}, None, f"{MAX_ROWS + 1} rows of inputs"),
        ({"a": [1]}, ({"b": 1},), "b is not a column of inputs"),
        (None, ({"a": 1}, {"b": 1}), "cases[1] gives no value for a"),
        ({"a": [1]}, ({"a": 1}, {"a": 1}), "names the same row as an earlier case"),
    ],
)
def test_a_table_that_cannot_run_says_what_to_write(
    inputs: dict[str, object] | None, cases: tuple[dict[str, object], ...] | None, message: str
) -> None:
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        rows_of(inputs, cases)


@pytest.mark.parametrize(
    ("sql", "found", "filled"),
    [
        ("SELECT f({actor}, {n})", [("actor", 9), ("n", 18)], "SELECT f(NULL, 10)"),
        ("SELECT '{{\"a\": 1}}'::jsonb", [], "SELECT '{\"a\": 1}'::jsonb"),
        ("SELECT '{1,2}'::int[]", [], "SELECT '{1,2}'::int[]"),
    ],
)
def test_placeholders_and_their_substitution(
    sql: str, found: list[tuple[str, int]], filled: str
) -> None:
    assert placeholders(sql) == found
    literals: dict[str, str] = {"actor": "NULL", "n": "10"}
    assert substitute(sql, literals) == filled
