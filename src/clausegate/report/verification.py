"""Whether a bundle can be trusted: what `clausegate evidence verify` and `sign` decide.

A bundle verifies when every file matches its manifest, the run is complete (or a partial
run is accepted and said so), every signature is valid over a Statement that describes the
bundle as it is, one is by a trusted key when keys are trusted, and every verdict follows
from the bundle's own evidence (rederive.py). Nothing here touches the network or a
database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clausegate.errors import EXIT_USAGE, ClausegateError
from clausegate.report import attestation, bundle, records, rederive, views
from clausegate.report.attestation import Envelope
from clausegate.report.keys import PublicKey
from clausegate.report.records import VerdictsDocument

MAX_LEFT_OUT_SHOWN = 5


@dataclass
class Verification:
    """What was found: the reasons the bundle does not verify (none: it does), and what
    was checked, in words."""

    reasons: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    run: Envelope | None = None  # the run's attestation, when it holds
    verdict: str = ""
    files_differ: bool = False  # the files differ from the manifest: nothing else was read

    @property
    def verified(self) -> bool:
        return not self.reasons


def run_verdict(document: VerdictsDocument) -> str:
    """The run's verdict in one word: PASS, FAIL or BROKEN, or PARTIAL (…) when it left
    checks out."""
    word = {0: "PASS", 1: "FAIL"}.get(document.exit_code, "BROKEN")
    left_out = document.left_out
    return f"PARTIAL ({word} of the checks run)" if left_out else word


def run_predicate(
    run_dir: Path, manifest: dict[str, Any], document: VerdictsDocument
) -> dict[str, Any]:
    """The run, as its attestation states it: what was judged, on what, and what came of
    it. The same bundle always gives the same predicate."""
    facts = manifest["run"]
    folders = bundle.input_folders(r.spec for r in document.runs)
    files = manifest["files"]

    def listed(path: str) -> str | None:
        entry = files.get(path)
        return str(entry["sha256"]) if isinstance(entry, dict) else None

    specs = []
    for run in document.runs:
        base = f"evidence/specs/{folders[run.spec]}"
        specs.append({
            "spec": run.spec,
            "spec_sha256": listed(f"{base}/{Path(run.spec).name}"),
            "migration": run.migration,
            "migration_sha256": run.migration_sha256,
            "mode": run.mode,
            "server_version": run.server_version,
        })  # fmt: skip
    return {
        "verdict": run_verdict(document),
        "exit_code": document.exit_code,
        "complete": not document.left_out,
        "left_out": list(document.left_out),
        "runs": specs,
        "clauses": [_clause(c) for c in document.clauses],
        "errors": list(document.errors),
        # The manifest's account of the run (command, times, target, servers, versions,
        # exit code, re-seals): signed, so that no one re-sealing the manifest alters it.
        "run": facts,
        "bundle_format": manifest["format"],
    }


def _clause(clause: records.ClauseRecord) -> dict[str, Any]:
    return {"spec": clause.spec, "clause": clause.clause, "status": clause.status.value,
            "passed": clause.passed, "total": clause.total,
            "left_out": clause.left_out}  # fmt: skip


def subjects_of(manifest: dict[str, Any]) -> dict[str, str]:
    """The run's attestation's subjects: every file the manifest lists, by SHA-256."""
    return {name: str(entry["sha256"]) for name, entry in manifest["files"].items()}


def check_bundle(
    run_dir: Path,
    *,
    trusted: Sequence[PublicKey] = (),
    allow_partial: bool = False,
    workspace: Path | None = None,
    judge_again: bool = True,
    laws: Sequence[Path] = (),
    waivers: Path | None = None,
) -> Verification:
    """Every reason `run_dir` does not verify; ClausegateError when it is not a bundle
    (exit 2) or its manifest cannot be read (exit 1)."""
    found = Verification()
    manifest = bundle.read_manifest(run_dir)
    problems = bundle.problems(run_dir, manifest)
    if problems:
        # Nothing else is read: a file that differs may be anything (a pipe, a link to a
        # device, a decoy), and no verdict of an altered bundle can stand.
        found.reasons += [p.line for p in problems]
        found.files_differ = True
        return found
    found.checked.append(
        f"files: {len(manifest['files'])} match {bundle.MANIFEST.as_posix()} "
        f"(format {manifest['format']}, sha256 {bundle.sha256_file(run_dir / bundle.MANIFEST)})"
    )
    try:
        _check_content(found, run_dir, manifest, trusted, allow_partial, workspace,
                       judge_again, laws, waivers)  # fmt: skip
    except ClausegateError as exc:
        if exc.exit_code == EXIT_USAGE:  # a --spec, --waivers or --trust file: the user's
            raise
        found.reasons.append(f"the bundle could not be checked: {exc}")
    except Exception as exc:  # a bundle is untrusted input: whatever it makes fail is said
        why = " ".join(str(exc).split())[:300]
        found.reasons.append(f"the bundle could not be checked: {type(exc).__name__}: {why}")
    return found


def _check_content(
    found: Verification,
    run_dir: Path,
    manifest: dict[str, Any],
    trusted: Sequence[PublicKey],
    allow_partial: bool,
    workspace: Path | None,
    judge_again: bool,
    laws: Sequence[Path],
    waivers: Path | None,
) -> None:
    """Everything but the files: verdicts.json, completeness, inputs, signatures, trust,
    the verdicts judged again and the views."""
    try:
        document = records.load(run_dir / records.FILE)
    except ClausegateError as exc:
        found.reasons.append(f"{records.FILE}: cannot be read: {exc}")
        return
    found.verdict = run_verdict(document)
    _completeness(found, document, allow_partial)
    _inputs(found, run_dir, document, laws)
    if waivers is not None:
        _same_waivers(found, run_dir, waivers)
    if manifest["run"].get("exit_code") != document.exit_code:
        found.reasons.append(
            f"the manifest's exit code {manifest['run'].get('exit_code')} is not verdicts.json's "
            f"{document.exit_code}"
        )
    _signatures(found, run_dir, manifest, document, trusted)
    if not judge_again:
        return
    days = _run_days(manifest)
    if days is None:
        found.reasons.append(f"{bundle.MANIFEST.as_posix()}: the run's start and end are not "
                             "times (YYYY-MM-DDTHH:MM:SSZ)")  # fmt: skip
        days = frozenset()
    differences = rederive.differences(run_dir, document, workspace, days)
    found.reasons += differences
    if not differences:
        found.checked.append(
            f"verdicts: {len(document.checks)} checks, {len(document.clauses)} clauses and "
            f"the exit code {document.exit_code} follow from the bundle's evidence"
        )
    _views(found, run_dir, manifest, document)


def _run_days(manifest: dict[str, Any]) -> frozenset[dt.date] | None:
    """The days the run judged on (UTC): from its start to its end; None when the manifest
    does not say."""
    facts = manifest["run"]
    try:
        first, last = (dt.date.fromisoformat(str(facts[k])[:10]) for k in ("started", "ended"))
    except (KeyError, ValueError):
        return None
    return frozenset(first + dt.timedelta(days=n) for n in range(min((last - first).days, 31) + 1))


def _views(
    found: Verification, run_dir: Path, manifest: dict[str, Any], document: VerdictsDocument
) -> None:
    try:
        facts = bundle.RunFacts.from_manifest(manifest)
    except ClausegateError as exc:
        found.reasons.append(str(exc))
        return
    differences = views.differences(run_dir, document, facts)
    found.reasons += differences
    if not differences:
        found.checked.append(
            "views: summary.md, assessment-results.json, junit.xml and allure-results/ say "
            "what verdicts.json says (report.html is Allure's rendering of allure-results/)"
        )


def _inputs(
    found: Verification, run_dir: Path, document: VerdictsDocument, laws: Sequence[Path]
) -> None:
    """What each run judged against (its spec, its migration), by SHA-256, for the Council
    to hold against its own copies; with `laws` (the Council's spec files), each run's
    spec must be one of them, byte for byte."""
    folders = bundle.input_folders(r.spec for r in document.runs)
    given: dict[str, dict[str, Path]] = {}  # name → sha256 → the Council's file
    for law in laws:
        given.setdefault(law.name, {})[_given_digest("--spec", law)] = law
    judged_names = {Path(run.spec).name for run in document.runs}
    for law in laws:
        if law.name not in judged_names:
            found.reasons.append(f"--spec {law}: no run of the bundle judged a spec of that name")
    waiver_files = sorted((run_dir / "evidence" / "waivers").glob("*"))
    for waiver_file in waiver_files:
        found.checked.append(
            f"input: waivers {waiver_file.name}: sha256 {bundle.sha256_file(waiver_file)}"
        )
    for run in document.runs:
        name = Path(run.spec).name
        copy = run_dir / "evidence" / "specs" / folders[run.spec] / name
        digest = bundle.sha256_file(copy) if copy.is_file() else "(no copy)"
        migration = f", migration sha256 {run.migration_sha256}" if run.migration_sha256 else ""
        found.checked.append(f"input: {run.spec}: spec sha256 {digest}{migration}")
        held = given.get(name, {}).get(digest)
        if laws and held is None:
            found.reasons.append(
                f"{run.spec}: the bundle's spec is not the one given with --spec "
                f"(sha256 {digest[:16]}…; given: "
                f"{', '.join(d[:16] + '…' for d in given.get(name, {})) or f'no {name}'})"
            )
        _ratified(found, run.spec, copy, held)


def _given_digest(flag: str, path: Path) -> str:
    """The SHA-256 of a file the Council gave (--spec, --waivers); a usage error unread."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise ClausegateError(f"{flag} {path}: cannot read: {exc.strerror}", EXIT_USAGE) from None


def _same_waivers(found: Verification, run_dir: Path, waivers: Path) -> None:
    """The bundle's waiver file is the Council's, byte for byte."""
    mine = _given_digest("--waivers", waivers)
    theirs = [bundle.sha256_file(p) for p in sorted((run_dir / "evidence" / "waivers").glob("*"))]
    if theirs != [mine]:
        found.reasons.append(
            f"evidence/waivers/: the bundle's waivers are not the file given with --waivers "
            f"(sha256 {', '.join(t[:16] + '…' for t in theirs) or 'none'}; given {mine[:16]}…)"
        )


def _ratified(found: Verification, spec: str, copy: Path, law: Path | None) -> None:
    """Each ratified body's file the spec names, by SHA-256; with the Council's own spec
    (`law`), the bundle's copy must be the file beside it: the reviewed text is part of
    the law, and a copy rewritten to the body the database has would pin nothing."""
    if not copy.is_file():
        return
    for source in bundle.ratified_files(copy):
        mine = bundle.sha256_file(copy.parent / source)
        found.checked.append(f"input: {spec}: ratified {source} sha256 {mine}")
        if law is None:
            continue
        reviewed = law.parent / source
        theirs = bundle.sha256_file(reviewed) if reviewed.is_file() else "(missing)"
        if theirs != mine:
            found.reasons.append(
                f"{spec}: the bundle's ratified body {source} is not the one beside the spec "
                f"given with --spec ({reviewed}: sha256 {theirs[:16]}…, the bundle's "
                f"{mine[:16]}…)"
            )


def _completeness(found: Verification, document: VerdictsDocument, allow_partial: bool) -> None:
    left_out = document.left_out
    if not left_out:
        found.checked.append("run: complete (no check was left out)")
        return
    shown = "; ".join(left_out[:MAX_LEFT_OUT_SHOWN])
    more = f"; and {len(left_out) - MAX_LEFT_OUT_SHOWN} more" if len(left_out) > 5 else ""
    line = f"the run is PARTIAL: {len(left_out)} left out ({shown}{more})"
    if allow_partial:
        found.checked.append(f"{line}; accepted by --allow-partial")
    else:
        found.reasons.append(f"{line}; --allow-partial accepts a partial run")


def _signatures(
    found: Verification,
    run_dir: Path,
    manifest: dict[str, Any],
    document: VerdictsDocument,
    trusted: Sequence[PublicKey],
) -> None:
    """Every envelope of the attestations folder: valid signatures over Statements that
    describe this bundle; and one by a trusted key, when keys are trusted."""
    envelopes, others = attestation.read_all(run_dir)
    found.reasons += [f"added: {name} (not a signature clausegate reads: {why})"
                      for name, why in others.items()]  # fmt: skip
    run = attestation.run_of(envelopes)
    holding: list[Envelope] = []  # the envelopes whose Statement holds for this bundle
    for envelope in envelopes:
        reasons = _statement_reasons(envelope, run, run_dir, manifest, document)
        for signature in envelope.signatures:
            if not signature.valid:
                reasons.append(
                    f"{envelope.path}: the signature by {signature.key.fingerprint} does not verify"
                )
        found.reasons += reasons
        if not reasons:
            holding.append(envelope)
            if envelope is run:
                found.run = run
    trusted_lines = {k.line for k in trusted}
    for envelope in holding:
        what = "run signed" if envelope is run else "ratified"
        signers = ", ".join(
            s.key.fingerprint + ("" if not trusted or s.key.line in trusted_lines else
                                 " (not a trusted key)")
            for s in envelope.signatures
        )  # fmt: skip
        found.checked.append(f"signature: {what} by {signers}")
    if not envelopes:
        found.checked.append("signatures: none (the bundle is not signed)")
    if trusted:
        _trust(found, envelopes, holding, trusted)


def _statement_reasons(
    envelope: Envelope,
    run: Envelope | None,
    run_dir: Path,
    manifest: dict[str, Any],
    document: VerdictsDocument,
) -> list[str]:
    if envelope.predicate_type == attestation.RUN_PREDICATE:
        if envelope.path != attestation.RUN_FILE.as_posix():
            return [f"{envelope.path}: a run statement belongs in {attestation.RUN_FILE}"]
        reasons = []
        signed, now = envelope.subjects(), subjects_of(manifest)
        if signed != now:
            changed = sorted(n for n in signed.keys() | now.keys() if signed.get(n) != now.get(n))
            reasons.append(
                f"{envelope.path}: the run's statement was signed over other files: "
                f"{len(changed)} differ ({', '.join(changed[:MAX_LEFT_OUT_SHOWN])}"
                f"{', …' if len(changed) > MAX_LEFT_OUT_SHOWN else ''})"
            )
        expected = run_predicate(run_dir, manifest, document)
        if envelope.predicate != expected:
            keys = sorted(
                k for k in envelope.predicate.keys() | expected.keys()
                if envelope.predicate.get(k) != expected.get(k)
            )  # fmt: skip
            reasons.append(
                f"{envelope.path}: the run's statement does not describe this bundle "
                f"({', '.join(keys)} differ)"
            )
        return reasons
    if envelope.predicate_type == attestation.RATIFICATION_PREDICATE:
        if run is None:
            return [f"{envelope.path}: a ratification, but the run's statement is missing"]
        if envelope.subjects() != {attestation.RUN_FILE.as_posix(): run.payload_sha256}:
            return [f"{envelope.path}: ratifies another run's statement than this bundle's"]
        said = envelope.predicate.get("run_verdict")
        if said != run_verdict(document):
            return [f"{envelope.path}: ratifies the verdict {said!r}, but the run's is "
                    f"{run_verdict(document)}"]  # fmt: skip
        return []
    return [f"{envelope.path}: a statement of type {envelope.predicate_type!r}, not one "
            "clausegate writes"]  # fmt: skip


def _trust(
    found: Verification,
    envelopes: Sequence[Envelope],
    holding: Sequence[Envelope],
    trusted: Sequence[PublicKey],
) -> None:
    lines = {k.line: k for k in trusted}
    by_trusted = [
        lines[s.key.line] for e in holding for s in e.signatures if s.valid and s.key.line in lines
    ]
    if by_trusted:
        names = ", ".join(dict.fromkeys(k.label for k in by_trusted))
        found.checked.append(f"trusted: signed by {names}")
        return
    if not envelopes:
        found.reasons.append(
            "the bundle is not signed (no evidence/attestations/); a trusted signature is required"
        )
        return
    signers = sorted({s.key.fingerprint for e in envelopes for s in e.signatures})
    found.reasons.append(
        f"no valid signature by a trusted key over this bundle (signed by {', '.join(signers)}; "
        f"trusted: {', '.join(k.fingerprint for k in trusted)})"
    )


def drop_stale_signatures(run_dir: Path) -> list[str]:
    """After a bundle was sealed again: remove each envelope whose Statement no longer
    describes it (or that is not one), and each ratification of a run statement removed;
    one line for each. Signatures that still hold stay."""
    manifest = bundle.read_manifest(run_dir)
    try:
        document = records.load(run_dir / records.FILE)
    except ClausegateError:
        document = None
    dropped: list[str] = []
    envelopes, others = attestation.read_all(run_dir)
    for name in others:
        (run_dir / name).unlink()
        dropped.append(f"dropped {name}: not a signature")
    run = attestation.run_of(envelopes)
    if run is not None and (
        document is None or _statement_reasons(run, None, run_dir, manifest, document)
    ):
        (run_dir / run.path).unlink()
        dropped.append(f"dropped the run's signature by {run.signers}: the files it signed "
                       "changed")  # fmt: skip
        run = None
    for envelope in envelopes:
        if envelope.predicate_type == attestation.RUN_PREDICATE:
            continue
        if document is None or _statement_reasons(envelope, run, run_dir, manifest, document):
            (run_dir / envelope.path).unlink()
            dropped.append(f"dropped the ratification by {envelope.signers}: the run it "
                           "ratified changed")  # fmt: skip
    return dropped
