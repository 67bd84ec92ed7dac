"""The one kind of error a user sees: a message tied to where the bad input came from.

Library code raises `LedgerError` (or collects `Problem`s and raises them together, beancount-style,
so a user fixes a whole file in one pass); the CLI prints them and exits 1. Anything else reaching
the CLI is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class Location(NamedTuple):
    """Where a value came from: a file and line, or a CLI option. (A named tuple: a large import
    makes one per row.)"""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@dataclass(frozen=True)
class Problem:
    location: Location | None
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class LedgerError(Exception):
    """One or more problems with the user's input or the ledger's state; nothing was written."""

    def __init__(self, problems: list[Problem] | str, location: Location | None = None):
        if isinstance(problems, str):
            problems = [Problem(location, problems)]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class WriteConflict(LedgerError):
    """Another writer changed the same records at the same moment; running again may succeed."""


def raise_if(problems: list[Problem]) -> None:
    if problems:
        raise LedgerError(problems)


def option(name: str) -> Location:
    """Location for a value given on the command line."""
    return Location(name)
