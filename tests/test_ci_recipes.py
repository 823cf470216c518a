"""The CI recipes (ci/ and .pre-commit-hooks.yaml): each valid for its CI's own schema, each
shown in the README as it is, their clausegate commands real ones, and the pre-commit hook
run for real on a repository whose spec is good, then bad."""

from __future__ import annotations

import itertools
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.cli import ROOT, clausegate

CI = ROOT / "ci"
RECIPES = {
    "ci/github-actions.yml": "vendor.github-workflows",
    "ci/gitlab-ci.yml": "vendor.gitlab-ci",
}
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else name


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_a_ci_job_is_valid_for_its_ci_s_schema(name: str) -> None:
    result = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", RECIPES[name], str(ROOT / name)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_pre_commit_files_are_valid_for_pre_commit() -> None:
    for command, path in (
        ("validate-config", CI / "pre-commit-config.yaml"),
        ("validate-manifest", ROOT / ".pre-commit-hooks.yaml"),
    ):
        result = subprocess.run(
            [tool("pre-commit"), command, str(path)], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr


def readme_blocks() -> dict[str, str]:
    """The README's code blocks that open with a comment naming a recipe file."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```ya?ml\n(.*?)```", text, flags=re.DOTALL)
    return {m[1]: block for block in blocks if (m := re.match(r"# (\S+):", block))}


@pytest.mark.parametrize(
    "name", [*sorted(RECIPES), "ci/pre-commit-config.yaml", ".pre-commit-hooks.yaml"]
)
def test_the_readme_shows_each_recipe_as_it_is(name: str) -> None:
    shown = readme_blocks()
    assert name in shown, f"the README shows no block opening with `# {name}:`"
    assert shown[name] == (ROOT / name).read_text(encoding="utf-8")


def clausegate_commands(name: str) -> list[list[str]]:
    """Every clausegate command line a recipe runs, as words after `clausegate`."""
    document = yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))
    lines: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            lines.extend(value.splitlines())

    walk(document)
    return [
        shlex.split(line)[1:]
        for line in (line.strip() for line in lines)
        if line.startswith(".venv/bin/clausegate ")
    ]


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_a_ci_job_runs_real_clausegate_commands(name: str) -> None:
    commands = clausegate_commands(name)
    assert {words[0] for words in commands} == {"lint", "gate"}, commands
    for words in commands:
        if words[0] == "lint":
            result = clausegate(*words)
            assert result.returncode == 0, result.stdout + result.stderr
            continue
        # A gate of every phase is `make demo`'s run: here its options are checked.
        helped = clausegate(words[0], "--help")
        assert helped.returncode == 0, helped.stderr
        for before, word in itertools.pairwise(words):
            if word.startswith("--"):
                assert word in helped.stdout, f"{name}: gate has no option {word}"
            elif not before.startswith("--"):  # a spec or folder of them, not an option's value
                assert (ROOT / word).exists(), f"{name}: {word} does not exist"


def test_the_pre_commit_hook_lints_the_specs_before_a_commit(tmp_path: Path) -> None:
    """pre-commit runs the recipe's hook on a repository with this one's specs: it passes,
    then a spec with an error makes it fail, naming the file and line."""
    repo = tmp_path / "repo"
    for folder in ("specs", "fixtures", "checks"):
        shutil.copytree(ROOT / folder, repo / folder)
    shutil.copy(CI / "pre-commit-config.yaml", repo / ".pre-commit-config.yaml")
    (repo / ".venv").symlink_to(ROOT / ".venv")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
    }  # fmt: skip

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, check=False)

    assert run("git", "init", "-q").returncode == 0
    assert run("git", "add", "-A").returncode == 0
    good = run(tool("pre-commit"), "run", "--all-files")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "clausegate lint" in good.stdout and "Passed" in good.stdout, good.stdout

    spec = repo / "specs" / "dieu45" / "phase1.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("clause:", "clauze:", 1))
    assert run("git", "add", "-A").returncode == 0
    bad = run(tool("pre-commit"), "run", "--all-files")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "specs/dieu45/phase1.yaml:" in bad.stdout and "clauze" in bad.stdout, bad.stdout
