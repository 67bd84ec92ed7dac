"""Pairwise relative skill as scoringutils computes it (`get_pairwise_comparisons`): for forecasters
A and B, the ratio of A's mean score to B's over the questions both forecast; A's relative skill is
the geometric mean of its ratios against every other forecaster it shares a question with. With a
score where lower is better (Brier), below 1 is better than the others. Each ratio comes with an
exact two-sided sign test (docs/scoring.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def comparisons(model, question, score, counted, *, test: bool = False) -> dict[str, np.ndarray]:
    """Every ordered pair (A, B) of models sharing at least one question, B counted: the number of
    shared questions, A's and B's mean scores there and their ratio; with `test` also the questions A
    scored better (lower) and worse on and the sign test's p-value. `model`, `question` are integer
    codes of one row per (model, question) with its `score`; `counted` False leaves a model out as a
    B (the ledger's aggregate forecasters)."""
    model, question = np.asarray(model, dtype=np.int64), np.asarray(question, dtype=np.int64)
    score, counted = np.asarray(score, dtype=float), np.asarray(counted, dtype=bool)
    n_models = int(model.max(initial=-1)) + 1
    a, b = _meetings(question)
    key = model[a] * n_models + model[b]
    if n_models * n_models <= 4 * len(key):  # most pairs meet: count into a matrix of every pair
        pair_of, size = key, n_models * n_models
    else:  # few meet: number the pairs that do (hashing; sorting every meeting would cost more)
        pair_of, found = pd.factorize(key)
        size = len(found)
    n = np.bincount(pair_of, minlength=size)
    total_a = np.bincount(pair_of, weights=score[a], minlength=size)
    if size == n_models * n_models:
        pairs = np.arange(size)
        total_b = total_a.reshape(n_models, n_models).T.ravel()  # B's total against A is A's against B, transposed
    else:
        pairs = np.asarray(found)
        total_b = np.bincount(pair_of, weights=score[b], minlength=size)
    first, second = pairs // n_models, pairs % n_models
    keep = (n > 0) & (first != second) & np.bincount(model, weights=counted, minlength=n_models).astype(bool)[second]
    n, total_a, total_b, first, second = n[keep], total_a[keep], total_b[keep], first[keep], second[keep]
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(total_b > 0, total_a / np.where(total_b > 0, total_b, 1), np.nan)  # equal counts: the ratio of the means
    result = {"model": first, "other": second, "n": n.astype(np.int64), "mean": total_a / n, "other_mean": total_b / n, "ratio": ratio}
    if test:
        better = np.bincount(pair_of, weights=score[a] < score[b], minlength=size)[keep].astype(np.int64)
        worse = np.bincount(pair_of, weights=score[a] > score[b], minlength=size)[keep].astype(np.int64)
        result |= {"better": better, "worse": worse, "p_value": sign_test(better, worse)}
    return result


def _meetings(question: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every ordered pair of rows (a, b) on the same question, a row with itself included."""
    order = np.argsort(question, kind="stable")
    size = np.bincount(question)
    first = np.cumsum(size) - size
    pieces = size[question]
    a = np.repeat(np.arange(len(question)), pieces)
    return a, order[first[question][a] + np.arange(len(a)) - np.repeat(np.cumsum(pieces) - pieces, pieces)]


def relative_skill(pairs: dict[str, np.ndarray], n_models: int) -> np.ndarray:
    """Each model's geometric mean of its score ratios against the others (self excluded); NaN for
    a model that shares no question. A ratio of 0 or undefined (the other scored 0) is left out:
    its logarithm is not a finite number."""
    ratio = pairs["ratio"]
    finite = np.isfinite(ratio) & (ratio > 0)
    logs = np.bincount(pairs["model"][finite], weights=np.log(ratio[finite]), minlength=n_models)
    count = np.bincount(pairs["model"][finite], minlength=n_models)
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
