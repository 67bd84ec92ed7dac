"""Day-by-day scores of standing forecasts, as Good Judgment Open and Fatebook keep them: a forecast
stands from the day it is made until the forecaster's next one on the question, or until the
question resolves, and each day it stands is scored (docs/scoring.md).

Computed from the change points alone: a forecast's days are one subtraction, and the median of the
other forecasters changes only where someone's forecast does, so a question is cut into the
segments between its change points rather than into days.
"""

from __future__ import annotations

import numpy as np

from ledger.scoring.rules import sorted_median_of_others


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


CROSS_CHUNK = 500_000  # (segment, forecast) candidates examined at once: bounds the memory of a crowded question


def relative_days(question, start, days, values, counted) -> tuple[np.ndarray, np.ndarray]:
    """For each standing forecast, Σ over the days it stands of (its value − the median value of the
    other counted forecasters standing that day), and the number of those days on which anyone else
    stood. Each forecaster has at most one standing forecast per day, so "other" is per forecast.

    The question is cut at every change point: within a segment every standing forecast is
    constant, so one median per segment and forecast, weighted by the segment's length, is each
    day's. Pairing each segment with its question's forecasts already sorted by value yields them in
    (segment, value) order, so the medians need no sort of the pairs.
    """
    question, start = np.asarray(question, dtype=np.int64), np.asarray(start, dtype=np.int64)
    days, values, counted = np.asarray(days, dtype=np.int64), np.asarray(values, dtype=float), np.asarray(counted, dtype=bool)
    n = len(values)
    difference, together = np.zeros(n), np.zeros(n)
    if not n:
        return difference, together
    order = np.lexsort((values, question))
    q, v, c = question[order], values[order], counted[order]
    lowest = start.min()
    span = int((start + days).max() - lowest) + 1
    begin, stop = q * span + (start[order] - lowest), q * span + (start[order] + days[order] - lowest)
    bounds = np.sort(np.r_[begin, stop])
    bounds = bounds[np.r_[True, bounds[1:] != bounds[:-1]]]  # np.unique, without its hashing pass
    inside = bounds[1:] // span == bounds[:-1] // span  # consecutive change points of one question
    seg_begin, seg_length = bounds[:-1][inside], (bounds[1:] - bounds[:-1])[inside].astype(float)
    row_first = np.flatnonzero(np.r_[True, q[1:] != q[:-1]])  # q is sorted: each question's rows are one run
    row_count = np.diff(np.r_[row_first, n])
    seg_question = np.searchsorted(q[row_first], seg_begin // span)
    lo, hi = np.searchsorted(seg_begin, begin), np.searchsorted(seg_begin, stop)  # the segments each forecast stands in
    del begin, stop, bounds, inside  # a million forecasts' worth each, not needed below
    pieces = row_count[seg_question]
    ends = np.cumsum(pieces)
    for first_seg, last_seg in _chunks(ends):
        count = pieces[first_seg:last_seg]
        seg = np.repeat(np.arange(first_seg, last_seg), count)
        row = row_first[seg_question[seg]] + np.arange(len(seg)) - np.repeat(np.cumsum(count) - count, count)
        live = (lo[row] <= seg) & (seg < hi[row])
        seg, row = seg[live], row[live]
        median = sorted_median_of_others(v[row], seg, c[row])
        known = ~np.isnan(median)
        weight = seg_length[seg[known]]
        difference += np.bincount(row[known], weights=(v[row] - median)[known] * weight, minlength=n)
        together += np.bincount(row[known], weights=weight, minlength=n)
    result_difference, result_together = np.empty(n), np.empty(n)
    result_difference[order], result_together[order] = difference, together
    return result_difference, result_together


def _chunks(ends: np.ndarray):
    """Runs of segments whose (segment, forecast) candidates add up to about CROSS_CHUNK each (at
    least one segment per run); `ends` is the running total of candidates."""
    first = 0
    while first < len(ends):
        done = ends[first - 1] if first else 0
        last = max(int(np.searchsorted(ends, done + CROSS_CHUNK, side="right")), first + 1)
        yield first, last
        first = last


def unit_means(totals, weights, units, n_units: int) -> np.ndarray:
    """Σ totals / Σ weights per unit (a forecaster's question, in a group); NaN where Σ weights is 0."""
    num = np.bincount(units, weights=totals, minlength=n_units)
    den = np.bincount(units, weights=weights, minlength=n_units)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
