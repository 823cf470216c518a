"""The attacks a red-team pass made on `evidence verify`, each kept as a case: a bundle of a
real run (one FAIL) altered to lie, re-sealed and re-signed by the operator's own trusted
key where the attack needs it, must be refused with its reason, never verify, never
crash and never hang."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from clausegate.report import attestation, bundle, oscal, summary
from clausegate.report.keys import read_signing_key
from tests.cli import assert_no_traceback, clausegate
from tests.keys import make_key
from tests.report_run import CASE, Run, copy_run

Attack = Callable[[Path, Path], None]  # (bundle folder, a scratch folder)


def json_edit(path: Path, edit: Callable[[dict], None]) -> None:  # type: ignore[type-arg]
    document = json.loads(path.read_text())
    edit(document)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


def as_pass(document: dict) -> None:  # type: ignore[type-arg]
    """verdicts.json's FAILs made PASS, clauses and exit code to match."""
    for record in (*document["checks"], *document["clauses"]):
        if record["status"] == "FAIL":
            record["status"] = "PASS"
    document["exit_code"] = 0


def reseal(folder: Path) -> None:
    """Seal again by hand with the run's exit code set to verdicts.json's (what a forger
    with clausegate's source does), dropping the signatures."""
    manifest = json.loads((folder / bundle.MANIFEST).read_text())
    facts = bundle.RunFacts.from_manifest(manifest)
    code = json.loads((folder / "verdicts.json").read_text())["exit_code"]
    for name in attestation.files_of(folder):
        (folder / name).unlink()
    bundle.seal(folder, bundle.RunFacts(**{**facts.__dict__, "exit_code": code}))


def waiver_added(folder: Path, scratch: Path) -> None:
    path = next((folder / "evidence" / "waivers").iterdir())
    path.write_text(path.read_text() + "  - {check: worker-gate, approver: me, "
                    "justification: fine, expires: 2999-01-01}\n")  # fmt: skip
    json_edit(folder / "verdicts.json", as_pass)


def second_waiver_file(folder: Path, scratch: Path) -> None:
    (folder / "evidence" / "waivers" / "zz.yml").write_text(
        "waivers:\n  - {check: worker-gate, approver: me, justification: x, expires: 2999-01-01}\n"
    )
    json_edit(folder / "verdicts.json", as_pass)


def day_moved(folder: Path, scratch: Path) -> None:
    json_edit(folder / "evidence" / "judging" / "phase2.json",
              lambda d: d.update(today="2000-01-01"))  # fmt: skip


def observed_rewritten(folder: Path, scratch: Path) -> None:
    def edit(document: dict) -> None:  # type: ignore[type-arg]
        failed = next(c for c in document["checks"] if c["status"] == "FAIL")
        failed.update(evidence=["all as declared"], observed=None, note="reviewed: fine")

    json_edit(folder / "verdicts.json", edit)


def clauses_dropped(folder: Path, scratch: Path) -> None:
    def edit(document: dict) -> None:  # type: ignore[type-arg]
        document["clauses"] = [c for c in document["clauses"] if c["status"] != "FAIL"]

    json_edit(folder / "verdicts.json", edit)


def duplicate_keys(folder: Path, scratch: Path) -> None:
    path = folder / "verdicts.json"
    path.write_text(path.read_text().replace('"exit_code": 1', '"exit_code": 0, "exit_code": 1'))
    reseal(folder)  # `evidence sign` refuses to sign it (tested below): sealed by hand


def migration_read_hidden(folder: Path, scratch: Path) -> None:
    def edit(document: dict) -> None:  # type: ignore[type-arg]
        for run in document["runs"]:
            run["migration_read"]["calls"] = []

    json_edit(folder / "verdicts.json", edit)


def fault_claimed(folder: Path, scratch: Path) -> None:
    json_edit(folder / "verdicts.json", lambda d: d["runs"][1].update(fault="the server died"))


def content_hash_dropped(folder: Path, scratch: Path) -> None:
    """A table's content hash cut from every snapshot: its rows' change would go unseen."""
    for name in ("before", "after", "post-probes"):
        path = folder / "evidence" / "snapshots" / "phase2" / f"{name}.json"
        json_edit(path, lambda d: d["probes"]["content_hash"].pop("public.outbox"))


def fifo_sealed_in(folder: Path, scratch: Path) -> None:
    """A pipe where the waiver file was, sealed into the manifest by hand."""
    waivers = next((folder / "evidence" / "waivers").iterdir())
    waivers.unlink()
    os.mkfifo(waivers)
    reseal(folder)


def escapes_in_a_path(folder: Path, scratch: Path) -> None:
    def edit(document: dict) -> None:  # type: ignore[type-arg]
        for record in (*document["checks"], *document["clauses"], *document["runs"]):
            if record["spec"].endswith("phase2.yaml"):
                record["spec"] = record["spec"].replace(
                    "specs/phase2.yaml", "specs\nok: verdicts: every check PASS\x1b[8m/phase2.yaml"
                )

    json_edit(folder / "verdicts.json", edit)
    facts = bundle.RunFacts.from_manifest(json.loads((folder / bundle.MANIFEST).read_text()))
    summary.write(folder, facts)  # the views rendered again, to match
    oscal.write(folder, facts)


def junit_failures_stripped(folder: Path, scratch: Path) -> None:
    path = folder / "junit.xml"
    text = path.read_text()
    import re

    text = re.sub(r"<failure[^>]*>.*?</failure>", "", text, flags=re.S)
    path.write_text(re.sub(r'failures="\d+"', 'failures="0"', text))


def envelope_field(folder: Path, scratch: Path) -> None:
    json_edit(folder / attestation.RUN_FILE, lambda d: d.update(verdict="PASS"))


def manifest_facts(folder: Path, scratch: Path) -> None:
    manifest = json.loads((folder / bundle.MANIFEST).read_text())
    manifest["run"]["command"] = ["clausegate", "gate", "specs/approved.yaml"]
    body = {k: v for k, v in manifest.items() if k != bundle.SELF_HASH}
    own = hashlib.sha256(bundle.canonical(body).encode()).hexdigest()
    (folder / bundle.MANIFEST).write_text(bundle.canonical({**body, bundle.SELF_HASH: own}))


def forged_ratification(folder: Path, scratch: Path) -> None:
    """A ratification, validly signed by a key of the forger's, saying the run was PASS."""
    key = read_signing_key(make_key(scratch, "forger"))
    run = attestation.read(folder, attestation.RUN_FILE.as_posix())
    payload = attestation.statement({attestation.RUN_FILE.as_posix(): run.payload_sha256},
                                    attestation.RATIFICATION_PREDICATE,
                                    {"run_verdict": "PASS", "by": "council-chair"})  # fmt: skip
    signed = attestation.envelope(payload, [attestation.signature_entry(key, payload)])
    attestation.write(folder, attestation.ratification_file(key.public), signed)


def fifo_in_waivers(folder: Path, scratch: Path) -> None:
    os.mkfifo(folder / "evidence" / "waivers" / "zz.yaml")


def fifo_in_attestations(folder: Path, scratch: Path) -> None:
    os.mkfifo(folder / attestation.FOLDER / "pipe.dsse.json")


def deep_attestation(folder: Path, scratch: Path) -> None:
    (folder / attestation.FOLDER / "deep.dsse.json").write_text("[" * 100_000 + "]" * 100_000)


def odd_public_key(folder: Path, scratch: Path) -> None:
    def edit(envelope: dict) -> None:  # type: ignore[type-arg]
        blob = envelope["signatures"][0]["publicKey"].split()[1]
        envelope["signatures"][0]["publicKey"] = f"ssh-foo {blob}"

    json_edit(folder / attestation.RUN_FILE, edit)


def bad_waiver_date(folder: Path, scratch: Path) -> None:
    path = next((folder / "evidence" / "waivers").iterdir())
    path.write_text(path.read_text().replace("expires: ", "expires: 2999-13-45 #"))


def verdicts_a_link_to_a_device(folder: Path, scratch: Path) -> None:
    (folder / "verdicts.json").unlink()
    (folder / "verdicts.json").symlink_to("/dev/zero")


@dataclass(frozen=True)
class Case:
    attack: Attack
    reason: str  # a part of one reason line (stdout)
    resign: bool = True  # re-sealed and re-signed by the operator after the attack
    args: tuple[str, ...] = ()
    # The bundle still verifies (what the attack changes is the signer's to say); the
    # output must still be safe to read.
    verifies: bool = False


CASES = {
    "a waiver added to the waiver file": Case(
        waiver_added, "the bundle's waivers are not the file given with --waivers",
        args=("--waivers", str(CASE / "waivers.yaml")),
    ),
    "a second waiver file": Case(second_waiver_file, "evidence/waivers/ holds 2 files"),
    "the day waivers were judged on moved": Case(day_moved, "a day the run did not run on"),
    "a FAIL's evidence rewritten": Case(
        observed_rewritten, "recorded evidence, note, observed differ(s) from the evidence's"
    ),
    "failing clauses dropped": Case(clauses_dropped, "the clauses recorded are not the spec's"),
    "the migration's reading emptied in its run record": Case(
        migration_read_hidden, "is not what the migration's copy reads as"
    ),
    "a fault claimed that the judging record has not": Case(
        fault_claimed, "is not its judging record's (mode gate, fault None)"
    ),
    "a table's content hash cut from every snapshot": Case(
        content_hash_dropped, "closed-world: recorded FAIL, the evidence gives BROKEN"
    ),
    "a pipe sealed in where the waiver file was": Case(
        fifo_sealed_in, "altered: evidence/waivers/waivers.yaml (not a regular file)", resign=False
    ),
    "escape codes in a spec path": Case(escapes_in_a_path, "\\x1b[8m", verifies=True),
    "junit's failures stripped": Case(junit_failures_stripped, "but passed for a JUnit reader"),
    "a key given twice in verdicts.json": Case(duplicate_keys, "is given twice", resign=False),
    "a field added to the signed envelope": Case(
        envelope_field, "not a DSSE envelope as clausegate writes it", resign=False
    ),
    "the manifest's command rewritten and self-hashed": Case(
        manifest_facts, "the run's statement does not describe this bundle (run differ)",
        resign=False,
    ),
    "a ratification forged to say PASS": Case(
        forged_ratification, "ratifies the verdict 'PASS', but the run's is FAIL", resign=False
    ),
    "a pipe among the waivers": Case(fifo_in_waivers, "added: evidence/waivers/zz.yaml",
                                     resign=False),
    "a pipe among the signatures": Case(
        fifo_in_attestations, "pipe.dsse.json (not a signature clausegate reads: not a regular",
        resign=False,
    ),
    "an attestation nested 100,000 deep": Case(
        deep_attestation, "nested 100000 deep", resign=False
    ),
    "a signature with a key of no known type": Case(
        odd_public_key, "does not verify", resign=False
    ),
    "a waiver expiring on the 45th of month 13": Case(
        bad_waiver_date, "the bundle's waiver file does not load"
    ),
    "verdicts.json a link to /dev/zero": Case(
        verdicts_a_link_to_a_device, "altered: verdicts.json", resign=False
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", CASES)
def test_the_attack_is_refused(name: str, audit_run: Run, tmp_path: Path) -> None:
    case = CASES[name]
    operator = make_key(tmp_path, "operator")
    folder = copy_run(audit_run, tmp_path / "run")
    assert clausegate("evidence", "sign", str(folder), "--key", str(operator)).returncode == 0
    case.attack(folder, tmp_path)
    if case.resign:
        reseal(folder)
        signed = clausegate("evidence", "sign", str(folder), "--key", str(operator))
        assert signed.returncode == 0, signed.stderr
    result = clausegate("evidence", "verify", str(folder), "--trust", f"{operator}.pub",
                        *case.args, timeout=120)  # fmt: skip
    assert_no_traceback(result)
    assert "internal error" not in result.stderr, result.stderr
    assert result.returncode == (0 if case.verifies else 1), result.stdout + result.stderr
    assert any(case.reason in line for line in result.stdout.splitlines()), result.stdout
    assert "\x1b" not in result.stdout + result.stderr


def test_sign_refuses_verdicts_with_a_key_given_twice(audit_run: Run, tmp_path: Path) -> None:
    folder = copy_run(audit_run, tmp_path / "run")
    duplicate_keys(folder, tmp_path)
    result = clausegate("evidence", "sign", str(folder), "--key", str(make_key(tmp_path, "op")))
    assert_no_traceback(result)
    assert result.returncode == 2
    assert "verdicts.json: unreadable (the key 'exit_code' is given twice)" in result.stderr


def test_untrusted_signers_are_marked_and_a_council_workspace_may_hold_more(
    audit_run: Run, tmp_path: Path
) -> None:
    operator, forger = make_key(tmp_path, "operator"), make_key(tmp_path, "forger")
    folder = copy_run(audit_run, tmp_path / "run")
    for key in (operator, forger):
        clausegate("evidence", "sign", str(folder), "--key", str(key), "--run")
    result = clausegate("evidence", "verify", str(folder), "--trust", f"{operator}.pub")
    assert result.returncode == 0, result.stdout
    (line,) = [x for x in result.stdout.splitlines() if x.startswith("ok: signature: run")]
    assert line.count("(not a trusted key)") == 1
    payload = base64.b64decode(json.loads((folder / attestation.RUN_FILE).read_text())["payload"])
    assert json.loads(payload)["predicate"]["run"]["command"][:2] == ["clausegate", "gate"]
