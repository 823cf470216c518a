"""A body as it was reviewed: its tokens, its hash, a ratified file, and the diff a reviewer reads.

Two texts are the same body when PostgreSQL's own scanner (pglast, libpg_query) reads
the same tokens from both: layout and comments do not count, keywords and unquoted
identifiers are compared as PostgreSQL folds them (ASCII letters to lower case), a string
constant or a quoted identifier exactly as written. A text the scanner cannot read (a body in a
language that is not SQL-like, an unterminated quote) is compared line by line, trailing
blanks aside, and the verdict says so.

A ratified file holds the body as it was reviewed. Its leading `--` comment lines are its
header (what the body is and where it was ratified, as `clausegate pin` writes it); the
body is the rest, with surrounding blank lines trimmed. A hash pins the body as the
SHA-256 of its normal form: its tokens, one per line.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pglast import parser

_COMMENTS = frozenset({"SQL_COMMENT", "C_COMMENT"})
_FOLDED = frozenset({"IDENT"})  # unquoted identifiers; keywords are folded by kind
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class NormalForm:
    """A text's tokens as compared; `scanned` False when the scanner could not read it and
    the tokens are its lines (trailing blanks removed, blank lines dropped)."""

    tokens: tuple[str, ...]
    scanned: bool

    @property
    def sha256(self) -> str:
        return hashlib.sha256("\n".join(self.tokens).encode()).hexdigest()


def normal_form(text: str) -> NormalForm:
    """The tokens of `text` as PostgreSQL's scanner reads them (see the module docstring)."""
    try:
        scanned = parser.scan(text)
    except Exception:  # pglast raises its own error types, and others on odd bytes
        return NormalForm(_lines(text), scanned=False)
    tokens = []
    for token in scanned:
        if token.name in _COMMENTS:
            continue
        word = text[token.start : token.end + 1]  # character offsets
        if token.kind != "NO_KEYWORD" or (token.name in _FOLDED and '"' not in word):
            word = word.translate(_ASCII_LOWER)  # PostgreSQL folds ASCII letters only
        tokens.append(word)
    return NormalForm(tuple(tokens), scanned=True)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.rstrip() for line in text.splitlines() if line.strip())


@dataclass(frozen=True)
class RatifiedFile:
    """A ratified file read: its header lines (comments) and the body it holds."""

    path: Path
    header: tuple[str, ...]
    body: str


def read_ratified(path: Path) -> RatifiedFile:
    """The header and body of a ratified file; OSError when it cannot be read,
    UnicodeDecodeError when it is not UTF-8."""
    lines = path.read_text("utf-8").splitlines()
    cut = 0
    while cut < len(lines) and (lines[cut].startswith("--") or not lines[cut].strip()):
        cut += 1
    header = tuple(line for line in lines[:cut] if line.strip())
    return RatifiedFile(path, header, trimmed("\n".join(lines[cut:])))


def trimmed(body: str) -> str:
    """A body without the blank lines around it, ending in one newline (as files do)."""
    return body.strip("\n").rstrip() + "\n"


def ratified_file_text(header: Sequence[str], body: str) -> str:
    """The text of a ratified file: its header, a blank line, the body."""
    return "".join(f"{line}\n" for line in header) + "\n" + trimmed(body)


def unified_diff(ratified: str, found: str, *, ratified_name: str, found_name: str) -> list[str]:
    """The lines of a unified diff from the ratified text to the text found."""
    return [
        line.rstrip("\n")
        for line in difflib.unified_diff(
            trimmed(ratified).splitlines(),
            trimmed(found).splitlines(),
            fromfile=ratified_name,
            tofile=found_name,
            lineterm="",
        )
    ]
