"""Signatures of a bundle: in-toto Statements in DSSE envelopes, signed with Ed25519.

`evidence/attestations/run.dsse.json` is the run's attestation: a Statement whose subjects
are the bundle's files (every file the manifest lists, by SHA-256) and whose predicate is
the run (specs, migrations, verdicts, server, clausegate version, complete or partial),
signed by whoever ran it (one signature or several). Each Council member who ratifies adds
`evidence/attestations/ratification-<fingerprint>.dsse.json`: a Statement of its own whose
subject is the run's Statement (the SHA-256 of its payload). The folder is not listed in
the manifest (it is written after it): every file in it must be one of these envelopes.

DSSE (github.com/secure-systems-lab/dsse): the signature is over the pre-authentication
encoding `DSSEv1 <len(type)> <type> <len(body)> <body>`; each signature carries the
signer's key id (its OpenSSH fingerprint) and, as `publicKey`, the key itself, so every
signature can be checked offline; trust is what `--trust` adds.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm

from clausegate import __version__
from clausegate.report import bundle, strict_json
from clausegate.report.keys import KEY_TYPE, PublicKey, SigningKey

FOLDER = Path("evidence") / "attestations"
RUN_FILE = FOLDER / "run.dsse.json"
PAYLOAD_TYPE = "application/vnd.in-toto+json"
STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
RUN_PREDICATE = "https://clausegate.dev/attestation/run/v1"
RATIFICATION_PREDICATE = "https://clausegate.dev/attestation/ratification/v1"
ENVELOPE_KEYS = {"payload", "payloadType", "signatures"}
STATEMENT_KEYS = {"_type", "subject", "predicateType", "predicate"}
SIGNATURE_KEYS = {"keyid", "publicKey", "sig"}


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE's pre-authentication encoding: what is signed."""
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload)


def canonical_bytes(document: Mapping[str, Any]) -> bytes:
    """The document in the canonical JSON form the manifest names, as UTF-8."""
    return bundle.canonical(document).encode("utf-8")


@dataclass(frozen=True)
class Signature:
    key: PublicKey
    valid: bool  # the signature verifies under its key, and the key is the one its id names


@dataclass(frozen=True)
class Envelope:
    """A DSSE envelope read from a file, its payload decoded."""

    path: str  # relative to the run folder
    payload: bytes
    statement: dict[str, Any]
    signatures: tuple[Signature, ...]
    raw: dict[str, Any]

    @property
    def payload_sha256(self) -> str:
        return hashlib.sha256(self.payload).hexdigest()

    @property
    def predicate_type(self) -> str:
        return str(self.statement.get("predicateType", ""))

    @property
    def predicate(self) -> dict[str, Any]:
        found = self.statement.get("predicate")
        return found if isinstance(found, dict) else {}

    @property
    def signers(self) -> str:
        """The fingerprints of its signers, as the messages list them."""
        return ", ".join(s.key.fingerprint for s in self.signatures)

    def subjects(self) -> dict[str, str]:
        """name → SHA-256 of each subject (entries without one left out)."""
        found = {}
        for subject in self.statement.get("subject") or []:
            if isinstance(subject, dict) and isinstance(subject.get("digest"), dict):
                found[str(subject.get("name"))] = str(subject["digest"].get("sha256"))
        return found


class NotAnEnvelope(ValueError):
    """A file of the attestations folder that is not a DSSE envelope clausegate reads."""


def statement(subjects: Mapping[str, str], predicate_type: str, predicate: Any) -> bytes:
    """An in-toto Statement, in canonical JSON."""
    return canonical_bytes({
        "_type": STATEMENT_TYPE,
        "subject": [{"name": n, "digest": {"sha256": d}} for n, d in sorted(subjects.items())],
        "predicateType": predicate_type,
        "predicate": predicate,
    })  # fmt: skip


def signature_entry(key: SigningKey, payload: bytes) -> dict[str, str]:
    sig = key.sign(pae(PAYLOAD_TYPE, payload))
    return {
        "keyid": key.public.fingerprint,
        "publicKey": key.public.line,
        "sig": base64.b64encode(sig).decode("ascii"),
    }


def envelope(payload: bytes, signatures: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "payload": base64.b64encode(payload).decode("ascii"),
        "payloadType": PAYLOAD_TYPE,
        "signatures": signatures,
    }


def write(run_dir: Path, relative: Path, document: Mapping[str, Any]) -> None:
    path = run_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(canonical_bytes(document))


def read(run_dir: Path, relative: str) -> Envelope:
    """An envelope and the validity of each of its signatures; NotAnEnvelope when the file
    is not one exactly as clausegate writes it (no other key, a canonical payload)."""
    try:
        raw = strict_json.read(run_dir / relative)
    except strict_json.BadJson as exc:
        raise NotAnEnvelope(str(exc)) from None
    if not isinstance(raw, dict) or set(raw) != ENVELOPE_KEYS:
        raise NotAnEnvelope(
            f"not a DSSE envelope as clausegate writes it ({', '.join(sorted(ENVELOPE_KEYS))})"
        )
    if raw["payloadType"] != PAYLOAD_TYPE:
        raise NotAnEnvelope(f"not a DSSE envelope of type {PAYLOAD_TYPE}")
    try:
        payload = base64.b64decode(str(raw["payload"]), validate=True)
        content = strict_json.loads(payload)
    except (binascii.Error, UnicodeDecodeError, strict_json.BadJson):
        raise NotAnEnvelope("its payload is not base64 of JSON") from None
    if not isinstance(content, dict) or content.get("_type") != STATEMENT_TYPE:
        raise NotAnEnvelope(f"its payload is not an in-toto Statement ({STATEMENT_TYPE})")
    if set(content) != STATEMENT_KEYS or canonical_bytes(content) != payload:
        raise NotAnEnvelope("its Statement is not in the form clausegate writes")
    entries = raw["signatures"]
    if not isinstance(entries, list) or not entries:
        raise NotAnEnvelope("it holds no signature")
    return Envelope(relative, payload, content, tuple(_signature(e, payload) for e in entries), raw)


def _signature(entry: Any, payload: bytes) -> Signature:
    unknown = Signature(PublicKey(f"{KEY_TYPE} ?"), valid=False)
    if not isinstance(entry, dict) or set(entry) != SIGNATURE_KEYS:
        return unknown
    words = str(entry["publicKey"]).split(" ")
    if len(words) != 2 or words[0] != KEY_TYPE:
        return unknown
    key = PublicKey(" ".join(words))
    try:
        signature = base64.b64decode(str(entry["sig"]), validate=True)
        fingerprint = key.fingerprint
        valid = fingerprint == entry["keyid"] and key.verifies(
            signature, pae(PAYLOAD_TYPE, payload)
        )
    except (binascii.Error, ValueError, IndexError, UnsupportedAlgorithm):
        return Signature(key, valid=False)
    return Signature(key, valid)


def read_all(run_dir: Path) -> tuple[list[Envelope], dict[str, str]]:
    """Every envelope of the attestations folder, and {file: why} of each file in it that
    is none."""
    envelopes: list[Envelope] = []
    others: dict[str, str] = {}
    for name in files_of(run_dir):
        try:
            envelopes.append(read(run_dir, name))
        except NotAnEnvelope as exc:
            others[name] = str(exc)
    return envelopes, others


def run_of(envelopes: list[Envelope]) -> Envelope | None:
    """The run's attestation among `envelopes`, if it is there."""
    return next((e for e in envelopes if e.path == RUN_FILE.as_posix()), None)


def files_of(run_dir: Path) -> list[str]:
    """The files of the attestations folder, relative to the run folder, sorted."""
    folder = run_dir / FOLDER
    if not folder.is_dir():
        return []
    found = (p for p in folder.rglob("*") if p.is_symlink() or not p.is_dir())
    return sorted(p.relative_to(run_dir).as_posix() for p in found)


def ratification_file(key: PublicKey) -> Path:
    safe = key.fingerprint.removeprefix("SHA256:").replace("/", "_").replace("+", "-")
    return FOLDER / f"ratification-{safe}.dsse.json"


def sign_run(
    run_dir: Path, key: SigningKey, subjects: Mapping[str, str], predicate: Mapping[str, Any]
) -> str:
    """Sign the run: a new attestation, or a signature added to the one there (whose
    Statement must be the same). Returns what was done, in words."""
    existing = run_dir / RUN_FILE
    if existing.exists():
        current = read(run_dir, RUN_FILE.as_posix())
        if any(s.key.line == key.public.line for s in current.signatures):
            return f"the run is already signed by {key.public.label}"
        signatures = [*current.raw["signatures"], signature_entry(key, current.payload)]
        write(run_dir, RUN_FILE, envelope(current.payload, signatures))
        return f"signed the run's statement as {key.public.label} (signature added)"
    payload = statement(subjects, RUN_PREDICATE, dict(predicate))
    write(run_dir, RUN_FILE, envelope(payload, [signature_entry(key, payload)]))
    return f"signed the run's statement as {key.public.label}"


def ratify(run_dir: Path, key: SigningKey, run: Envelope, verdict: str) -> str:
    """A ratification by `key` of the run's Statement."""
    predicate = {
        "run_verdict": verdict,
        "by": key.public.label,
        "at": bundle.now(),
        "clausegate_version": __version__,
    }
    payload = statement({RUN_FILE.as_posix(): run.payload_sha256}, RATIFICATION_PREDICATE,
                        predicate)  # fmt: skip
    write(
        run_dir, ratification_file(key.public), envelope(payload, [signature_entry(key, payload)])
    )
    return f"ratified the run (verdict {verdict}) as {key.public.label}"
