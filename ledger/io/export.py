"""Writing the whole ledger out as YAML, JSON (the import format, resolution history included) or
the long CSV (one row per forecast, with each question's current outcome)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from ledger.db.resolution import current_resolutions
from ledger.io.loaders import CSV_COLUMNS, escape_cell
from ledger.schema.tables import (
    FORECAST_FIELDS,
    FORECASTER_FIELDS,
    QUESTION_FIELDS,
    RESOLUTION_FIELDS,
    SOURCE_FIELDS,
    Forecast,
    Forecaster,
    Question,
    QuestionTag,
    Resolution,
    Source,
)


def _clean(mapping: dict) -> dict:
    return {k: v for k, v in mapping.items() if v not in (None, [], "")}


def _iso(value):
    return value.isoformat() if value is not None else None


def document(session: Session) -> dict:
    """The ledger as one import-format document: export then import reproduces it exactly."""
    tags: dict[str, list[str]] = {}
    for qid, tag in session.exec(select(QuestionTag.question_id, QuestionTag.tag).order_by(QuestionTag.question_id, QuestionTag.tag)):
        tags.setdefault(qid, []).append(tag)
    return {
        "version": 1,
        "sources": [_clean({"id": s.id, **_described(s, SOURCE_FIELDS)}) for s in session.exec(select(Source).order_by(Source.id))],
        "forecasters": [_clean({"id": f.id, **_described(f, FORECASTER_FIELDS)})
                        for f in session.exec(select(Forecaster).order_by(col(Forecaster.id)))],
        "questions": [_clean({"id": q.id, **_described(q, QUESTION_FIELDS), "tags": tags.get(q.id)})
                      for q in session.exec(select(Question).order_by(col(Question.id)))],
        "forecasts": [_forecast(f) for f in session.exec(select(Forecast).order_by(col(Forecast.id)))],
        "resolutions": [
            _clean({"question": r.question_id, "outcome": r.outcome, "on": _iso(r.occurred_on),
                    **_described(r, tuple(f for f in RESOLUTION_FIELDS if f != "occurred_on")),
                    "recorded_at": r.recorded_at.isoformat(), "correction": True if r.sequence > 1 else None})
            for r in session.exec(select(Resolution).order_by(col(Resolution.question_id), col(Resolution.sequence)))
        ],
    }


def _described(row, fields: tuple[str, ...]) -> dict:
    """A row's described fields as the import format writes them (dates as ISO text)."""
    return {name: _iso(value) if isinstance(value, dt.date) else value for name in fields if (value := getattr(row, name)) is not None}


def _forecast(f: Forecast) -> dict:
    """A forecast in the import format: its references and shaped fields, then its described ones."""
    return _clean({
        "id": f.key, "question": f.question_id, "forecaster": f.forecaster_id, "source": f.source_id,
        **_described(f, FORECAST_FIELDS), "probability": f.probability, "phrase": f.phrase, "scale": f.scale,
        "window": f"{f.window_from}..{f.window_to}" if f.window_from else None,
        "voided": _clean({"reason": f.voided_reason, "on": _iso(f.voided_on)}) if f.voided_reason is not None else None,
        "recorded_at": _iso(f.recorded_at), "distribution": f.distribution,
    })


def csv_rows(session: Session):
    """One row per forecast in the long CSV format, each carrying its question's current outcome."""
    current = current_resolutions()
    query = (
        select_columns(Forecast, col(Question.text), col(Question.kind), col(Question.resolve_by), current.c.outcome, current.c.occurred_on)
        .join(Question, col(Question.id) == col(Forecast.question_id))
        .outerjoin(current, current.c.question_id == col(Question.id))
        .order_by(col(Forecast.id))
    )
    for f, text, kind, resolve_by, outcome, resolved_on in session.execute(query):
        yield {
            **_described(f, FORECAST_FIELDS), "question": f.question_id, "forecaster": f.forecaster_id,
            "probability": repr(f.probability), "id": f.key, "source": f.source_id, "phrase": f.phrase, "scale": f.scale,
            "question_text": text, "kind": kind, "resolve_by": _iso(resolve_by), "window_from": _iso(f.window_from),
            "window_to": _iso(f.window_to), "voided_reason": f.voided_reason, "voided_on": _iso(f.voided_on),
            "outcome": outcome, "resolved_on": _iso(resolved_on),
        }


def write_csv(rows, out, columns=CSV_COLUMNS) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([escape_cell(row.get(c)) for c in columns])


FORMATS = ("yaml", "json", "csv")


def render(session: Session, fmt: str) -> str:
    if fmt == "csv":
        out = io.StringIO()
        write_csv(csv_rows(session), out)
        return out.getvalue()
    doc = document(session)
    if fmt == "json":
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    import yaml

    class Dumper(yaml.SafeDumper):
        """Text of several lines (a source's text) as a literal block, line for line: folded at 100
        columns it would take ten times the lines, and a YAML file is weighed by its lines."""

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)

    Dumper.add_representer(str, text)
    return yaml.dump(doc, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)
