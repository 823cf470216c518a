"""The evidence bundle of a real run: intact, altered in any file, or not a bundle at all."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from clausegate import __version__, cli
from clausegate.errors import ClausegateError
from clausegate.report import bundle
from tests.cli import assert_no_traceback, clausegate
from tests.report_run import CASE, Run, copy_run


def verify(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`clausegate evidence verify FOLDER`, in process: (exit code, stdout + stderr)."""
    code = cli.main(["evidence", "verify", str(folder)])
    out = capsys.readouterr()
    return code, out.out + out.err


def flip_byte(path: Path, offset: int) -> bytes:
    """Change one byte of the file; returns the original content."""
    data = path.read_bytes()
    changed = bytearray(data)
    changed[offset] ^= 0x01
    path.write_bytes(bytes(changed))
    return data


def test_a_run_leaves_every_output(audit_run: Run) -> None:
    names = {p.name for p in audit_run.folder.iterdir()}
    assert {"allure-results", "junit.xml", "summary.md", "verdicts.json", "evidence"} <= names
    inputs = audit_run.folder / "evidence"
    for name in ("specs/phase1/phase1.yaml", "specs/phase1/phase1.sql",
                 "specs/phase2/phase2.yaml", "specs/phase2/phase2.sql",
                 "snapshots/phase2/before.json", "snapshots/phase2/after.json",
                 "snapshots/phase2/post-probes.json", "waivers/waivers.yaml"):  # fmt: skip
        assert (inputs / name).is_file(), name
    copy = inputs / "specs" / "phase2" / "phase2.yaml"
    assert copy.read_bytes() == (CASE / "specs" / "phase2.yaml").read_bytes()


def test_the_manifest_lists_every_file_and_the_run(audit_run: Run) -> None:
    manifest = json.loads((audit_run.folder / bundle.MANIFEST).read_text())
    on_disk = sorted(
        p.relative_to(audit_run.folder).as_posix()
        for p in audit_run.folder.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    )
    assert sorted(manifest["files"]) == on_disk
    for name, entry in manifest["files"].items():
        assert entry["sha256"] == bundle.sha256_file(audit_run.folder / name)
    run = manifest["run"]
    assert run["clausegate_version"] == __version__
    assert run["exit_code"] == 1
    assert run["command"][:2] == ["clausegate", "gate"]
    assert run["started"] <= run["ended"]
    assert run["server_versions"] and run["server_versions"][0].startswith("PostgreSQL")
    assert run["target"].startswith("dsn (")
    assert "allure-results/environment.properties" in manifest["files"]


def test_an_intact_bundle_verifies_also_through_a_latest_link(
    audit_run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert verify(audit_run.folder, capsys)[0] == 0
    latest = tmp_path / "latest"
    latest.symlink_to(audit_run.folder, target_is_directory=True)
    code, output = verify(latest, capsys)
    assert code == 0, output
    assert "verified (run verdict FAIL)" in output


def test_changing_any_byte_of_any_file_is_named(
    audit_run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy_run(audit_run, tmp_path / "run")
    for name in bundle.bundle_files(folder):
        path = folder / name
        if path.stat().st_size == 0:
            continue
        original = flip_byte(path, path.stat().st_size // 2)
        code, output = verify(folder, capsys)
        assert code == 1, name
        assert f"altered: {name}" in output.splitlines(), output
        path.write_bytes(original)
    assert verify(folder, capsys)[0] == 0


def test_deleting_any_file_is_named(
    audit_run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy_run(audit_run, tmp_path / "run")
    aside = tmp_path / "aside"
    for name in bundle.bundle_files(folder):
        (folder / name).rename(aside)
        code, output = verify(folder, capsys)
        assert code == 1, name
        assert output.splitlines()[0] == f"missing: {name}", output
        aside.rename(folder / name)


@pytest.mark.parametrize(
    "name", ["extra.txt", "allure-results/extra-result.json", "evidence/specs/phase2/extra.sql"]
)
def test_adding_a_file_is_named(
    name: str, audit_run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy_run(audit_run, tmp_path / "run")
    (folder / name).write_text("slipped in\n")
    code, output = verify(folder, capsys)
    assert code == 1
    assert f"added: {name}" in output.splitlines(), output


def test_any_byte_change_of_the_manifest_is_caught(audit_run: Run, tmp_path: Path) -> None:
    folder = copy_run(audit_run, tmp_path / "run")
    manifest = folder / bundle.MANIFEST
    size = manifest.stat().st_size
    # Every byte of the head and tail, and one in 41 between: JSON syntax, keys,
    # hashes, the run's facts and the self-hash all get hit.
    offsets = sorted({*range(120), *range(size - 120, size), *range(0, size, 41)})
    for offset in offsets:
        original = flip_byte(manifest, offset)
        with pytest.raises(ClausegateError) as caught:
            bundle.problems(folder, bundle.read_manifest(folder))
        assert caught.value.exit_code == 1, offset
        assert "evidence/manifest.json" in str(caught.value)
        manifest.write_bytes(original)


def test_a_reformatted_manifest_is_altered_too(
    audit_run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy_run(audit_run, tmp_path / "run")
    manifest = folder / bundle.MANIFEST
    manifest.write_text(json.dumps(json.loads(manifest.read_text()), indent=4))
    code, output = verify(folder, capsys)
    assert code == 1
    assert "altered: evidence/manifest.json" in output


def test_what_is_not_a_bundle_exits_2(audit_run: Run, tmp_path: Path) -> None:
    unsealed = copy_run(audit_run, tmp_path / "unsealed")
    (unsealed / bundle.MANIFEST).unlink()
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    for folder in (tmp_path / "nothing", unsealed, a_file, tmp_path):
        result = clausegate("evidence", "verify", str(folder))
        assert_no_traceback(result)
        assert result.returncode == 2, (folder, result.stderr)
        assert str(folder) in result.stderr


def test_the_cli_reports_alterations_in_a_subprocess(audit_run: Run, tmp_path: Path) -> None:
    folder = copy_run(audit_run, tmp_path / "run")
    with (folder / "junit.xml").open("a") as handle:
        handle.write(" ")
    result = clausegate("evidence", "verify", str(folder))
    assert_no_traceback(result)
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["altered: junit.xml"]
    assert "NOT VERIFIED: 1 reason(s)" in result.stderr


def test_the_command_line_keeps_no_password() -> None:
    words = ["clausegate", "gate", "x.yaml", "--dsn", "postgresql://alice:s3cret@db/app",
             "--dsn=host=db password=s3cret", "host=db password=s3cret"]  # fmt: skip
    redacted = bundle.redact_command(words)
    assert "s3cret" not in " ".join(redacted)
    assert redacted[:3] == ("clausegate", "gate", "x.yaml")
    assert redacted[4] == "postgresql://alice:***@db/app"


def test_symlinks_are_hashed_not_followed(tmp_path: Path) -> None:
    (tmp_path / "target.txt").write_text("a")
    os.symlink("target.txt", tmp_path / "link")
    assert bundle.sha256_file(tmp_path / "link") != bundle.sha256_file(tmp_path / "target.txt")
