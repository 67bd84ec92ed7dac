"""Adding one forecast (with its question, forecaster and source when they are new) through the same
checks as an import.

What a new question, forecaster or source needs and was not given is asked of `prompt` when there
is one (a terminal), or reported as a problem naming the missing field otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from ledger.db.checks import TextFolders
from ledger.db.store import apply_batch
from ledger.errors import Conflict, InvalidInput, NotFound, Problem, close_matches, field_of, raise_if
from ledger.schema.dates import parse_date, parse_window
from ledger.schema.ids import identifier
from ledger.schema.probability import DEFAULT_SCALE, estimate
from ledger.schema.records import Batch, ForecasterRecord, ForecastRecord, QuestionRecord, SourceRecord, convert, record, unstorable
from ledger.schema.tables import FORECAST_FIELDS, Forecast, Forecaster, ForecastFields, Question, Source

Prompt = Callable[[str], str] | None
Confirm = Callable[[str, str, list[str]], bool] | None  # (kind, id, closest existing ids) -> go ahead?


@dataclass
class NewForecast:
    """A forecast to add, as typed values. `fields` holds its described fields (ForecastFields:
    made_on, quote, claim, option, condition, and any added later)."""

    question: str
    forecaster: str
    probability: float | str | None = None
    says: str | None = None
    scale: str | None = None
    source: str | None = None
    window: tuple[dt.date, dt.date] | None = None
    question_text: str | None = None
    kind: str | None = None
    options: list[str] | None = None
    resolve_by: dt.date | None = None
    name: str | None = None
    affiliation: str | None = None
    forecaster_kind: str | None = None
    title: str | None = None
    published_on: dt.date | None = None
    fields: dict[str, Any] = field(default_factory=dict)


def described_values(given: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    """The forecast's described fields, each converted as the model's type says; an unknown name is
    a problem with the closest field name."""
    values = {}
    for name, value in given.items():
        if name not in FORECAST_FIELDS:
            hint = close_matches(name, FORECAST_FIELDS, n=1)
            problems.append(Problem(None, f"a forecast has no field {name!r}" + (f"; did you mean {hint[0]!r}?" if hint else
                                    f"; its fields are {', '.join(FORECAST_FIELDS)}"), name))
        elif value is not None:
            try:
                values[name] = convert(ForecastFields, name, value)
            except ValueError as exc:
                problems.append(Problem(None, str(exc), name))
    return values


def _new(session: Session, model, kind: str, ident: str, request: NewForecast, attr: str, prompt: Prompt,
         confirm: Confirm, problems: list[Problem]) -> None:
    """An id the ledger does not hold is a new record only when its description (`attr`) is given or
    asked for; an id close to existing ones without it is taken for a typo and refused with them.
    `confirm` hears of every record about to be created, with its near matches, before any is."""
    given = getattr(request, attr)
    near = close_matches(ident, list(session.exec(select(model.id).limit(20000))))
    label = attr.replace("_", " ")
    if not given and prompt is None:
        if near:
            raise NotFound(kind, ident, near, advice=f"to add a new {kind}, give its {attr}")
        problems.append(Problem(None, f"{kind} {ident!r} is new: its {label} is needed", attr))
        return
    if confirm is not None and not confirm(kind, ident, near):
        raise InvalidInput(f"{kind} {ident!r} was not created; nothing was written", field=kind)
    if not given and prompt is not None:
        if confirm is not None:  # it has just been told that the record is new, and what is near
            setattr(request, attr, prompt(f"  its {label}"))
        else:
            hint = f" (did you mean {', '.join(repr(n) for n in near)}?)" if near else ""
            setattr(request, attr, prompt(f"New {kind} {ident!r}{hint}. Its {label}"))


def add_forecast(session: Session, request: NewForecast, texts: TextFolders | None = None, prompt: Prompt = None,
                 confirm: Confirm = None) -> Forecast:
    """Record the forecast described by `request` in the session's transaction and return its row;
    its ids follow the rule an import reads them by (schema/ids.py), so an export reads back."""
    problems = unstorable(**{name: getattr(request, name) for name in ("question", "forecaster", "source", "says", "question_text",
                                                                       "options", "name", "affiliation", "title")})
    raise_if(problems)  # before an id is looked up: PostgreSQL refuses a NUL even in a query
    for name in ("question", "forecaster", "source"):
        if getattr(request, name) is not None:
            try:
                setattr(request, name, identifier(getattr(request, name)))
            except ValueError as exc:
                problems.append(Problem(None, str(exc), name))
    raise_if(problems)
    values = described_values(request.fields, problems)
    dates: list[tuple[str, Any, Callable[[Any], Any]]] = [
        ("window", request.window, parse_window), ("resolve_by", request.resolve_by, parse_date), ("published_on", request.published_on, parse_date)]
    for name, value, check in dates:
        try:
            if value is not None:
                check(value)  # dates given as date objects are held to the same years as typed ones
        except ValueError as exc:
            problems.append(Problem(None, str(exc), name))
    batch = Batch()
    if session.get(Question, request.question) is None:
        _new(session, Question, "question", request.question, request, "question_text", prompt, confirm, problems)
        kind = request.kind or ("date" if request.window else "categorical" if values.get("option") else "binary")
        options = request.options
        if kind == "categorical" and not options and values.get("option"):
            options = [values["option"]]
        batch.questions.append(record(QuestionRecord, id=request.question, text=request.question_text or "", kind=kind,
                                      options=options, resolve_by=request.resolve_by))
    if session.get(Forecaster, request.forecaster) is None:
        _new(session, Forecaster, "forecaster", request.forecaster, request, "name", prompt, confirm, problems)
        batch.forecasters.append(record(ForecasterRecord, id=request.forecaster, name=request.name or "",
                                        affiliation=request.affiliation, kind=request.forecaster_kind or "person"))
    source = session.get(Source, request.source) if request.source else None
    if request.source and source is None:
        _new(session, Source, "source", request.source, request, "title", prompt, confirm, problems)
        batch.sources.append(record(SourceRecord, id=request.source, title=request.title or "", published_on=request.published_on))
    if request.probability is not None and request.says is not None:
        problems.append(Problem(None, "give the forecaster's words (says) or a stated probability, not both: a stated number "
                                "is the forecast, and the words are then kept as its quote", "probability"))
    if request.probability is None and request.says is None:
        if prompt is None:
            problems.append(Problem(None, "give a probability (0.7 or 70%) or the forecaster's words (says)", "probability"))
        else:
            answer = prompt("Probability (0.7, 70%) or the hedge phrase used").strip()
            request.probability, request.says = (answer, None) if answer[:1].isdigit() or answer[:1] == "." else (None, answer)
    est = None
    if not problems:
        try:
            est = estimate(request.probability, request.says, request.scale or DEFAULT_SCALE)
        except ValueError as exc:
            problems.append(Problem(None, str(exc), "says" if field_of(exc, "probability") == "phrase" else field_of(exc, "probability")))
    if "made_on" not in values:
        published = source.published_on if source else request.published_on
        values["made_on"] = published or dt.date.today()
    if problems:
        raise InvalidInput(problems)
    forecast = record(ForecastRecord, question=request.question, forecaster=request.forecaster, estimate=est,
                      source=request.source, window=request.window, **values)
    batch.forecasts.append(forecast)
    summary = apply_batch(session, batch, texts)
    row = session.exec(select(Forecast).where(Forecast.key == forecast.identity())).one()
    if not summary.added["forecasts"]:
        raise Conflict(f"this forecast is already recorded as forecast {row.id}; nothing was written")
    return row
