"""Pairwise relative skill as scoringutils computes it (`get_pairwise_comparisons`): for forecasters
A and B, the ratio of A's mean score to B's over the questions both forecast; A's relative skill is
the geometric mean of its ratios against every other forecaster it shares a question with. With a
score where lower is better (Brier), below 1 is better than the others. Each ratio comes with an
exact two-sided sign test (docs/scoring.md).
"""

from __future__ import annotations

import numpy as np

BLOCK = 2_000_000  # pair cells and meetings counted at once: bounds the memory whatever the number of forecasters


def _blocks(model, question, score, counted, test: bool):
    """The pairs of models that meet, one block of first models at a time: each row meets every row
    on its question, and a block's meetings are counted into its rows of the models × models matrix
    (no sort of the meetings, no hashing). Yields dicts of first, second, n, total_a, total_b (and
    better, worse with `test`), B counted and A ≠ B."""
    order = np.argsort(np.asarray(model, dtype=np.int64), kind="stable")
    model, question = np.asarray(model, dtype=np.int64)[order], np.asarray(question, dtype=np.int64)[order]
    score, counted = np.asarray(score, dtype=float)[order], np.asarray(counted, dtype=bool)[order]
    n_models = int(model.max(initial=-1)) + 1
    counted_model = np.bincount(model, weights=counted, minlength=n_models) > 0
    on_question = np.argsort(question, kind="stable")
    size = np.bincount(question)
    first = np.cumsum(size) - size
    pieces = size[question]  # how many rows each row meets, itself included
    model_start = np.searchsorted(model, np.arange(n_models + 1))
    meetings_before = np.r_[0, np.cumsum(pieces)][model_start]
    low = 0
    while low < n_models:
        high = min(n_models, low + max(1, BLOCK // max(n_models, 1)))
        high = max(low + 1, min(high, int(np.searchsorted(meetings_before, meetings_before[low] + BLOCK, side="right")) - 1))
        rows = np.arange(model_start[low], model_start[high])
        count = pieces[rows]
        a = np.repeat(rows, count)
        b = on_question[first[question[a]] + np.arange(len(a)) - np.repeat(np.cumsum(count) - count, count)]
        cell = (model[a] - low) * n_models + model[b]
        cells = (high - low) * n_models
        n = np.bincount(cell, minlength=cells)
        met = np.flatnonzero(n)
        pair_first, pair_second = low + met // n_models, met % n_models
        keep = (pair_first != pair_second) & counted_model[pair_second]
        met = met[keep]
        block = {"first": pair_first[keep], "second": pair_second[keep], "n": n[met],
                 "total_a": np.bincount(cell, weights=score[a], minlength=cells)[met],
                 "total_b": np.bincount(cell, weights=score[b], minlength=cells)[met]}
        if test:
            block["better"] = np.bincount(cell, weights=score[a] < score[b], minlength=cells)[met].astype(np.int64)
            block["worse"] = np.bincount(cell, weights=score[a] > score[b], minlength=cells)[met].astype(np.int64)
        yield block
        low = high


def _ratio(block: dict[str, np.ndarray]) -> np.ndarray:
    """A's mean over B's on their shared questions (equal counts: the ratio of the totals); NaN where B scored 0."""
    total_a, total_b = block["total_a"], block["total_b"]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total_b > 0, total_a / np.where(total_b > 0, total_b, 1), np.nan)


def comparisons(model, question, score, counted) -> dict[str, np.ndarray]:
    """Every ordered pair (A, B) of models sharing at least one question, B counted: the number of
    shared questions, A's and B's mean scores there, their ratio, the questions A scored better
    (lower) and worse on, and the sign test's p-value. `model`, `question` are integer codes of one
    row per (model, question) with its `score`; `counted` False leaves a model out as a B (the
    ledger's aggregate forecasters)."""
    blocks = list(_blocks(model, question, score, counted, test=True))
    names = ("first", "second", "n", "total_a", "total_b", "better", "worse")
    joined = {name: np.concatenate([b[name] for b in blocks]) if blocks else np.zeros(0, dtype=np.int64) for name in names}
    n = joined["n"].astype(np.int64)
    return {"model": joined["first"].astype(np.int64), "other": joined["second"].astype(np.int64), "n": n,
            "mean": joined["total_a"] / np.maximum(n, 1), "other_mean": joined["total_b"] / np.maximum(n, 1), "ratio": _ratio(joined),
            "better": joined["better"], "worse": joined["worse"], "p_value": sign_test(joined["better"], joined["worse"])}


def relative_skill(model, question, score, counted) -> np.ndarray:
    """Each model's geometric mean of its score ratios against the others it shares a question with
    (self excluded); NaN for a model that shares none. A ratio of 0 or undefined (the other scored 0)
    is left out: its logarithm is not a finite number. Summed block by block: the pairs themselves
    are never all held at once."""
    n_models = int(np.asarray(model).max(initial=-1)) + 1
    logs, count = np.zeros(n_models), np.zeros(n_models)
    for block in _blocks(model, question, score, counted, test=False):
        ratio = _ratio(block)
        finite = np.isfinite(ratio) & (ratio > 0)
        logs += np.bincount(block["first"][finite], weights=np.log(ratio[finite]), minlength=n_models)
        count += np.bincount(block["first"][finite], minlength=n_models)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, np.exp(logs / np.maximum(count, 1)), np.nan)


def sign_test(better, worse) -> np.ndarray:
    """Exact two-sided sign test that A and B are equally likely to score better on a question (ties
    dropped): min(1, 2 P(X ≤ min(better, worse))) for X ~ Binomial(better + worse, ½); NaN for no
    untied question. One pass per distinct number of untied questions, not per pair."""
    better, worse = np.asarray(better, dtype=np.int64), np.asarray(worse, dtype=np.int64)
    n, k = better + worse, np.minimum(better, worse)
    result = np.full(len(n), np.nan)
    for size in np.unique(n[n > 0]):
        j = np.arange(1, size + 1)
        log_pmf = np.r_[0.0, np.cumsum(np.log(size - j + 1) - np.log(j))] - size * np.log(2)
        cdf = np.exp(np.logaddexp.accumulate(log_pmf))
        pick = n == size
        result[pick] = np.minimum(1.0, 2 * cdf[k[pick]])
    return result
