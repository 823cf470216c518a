"""Bad specs, as data: each file in tests/spec_files/bad opens with the exact errors it must give.

A header line `# error: LINE:COLUMN: message` is one expected line of output; `{dir}`
stands for the file's directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clausegate import spec
from clausegate.checks import language
from clausegate.checks.language import load_spec
from tests.cli import assert_no_traceback, clausegate

HERE = Path(__file__).parent / "spec_files"
BAD = sorted((HERE / "bad").glob("*.yaml"))


def expected_errors(path: Path) -> list[str]:
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    return [
        f"{path}:{line.removeprefix('# error: ')}".replace("{dir}", str(path.parent))
        for line in lines
        if line.startswith("# error: ")
    ]


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_spec_gives_its_exact_errors(path: Path) -> None:
    expected = expected_errors(path)
    assert expected, f"{path} has no '# error:' header"
    with pytest.raises(spec.SpecError) as info:
        load_spec(path)
    assert str(info.value).splitlines() == expected
    assert info.value.exit_code == 2


def test_lint_exits_2_with_the_errors_on_stderr() -> None:
    path = HERE / "bad" / "unknown_key.yaml"
    result = clausegate("lint", str(path))
    assert result.returncode == 2
    assert result.stderr.splitlines() == expected_errors(path)
    assert_no_traceback(result)


def test_lint_accepts_a_good_spec() -> None:
    result = clausegate("lint", str(HERE / "good"))
    assert result.returncode == 0, result.stderr
    assert "minimal.yaml: ok (Test law, phase 1: 1 clauses, 3 checks)" in result.stdout


def test_good_spec_is_typed() -> None:
    loaded = load_spec(HERE / "good" / "minimal.yaml")
    assert [c.id for c in loaded.clauses] == ["§1"]
    assert [(c.section, c.id, c.line) for c in loaded.checks] == [
        ("regression", "tables", 15),
        ("forbidden", "no-extension", 20),
        ("refusals", "R1", 24),
    ]
    assert loaded.build.migration == HERE / "good" / "minimal.sql"
    assert loaded.config is not None and loaded.config.key == "key"


def _walk(node: object, path: str = "#") -> list[str]:
    """Paths of object schemas lacking additionalProperties: false or a property description."""
    faults: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            # A case's other keys are its check's placeholders, which lint checks by name.
            if node.get("additionalProperties") is not False and not path.endswith("/cases/items"):
                faults.append(f"{path}: additionalProperties is not false")
            for name, prop in node["properties"].items():
                if "description" not in prop:
                    faults.append(f"{path}.{name}: no description")
        for key, value in node.items():
            faults.extend(_walk(value, f"{path}/{key}"))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            faults.extend(_walk(value, f"{path}/{i}"))
    return faults


def test_schema_describes_every_property_and_allows_no_unknown_key() -> None:
    schema = language.schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert _walk(schema) == []


def test_gate_refuses_an_invalid_spec_with_exit_2_before_starting_anything() -> None:
    path = HERE / "bad" / "unknown_key.yaml"
    result = clausegate("gate", str(path))
    assert result.returncode == 2
    assert_no_traceback(result)
    assert expected_errors(path)[0] in result.stderr
    assert "test session starts" not in result.stdout


def test_lint_of_a_folder_skips_what_is_not_a_spec_saying_what_it_is(tmp_path: Path) -> None:
    import shutil

    from tests.report_run import CASE

    folder = tmp_path / "specs"
    shutil.copytree(CASE / "specs", folder)
    shutil.copy(CASE / "waivers.yaml", folder / "waivers.yaml")
    (folder / "compose.yaml").write_text("services: {}\n")
    result = clausegate("lint", str(folder))
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"clausegate: skipped {folder / 'compose.yaml'}: not a spec (it has none of law, phase, "
        "build, clauses; its keys: services)",
        f"clausegate: skipped {folder / 'waivers.yaml'}: a waiver file, not a spec (give it to "
        "gate or verify with --waivers)",
    ]
    assert result.stdout.count(": ok (") == 2
    # Named on its own, a file is a spec, and says what is wrong with it.
    alone = clausegate("lint", str(folder / "waivers.yaml"))
    assert alone.returncode == 2 and "missing 'law'" in alone.stderr
