"""Check bodies are typed once, when a spec is loaded: every kind's body type agrees with
its schema, every shipped spec's checks get the type their kind declares, and a body that
does not fit is an error (never a key read as absent)."""

from __future__ import annotations

import dataclasses
import textwrap
import types
import typing
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from clausegate import checks
from clausegate.checks.body import BodyError, ErrorWanted, Expected, build, key_of
from clausegate.checks.language import load_spec
from clausegate.checks.proofs import Proof, Step
from clausegate.checks.refusals import Refusal
from clausegate.checks.regression import RegressionRow
from clausegate.checks.rows_touched import OPERATIONS, RowsTouched
from clausegate.spec import SpecError
from tests.cli import ROOT, assert_no_traceback, clausegate
from tests.test_check_kinds import workspace

SECTIONS = ("forbidden", "regression", *checks.SECTION_KINDS)


def _built_in_kinds() -> list[checks.CheckKind]:
    return [k for section in SECTIONS for k in checks.kinds(section) if k.built_in]


@pytest.mark.parametrize("kind", _built_in_kinds(), ids=lambda k: f"{k.section}.{k.key}")
def test_every_built_in_kind_declares_a_body_type_that_agrees_with_its_schema(
    kind: checks.CheckKind,
) -> None:
    assert kind.body is not None, f"{kind.key} declares no body type"
    schema = dict(kind.schema)
    if kind.section == "regression":  # the metric's mapping: its key and its qualifiers
        properties = {kind.key: schema, **kind.qualifiers}
        required = {kind.key}
    elif schema.get("type") == "object":
        properties = dict(schema["properties"])
        required = set(schema.get("required", ()))
    else:  # a plain value (a string, true): the type is that of the value
        assert not dataclasses.is_dataclass(kind.body), kind.key
        return
    fields = {key_of(f): f for f in dataclasses.fields(kind.body)}
    assert set(fields) == set(properties), f"{kind.key}: fields and schema properties differ"
    for name, field in fields.items():
        optional = field.default is not dataclasses.MISSING
        assert optional == (name not in required), f"{kind.key}.{name}: optional differs"


def _shipped_specs() -> list[Path]:
    found = sorted((ROOT / "specs").rglob("*.yaml"))
    found += sorted((ROOT / "tests").rglob("spec*.yaml"))
    return [p for p in found if "waivers" not in p.name]


def runtime_types(hint: Any) -> tuple[type, ...]:
    """What isinstance can test of a body type: `bool | str` → (bool, str),
    `tuple[str, ...]` → (tuple,), `str | tuple[str, ...]` → (str, tuple)."""
    union = typing.get_origin(hint) in (typing.Union, types.UnionType)
    options = typing.get_args(hint) if union else (hint,)
    return tuple(typing.get_origin(option) or option for option in options)


def test_every_check_of_every_shipped_spec_gets_its_kind_s_body_type() -> None:
    loaded = 0
    for path in _shipped_specs():
        try:
            spec = load_spec(path)
        except SpecError:
            continue  # a case that is an invalid spec on purpose
        for check in spec.checks:
            kind = checks.kind_of(check)
            if check.section == "regression":
                assert isinstance(check.body, RegressionRow), (path, check.id)
                assert isinstance(check.body.metric, kind.body), (path, check.id)
            elif isinstance(kind.body, type) and dataclasses.is_dataclass(kind.body):
                assert isinstance(check.body, kind.body), (path, check.id)
            else:
                assert isinstance(check.body, runtime_types(kind.body)), (path, check.id)
            loaded += 1
    assert loaded > 200  # the Điều 45 specs alone have more


@pytest.mark.parametrize(
    ("cls", "value", "built"),
    [
        (Refusal, {"call": "SELECT f()", "expect": None},
         Refusal("SELECT f()", expect=Expected(None))),
        (Refusal, {"call": "SELECT f()", "error": {"sqlstate": "P0001"}},
         Refusal("SELECT f()", error=ErrorWanted(sqlstate="P0001"))),
        (Refusal, {"call": "c", "setup": ["a", "b"], "expect": [1, 2]},
         Refusal("c", setup=("a", "b"), expect=Expected([1, 2]))),
        (RowsTouched, {"table": "t"}, RowsTouched("t", ops=OPERATIONS)),
        (RowsTouched, {"table": "t", "ops": ["delete"], "key": ["id"]},
         RowsTouched("t", ops=("delete",), key=("id",))),
        (Proof, {"steps": [{"sql": "SELECT 1", "expect": {"min": 1}}]},
         Proof((Step("SELECT 1", expect=Expected({"min": 1})),))),
        (bool | str, True, True),
        (bool | str, "pgcrypto", "pgcrypto"),
        (str, "public.t", "public.t"),
    ],
)  # fmt: skip
def test_a_body_is_built_as_its_type(cls: Any, value: Any, built: Any) -> None:
    assert build(cls, value) == built


def test_expect_null_is_an_expectation_and_a_left_out_expect_is_none() -> None:
    assert build(Refusal, {"call": "c", "expect": None}).expect == Expected(None)
    assert build(Refusal, {"call": "c", "error": {"message": "x"}}).expect is None


@pytest.mark.parametrize(
    ("cls", "value", "says"),
    [
        (RowsTouched, {"table": "t", "opps": ["insert"]}, "RowsTouched has no field for opps"),
        (RowsTouched, {"ops": ["insert"]}, "table is missing"),
        (RowsTouched, {"table": 3}, "3 is not a str"),
        (RowsTouched, {"table": "t", "ops": "insert"}, "is not a list"),
        (Refusal, {"call": "c", "error": {"sqlstate": "P0001", "hint": "x"}},
         "ErrorWanted has no field for hint"),
        (bool | str, 3, "is none of"),
        (str, True, "True is not a str"),
        (RowsTouched, "t", "is not a mapping"),
    ],
)  # fmt: skip
def test_a_body_that_does_not_fit_its_type_is_refused(cls: Any, value: Any, says: str) -> None:
    with pytest.raises(BodyError, match=says):
        build(cls, value)


def test_a_body_as_written_is_read_only() -> None:
    frozen: Any = build(Any, {"a": [1, {"b": 2}]})
    assert isinstance(frozen, MappingProxyType)
    assert frozen["a"] == (1, MappingProxyType({"b": 2}))
    writable: Any = frozen
    with pytest.raises(TypeError):
        writable["a"] = 1


def test_body_of_names_a_check_whose_body_is_of_another_type() -> None:
    spec = load_spec(ROOT / "specs" / "dieu45" / "phase2.yaml")
    check = spec.section("refusals")[0]
    assert checks.body_of(check, Refusal).call
    with pytest.raises(TypeError, match=f"check {check.id}: its body is a Refusal, not a Proof"):
        checks.body_of(check, Proof)


# A workspace kind whose schema allows a string while its body type wants a mapping.
DISAGREEING_KIND = textwrap.dedent("""
    from dataclasses import dataclass

    from clausegate.checks import CheckKind, register
    from clausegate.checks.verdict import passed


    @dataclass(frozen=True)
    class Named:
        table: str


    register(CheckKind(
        key="table_named",
        schema={"type": "string", "description": "A table name."},
        body=Named,
        judge=lambda check, ev: passed("never judged"),
    ))
""")


def test_a_workspace_kind_whose_type_disagrees_with_its_schema_is_named(tmp_path: Path) -> None:
    kind = DISAGREEING_KIND
    path = workspace(tmp_path, kind=kind)
    result = clausegate("lint", str(path))
    assert_no_traceback(result)
    assert result.returncode == 2, result.stdout
    module = tmp_path / "checks" / "table_named.py"
    assert f"{path}:8: check F1: its body does not fit the type Named" in result.stderr
    assert str(module) in result.stderr
    assert "make the kind's schema and its body type agree" in result.stderr
