"""Words and numbers to probabilities: the scales, negation, parsing, and the trail kept for each."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.schema.probability import HEDGES, ICD_203, PHIA, SCALES, estimate, lookup_phrase, normalise_phrase, parse_probability


def test_icd203_is_the_default_with_its_published_bands():
    expected = {
        "almost no chance": (0.01, 0.05), "very unlikely": (0.05, 0.20), "unlikely": (0.20, 0.45),
        "roughly even chance": (0.45, 0.55), "likely": (0.55, 0.80), "very likely": (0.80, 0.95),
        "almost certain": (0.95, 0.99),
    }
    for phrase, (low, high) in expected.items():
        scale, band = lookup_phrase(phrase)
        assert scale is ICD_203 and (band.low, band.high) == (low, high)
    assert estimate(phrase="likely").probability == 0.675


def test_phia_is_an_alternative():
    scale, band = lookup_phrase("likely", "phia")
    assert scale is PHIA and (band.low, band.high) == (0.55, 0.75)
    assert lookup_phrase("realistic possibility", "phia")[1].point == 0.45


def test_newspaper_hedges_fall_back_to_the_ledger_mapping():
    for phrase in ("expected to", "could", "may", "strong possibility", "anticipate", "predict"):
        scale, _ = lookup_phrase(phrase)
        assert scale is HEDGES
    assert estimate(phrase="Is expected to").probability == 0.75
    assert estimate(phrase="There is a strong possibility").probability == 0.7


def test_negations_take_the_complement():
    _, band = lookup_phrase("not expected to")
    assert (band.low, band.high) == (pytest.approx(0.10), pytest.approx(0.40))
    assert estimate(phrase="not expected to").probability == pytest.approx(0.25)
    _, likely = lookup_phrase("likely")
    _, not_likely = lookup_phrase("not likely")
    assert not_likely.point == pytest.approx(1 - likely.point)


def test_unknown_phrase_lists_the_known_ones_or_the_closest():
    with pytest.raises(ValueError) as err:
        lookup_phrase("zzzz qqq")
    message = str(err.value)
    assert "zzzz qqq" in message and "likely" in message and "expected" in message and "could" in message
    with pytest.raises(ValueError) as err:
        lookup_phrase("perchance")
    assert "did you mean 'even chance' or 'no chance' or 'remote chance'?" in str(err.value)
    with pytest.raises(ValueError, match="unknown scale"):
        lookup_phrase("likely", "kent")


def test_a_number_with_a_phrase_overrides_the_point_and_keeps_the_band():
    est = estimate("0.6", "likely")
    assert est.probability == 0.6 and est.band.low == 0.55 and est.phrase == "likely"
    assert "overridden to 60%" in est.basis
    assert estimate("70%").basis == "stated"
    assert estimate(phrase="likely").basis == "'likely' (icd203 55%–80%)"


@pytest.mark.parametrize("text,value", [("0.7", 0.7), (".7", 0.7), ("70%", 0.7), (" 5% ", 0.05), (1, 1.0), (0, 0.0), ("100%", 1.0)])
def test_parse_probability(text, value):
    assert parse_probability(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["1.5", "150%", "-0.1", "nan", "inf", "abc", "", "70 %%"])
def test_parse_probability_refuses(text):
    with pytest.raises(ValueError):
        parse_probability(text)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_parse_probability_accepts_exactly_the_unit_interval(x):
    if math.isfinite(x) and 0 <= x <= 1:
        assert parse_probability(repr(x)) == x
    else:
        with pytest.raises(ValueError):
            parse_probability(repr(x))


def test_every_band_is_inside_the_unit_interval_and_ordered():
    for scale in SCALES.values():
        for phrase, band in scale.bands.items():
            assert 0 <= band.low <= band.point <= band.high <= 1, (scale.name, phrase)
            assert normalise_phrase(phrase) == phrase
