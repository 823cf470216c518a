"""Probes that advance a sequence (nextval() is never rolled back): inertness names the
probe that moved each sequence, tolerates a growth its probe declares under `advances:`,
never a setback; a waiver may name the built-in checks; a live verify withholds a probe that
would advance a sequence there unless the spec allows it (`live: true`), and says so first."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from clausegate import db
from clausegate.db import templates
from clausegate.targets import Server
from tests.cli import assert_no_traceback, clausegate

CASE = Path(__file__).parent / "advances_case"
PROOF = """
  - id: negative-refused
    clause: "§1"
    title: a negative amount is refused by the CHECK
    steps:
      - sql: INSERT INTO payments (amount) VALUES (-1)
        error: {sqlstate: "23514"}
"""
DECLARED = """    advances:
      - sequence: public.payments_id_seq
        reason: the INSERT takes its id before the CHECK refuses it
"""


def case(tmp_path: Path, proofs: str) -> Path:
    """The case folder with its spec's proofs replaced by `proofs`."""
    folder = tmp_path / "case"
    shutil.copytree(CASE, folder)
    spec = folder / "spec.yaml"
    text = spec.read_text()
    spec.write_text(text[: text.index("proofs:")] + "proofs:" + proofs)
    return spec


def gate(server: Server, spec: Path, *args: str) -> tuple[int, dict[str, dict[str, str]], str]:
    report = spec.parent / "run"
    result = clausegate(
        "gate", str(spec), "--target", "dsn", "--dsn", server.conninfo(),
        "--report-dir", str(report), "--no-html", *args,
    )  # fmt: skip
    assert_no_traceback(result)
    return result.returncode, checks_of(report), result.stdout + result.stderr


def checks_of(report: Path) -> dict[str, dict[str, str]]:
    document = json.loads((report / "verdicts.json").read_text())
    return {check["check"]: check for check in document["checks"]}


def evidence_of(check: dict[str, str]) -> str:
    return "\n".join([check["message"], *check.get("evidence", [])])


def test_an_undeclared_advance_fails_inertness_naming_the_probe(
    pg_server: Server, tmp_path: Path
) -> None:
    code, found, output = gate(pg_server, case(tmp_path, PROOF))
    assert code == 1, output
    inert = found["inertness"]
    assert inert["status"] == "FAIL", inert
    text = evidence_of(inert)
    assert "sequence value public.payments_id_seq" in text, text
    assert "advanced by proof negative-refused, which does not declare it" in text, text
    assert "`advances:`" in text, text
    assert found["negative-refused"]["status"] == "PASS"


def test_a_declared_advance_is_tolerated_with_its_reason(pg_server: Server, tmp_path: Path) -> None:
    code, found, output = gate(pg_server, case(tmp_path, PROOF + DECLARED))
    assert code == 0, output
    inert = found["inertness"]
    assert inert["status"] == "PASS", inert
    text = evidence_of(inert)
    assert "advanced by proof negative-refused (declared: the INSERT takes its id" in text, text


def test_a_declaration_covers_only_its_own_sequence(pg_server: Server, tmp_path: Path) -> None:
    proofs = (
        PROOF
        + DECLARED
        + (
            "  - id: ledger-note-required\n"
            '    clause: "§1"\n'
            "    title: a ledger row needs a note\n"
            "    steps:\n"
            "      - sql: INSERT INTO ledger (note) VALUES (NULL)\n"
            '        error: {sqlstate: "23502"}\n'
            "    advances:\n"
            "      - {sequence: public.payments_id_seq, reason: not the one it moves}\n"
        )
    )
    code, found, output = gate(pg_server, case(tmp_path, proofs))
    assert code == 1, output
    text = evidence_of(found["inertness"])
    assert "public.ledger_id_seq" in text, text
    assert "advanced by proof ledger-note-required, which does not declare it" in text, text
    # The declared one is still tolerated, and said so.
    assert "advanced by proof negative-refused (declared:" in text, text


def test_a_declared_probe_that_sets_its_sequence_back_fails(
    pg_server: Server, tmp_path: Path
) -> None:
    """The attacker's cover: declare the advance, then setval the sequence back (ids
    handed out again on a live database) — a setback is never growth."""
    proofs = (
        PROOF.replace(
            '        error: {sqlstate: "23514"}\n',
            '        error: {sqlstate: "23514"}\n'
            "      - sql: SELECT setval('public.payments_id_seq', 1)\n",
        )
        + DECLARED
    )
    code, found, output = gate(pg_server, case(tmp_path, proofs))
    assert code == 1, output
    inert = found["inertness"]
    assert inert["status"] == "FAIL", inert
    assert "public.payments_id_seq" in evidence_of(inert)


def test_a_waiver_may_name_the_inertness_check(pg_server: Server, tmp_path: Path) -> None:
    spec = case(tmp_path, PROOF)
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n  - {check: inertness, approver: Council, justification: ids are cheap,"
        " expires: 2999-01-01}\n"
    )
    code, found, output = gate(pg_server, spec, "--waivers", str(waivers))
    assert code == 0, output
    assert found["inertness"]["status"] == "WAIVED", found["inertness"]


def test_a_waiver_naming_a_near_miss_is_refused_with_the_right_id(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n  - {check: inert, approver: C, justification: j, expires: 2999-01-01}\n"
    )
    result = clausegate(
        "gate", str(CASE / "spec.yaml"), "--waivers", str(waivers), "--target", "nowhere"
    )
    assert_no_traceback(result)
    assert result.returncode == 2, result.stderr
    assert "names check 'inert'" in result.stderr and "did you mean 'inertness'?" in result.stderr


# --- on a live database -----------------------------------------------------------------------


@pytest.fixture
def live(pg_server: Server) -> Iterator[str]:
    """A database in the case's before state, its migration applied: its conninfo."""
    with templates.database(pg_server, "cg_advances") as name:
        conninfo = pg_server.conninfo(name)
        with db.connect(conninfo, purpose="test apply") as conn:
            conn.execute((CASE / "before.sql").read_bytes())
        yield conninfo


def verify(conninfo: str, spec: Path, before: Path) -> tuple[int, dict[str, dict[str, str]], str]:
    with db.connect(conninfo, purpose="test apply") as conn:
        conn.execute((CASE / "migration.sql").read_bytes())
    report = spec.parent / "run"
    result = clausegate("verify", str(spec), "--dsn", conninfo, "--before", str(before),
                        "--report-dir", str(report), "--no-html")  # fmt: skip
    assert_no_traceback(result)
    return result.returncode, checks_of(report), result.stdout + result.stderr


def sequence_at(conninfo: str) -> int:
    with db.connect(conninfo, purpose="test read") as conn:
        row = conn.execute("SELECT last_value FROM public.payments_id_seq").fetchone()
    assert row is not None
    return int(row[0])


def snapshot_before(conninfo: str, spec: Path) -> Path:
    before = spec.parent / "before.json"
    taken = clausegate("snapshot", "--dsn", conninfo, "--spec", str(spec), "-o", str(before))
    assert taken.returncode == 0, taken.stderr
    return before


@pytest.mark.parametrize(
    ("proofs", "reason"),
    [
        (PROOF, "it would advance public.payments_id_seq (an INSERT into payments)"),
        (PROOF + DECLARED, "does not allow it on a live database (`live: true`)"),
    ],
    ids=["undeclared", "declared-not-live"],
)
def test_verify_withholds_a_probe_that_would_advance_a_live_sequence(
    live: str, tmp_path: Path, proofs: str, reason: str
) -> None:
    spec = case(tmp_path, proofs)
    before = snapshot_before(live, spec)
    was = sequence_at(live)
    code, found, output = verify(live, spec, before)
    assert sequence_at(live) == was, "the probe ran on the live database"
    assert code == 3, output
    proof = found["negative-refused"]
    assert proof["status"] == "BROKEN", proof
    assert "not run" in proof["message"] and reason in proof["message"], proof["message"]
    assert found["inertness"]["status"] == "PASS", found["inertness"]


def test_verify_runs_a_probe_allowed_live_and_says_so_first(live: str, tmp_path: Path) -> None:
    spec = case(tmp_path, PROOF + DECLARED + "        live: true\n")
    before = snapshot_before(live, spec)
    was = sequence_at(live)
    code, found, output = verify(live, spec, before)
    assert code == 0, output
    assert (
        "clausegate verify: proof negative-refused will advance public.payments_id_seq on the "
        "live database (declared: the INSERT takes its id" in output
    ), output
    assert sequence_at(live) == was + 1
    assert found["negative-refused"]["status"] == "PASS"
    assert found["inertness"]["status"] == "PASS", found["inertness"]
    checked = clausegate("evidence", "verify", str(spec.parent / "run"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
