"""Pairwise relative skill as scoringutils computes it (`get_pairwise_comparisons`): for forecasters
A and B, the ratio of A's mean score to B's over the questions both forecast; A's relative skill is
the geometric mean of its ratios against every other forecaster it shares a question with. With a
score where lower is better (Brier), below 1 is better than the others. Each ratio comes with an
exact two-sided sign test (docs/scoring.md).

Sparse: only the pairs that meet on a question are ever formed — one meeting per pair of rows on a
question — so the cost follows the number of meetings, not the square of the number of forecasters.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

BLOCK = 500_000  # meetings formed at once: bounds the memory whatever the number of forecasters
CELLS = 1 << 22  # (first, second) cells one block spans: 32-bit keys, a 16 MB table of pair numbers
DENSE = 2  # a block spanning at most this many cells per meeting is counted cell by cell, without a sort


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The integers of the ranges [start, start + length), one after another: one cumulative sum."""
    starts, lengths = starts[lengths > 0], lengths[lengths > 0]
    steps = np.ones(int(lengths.sum()), dtype=np.int64)
    if len(lengths):
        steps[np.cumsum(lengths) - lengths] = np.r_[starts[0], starts[1:] - starts[:-1] - lengths[:-1] + 1]
    return np.cumsum(steps)


class _Block:
    """One block's meetings: for each, `b` (B's row, as a position in question order) and `cell`,
    the pair's key (first model − the block's first) × models + second model, or `_Rows.void` when
    B is not counted."""

    def __init__(self, low: int, high: int, rows: np.ndarray, count: np.ndarray, b: np.ndarray, cell: np.ndarray):
        self.low, self.high, self.rows, self.count, self.b, self.cell = low, high, rows, count, b, cell

    def a(self, meetings: np.ndarray) -> np.ndarray:
        """A's row (a position in model order) of the given meetings."""
        return np.repeat(self.rows, self.count)[meetings]


class _Rows:
    """One row per (model, question), sorted by model (each row as A) and by question (as B)."""

    def __init__(self, model, question, score, counted):
        order = np.argsort(np.asarray(model, dtype=np.int64), kind="stable")
        self.model = np.asarray(model, dtype=np.int64)[order].astype(np.int32)
        self.question = np.asarray(question, dtype=np.int64)[order]
        self.score = np.asarray(score, dtype=float)[order]
        self.n_models = int(self.model.max(initial=-1)) + 1
        counted_model = np.bincount(self.model, weights=np.asarray(counted, dtype=bool)[order], minlength=self.n_models) > 0
        self.counted = counted_model[self.model]  # a model counts as B if any of its rows does
        self.on_question = np.argsort(self.question, kind="stable")
        self.size = np.bincount(self.question)
        self.width = max(1, CELLS // max(self.n_models, 1))  # first models per block, so that its cells stay below CELLS
        self.void = min(self.width, self.n_models) * self.n_models  # the cell of meetings with an uncounted B: above every pair's
        cells = self.void + 1
        self.table = np.full(cells, -1, dtype=np.int32)  # pair numbers by cell, −1 between uses
        self.marks = np.zeros(cells, dtype=bool)  # the same, as one byte a cell: faster to look up in every meeting

    def blocks(self) -> Iterator[_Block]:
        """The meetings of each row with the other rows on its question, one block of first models
        at a time (in model order), at most BLOCK meetings and CELLS cells a block."""
        model_b, uncounted_b = self.model[self.on_question], ~self.counted[self.on_question]
        where = np.empty(len(self.model), dtype=np.int64)
        where[self.on_question] = np.arange(len(self.model))  # each row's position in question order
        question_start = (np.cumsum(self.size) - self.size)[self.question]
        before, after = where - question_start, question_start + self.size[self.question] - where - 1  # the rows it meets
        model_start = np.searchsorted(self.model, np.arange(self.n_models + 1))
        meetings_before = np.r_[0, np.cumsum(before + after)][model_start]
        low = 0
        while low < self.n_models:
            by_meetings = int(np.searchsorted(meetings_before, meetings_before[low] + BLOCK, side="right")) - 1
            high = max(low + 1, min(self.n_models, low + self.width, by_meetings))
            rows = np.arange(model_start[low], model_start[high])
            # each row's two runs of others on its question, around itself
            b = _ranges(np.c_[question_start[rows], where[rows] + 1].ravel(), np.c_[before[rows], after[rows]].ravel())
            count = before[rows] + after[rows]
            cell = np.repeat((self.model[rows] - low) * self.n_models, count) + model_b[b]
            if uncounted_b.any():
                cell[uncounted_b[b]] = self.void
            yield _Block(low, high, rows, count, b, cell)
            low = high

    def number(self, cells: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """Each key's index in `cells` (distinct pairs' cells), −1 for a key not in it."""
        self.table[cells] = np.arange(len(cells), dtype=np.int32)
        number = self.table[keys]
        self.table[cells] = -1
        return number

    def among(self, cells: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """The positions of the keys that are in `cells` (distinct pairs' cells)."""
        self.marks[cells] = True
        found = np.flatnonzero(self.marks[keys])
        self.marks[cells] = False
        return found

    def distinct(self, ordered: np.ndarray) -> np.ndarray:
        """The distinct cells of pairs in a sorted array of cells."""
        distinct = ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered
        return distinct[distinct < self.void]


def _ratio(total_a: np.ndarray, total_b: np.ndarray) -> np.ndarray:
    """A's mean over B's on their shared questions (equal counts: the ratio of the totals); NaN where B scored 0."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total_b > 0, total_a / np.where(total_b > 0, total_b, 1), np.nan)


def comparisons(model, question, score, counted) -> dict[str, np.ndarray]:
    """Every ordered pair (A, B) of models sharing at least one question, B counted, in (A, B)
    order: the number of shared questions, A's and B's mean scores there, their ratio, the questions
    A scored better (lower) and worse on, and the sign test's p-value. `model`, `question` are
    integer codes of one row per (model, question) with its `score`; `counted` False leaves a model
    out as a B (the ledger's aggregate forecasters)."""
    rows = _Rows(model, question, score, counted)
    n_models, score_b = rows.n_models, rows.score[rows.on_question]
    names = ("first", "second", "n", "total_a", "total_b", "better", "worse")
    parts: dict[str, list[np.ndarray]] = {name: [np.zeros(0, dtype=np.int64)] for name in names}
    for block in rows.blocks():
        cells = rows.distinct(np.sort(block.cell))
        pair = rows.number(cells, block.cell)
        met = np.flatnonzero(pair >= 0)
        pair, a, b = pair[met], rows.score[block.a(met)], score_b[block.b[met]]
        for name, values in (("first", block.low + cells // n_models), ("second", cells % n_models), ("n", np.bincount(pair)),
                             ("total_a", np.bincount(pair, weights=a)), ("total_b", np.bincount(pair, weights=b)),
                             ("better", np.bincount(pair, weights=a < b)), ("worse", np.bincount(pair, weights=a > b))):
            parts[name].append(values)
    joined = {name: np.concatenate(values) for name, values in parts.items()}
    n, better, worse = (joined[name].astype(np.int64) for name in ("n", "better", "worse"))
    return {"model": joined["first"].astype(np.int64), "other": joined["second"].astype(np.int64), "n": n,
            "mean": joined["total_a"] / np.maximum(n, 1), "other_mean": joined["total_b"] / np.maximum(n, 1),
            "ratio": _ratio(joined["total_a"], joined["total_b"]), "better": better, "worse": worse, "p_value": sign_test(better, worse)}


def relative_skill(model, question, score, counted) -> np.ndarray:
    """Each model's geometric mean of its score ratios against the others it shares a question with
    (self excluded); NaN for a model that shares none. A ratio of 0 or undefined (the other scored 0)
    is left out: its logarithm is not a finite number.

    Most pairs meet on one question, where the log ratio is the difference of the two scores' logs,
    so first every meeting is counted so, summed per question (each row's log times the others
    counted, minus their logs) without forming any pair. Then the pairs meeting more than once are
    found by sorting each block's 32-bit keys, and only their meetings are taken back out and
    replaced by the pair's ratio. A block with about as many cells as meetings (forecasters who
    meet most others) is counted cell by cell instead."""
    rows = _Rows(model, question, score, counted)
    n = rows.n_models
    positive = rows.score > 0  # a zero score makes a ratio 0 or undefined: no finite logarithm
    log = np.log(np.where(positive, rows.score, 1.0))
    other = rows.counted & positive
    others, their_logs = np.bincount(rows.question, weights=other), np.bincount(rows.question, weights=np.where(other, log, 0.0))
    k = np.where(positive, others[rows.question] - other, 0)
    total = np.where(positive, k * log - (their_logs[rows.question] - np.where(other, log, 0.0)), 0.0)
    logs, count = np.bincount(rows.model, weights=total, minlength=n), np.bincount(rows.model, weights=k, minlength=n)
    positive_b, score_b = positive[rows.on_question], rows.score[rows.on_question]
    for block in rows.blocks():
        if (block.high - block.low) * n <= DENSE * len(block.cell):  # about as many cells as meetings: count every pair in them
            logs[block.low:block.high], count[block.low:block.high] = 0, 0
            _add_dense(block, rows, score_b, logs, count)
            continue
        ordered = np.sort(block.cell)
        repeated = rows.distinct(ordered[1:][ordered[1:] == ordered[:-1]])
        again = rows.among(repeated, block.cell)
        if not len(again):
            continue
        pair, a, b = rows.number(repeated, block.cell[again]), block.a(again), block.b[again]
        first = rows.model[a]
        once = positive[a] & positive_b[b]  # the meetings counted above, one by one
        logs -= np.bincount(first[once], weights=log[a][once] - log[rows.on_question[b[once]]], minlength=n)
        count -= np.bincount(first[once], minlength=n)
        ratio = _ratio(np.bincount(pair, weights=rows.score[a]), np.bincount(pair, weights=score_b[b]))
        pair_first = np.zeros(len(ratio), dtype=np.int64)
        pair_first[pair] = first
        finite = np.isfinite(ratio) & (ratio > 0)
        logs += np.bincount(pair_first[finite], weights=np.log(ratio[finite]), minlength=n)
        count += np.bincount(pair_first[finite], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, np.exp(logs / np.maximum(count, 1)), np.nan)


def _add_dense(block: _Block, rows: _Rows, score_b: np.ndarray, logs: np.ndarray, count: np.ndarray) -> None:
    """A block's pairs counted straight into its cells, for when there are about as many cells as meetings.
    A cell no pair met has both totals 0, so its ratio is left out like any undefined one."""
    cells = (block.high - block.low) * rows.n_models  # the block's pairs' cells; the void cell above them is dropped
    total_a = np.bincount(block.cell, weights=np.repeat(rows.score[block.rows], block.count), minlength=cells)[:cells]
    ratio = _ratio(total_a, np.bincount(block.cell, weights=score_b[block.b], minlength=cells)[:cells])
    finite = np.isfinite(ratio) & (ratio > 0)
    first = block.low + np.flatnonzero(finite) // rows.n_models
    logs += np.bincount(first, weights=np.log(ratio[finite]), minlength=len(logs))
    count += np.bincount(first, minlength=len(count))


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
