"""The report's columns for the scores forecasting platforms publish — Metaculus's baseline and
peer scores, Good Judgment Open's and Fatebook's day-by-day Brier and its median-relative form,
scoringutils' pairwise relative skill — applied to a forecast frame (see `reports.forecast_frame`).
The maths is in `metaculus`, `standing` and `pairwise`; this module only picks the rows and groups.

Aggregate forecasters (kind `aggregate`) are scored like anyone, but never count as "another
forecaster": not in a peer score's mean, a median of others, nor as a pairwise opponent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ledger.scoring import metaculus, pairwise, standing
from ledger.scoring.rules import brier, group_mean

PER_FORECAST = ("baseline", "peer", "days", "relative_days", "other_days", "pair")


def day_numbers(dates) -> np.ndarray:
    """ISO dates (text, None for missing) as integer days since 1970-01-01; missing is the smallest integer."""
    codes, distinct = pd.factorize(np.asarray(dates, dtype=object))  # a ledger has few distinct dates: parse each once
    days = np.asarray(distinct, dtype=object).astype("datetime64[D]").astype(np.int64)
    return np.where(codes < 0, np.iinfo(np.int64).min, days[np.maximum(codes, 0)] if len(days) else 0)


def per_forecast(frame: pd.DataFrame, *, relative: bool = True) -> dict[str, np.ndarray]:
    """For each scored forecast (NaN elsewhere): its baseline and peer scores, the days it stands
    before its question resolved, and over those days its summed Brier minus the median of the others
    standing (`relative_days`) and the number of days anyone else stood (`other_days`); `pair`
    numbers its forecaster-and-question (−1 unscored). With `relative` False those two stay NaN:
    only `time_relative` needs them, and they cost a fifth of a report's scoring."""
    n = len(frame)
    columns = {name: np.full(n, np.nan) for name in PER_FORECAST}
    columns["pair"] = np.full(n, -1, dtype=np.int64)
    scored = np.flatnonzero((frame["state"] == "scored").to_numpy())
    if not len(scored):
        return columns
    p, o = frame["p"].to_numpy(dtype=float)[scored], frame["o"].to_numpy(dtype=float)[scored]
    forecaster, _ = pd.factorize(frame["forecaster_code"].to_numpy()[scored])  # numbered as the scored forecasts meet them
    question = frame["question_code"].to_numpy()[scored].astype(np.int64)
    counted = ~frame["aggregate"].to_numpy(dtype=bool)[scored]
    columns["baseline"][scored] = metaculus.baseline(p, o)
    columns["peer"][scored] = metaculus.peer(p, o, question, forecaster, counted)
    _, pair = np.unique(question * (forecaster.max(initial=0) + 1) + forecaster, return_inverse=True)
    pair = pair.ravel()
    columns["pair"][scored] = pair
    day, end = frame["made_day"].to_numpy()[scored], frame["occurred_day"].to_numpy()[scored]
    days = standing.standing_days(pair, day, frame["id"].to_numpy()[scored], np.where(end == np.iinfo(np.int64).min, day, end))
    columns["days"][scored] = days
    if relative:
        stands = days > 0
        difference, other_days = standing.relative_days(question[stands], day[stands], days[stands], brier(p, o)[stands], counted[stands])
        columns["relative_days"][scored], columns["other_days"][scored] = 0.0, 0.0
        columns["relative_days"][scored[stands]], columns["other_days"][scored[stands]] = difference, other_days
    return columns


def _units(keyed: pd.DataFrame, codes: np.ndarray, scored: np.ndarray) -> dict[str, np.ndarray]:
    """One row per forecaster-question in a group (a unit): its group, question, whether its
    forecaster counts as another forecaster, and its day-by-day Brier and median-relative Brier."""
    sc = codes[scored]
    days, pair = keyed["days"].to_numpy(dtype=float)[scored], keyed["pair"].to_numpy()[scored].astype(np.int64)
    n_pairs = max(int(pair.max(initial=-1)) + 1, 1)
    first = np.zeros(n_pairs, dtype=np.int64)
    first[pair] = np.arange(len(pair))  # a row of each pair: its question and forecaster are the pair's
    if len(pair) and np.array_equal(sc[first][pair], sc):  # each pair in one group (by forecaster, question): the units are the pairs, no sort
        units, unit_of = sc[first].astype(np.int64) * n_pairs + np.arange(n_pairs), pair
    else:
        units, first, unit_of = np.unique(sc.astype(np.int64) * n_pairs + pair, return_index=True, return_inverse=True)
        unit_of = unit_of.ravel()
    b = brier(keyed["p"].to_numpy()[scored], keyed["o"].to_numpy()[scored])
    relative, other = (keyed[name].to_numpy(dtype=float)[scored] for name in ("relative_days", "other_days"))
    return {"group": units // n_pairs, "question": keyed["question_code"].to_numpy()[scored][first],
            "counted": ~keyed["aggregate"].to_numpy(dtype=bool)[scored][first],
            "time_brier": standing.unit_means(b * days, days, unit_of, len(units)),
            "time_relative": standing.unit_means(relative, other, unit_of, len(units))}


def group_columns(keyed: pd.DataFrame, codes: np.ndarray, n_groups: int, scored: np.ndarray, by: str) -> dict[str, np.ndarray]:
    """Per group: the mean and sum of baseline and peer scores, the mean over the group's
    forecaster-questions of the day-by-day Brier and of its median-relative form, and (grouped by
    forecaster) the pairwise relative skill on day-by-day Brier."""
    sc = codes[scored]
    baseline, peer = keyed["baseline"].to_numpy(dtype=float)[scored], keyed["peer"].to_numpy(dtype=float)[scored]
    unit = _units(keyed, codes, scored)
    columns = {
        "baseline": group_mean(baseline, sc, n_groups), "baseline_sum": _group_sum(baseline, sc, n_groups),
        "peer": group_mean(peer, sc, n_groups), "peer_sum": _group_sum(peer, sc, n_groups),
        "time_brier": group_mean(unit["time_brier"], unit["group"], n_groups),
        "time_relative": group_mean(unit["time_relative"], unit["group"], n_groups),
        "relative_skill": np.full(n_groups, np.nan),
    }
    if by == "forecaster":
        known = ~np.isnan(unit["time_brier"])
        skill = pairwise.relative_skill(unit["group"][known], unit["question"][known], unit["time_brier"][known], unit["counted"][known])
        columns["relative_skill"][: len(skill)] = skill
    return columns


def pairwise_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Every ordered pair of forecasters sharing a resolved question, on day-by-day Brier: shared
    questions, each one's mean there, the ratio, how often each was better, the sign test's p-value."""
    frame = frame.assign(brier=brier(frame["p"], frame["o"]), **per_forecast(frame))
    codes, names = pd.factorize(frame["forecaster"], sort=True)
    scored = (frame["state"] == "scored").to_numpy()
    unit = _units(frame, codes, scored)
    known = ~np.isnan(unit["time_brier"])
    pairs = pairwise.comparisons(unit["group"][known], unit["question"][known], unit["time_brier"][known], unit["counted"][known])
    who = np.asarray(names, dtype=object)
    return pd.DataFrame({"forecaster": who[pairs["model"]], "other": who[pairs["other"]], "questions": pairs["n"],
                         "time_brier": pairs["mean"], "other_time_brier": pairs["other_mean"], "ratio": pairs["ratio"],
                         "better": pairs["better"], "worse": pairs["worse"], "p_value": pairs["p_value"]})


def _group_sum(values: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum per group of the values that are not NaN; NaN for a group with none."""
    ok = ~np.isnan(values)
    total = np.bincount(groups[ok], weights=values[ok], minlength=n_groups)
    return np.where(np.bincount(groups[ok], minlength=n_groups) > 0, total, np.nan)
