"""The ledger's tables. They are created and changed only by the alembic migrations in migrations/;
a test checks that these models and the migrations agree."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class Source(SQLModel, table=True):
    """Where forecasts were published."""

    id: str = Field(primary_key=True)
    title: str
    publisher: str | None = None
    url: str | None = None
    published_on: dt.date | None = None
    kind: str = "article"
    text_path: str | None = None  # a stored copy of the text, relative to the file that named it
    note: str | None = None


class Forecaster(SQLModel, table=True):
    """A named person, an organisation, or a collective such as an article's unnamed 'experts'."""

    id: str = Field(primary_key=True)
    name: str
    affiliation: str | None = None
    kind: str = "person"


class Question(SQLModel, table=True):
    """One thing the world will settle."""

    id: str = Field(primary_key=True)
    text: str
    kind: str = "binary"
    criteria: str | None = None
    resolve_by: dt.date | None = None
    options: list[str] | None = Field(default=None, sa_column=Column(JSON))


class QuestionTag(SQLModel, table=True):
    __tablename__ = "question_tag"

    question_id: str = Field(foreign_key="question.id", primary_key=True)
    tag: str = Field(primary_key=True, index=True)


class Forecast(SQLModel, table=True):
    """A forecaster's probability for a claim about a question, with the words it came from.

    `key` is the forecast's stable identity across files (the file's id, or a hash of its content),
    which makes imports idempotent. A later forecast by the same forecaster on the same question
    supersedes an earlier one; both are kept.
    """

    __table_args__ = (Index("ix_forecast_question_forecaster", "question_id", "forecaster_id", "made_on"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    question_id: str = Field(foreign_key="question.id")
    forecaster_id: str = Field(foreign_key="forecaster.id", index=True)
    source_id: str | None = Field(default=None, foreign_key="source.id", index=True)
    made_on: dt.date
    quote: str | None = None
    claim: str | None = None
    probability: float
    phrase: str | None = None
    scale: str | None = None
    band_low: float | None = None
    band_high: float | None = None
    window_from: dt.date | None = None
    window_to: dt.date | None = None
    option: str | None = None
    condition: str | None = None
    voided_reason: str | None = None
    voided_on: dt.date | None = None
    recorded_at: dt.datetime | None = None  # when it was entered into the ledger (empty before revision 0002)
    distribution: dict[str, float] | None = Field(default=None, sa_column=Column(JSON))  # categorical: every option's probability


class Resolution(SQLModel, table=True):
    """Append-only outcome history of a question. Sequence 1 is the first resolution; each
    correction takes the next number. The unique (question, sequence) pair is what makes two
    people resolving at once end with one resolution and one refusal."""

    __table_args__ = (UniqueConstraint("question_id", "sequence", name="uq_resolution_question_sequence"),)

    id: int | None = Field(default=None, primary_key=True)
    question_id: str = Field(foreign_key="question.id")
    sequence: int
    outcome: str  # yes | no | an ISO date | an option | annulled | ambiguous
    occurred_on: dt.date | None = None
    evidence: str | None = None  # a source id or URL
    evidence_quote: str | None = None
    note: str | None = None
    recorded_at: dt.datetime
