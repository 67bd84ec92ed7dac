"""The queries behind add, resolve, list and show use indexes, so they cost the same in any size of ledger."""

from __future__ import annotations

import sqlite3

from sqlmodel import select

from ledger.db.queries import forecasts_query
from ledger.db.resolution import current_outcome
from ledger.schema.tables import Forecast, Resolution


def _plan(ledger, query) -> str:
    from sqlalchemy.dialects import sqlite

    sql = query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}).string
    with sqlite3.connect(ledger.url.removeprefix("sqlite:///")) as conn:
        return "\n".join(row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))


def test_list_with_limit_reads_one_resolution_per_row(sqlite_ledger):
    seeded = sqlite_ledger
    seeded("import", "predictions.yaml")
    plan = _plan(seeded, forecasts_query(limit=50))
    assert "SCAN resolution" not in plan
    assert "SEARCH resolution USING" in plan and "SEARCH question USING INDEX" in plan


def test_lookups_by_key_question_and_history_use_indexes(sqlite_ledger):
    seeded = sqlite_ledger
    seeded("import", "predictions.yaml")
    assert "USING INDEX sqlite_autoindex_forecast" in _plan(seeded, select(Forecast).where(Forecast.key.in_(["a", "b"])))
    by_question = _plan(seeded, select(Forecast).where(Forecast.question_id == "congress-opening"))
    assert "USING INDEX ix_forecast_question_forecaster" in by_question
    history = _plan(seeded, select(Resolution).where(Resolution.question_id.in_(["congress-opening"])))
    assert "USING INDEX sqlite_autoindex_resolution" in history
    assert "SEARCH" in _plan(seeded, select(current_outcome(Forecast.question_id)))
