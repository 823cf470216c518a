"""The spec language: the shipped JSON Schema and what the check kinds add to it.

The spec stage knows no check kind. Whoever loads a spec passes the `Language` its kinds
make (clausegate.checks.language(path): the built-in kinds, a package's, the spec's
workspace's), so the imports run one way: checks read specs, specs never read checks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clausegate.spec.model import Check, ItemProblem, MetricValue

# The keys every item of a section has, whatever its kind.
ITEM_KEYS = ("id", "clause", "title", "description")


def schema_file() -> Path:
    """The shipped spec.schema.json (what editors read, with the built-in kinds in it)."""
    return Path(str(resources.files("clausegate.spec").joinpath("schema/spec.schema.json")))


@cache
def base_schema() -> str:
    return schema_file().read_text("utf-8")


def _as_written(check: Check) -> object:
    return check.written


def _no_problems(section: str, item: Mapping[str, Any]) -> Sequence[ItemProblem]:
    return ()


@dataclass(frozen=True)
class Language:
    """What a spec may say, as its check kinds define it.

    - `schema`: the whole spec schema, every kind's body under its section's items.
    - `forbidden`: the keys naming a forbidden item's kind, in the order errors list them.
    - `metrics`: the keys naming a regression row's metric.
    - `qualifiers`: a key beside a metric that only one metric takes → that metric.
    - `metric_values`: a metric → what its value is (CheckKind.value), for the metrics
      whose kind says.
    - `needs_config`: forbidden kinds that read the spec's top-level `config:`.
    - `typed_body(check)`: a validated check's body as its kind types it (Check.body).
    - `lint(section, item)`: what an item's kind finds wrong that the schema cannot say.
    """

    schema: Mapping[str, Any]
    forbidden: tuple[str, ...]
    metrics: tuple[str, ...]
    qualifiers: Mapping[str, str] = field(default_factory=dict)
    metric_values: Mapping[str, MetricValue] = field(default_factory=dict)
    needs_config: frozenset[str] = frozenset()
    typed_body: Callable[[Check], object] = _as_written
    lint: Callable[[str, Mapping[str, Any]], Sequence[ItemProblem]] = _no_problems
