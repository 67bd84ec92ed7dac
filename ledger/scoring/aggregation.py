"""Crowd forecasts: the ways of combining several forecasters' probabilities for one event into one
(docs/scoring.md), as pure functions over arrays, and the choice of which forecasts enter.

Only binary questions are combined: a date or categorical forecast is about its own window or
option, and forecasts about different events have no common number to combine.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ledger.schema.vocabulary import AGGREGATE_METHODS
from ledger.scoring.rules import CHANCE_BRIER, LOG_CLIP, brier

METHODS = AGGREGATE_METHODS
# The exponent on the geometric mean of odds: Satopää et al. (2014) fit logit(p) = a × mean logit(p_i)
# to the Good Judgment Project's forecasters and found the crowd under-confident, a well above 1.
EXTREMIZING_EXPONENT = 2.5
PRIOR_FORECASTS = 5  # a track record is shrunk toward chance (Brier 0.25) by this many imagined forecasts


def median(p, groups, n_groups: int) -> np.ndarray:
    """The median probability per group (the mean of the two middle ones for an even count)."""
    p, groups = np.asarray(p, dtype=float), np.asarray(groups, dtype=np.int64)
    order = np.lexsort((p, groups))
    v = p[order]
    size = np.bincount(groups, minlength=n_groups)
    first = np.cumsum(size) - size
    middle = np.full(n_groups, np.nan)
    has = size > 0
    middle[has] = (v[first[has] + (size[has] - 1) // 2] + v[first[has] + size[has] // 2]) / 2
    return middle


def weighted_mean(p, groups, n_groups: int, weights=None) -> np.ndarray:
    """Σ wᵢ pᵢ / Σ wᵢ per group (equal weights by default)."""
    p = np.asarray(p, dtype=float)
    w = np.ones(len(p)) if weights is None else np.asarray(weights, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.bincount(groups, weights=w * p, minlength=n_groups) / np.bincount(groups, weights=w, minlength=n_groups)


def geometric_mean_of_odds(p, groups, n_groups: int, exponent: float = 1.0) -> np.ndarray:
    """odds = (Π pᵢ/(1 − pᵢ))^(a/n), returned as a probability odds/(1 + odds); a = 1 is the plain
    geometric mean of odds, a > 1 extremizes it. p is clipped to [0.1%, 99.9%] first: one forecaster's
    0 or 1 would otherwise fix the crowd at 0 or 1."""
    p = np.clip(np.asarray(p, dtype=float), LOG_CLIP, 1 - LOG_CLIP)
    log_odds = np.log(p) - np.log1p(-p)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(groups, weights=log_odds, minlength=n_groups) / np.bincount(groups, minlength=n_groups)
    return 1 / (1 + np.exp(-exponent * mean))


def track_record_weights(forecaster, day, past_forecaster, past_day, past_brier) -> np.ndarray:
    """Each (forecaster, day)'s weight from the forecaster's accuracy on questions resolved strictly
    before that day: 1 / B̃, with B̃ their mean Brier there shrunk toward chance,
    B̃ = (Σ Brier + k × 0.25) / (n + k), k = PRIOR_FORECASTS. No record at all weighs 1/0.25 = 4,
    the same as chance. Nothing resolved on or after `day` is looked at."""
    forecaster, day = np.asarray(forecaster, dtype=np.int64), np.asarray(day, dtype=np.int64)
    past_forecaster, past_day = np.asarray(past_forecaster, dtype=np.int64), np.asarray(past_day, dtype=np.int64)
    lowest = min(day.min(initial=0), past_day.min(initial=0))
    span = max(day.max(initial=0), past_day.max(initial=0)) - lowest + 2
    keys = past_forecaster * span + (past_day - lowest)
    order = np.argsort(keys, kind="stable")
    keys, cumulative = keys[order], np.r_[0.0, np.cumsum(np.asarray(past_brier, dtype=float)[order])]
    start = np.searchsorted(keys, forecaster * span)
    stop = np.searchsorted(keys, forecaster * span + (day - lowest))  # resolved before `day`
    shrunk = (cumulative[stop] - cumulative[start] + PRIOR_FORECASTS * CHANCE_BRIER) / (stop - start + PRIOR_FORECASTS)
    return 1 / shrunk


def crowd_forecasts(frame: pd.DataFrame, method: str, *, exponent: float = EXTREMIZING_EXPONENT) -> pd.DataFrame:
    """One crowd forecast per binary question that any non-aggregate forecaster forecast, from each
    such forecaster's latest forecast on it (voided ones left out): question, probability, made_on
    (the latest date among them: the crowd as it stood then) and n (how many forecasters).

    `frame` is a forecast frame (`reports.forecast_frame`, read as of the crowd's date);
    track-record weights come from its scored forecasts."""
    from ledger.scoring.platform_scores import day_numbers

    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    people = frame[~frame["aggregate"].to_numpy(dtype=bool) & ~frame["voided"].to_numpy(dtype=bool)]
    latest = people.sort_values(["made_on", "id"]).drop_duplicates(["forecaster", "question"], keep="last")
    latest = latest[(latest["kind"] == "binary").to_numpy()]
    codes, questions = pd.factorize(latest["question"], sort=True)
    g, p = len(questions), latest["p"].to_numpy(dtype=float)
    made_on = latest.groupby(codes)["made_on"].max().to_numpy(dtype=object) if g else np.array([], dtype=object)
    if method == "median":
        combined = median(p, codes, g)
    elif method == "mean":
        combined = weighted_mean(p, codes, g)
    elif method in ("geo-mean-odds", "extremized"):
        combined = geometric_mean_of_odds(p, codes, g, exponent if method == "extremized" else 1.0)
    else:
        past = people.sort_values(["made_on", "id"]).drop_duplicates(["forecaster", "question"], keep="last")
        past = past[(past["state"] == "scored").to_numpy()]
        names = pd.Index(pd.unique(np.r_[latest["forecaster"].to_numpy(dtype=object), past["forecaster"].to_numpy(dtype=object)]))
        weights = track_record_weights(names.get_indexer(latest["forecaster"]), day_numbers(made_on)[codes],
                                       names.get_indexer(past["forecaster"]), day_numbers(past["occurred_on"].to_numpy()),
                                       brier(past["p"], past["o"]))
        combined = weighted_mean(p, codes, g, weights)
    return pd.DataFrame({"question": np.asarray(questions, dtype=object), "probability": combined, "made_on": made_on,
                         "n": np.bincount(codes, minlength=g)})
