"""Probes that advance a sequence: nextval() is never rolled back, so a refusal or a proof
that inserts into a table with an identity or serial column leaves its sequence further on.

What a spec declares of a probe (`advances:`, each sequence with its reason, and whether it
may run on a live database), which sequences each probe's run moved (read by the harness
after each run), and which sequences a probe's own statements will move (read from its
text, before a live verify runs it).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clausegate.checks import Probe, ProbeTable
from clausegate.checks.evidence import ChangeLike, Evidence
from clausegate.db.probes import ProbeRun
from clausegate.migration.model import Statement
from clausegate.spec import Check, Spec

# The sections whose checks run probes that can write (invariants run READ ONLY).
WRITING_PROBES = ("refusals", "proofs")
_SECTION_WORD = {"refusals": "refusal", "proofs": "proof", "invariants": "invariant"}
_SEQUENCE_FUNCTIONS = ("nextval", "setval")
# The sequence a nextval() or setval() names as a constant (a column default, a probe's SQL).
_SEQUENCE_ARGUMENT = re.compile(r"(?:nextval|setval)\s*\(\s*'((?:[^']|'')+)'", re.IGNORECASE)


@dataclass(frozen=True)
class Advance:
    """A sequence a probe is declared to advance (`sequence`, a shell pattern over the
    identities a snapshot gives, e.g. `public.payments_id_seq`), why, and whether the probe
    may run on a live database, where the sequence really moves (`live`)."""

    sequence: str
    reason: str
    live: bool = False

    def covers(self, sequence: str) -> bool:
        return fnmatch.fnmatchcase(sequence, self.sequence)


def schema() -> dict[str, Any]:
    return {
        "type": "array",
        "description": (
            "Sequences this probe advances (an INSERT into a table with an identity or "
            "serial column calls nextval(), which a rollback does not undo): each with the "
            "reason; inertness tolerates their growth by this probe only. `clausegate "
            "verify` runs the probe on a live database only with `live: true`."
        ),
        "minItems": 1,
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["sequence", "reason"],
            "properties": {
                "sequence": {
                    "type": "string",
                    "minLength": 1,
                    "description": (
                        "The sequence, as `clausegate diff` names it (public.payments_id_seq); "
                        "a shell pattern."
                    ),
                },
                "reason": {
                    "type": "string",
                    "minLength": 1,
                    "description": "Why the probe must advance it (shown in the reports).",
                },
                "live": {
                    "type": "boolean",
                    "description": (
                        "Run the probe on a live database too, though it advances the "
                        "sequence there (default false: verify does not run it, and says so)."
                    ),
                },
            },
        },
    }


def declared(check: Check) -> tuple[Advance, ...]:
    """The sequences `check`'s probe is declared to advance."""
    from clausegate import checks

    if check.section not in WRITING_PROBES:
        return ()
    found = getattr(checks.typed_body(check), "advances", ())
    return tuple(found)


def probe_name(check: Check) -> str:
    """`proof insert-payment`, `refusal guard-refuses-null`."""
    return f"{_SECTION_WORD.get(check.section, check.section)} {check.id}"


# --- what each probe's run moved ------------------------------------------------------------


def movers(ev: Evidence) -> dict[str, list[tuple[Check, int | None]]]:
    """sequence → the probes whose run moved it: (check, row number from 1, None for a
    check with one probe), in the spec's order."""
    return _by_sequence(ev, lambda run: run.advanced)


def setbacks(ev: Evidence) -> dict[str, list[str]]:
    """sequence → the probes (`proof p`, `refusal r (row 2)`) whose own run left it at an
    earlier position than it found it: never tolerated, even when the probes' net effect
    is growth or nothing (on a live database, other sessions took values meanwhile)."""
    return {
        sequence: [probe_name(check) + (f" (row {row})" if row else "") for check, row in who]
        for sequence, who in _by_sequence(ev, lambda run: run.set_back).items()
    }


def _by_sequence(
    ev: Evidence, of: Callable[[ProbeRun], tuple[str, ...]]
) -> dict[str, list[tuple[Check, int | None]]]:
    found: dict[str, list[tuple[Check, int | None]]] = {}
    for check in ev.spec.checks:
        runs: list[tuple[int | None, ProbeRun]] = (
            [(None, ev.runs[check.id])] if check.id in ev.runs else []
        )
        runs += [(n, run) for n, run in enumerate(ev.table_runs.get(check.id, ()), start=1)]
        for row, run in runs:
            for sequence in of(run):
                found.setdefault(sequence, []).append((check, row))
    return found


@dataclass(frozen=True)
class Attribution:
    """What inertness says of a sequence the probes left further on: the probes whose run
    moved it, and whether each declared it."""

    sequence: str
    declared: tuple[tuple[str, Advance], ...]  # (probe, its declaration)
    undeclared: tuple[str, ...]  # probes that moved it without declaring it

    @property
    def excused(self) -> bool:
        return bool(self.declared) and not self.undeclared

    def words(self) -> str:
        if not self.declared and not self.undeclared:
            return "no probe's run moved it (moved by something else while they ran)"
        said = [f"advanced by {probe} (declared: {a.reason})" for probe, a in self.declared]
        said += [
            f"advanced by {probe}, which does not declare it: a rollback does not undo "
            f"nextval(); declare it under the probe's `advances:` with a reason"
            for probe in self.undeclared
        ]
        return "; ".join(said)


def attribute(moved_by: Mapping[str, list[tuple[Check, int | None]]], sequence: str) -> Attribution:
    """Who moved `sequence`, by the probes' runs (`moved_by`: movers(ev))."""
    declared_by: list[tuple[str, Advance]] = []
    undeclared: list[str] = []
    for check, row in moved_by.get(sequence, []):
        probe = probe_name(check) + (f" (row {row})" if row is not None else "")
        advance = next((a for a in declared(check) if a.covers(sequence)), None)
        if advance is None:
            undeclared.append(probe)
        else:
            declared_by.append((probe, advance))
    return Attribution(sequence, tuple(declared_by), tuple(undeclared))


def grew(change: ChangeLike) -> bool:
    """A sequence value change that is growth: called before and after, further on, and
    nothing else of it changed. One never called (or set back with setval(…, false)) that
    now has a value is a change: its old value says nothing; a setval back is no growth."""
    if change.kind != "sequence_values" or change.action != "modified":
        return False
    old, new = dict(change.before or {}), dict(change.after or {})
    start, end = old.pop("last_value", None), new.pop("last_value", None)
    called = old.pop("is_called", True) is True and new.pop("is_called", True) is True
    numbers = isinstance(start, int) and isinstance(end, int)
    return called and numbers and end > start and old == new


# --- what a probe's own statements will move ------------------------------------------------


def predicted(statements: Sequence[str], after: Mapping[str, Any]) -> dict[str, str]:
    """The sequences a probe's own statements will move, each with why (`an INSERT into
    public.payments`, `calls nextval`), read from their text and the state after's
    catalog: a direct nextval()/setval(), or an INSERT (a CTE's or a PREPARE's too), MERGE,
    COPY FROM or UPDATE … SET col = DEFAULT into a table with a column whose default or
    identity takes a sequence's value. Functions the probe
    calls are not read (their writes show only when they run); statements that do not
    parse predict nothing."""
    from clausegate.migration.reading import parse_text

    text = ";\n".join(s.rstrip().rstrip(";") for s in statements) + ";\n"
    try:
        read = parse_text(text, Path("<probe>"))
    except Exception:  # the parser's own failure: nothing predicted; the run still shows it
        return {}
    backed = _sequences_of_tables(after)
    found: dict[str, str] = {}
    for statement in read.statements:
        if any(call.rsplit(".", 1)[-1] in _SEQUENCE_FUNCTIONS for call in statement.calls):
            named = [_qualified(n) for n in _SEQUENCE_ARGUMENT.findall(statement.text)]
            for sequence in named or ["a sequence named at run time"]:
                found.setdefault(sequence, "a call of nextval() or setval()")
        # An INSERT anywhere in the statement (a CTE's, a PREPARE's), a MERGE, a COPY FROM,
        # an UPDATE setting a column to DEFAULT: each takes the columns' defaults.
        for table in statement.takes_defaults:
            for sequence in _named(backed, table):
                found.setdefault(sequence, f"{_written_by(statement)} {table}")
            # A view written through (an auto-updatable one) takes its base tables'
            # defaults: every table its definition names counts as written.
            for view, definition in _views_named(after, table):
                for base in backed:
                    if _names_table(definition, base):
                        for sequence in sorted(backed[base]):
                            found.setdefault(
                                sequence, f"{_written_by(statement)} view {view} (on {base})"
                            )
    return found


def _views_named(after: Mapping[str, Any], written: str) -> Iterator[tuple[str, str]]:
    """(identity, definition) of each view the written name (`v`, `public.v`) may be."""
    schema, _, name = written.rpartition(".")
    for identity, view in ((after.get("catalog") or {}).get("views") or {}).items():
        view_schema, _, view_name = identity.rpartition(".")
        if view_name.strip('"') == name.strip('"') and schema in ("", view_schema.strip('"')):
            yield identity, str(view.get("definition") or "")


def _names_table(definition: str, table: str) -> bool:
    """Whether a view's definition names `table` (`schema.name`), qualified or not: too
    much rather than too little (a name in a string counts too)."""
    name = table.rpartition(".")[2].strip('"')
    return re.search(rf'(?<![\w$"]){re.escape(name)}(?![\w$"])', definition) is not None


def _written_by(statement: Statement) -> str:
    """`an INSERT into`, `a SELECT writing into` (its CTE's INSERT)."""
    if statement.command in ("INSERT", "MERGE", "COPY"):
        return f"an {statement.command} into"
    article = "an" if statement.command[:1] in "AEIOU" else "a"
    return f"{article} {statement.command} writing into"


def _named(backed: Mapping[str, set[str]], written: str) -> Iterator[str]:
    """The sequences of the table written (`t`, `public.t`): an unqualified name matches
    that table in any schema."""
    schema, _, name = written.rpartition(".")
    for table, sequences in backed.items():
        table_schema, _, table_name = table.rpartition(".")
        if table_name.strip('"') == name.strip('"') and schema in ("", table_schema.strip('"')):
            yield from sorted(sequences)


def _sequences_of_tables(after: Mapping[str, Any]) -> dict[str, set[str]]:
    """table identity → the sequences its columns' defaults or identities take values of."""
    catalog = after.get("catalog") or {}
    backed: dict[str, set[str]] = {}
    for identity, sequence in (catalog.get("sequences") or {}).items():
        owner = sequence.get("owned_by")
        if isinstance(owner, str) and "." in owner:
            backed.setdefault(owner.rsplit(".", 1)[0], set()).add(identity)
    for identity, column in (catalog.get("columns") or {}).items():
        default = column.get("default")
        if isinstance(default, str) and "nextval(" in default:
            table = identity.rsplit(".", 1)[0]
            for name in _SEQUENCE_ARGUMENT.findall(default):
                backed.setdefault(table, set()).add(_qualified(name))
    return backed


def _qualified(name: str) -> str:
    """A sequence name as a SQL string literal wrote it, schema-qualified (public when not)."""
    name = name.replace("''", "'")
    return name if "." in name else f"public.{name}"


# --- on a live database ----------------------------------------------------------------------


@dataclass(frozen=True)
class LivePlan:
    """Which probes a live verify withholds (check id → why) and what it says before it
    runs the others: each probe that will advance a sequence on the live database."""

    withheld: dict[str, str]
    warnings: tuple[str, ...]


def live_plan(spec: Spec, after: Mapping[str, Any]) -> LivePlan:
    """Before a verify runs its probes: a probe whose own statements will advance a
    sequence it does not declare is withheld (undeclared, it would leave the live
    database changed for good); one declared without `live: true` is withheld; one
    declared with it runs, and is said to advance the sequence."""
    from clausegate import checks

    withheld: dict[str, str] = {}
    warnings: list[str] = []
    for check in spec.checks:
        if check.section not in WRITING_PROBES:
            continue
        advances = declared(check)
        planned = checks.kind_of(check).probe
        statements = _statements_of(planned(check)) if planned is not None else ()
        foreseen = predicted(statements, after)
        undeclared = {
            s: why for s, why in foreseen.items() if not any(a.covers(s) for a in advances)
        }
        if undeclared:
            said = ", ".join(f"{s} ({why})" for s, why in sorted(undeclared.items()))
            withheld[check.id] = (
                f"on the live database it would advance {said}, which a rollback does not "
                f"undo; declare it under the {probe_name(check).split()[0]}'s `advances:` "
                "with a reason, and `live: true` to run it here"
            )
            continue
        not_live = [a for a in advances if not a.live]
        if not_live:
            names = ", ".join(a.sequence for a in not_live)
            withheld[check.id] = (
                f"it advances {names} (declared: {not_live[0].reason}), and its `advances:` "
                "does not allow it on a live database (`live: true`)"
            )
            continue
        warnings.extend(
            f"{probe_name(check)} will advance {a.sequence} on the live database "
            f"(declared: {a.reason})"
            for a in advances
        )
    return LivePlan(withheld, tuple(warnings))


def _statements_of(probe: Probe | ProbeTable) -> tuple[str, ...]:
    """Every statement of a probe, or of each row of a table of them."""
    if isinstance(probe, ProbeTable):
        return tuple(statement for row in probe.rows for statement in row.statements)
    return probe.statements
