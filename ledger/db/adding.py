"""`ledger add`: one forecast from command-line flags, through the same checks as an import.

What a new question, forecaster or source needs and was not given is asked for on a terminal
(`prompt`), or reported as the missing option otherwise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from sqlmodel import Session, select

from ledger.schema.dates import parse_date, parse_window
from ledger.errors import LedgerError, Problem, option
from ledger.schema.tables import Forecast, Forecaster, Question, Source
from ledger.schema.probability import DEFAULT_SCALE, estimate
from ledger.schema.records import Batch, ForecasterRecord, ForecastRecord, QuestionRecord, SourceRecord
from ledger.db.store import apply_batch

Prompt = Optional[Callable[[str], str]]


@dataclass
class AddRequest:
    question: str
    forecaster: str
    source: str | None = None
    quote: str | None = None
    claim: str | None = None
    probability: str | None = None
    says: str | None = None
    scale: str | None = None
    made_on: str | None = None
    window: str | None = None
    option: str | None = None
    condition: str | None = None
    question_text: str | None = None
    kind: str | None = None
    options: str | None = None
    resolve_by: str | None = None
    name: str | None = None
    affiliation: str | None = None
    forecaster_kind: str | None = None
    title: str | None = None
    published_on: str | None = None


def _ask(request: AddRequest, attr: str, label: str, flag: str, prompt: Prompt, problems: list[Problem]) -> None:
    if getattr(request, attr):
        return
    if prompt is not None:
        setattr(request, attr, prompt(label))
    else:
        problems.append(Problem(option(flag), f"{label.lower()} is needed; give {flag}"))


def _convert(value, convert, flag: str, problems: list[Problem]):
    if value is None:
        return None
    try:
        return convert(value)
    except ValueError as exc:
        problems.append(Problem(option(flag), str(exc)))
        return None


def add_forecast(session: Session, request: AddRequest, prompt: Prompt = None) -> Forecast:
    """Record the forecast described by `request` and return its row."""
    problems: list[Problem] = []
    batch = Batch()
    if session.get(Question, request.question) is None:
        _ask(request, "question_text", f"Text of the new question {request.question!r}", "--question-text", prompt, problems)
        kind = request.kind or ("date" if request.window else "categorical" if request.option else "binary")
        options = [o.strip() for o in request.options.split(",") if o.strip()] if request.options else None
        if kind == "categorical" and not options and request.option:
            options = [request.option]
        batch.questions.append(QuestionRecord(
            request.question, request.question_text or "", option("--question"), kind=kind, options=options,
            resolve_by=_convert(request.resolve_by, parse_date, "--resolve-by", problems),
        ))
    if session.get(Forecaster, request.forecaster) is None:
        _ask(request, "name", f"Name of the new forecaster {request.forecaster!r}", "--name", prompt, problems)
        batch.forecasters.append(ForecasterRecord(request.forecaster, request.name or "", option("--forecaster"),
                                                  affiliation=request.affiliation, kind=request.forecaster_kind or "person"))
    source = session.get(Source, request.source) if request.source else None
    if request.source and source is None:
        _ask(request, "title", f"Title of the new source {request.source!r}", "--title", prompt, problems)
        batch.sources.append(SourceRecord(request.source, request.title or "", option("--source"),
                                          published_on=_convert(request.published_on, parse_date, "--published-on", problems)))
    if request.probability is None and request.says is None:
        if prompt is None:
            problems.append(Problem(option("--probability"), "give --probability (0.7 or 70%) or --says with the forecaster's words"))
        else:
            answer = prompt("Probability (0.7, 70%) or the hedge phrase used")
            request.probability, request.says = (answer, None) if answer.strip()[:1].isdigit() or answer.strip()[:1] == "." else (None, answer)
    est = None
    if request.probability is not None or request.says is not None:
        try:
            est = estimate(request.probability, request.says, request.scale or DEFAULT_SCALE)
        except ValueError as exc:
            problems.append(Problem(option("--says" if "phrase" in str(exc) else "--probability"), str(exc)))
    made_on = _convert(request.made_on, parse_date, "--made-on", problems)
    if made_on is None and not request.made_on:
        published = source.published_on if source else (batch.sources[0].published_on if batch.sources else None)
        made_on = published or dt.date.today()
    window = _convert(request.window, parse_window, "--window", problems)
    if problems:
        raise LedgerError(problems)
    record = ForecastRecord(
        question=request.question, forecaster=request.forecaster, made_on=made_on, estimate=est,  # type: ignore[arg-type]
        where=option("ledger add"), source=request.source, quote=request.quote, claim=request.claim, window=window,
        option=request.option, condition=request.condition,
    )
    batch.forecasts.append(record)
    apply_batch(session, batch, Path.cwd())
    return session.exec(select(Forecast).where(Forecast.key == record.identity())).one()


