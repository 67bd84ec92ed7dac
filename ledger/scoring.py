"""Scoring rules as pure functions: arrays in, numbers out. No database, no printing.

Formulas and sources are in docs/scoring.md.
"""

from __future__ import annotations

import numpy as np

LOG_CLIP = 1e-4  # p is clipped to [1e-4, 1 - 1e-4] before a log score, so one 0% or 100% miss is costly, not infinite


def event_outcomes(kind, outcome, window_from, window_to, option) -> np.ndarray:
    """Reduce each forecast to the 0/1 outcome of the event its probability is about.

    binary: the question resolved yes; date: the actual date fell inside the forecast's window
    (ISO strings compare as dates); categorical: the question resolved to the forecast's option.
    NaN where the question has no scoreable outcome. Arguments are equal-length object arrays.
    """
    kind, outcome = np.asarray(kind, dtype=object), np.asarray(outcome, dtype=object)
    result = np.full(len(kind), np.nan)
    known = np.array([o is not None and o == o and o not in ("annulled", "ambiguous") for o in outcome], dtype=bool)
    binary = known & (kind == "binary")
    result[binary] = outcome[binary] == "yes"
    dated = known & (kind == "date")
    if dated.any():
        start = np.asarray(window_from, dtype=object)[dated].astype(str)
        end = np.asarray(window_to, dtype=object)[dated].astype(str)
        actual = outcome[dated].astype(str)
        result[dated] = (start <= actual) & (actual <= end)
    categorical = known & (kind == "categorical")
    result[categorical] = np.asarray(option, dtype=object)[categorical] == outcome[categorical]
    return result


def brier(p, o) -> np.ndarray:
    """Per-forecast Brier score (p − o)²: 0 is perfect, 0.25 is always saying 50%."""
    p, o = np.asarray(p, dtype=float), np.asarray(o, dtype=float)
    return (p - o) ** 2


def brier_two_sided(p, o) -> np.ndarray:
    """The 0–2 form used by Good Judgment Open and Fatebook: summed over both outcomes, 2(p − o)²."""
    return 2 * brier(p, o)


def log_score(p, o, clip: float = LOG_CLIP) -> np.ndarray:
    """ln of the probability given to what happened (higher is better; 0 is perfect)."""
    p = np.clip(np.asarray(p, dtype=float), clip, 1 - clip)
    o = np.asarray(o, dtype=float)
    return np.where(o == 1, np.log(p), np.log1p(-p))
