"""Day-by-day scores of standing forecasts, as Good Judgment Open and Fatebook keep them: a forecast
stands from the day it is made until the forecaster's next one on the question, or until the
question resolves, and each day it stands is scored (docs/scoring.md).

Computed from the change points alone: a forecast's days are one subtraction, and the median of the
other forecasters changes only where someone's forecast does, so a question is cut into the
segments between its change points rather than into days.
"""

from __future__ import annotations

import numpy as np

from ledger.scoring.rules import median_of_others


def standing_days(pair, day, order, end) -> np.ndarray:
    """How many days each forecast stands: from its `day` until the next forecast of the same `pair`
    (forecaster on a question) or the day the question resolved (`end`), whichever comes first; 0
    for one made on or after `end` and for all but the last (by `order`) of one day's forecasts.
    Days are integers (days since any fixed date)."""
    pair, day, end = np.asarray(pair), np.asarray(day, dtype=np.int64), np.asarray(end, dtype=np.int64)
    ranked = np.lexsort((np.asarray(order), day, pair))
    p, d, e = pair[ranked], day[ranked], end[ranked]
    same_next = np.r_[p[1:] == p[:-1], False]
    next_day = np.where(same_next, np.r_[d[1:], 0], e)
    days = np.empty(len(ranked), dtype=np.int64)
    days[ranked] = np.maximum(np.minimum(next_day, e) - d, 0)
    return days


def relative_days(question, start, days, values, counted) -> tuple[np.ndarray, np.ndarray]:
    """For each standing forecast, Σ over the days it stands of (its value − the median value of the
    other counted forecasters standing that day), and the number of those days on which anyone else
    stood. Each forecaster has at most one standing forecast per day, so "other" is per forecast.

    The question is cut at every change point: within a segment every standing forecast is
    constant, so one median per segment and forecast, weighted by the segment's length, is each day's.
    """
    question, start = np.asarray(question, dtype=np.int64), np.asarray(start, dtype=np.int64)
    days, values, counted = np.asarray(days, dtype=np.int64), np.asarray(values, dtype=float), np.asarray(counted, dtype=bool)
    n = len(values)
    if not n:
        return np.zeros(0), np.zeros(0)
    first = start.min()
    span = int((start + days).max() - first) + 1
    begin, stop = question * span + (start - first), question * span + (start + days - first)
    bounds = np.unique(np.r_[begin, stop])
    lo, hi = np.searchsorted(bounds, begin), np.searchsorted(bounds, stop)
    pieces = hi - lo
    row = np.repeat(np.arange(n), pieces)
    segment = lo[row] + np.arange(len(row)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    length = (bounds[segment + 1] - bounds[segment]).astype(float)
    median = median_of_others(values[row], segment, counted[row])
    known = ~np.isnan(median)
    difference = np.bincount(row[known], weights=(values[row] - median)[known] * length[known], minlength=n)
    return difference, np.bincount(row[known], weights=length[known], minlength=n)


def unit_means(totals, weights, units, n_units: int) -> np.ndarray:
    """Σ totals / Σ weights per unit (a forecaster's question, in a group); NaN where Σ weights is 0."""
    num = np.bincount(units, weights=totals, minlength=n_units)
    den = np.bincount(units, weights=weights, minlength=n_units)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
