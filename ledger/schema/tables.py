"""Each entity described once, SQLModel's way: a `…Fields` model holds the fields a person describes
(what a file gives, what an export writes, what `Ledger.add` accepts, what a listing shows), and the
table model adds keys, references and the database's own constraints.

Everything else derives its field lists from here (`described_fields`): an optional column added to
`ForecastFields` plus one migration is carried by import, export, the API and `list --format json`
with no other change. The tables are created and changed only by the alembic migrations in
migrations/; a test checks that these models and the migrations agree.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from ledger.schema.ids import id_check
from ledger.schema.vocabulary import FORECASTER_KINDS, QUESTION_KINDS, SOURCE_KINDS


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class SourceFields(SQLModel):
    """Where forecasts were published."""

    title: str
    publisher: str | None = None
    url: str | None = None
    published_on: dt.date | None = None
    kind: str = "article"
    text_path: str | None = None  # where the text was read from, relative to the file that named it
    note: str | None = None
    text: str | None = None  # the source's text itself, read once from text_path: quotes are checked against it anywhere


class Source(SourceFields, table=True):
    __table_args__ = (CheckConstraint(_one_of("kind", SOURCE_KINDS), name="ck_source_kind"),
                      CheckConstraint(id_check("id"), name="ck_source_id"))

    id: str = Field(primary_key=True)


class ForecasterFields(SQLModel):
    """A named person, an organisation, a collective such as an article's unnamed 'experts', or an
    aggregate of other forecasters."""

    name: str
    affiliation: str | None = None
    kind: str = "person"


class Forecaster(ForecasterFields, table=True):
    __table_args__ = (CheckConstraint(_one_of("kind", FORECASTER_KINDS), name="ck_forecaster_kind"),
                      CheckConstraint(id_check("id"), name="ck_forecaster_id"))

    id: str = Field(primary_key=True)


class QuestionFields(SQLModel):
    """One thing the world will settle."""

    text: str
    kind: str = "binary"
    criteria: str | None = None
    resolve_by: dt.date | None = None
    options: list[str] | None = Field(default=None, sa_column=Column(JSON))


class Question(QuestionFields, table=True):
    __table_args__ = (CheckConstraint(_one_of("kind", QUESTION_KINDS), name="ck_question_kind"),
                      CheckConstraint(id_check("id"), name="ck_question_id"))

    id: str = Field(primary_key=True)


class QuestionTag(SQLModel, table=True):
    __tablename__ = "question_tag"
    __table_args__ = (CheckConstraint(id_check("tag"), name="ck_question_tag_tag"),)

    question_id: str = Field(foreign_key="question.id", primary_key=True)
    tag: str = Field(primary_key=True, index=True)


class ForecastFields(SQLModel):
    """What a forecast says beside its probability, window, voiding and references, which have
    shapes of their own in files (`window: FROM..TO`, `voided: {reason, on}`, a phrase that becomes
    a number): these are plain values, one column each."""

    made_on: dt.date
    quote: str | None = None
    claim: str | None = None
    option: str | None = None  # categorical questions: the option forecast
    condition: str | None = None  # if it fails, the forecast is voided


class Forecast(ForecastFields, table=True):
    """A forecaster's probability for a claim about a question, with the words it came from.

    `key` is the forecast's stable identity across files (the file's id, or a hash of its content),
    which makes imports idempotent. A later forecast by the same forecaster on the same question
    supersedes an earlier one; both are kept.
    """

    __table_args__ = (
        Index("ix_forecast_question_forecaster", "question_id", "forecaster_id", "made_on"),
        CheckConstraint("probability >= 0 AND probability <= 1", name="ck_forecast_probability"),
        CheckConstraint("band_low IS NULL OR (band_low >= 0 AND band_high <= 1 AND band_low <= band_high)", name="ck_forecast_band"),
        CheckConstraint("(window_from IS NULL) = (window_to IS NULL) AND (window_from IS NULL OR window_from <= window_to)",
                        name="ck_forecast_window"),
        CheckConstraint("voided_on IS NULL OR voided_reason IS NOT NULL", name="ck_forecast_voided"),
        CheckConstraint(id_check("key"), name="ck_forecast_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    question_id: str = Field(foreign_key="question.id")
    forecaster_id: str = Field(foreign_key="forecaster.id", index=True)
    source_id: str | None = Field(default=None, foreign_key="source.id", index=True)
    probability: float
    phrase: str | None = None
    scale: str | None = None
    band_low: float | None = None
    band_high: float | None = None
    window_from: dt.date | None = None
    window_to: dt.date | None = None
    voided_reason: str | None = None
    voided_on: dt.date | None = None
    recorded_at: dt.datetime | None = None  # when it was entered into the ledger (empty before revision 0002)
    distribution: dict[str, float] | None = Field(default=None, sa_column=Column(JSON))  # categorical: every option's probability


class ResolutionFields(SQLModel):
    """What settled a question, as a person records it."""

    occurred_on: dt.date | None = None
    evidence: str | None = None  # a source id or URL
    evidence_quote: str | None = None
    note: str | None = None


class Resolution(ResolutionFields, table=True):
    """Append-only outcome history of a question. Sequence 1 is the first resolution; each
    correction takes the next number. The unique (question, sequence) pair is what makes two
    people resolving at once end with one resolution and one refusal."""

    __table_args__ = (
        UniqueConstraint("question_id", "sequence", name="uq_resolution_question_sequence"),
        CheckConstraint("sequence >= 1", name="ck_resolution_sequence"),
        CheckConstraint("outcome <> ''", name="ck_resolution_outcome"),
    )

    id: int | None = Field(default=None, primary_key=True)
    question_id: str = Field(foreign_key="question.id")
    sequence: int
    outcome: str  # yes | no | an ISO date | an option | annulled | ambiguous
    recorded_at: dt.datetime


def described_fields(model: type[SQLModel]) -> tuple[str, ...]:
    """The fields of an entity a person describes, in declaration order."""
    return tuple(model.model_fields)


SOURCE_FIELDS = described_fields(SourceFields)
FORECASTER_FIELDS = described_fields(ForecasterFields)
QUESTION_FIELDS = described_fields(QuestionFields)
FORECAST_FIELDS = described_fields(ForecastFields)
RESOLUTION_FIELDS = described_fields(ResolutionFields)
