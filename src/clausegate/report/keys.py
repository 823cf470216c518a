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
        blob = base64.b64decode(self.line.split()[1])
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


def read_trusted(path: Path) -> list[PublicKey]:
    """The Ed25519 keys of a `.pub` file or an allowed_signers list; ClausegateError (exit 2)
    naming the file and line of anything that is not one."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ClausegateError(f"{path}: cannot read the trusted keys: {why}", EXIT_USAGE) from None
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if KEY_TYPE not in words:
            raise ClausegateError(
                f"{path}:{number}: not an Ed25519 public key (expected `ssh-ed25519 AAAA…`, "
                "as in a .pub file, or `principal ssh-ed25519 AAAA…` as in allowed_signers)",
                EXIT_USAGE,
            )
        at = words.index(KEY_TYPE)
        if at + 1 >= len(words):
            raise ClausegateError(f"{path}:{number}: the key after ssh-ed25519 is missing",
                                  EXIT_USAGE)  # fmt: skip
        key_line = f"{KEY_TYPE} {words[at + 1]}"
        try:
            serialization.load_ssh_public_key(key_line.encode())
        except (ValueError, UnsupportedAlgorithm):
            raise ClausegateError(f"{path}:{number}: the ssh-ed25519 key is not valid base64 "
                                  "of an Ed25519 key", EXIT_USAGE) from None  # fmt: skip
        name = words[0] if at > 0 else " ".join(words[at + 2 :])
        found.append(PublicKey(key_line, name))
    if not found:
        raise ClausegateError(f"{path}: holds no public key", EXIT_USAGE)
    return found
