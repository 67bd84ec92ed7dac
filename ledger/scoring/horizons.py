"""Forecast horizons: how many days before its question resolved a forecast was made, in the
buckets `report --by horizon` groups by (docs/scoring.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ledger.scoring.platform_scores import day_numbers

# (longest horizon in days, label); a forecast made on or after the day its question resolved is in the first.
BUCKETS = ((7, "≤7 days"), (30, "8–30 days"), (90, "31–90 days"), (365, "91–365 days"), (None, ">365 days"))
UNRESOLVED = "(not resolved)"


def horizon_days(made_on, occurred_on) -> np.ndarray:
    """Days from each forecast (ISO date) to its question's resolution date; NaN where there is none."""
    made, occurred = day_numbers(made_on), day_numbers(occurred_on)
    missing = occurred == np.iinfo(np.int64).min
    return np.where(missing, np.nan, (occurred - made).astype(float))


def bucket(made_on, occurred_on) -> pd.Categorical[str]:
    """Each forecast's horizon bucket, ordered from the shortest, unresolved last."""
    days = horizon_days(made_on, occurred_on)
    edges = np.array([limit for limit, _ in BUCKETS if limit is not None], dtype=float)
    code = np.where(np.isnan(days), len(BUCKETS), np.searchsorted(edges, days, side="left")).astype(np.int64)
    labels = pd.Index([label for _, label in BUCKETS] + [UNRESOLVED])
    return pd.Categorical.from_codes(code, categories=labels, ordered=True)
