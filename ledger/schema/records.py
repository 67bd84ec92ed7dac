"""Records read from a file, the API or the command line, each remembering where it came from.

Each record is its entity's `…Fields` model (tables.py) plus what a file adds: the id it refers by,
its place in the file, and for forecasts the shapes that become several columns (a phrase that
becomes a probability and band, a window, a voiding). Loaders build them, checks validate them
against each other and the ledger, the store writes them. `convert(model, field, value)` is the one
coercion every entry point uses, derived from the field's type on the model.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Field, SQLModel
from sqlmodel._compat import SQLModelConfig

from ledger.errors import Location, Problem
from ledger.schema.dates import in_range, parse_date
from ledger.schema.ids import listed
from ledger.schema.probability import Estimate
from ledger.schema.tables import FORECAST_FIELDS, ForecasterFields, ForecastFields, QuestionFields, ResolutionFields, SourceFields


class _Record(SQLModel):
    model_config = SQLModelConfig(arbitrary_types_allowed=True)

    where: Location | None = None  # file:line; None for a value given to the API or on the command line


class _Entity(_Record):
    id: str
    implicit: bool = False  # named by a CSV row or a command, not described: create if new, never compare


class SourceRecord(SourceFields, _Entity):
    pass


class ForecasterRecord(ForecasterFields, _Entity):
    pass


class QuestionRecord(QuestionFields, _Entity):
    tags: list[str] = Field(default_factory=list)
    named_options: bool = False  # options only as a CSV's rows name them: some of the question's, in any order


class ForecastRecord(ForecastFields, _Record):
    made_on: dt.date | None = None  # type: ignore[assignment]  # may come from the source's date
    question: str
    forecaster: str
    estimate: Estimate | None = None
    key: str | None = None  # the file's id; content_key() when absent
    source: str | None = None
    window: tuple[dt.date, dt.date] | None = None
    voided_reason: str | None = None
    voided_on: dt.date | None = None
    recorded_at: dt.datetime | None = None  # as exported; new forecasts are stamped when written
    distribution: dict[str, float] | None = None  # a categorical forecast's probability for every option

    def identity(self) -> str:
        return self.key or content_key(self)

    def described(self) -> dict[str, Any]:
        """The plain described fields (ForecastFields), by name."""
        return {name: getattr(self, name) for name in FORECAST_FIELDS}


class ResolutionRecord(ResolutionFields, _Record):
    question: str
    outcome: str  # as written; outcomes.parse_outcome canonicalises it against the question
    recorded_at: dt.datetime | None = None
    correction: bool = False


def record(model: type[SQLModel], **values: Any) -> Any:
    """A record built from values already converted (loaders convert each with `convert` and
    report problems with their line): no second validation pass per row."""
    return model.model_construct(**values)


@dataclass
class ForecastRows:
    """Forecasts read from a chunk of a CSV file, already in the forecast table's columns (one list
    per column, `line` holding each row's line): a large import checks and writes them column by
    column instead of as one record per row."""

    name: str
    columns: dict[str, list[Any]]
    staging: Any = None  # the file every chunk of the import waits in, to be written from (db.staging.Staging)

    def __len__(self) -> int:
        return len(self.columns["line"])


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
    rows: ForecastRows | None = None  # a CSV chunk's forecasts, in columns (beside or instead of `forecasts`)

    def keep(self, kind: str, rec: Any, ok: bool) -> None:
        """Add a record read without problems; remember the id of one that had them, so that
        references to it are not reported a second time."""
        if ok:
            getattr(self, f"{kind}s").append(rec)
        elif rec.id:
            self.broken.add((kind, rec.id))


def content_key(rec: ForecastRecord) -> str:
    """A forecast without an id is identified by what it says, so importing it twice adds it once.
    Fields added to ForecastFields later join the key only when given, so existing keys stay."""
    est = rec.estimate
    extra = [[name, _plain(getattr(rec, name))] for name in FORECAST_FIELDS if name not in _KEYED and getattr(rec, name) is not None]
    return content_key_of(rec.question, rec.forecaster, rec.source, str(rec.made_on), rec.quote, rec.claim,
                          repr(est.probability) if est else None, est.phrase if est else None,
                          [str(d) for d in rec.window] if rec.window else None, rec.option, rec.condition, rec.distribution, *extra)


CONTENT_KEY_DIGITS = 20  # a content key is "h" and this many hex digits of the parts' SHA-256


def content_key_of(*parts: Any) -> str:
    """The content key of a forecast's parts in `content_key`'s order (a CSV import computes them per column)."""
    digest = hashlib.sha256(json.dumps(list(parts), ensure_ascii=False).encode()).hexdigest()
    return f"h{digest[:CONTENT_KEY_DIGITS]}"


_KEYED = ("made_on", "quote", "claim", "option", "condition")  # the described fields the key has always had


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


# --- coercion, derived from the models' field types -------------------------------------------------

def written(value: Any) -> str:
    """A scalar as its text: a number as it was written in the file (`1.50`, `007`), a boolean in
    lower case; NUL is refused (PostgreSQL cannot store it, and no one types it)."""
    if isinstance(value, (dict, list, tuple, set)):
        raise ValueError(f"must be a single value, not a {'mapping' if isinstance(value, dict) else 'list'}")
    if isinstance(value, (bytes, bytearray)):
        raise ValueError("must be text, not binary data")
    text = str(value).lower() if isinstance(value, bool) else getattr(value, "written", None) or str(value)
    if "\x00" in text:
        raise ValueError("contains a NUL character (\\0), which no database stores; remove it")
    return text



def unstorable(**values: Any) -> list[Problem]:
    """A problem, by field, for each text value (or list of them) given to the API that no database
    stores (a NUL): files are checked as they are read, arguments here."""
    problems = []
    for name, value in values.items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and "\x00" in text:
                problems.append(Problem(None, "contains a NUL character (\\0), which no database stores; remove it", name))
                break
    return problems


BLANK_REASON = "say why the forecast is void (which condition failed); a blank reason is none"


def void_reason(value: Any) -> str:
    """Why a forecast is void: one rule for every way in, since a blank reason would leave readers
    disagreeing on whether the forecast is void."""
    if value is None or not written(value).strip():
        raise ValueError(BLANK_REASON)
    return written(value)


def _number(kind: type) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError(f"{value!r} is not a number")
        return kind(value)

    return convert


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    raise ValueError(f"{value!r} is not true or false")


def text_list(value: Any) -> list[str]:
    return listed(value, written)


def timestamp(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        stamp = value
    else:
        try:
            stamp = dt.datetime.fromisoformat(str(value))
        except ValueError:
            raise ValueError(f"{value!r} is not a timestamp; write ISO 8601, e.g. 2026-02-26T09:00:00+00:00") from None
    in_range(stamp.date())
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


_BY_TYPE: dict[Any, Callable[[Any], Any]] = {
    str: written, dt.date: parse_date, dt.datetime: timestamp, float: _number(float), int: _number(int), bool: boolean,
}


def _base_type(annotation: Any) -> Any:
    """`X | None` → X; `list[str]` → list."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    return typing.get_origin(annotation) or annotation


def converter(model: type[SQLModel], name: str) -> Callable[[Any], Any]:
    """How a field's raw value (YAML scalar, CSV cell, API argument) becomes its typed value;
    the function raises ValueError saying what would be right."""
    kind = _base_type(model.model_fields[name].annotation)
    if kind is list:
        return text_list
    return _BY_TYPE.get(kind, written)


def convert(model: type[SQLModel], name: str, value: Any) -> Any:
    return converter(model, name)(value)
