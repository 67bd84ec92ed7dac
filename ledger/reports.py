"""Accuracy reports as pandas DataFrames: the reporting layer, and the only place pandas is imported.

`forecast_frame` reads every forecast with its question's current outcome in one query and reduces
each to (p, o); the report functions group and score it with `scoring`. Notebook users can call
these directly: `ledger.reports.scores(session)`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from . import scoring
from .models import Forecast, Question, Source
from .resolution import VOID_OUTCOMES, current_resolutions

GROUPINGS = ("forecaster", "source", "publisher", "question", "phrase")


def forecast_frame(session: Session) -> pd.DataFrame:
    """One row per forecast: who, where, p, the band it came from, and o (NaN until scoreable)."""
    current = current_resolutions()
    query = (
        select(
            Forecast.id, Forecast.forecaster_id.label("forecaster"), Forecast.source_id.label("source"),
            Source.publisher, Forecast.question_id.label("question"), Question.kind, Forecast.probability.label("p"),
            Forecast.band_low, Forecast.band_high, Forecast.phrase, Forecast.made_on, Forecast.window_from,
            Forecast.window_to, Forecast.option, Forecast.voided_reason, current.c.outcome, current.c.occurred_on,
        )
        .join(Question, Question.id == Forecast.question_id)
        .outerjoin(Source, Source.id == Forecast.source_id)
        .outerjoin(current, current.c.question_id == Forecast.question_id)
        .order_by(Forecast.id)
    )
    frame = pd.DataFrame(session.execute(query).all(), columns=[c.name for c in query.selected_columns])
    frame["o"] = scoring.event_outcomes(frame["kind"], frame["outcome"], frame["window_from"], frame["window_to"], frame["option"])
    voided = frame["voided_reason"].notna()
    void_question = frame["outcome"].isin(VOID_OUTCOMES)
    frame["state"] = np.select([voided, void_question, frame["o"].notna()], ["voided", "annulled", "scored"], "open")
    frame.loc[frame["state"] != "scored", "o"] = np.nan
    return frame


def scores(session: Session, by: str = "forecaster") -> pd.DataFrame:
    """Per-group counts and mean Brier score; the full set of scores grows from here."""
    frame = forecast_frame(session)
    return summarise(frame, by)


def summarise(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    if by not in GROUPINGS:
        raise ValueError(f"cannot group by {by!r}; choose one of {', '.join(GROUPINGS)}")
    keyed = frame.assign(key=frame[by].fillna("(none)"), brier=scoring.brier(frame["p"], frame["o"]))
    counts = pd.crosstab(keyed["key"], keyed["state"]).reindex(columns=["scored", "open", "voided", "annulled"], fill_value=0)
    result = pd.DataFrame({
        by: counts.index,
        "forecasts": counts.sum(axis=1).to_numpy(),
        "n": counts["scored"].to_numpy(),
        "open": counts["open"].to_numpy(),
        "voided": (counts["voided"] + counts["annulled"]).to_numpy(),
    })
    result["brier"] = keyed.groupby("key")["brier"].mean().reindex(counts.index).to_numpy()
    return result.sort_values([by]).reset_index(drop=True)


def as_rows(frame: pd.DataFrame) -> list[dict]:
    """DataFrame rows as plain dicts with JSON-friendly values (NaN becomes None)."""
    clean = frame.astype(object).where(frame.notna(), None)
    return clean.to_dict(orient="records")

