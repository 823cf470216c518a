"""Specs: YAML → JSON Schema → frozen, typed objects; waivers.

A spec is loaded in the language its check kinds make (`clausegate.checks.load_spec`);
this package knows no check kind.
"""

from clausegate.spec.document import MAX_SPEC_BYTES, load, read_text
from clausegate.spec.language import Language
from clausegate.spec.model import (
    RUNS_AS_SUPERUSER,
    SECTIONS,
    Build,
    Check,
    Clause,
    Config,
    ItemProblem,
    KnownOpen,
    MigrationRole,
    ProbeSettings,
    Problem,
    ProductionServer,
    Spec,
    SpecError,
)
from clausegate.spec.validate import validate

__all__ = [
    "MAX_SPEC_BYTES",
    "RUNS_AS_SUPERUSER",
    "SECTIONS",
    "Build",
    "Check",
    "Clause",
    "Config",
    "ItemProblem",
    "KnownOpen",
    "Language",
    "MigrationRole",
    "ProbeSettings",
    "Problem",
    "ProductionServer",
    "Spec",
    "SpecError",
    "load",
    "read_text",
    "validate",
]
