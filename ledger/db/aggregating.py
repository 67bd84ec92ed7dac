"""Recording a crowd forecast: an aggregate forecaster's forecasts are replaced, in one transaction,
by the combination of the other forecasters' latest forecasts (`scoring.aggregation`)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, delete, select

from ledger.db.store import bulk_insert
from ledger.errors import Conflict
from ledger.schema.tables import Forecast, Forecaster
from ledger.schema.vocabulary import AGGREGATE_METHODS


def record_aggregate(session: Session, forecaster: str, method: str, *, as_of: dt.date | None, exponent: float,
                     name: str | None = None) -> dict:
    """Replace `forecaster`'s forecasts by the crowd's on every binary question (creating it as an
    aggregate forecaster when new); returns what was recorded. An existing forecaster of another
    kind is refused: its own forecasts would be lost."""
    from ledger.scoring.aggregation import crowd_forecasts
    from ledger.scoring.reports import forecast_frame

    existing = session.get(Forecaster, forecaster)
    if existing is not None and existing.kind != "aggregate":
        raise Conflict(f"forecaster {forecaster!r} is a {existing.kind}, not an aggregate; its forecasts are not replaced — "
                       "name the crowd forecaster with a new id", field="forecaster")
    if existing is None:
        session.add(Forecaster(id=forecaster, name=name or _default_name(method), kind="aggregate"))
        session.flush()
    elif name is not None or existing.name in {_default_name(m) for m in AGGREGATE_METHODS}:  # a name given, or the one
        existing.name = name or _default_name(method)  # the ledger gave it, which says the method: it follows the new one
    replaced = session.exec(select(col(Forecast.id)).where(Forecast.forecaster_id == forecaster)).all()
    session.execute(delete(Forecast).where(col(Forecast.forecaster_id) == forecaster))
    crowd = crowd_forecasts(forecast_frame(session.connection().connection, as_of=as_of), method, exponent=exponent)
    now = dt.datetime.now(dt.UTC)
    rows = [{"key": f"aggregate:{forecaster}:{question}", "question_id": question, "forecaster_id": forecaster,
             "probability": float(probability), "made_on": dt.date.fromisoformat(made_on), "recorded_at": now,
             "claim": f"{method} of {n} forecaster{'s' if n != 1 else ''}"}
            for question, probability, made_on, n in crowd.itertuples(index=False)]
    bulk_insert(session, Forecast, rows)
    return {"forecaster": forecaster, "method": method, "questions": len(rows), "replaced": len(replaced)}


def _default_name(method: str) -> str:
    return f"crowd ({method})"
