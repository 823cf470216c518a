"""Bad input, as data: every case ends with the right exit code and a short message naming
the file (and line), and no Python traceback reaches the user.

Cases are tests/bad_input/*.yaml (the command, environment variables and files to set and
write first, what stderr or stdout must say) and every spec of tests/spec_files/bad/, run
through both `lint` and `gate`.
Placeholders: {tmp} (a fresh directory holding the case's files), {cases}
(tests/engine_cases), {dsn} (a live test database), {dsn_nodb} (a database that does not
exist), {password_dsn} (a role with a password, given the wrong one, over TCP).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from psycopg.conninfo import make_conninfo

from clausegate.targets import Server
from tests.cli import assert_no_traceback, clausegate
from tests.servers import password_server
from tests.test_spec_errors import expected_errors

HERE = Path(__file__).parent
CASES = HERE / "bad_input"
BAD_SPECS = sorted((HERE / "spec_files" / "bad").glob("*.yaml"))
WRONG_PASSWORD = "s3cret-wrong"


def load_case(path: Path) -> dict[str, Any]:
    case: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return case


@pytest.fixture(scope="module")
def password_dsn() -> Iterator[str]:
    """A server that asks role cg_pw for its password over TCP; the DSN gives a wrong one."""
    with password_server("cg_pw", "right-one", superuser=False) as server:
        yield make_conninfo(server.conninfo(), user="cg_pw", password=WRONG_PASSWORD)


def fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


@pytest.mark.parametrize("path", sorted(CASES.glob("*.yaml")), ids=lambda p: p.stem)
def test_bad_input(
    path: Path, tmp_path: Path, pg_server: Server, request: pytest.FixtureRequest
) -> None:
    case = load_case(path)
    for name, content in (case.get("files") or {}).items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
    for name, size in (case.get("generate") or {}).items():
        with (tmp_path / name).open("wb") as out:
            out.write(b"# filler\n" * (size // 9) + b"x" * (size % 9))
    values = {
        "tmp": str(tmp_path),
        "cases": str(HERE / "engine_cases"),
        "dsn": pg_server.conninfo(),
        "dsn_nodb": pg_server.conninfo("cg_no_such_database"),
    }
    if any("{password_dsn}" in arg for arg in case["args"]):
        values["password_dsn"] = request.getfixturevalue("password_dsn")
    env = {name: fill(str(value), values) for name, value in (case.get("env") or {}).items()}
    result = clausegate(*(fill(str(arg), values) for arg in case["args"]), env=env)
    assert_no_traceback(result)
    assert result.returncode == case["exit_code"], result.stdout[-2000:] + result.stderr
    for stream in ("stderr", "stdout"):
        for text in case.get(stream, []):
            assert fill(text, values) in getattr(result, stream), getattr(result, stream)[-2000:]
    if case["exit_code"] == 2:
        assert len(result.stderr.splitlines()) <= 5, "a usage error is a short message"
    for text in case.get("not_in_output", []):
        assert text not in result.stdout + result.stderr


@pytest.mark.parametrize("path", BAD_SPECS, ids=lambda p: p.stem)
@pytest.mark.parametrize("command", ["lint", "gate"])
def test_bad_spec_through_the_command(path: Path, command: str) -> None:
    result = clausegate(command, str(path))
    assert_no_traceback(result)
    assert result.returncode == 2, result.stdout + result.stderr
    for line in expected_errors(path):
        assert line in result.stderr


def test_the_corpus_has_at_least_30_cases() -> None:
    assert len(list(CASES.glob("*.yaml"))) + len(BAD_SPECS) >= 30
