"""The mutants of tests/mutants, each stored as its mutation alone, made whole.

tests/mutants/<phase>/NN_name.sql breaks the real migration of specs/dieu45/<phase>.yaml
(its build.migration). Its first line names the check (and that check's clause) the mutant
must break: `-- breaks: no-worker-gate-flip (WK-A)`. The comment lines after it, up to the
first line that is not one, are its header; one of them says how the rest of the file (its
body) is made into the migration the gate applies:

- `-- extends: the real migration`: the body's statements run after the real migration, so
  after its COMMIT, outside its transaction;
- `-- extends: the real migration, before its COMMIT`: they run inside the real migration's
  transaction (its SET LOCAL ROLE still in force), just before its last line, `COMMIT;`;
- `-- patch: the real migration`: the body is a unified diff of the real migration, its
  hunks as `diff -u` writes them (without the `---` and `+++` lines; a blank context line
  may be left empty, as the stored ones are, rather than hold one space). A hunk is placed
  by its text, not by the line numbers of its `@@` line: its context and removed lines must
  be found exactly once in the real migration, after the previous hunk. When they are not
  (the real migration changed under it), making the mutant whole fails and names the hunk.

The whole migration is the header, without the line naming the form, followed by the real
migration with the mutation made: what a full copy of the real migration with one change
would read. Other header lines (`-- runs as: superuser`, `-- server: own`) are read by
tests/test_mutants.py. `python -m tests.mutant_files OUT` (`make mutant-files`) writes every
mutant whole to OUT/<phase>/NN_name.sql.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from clausegate.checks.language import load_spec
from tests.cli import ROOT

MUTANTS = Path(__file__).parent / "mutants"
SPECS = ROOT / "specs" / "dieu45"
HEADER = re.compile(r"-- breaks: (?P<check>[A-Za-z0-9§._-]+) \((?P<clause>[^()]+)\)")
RUNS_AS = re.compile(r"-- runs as: (?P<role>\S+)")
OWN_SERVER = "-- server: own"

AFTER = "-- extends: the real migration"
BEFORE_COMMIT = "-- extends: the real migration, before its COMMIT"
PATCH = "-- patch: the real migration"
FORMS = (AFTER, BEFORE_COMMIT, PATCH)
COMMIT = "COMMIT;\n"
HUNK = re.compile(r"@@ -\d+(?:,(?P<old>\d+))? \+\d+(?:,(?P<new>\d+))? @@.*")


class MutantError(Exception):
    """A mutant that cannot be read or made whole; the message names the file and why."""


@dataclass(frozen=True)
class Mutant:
    path: Path
    spec: Path
    check: str
    clause: str
    form: str
    # The leading comment lines but the one naming the form, and the rest of the file.
    header: str
    body: str
    body_line: int  # the line of the file the body starts on
    runs_as: str | None = None
    own_server: bool = False

    @property
    def name(self) -> str:
        return f"{self.path.parent.name}/{self.path.stem}"

    def whole(self) -> str:
        """The migration the mutant stands for: the real one with the mutation made."""
        real = real_migration(self.spec)
        text = real.read_text(encoding="utf-8")
        if self.form == PATCH:
            return self.header + apply_patch(text, self.body, self.path, self.body_line, real)
        if not self.body.strip():
            raise MutantError(f"{self.path}: it extends {real} with nothing")
        if self.form == AFTER:
            return self.header + text + ("" if text.endswith("\n") else "\n") + self.body
        if not text.endswith("\n" + COMMIT):
            raise MutantError(f"{self.path}: {real} does not end with a line `COMMIT;`")
        return self.header + text[: -len(COMMIT)] + self.body + COMMIT

    def migration(self, folder: Path) -> Path:
        """The whole migration written to `folder`, under the mutant's file name."""
        whole = folder / self.path.name
        whole.write_text(self.whole(), encoding="utf-8")
        return whole


@cache
def real_migration(spec: Path) -> Path:
    return load_spec(spec).build.migration


def every_mutant_path() -> list[Path]:
    return sorted(MUTANTS.glob("*/*.sql"))


def read_mutant(path: Path) -> Mutant:
    """The mutant at tests/mutants/<phase>/NN_name.sql, gated by specs/dieu45/<phase>.yaml."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first = lines[0].rstrip("\n") if lines else ""
    match = HEADER.fullmatch(first)
    if not match:
        raise MutantError(
            f"{path}: the first line must read `-- breaks: CHECK (CLAUSE)`, not {first!r}"
        )
    end = 1
    while end < len(lines) and lines[end].startswith("--"):
        end += 1
    leading = [line.rstrip("\n") for line in lines[1:end]]
    named = [line for line in leading if line.startswith(("-- extends:", "-- patch:"))]
    # A file that names no form is refused, not gated as it is: statements without the
    # real migration would fail many a check, and could pass for a mutant that is caught.
    if len(named) != 1 or named[0] not in FORMS:
        raise MutantError(
            f"{path}: its header must say how it is made whole, in one line of these: "
            + ", ".join(f"`{form}`" for form in FORMS)
            + (f"; it says {named}" if named else "")
        )
    runs_as = next((m["role"] for m in map(RUNS_AS.fullmatch, leading) if m), None)
    return Mutant(
        path,
        SPECS / f"{path.parent.name}.yaml",
        match["check"],
        match["clause"],
        form=named[0],
        header="".join(line for line in lines[:end] if line.rstrip("\n") != named[0]),
        body="".join(lines[end:]),
        body_line=end + 1,
        runs_as=runs_as,
        own_server=OWN_SERVER in leading,
    )


@dataclass(frozen=True)
class Hunk:
    line: int  # of the mutant file, its `@@` line
    title: str
    old: list[str]
    new: list[str]


def parse_hunks(patch: str, path: Path, first_line: int) -> list[Hunk]:
    """The hunks of a unified diff, read strictly: each as long as its `@@` line says."""
    lines = patch.splitlines(keepends=True)
    hunks: list[Hunk] = []
    i = 0
    while i < len(lines):
        at = first_line + i
        title = lines[i].rstrip("\n")
        match = HUNK.fullmatch(title)
        if not match:
            raise MutantError(
                f"{path}:{at}: a hunk's `@@ -A,B +C,D @@` line expected, not {title!r}"
            )
        old_count = int(match["old"] or 1)
        new_count = int(match["new"] or 1)
        old: list[str] = []
        new: list[str] = []
        i += 1
        while len(old) < old_count or len(new) < new_count:
            if i == len(lines) or HUNK.fullmatch(lines[i].rstrip("\n")):
                break
            line = lines[i]
            # A blank context line is stored empty, not as one space: it is still a blank line.
            tag, text = (" ", line) if line == "\n" else (line[:1], line[1:])
            if tag not in " -+":
                raise MutantError(
                    f"{path}:{first_line + i}: {line!r} is not a line of a hunk "
                    "(' ', '-' or '+' first)"
                )
            if tag in " -":
                old.append(text)
            if tag in " +":
                new.append(text)
            i += 1
        if (len(old), len(new)) != (old_count, new_count):
            raise MutantError(
                f"{path}:{at}: the hunk {title!r} holds {len(old)} old and {len(new)} new "
                f"lines, not the {old_count} and {new_count} its `@@` line says"
            )
        hunks.append(Hunk(at, title, old, new))
    if not hunks:
        raise MutantError(f"{path}: its patch has no hunk")
    return hunks


def apply_patch(text: str, patch: str, path: Path, first_line: int, real: Path) -> str:
    """`text` with the hunks of `patch` applied; MutantError if any does not apply as it is."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    done = 0  # the lines of `text` already copied or replaced
    for hunk in parse_hunks(patch, path, first_line):
        size = len(hunk.old)
        places = [i for i in range(len(lines) - size + 1) if lines[i : i + size] == hunk.old]
        where = f"{path}:{hunk.line}: the hunk {hunk.title!r} does not apply to {real}"
        if not places:
            raise MutantError(f"{where}: its context and removed lines are not in it")
        if len(places) > 1:
            found = ", ".join(str(i + 1) for i in places)
            raise MutantError(f"{where}: its context and removed lines are at lines {found}")
        if places[0] < done:
            raise MutantError(f"{where}: it overlaps or precedes the hunk before it")
        out += lines[done : places[0]] + hunk.new
        done = places[0] + size
    return "".join(out + lines[done:])


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.mutant_files OUT", file=sys.stderr)
        return 2
    out = Path(argv[0])
    paths = every_mutant_path()
    try:
        wholes = {path: read_mutant(path).whole() for path in paths}
    except MutantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path, whole in wholes.items():
        target = out / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(whole, encoding="utf-8")
    print(f"{len(wholes)} mutants written whole to {out}/<phase>/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
