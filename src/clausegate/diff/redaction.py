"""Secrets kept out of change lines: the values of a column or row whose name says it
holds one, and the password in a connection string, whatever holds it."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Any

REDACTED = "***"

_SECRET_NAME = re.compile(
    r"(?i)(?:^|[^a-z])(?:password|passwd|passphrase|pwd|secret|token|api_?key|"
    r"private_?key|signing_?key|credential|salt)s?(?:[^a-z]|$)"
)
_URL_PASSWORD = re.compile(r"(://[^:/@\s]+):[^\s/]*@")
_CONNINFO_PASSWORD = re.compile(r"(?i)(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s]+)")


def names_a_secret(name: str) -> bool:
    """Whether a column, key or identity is named as a secret (`smtp.password`,
    `api_key`, `client_secret`): its values are never shown."""
    return _SECRET_NAME.search(name) is not None


def without_passwords(text: str) -> str:
    """`text` with the password of any URL (`postgres://u:pw@h`) or conninfo
    (`password=pw`) in it replaced by ***."""
    text = _URL_PASSWORD.sub(rf"\1:{REDACTED}@", text)
    return _CONNINFO_PASSWORD.sub(rf"\g<1>{REDACTED}", text)


def scrubbed(value: Any) -> Any:
    """`value` with the values of keys named as secrets, and DSN passwords, replaced."""
    if isinstance(value, str):
        return without_passwords(value)
    if isinstance(value, list):
        return [scrubbed(item) for item in value]
    if isinstance(value, dict):
        return {k: REDACTED if names_a_secret(str(k)) else scrubbed(v) for k, v in value.items()}
    return value


# The key of this process's secret marks: two values of a secret column compare equal or
# not by their marks, and no mark can be traced back to its value (the key is never kept).
_MARK_KEY = secrets.token_bytes(32)


def secret_mark(value: Any) -> str:
    """*** and a keyed digest of `value`: equal for equal values within one run, and no
    clue to the value itself."""
    digest = hmac.new(_MARK_KEY, repr(value).encode(), hashlib.sha256).hexdigest()[:12]
    return f"{REDACTED} #{digest}"


def scrubbed_row(row: dict[str, Any]) -> dict[str, Any]:
    """A table row (column → value) as evidence may keep it: the value of a column named as
    a secret, and every value of a row one of whose short texts names one (the config row
    `smtp.password`) but that text itself, replaced by its secret_mark; the rest
    `scrubbed`."""

    def naming(value: Any) -> bool:
        return isinstance(value, str) and len(value) <= 64 and names_a_secret(value)

    secret_row = any(naming(value) for value in row.values())
    return {
        column: secret_mark(value)
        if names_a_secret(column) or (secret_row and not naming(value))
        else scrubbed(value)
        for column, value in row.items()
    }
