"""report.html: a single-file Allure 3 report of a run, generated offline.

Allure 3 is the npm package `allure`, pinned in package.json and installed with `npm ci`
next to `allurerc.mjs` (grouping, single file, categories). The report's history lives
next to the run folders, one file per set of specs, so the trend chart spans the runs
of the same specs. The analytics script Allure puts in its HTML is removed: the report
makes no request to any outside host.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from clausegate import environment
from clausegate.errors import ClausegateError

ALLURE_RC = "allurerc.mjs"
ALLURE_CLI = Path("node_modules") / "allure" / "cli.js"
GENERATE_TIMEOUT_S = 600
INSTALL_HINT = "install Node.js (>= 20), then run `npm ci` in the clausegate checkout (make does)"

# An external script (http://, https:// or protocol-relative //) and the inline analytics.
_OUTSIDE_SCRIPT = re.compile(
    r"""<script\b[^>]*\bsrc\s*=\s*["']?\s*(?:https?:)?//[^>]*>.*?</script\s*>\s*""",
    re.IGNORECASE | re.DOTALL,
)
_ANALYTICS = re.compile(
    r"<script\b[^>]*>(?:(?!</script).)*?\bgtag\((?:(?!</script).)*?</script\s*>\s*",
    re.IGNORECASE | re.DOTALL,
)
# The exception class allure-pytest puts before a message, at the start of a line.
_EXCEPTION_HEAD = re.compile(
    r"^(?:[\w.]+\.)?(?:CheckFailed|CheckBroken|Skipped|XFailed|Failed): ", re.MULTILINE
)
_SCRIPT_SOURCE = re.compile(
    r"""<script\b[^>]*\bsrc\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]*)""", re.IGNORECASE
)


def allure_home() -> tuple[str, Path]:
    """(node, folder holding allurerc.mjs and node_modules/allure); ClausegateError if absent."""
    node = shutil.which("node")
    if node is None:
        raise ClausegateError(f"Node.js not found; {INSTALL_HINT}")
    places = [
        environment.value(environment.ALLURE_HOME),
        Path.cwd(),
        Path(__file__).resolve().parents[3],
    ]
    for place in places:
        if place and (Path(place) / ALLURE_RC).is_file() and (Path(place) / ALLURE_CLI).is_file():
            return node, Path(place)
    raise ClausegateError(f"Allure 3 is not installed (no {ALLURE_CLI}); {INSTALL_HINT}")


def history_file(run_dir: Path, keys: Iterable[str]) -> Path:
    """The Allure history of a set of runs, each named by its spec and its migration's
    SHA-256: next to the run folders, one file per set."""
    key = hashlib.sha256("\n".join(sorted(set(keys))).encode("utf-8")).hexdigest()[:16]
    return run_dir.resolve().parent / "history" / f"{key}.jsonl"


def write_environment(run_dir: Path, values: Mapping[str, str]) -> None:
    """allure-results/environment.properties: what Allure shows as the environment."""
    lines = [f"{key}={_property(value)}" for key, value in values.items()]
    folder = run_dir / "allure-results"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "environment.properties").write_text("\n".join(lines) + "\n", encoding="utf-8")


def plain_messages(run_dir: Path) -> None:
    """Each result's message in the verdict's own words: allure-pytest heads it with the
    exception's class (`clausegate.pytest.engine.CheckFailed: …`, pytest's `Skipped: …`),
    which is no word of the audit."""
    for path in sorted((run_dir / "allure-results").glob("*-result.json")):
        result = json.loads(path.read_text(encoding="utf-8"))
        details = result.get("statusDetails") or {}
        message = details.get("message")
        plain = _EXCEPTION_HEAD.sub("", message) if isinstance(message, str) else message
        if plain == message:
            continue
        details["message"] = plain
        path.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


def _property(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n")


def generate(run_dir: Path, *, name: str, history: Path, append_history: bool) -> None:
    """Write run_dir/report.html from run_dir/allure-results; ClausegateError if it can't."""
    node, home = allure_home()
    history.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="clausegate-allure-") as scratch:
        output = Path(scratch) / "report"
        config = Path(scratch) / ALLURE_RC
        config.write_text(
            _config(home / ALLURE_RC, name, output, history, append_history), encoding="utf-8"
        )
        command = [node, str(home / ALLURE_CLI), "generate", "--config", str(config),
                   str((run_dir / "allure-results").resolve())]  # fmt: skip
        try:
            done = subprocess.run(command, cwd=scratch, capture_output=True, text=True,
                                  timeout=GENERATE_TIMEOUT_S, check=False)  # fmt: skip
        except subprocess.TimeoutExpired:
            raise ClausegateError(f"allure generate took over {GENERATE_TIMEOUT_S} s") from None
        index = output / "index.html"
        if done.returncode != 0 or not index.is_file():
            last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise ClausegateError(f"allure generate failed (exit {done.returncode}): {last[0]}")
        html = strip_outside_scripts(index.read_text(encoding="utf-8"))
    (run_dir / "report.html").write_text(html, encoding="utf-8")


def _config(base: Path, name: str, output: Path, history: Path, append: bool) -> str:
    """An Allure config for one run: the shared allurerc.mjs plus this run's paths."""
    run = {"name": name, "output": str(output), "historyPath": str(history),
           "appendHistory": append}  # fmt: skip
    return (
        f"import base from {json.dumps(base.as_uri())};\n"
        f"export default {{ ...base, ...{json.dumps(run)} }};\n"
    )


def strip_outside_scripts(html: str) -> str:
    """The HTML without scripts loaded from another host and without the analytics call."""
    stripped = _ANALYTICS.sub("", _OUTSIDE_SCRIPT.sub("", html))
    left = outside_script_sources(stripped)
    if left:
        raise ClausegateError(f"report.html would load an outside script: {left[0]}")
    return stripped


def outside_script_sources(html: str) -> list[str]:
    """The source of every <script> loaded from another host (http://, https://, //)."""
    return _SCRIPT_SOURCE.findall(html)
