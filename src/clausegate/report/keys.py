"""Ed25519 keys in the OpenSSH formats operators already have (`ssh-keygen -t ed25519`).

A private key is read from an OpenSSH private key file (a passphrase, if it has one, from
CLAUSEGATE_SIGN_KEY_PASSPHRASE); a trusted public key from a `.pub` file or from an
allowed_signers-style list (`principals [options] ssh-ed25519 AAAA… [comment]`, as
`ssh-keygen -Y verify` reads it), one key per line. A key is named by its OpenSSH
fingerprint (`SHA256:…`, what `ssh-keygen -lf FILE` prints).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from clausegate import environment
from clausegate.errors import EXIT_USAGE, ClausegateError

KEY_TYPE = "ssh-ed25519"
PASSPHRASE_VARIABLE = environment.SIGN_KEY_PASSPHRASE
MAKE_ONE = "make one with `ssh-keygen -t ed25519 -f FILE`"


@dataclass(frozen=True)
class PublicKey:
    """An Ed25519 public key and what it is called (a comment or an allowed_signers
    principal; "" when it has none)."""

    line: str  # `ssh-ed25519 AAAA…`: the key as OpenSSH writes it, without a comment
    name: str = ""

    @property
    def fingerprint(self) -> str:
        try:
            blob = base64.b64decode(self.line.split()[1], validate=True)
        except (IndexError, ValueError):
            return "(no readable key)"
        digest = base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
        return f"SHA256:{digest}"

    @property
    def label(self) -> str:
        return f"{self.fingerprint} ({self.name})" if self.name else self.fingerprint

    def verifies(self, signature: bytes, message: bytes) -> bool:
        key = serialization.load_ssh_public_key(self.line.encode())
        if not isinstance(key, Ed25519PublicKey):
            return False
        try:
            key.verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class SigningKey:
    """An Ed25519 private key read from an OpenSSH private key file."""

    key: Ed25519PrivateKey
    public: PublicKey

    def sign(self, message: bytes) -> bytes:
        return self.key.sign(message)


def public_line(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    return raw.decode("ascii")


def read_signing_key(path: Path) -> SigningKey:
    """The Ed25519 key of an OpenSSH private key file; ClausegateError (exit 2) saying what
    is wrong and what to use instead."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ClausegateError(f"{path}: cannot read the key: {exc.strerror or exc}",
                              EXIT_USAGE) from None  # fmt: skip
    if b"BEGIN OPENSSH PRIVATE KEY" not in data:
        raise ClausegateError(
            f"{path}: not an OpenSSH private key (it must begin with "
            f"`-----BEGIN OPENSSH PRIVATE KEY-----`); {MAKE_ONE}",
            EXIT_USAGE,
        )
    passphrase = environment.sign_key_passphrase()
    try:
        key = serialization.load_ssh_private_key(
            data, password=passphrase.encode() if passphrase else None
        )
    except TypeError:
        raise ClausegateError(
            f"{path}: the key is protected by a passphrase: set {PASSPHRASE_VARIABLE}",
            EXIT_USAGE,
        ) from None
    except (ValueError, UnsupportedAlgorithm) as exc:
        wrong = "wrong passphrase in " + PASSPHRASE_VARIABLE if passphrase else str(exc)
        raise ClausegateError(f"{path}: cannot read the key: {wrong}", EXIT_USAGE) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ClausegateError(
            f"{path}: a {type(key).__name__.removesuffix('PrivateKey').lower()} key; "
            f"clausegate signs with Ed25519 keys only: {MAKE_ONE}",
            EXIT_USAGE,
        )
    return SigningKey(key, PublicKey(public_line(key.public_key()), _comment_of(path)))


def _comment_of(private_key: Path) -> str:
    """The comment of the key's `.pub` beside it (`user@host`), if there is one."""
    try:
        words = Path(f"{private_key}.pub").read_text("utf-8").split()
    except (OSError, UnicodeDecodeError):
        return ""
    return " ".join(words[2:]) if len(words) > 2 and words[0] == KEY_TYPE else ""


# The key types of OpenSSH: a field that is one of them is a key's type, not options.
KEY_TYPES = (
    "ssh-ed25519", "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
)  # fmt: skip


NOT_A_KEY_LINE = (
    "not a public key line (expected `ssh-ed25519 AAAA…`, as in a .pub file, or "
    "`principal ssh-ed25519 AAAA…` as in allowed_signers)"
)


@dataclass(frozen=True)
class TrustedLine:
    """One line of a trust file, read as `ssh-keygen -Y verify` reads allowed_signers:
    `principals [options] keytype key [comment]`, or a .pub file's `keytype key [comment]`."""

    key: PublicKey | None  # None: a key of another type, which signs nothing here
    why_not: str = ""


def read_trusted(path: Path) -> list[PublicKey]:
    """The Ed25519 keys of a `.pub` file or an allowed_signers list; ClausegateError (exit 2)
    naming the file and line of anything that is not a key line, or a key line whose
    options clausegate cannot honour (cert-authority, a validity window, namespaces that
    leave clausegate out). Keys of other types are skipped: they sign nothing here."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ClausegateError(f"{path}: cannot read the trusted keys: {why}", EXIT_USAGE) from None
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        read = _trusted_line(line)
        if read.why_not:
            raise ClausegateError(f"{path}:{number}: {read.why_not}", EXIT_USAGE)
        if read.key is not None:
            found.append(read.key)
    if not found:
        raise ClausegateError(f"{path}: holds no Ed25519 public key", EXIT_USAGE)
    return found


def _split(text: str, separators: str) -> list[str]:
    """The non-empty parts of `text` between `separators` outside double quotes (a key
    line's options may hold blanks and commas: namespaces="file,git")."""
    parts, current, quoted = [], "", False
    for char in text.strip():
        if char == '"':
            quoted = not quoted
        if char in separators and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char
    return [part for part in (*parts, current) if part]


def _trusted_line(line: str) -> TrustedLine:
    fields = _split(line, " \t")
    if fields[0] in KEY_TYPES:  # a .pub file: keytype key [comment]
        principal, options, rest = "", "", fields
    elif len(fields) > 1 and fields[1] in KEY_TYPES:
        principal, options, rest = fields[0], "", fields[1:]
    elif len(fields) > 2 and fields[2] in KEY_TYPES:
        principal, options, rest = fields[0], fields[1], fields[2:]
    else:
        return TrustedLine(None, NOT_A_KEY_LINE)
    refused = _refused_options(options)
    if refused:
        return TrustedLine(None, refused)
    if rest[0] != KEY_TYPE:
        return TrustedLine(None)
    if len(rest) < 2:
        return TrustedLine(None, "the key after ssh-ed25519 is missing")
    key_line = f"{KEY_TYPE} {rest[1]}"
    try:
        serialization.load_ssh_public_key(key_line.encode())
    except (ValueError, UnsupportedAlgorithm):
        return TrustedLine(None, "the ssh-ed25519 key is not valid base64 of an Ed25519 key")
    return TrustedLine(PublicKey(key_line, principal or " ".join(rest[2:])))


def _refused_options(options: str) -> str:
    """Why a key line's options cannot be honoured here ("" when they can)."""
    for option in _split(options, ","):
        name, _, value = option.partition("=")
        if name == "cert-authority":
            return "cert-authority: clausegate trusts keys, not certificates; list the key"
        if name in ("valid-after", "valid-before"):
            return (f"{name}: clausegate has no trusted time to judge a validity window "
                    "against; list only keys trusted now")  # fmt: skip
        if name == "namespaces":
            spaces = value.strip('"').split(",")
            if "clausegate" not in spaces:
                return (f"namespaces={value}: this key is not trusted to sign for clausegate "
                        '(add "clausegate" to its namespaces)')  # fmt: skip
        else:
            return f"unknown option {name!r}"
    return ""
