"""The scoring maths against references nobody here wrote, and its defining properties."""

from __future__ import annotations

import numpy as np
import properscoring
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import brier_score_loss, log_loss

from ledger.scoring import rules as scoring

RNG = np.random.default_rng(20260219)


def _random(n=500):
    p = RNG.uniform(0.01, 0.99, n)
    o = (RNG.uniform(size=n) < p).astype(float)
    return p, o


def test_brier_matches_scikit_learn_and_properscoring():
    for _ in range(20):
        p, o = _random()
        assert abs(scoring.brier(p, o).mean() - brier_score_loss(o, p)) < 1e-12
        assert np.allclose(scoring.brier(p, o), properscoring.brier_score(o, p), atol=1e-12, rtol=0)


def test_log_score_matches_scikit_learn():
    for _ in range(20):
        p, o = _random()  # inside the clip, so no clipping differences
        assert abs(-scoring.log_score(p, o).mean() - log_loss(o, p, labels=[0, 1])) < 1e-12


def test_log_score_clip_is_documented_value():
    assert scoring.log_score([0.0], [1])[0] == pytest.approx(np.log(scoring.LOG_CLIP))
    assert scoring.log_score([1.0], [1])[0] == pytest.approx(np.log(1 - scoring.LOG_CLIP))


def test_two_sided_and_multicategory_brier():
    assert scoring.brier_two_sided([0.7], [0])[0] == pytest.approx(0.98)
    # a binary forecast as a two-option distribution is the two-sided Brier
    assert scoring.multicategory_brier([[0.3, 0.7]], [0])[0] == pytest.approx(0.98)
    assert scoring.multicategory_brier([[0.2, 0.5, 0.3]], [1])[0] == pytest.approx(0.04 + 0.25 + 0.09)


@settings(max_examples=200)
@given(q=st.floats(0.0, 1.0), p=st.floats(0.0, 1.0))
def test_brier_and_log_are_proper(q, p):
    """Reporting the true probability q never scores worse in expectation than any other p."""
    def expected_brier(x):
        return q * (x - 1) ** 2 + (1 - q) * x ** 2

    assert expected_brier(q) <= expected_brier(p) + 1e-12
    qc = float(np.clip(q, scoring.LOG_CLIP, 1 - scoring.LOG_CLIP))

    def expected_log(x):
        return q * scoring.log_score([x], [1])[0] + (1 - q) * scoring.log_score([x], [0])[0]

    assert expected_log(qc) >= expected_log(p) - 1e-9


@settings(max_examples=200)
@given(st.lists(st.tuples(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.7, 0.9, 1.0]), st.integers(0, 1), st.integers(0, 3)),
                min_size=1, max_size=60))
def test_murphy_terms_add_up(rows):
    p = np.array([r[0] for r in rows])
    o = np.array([r[1] for r in rows], dtype=float)
    g = np.array([r[2] for r in rows])
    rel, res, unc = scoring.murphy(p, o, g, 4)
    bs = scoring.group_mean(scoring.brier(p, o), g, 4)
    present = ~np.isnan(bs)
    assert np.allclose((rel - res + unc)[present], bs[present], atol=1e-12)


def test_relative_brier_of_identical_forecasters_is_zero():
    briers = np.array([0.1, 0.1, 0.1, 0.4, 0.4])
    questions = np.array([1, 1, 1, 2, 2])
    assert np.allclose(briers - scoring.median_of_others(briers, questions), 0)


@given(st.lists(st.tuples(st.integers(0, 5), st.floats(0, 1)), min_size=1, max_size=40))
def test_median_of_others_matches_a_direct_computation(rows):
    clusters = np.array([r[0] for r in rows])
    values = np.array([r[1] for r in rows])
    got = scoring.median_of_others(values, clusters)
    for i in range(len(rows)):
        others = np.delete(values, i)[np.delete(clusters, i) == clusters[i]]
        if len(others):
            assert got[i] == pytest.approx(np.median(others), abs=1e-12)
        else:
            assert np.isnan(got[i])


def test_event_outcomes_for_each_kind():
    kinds = ["binary", "binary", "date", "categorical", "binary", "binary"]
    outcomes = ["yes", "no", "2026-02-19", "no outreach", None, "annulled"]
    o = scoring.event_outcomes(
        [0, 1, 2, 2, 3, 3, 4, 5],
        kinds, outcomes,
        [None, None, "2026-02-17", "2026-02-06", None, None, None, None],
        [None, None, "2026-02-28", "2026-02-10", None, None, None, None],
        [None, None, None, None, "no outreach", "outreach", None, None],
    )
    assert o[:6].tolist() == [1, 0, 1, 0, 1, 0] and np.isnan(o[6]) and np.isnan(o[7])


def test_band_briers_take_the_band_edges():
    best, worst = scoring.band_briers([0.75, 0.4], [1, 0], [0.6, 0.2], [0.9, 0.6])
    assert best.tolist() == pytest.approx([0.01, 0.04]) and worst.tolist() == pytest.approx([0.16, 0.36])
    best, worst = scoring.band_briers([0.7], [1], [np.nan], [np.nan])  # a stated number: no spread
    assert best[0] == worst[0] == pytest.approx(0.09)


def test_right_side_and_skill():
    assert scoring.right_side([0.8, 0.2, 0.5, 0.3], [1, 1, 0, 0]).tolist() == [1, 0, 0.5, 1]
    assert scoring.skill(0.125, scoring.CHANCE_BRIER) == pytest.approx(0.5)
    assert np.isnan(scoring.skill(0.1, 0.0))


def test_wilson_interval_reference_values():
    low, high = scoring.wilson_interval(np.array([7]), np.array([12]))
    # by hand from the formula in docs/scoring.md: (0.31951, 0.80675)
    assert low[0] == pytest.approx(0.31950, abs=1e-4) and high[0] == pytest.approx(0.80669, abs=1e-4)


def test_bootstrap_is_seeded_covers_the_mean_and_shrinks_with_n():
    values = RNG.uniform(0, 0.5, 2000)
    groups = np.repeat(np.arange(4), [5, 20, 200, 1775])
    low, high = scoring.bootstrap_mean_interval(values, groups, 4, seed=7)
    again = scoring.bootstrap_mean_interval(values, groups, 4, seed=7)
    assert np.array_equal(low, again[0]) and np.array_equal(high, again[1])
    means = scoring.group_mean(values, groups, 4)
    assert np.all(low <= means) and np.all(means <= high)
    widths = high - low
    assert widths[0] > widths[2] > widths[3]
    # the large group's interval is close to the normal one, 2 × 1.96 × sd/√n
    sd = values[groups == 3].std(ddof=1)
    assert widths[3] == pytest.approx(2 * 1.96 * sd / np.sqrt(1775), rel=0.15)


def test_bootstrap_exact_small_groups_match_a_direct_resample():
    values = np.array([0.0, 0.04, 0.09, 0.25, 0.64, 1.0])
    low, high = scoring.bootstrap_mean_interval(values, np.zeros(6, dtype=int), 1, resamples=4000, seed=1)
    rng = np.random.default_rng(99)
    direct = values[rng.integers(0, 6, (20000, 6))].mean(axis=1)
    assert low[0] == pytest.approx(np.quantile(direct, 0.025), abs=0.03)
    assert high[0] == pytest.approx(np.quantile(direct, 0.975), abs=0.03)
