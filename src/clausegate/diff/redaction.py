"""Secrets kept out of change lines: the values of a column or row whose name says it
holds one, and the password in a connection string, whatever holds it."""

from __future__ import annotations

import re

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
