"""ForecastBench's published human forecasts as the ledger's long CSV rows (docs/formats.md).

ForecastBench (github.com/forecastingresearch/forecastbench-datasets, CC BY-SA 4.0) publishes, per
question set, each forecaster's forecasts (`…human_super_individual.json`) and the resolutions
(`…resolution_set….json`). A dataset question (ACLED, FRED, Wikipedia, …) is asked at several
horizons, each resolved on its own date: each (id, resolution date) becomes one ledger question. A
market question (Manifold, Metaculus, Polymarket, INFER) is one question, resolved when its market is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

MARKET_SOURCES = ("manifold", "metaculus", "polymarket", "infer")
QUESTION_SETS = ("dataset", "market")


def long_rows(forecasts: str | Path, resolutions: str | Path, questions: str = "dataset") -> pd.DataFrame:
    """The forecasts on one kind of question (`dataset` or `market`) as long-CSV rows: one per
    forecaster and question, made on the set's forecast due date, with the outcome (yes/no) and
    its date where the resolution set says the question resolved; open otherwise."""
    if questions not in QUESTION_SETS:
        raise ValueError(f"questions must be one of {', '.join(QUESTION_SETS)}, not {questions!r}")
    given = json.loads(Path(forecasts).read_text(encoding="utf-8"))
    settled = pd.DataFrame(json.loads(Path(resolutions).read_text(encoding="utf-8"))["resolutions"])
    frame = pd.DataFrame(given["forecasts"])
    market = frame["source"].isin(MARKET_SOURCES)
    frame = frame[market if questions == "market" else ~market]
    settled = settled[settled["id"].map(lambda ident: isinstance(ident, str))]  # lists: combined questions, not asked of people
    keys = ["id"] if questions == "market" else ["id", "resolution_date"]
    if questions == "market":
        frame = frame.drop(columns="resolution_date")
    joined = frame.merge(settled[[*keys, "resolution_date", "resolved", "resolved_to"]] if questions == "market"
                         else settled[[*keys, "resolved", "resolved_to"]], on=keys, how="left")
    question = "fb-" + joined["id"] + ("" if questions == "market" else "-" + joined["resolution_date"])
    resolved = joined["resolved"].fillna(False).astype(bool) & joined["resolved_to"].isin([0.0, 1.0])
    return pd.DataFrame({
        "id": question + "-" + joined["user_id"],
        "question": question,
        "forecaster": joined["user_id"],
        "probability": joined["forecast"],
        "made_on": given["forecast_due_date"],
        "kind": "binary",
        "outcome": joined["resolved_to"].map({1.0: "yes", 0.0: "no"}).where(resolved, ""),
        "resolved_on": joined["resolution_date"].where(resolved, ""),
    })
