"""The platforms' scores against hand-worked cases and brute-force definitions: Metaculus baseline
and peer, day-by-day Brier and its median-relative form, pairwise relative skill and its sign test,
and the crowd aggregates."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import binomtest

from ledger.scoring import aggregation, metaculus, pairwise, standing
from ledger.scoring.horizons import bucket
from ledger.scoring.rules import median_of_others

# Three forecasters, three questions; C skips q2, B and C skip q3. (question, forecaster, p of yes, outcome)
THREE = [("q1", "A", 0.8, 1), ("q1", "B", 0.6, 1), ("q1", "C", 0.3, 1),
         ("q2", "A", 0.2, 0), ("q2", "B", 0.5, 0),
         ("q3", "A", 0.9, 1)]


def _codes(rows):
    questions = sorted({r[0] for r in rows})
    forecasters = sorted({r[1] for r in rows})
    return (np.array([questions.index(r[0]) for r in rows]), np.array([forecasters.index(r[1]) for r in rows]),
            np.array([r[2] for r in rows]), np.array([r[3] for r in rows], dtype=float))


def test_peer_score_is_the_textbook_definition_on_a_hand_worked_case():
    question, forecaster, p, o = _codes(THREE)
    peer = metaculus.peer(p, o, question, forecaster)
    # by hand: q1 A = 100 (ln .8 − (ln .6 + ln .3)/2); q2 A = 100 (ln .8 − ln .5) (its outcome was no); q3: A alone
    assert peer[0] == pytest.approx(63.4256, abs=1e-4)
    assert peer[1] == pytest.approx(20.2733, abs=1e-4)
    assert peer[2] == pytest.approx(-83.6988, abs=1e-4)
    assert peer[3] == pytest.approx(47.0004, abs=1e-4) and peer[4] == pytest.approx(-47.0004, abs=1e-4)
    assert np.isnan(peer[5])
    assert peer[:3].sum() == pytest.approx(0, abs=1e-12)  # a question's peer scores add up to zero
    a = peer[[0, 3]]
    assert a.mean() == pytest.approx(55.2130, abs=1e-4) and a.sum() == pytest.approx(110.4259, abs=1e-4)


def test_peer_score_leaves_uncounted_forecasters_out_of_the_others():
    question, forecaster, p, o = _codes([*THREE, ("q1", "crowd", 0.99, 1)])
    counted = np.array([True] * len(THREE) + [False])
    peer = metaculus.peer(p, o, question, forecaster, counted)
    alone = metaculus.peer(*_codes(THREE)[2:], *_codes(THREE)[:2])
    assert np.allclose(peer[:-1], alone, equal_nan=True)  # the aggregate changes nobody's score
    assert peer[-1] == pytest.approx(100 * (math.log(0.99) - (math.log(0.8) + math.log(0.6) + math.log(0.3)) / 3))


def test_peer_score_uses_each_other_forecasters_mean_on_the_question():
    # B forecast q1 twice: A is compared with the mean of B's two log scores, once
    peer = metaculus.peer([0.8, 0.6, 0.4], [1, 1, 1], [0, 0, 0], [0, 1, 1])
    assert peer[0] == pytest.approx(100 * (math.log(0.8) - (math.log(0.6) + math.log(0.4)) / 2))
    assert peer[1] == pytest.approx(100 * (math.log(0.6) - math.log(0.8)))


def test_baseline_score():
    assert metaculus.baseline([0.8, 0.9, 0.5, 0.2], [1, 1, 0, 0]) == pytest.approx([67.8072, 84.7997, 0.0, 67.8072], abs=1e-4)
    assert metaculus.baseline([1.0], [1])[0] == pytest.approx(100 * (1 + math.log2(0.999)))  # clipped like Metaculus


def test_standing_days_and_day_by_day_brier_by_hand():
    # A: 0.6 on day 0, 0.9 then 0.8 on day 4, 0.1 on day 12 (after it resolved); B: 0.5 on day 5. Resolved yes on day 10.
    pair = np.array([0, 0, 0, 0, 1])
    day = np.array([0, 4, 4, 12, 5])
    order = np.array([1, 2, 3, 4, 5])
    days = standing.standing_days(pair, day, order, np.full(5, 10))
    assert days.tolist() == [4, 0, 6, 0, 5]
    b = (np.array([0.6, 0.9, 0.8, 0.1, 0.5]) - 1) ** 2
    time_brier = standing.unit_means(b * days, days, pair, 2)
    assert time_brier == pytest.approx([(4 * 0.16 + 6 * 0.04) / 10, 0.25])
    stands = days > 0
    difference, other = standing.relative_days(np.zeros(3, dtype=int), day[stands], days[stands], b[stands], np.ones(3, dtype=bool))
    # A's 0.6 stood alone (days 0–3); its 0.8 met B's 0.5 on days 5–9: 5 × (0.04 − 0.25)
    assert other.tolist() == [0, 5, 5]
    assert difference == pytest.approx([0, 5 * (0.04 - 0.25), 5 * (0.25 - 0.04)])


def test_day_by_day_scores_equal_a_brute_force_over_every_day():
    rng = np.random.default_rng(13)
    n = 300
    question, forecaster = rng.integers(0, 6, n), rng.integers(0, 8, n)
    day, order, p = rng.integers(0, 40, n), np.arange(n), rng.uniform(size=n)
    end = rng.integers(20, 50, 6)[question]
    counted = forecaster != 7  # forecaster 7 is an aggregate
    b = (p - 1) ** 2
    pair = question * 8 + forecaster
    days = standing.standing_days(pair, day, order, end)
    stands = days > 0
    difference, other = standing.relative_days(question[stands], day[stands], days[stands], b[stands], counted[stands])
    for q in range(6):
        standing_on = {}
        for d in range(int(end[question == q][0]) if (question == q).any() else 0):
            made = [(day[i], order[i], i) for i in np.flatnonzero(question == q) if day[i] <= d]
            latest = {}
            for _, _, i in sorted(made):
                latest[forecaster[i]] = i
            standing_on[d] = latest
        for f in range(8):
            rows = np.flatnonzero((question == q) & (forecaster == f))
            by_day = [standing_on[d][f] for d in standing_on if f in standing_on[d]]
            expected = np.mean([b[i] for i in by_day]) if by_day else np.nan
            got = standing.unit_means((b * days)[rows], days[rows], np.zeros(len(rows), dtype=int), 1)[0] if len(rows) else np.nan
            assert got == pytest.approx(expected, nan_ok=True)
            diffs = []
            for d, latest in standing_on.items():
                others = [b[i] for g, i in latest.items() if g != f and counted[i]]
                if f in latest and others:
                    diffs.append(b[latest[f]] - np.median(others))
            mask = np.isin(np.flatnonzero(stands), rows)
            assert difference[mask].sum() == pytest.approx(sum(diffs)) and other[mask].sum() == len(diffs)


def test_median_of_counted_others():
    values, clusters = np.array([0.1, 0.2, 0.4, 0.9, 0.3]), np.array([0, 0, 0, 0, 1])
    counted = np.array([True, True, True, False, True])
    assert median_of_others(values, clusters, counted) == pytest.approx([0.3, 0.25, 0.15, 0.2, np.nan], nan_ok=True)


def test_pairwise_relative_skill_by_hand():
    # day-by-day Brier per (forecaster, question): A .1 .3 on q1 q2; B .2 .2; C .4 on q2 only
    model, question = np.array([0, 0, 1, 1, 2]), np.array([0, 1, 0, 1, 1])
    score = np.array([0.1, 0.3, 0.2, 0.2, 0.4])
    pairs = pairwise.comparisons(model, question, score, np.ones(5, dtype=bool))
    found = {(a, b): (n, r) for a, b, n, r in zip(pairs["model"], pairs["other"], pairs["n"], pairs["ratio"])}
    assert found[(0, 1)] == (2, pytest.approx(1.0)) and found[(0, 2)] == (1, pytest.approx(0.75))
    assert found[(2, 1)] == (1, pytest.approx(2.0)) and (0, 0) not in found
    assert pairs["better"][list(zip(pairs["model"], pairs["other"])).index((0, 1))] == 1  # q1: 0.1 against 0.2
    skill = pairwise.relative_skill(model, question, score, np.ones(5, dtype=bool))
    assert skill == pytest.approx([math.sqrt(0.75), math.sqrt(0.5), math.sqrt(0.4 / 0.3 * 2)])
    # C as an aggregate: scored against A and B, but nobody is compared with it
    uncounted = pairwise.relative_skill(model, question, score, np.array([True, True, True, True, False]))
    assert uncounted == pytest.approx([1.0, 1.0, math.sqrt(0.4 / 0.3 * 2)])


def test_pairwise_blocks_give_the_same_pairs_as_one(monkeypatch):
    rng = np.random.default_rng(5)
    model, question, score = rng.integers(0, 40, 600), rng.integers(0, 30, 600), rng.uniform(size=600)
    keep = np.unique(model * 30 + question, return_index=True)[1]  # one row per (model, question)
    model, question, score, counted = model[keep], question[keep], score[keep], model[keep] % 7 != 0
    whole = pairwise.relative_skill(model, question, score, counted)
    table = pairwise.comparisons(model, question, score, counted)
    monkeypatch.setattr(pairwise, "BLOCK", 50)  # many small blocks
    assert np.allclose(pairwise.relative_skill(model, question, score, counted), whole, equal_nan=True)
    small = pairwise.comparisons(model, question, score, counted)
    assert all(np.array_equal(small[k], table[k], equal_nan=True) for k in table)
    assert not np.isin(table["other"], np.unique(model[~counted])).any()


def _pairwise_by_definition(model, question, score, counted):
    """scoringutils' comparison written out pair by pair: for each A and each other counted B, the
    questions both forecast, A's and B's mean there, their ratio, and who scored lower how often."""
    rows = {}
    for m, q, s in zip(model.tolist(), question.tolist(), score.tolist()):
        rows.setdefault(m, {})[q] = s
    counted_models = {m for m, c in zip(model.tolist(), counted.tolist()) if c}
    pairs = {}
    for a in sorted(rows):
        for b in sorted(counted_models - {a}):
            shared = sorted(rows[a].keys() & rows[b].keys())
            if shared:
                mean_a, mean_b = np.mean([rows[a][q] for q in shared]), np.mean([rows[b][q] for q in shared])
                pairs[a, b] = (len(shared), mean_a, mean_b, mean_a / mean_b if mean_b > 0 else np.nan,
                               sum(rows[a][q] < rows[b][q] for q in shared), sum(rows[a][q] > rows[b][q] for q in shared))
    skill = np.full(int(model.max()) + 1, np.nan)
    for a in rows:
        logs = [math.log(r[3]) for (first, _), r in pairs.items() if first == a and np.isfinite(r[3]) and r[3] > 0]
        if logs:
            skill[a] = math.exp(np.mean(logs))
    return pairs, skill


@pytest.mark.parametrize("dense", [0, pairwise.DENSE, 10**9], ids=["sorted", "chosen", "cells"])
@pytest.mark.parametrize("seed", range(12))
def test_pairwise_fast_path_equals_the_definition_on_random_ledgers(seed, dense, monkeypatch):
    # sparse ledgers (most forecasters skip most questions), scores on a coarse grid (ties between
    # forecasters, zeros that make a ratio 0 or undefined), an aggregate that is never a B, and
    # blocks and cells small enough that the pairs are split over many blocks; each block counted
    # by sorting its meetings, cell by cell, or as the block's shape chooses
    monkeypatch.setattr(pairwise, "DENSE", dense)
    rng = np.random.default_rng(seed)
    n_models, n_questions = int(rng.integers(2, 30)), int(rng.integers(1, 25))
    n = int(rng.integers(1, 200))
    model, question = rng.integers(0, n_models, n), rng.integers(0, n_questions, n)
    keep = np.unique(model * n_questions + question, return_index=True)[1]
    model, question = model[keep], question[keep]
    score = rng.integers(0, 5, len(model)) / 4
    counted = model != 0 if seed % 2 else np.ones(len(model), dtype=bool)
    if seed % 3 == 0:
        monkeypatch.setattr(pairwise, "BLOCK", 7)
        monkeypatch.setattr(pairwise, "CELLS", 64)
    expected, skill = _pairwise_by_definition(model, question, score, counted)
    got = pairwise.relative_skill(model, question, score, counted)
    assert np.allclose(got[: len(skill)], skill, rtol=1e-12, atol=0, equal_nan=True) and np.isnan(got[len(skill):]).all()
    table = pairwise.comparisons(model, question, score, counted)
    found = list(zip(table["model"].tolist(), table["other"].tolist()))
    assert found == sorted(expected)  # every pair that meets, once, in (A, B) order
    for i, key in enumerate(found):
        n_shared, mean_a, mean_b, ratio, better, worse = expected[key]
        assert (table["n"][i], table["better"][i], table["worse"][i]) == (n_shared, better, worse)
        assert table["mean"][i] == pytest.approx(mean_a) and table["other_mean"][i] == pytest.approx(mean_b)
        assert table["ratio"][i] == pytest.approx(ratio, nan_ok=True)


def test_sign_test_matches_scipy():
    better, worse = np.array([0, 3, 7, 12, 40, 1]), np.array([5, 3, 1, 30, 45, 0])
    expected = [binomtest(int(min(b, w)), int(b + w), 0.5).pvalue for b, w in zip(better, worse)]
    assert pairwise.sign_test(better, worse) == pytest.approx(expected, rel=1e-9)
    assert np.isnan(pairwise.sign_test(np.array([0]), np.array([0]))[0])


def test_aggregation_methods_by_hand():
    p, groups = np.array([0.6, 0.7, 0.9, 0.2, 0.4]), np.array([0, 0, 0, 1, 1])
    assert aggregation.median(p, groups, 2) == pytest.approx([0.7, 0.3])
    assert aggregation.weighted_mean(p, groups, 2) == pytest.approx([2.2 / 3, 0.3])
    odds = (1.5 * (0.7 / 0.3) * 9) ** (1 / 3)
    assert aggregation.geometric_mean_of_odds(p, groups, 2)[0] == pytest.approx(odds / (1 + odds))
    assert aggregation.geometric_mean_of_odds(p, groups, 2, 2.5)[0] == pytest.approx(odds**2.5 / (1 + odds**2.5))
    assert aggregation.weighted_mean(p, groups, 2, np.array([1, 1, 2, 1, 3]))[0] == pytest.approx((0.6 + 0.7 + 1.8) / 4)


def test_track_record_weights_look_only_at_questions_resolved_before():
    # forecaster 0 scored Brier 0.0 and 0.1 on questions resolved on days 10 and 20; forecaster 1 has no record
    weights = aggregation.track_record_weights([0, 0, 0, 1], [5, 15, 21, 21], [0, 0], [10, 20], [0.0, 0.1])
    k = aggregation.PRIOR_FORECASTS
    assert weights == pytest.approx([1 / 0.25, (k + 1) / (k * 0.25), (k + 2) / (0.1 + k * 0.25), 1 / 0.25])


def test_horizon_buckets():
    made = np.array(["2026-01-10", "2026-01-10", "2026-01-01", "2025-01-01", "2024-12-31", "2026-01-20", "2026-01-01"], dtype=object)
    occurred = np.array(["2026-01-17", "2026-01-18", "2026-04-01", "2026-01-01", "2026-01-01", "2026-01-17", None], dtype=object)
    assert list(bucket(made, occurred)) == ["≤7 days", "8–30 days", "31–90 days", "91–365 days", ">365 days", "≤7 days", "(not resolved)"]
