"""Least privilege (issue 8, item 7): `verify` of phase3b as the role the README gives.

The role is created from the README's own SQL block, so the two cannot drift. As that
role, the before snapshot and `verify` of specs/dieu45/phase3b.yaml get the verdicts a
superuser gets; a role that lacks one of the grants gets BROKEN naming what it lacks,
never a PASS of a check it could not judge.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo

from clausegate import db, environment, phase
from clausegate.checks.language import load_spec
from clausegate.db import reference, templates
from clausegate.targets import Server
from tests.cli import ROOT, assert_no_traceback, clausegate

README = ROOT / "README.md"
SPEC = ROOT / "specs" / "dieu45" / "phase3b.yaml"
MIGRATION = ROOT / "fixtures" / "dieu45" / "053_phase3b.sql"
ROLE, DATABASE = "clausegate_verify", "directus"  # as the README's block names them


def readme_role_sql() -> list[str]:
    """The statements of the first ```sql block of the README's "Least privilege" section."""
    section = README.read_text("utf-8").split("\n### Least privilege", 1)[1]
    block = section.split("```sql\n", 1)[1].split("```", 1)[0]
    without_comments = re.sub(r"--[^\n]*", "", block)
    return [s.strip() for s in without_comments.split(";") if s.strip()]


@dataclass(frozen=True)
class Run:
    code: int
    output: str
    statuses: dict[str, str]
    messages: dict[str, str]


@pytest.fixture(scope="module")
def template(pg_server: Server) -> str:
    """The 052 state (before phase 3B), the template the gates cache on the test server."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(environment.REUSE_TEMPLATES, "1")
        return phase.before_template(pg_server, load_spec(SPEC), {}, lambda name: None)


@contextmanager
def copy_with_role(
    server: Server, template: str, statements: list[str] | None
) -> Iterator[tuple[str, str]]:
    """(owner conninfo, conninfo) of a copy of `template`; with `statements`, the role
    they create (renamed for this test) is made there and the conninfo logs in as it.
    The copy, then the role, are dropped on exit."""
    role = templates.unique_name("cg_verify")
    password = secrets.token_hex(12)
    with templates.database(server, "cg_least", template=template) as name:
        owner = server.conninfo(name)
        if statements is None:
            yield owner, owner
            return
        try:
            with db.connect(owner, purpose="test role") as conn:
                for statement in statements:
                    renamed = statement.replace(ROLE, role).replace(
                        f"DATABASE {DATABASE}", f"DATABASE {name}"
                    )
                    conn.execute(renamed.encode())
                conn.execute(
                    sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                        sql.Identifier(role), sql.Literal(password)
                    )
                )
            yield owner, make_conninfo(owner, user=role, password=password)
        finally:
            templates.drop_database(server, name)
            with db.connect(server.conninfo("postgres"), purpose="test role") as conn:
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def snapshot_apply_verify(owner: str, conninfo: str, tmp: Path) -> tuple[Run, str]:
    """What an operator does: before snapshot as `conninfo`, the migration as the owner,
    verify as `conninfo`. Returns the verify run and the snapshot's stderr."""
    before = tmp / "before.json"
    taken = clausegate("snapshot", "--dsn", conninfo, "--spec", str(SPEC), "-o", str(before))
    assert_no_traceback(taken)
    assert taken.returncode == 0, taken.stdout + taken.stderr
    reference.apply_sql_file(owner, MIGRATION)
    report = tmp / "run"
    result = clausegate("verify", str(SPEC), "--dsn", conninfo, "--before", str(before),
                        "--migration", str(MIGRATION), "--report-dir", str(report),
                        "--no-html")  # fmt: skip
    assert_no_traceback(result)
    checks = json.loads((report / "verdicts.json").read_text())["checks"]
    return Run(
        result.returncode,
        result.stdout + result.stderr,
        {c["check"]: c["status"] for c in checks},
        {c["check"]: c["message"] for c in checks},
    ), taken.stderr


@pytest.fixture(scope="module")
def as_superuser(pg_server: Server, template: str, tmp_path_factory: pytest.TempPathFactory) -> Run:
    with copy_with_role(pg_server, template, None) as (owner, conninfo):
        verified, _ = snapshot_apply_verify(owner, conninfo, tmp_path_factory.mktemp("su"))
    assert verified.code == 0, verified.output
    return verified


def test_the_readme_role_is_no_superuser_and_no_owner(pg_server: Server, template: str) -> None:
    with (
        copy_with_role(pg_server, template, readme_role_sql()) as (_, conninfo),
        db.connect(conninfo, purpose="test role") as conn,
    ):
        row = conn.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls,"
            " pg_has_role(current_user, 'workflow_admin', 'MEMBER')"
            " FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
    assert row == (False, False, False, False, False)


def test_verify_as_the_readme_role_gets_the_superuser_verdicts(
    pg_server: Server, template: str, as_superuser: Run, tmp_path: Path
) -> None:
    with copy_with_role(pg_server, template, readme_role_sql()) as (owner, conninfo):
        verified, warnings = snapshot_apply_verify(owner, conninfo, tmp_path)
    assert warnings == ""
    assert verified.code == 0, verified.output
    assert verified.statuses == as_superuser.statuses
    assert set(verified.statuses.values()) == {"PASS"}


# (a grant the README gives, the checks that must then be BROKEN, what their message names)
MISSING = {
    "sessions": (
        "GRANT pg_read_all_stats",
        {"no-worker", "closed-world", "inertness"},
        "may not see the sessions of other roles in pg_stat_activity (GRANT pg_read_all_stats",
    ),
    "sequences": (
        "GRANT SELECT ON ALL SEQUENCES",
        {"closed-world", "inertness"},
        "may not read the value of",
    ),
    "a probe's write": (
        "GRANT UPDATE (value) ON public.dot_config",
        {"gate-off-refused"},
        "lacks a privilege this refusal needs: ERROR 42501: permission denied for table dot_config",
    ),
}


@pytest.mark.parametrize("missing", sorted(MISSING))
def test_a_role_lacking_one_grant_is_broken_never_pass(
    missing: str, pg_server: Server, template: str, as_superuser: Run, tmp_path: Path
) -> None:
    grant, expected_broken, named = MISSING[missing]
    statements = [s for s in readme_role_sql() if not s.startswith(grant)]
    assert len(statements) == len(readme_role_sql()) - 1, f"the README no longer has {grant}"
    with copy_with_role(pg_server, template, statements) as (owner, conninfo):
        verified, _ = snapshot_apply_verify(owner, conninfo, tmp_path)
    assert verified.code == 3, verified.output
    broken = {check for check, status in verified.statuses.items() if status == "BROKEN"}
    assert broken == expected_broken, verified.output
    for check in expected_broken:
        assert named in verified.messages[check], verified.messages[check]
    others = {c: s for c, s in verified.statuses.items() if c not in expected_broken}
    assert others == {c: s for c, s in as_superuser.statuses.items() if c not in expected_broken}
