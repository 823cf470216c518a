"""The pytest side of a run: spec files collected as spec > clause > check, verdicts reported.

A phase runs once, when its first check runs; every check item then reports its own
verdict. Item names are the ids written in the spec, so `-k "§15.5"` selects a clause
and Allure's history stays stable across runs.

A run that leaves checks out is PARTIAL, whichever option did it: the engine knows every
check each spec it collected yields (`planned_checks`, from the spec itself, so a node id
that names one clause leaves the others out too) and which got a verdict; each other one
is left out, with why when pytest said (deselected, not run), and a spec that failed to
collect is left out whole, with its error.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Generator, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest

from clausegate import checks, db, phase, snapshot
from clausegate.checks.language import load_spec
from clausegate.checks.verdict import Status, Verdict
from clausegate.db import templates
from clausegate.errors import ClausegateError
from clausegate.pytest import terminal
from clausegate.report import bundle, judging_record, outcomes, records, views
from clausegate.spec import Check, Clause, MigrationRole, Spec, waivers
from clausegate.targets import LocalServer, Server, TargetSettings, open_server

KNOWN_OPEN_CHECK = outcomes.KNOWN_OPEN_CHECK
# How many left-out checks the terminal lists (verdicts.json and summary.md list all).
LEFT_OUT_SHOWN = 10
CLAUSE_LABEL = views.CLAUSE_LABEL
SEVERITY = {"blocker": "blocker", "critical": "critical", "normal": "normal",
            "minor": "minor", "trivial": "trivial"}  # fmt: skip


class CheckFailed(AssertionError):
    """A FAIL verdict (Allure shows assertion errors as failed)."""


class CheckBroken(Exception):
    """A BROKEN verdict (Allure shows other exceptions as broken)."""


@dataclass
class Outcome:
    """What a check came to, after waivers and known-open declarations."""

    spec: Spec
    clause: str
    check_id: str
    title: str
    verdict: Verdict
    status: Status
    note: str = ""
    rule: str | None = None  # what the check requires, in its kind's words

    @property
    def key(self) -> CheckKey:
        return (self.spec.path, self.clause, self.check_id)


@dataclass
class Options:
    mode: str = "gate"
    migration: Path | None = None
    # Who applies the migration instead of the spec's build.runs_as (gate --runs-as).
    runs_as: MigrationRole | None = None
    before: Path | None = None
    waivers: Path | None = None
    target: TargetSettings = field(default_factory=TargetSettings)
    today: dt.date = field(default_factory=lambda: dt.datetime.now(dt.UTC).date())


def server_note(spec: Spec, server: Server) -> str | None:
    """What the report says when the server's major is not the law's production major."""
    wanted = spec.server
    if wanted is None or not server.version_num:
        return None
    running = server.version.split(" on ")[0]
    if server.version_num // 10000 == wanted.major:
        return None
    return (
        f"{spec.path.name} ran on {running}; the law's production server is "
        f"{wanted.describe()}: a verdict on another major is weaker evidence"
    )


class Engine:
    """Runs phases on demand and keeps every outcome for the summary and the exit code.

    Registered as a plugin for the run when clausegate's mode is set (as pytest's junitxml
    registers its LogXML), with itself in the config's stash under ENGINE_KEY: its hooks
    collect the spec files and print the verdict per clause.
    """

    def __init__(self, options: Options, say: Callable[[str], None] = print) -> None:
        self.options = options
        # Where a line for the user goes while the run goes on (the terminal).
        self.say = say
        self.outcomes: list[Outcome] = []
        self.runs: dict[Path, phase.PhaseRun] = {}
        self.errors: list[ClausegateError] = []
        self._stack = ExitStack()
        self._servers: dict[tuple[int | None, str | None], Server] = {}
        self._cache: dict[str, phase.BuildCache] = {}
        # Per server: the report's line on where the before states came from (phase.kept).
        self._state_notes: dict[tuple[int | None, str | None], str] = {}
        self._waivers = waivers.load(options.waivers) if options.waivers else []
        # What the run was to judge and what pytest did with it, for the checks left out.
        self.specs: dict[Path, Spec] = {}
        self.not_collected: dict[str, str] = {}  # where → the collection error
        self._items: dict[str, CheckKey] = {}  # node id → check, every item collected
        self._deselected: set[CheckKey] = set()
        self._ran: set[CheckKey] = set()  # items pytest reported on (setup, call)

    def server(self, spec: Spec) -> Server:
        """The server the spec runs on: --pg-version's major, else the spec's `server:`
        major, else the default; one server per major, started on first use."""
        key = _server_key(spec)
        if key not in self._servers:
            opened = open_server(self.options.target, spec_major=key[0], spec_version=key[1])
            kept = None
            if self.options.mode == "gate" and isinstance(opened, LocalServer):
                # Every spec of the run on this server: their states are built (or found
                # kept) together, before the first migration runs there.
                sharing = [s for s in self.specs.values() if _server_key(s) == key] or [spec]
                kept = phase.kept.seed(opened, sharing)
            server = self._stack.enter_context(opened)
            self._servers[key] = server
            if kept is not None:
                assert isinstance(server, LocalServer)
                built = self._cache.setdefault(server.label, {})
                self._state_notes[key] = phase.kept.prepare(server, kept, sharing, built)
        return self._servers[key]

    def phase_run(self, spec: Spec) -> phase.PhaseRun:
        """The spec's run, done once. Whatever goes wrong in it (a server that dies, a
        connection lost, a time-out outside a probe) makes every check of the spec BROKEN
        with the reason: a run that did not finish never yields a verdict of PASS."""
        if spec.path not in self.runs:
            try:
                self.runs[spec.path] = self._run(spec)
            except KeyboardInterrupt:
                raise
            except Exception as exc:
                reason = " ".join(str(exc).split()) or type(exc).__name__
                if isinstance(exc, psycopg.Error):
                    reason = f"the database connection failed: {type(exc).__name__}: {reason}"
                failed_run = phase.PhaseRun(
                    spec, self.options.mode, self.options.target.target, "", None
                )
                phase.all_broken(failed_run, f"the run stopped: {reason}")
                self.runs[spec.path] = failed_run
        return self.runs[spec.path]

    def _run(self, spec: Spec) -> phase.PhaseRun:
        server = self.server(spec)
        if self.options.mode == "verify":
            assert self.options.before is not None
            run = phase.verify(
                server,
                spec,
                before_file=self.options.before,
                migration=self.options.migration,
                say=self.say,
            )
        else:

            def drop_at_close(name: str) -> None:
                self._stack.callback(templates.drop_database, server, name)

            state_note = self._state_notes.get(_server_key(spec))
            run = phase.gate(
                server,
                spec,
                migration=self.options.migration,
                runs_as=self.options.runs_as,
                cache=self._cache.setdefault(server.label, {}),
                cleanup=drop_at_close,
                keep_states=state_note is not None,
            )
            if state_note is not None:
                run.notes.append(state_note)
        run.server_note = server_note(spec, server)
        return run

    def server_lines(self) -> list[str]:
        """Where the run happened: the target and the server's version, and where a spec
        names another major for its law's production server."""
        lines = [f"target: {s.label}; server: {s.version}" for s in self._servers.values()]
        notes = {run.server_note for run in self.runs.values() if run.server_note}
        return lines + sorted(notes)

    def close(self) -> None:
        self._stack.close()

    # --- pytest hooks ---------------------------------------------------------------

    def pytest_collect_file(
        self, file_path: Path, parent: pytest.Collector
    ) -> pytest.Collector | None:
        if file_path.suffix not in (".yaml", ".yml"):
            return None
        return SpecFile.from_parent(parent, path=file_path)

    def pytest_itemcollected(self, item: pytest.Item) -> None:
        if isinstance(item, CheckItem):
            self._items[item.nodeid] = item.key

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        self._deselected.update(item.key for item in items if isinstance(item, CheckItem))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.nodeid in self._items:
            self._ran.add(self._items[report.nodeid])

    @pytest.hookimpl(wrapper=True)
    def pytest_make_collect_report(
        self, collector: pytest.Collector
    ) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
        report = yield
        if report.failed and not isinstance(collector, pytest.Session):
            where = shown(collector.path)
            inside = collector.nodeid.partition("::")[2]
            where += f"::{inside}" if inside else ""
            lines = [line.strip() for line in report.longreprtext.splitlines()]
            self.not_collected[where] = "; ".join(filter(None, lines)) or "collection failed"
        return report

    @pytest.hookimpl(tryfirst=True)  # before junitxml writes junit.xml
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        from _pytest.junitxml import xml_key

        xml = session.config.stash.get(xml_key, None)
        if xml is None:
            return
        left_out = self.left_out()
        xml.add_global_property("clausegate_run", "PARTIAL" if left_out else "complete")
        for spec, fault, _count in self.faults():
            xml.add_global_property("clausegate_fault", f"{shown(spec.path)}: {fault}")
        for line in left_out:
            xml.add_global_property("clausegate_left_out", line)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        rows = self.clause_table()
        left_out = self.left_out()
        if not rows and not left_out:
            return
        terminalreporter.section("clausegate: verdict per clause")
        for line in [*self.server_lines(), *terminal.fault_lines(self.faults()),
                     *terminal.clause_lines(rows),
                     *terminal.known_open_lines(rows),
                     *terminal.left_out_lines(left_out, len(self.not_collected),
                                              LEFT_OUT_SHOWN)]:  # fmt: skip
            terminalreporter.write_line(line)

    def faults(self) -> list[tuple[Spec, str, int]]:
        """Each phase whose run stopped before judging: its spec, why, how many checks."""
        return [
            (run.spec, run.fault, len(run.verdicts))
            for run in self.runs.values()
            if run.fault is not None
        ]

    def plan(self, spec: Spec) -> None:
        """Note a spec whose checks the run is to judge, every one of them."""
        self.specs.setdefault(spec.path, spec)

    def left_out(self) -> list[str]:
        """One line per check of a planned spec that got no verdict, with why, then one
        per spec (or part of one) that failed to collect, with its error."""
        judged = {o.key for o in self.outcomes}
        collected = set(self._items.values())
        lines = []
        for path, spec in self.specs.items():
            for clause_id, check_id in planned_checks(spec):
                key = (path, clause_id, check_id)
                if key in judged:
                    continue
                if key in self._deselected:
                    why = "deselected"
                elif key in self._ran:
                    why = "got no verdict"
                elif key in collected:
                    why = "not run"
                else:
                    why = "not selected"
                lines.append(f"{shown(path)}: {clause_id} > {check_id}: {why}")
        lines += [f"{where}: not collected: {error}" for where, error in self.not_collected.items()]
        return lines

    def unjudged(self) -> int:
        """Checks pytest ran that the engine did not judge (never a PASS: the run is
        BROKEN); checks it never ran are left out, not unjudged."""
        return len(self._ran - {o.key for o in self.outcomes})

    def record(self, item: CheckItem, verdict: Verdict) -> Outcome:
        self.plan(item.spec)  # a spec with a verdict counts all its checks, run or not
        status, note = outcomes.final_status(
            verdict,
            spec_path=item.spec.path,
            clause=item.clause,
            check_id=item.check_id,
            waiver_list=self._waivers,
            today=self.options.today,
        )
        outcome = Outcome(
            item.spec, item.clause_id, item.check_id, item.title, verdict, status, note, item.rule
        )
        self.outcomes.append(outcome)
        return outcome

    def clause_table(self) -> list[terminal.ClauseRow]:
        """Every clause of every planned spec, in collection order: the verdicts of the
        checks that ran, out of all the clause's checks."""
        rows = []
        for path, spec in self.specs.items():
            implicit = {c.clause: c.title for c in checks.implicit_checks(spec)}
            planned: dict[str, int] = {}
            for clause_id, _check in planned_checks(spec):
                planned[clause_id] = planned.get(clause_id, 0) + 1
            for clause_id, total in planned.items():
                statuses = tuple(o.status for o in self.outcomes if o.key[:2] == (path, clause_id))
                title = implicit.get(clause_id) or spec.clause(clause_id).title
                rows.append(terminal.ClauseRow(spec, clause_id, title, statuses, total))
        return rows

    def write_results(self, report_dir: Path) -> None:
        """verdicts.json (every check, every clause, every phase run) and the snapshots of
        each run under evidence/: what reports, the evidence bundle and tests read back."""
        check_records = [
            outcomes.check_record(
                str(o.spec.path), o.spec, clause=o.clause, check_id=o.check_id, title=o.title,
                rule=o.rule, verdict=o.verdict, status=o.status, note=o.note,
            )
            for o in self.outcomes
        ]  # fmt: skip
        clauses = [
            records.ClauseRecord(spec=str(row.spec.path), clause=row.clause, title=row.title,
                                 status=row.status, passed=row.passed, total=row.total,
                                 left_out=row.left_out)
            for row in self.clause_table()
        ]  # fmt: skip
        runs = []
        stems = bundle.input_folders(str(path) for path in self.runs)
        for path, run in self.runs.items():
            stem = stems[str(path)]
            folder = report_dir / "evidence" / "snapshots" / stem
            folder.mkdir(parents=True, exist_ok=True)
            for name, taken in run.snapshots.items():
                snapshot.save(taken, folder / f"{name}.json")
            judging_record.write(
                report_dir / judging_record.FOLDER / f"{stem}.json", run, self.options.today
            )
            if run.server_log is not None:
                logs = report_dir / "evidence" / "server-log"
                logs.mkdir(parents=True, exist_ok=True)
                (logs / f"{stem}.log").write_text(run.server_log, encoding="utf-8")
            text = run.migration_text
            runs.append(records.RunRecord(
                spec=str(path), law=run.spec.law, phase=run.spec.phase,
                mode=run.mode, target=run.target, server_version=run.server_version,
                server_note=run.server_note, notes=tuple(run.notes),
                migration=str(run.migration) if run.migration else None,
                fault=run.fault, snapshots=tuple(sorted(run.snapshots)),
                steps=tuple(records.StepRecord(s.name, round(s.seconds, 3)) for s in run.steps),
                migration_sha256=text.sha256 if text else None,
                migration_read=records.migration_read(
                    text, run.evidence.foreign_tables if run.evidence else None
                ) if text else None,
            ))  # fmt: skip
        entries = [e.as_dict() for e in db.account()]
        writes = db.committed_writes(db.account())
        statement = _account_statement(self.options.mode, writes)
        transactions = {
            "entries": entries,
            "connections": sum(e["kind"] == "connection" for e in entries),
            "transactions": sum(e["kind"] != "connection" for e in entries),
            "committed_writes": [w.as_dict() for w in writes],
            "statement": statement,
        }
        account_file = report_dir / "evidence" / "transactions.json"
        account_file.parent.mkdir(parents=True, exist_ok=True)
        account_file.write_text(json.dumps(transactions, indent=2, sort_keys=True) + "\n")
        document = records.VerdictsDocument(
            checks=tuple(check_records), clauses=tuple(clauses), runs=tuple(runs),
            errors=tuple(str(e) for e in self.errors),
            transactions=statement, exit_code=self.exit_code(),
            left_out=tuple(self.left_out()),
        )  # fmt: skip
        records.write(report_dir / records.FILE, document)

    def exit_code(self) -> int:
        """By the verdicts: a run that left checks out exits as they make it (a FAIL is
        1), but a spec that failed to collect proves nothing, and makes it BROKEN."""
        statuses = (o.status for o in self.outcomes)
        return outcomes.exit_code(statuses, bool(self.errors or self.not_collected))


def _server_key(spec: Spec) -> tuple[int | None, str | None]:
    """Which server a spec runs on: its `server:` major and version (None: the default)."""
    wanted = spec.server
    return (wanted.major, wanted.version) if wanted else (None, None)


def _account_statement(mode: str, writes: list[db.Entry]) -> str:
    """What the account proves, in one sentence for the report."""
    if mode == "verify":
        if not writes:
            return "no transaction clausegate opened on the target committed a write"
        return f"{len(writes)} transaction(s) clausegate opened on the target may have written"
    # CREATE and DROP DATABASE run from the maintenance database; everything else a gate
    # commits goes to the throwaway databases it created.
    housekeeping = ("create database", "drop database")
    others = [
        w for w in writes if w.database not in templates.CREATED and w.purpose not in housekeeping
    ]
    if others:
        names = ", ".join(sorted({w.database for w in others}))
        return f"committed writes in databases clausegate did not create: {names}"
    return (
        "writes were committed only in the throwaway databases clausegate created "
        "(the before state and the migration); every probe was rolled back"
    )


ENGINE_KEY = pytest.StashKey[Engine]()

# A check of a run: its spec file, its clause id and its check id.
CheckKey = tuple[Path, str, str]


def planned_checks(spec: Spec) -> list[tuple[str, str]]:
    """(clause id, check id) of every check item the spec yields, in collection order:
    what SpecFile and ClauseNode collect, the known-open clause's own check included."""
    planned = []
    for clause in spec.clauses:
        planned += [(clause.id, c.id) for c in spec.checks if c.clause == clause.id]
        if clause.known_open is not None:
            planned.append((clause.id, KNOWN_OPEN_CHECK))
    planned += [(c.clause, c.clause) for c in checks.implicit_checks(spec)]
    return planned


def shown(path: Path) -> str:
    """A path as a reader gives it: relative to the working directory when below it."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def engine_of(config: pytest.Config) -> Engine:
    return config.stash[ENGINE_KEY]


class SpecFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item | pytest.Collector]:
        try:
            spec = load_spec(self.path)
        except ClausegateError as exc:
            raise self.CollectError(str(exc)) from None
        engine_of(self.config).plan(spec)
        for clause in spec.clauses:
            yield ClauseNode.from_parent(self, name=clause.id, spec=spec, clause=clause)
        for check in checks.implicit_checks(spec):
            yield ClauseNode.from_parent(
                self, name=check.clause, spec=spec, clause=None, implicit=check
            )


class ClauseNode(pytest.Collector):
    """A clause of the law, or the clause of an implicit check (closed world, inertness)."""

    def __init__(
        self, *, spec: Spec, clause: Clause | None, implicit: Check | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        self.clause = clause
        self.implicit = implicit

    def collect(self) -> Iterator[pytest.Item]:
        for check in (c for c in self.spec.checks if c.clause == self.name):
            yield CheckItem.from_parent(
                self, name=check.id, spec=self.spec, clause=self.clause, check=check
            )
        if self.implicit is not None:
            yield CheckItem.from_parent(
                self,
                name=self.name,
                spec=self.spec,
                clause=None,
                check=None,
                title=self.implicit.title,
                rule=checks.rule_of(self.implicit),
            )
        elif self.clause is not None and self.clause.known_open is not None:
            yield CheckItem.from_parent(
                self, name=KNOWN_OPEN_CHECK, spec=self.spec, clause=self.clause, check=None
            )


class CheckItem(pytest.Item):
    def __init__(
        self,
        *,
        spec: Spec,
        clause: Clause | None,
        check: Check | None,
        title: str = outcomes.KNOWN_OPEN_TITLE,
        rule: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        self.clause = clause
        self.check = check
        self.clause_id = clause.id if clause else self.name
        self.check_id = check.id if check else self.name
        self.title = check.title if check else title
        # What the check requires, in its kind's words: in the failure text and in Allure.
        self.rule = checks.rule_of(check) if check else rule
        self.key: CheckKey = (spec.path, self.clause_id, self.check_id)
        self._add_labels()

    def _add_labels(self) -> None:
        # The tree groups by story: the clause as a reader knows it, its id and its title;
        # `clause` keeps the bare id for the tools that read allure-results (views.py).
        clause_title = self.clause.title if self.clause is not None else self.title
        labels = [("epic", self.spec.law), ("feature", f"phase {self.spec.phase}"),
                  ("story", f"{self.clause_id}: {clause_title}"),
                  (CLAUSE_LABEL, self.clause_id)]  # fmt: skip
        if self.clause is not None:
            labels.append(("severity", SEVERITY[self.clause.impact]))
        if self.check is not None:
            labels.append(("tag", self.check.section))
        for label_type, value in labels:
            self.add_marker(pytest.mark.allure_label(value, label_type=label_type))

    def runtest(self) -> None:
        engine = engine_of(self.config)
        run = engine.phase_run(self.spec)
        if self.name == KNOWN_OPEN_CHECK:
            verdict = self._known_open_verdict(engine)
        else:
            verdict = run.verdicts[self.check_id]
        outcome = engine.record(self, verdict)
        self.user_properties.append(("verdict", outcome.status.value))
        _report_to_allure(self, run, outcome)
        if outcome.status is Status.PASS:
            return
        text = verdict.text() + (f"\n{outcome.note}" if outcome.note else "")
        if self.rule and run.fault is None:
            text += f"\nrule: {self.rule}"
        if outcome.status is Status.KNOWN_OPEN:
            pytest.xfail(f"KNOWN-OPEN {outcome.note}: {verdict.message}")
        if outcome.status is Status.WAIVED:
            pytest.skip(f"{outcome.status.value}: {outcome.note or verdict.message}")
        if outcome.status is Status.BROKEN:
            raise CheckBroken(text)
        raise CheckFailed(text)

    def _known_open_verdict(self, engine: Engine) -> Verdict:
        siblings = (
            o.status
            for o in engine.outcomes
            if o.spec.path == self.spec.path and o.clause == self.clause_id
        )
        return outcomes.known_open_verdict(self.clause_id, siblings)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CheckFailed | CheckBroken):
            return str(excinfo.value)
        if isinstance(excinfo.value, ClausegateError):
            return f"BROKEN: {excinfo.value}"
        return f"BROKEN: {type(excinfo.value).__name__}: {excinfo.value}"

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = self.check.line - 1 if self.check else None
        return self.path, line, f"{self.clause_id} > {self.check_id}"


def _report_to_allure(item: CheckItem, run: phase.PhaseRun, outcome: Outcome) -> None:
    try:
        import allure
    except ImportError:
        return
    title = item.check_id if item.title == item.check_id else f"{item.check_id}: {item.title}"
    allure.dynamic.title(title)  # type: ignore[no-untyped-call]
    allure.dynamic.parameter("target", run.target)
    allure.dynamic.parameter("mode", run.mode)
    described = [item.check.description] if item.check and item.check.description else []
    if item.rule:
        described.append(f"**Rule:** {item.rule}")
    if described:
        allure.dynamic.description("\n\n".join(described))  # type: ignore[no-untyped-call]
    for step in run.steps:
        with allure.step(f"{step.name} ({step.seconds:.2f} s)"):
            pass
    verdict = outcome.verdict
    for number, query in enumerate(verdict.sql, 1):
        allure.attach(query, name=f"SQL {number}", attachment_type=allure.attachment_type.TEXT)
    if verdict.evidence:
        allure.attach(
            "\n".join(verdict.evidence),
            name="evidence",
            attachment_type=allure.attachment_type.TEXT,
        )
    if verdict.observed is not None:
        from clausegate.checks.expect import show

        allure.attach(
            show(verdict.observed), name="observed", attachment_type=allure.attachment_type.JSON
        )
