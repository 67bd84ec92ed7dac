"""What an outcome means for each kind of question, and how a question's status is derived.

Resolutions are an append-only history: the current one is the highest sequence number, a
correction adds the next number and must be asked for explicitly. Status is never stored: it is
derived (open, overdue, resolved, annulled, ambiguous) by one SQL expression used by every listing.
SQLAlchemy and the models are imported by the functions that build SQL with them, so that reports
can use this module without them.
"""

from __future__ import annotations

import datetime as dt

from ledger.schema.vocabulary import VOID_OUTCOMES

# Each resolved question's latest resolution, as plain SQL that runs on SQLite and PostgreSQL alike:
# reports execute it through the driver, `current_resolutions` wraps it for SQLAlchemy queries.
CURRENT_RESOLUTIONS = """SELECT r.question_id, r.outcome, r.occurred_on, r.sequence FROM resolution r
JOIN (SELECT question_id, max(sequence) AS sequence FROM resolution GROUP BY question_id) latest
  ON latest.question_id = r.question_id AND latest.sequence = r.sequence"""

def current_resolutions():
    """Subquery: each resolved question's latest resolution (question_id, outcome, occurred_on, sequence)."""
    from sqlalchemy import text

    from ledger.schema.tables import Resolution

    table = Resolution.__table__.c  # type: ignore[attr-defined]  # SQLModel declares it at run time
    return text(CURRENT_RESOLUTIONS).columns(table.question_id, table.outcome, table.occurred_on, table.sequence).subquery("current_resolution")


def current_outcome(question_id):
    """SQL for the latest outcome of the question `question_id` refers to (NULL when unresolved):
    one index lookup per row, so a listing of 50 rows costs the same in any size of ledger."""
    from sqlmodel import col, select

    from ledger.schema.tables import Resolution

    return (select(Resolution.outcome).where(Resolution.question_id == question_id)
            .order_by(col(Resolution.sequence).desc()).limit(1).scalar_subquery())


def status_expression(outcome, today: dt.date):
    """SQL for a question's status from its current outcome (an expression; NULL when unresolved)."""
    from sqlalchemy import and_, case
    from sqlmodel import col

    from ledger.schema.tables import Question

    resolve_by = col(Question.resolve_by)
    unresolved = case((and_(resolve_by.is_not(None), resolve_by < today), "overdue"), else_="open")
    return case((outcome.is_(None), unresolved), (outcome.in_(VOID_OUTCOMES), outcome), else_="resolved")
