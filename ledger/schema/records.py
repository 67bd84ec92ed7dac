"""Plain records read from a file or the command line, each remembering where it came from.

Loaders build these; checks validate them; the store writes them. Keeping them free of the
database lets every check report its problem as `file:line: message` before anything is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from ledger.errors import Location, Problem
from ledger.schema.probability import Estimate


# The described fields of each kind of record, beside its id: what a file may give, and what a
# record already in the ledger must agree with.
SOURCE_FIELDS = ("title", "publisher", "url", "published_on", "kind", "text_path", "note")
FORECASTER_FIELDS = ("name", "affiliation", "kind")
QUESTION_FIELDS = ("text", "kind", "criteria", "resolve_by", "options")


@dataclass
class SourceRecord:
    id: str
    title: str
    where: Location
    publisher: str | None = None
    url: str | None = None
    published_on: dt.date | None = None
    kind: str = "article"
    text_path: str | None = None
    note: str | None = None
    implicit: bool = False  # named by a CSV row or a CLI flag, not described: create if new, never compare


@dataclass
class ForecasterRecord:
    id: str
    name: str
    where: Location
    affiliation: str | None = None
    kind: str = "person"
    implicit: bool = False


@dataclass
class QuestionRecord:
    id: str
    text: str
    where: Location
    kind: str = "binary"
    criteria: str | None = None
    resolve_by: dt.date | None = None
    options: list[str] | None = None
    tags: list[str] = field(default_factory=list)
    implicit: bool = False


@dataclass
class ForecastRecord:
    question: str
    forecaster: str
    made_on: dt.date | None
    estimate: Estimate
    where: Location
    key: str | None = None  # the file's id; content_key() when absent
    source: str | None = None
    quote: str | None = None
    claim: str | None = None
    window: tuple[dt.date, dt.date] | None = None
    option: str | None = None
    condition: str | None = None
    voided_reason: str | None = None
    voided_on: dt.date | None = None
    recorded_at: dt.datetime | None = None  # as exported; new forecasts are stamped when written
    distribution: dict[str, float] | None = None  # a categorical forecast's probability for every option

    def identity(self) -> str:
        return self.key or content_key(self)


@dataclass
class ResolutionRecord:
    question: str
    outcome: str  # as written; resolution.parse_outcome canonicalises it against the question
    where: Location
    occurred_on: dt.date | None = None
    evidence: str | None = None
    evidence_quote: str | None = None
    note: str | None = None
    recorded_at: dt.datetime | None = None
    correction: bool = False


@dataclass
class Batch:
    """Everything one file (or one command) asks to add to the ledger."""

    sources: list[SourceRecord] = field(default_factory=list)
    forecasters: list[ForecasterRecord] = field(default_factory=list)
    questions: list[QuestionRecord] = field(default_factory=list)
    forecasts: list[ForecastRecord] = field(default_factory=list)
    resolutions: list[ResolutionRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # found while reading; reported with the rest
    broken: set[tuple[str, str]] = field(default_factory=set)  # (kind, id) of records that failed to read

    def keep(self, kind: str, record, ok: bool) -> None:
        """Add a record read without problems; remember the id of one that had them, so that
        references to it are not reported a second time."""
        if ok:
            getattr(self, f"{kind}s").append(record)
        elif record.id:
            self.broken.add((kind, record.id))


def content_key(record: ForecastRecord) -> str:
    """A forecast without an id is identified by what it says, so importing it twice adds it once."""
    est = record.estimate
    parts = [
        record.question, record.forecaster, record.source, str(record.made_on), record.quote, record.claim,
        repr(est.probability), est.phrase, [str(d) for d in record.window] if record.window else None,
        record.option, record.condition, record.distribution,
    ]
    digest = hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()
    return f"h{digest[:20]}"
