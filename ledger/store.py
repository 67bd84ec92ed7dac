"""Writing to the ledger: imports, added forecasts, resolutions and voids, all through one path.

`apply_batch` checks a whole batch against itself and the ledger, reports every problem at once,
and writes nothing unless everything is right. Every write is one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from . import checks
from .checks import QuestionFacts, SourceFacts
from .errors import LedgerError, Location, Problem, raise_if
from .models import Forecast, Forecaster, Question, QuestionTag, Resolution, Source
from .records import Batch, ForecastRecord, ResolutionRecord
from .resolution import outcome_date, parse_outcome

_CHUNK = 500
SOURCE_FIELDS = ("title", "publisher", "url", "published_on", "kind", "text_path", "note")
FORECASTER_FIELDS = ("name", "affiliation", "kind")
QUESTION_FIELDS = ("text", "kind", "criteria", "resolve_by", "options")
FORECAST_FIELDS = (
    "question_id", "forecaster_id", "source_id", "made_on", "quote", "claim", "probability", "phrase", "scale",
    "band_low", "band_high", "window_from", "window_to", "option", "condition", "voided_reason", "voided_on",
)


@dataclass
class Summary:
    """What an import added and what it found already there."""

    added: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def describe(self) -> str:
        kinds = ("sources", "forecasters", "questions", "forecasts", "resolutions")
        added = ", ".join(f"{self.added[k]} {k}" for k in kinds if self.added[k]) or "nothing new"
        same = sum(self.unchanged.values())
        return f"added {added}" + (f"; {same} already in the ledger" if same else "")


def _fetch(session: Session, model, column, values: Iterable) -> dict:
    values = list(dict.fromkeys(values))
    found = {}
    for start in range(0, len(values), _CHUNK):
        chunk = values[start:start + _CHUNK]
        for row in session.exec(select(model).where(column.in_(chunk))):
            found[getattr(row, column.key)] = row
    return found


def _forecast_row(rec: ForecastRecord, made_on: dt.date) -> dict:
    est = rec.estimate
    return {
        "key": rec.identity(), "question_id": rec.question, "forecaster_id": rec.forecaster, "source_id": rec.source,
        "made_on": made_on, "quote": rec.quote, "claim": rec.claim, "probability": est.probability,
        "phrase": est.phrase, "scale": est.scale, "band_low": est.band.low if est.band else None,
        "band_high": est.band.high if est.band else None,
        "window_from": rec.window[0] if rec.window else None, "window_to": rec.window[1] if rec.window else None,
        "option": rec.option, "condition": rec.condition, "voided_reason": rec.voided_reason, "voided_on": rec.voided_on,
    }


def apply_batch(session: Session, batch: Batch, base: Path, *, dry_run: bool = False) -> Summary:
    """Check everything in `batch` against itself and the ledger, then write it in one transaction."""
    problems: list[Problem] = list(batch.problems)
    summary = Summary()
    for records, kind in ((batch.sources, "source"), (batch.forecasters, "forecaster"), (batch.questions, "question")):
        problems += checks.duplicate_ids([r for r in records if not r.implicit], kind)

    old_sources = _fetch(session, Source, Source.id, [r.id for r in batch.sources] + [f.source for f in batch.forecasts if f.source])
    old_forecasters = _fetch(session, Forecaster, Forecaster.id, [r.id for r in batch.forecasters] + [f.forecaster for f in batch.forecasts])
    old_questions = _fetch(
        session, Question, Question.id,
        [r.id for r in batch.questions] + [f.question for f in batch.forecasts] + [r.question for r in batch.resolutions],
    )

    new_sources = _new(batch.sources, old_sources, SOURCE_FIELDS, "source", problems, summary, "sources")
    new_forecasters = _new(batch.forecasters, old_forecasters, FORECASTER_FIELDS, "forecaster", problems, summary, "forecasters")
    new_questions = _new(batch.questions, old_questions, QUESTION_FIELDS, "question", problems, summary, "questions")
    for q in new_questions:
        problems += checks.question_shape(q)

    questions = {qid: QuestionFacts(q.kind, tuple(q.options or ())) for qid, q in old_questions.items()}
    questions.update({q.id: QuestionFacts(q.kind, tuple(q.options or ())) for q in new_questions})
    forecasters = set(old_forecasters) | {f.id for f in new_forecasters}
    sources = _source_facts(old_sources, new_sources, base, problems)

    known_ids = _id_lister(session)
    rows = []
    keys = _fetch(session, Forecast, Forecast.key, [f.identity() for f in batch.forecasts])
    seen_keys: dict[str, Location] = {}
    for rec in batch.forecasts:
        missing = [m for m in checks.missing_references(rec, questions, forecasters, sources) if m not in batch.broken]
        if missing or any(ref in batch.broken for ref in (("question", rec.question), ("forecaster", rec.forecaster), ("source", rec.source))):
            pool = {"question": questions, "forecaster": forecasters, "source": sources}
            problems += [checks.unknown(kind, value, [*pool[kind], *known_ids(kind)], rec.where) for kind, value in missing]
            continue
        source = sources.get(rec.source) if rec.source else None
        found = checks.forecast_shape(rec, questions[rec.question]) + checks.made_on_known(rec, source) + checks.quote_in_source(rec, source)
        if found:
            problems += found
            continue
        row = _forecast_row(rec, rec.made_on or source.published_on)  # type: ignore[union-attr]
        key = row["key"]
        if key in seen_keys:
            problems.append(Problem(rec.where, f"forecast id {key!r} appears twice (first on line {seen_keys[key].line})"))
            continue
        seen_keys[key] = rec.where
        if key in keys:
            existing = keys[key]
            differing = [f for f in FORECAST_FIELDS if getattr(existing, f) != row[f]]
            if differing:
                problems.append(Problem(rec.where, f"forecast {key!r} is already in the ledger with different {', '.join(differing)}; "
                                        "the ledger never overwrites a forecast — record a revision as a new forecast with its own id"))
            else:
                summary.unchanged["forecasts"] += 1
            continue
        rows.append(row)

    resolutions = _plan_resolutions(session, batch.resolutions, questions, known_ids, problems, summary)
    raise_if(sorted(problems, key=lambda p: (str(p.location and p.location.file), (p.location and p.location.line) or 0)))

    for rec in new_sources:
        session.add(Source(**{f: getattr(rec, f) for f in ("id",) + SOURCE_FIELDS}))
    for rec in new_forecasters:
        session.add(Forecaster(**{f: getattr(rec, f) for f in ("id",) + FORECASTER_FIELDS}))
    for rec in new_questions:
        session.add(Question(**{f: getattr(rec, f) for f in ("id",) + QUESTION_FIELDS}))
        for tag in dict.fromkeys(rec.tags):
            session.add(QuestionTag(question_id=rec.id, tag=tag))
    session.flush()
    if rows:
        session.connection().execute(Forecast.__table__.insert(), rows)
    for row in resolutions:
        session.add(row)
    summary.added.update({"sources": len(new_sources), "forecasters": len(new_forecasters), "questions": len(new_questions),
                          "forecasts": len(rows), "resolutions": len(resolutions)})
    if dry_run:
        session.rollback()
    else:
        commit(session)
    return summary


def commit(session: Session) -> None:
    """Commit, turning a lost race (another writer got there first) into a clear refusal."""
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        if "uq_resolution_question_sequence" in str(exc.orig) or "resolution.question_id, resolution.sequence" in str(exc.orig):
            raise LedgerError("another resolution of this question was recorded at the same moment; nothing was written — run `ledger show` to see it, then use --correct if yours should replace it") from None
        raise LedgerError(f"the ledger refused the write (another writer changed the same records): {exc.orig}") from None


def _new(records, existing: dict, fields, kind: str, problems: list[Problem], summary: Summary, plural: str) -> list:
    """Records not yet in the ledger; those already there must agree with it."""
    fresh = []
    for rec in records:
        if rec.id in existing:
            problems += checks.conflicts(rec, existing[rec.id], fields, kind)
            summary.unchanged[plural] += 0 if rec.implicit else 1
        else:
            fresh.append(rec)
    return fresh


def _source_facts(old: dict, new: list, base: Path, problems: list[Problem]) -> dict[str, SourceFacts]:
    facts = {}
    for sid, row in old.items():  # a path stored earlier is relative to where the ledger is used
        text, _ = checks.read_source_text(row.text_path, Path.cwd(), Location(sid)) if row.text_path else (None, [])
        facts[sid] = SourceFacts(text, row.text_path, row.published_on)
    for rec in new:
        text = None
        if rec.text_path:
            text, found = checks.read_source_text(rec.text_path, base, rec.where)
            problems += found
        facts[rec.id] = SourceFacts(text, rec.text_path, rec.published_on)
    return facts


def _id_lister(session: Session):
    """Every id of a kind, fetched once and only when an unknown id needs a did-you-mean."""
    cache: dict[str, list[str]] = {}
    models = {"question": Question, "forecaster": Forecaster, "source": Source}

    def known(kind: str) -> list[str]:
        if kind not in cache:
            cache[kind] = list(session.exec(select(models[kind].id).limit(20000)))
        return cache[kind]

    return known


def _plan_resolutions(session: Session, records: list[ResolutionRecord], questions: dict, known_ids, problems: list[Problem], summary: Summary) -> list[Resolution]:
    """New Resolution rows, after checking each against the question and its history.

    A record identical to one in the history is already there (import is idempotent); anything else
    on a resolved question must be flagged as a correction.
    """
    history: dict[str, list] = {}
    for qid in {r.question for r in records}:
        history[qid] = list(session.exec(select(Resolution).where(Resolution.question_id == qid).order_by(Resolution.sequence)))
    planned = []
    now = dt.datetime.now(dt.timezone.utc)
    for rec in records:
        if rec.question not in questions:
            problems.append(checks.unknown("question", rec.question, known_ids("question"), rec.where))
            continue
        facts = questions[rec.question]
        try:
            outcome = parse_outcome(facts.kind, list(facts.options), rec.outcome)
        except ValueError as exc:
            problems.append(Problem(rec.where, f"question {rec.question!r}: {exc}"))
            continue
        occurred = outcome_date(facts.kind, outcome, rec.occurred_on)
        past = history[rec.question]
        if any(_same(old, outcome, occurred, rec) for old in past):
            summary.unchanged["resolutions"] += 1
            continue
        if past and not rec.correction:
            current = past[-1]
            problems.append(Problem(rec.where, f"question {rec.question!r} is already resolved as {current.outcome!r} (recorded {current.recorded_at:%Y-%m-%d}); "
                                    "a resolution is never overwritten — pass --correct (or correction: true) to record a correction"))
            continue
        if rec.correction and not past:
            problems.append(Problem(rec.where, f"question {rec.question!r} has no resolution to correct; drop --correct"))
            continue
        row = Resolution(question_id=rec.question, sequence=len(past) + 1, outcome=outcome, occurred_on=occurred or now.date(),
                         evidence=rec.evidence, evidence_quote=rec.evidence_quote, note=rec.note, recorded_at=rec.recorded_at or now)
        past.append(row)
        planned.append(row)
    return planned


def _same(old: Resolution, outcome: str, occurred: dt.date | None, rec: ResolutionRecord) -> bool:
    return (old.outcome == outcome and (occurred is None or old.occurred_on == occurred)
            and (rec.recorded_at is None or old.recorded_at == rec.recorded_at))


def void_forecast(session: Session, ident: str, reason: str, on: dt.date | None) -> Forecast:
    """Mark a forecast void because its condition failed: it stays in the ledger and is not scored."""
    forecast = find_forecast(session, ident)
    if forecast.voided_reason:
        raise LedgerError(f"forecast {ident} was already voided on {forecast.voided_on}: {forecast.voided_reason}")
    forecast.voided_reason = reason
    forecast.voided_on = on or dt.date.today()
    session.add(forecast)
    commit(session)
    return forecast


def find_forecast(session: Session, ident: str) -> Forecast:
    """A forecast by its number (as listed) or its key (as exported)."""
    query = select(Forecast).where(Forecast.id == int(ident)) if ident.isdigit() else select(Forecast).where(Forecast.key == ident)
    forecast = session.exec(query).first()
    if forecast is None:
        count = session.exec(select(func.count()).select_from(Forecast)).one()
        raise LedgerError(f"FORECAST: no forecast {ident!r}; give a number from `ledger list` or a key from `ledger export` ({count} forecasts in the ledger)")
    return forecast
