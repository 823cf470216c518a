"""Check kinds: each thing a spec can forbid is one unit, registered here.

A kind is written under a section of a spec (the forbidden list, today) and named by the
key its body sits under (`extension_added: true`). It brings the JSON Schema of that body
(validated by `clausegate lint` and at load, with FILE:LINE:COLUMN errors), what it needs
captured in each snapshot (a query, tables whose content it hashes), the parts of a
snapshot it cannot be judged without, and its judge.

The built-in kinds are the modules of this package. A workspace adds its own as Python
files in a `checks/` folder: clausegate looks for one beside each spec and in each folder
above it, up to the first that has one (or holds `.git`), and imports every `*.py` there
whose name does not start with `_`. A package ships kinds through the entry point group
`clausegate.checks`. Each module calls `register(CheckKind(...))` when imported; the
README's "Writing a check kind" walks through one.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import metadata
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from clausegate.errors import EXIT_USAGE, ClausegateError
from clausegate.spec.model import ItemProblem, MetricValue

if TYPE_CHECKING:
    from clausegate.checks.evidence import Evidence
    from clausegate.checks.verdict import Verdict
    from clausegate.spec import Check, Spec

T = TypeVar("T")

FORBIDDEN = "forbidden"
REGRESSION = "regression"
ENTRY_POINTS = "clausegate.checks"
WORKSPACE_FOLDER = "checks"

# The built-in kinds, one module each: the forbidden kinds in the order the README lists
# them, then the kinds that are a whole section (a check of the section is of that kind).
SECTION_KINDS = ("expected_changes", "refusals", "proofs", "invariants")
# The regression metrics, each the key of a regression row's `metric:`.
METRICS = ("count", "checks_of", "extensions", "rows", "sql")
# The checks every spec gets without writing them, each its own clause of the report:
# the closed world (unless the spec sets `closed_world: false`) and inertness.
IMPLICIT = "implicit"
IMPLICIT_KINDS = ("closed_world", "inertness")
_BUILT_IN = (
    "extension_added",
    "gate_flipped",
    "rows_touched",
    "schema_changed",
    "check_changed",
    "function_changed",
    "ratified_body",
    "statement_used",
    "function_called",
    "object_created",
    "worker_started",
    *SECTION_KINDS,
    *METRICS,
    *IMPLICIT_KINDS,
)


def _no_snapshot_part(check: Check) -> Callable[[str], bool] | None:
    return None


def _no_tables(check: Check) -> Sequence[str]:
    return ()


def _every_spec(spec: Spec) -> bool:
    return True


@dataclass(frozen=True)
class Probe:
    """Statements a check runs in one transaction that is always rolled back: which of
    them must raise an error, and how many leading ones are the harness's own (not shown)."""

    statements: tuple[str, ...]
    errors_expected_at: frozenset[int]
    hidden: int = 0
    # The role the statements run as (SET LOCAL ROLE first, in the same transaction), and
    # the application_name the session shows (None: the spec's `probes:`, else the default).
    role: str | None = None
    application_name: str | None = None


@dataclass(frozen=True)
class ProbeTable:
    """A check run once per row of inputs: one probe per row, each in its own transaction
    that is always rolled back; their results are `evidence.table_runs[check.id]`."""

    rows: tuple[Probe, ...]


def _no_problems(written: Mapping[str, Any]) -> Sequence[ItemProblem]:
    return ()


@dataclass(frozen=True)
class CheckKind:
    """One kind of check.

    - `key`: the key a check of this kind is written under in its section.
    - `schema`: the JSON Schema of the value under `key` (its `description` is what lint
      and the README say about it).
    - `body`: the type of that value once validated, usually a frozen dataclass whose
      fields are the keys the schema allows (clausegate.checks.body builds it when the
      spec is loaded); None keeps the value as written, made read-only.
    - `rule(check)`: the check's rule in the kind's own words, one line (`no row of
      public.event_outbox may be inserted, updated or deleted`): recorded with its verdict
      and shown in the terminal, summary.md and Allure. None: the body as written.
    - `judge(check, evidence)`: the verdict. It reads `body_of(check, <body type>)`, the
      evidence's changes, snapshots and captured queries; a `Missing` it raises is BROKEN.
    - `depends(check)`: which unreadable part of a snapshot (a catalog kind, `config rows`…)
      makes the check BROKEN rather than judged; None when it reads none of them.
    - `query(check, conninfo)`: SQL whose rows each snapshot captures under the check's id
      (conninfo: the before database, to look up what the query needs, e.g. a key).
    - `tables(check)`: tables whose content the snapshots hash for the check.
    - `probe(check)`: statements run on the state after, rolled back (refusals, proofs,
      invariants); their results are `evidence.runs[check.id]`; a `ProbeTable` (a check
      over rows of inputs) runs each row on its own, into `evidence.table_runs[check.id]`.
    - `lint(written)`: what the schema cannot say about a body as written (a placeholder
      no input defines), each an `ItemProblem` that lint and load report at its line.
    - `needs_config`: the check reads the spec's top-level `config:` table.
    - `qualifiers`: for a regression metric, the keys beside it in `metric:` that only it
      takes (`schema:` and `name_like:` with `count:`), with their schemas.
    - `value`: for a regression metric, what its value is: `number` (a count: `delta:`
      is the difference), `list` (a sorted list, compared as written or as a set: no
      difference to expect), or None when the metric's SQL decides (`sql:`); lint refuses
      an expectation the value can never meet.
    - `title`: for an implicit kind (section `implicit`), the title of its check and
      clause in the terminal, summary.md and Allure; `applies(spec)`: whether the spec
      gets that check.

    A kind that is a whole section (expected_changes, refusals, proofs, invariants) has
    `key` equal to its section, and its schema is that of the section's items but for the
    keys every item has (id, clause, title, description).
    """

    key: str
    schema: Mapping[str, Any]
    judge: Callable[[Check, Evidence], Verdict]
    body: Any = None
    rule: Callable[[Check], str] | None = None
    section: str = FORBIDDEN
    depends: Callable[[Check], Callable[[str], bool] | None] = _no_snapshot_part
    query: Callable[[Check, str], str] | None = None
    tables: Callable[[Check], Sequence[str]] = _no_tables
    probe: Callable[[Check], Probe | ProbeTable] | None = None
    lint: Callable[[Mapping[str, Any]], Sequence[ItemProblem]] = _no_problems
    needs_config: bool = False
    qualifiers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    value: MetricValue | None = None
    title: str = ""
    applies: Callable[[Spec], bool] = _every_spec
    origin: str = field(default="", compare=False)

    @property
    def implicit_id(self) -> str:
        """The id of an implicit kind's check (and clause): its key, spelt with hyphens."""
        return self.key.replace("_", "-")

    @property
    def built_in(self) -> bool:
        """Whether the kind is one of clausegate's own (a module of this package)."""
        return Path(self.origin).parent == Path(__file__).parent


# (section, key, workspace) → kind; workspace None for the built-in kinds and those of
# packages, which every spec sees. A workspace's kinds are seen by its own specs only, so
# two workspaces linted in one run do not see each other's.
_KINDS: dict[tuple[str, str, Path | None], CheckKind] = {}
_loading: list[Path] = []  # the workspace folder whose files are being imported


def register(kind: CheckKind) -> CheckKind:
    """Add a kind; a second kind under the same section and key, among the kinds one spec
    sees, is an error naming both."""
    origin = kind.origin or _caller_file()
    kind = replace(kind, origin=origin)
    scope = _loading[-1] if _loading else None
    if not kind.built_in and kind.section != FORBIDDEN:
        raise ClausegateError(
            f"{origin}: check kind {kind.key}: a kind of one's own goes under "
            f"`{FORBIDDEN}` (section={kind.section!r} is clausegate's)",
            EXIT_USAGE,
        )
    for (section, key, where), known in _KINDS.items():
        clash = where is None or scope is None or where == scope
        if (section, key) == (kind.section, kind.key) and clash and known.origin != origin:
            raise ClausegateError(
                f"{origin}: check kind {kind.section}.{kind.key} is already registered by "
                f"{known.origin}; give the new kind another key",
                EXIT_USAGE,
            )
    _KINDS[(kind.section, kind.key, scope)] = kind
    return kind


def _caller_file() -> str:
    frame = sys._getframe(2)
    return frame.f_code.co_filename


def kinds(section: str = FORBIDDEN, spec_path: Path | None = None) -> tuple[CheckKind, ...]:
    """The kinds of a section a spec sees (the built-in ones in their order, then the
    others by key): every spec sees the built-in kinds and those of packages, a spec in a
    workspace also its workspace's (load_workspace)."""
    _load_built_in()
    _load_entry_points()
    folder = workspace_folder(spec_path) if spec_path is not None else None
    found = [
        kind
        for (where, _, scope), kind in _KINDS.items()
        if where == section and (scope is None or scope == folder)
    ]
    order = {key: n for n, key in enumerate(_BUILT_IN)}
    return tuple(sorted(found, key=lambda k: (order.get(k.key, len(order)), k.key)))


def kind_of(check: Check) -> CheckKind:
    """The kind of a check the spec loader has validated (exactly one kind key)."""
    # A metric is named inside `metric:`, a forbidden kind by its key, a section kind by
    # the section itself.
    named = check.written.get("metric", {}) if check.section == REGRESSION else check.written
    for kind in kinds(check.section, check.spec_path):
        if check.section == IMPLICIT:
            if kind.implicit_id == check.id:
                return kind
        elif kind.key == check.section or kind.key in named:
            return kind
    raise ClausegateError(f"check {check.id}: no registered kind matches", EXIT_USAGE)


def body_of(check: Check, cls: type[T]) -> T:
    """A check's typed body, which its kind declares to be a `cls`."""
    if not isinstance(check.body, cls):
        raise TypeError(
            f"check {check.id}: its body is a {type(check.body).__name__}, not a {cls.__name__}"
        )
    return check.body


def rule_of(check: Check) -> str:
    """What a check requires, in its kind's words (or its body as written)."""
    kind = kind_of(check)
    if kind.rule is not None:
        return kind.rule(check)
    from clausegate.checks.expect import show

    return "; ".join(f"{key}: {show(value)}" for key, value in sorted(check.written.items()))


def typed_body(check: Check) -> object:
    """A validated check's body as its kind's type (the spec loader's Language.typed_body):
    for a forbidden kind the value under its key, for a regression row the row with its
    metric typed by the metric's kind, for a section kind the item. A kind whose type and
    schema disagree is named with its module, never read as if a key were absent."""
    from clausegate.checks import body as bodies
    from clausegate.checks.regression import RegressionRow

    if check.section == IMPLICIT:
        return None
    kind = kind_of(check)
    cls = Any if kind.body is None else kind.body
    try:
        if check.section == FORBIDDEN:
            return bodies.build(cls, check.written[kind.key], kind.key)
        if check.section == REGRESSION:
            row: RegressionRow = bodies.build(RegressionRow, check.written, "regression row")
            return replace(row, metric=bodies.build(cls, check.written["metric"], "metric"))
        return bodies.build(cls, check.written, kind.key)
    except bodies.BodyError as exc:
        raise ClausegateError(
            f"{check.spec_path}:{check.line}: check {check.id}: its body does not fit the type "
            f"{getattr(cls, '__name__', cls)} that check kind {kind.key} ({kind.origin}) "
            f"declares: {exc}; make the kind's schema and its body type agree",
            EXIT_USAGE,
        ) from None


def implicit_checks(spec: Spec) -> tuple[Check, ...]:
    """The checks of the implicit kinds that apply to `spec`, each its own clause."""
    from clausegate.spec import Check

    return tuple(
        Check(
            section=IMPLICIT,
            id=kind.implicit_id,
            clause=kind.implicit_id,
            title=kind.title,
            description="",
            written=MappingProxyType({}),
            line=0,
            spec_path=spec.path,
        )
        for kind in kinds(IMPLICIT, spec.path)
        if kind.applies(spec)
    )


def body_schema(section: str = FORBIDDEN, spec_path: Path | None = None) -> Mapping[str, Any]:
    """The schema properties the kinds of a section add to an item of that section."""
    kinds_seen = kinds(section, spec_path)
    return MappingProxyType({kind.key: dict(kind.schema) for kind in kinds_seen})


@cache
def _load_built_in() -> None:
    for name in _BUILT_IN:
        importlib.import_module(f"{__name__}.{name}")


@cache
def _load_entry_points() -> None:
    for point in metadata.entry_points(group=ENTRY_POINTS):
        try:
            point.load()
        except Exception as exc:
            raise ClausegateError(
                f"entry point {point.name} ({point.value}) of group {ENTRY_POINTS}: cannot "
                f"load: {_failure(exc)}",
                EXIT_USAGE,
            ) from None


# Spec files whose workspace is said, not searched for: the copies of specs in an evidence
# bundle, which must never load code found beside or above them (see assign_workspace).
_ASSIGNED: dict[Path, Path | None] = {}


def assign_workspace(spec_path: Path, folder: Path | None) -> None:
    """Say which `checks/` folder a spec file's kinds come from (None: the built-in kinds
    and packages' only) instead of searching beside and above it: for a spec copied into
    an evidence bundle, whose folders are not the verifier's to run."""
    _ASSIGNED[spec_path.resolve()] = folder.resolve() if folder is not None else None


def workspace_folder(spec_path: Path) -> Path | None:
    """The `checks/` folder of the workspace a spec belongs to: beside it or above it, the
    nearest one; the search stops at a folder holding `.git`. Looked up once per spec file:
    every check's kind is found through it, when judged, planned and probed."""
    resolved = spec_path.resolve()
    if resolved in _ASSIGNED:
        return _ASSIGNED[resolved]
    return _search_workspace(resolved)


@cache
def _search_workspace(spec_path: Path) -> Path | None:
    start = spec_path.parent
    for folder in (start, *start.parents):
        candidate = folder / WORKSPACE_FOLDER
        if candidate.is_dir():
            return candidate.resolve()
        if (folder / ".git").exists():
            return None
    return None


def load_workspace(spec_path: Path) -> None:
    """Import the check kinds of the workspace a spec belongs to (each file once)."""
    folder = workspace_folder(spec_path)
    if folder is not None:
        _load_built_in()  # First: a workspace kind may not take a built-in key.
        _load_entry_points()
        _loading.append(folder)
        try:
            for path in sorted(folder.glob("*.py")):
                if not path.name.startswith("_"):
                    _load_file(path.resolve())
        finally:
            _loading.pop()


@cache
def _load_file(path: Path) -> None:
    name = f"clausegate_workspace_checks.{abs(hash(path.parent))}.{path.stem}"
    module_spec = importlib.util.spec_from_file_location(name, path)
    if module_spec is None or module_spec.loader is None:
        raise ClausegateError(f"{path}: cannot load as a Python module", EXIT_USAGE)
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module
    try:
        module_spec.loader.exec_module(module)
    except ClausegateError:
        raise
    except Exception as exc:
        del sys.modules[name]
        raise ClausegateError(f"{path}:{_line_in(exc, path)}: cannot load the check kinds: "
                              f"{_failure(exc)}", EXIT_USAGE) from None  # fmt: skip


def _failure(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _line_in(exc: BaseException, path: Path) -> int:
    """The line of `path` where loading it failed (a SyntaxError's own line)."""
    if isinstance(exc, SyntaxError) and exc.lineno:
        return exc.lineno
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename) == path]
    return (lines[-1] or 1) if lines else 1
