"""Metaculus's baseline and peer scores for binary forecasts, as its scoring documentation defines
them (docs/scoring.md): pure functions over arrays, one value per forecast.

Both are log scores on the probability given to what happened, clipped to Metaculus's accepted range
[0.1%, 99.9%] (`rules.LOG_CLIP`), so a confident miss costs a finite amount.
"""

from __future__ import annotations

import numpy as np

from ledger.scoring.rules import LOG_CLIP


def _log_of_outcome(p, o) -> np.ndarray:
    """ln of the (clipped) probability the forecast gave to what happened."""
    p = np.clip(np.asarray(p, dtype=float), LOG_CLIP, 1 - LOG_CLIP)
    return np.log(np.where(np.asarray(o, dtype=float) == 1, p, 1 - p))


def baseline(p, o) -> np.ndarray:
    """Baseline score 100 × (1 + log2 p_outcome) = 100 × log2(p_outcome / 0.5): 0 for saying 50%,
    +100 for certainty on what happened, about −897 for 0.1% on it."""
    return 100 * (1 + _log_of_outcome(p, o) / np.log(2))


def peer(p, o, question, forecaster, counted=None) -> np.ndarray:
    """Peer score of each forecast: 100 × (ln p_i − the mean of ln p_j over the other forecasters j on
    the same question); NaN where no other forecaster is counted on the question.

    `question` and `forecaster` are integer codes per forecast. A forecaster with several forecasts
    on one question enters the others' mean once, with the mean of their log scores there.
    `counted` (default: all) marks the forecasts whose forecasters count as "another forecaster":
    the ledger passes False for its aggregate forecasters, which are scored but never compared against.
    """
    log_p = _log_of_outcome(p, o)
    question, forecaster = np.asarray(question, dtype=np.int64), np.asarray(forecaster, dtype=np.int64)
    counted = np.ones(len(log_p), dtype=bool) if counted is None else np.asarray(counted, dtype=bool)
    pairs, pair_of = np.unique(question * (forecaster.max(initial=0) + 1) + forecaster, return_inverse=True)
    pair_of = pair_of.ravel()
    pair_question = pairs // (forecaster.max(initial=0) + 1)
    pair_mean = np.bincount(pair_of, weights=log_p) / np.bincount(pair_of)
    pair_counted = np.bincount(pair_of, weights=counted) > 0  # a forecaster's forecasts are all counted or none
    n_questions = int(question.max(initial=-1)) + 1
    total = np.bincount(pair_question, weights=np.where(pair_counted, pair_mean, 0.0), minlength=n_questions)
    others = np.bincount(pair_question, weights=pair_counted, minlength=n_questions)
    own = pair_counted[pair_of]
    n_others = others[question] - own
    with np.errstate(invalid="ignore", divide="ignore"):
        others_mean = (total[question] - np.where(own, pair_mean[pair_of], 0.0)) / n_others
    return np.where(n_others > 0, 100 * (log_p - others_mean), np.nan)
