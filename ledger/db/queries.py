"""Reading the ledger for listings: plain rows (dicts with stable keys) that any output format can render."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, literal
from sqlmodel import Session, col, select

from ledger.db.resolution import current_outcome, status_expression
from ledger.errors import NotFound, close_matches
from ledger.schema.probability import Band, Estimate
from ledger.schema.tables import FORECAST_FIELDS, Forecast, Forecaster, Question, QuestionTag, Resolution, Source
from ledger.scoring.spread import crowd_view

LIST_COLUMNS = ("id", "question", "forecaster", "source", "made_on", "probability", "basis", "claim", "status", "voided")


def basis(row) -> str:
    """Where a stored probability came from, in words ('stated', or the phrase with its band)."""
    band = Band(row.band_low, row.band_high) if row.phrase else None
    return Estimate(row.probability, row.phrase, row.scale, band).basis


def claim_text(row) -> str:
    """The forecast's claim, falling back to what it says about the question's window or option."""
    if row.claim:
        return row.claim
    if row.window_from:
        return f"between {row.window_from} and {row.window_to}"
    if row.option:
        return f"option: {row.option}"
    return "yes"


def _status(today: dt.date | None):
    """A question's status, for a query that selects from question."""
    return status_expression(current_outcome(Question.id), today or dt.date.today()).label("status")


def list_forecasts(session: Session, *, today: dt.date | None = None, **filters) -> list[dict]:
    """Forecasts with their question's status, filtered as `forecasts_query` describes; a filter
    naming no record is a NotFound with the closest ids, not an empty listing."""
    for kind, column in (("question", Question.id), ("forecaster", Forecaster.id), ("source", Source.id), ("tag", QuestionTag.tag)):
        wanted = filters.get(kind)
        if wanted and session.exec(select(column).where(column == wanted).limit(1)).first() is None:
            known = list(session.exec(select(column).distinct().limit(20000)))
            raise NotFound.among(kind, wanted, known)
    return [
        {
            "id": f.id, "question": f.question_id, "forecaster": f.forecaster_id, "source": f.source_id,
            "made_on": f.made_on.isoformat(), "probability": f.probability, "basis": basis(f), "claim": claim_text(f),
            "status": st, "voided": f.voided_reason is not None, **_described(f),
        }
        for f, st in session.execute(forecasts_query(today=today, **filters))
    ]


def _described(f: Forecast) -> dict:
    """The forecast's other described fields (ForecastFields), for listings that carry every column."""
    values = {name: getattr(f, name) for name in FORECAST_FIELDS if name not in ("made_on", "claim")}
    return {name: value.isoformat() if isinstance(value, dt.date) else value for name, value in values.items()}


def forecasts_query(*, status: str | None = None, forecaster: str | None = None, source: str | None = None,
                    tag: str | None = None, question: str | None = None, limit: int | None = None, today: dt.date | None = None):
    """Forecasts in entry order with their question's status; each filter is optional."""
    status_col = _status(today)
    query = select(Forecast, status_col).join(Question, col(Question.id) == col(Forecast.question_id)).order_by(col(Forecast.id))
    if status:
        query = query.where(status_col == status)
    if forecaster:
        query = query.where(Forecast.forecaster_id == forecaster)
    if source:
        query = query.where(Forecast.source_id == source)
    if question:
        query = query.where(Forecast.question_id == question)
    if tag:
        query = query.where(col(Forecast.question_id).in_(select(QuestionTag.question_id).where(QuestionTag.tag == tag)))
    if limit:
        query = query.limit(limit)
    return query


def show_question(session: Session, question_id: str, today: dt.date | None = None) -> dict:
    """A question with every forecast on it (latest per forecaster marked) and its resolution history."""
    found = session.execute(select(Question, _status(today)).where(Question.id == question_id)).first()
    if found is None:
        known = list(session.exec(select(Question.id).limit(20000)))
        raise NotFound("question", question_id, close_matches(question_id, known), advice="the forecast listing shows the questions")
    question, status = found
    forecasts = list(session.exec(select(Forecast).where(Forecast.question_id == question_id).order_by(col(Forecast.made_on), col(Forecast.id))))
    latest = {f.forecaster_id: f.id for f in forecasts}  # ordered by date, so the last one wins
    aggregates = set(session.exec(select(Forecaster.id).where(col(Forecaster.id).in_(list(latest)), Forecaster.kind == "aggregate")))
    standing = [f.probability for f in forecasts if latest[f.forecaster_id] == f.id and f.voided_reason is None and f.forecaster_id not in aggregates]
    history = session.exec(select(Resolution).where(Resolution.question_id == question_id).order_by(col(Resolution.sequence)))
    tags = session.exec(select(QuestionTag.tag).where(QuestionTag.question_id == question_id).order_by(QuestionTag.tag))
    return {
        "id": question.id, "text": question.text, "kind": question.kind, "criteria": question.criteria,
        "resolve_by": question.resolve_by.isoformat() if question.resolve_by else None, "options": question.options,
        "tags": list(tags), "status": status,
        "crowd": crowd_view(standing) if question.kind == "binary" else None,
        "forecasts": [
            {
                "id": f.id, "forecaster": f.forecaster_id, "source": f.source_id, "made_on": f.made_on.isoformat(),
                "probability": f.probability, "basis": basis(f), "claim": claim_text(f), "quote": f.quote,
                "condition": f.condition, "voided": f.voided_reason, "superseded": latest[f.forecaster_id] != f.id,
            }
            for f in forecasts
        ],
        "resolutions": [
            {
                "sequence": r.sequence, "outcome": r.outcome, "on": r.occurred_on.isoformat() if r.occurred_on else None,
                "evidence": r.evidence, "evidence_quote": r.evidence_quote, "note": r.note,
                "recorded_at": r.recorded_at.isoformat(timespec="seconds"), "correction": r.sequence > 1,
            }
            for r in history
        ],
    }


def _counted(model, *extra, key):
    """SELECT each `model` row (with `extra` columns) and the number of forecasts whose `key` names it."""
    from sqlalchemy import select as select_columns

    counts = select_columns(key, func.count().label("n")).group_by(key).subquery()
    return select_columns(model, *extra, func.coalesce(counts.c.n, literal(0))).outerjoin(counts, counts.c[key.key] == model.id)


def due(session: Session, within_days: int = 0, today: dt.date | None = None) -> list[dict]:
    """Unresolved questions whose resolve-by date has passed or falls within the next `within_days`."""
    today = today or dt.date.today()
    query = (
        _counted(Question, _status(today), key=Forecast.question_id)
        .where(current_outcome(Question.id).is_(None), col(Question.resolve_by).is_not(None),
               col(Question.resolve_by) <= today + dt.timedelta(days=within_days))
        .order_by(col(Question.resolve_by), col(Question.id))
    )
    return [
        {"question": q.id, "text": q.text, "kind": q.kind, "resolve_by": q.resolve_by.isoformat(), "status": st, "forecasts": n,
         "days_overdue": (today - q.resolve_by).days}
        for q, st, n in session.execute(query)
    ]


def forecasters(session: Session) -> list[dict]:
    query = _counted(Forecaster, key=Forecast.forecaster_id).order_by(Forecaster.id)
    return [{"id": f.id, "name": f.name, "affiliation": f.affiliation, "kind": f.kind, "forecasts": n}
            for f, n in session.execute(query)]


def sources(session: Session) -> list[dict]:
    query = _counted(Source, key=Forecast.source_id).order_by(Source.published_on, Source.id)
    return [{"id": s.id, "title": s.title, "publisher": s.publisher, "published_on": s.published_on.isoformat() if s.published_on else None,
             "kind": s.kind, "url": s.url, "forecasts": n}
            for s, n in session.execute(query)]
