"""Resolving a question: the outcome is appended to the question's history, never written over it."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from ledger.db.store import apply_batch
from ledger.errors import Problem, raise_if
from ledger.schema.dates import parse_date
from ledger.schema.records import Batch, ResolutionRecord, record, unstorable
from ledger.schema.tables import Resolution


def resolve(session: Session, question: str, outcome: str, *, on: dt.date | None = None, evidence: str | None = None,
            quote: str | None = None, note: str | None = None, correct: bool = False) -> Resolution:
    """Append the outcome to the question's history (checked like an import) and return the
    question's current resolution: the new one, or the earlier one when it already said this."""
    problems = unstorable(question=question, outcome=outcome, evidence=evidence, quote=quote, note=note)
    try:
        on = parse_date(on) if on is not None else None  # a date object is held to the same years as a typed one
    except ValueError as exc:
        problems.append(Problem(None, str(exc), "on"))
    raise_if(problems)
    rec = record(ResolutionRecord, question=question, outcome=outcome, occurred_on=on, evidence=evidence,
                 evidence_quote=quote, note=note, correction=correct)
    apply_batch(session, Batch(resolutions=[rec]), None)
    current = session.exec(select(Resolution).where(Resolution.question_id == question).order_by(col(Resolution.sequence).desc())).first()
    assert current is not None  # apply_batch raised unless the history has this outcome
    return current

