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
    shared questions, A's and B's mean scores there, their ratio, the questions A scored better
    (lower) and worse on, and with `test` the sign test's p-value. `model`, `question` are integer codes of one
    row per (model, question) with its `score`; `counted` False leaves a model out as a B (the
    ledger's aggregate forecasters)."""
    model, question = np.asarray(model, dtype=np.int64), np.asarray(question, dtype=np.int64)
    score, counted = np.asarray(score, dtype=float), np.asarray(counted, dtype=bool)
    others = np.flatnonzero(counted)
    others = others[np.argsort(question[others], kind="stable")]
    n_questions = int(question.max(initial=-1)) + 1
    size = np.bincount(question[others], minlength=n_questions)
    first = np.cumsum(size) - size
    pieces = size[question]
    a = np.repeat(np.arange(len(model)), pieces)
    b = others[first[question][a] + np.arange(len(a)) - np.repeat(np.cumsum(pieces) - pieces, pieces)]
    keep = model[a] != model[b]
    a, b = a[keep], b[keep]
    n_models = int(model.max(initial=-1)) + 1
    key = model[a] * n_models + model[b]
    if n_models * n_models <= 4 * len(key):  # most pairs meet: count into every possible pair, then keep those that met
        def total(weights=None):
            return np.bincount(key, weights=weights, minlength=n_models * n_models)

        pairs = np.flatnonzero(total())
    else:  # few meet: number the pairs that do (hashing; sorting every shared question would cost more)
        pair_of, pairs = pd.factorize(key)

        def total(weights=None):
            return np.bincount(pair_of, weights=weights, minlength=len(pairs))

    n = total()
    mean_a, mean_b = total(score[a]) / np.maximum(n, 1), total(score[b]) / np.maximum(n, 1)
    wins, losses = total(score[a] < score[b]), total(score[a] > score[b])
    if len(n) != len(pairs):  # counted into every possible pair
        n, mean_a, mean_b, wins, losses = (x[pairs] for x in (n, mean_a, mean_b, wins, losses))
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(mean_b > 0, mean_a / np.where(mean_b > 0, mean_b, 1), np.nan)
    result = {"model": pairs // n_models, "other": pairs % n_models, "n": n.astype(np.int64), "mean": mean_a,
              "other_mean": mean_b, "ratio": ratio, "better": wins.astype(np.int64), "worse": losses.astype(np.int64)}
    if test:
        result["p_value"] = sign_test(result["better"], result["worse"])
    return result


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
