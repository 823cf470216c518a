"""`clausegate evidence verify | sign | seal`: the Council's side of a run's bundle.

verify: exit 0 only when the bundle holds (files, completeness, signatures, trust, and
every verdict judged again from its evidence); 1 with each reason on its line; 2 when DIR
is not a bundle or an option is wrong. sign: the run's statement, or a ratification of it.
seal: the manifest written again after files were changed on purpose.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clausegate import environment
from clausegate.cli.common import command_line
from clausegate.errors import EXIT_FAIL, EXIT_OK, EXIT_USAGE, ClausegateError

if TYPE_CHECKING:
    from clausegate.report.keys import SigningKey

# The bundle, signing and verifying (cryptography, and the judges with all they import)
# are imported where they are used: every `clausegate` command loads this module.

SIGN_KEY_VARIABLE = environment.SIGN_KEY


def add_parsers(evidence: argparse.ArgumentParser) -> None:
    actions = evidence.add_subparsers(dest="action", metavar="ACTION", parser_class=type(evidence))
    actions.required = True
    verify = actions.add_parser(
        "verify",
        help="check a bundle offline: files, completeness, signatures, trust, and every "
        "verdict judged again; exit 0 verified, 1 not (each reason on a line), 2 not a bundle",
        description=(
            "Check a run folder's evidence bundle with no network and no database: every file "
            "against evidence/manifest.json (itself checked against its own hash), that the "
            "run left no check out, that every signature is valid over a statement describing "
            "the bundle as it is, that one is by a trusted key (with --trust), and that every "
            "check verdict, clause roll-up and the exit code follow from the bundle's own "
            "snapshots, probe results and spec. Exit 0 verified; 1 not, each reason on its "
            "line; 2 when DIR is not a bundle."
        ),
    )
    verify.add_argument("run_dir", metavar="DIR", help="a run folder, e.g. reports/latest")
    verify.add_argument(
        "--trust",
        action="append",
        default=[],
        metavar="PUBKEY",
        help="an OpenSSH public key file (id_ed25519.pub) or an allowed_signers-style list; "
        "at least one signature must be by one of its keys (repeatable)",
    )
    verify.add_argument(
        "--allow-partial",
        action="store_true",
        help="accept a run that left checks out (said in the output); it still cannot be ratified",
    )
    verify.add_argument(
        "--spec",
        action="append",
        default=[],
        metavar="SPEC",
        help="the Council's own copy of a spec the run judged against: each run's spec in the "
        "bundle must be one of these, byte for byte (repeatable)",
    )
    verify.add_argument(
        "--waivers",
        metavar="FILE",
        help="the Council's own copy of the waiver file the run was given: the bundle's must "
        "be it, byte for byte (without it, a bundle's waivers are listed by SHA-256)",
    )
    add_workspace_option(verify)
    verify.set_defaults(func=cmd_verify)

    sign = actions.add_parser(
        "sign",
        help="sign a bundle: the run's statement (if unsigned), else a ratification of it",
        description=(
            "Sign a run folder's bundle with an Ed25519 key in OpenSSH format. An unsigned "
            "bundle gets the run's statement (an in-toto Statement over every file, in a "
            "DSSE envelope); a signed one gets this key's ratification of that statement "
            "(--run adds a signature to the run's statement instead). Refuses a bundle whose "
            "files no longer match its manifest; a ratification also needs the bundle to "
            "verify in full (a partial run cannot be ratified)."
        ),
    )
    sign.add_argument("run_dir", metavar="DIR", help="a run folder")
    sign.add_argument(
        "--key",
        metavar="FILE",
        help=f"an OpenSSH Ed25519 private key (ssh-keygen -t ed25519) [env: {SIGN_KEY_VARIABLE}]",
    )
    sign.add_argument(
        "--run",
        action="store_true",
        help="sign the run's statement (a second operator), even when it is signed already",
    )
    add_workspace_option(sign)
    sign.set_defaults(func=cmd_sign)

    seal = actions.add_parser(
        "seal",
        help="write the manifest again after files of the bundle were changed on purpose",
        description=(
            "Seal a run folder again after its files were changed on purpose: the manifest "
            "lists them as they are now and records that it was re-sealed (when, by which "
            "command, which files changed); signatures that no longer hold are dropped. "
            "Re-sealing never makes an edited verdict verify: `evidence verify` judges "
            "every verdict again from the evidence."
        ),
    )
    seal.add_argument("run_dir", metavar="DIR", help="a run folder")
    seal.set_defaults(func=cmd_seal)


def add_workspace_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        help="your own copy of the checks/ folder of a workspace whose kinds the specs use "
        "(its files must be the ones the run used); clausegate never runs code from a bundle",
    )


def add_sign_option(parser: argparse.ArgumentParser) -> None:
    """`--sign-key` of gate and verify."""
    parser.add_argument(
        "--sign-key",
        metavar="FILE",
        help="sign the run's evidence with this OpenSSH Ed25519 private key "
        f"[env: {SIGN_KEY_VARIABLE}]",
    )


def signing_key(value: str | None) -> SigningKey | None:
    """The key of --sign-key / --key, else of CLAUSEGATE_SIGN_KEY; None when neither is set."""
    from clausegate.report import keys

    path = value or environment.sign_key()
    return keys.read_signing_key(Path(path)) if path else None


def _workspace(args: argparse.Namespace) -> Path | None:
    if not args.workspace:
        return None
    folder = Path(args.workspace)
    if (folder / "checks").is_dir() and not any(folder.glob("*.py")):
        folder = folder / "checks"
    if not folder.is_dir():
        raise ClausegateError(f"--workspace {args.workspace}: no such directory", EXIT_USAGE)
    return folder


# --- verify -----------------------------------------------------------------------------


def cmd_verify(args: argparse.Namespace) -> int:
    from clausegate.report import keys, verification
    from clausegate.report.bundle import printable

    run_dir = Path(args.run_dir)
    trusted = [key for path in args.trust for key in keys.read_trusted(Path(path))]
    found = verification.check_bundle(
        run_dir,
        trusted=trusted,
        allow_partial=args.allow_partial,
        workspace=_workspace(args),
        laws=[Path(p) for p in args.spec],
        waivers=Path(args.waivers) if args.waivers else None,
    )
    prog = "clausegate evidence verify"
    if found.reasons:  # the reasons alone on stdout, one a line, for a script to read
        for reason in found.reasons:
            print(printable(reason))
        unread = " (the files differ from the manifest: nothing else was read)"
        print(f"{prog}: {run_dir}: NOT VERIFIED: {len(found.reasons)} reason(s) above"
              f"{unread if found.files_differ else ''}", file=sys.stderr)  # fmt: skip
        return EXIT_FAIL
    for line in found.checked:
        print(f"ok: {printable(line)}")
    print(f"{prog}: {run_dir}: verified (run verdict {found.verdict})")
    return EXIT_OK


# --- sign -------------------------------------------------------------------------------


def cmd_sign(args: argparse.Namespace) -> int:
    from clausegate.report import attestation

    key = signing_key(args.key)
    if key is None:
        raise ClausegateError(f"no key: pass --key FILE or set {SIGN_KEY_VARIABLE}", EXIT_USAGE)
    run_dir = Path(args.run_dir)
    signed = (run_dir / attestation.RUN_FILE).exists()
    if signed and not args.run:
        print(f"clausegate: {ratify(run_dir, key, _workspace(args))}")
    else:
        print(f"clausegate: {sign_run(run_dir, key)}")
    return EXIT_OK


def sign_run(run_dir: Path, key: SigningKey) -> str:
    """Sign the run's statement; refused when the bundle's files differ from its manifest."""
    from clausegate.report import attestation, bundle, records, verification

    manifest = bundle.read_manifest(run_dir)
    problems = bundle.problems(run_dir, manifest)
    if problems:
        listed = "; ".join(p.line for p in problems[:5])
        raise ClausegateError(
            f"{run_dir}: its files no longer match its manifest ({listed}); not signing "
            "(`clausegate evidence seal` re-seals files changed on purpose)",
            EXIT_FAIL,
        )
    document = records.load(run_dir / records.FILE)
    predicate = verification.run_predicate(run_dir, manifest, document)
    subjects = verification.subjects_of(manifest)
    existing = run_dir / attestation.RUN_FILE
    if existing.exists():
        found = verification.check_bundle(run_dir, judge_again=False)
        if found.run is None:
            raise ClausegateError(
                f"{run_dir}: its run statement does not hold ({'; '.join(found.reasons)}); "
                "`clausegate evidence seal` drops it",
                EXIT_FAIL,
            )
    return attestation.sign_run(run_dir, key, subjects, predicate)


def ratify(run_dir: Path, key: SigningKey, workspace: Path | None) -> str:
    """Ratify the run's statement: only a bundle that verifies in full, and a complete run."""
    from clausegate.report import attestation, verification
    from clausegate.report.bundle import printable

    found = verification.check_bundle(run_dir, workspace=workspace)
    if found.reasons:
        listed = "\n".join(printable(r) for r in found.reasons)
        raise ClausegateError(
            f"{run_dir}: not ratifying: the bundle does not verify:\n{listed}", EXIT_FAIL
        )
    assert found.run is not None
    return attestation.ratify(run_dir, key, found.run, found.verdict)


# --- seal -------------------------------------------------------------------------------


def cmd_seal(args: argparse.Namespace) -> int:
    from clausegate.report import bundle

    run_dir = Path(args.run_dir)
    manifest = bundle.read_manifest(run_dir)
    problems = bundle.problems(run_dir, manifest)
    if not problems:
        print(f"clausegate: {run_dir}: intact; nothing to seal")
        return EXIT_OK
    for line in reseal(run_dir, manifest, [p.line for p in problems], command_line(args)):
        print(f"clausegate: {line}")
    return EXIT_OK


def reseal(
    run_dir: Path, manifest: dict[str, Any], changed: list[str], command: list[str]
) -> list[str]:
    """Seal the bundle again, recording when, by which command and what changed; drop the
    signatures that no longer hold. The lines to print."""
    from clausegate.report import bundle, verification
    from clausegate.report.bundle import RunFacts

    facts = RunFacts.from_manifest(manifest, run_dir / bundle.MANIFEST)
    again = {"at": bundle.now(), "command": list(bundle.redact_command(command)),
             "changed": changed}  # fmt: skip
    facts = dataclasses.replace(facts, regenerated=(*facts.regenerated, again))
    sealed = bundle.seal(run_dir, facts)
    lines = [f"evidence sealed again in {run_dir / bundle.MANIFEST} (sha256 {sealed}); "
             f"changed: {', '.join(changed) or 'nothing'}"]  # fmt: skip
    return lines + verification.drop_stale_signatures(run_dir)
