"""The Council's flow on a real run: sign, ratify, verify offline, and every way a bundle
is refused (issue 19): another key, no signature, a partial run, verdicts edited and
re-signed by the trusted key itself, a forger's signature, and code hidden in a bundle."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import generate_private_key

from clausegate.report import attestation, bundle
from clausegate.targets import Server
from tests.cli import ROOT, assert_no_traceback, clausegate
from tests.keys import make_key
from tests.report_run import CASE, Run, copy_run


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "keys"
    folder.mkdir()
    return {name: make_key(folder, name) for name in ("operator", "council", "forger")}


def pub(key: Path) -> str:
    return f"{key}.pub"


def verify(folder: Path, *extra: str) -> tuple[int, list[str], str]:
    result = clausegate("evidence", "verify", str(folder), *extra)
    assert_no_traceback(result)
    return result.returncode, result.stdout.splitlines(), result.stderr


def sign(folder: Path, key: Path, *extra: str) -> str:
    result = clausegate("evidence", "sign", str(folder), "--key", str(key), *extra)
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    return result.stdout


def signed_copy(audit_run: Run, tmp_path: Path, key: Path) -> Path:
    folder = copy_run(audit_run, tmp_path / "run")
    sign(folder, key)
    return folder


def edit_verdicts(folder: Path) -> None:
    """Every FAIL of verdicts.json made PASS, its clauses and exit code to match: what a
    forger wants the Council to ratify."""
    path = folder / "verdicts.json"
    document = json.loads(path.read_text())
    for record in (*document["checks"], *document["clauses"]):
        if record["status"] == "FAIL":
            record["status"] = "PASS"
    document["exit_code"] = 0
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


def seal(folder: Path) -> str:
    result = clausegate("evidence", "seal", str(folder))
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    return result.stdout


# --- a signed gate verifies ---------------------------------------------------------------


def test_a_gate_signed_with_a_key_verifies_against_its_public_key(
    pg_server: Server, tmp_path: Path, keys: dict[str, Path]
) -> None:
    folder = tmp_path / "run"
    result = clausegate(
        "gate", str(CASE / "specs"), "--waivers", str(CASE / "waivers.yaml"),
        "--target", "dsn", "--dsn", pg_server.conninfo(), "--report-dir", str(folder),
        "--no-html", env={"CLAUSEGATE_SIGN_KEY": str(keys["operator"])},
    )  # fmt: skip
    assert_no_traceback(result)
    assert result.returncode == 1, result.stderr  # the audit case has a FAIL: signed all the same
    assert "signed the run's statement as SHA256:" in result.stdout
    code, lines, _ = verify(folder, "--trust", pub(keys["operator"]))
    assert code == 0, lines
    assert any(line.startswith("ok: trusted: signed by SHA256:") for line in lines)
    elsewhere = clausegate("evidence", "verify", str(folder), cwd=tmp_path)  # summary.md too
    assert elsewhere.returncode == 0, elsewhere.stdout
    assert lines[-1].endswith("verified (run verdict FAIL)")
    envelope = json.loads((folder / attestation.RUN_FILE).read_text())
    assert envelope["payloadType"] == "application/vnd.in-toto+json"
    statement = attestation.read(folder, attestation.RUN_FILE.as_posix()).statement
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    manifest = json.loads((folder / bundle.MANIFEST).read_text())
    assert {s["name"]: s["digest"]["sha256"] for s in statement["subject"]} == {
        name: entry["sha256"] for name, entry in manifest["files"].items()
    }
    predicate = statement["predicate"]
    assert (predicate["verdict"], predicate["exit_code"], predicate["complete"]) == (
        "FAIL",
        1,
        True,
    )
    assert [r["spec"].endswith(("phase1.yaml", "phase2.yaml")) for r in predicate["runs"]] == [
        True, True,
    ]  # fmt: skip
    assert all(r["migration_sha256"] for r in predicate["runs"])


def test_the_fingerprint_is_the_one_ssh_keygen_prints(keys: dict[str, Path]) -> None:
    keygen = shutil.which("ssh-keygen")
    if keygen is None:
        pytest.skip("ssh-keygen not installed")
    import subprocess

    printed = subprocess.run([keygen, "-lf", pub(keys["operator"])], capture_output=True,
                             text=True, check=True).stdout.split()[1]  # fmt: skip
    from clausegate.report.keys import read_trusted

    assert read_trusted(Path(pub(keys["operator"])))[0].fingerprint == printed


def test_a_key_made_by_ssh_keygen_signs(
    audit_run: Run, tmp_path: Path, keys: dict[str, Path]
) -> None:
    keygen = shutil.which("ssh-keygen")
    if keygen is None:
        pytest.skip("ssh-keygen not installed")
    import subprocess

    key = tmp_path / "id_ed25519"
    subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-C", "op@host", "-f", str(key)],
                   check=True)  # fmt: skip
    folder = signed_copy(audit_run, tmp_path, key)
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(f"# the Council's list\nop@host {Path(pub(key)).read_text().strip()}\n")
    code, lines, _ = verify(folder, "--trust", str(allowed))
    assert code == 0, lines
    assert any("(op@host)" in line for line in lines if line.startswith("ok: trusted"))


# --- refused, each with one line ----------------------------------------------------------


def test_a_bundle_signed_only_by_another_key_is_refused(
    audit_run: Run, tmp_path: Path, keys: dict[str, Path]
) -> None:
    folder = signed_copy(audit_run, tmp_path, keys["forger"])
    code, lines, stderr = verify(folder, "--trust", pub(keys["operator"]))
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith("no valid signature by a trusted key"), lines
    assert "NOT VERIFIED: 1 reason(s)" in stderr


def test_an_unsigned_bundle_is_refused_when_a_key_is_trusted(
    audit_run: Run, keys: dict[str, Path]
) -> None:
    code, lines, _ = verify(audit_run.folder, "--trust", pub(keys["operator"]))
    assert code == 1
    assert lines == [
        "the bundle is not signed (no evidence/attestations/); a trusted signature is required"
    ]
    assert verify(audit_run.folder)[0] == 0  # with no key trusted, unsigned is no reason


def test_verdicts_edited_and_re_signed_by_the_trusted_key_are_refused(
    audit_run: Run, tmp_path: Path, keys: dict[str, Path]
) -> None:
    folder = signed_copy(audit_run, tmp_path, keys["operator"])
    edit_verdicts(folder)
    sealed = seal(folder)
    assert "dropped the run's signature by SHA256:" in sealed
    sign(folder, keys["operator"])  # the operator's own key, over the edited verdicts
    code, lines, _ = verify(folder, "--trust", pub(keys["operator"]))
    assert code == 1
    assert any(
        line.endswith(": §2 > worker-gate: recorded PASS, the evidence gives FAIL "
                      '(worker-gate: gate demo.worker.enabled: "false" → "true")')
        for line in lines
    ), lines  # fmt: skip
    assert any(
        "clause §2: recorded PASS 8/9, the evidence gives FAIL 8/9" in line for line in lines
    )
    assert "the manifest's exit code 1 is not verdicts.json's 0" in lines
    manifest = json.loads((folder / bundle.MANIFEST).read_text())
    assert manifest["run"]["regenerated"][-1]["changed"] == ["altered: verdicts.json"]


def test_verdicts_edited_and_re_signed_by_a_forger_are_refused(
    audit_run: Run, tmp_path: Path, keys: dict[str, Path]
) -> None:
    folder = signed_copy(audit_run, tmp_path, keys["operator"])
    kept = (folder / attestation.RUN_FILE).read_bytes()
    edit_verdicts(folder)
    seal(folder)
    sign(folder, keys["forger"])
    code, lines, _ = verify(folder, "--trust", pub(keys["operator"]))
    assert code == 1
    assert any(line.startswith("no valid signature by a trusted key") for line in lines)
    assert any("recorded PASS, the evidence gives FAIL" in line for line in lines)
    # Putting the operator's signature back does not help: it was over other files.
    (folder / attestation.RUN_FILE).write_bytes(kept)
    code, lines, _ = verify(folder, "--trust", pub(keys["operator"]))
    assert code == 1
    assert any("the run's statement was signed over other files: 1 differ (verdicts.json)"
               in line for line in lines), lines  # fmt: skip


def test_a_signature_altered_by_one_byte_does_not_verify(
    audit_run: Run, tmp_path: Path, keys: dict[str, Path]
) -> None:
    folder = signed_copy(audit_run, tmp_path, keys["operator"])
    path = folder / attestation.RUN_FILE
    envelope = json.loads(path.read_text())
    sig = envelope["signatures"][0]["sig"]
    envelope["signatures"][0]["sig"] = ("B" if sig[0] == "A" else "A") + sig[1:]
    path.write_text(json.dumps(envelope))
    code, lines, _ = verify(folder)
    assert code == 1
    assert lines == [f"{attestation.RUN_FILE}: the signature by "
                     f"{envelope['signatures'][0]['keyid']} does not verify"]  # fmt: skip


def test_a_file_slipped_into_the_attestations_is_named(
    audit_run: Run, tmp_path: Path, keys: dict[str, Path]
) -> None:
    folder = signed_copy(audit_run, tmp_path, keys["operator"])
    (folder / attestation.FOLDER / "notes.txt").write_text("trust me\n")
    code, lines, _ = verify(folder)
    assert code == 1
    assert lines[0].startswith("added: evidence/attestations/notes.txt (not a signature")


def test_sign_refuses_a_bundle_whose_files_changed(
    audit_run: Run, tmp_path: Path, keys: dict[str, Path]
) -> None:
    folder = copy_run(audit_run, tmp_path / "run")
    edit_verdicts(folder)
    result = clausegate("evidence", "sign", str(folder), "--key", str(keys["operator"]))
    assert_no_traceback(result)
    assert result.returncode == 1
    assert "its files no longer match its manifest (altered: verdicts.json)" in result.stderr
    assert not (folder / attestation.FOLDER).exists()


# --- ratification -------------------------------------------------------------------------


def test_the_council_ratifies_and_is_trusted_for_it(
    audit_run: Run, tmp_path: Path, keys: dict[str, Path]
) -> None:
    folder = signed_copy(audit_run, tmp_path, keys["operator"])
    out = sign(folder, keys["council"])
    assert "ratified the run (verdict FAIL) as SHA256:" in out
    code, lines, _ = verify(folder, "--trust", pub(keys["council"]))
    assert code == 0, lines
    ratification = next(n for n in attestation.files_of(folder) if "ratification-" in n)
    statement = attestation.read(folder, ratification).statement
    run = attestation.read(folder, attestation.RUN_FILE.as_posix())
    assert statement["subject"] == [
        {"name": attestation.RUN_FILE.as_posix(), "digest": {"sha256": run.payload_sha256}}
    ]
    # A ratification carried over to another bundle ratifies nothing there.
    other = copy_run(audit_run, tmp_path / "other")
    with (other / "summary.md").open("a") as handle:
        handle.write("\nAll clear.\n")
    seal(other)
    sign(other, keys["forger"])
    shutil.copy(folder / ratification, other / ratification)
    code, lines, _ = verify(other, "--trust", pub(keys["council"]))
    assert code == 1
    assert f"{ratification}: ratifies another run's statement than this bundle's" in lines


def test_ratifying_a_bundle_that_does_not_verify_is_refused(
    audit_run: Run, tmp_path: Path, keys: dict[str, Path]
) -> None:
    folder = signed_copy(audit_run, tmp_path, keys["operator"])
    edit_verdicts(folder)
    seal(folder)
    sign(folder, keys["operator"])
    result = clausegate("evidence", "sign", str(folder), "--key", str(keys["council"]))
    assert_no_traceback(result)
    assert result.returncode == 1
    assert "not ratifying: the bundle does not verify" in result.stderr
    assert "recorded PASS, the evidence gives FAIL" in result.stderr
    assert not any("ratification-" in n for n in attestation.files_of(folder))


# --- keys ---------------------------------------------------------------------------------


def test_keys_that_are_not_ed25519_openssh_keys_are_one_line(
    audit_run: Run, tmp_path: Path
) -> None:
    rsa = tmp_path / "id_rsa"
    rsa.write_bytes(
        generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption(),
        )
    )  # fmt: skip
    pem = tmp_path / "key.pem"
    pem.write_text(
        "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI\n-----END PRIVATE KEY-----\n"
    )
    locked = make_key(tmp_path, "locked", passphrase=b"open sesame")
    cases = {
        rsa: "a rsa key; clausegate signs with Ed25519 keys only",
        pem: "not an OpenSSH private key",
        locked: "protected by a passphrase: set CLAUSEGATE_SIGN_KEY_PASSPHRASE",
        tmp_path / "absent": "cannot read the key",
    }
    folder = copy_run(audit_run, tmp_path / "run")
    for key, message in cases.items():
        result = clausegate("evidence", "sign", str(folder), "--key", str(key))
        assert_no_traceback(result)
        assert result.returncode == 2, (key, result.stderr)
        assert message in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr
    result = clausegate("evidence", "sign", str(folder), "--key", str(locked),
                        env={"CLAUSEGATE_SIGN_KEY_PASSPHRASE": "open sesame"})  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_a_trust_file_is_read_as_allowed_signers_is(audit_run: Run, tmp_path: Path) -> None:
    """A line that is no key line is named; options clausegate cannot honour are refused;
    a key of another type, or a key in a comment, is no trusted key."""
    key = Path(f"{make_key(tmp_path, 'operator')}.pub").read_text().split()[1]
    cases = {
        "# comment\nalice is trusted\n": "trust:2: not a public key line",
        f'op valid-before="19990101" ssh-ed25519 {key}\n': "trust:1: valid-before: clausegate has",
        f"op cert-authority ssh-ed25519 {key}\n": "trust:1: cert-authority: clausegate trusts",
        f'op namespaces="git" ssh-ed25519 {key}\n': 'trust:1: namespaces="git": this key is not',
        f"@cert-authority * ssh-ed25519 {key}\n": "trust:1: unknown option '*'",
        f"alice ssh-rsa AAAAB3NzaC1yc2E # ssh-ed25519 {key}\n": "trust: holds no Ed25519 public",
    }
    trust = tmp_path / "trust"
    for text, message in cases.items():
        trust.write_text(text)
        code, _, stderr = verify(audit_run.folder, "--trust", str(trust))
        assert code == 2, text
        assert f"{tmp_path}/{message}" in stderr, (text, stderr)
    trust.write_text(f'op namespaces="file,clausegate" ssh-ed25519 {key}\n')
    assert verify(audit_run.folder, "--trust", str(trust))[0] == 1  # read: unsigned bundle


# --- formats and code in bundles ----------------------------------------------------------


def reseal_by_hand(folder: Path, manifest: dict[str, object]) -> None:
    body = {k: v for k, v in manifest.items() if k != bundle.SELF_HASH}
    import hashlib

    own = hashlib.sha256(bundle.canonical(body).encode()).hexdigest()
    (folder / bundle.MANIFEST).write_text(bundle.canonical({**body, bundle.SELF_HASH: own}))


def test_an_unknown_bundle_format_is_refused_by_name(audit_run: Run, tmp_path: Path) -> None:
    folder = copy_run(audit_run, tmp_path / "run")
    manifest = json.loads((folder / bundle.MANIFEST).read_text())
    reseal_by_hand(folder, {**manifest, "format": "clausegate-evidence/9"})
    code, _, stderr = verify(folder)
    assert code == 1
    assert (
        "bundle format clausegate-evidence/9 is not one this clausegate reads (it reads "
        "clausegate-evidence/1 and clausegate-evidence/2)" in stderr
    )


def test_a_first_format_bundle_is_read_and_its_verdicts_said_unjudged(
    audit_run: Run, tmp_path: Path
) -> None:
    """A bundle as clausegate wrote it before format 2: no canonical_form in the manifest,
    no judging records."""
    folder = copy_run(audit_run, tmp_path / "run")
    shutil.rmtree(folder / "evidence" / "judging")
    manifest = json.loads((folder / bundle.MANIFEST).read_text())
    manifest.pop("canonical_form")
    manifest["format"] = bundle.FORMAT_1
    manifest["files"] = {k: v for k, v in manifest["files"].items() if "/judging/" not in k}
    reseal_by_hand(folder, manifest)
    code, lines, _ = verify(folder)
    assert code == 1
    assert lines and all("verdicts not judged again: evidence/judging/" in line for line in lines)
    assert len(lines) == 2  # one per phase run; the files themselves are intact


def test_the_manifest_names_its_hash_and_canonical_form(audit_run: Run) -> None:
    manifest = json.loads((audit_run.folder / bundle.MANIFEST).read_text())
    assert manifest["format"] == "clausegate-evidence/2"
    assert manifest["canonical_form"]["hash"].startswith("sha256")
    assert "keys sorted" in manifest["canonical_form"]["json"]


def test_workspace_kinds_are_never_run_from_a_bundle(pg_server: Server, tmp_path: Path) -> None:
    """phase2.yaml uses a kind of the workspace (checks/dieu45_gates.py): its verdicts are
    judged again only with the verifier's own copy of that folder, never with code found
    in the bundle, even code a forger sealed into it."""
    folder = tmp_path / "run"
    result = clausegate(
        "gate", str(ROOT / "specs" / "dieu45" / "phase2.yaml"), "--target", "dsn",
        "--dsn", pg_server.conninfo(), "--report-dir", str(folder), "--no-html",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert (folder / bundle.WORKSPACE / "phase2" / "dieu45_gates.py").is_file()
    code, lines, _ = verify(folder)
    assert code == 1
    assert (
        len(lines) == 1 and "pass your own copy of that checks/ folder with --workspace" in lines[0]
    )
    code, lines, _ = verify(folder, "--workspace", str(ROOT / "checks"))
    assert code == 0, lines
    changed = tmp_path / "checks"
    shutil.copytree(ROOT / "checks", changed)
    with (changed / "dieu45_gates.py").open("a") as handle:
        handle.write("\n# edited\n")
    code, lines, _ = verify(folder, "--workspace", str(changed))
    assert code == 1
    assert "dieu45_gates.py differ(s) from the bundle's copy" in lines[0]
    # A ratified body's copy rewritten (to the body the database has, say): --spec holds
    # it against the reviewed file beside the Council's spec.
    law = ROOT / "specs" / "dieu45" / "phase2.yaml"
    ratified = folder / "evidence" / "specs" / "phase2" / "ratified" / "phase2"
    kept = {p: p.read_bytes() for p in ratified.iterdir()}
    first = sorted(kept)[0]
    first.write_text(first.read_text() + "\n-- as the database has it\n")
    seal(folder)
    code, lines, _ = verify(folder, "--workspace", str(ROOT / "checks"), "--spec", str(law))
    assert code == 1
    assert any(f"the bundle's ratified body ratified/phase2/{first.name} is not the one "
               "beside the spec given with --spec" in line for line in lines), lines  # fmt: skip
    for path, data in kept.items():
        path.write_bytes(data)
    seal(folder)
    assert verify(folder, "--workspace", str(ROOT / "checks"), "--spec", str(law))[0] == 0
    # Code slipped beside the spec's copy and sealed in is never imported.
    marker = tmp_path / "ran"
    for where in ("evidence/specs/phase2/checks", "evidence/checks", "checks"):
        (folder / where).mkdir(parents=True, exist_ok=True)
        (folder / where / "evil.py").write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    seal(folder)
    verify(folder)
    verify(folder, "--workspace", str(ROOT / "checks"))
    assert not marker.exists()


def test_views_edited_to_read_pass_are_refused(
    audit_run: Run, tmp_path: Path, keys: dict[str, Path]
) -> None:
    """verdicts.json left alone, what readers open instead edited, re-sealed and re-signed
    by the trusted key: summary.md, assessment-results.json, junit.xml and allure-results."""
    folder = signed_copy(audit_run, tmp_path, keys["operator"])
    summary = folder / "summary.md"
    summary.write_text(summary.read_text().replace("| FAIL |", "| PASS |"))
    oscal = folder / "assessment-results.json"
    oscal.write_text(oscal.read_text().replace('"not-satisfied"', '"satisfied"'))
    junit = folder / "junit.xml"
    junit.write_text(junit.read_text().replace('value="FAIL"', 'value="PASS"'))
    for result in (folder / "allure-results").glob("*-result.json"):
        data = json.loads(result.read_text())
        if data["status"] == "failed":
            result.write_text(json.dumps({**data, "status": "passed"}))
    seal(folder)
    sign(folder, keys["operator"])
    code, lines, _ = verify(folder, "--trust", pub(keys["operator"]))
    assert code == 1
    assert [line.split(":")[0] for line in lines] == [
        "summary.md", "assessment-results.json", "junit.xml", "allure-results",
    ], lines  # fmt: skip
    assert (
        "§2 > worker-gate: says PASS (but failed for a JUnit reader), verdicts.json FAIL"
        in (lines[2])
    )
    assert "§2 > worker-gate: says passed, verdicts.json failed" in lines[3]


def test_the_council_holds_the_spec_against_its_own(
    audit_run: Run, tmp_path: Path, keys: dict[str, Path]
) -> None:
    """A trusted signer who edits the law itself (a failing check dropped from the spec's
    copy and from verdicts.json) makes verdicts that follow from the bundle: --spec, the
    Council's own copy, is what catches it."""
    folder = signed_copy(audit_run, tmp_path, keys["operator"])
    laws = [str(CASE / "specs" / "phase1.yaml"), str(CASE / "specs" / "phase2.yaml")]
    assert verify(folder, "--spec", laws[0], "--spec", laws[1])[0] == 0
    copy = folder / "evidence" / "specs" / "phase2" / "phase2.yaml"
    copy.write_text(copy.read_text() + "\n# amended\n")
    seal(folder)
    sign(folder, keys["operator"])
    code, lines, _ = verify(folder, "--spec", laws[0], "--spec", laws[1])
    assert code == 1
    named = [line for line in lines if "the bundle's spec is not the one given" in line]
    assert len(named) == 1 and "phase2.yaml: the bundle's spec" in named[0], lines
