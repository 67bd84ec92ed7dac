"""The ledger's exceptions: one small hierarchy that callers branch on by type, never by text.

    LedgerError              anything the ledger refuses; nothing was written
    ├── InvalidInput         a value or file is wrong (each problem names its field, and file:line)
    ├── NotFound             an id names nothing (with the closest existing ids, for "did you mean")
    ├── Conflict             the ledger's state forbids it: a second resolution, a lost write race
    └── DatabaseError        the database cannot be used as asked: missing, unreachable, wrong schema

Library code collects `Problem`s and raises them together, beancount-style, so a user fixes a whole
file in one pass. Problems name fields (`probability`), never command-line flags: the CLI maps a
field to its own flag or argument when it prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class Location(NamedTuple):
    """Where a value came from: a file and line. (A named tuple: a large import makes one per row.)"""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@dataclass(frozen=True)
class Problem:
    """One thing wrong: where (a file line, for files), which field, and what would be right."""

    location: Location | None
    message: str
    field: str | None = None

    def __str__(self) -> str:
        return self.render()

    def render(self, label: str | None = None) -> str:
        """`file:line: message`, or `field: message` with the field shown as `label` (a CLI flag)."""
        if self.location is not None:
            return f"{self.location}: {self.message}"
        name = label or self.field
        return f"{name}: {self.message}" if name else self.message


class LedgerError(Exception):
    """One or more problems with the user's input or the ledger's state; nothing was written."""

    def __init__(self, problems: list[Problem] | str, location: Location | None = None, *, field: str | None = None):
        if isinstance(problems, str):
            problems = [Problem(location, problems, field)]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @property
    def fields(self) -> list[str]:
        """The fields the problems name (empty when they concern whole files or records)."""
        return [p.field for p in self.problems if p.field]


class InvalidInput(LedgerError):
    """A value, a record or a file is wrong: each problem says which field and what would be right."""


class NotFound(LedgerError):
    """An id names no record. `kind` is source, forecaster, question or forecast; `candidates` are
    the closest existing ids, best first, for a did-you-mean."""

    def __init__(self, kind: str, ident: str, candidates: list[str] | None = None, *, field: str | None = None,
                 location: Location | None = None, advice: str | None = None):
        self.kind, self.ident, self.candidates = kind, ident, list(candidates or [])
        hint = f"; did you mean {self.candidates[0]!r}?" if self.candidates else (f"; {advice}" if advice else "")
        super().__init__(f"unknown {kind} {ident!r}{hint}", location, field=field or kind)

    @classmethod
    def among(cls, kind: str, ident: str, known: list[str]) -> NotFound:
        """`ident` is none of the `known` ids: the closest of them, else, when there are only a few,
        all of them (nothing is close to 's2' among 'seed-000' and 'seed-001')."""
        listed = f"the {kind}s are {', '.join(map(repr, sorted(known)))}" if known else f"the ledger has no {kind}s yet"
        return cls(kind, ident, close_matches(ident, known), advice=listed if len(known) <= 8 else None)


class Conflict(LedgerError):
    """The ledger's state forbids the change: the question is already resolved, the forecast already
    recorded or voided, or another writer won a race. Running again after looking may succeed."""


class DatabaseError(LedgerError):
    """The database cannot be used as asked: no ledger there yet, a schema older or newer than this
    code, a driver missing, a file that is not a database, or a server that refused."""


class FieldValueError(ValueError):
    """A pure function's complaint about one value, saying which field it concerns (a phrase, a
    probability, a scale), so the caller can place it without reading the message."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def field_of(exc: ValueError, default: str) -> str:
    """The field a ValueError concerns: its own when it says, else the caller's."""
    return exc.field if isinstance(exc, FieldValueError) else default


def raise_if(problems: list[Problem], kind: type[LedgerError] = InvalidInput) -> None:
    """Raise the collected problems together, if there are any."""
    if problems:
        raise kind(problems)


def close_matches(value: str, known: list[str] | set[str] | tuple[str, ...], n: int = 3) -> list[str]:
    """The known ids closest to a misspelled one, best first (difflib: fast enough for an id list
    and already in the standard library)."""
    import difflib

    return difflib.get_close_matches(value, list(known), n=n, cutoff=0.6)
