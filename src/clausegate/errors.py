"""Errors a user sees: one line of text and the exit code that goes with it."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_USAGE = 2
EXIT_BROKEN = 3


class ClausegateError(Exception):
    """An error with a message meant for a person and the exit code the CLI returns for it.

    exit_code 2 is bad input (usage, spec, file); 3 is a database that could not be
    started, reached or read.
    """

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class TargetError(ClausegateError):
    """No database server could be started or reached."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_BROKEN)
