"""Turning what a forecaster said into the number the ledger scores, and keeping the trail.

A probability is either stated ("70%", "0.7") or derived from a hedge phrase ("likely", "expected
to") through a named scale. A derived probability keeps its phrase, its scale and the scale's band,
so every report can show where a number came from and how much the verdict depends on it.
Pure functions: no database, no printing. Sources of every band are in docs/probability-scales.md.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ledger.errors import FieldValueError, close_matches


@dataclass(frozen=True)
class Band:
    low: float
    high: float

    @property
    def point(self) -> float:
        """The number scored for a phrase: the middle of its band."""
        return round((self.low + self.high) / 2, 4)

    def complement(self) -> Band:
        return Band(round(1 - self.high, 4), round(1 - self.low, 4))


@dataclass(frozen=True)
class Scale:
    name: str
    title: str
    bands: dict[str, Band]  # normalised phrase -> band

    def phrases(self) -> list[str]:
        return sorted(self.bands)


def _scale(name: str, title: str, rows: list[tuple[tuple[str, ...], float, float]]) -> Scale:
    bands = {}
    for phrases, low, high in rows:
        for phrase in phrases:
            bands[normalise_phrase(phrase)] = Band(low, high)
    return Scale(name, title, bands)


_TRAILING = re.compile(r"\s+(to|that)$")
_LEADING = re.compile(r"^(it is|is|are|be|there is an?|there is|an?)\s+")


def normalise_phrase(phrase: str) -> str:
    """'Is expected to' and 'expected' name the same hedge; curly quotes and case do not matter."""
    text = " ".join(phrase.lower().replace("’", "'").replace("won't", "will not").split())
    text = _LEADING.sub("", text)
    return _TRAILING.sub("", text)


ICD_203 = _scale(
    "icd203",
    "ICD 203 (US Office of the Director of National Intelligence, Analytic Standards, 2015)",
    [
        (("almost no chance", "remote"), 0.01, 0.05),
        (("very unlikely", "highly improbable"), 0.05, 0.20),
        (("unlikely", "improbable", "improbably"), 0.20, 0.45),
        (("roughly even chance", "roughly even odds"), 0.45, 0.55),
        (("likely", "probable", "probably"), 0.55, 0.80),
        (("very likely", "highly probable"), 0.80, 0.95),
        (("almost certain", "almost certainly", "nearly certain"), 0.95, 0.99),
    ],
)

PHIA = _scale(
    "phia",
    "UK Professional Head of Intelligence Assessment probability yardstick (2019)",
    [
        (("remote chance",), 0.0, 0.05),
        (("highly unlikely",), 0.10, 0.20),
        (("unlikely",), 0.25, 0.35),
        (("realistic possibility",), 0.40, 0.50),
        (("likely", "probably", "probable"), 0.55, 0.75),
        (("highly likely",), 0.80, 0.90),
        (("almost certain",), 0.95, 1.0),
    ],
)

# The ledger's own mapping for newspaper hedges that no standard covers. Reasoning per row is in
# docs/probability-scales.md; negations ("not expected to") are derived, not listed.
HEDGES = _scale(
    "hedges",
    "Ledger newspaper-hedge mapping (documented in docs/probability-scales.md)",
    [
        (("will", "is set to", "set to", "going to"), 0.80, 0.99),
        (("all but certain", "virtually certain", "certain to", "sure to", "bound to"), 0.90, 0.99),
        (("confident", "widely expected"), 0.70, 0.95),
        (("poised to", "on track", "on course"), 0.65, 0.95),
        (("expected", "expect", "expects", "anticipate", "anticipates", "anticipated", "predict", "predicts",
          "predicted", "forecast", "forecasts", "believe", "believes", "estimate", "estimates", "seen"), 0.60, 0.90),
        (("strong possibility", "good chance", "real possibility"), 0.55, 0.85),
        (("favourite", "favorite"), 0.55, 0.80),
        (("appears", "appears likely", "seems"), 0.50, 0.80),
        (("more likely than not", "better than even"), 0.50, 0.70),
        (("toss-up", "even chance"), 0.45, 0.55),
        (("uncertain", "remains uncertain"), 0.40, 0.60),
        (("could", "may", "might", "possibility", "possible", "potentially"),
         0.20, 0.60),
        (("probably not",), 0.20, 0.40),
        (("doubtful", "doubt"), 0.10, 0.35),
        (("little chance",), 0.05, 0.20),
        (("no chance", "remote possibility", "remote chance"), 0.01, 0.05),
    ],
)

SCALES: dict[str, Scale] = {s.name: s for s in (ICD_203, PHIA, HEDGES)}
DEFAULT_SCALE = ICD_203.name
_NEGATION = re.compile(r"^(not|no|never)\s+")
_SUFFIX_NEGATION = re.compile(r"^(will|would|could|may|might)\s+not$")  # "will not" is "not will"


def check_scale(scale: str) -> str:
    """A scale's name as given, or a FieldValueError listing the known ones with the closest first."""
    if scale not in SCALES:
        near = close_matches(str(scale).strip().lower(), list(SCALES), n=1)
        hint = f"did you mean {near[0]!r}? " if near else ""
        raise FieldValueError(f"unknown scale {scale!r}; {hint}known scales: {', '.join(SCALES)}", "scale")
    return scale


@dataclass(frozen=True)
class Estimate:
    """A probability with its provenance. `phrase` is None for a number the forecaster stated."""

    probability: float
    phrase: str | None = None
    scale: str | None = None
    band: Band | None = None

    @property
    def basis(self) -> str:
        if self.phrase is None:
            return "stated"
        assert self.band is not None
        mark = "" if math.isclose(self.probability, self.band.point) else f", overridden to {self.probability:.0%}"
        return f"'{self.phrase}' ({self.scale} {self.band.low:.0%}–{self.band.high:.0%}{mark})"


_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def parse_probability(text: str | float | int) -> float:
    """Read '0.7', '.7', '70%' or 0.7 as a probability; raise ValueError with what would be right."""
    raw = str(text).strip()
    percent = raw.endswith("%")
    try:
        # digits 0-9 only: float() alone would also read '٠٫٧' or '1_0' (and 'nan' and 'inf', refused below)
        if isinstance(text, str) and not _DECIMAL.fullmatch(raw[:-1] if percent else raw):
            raise ValueError
        value = float(raw[:-1] if percent else raw)
    except ValueError:
        raise ValueError(f"{raw[:40]!r} is not a probability; give a number from 0 to 1 (0.7) or a percentage (70%)") from None
    if not math.isfinite(value):
        raise ValueError(f"{raw!r} is not a probability; give a finite number from 0 to 1 or 0% to 100%")
    if percent:
        value /= 100
    if not 0.0 <= value <= 1.0:
        shown = raw if len(raw) <= 40 else f"{value:g}"  # as written: 1.0000001 rounded would read as 1
        raise ValueError(f"probability {shown} is outside 0–1; give a number from 0 to 1 (0.7) or 0% to 100% (70%)")
    return value


def lookup_phrase(phrase: str, scale: str = DEFAULT_SCALE) -> tuple[Scale, Band]:
    """Find a hedge in the chosen scale, then in the ledger's hedge mapping; 'not X' is X's complement."""
    check_scale(scale)
    scales = (SCALES[scale], HEDGES) if scale != HEDGES.name else (HEDGES,)
    key = normalise_phrase(phrase)
    # A phrase listed as it stands ("no chance", "probably not") is read before any negation is.
    negated = None if any(key in s.bands for s in scales) else _NEGATION.match(key) or _SUFFIX_NEGATION.match(key)
    if negated:
        key = negated.group(1) if negated.re is _SUFFIX_NEGATION else _LEADING.sub("", key[negated.end():])
    for candidate in scales:
        if key in candidate.bands:
            band = candidate.bands[key]
            return candidate, band.complement() if negated else band
    known = sorted(set(SCALES[scale].bands) | set(HEDGES.bands))
    words = set(key.split())  # 'pretty sure' holds the phrase 'sure'
    near = close_matches(key, known) or [k for k in known if set(k.split()) <= words][:3]
    if near:
        raise FieldValueError(f"unknown hedge phrase {phrase!r} for scale {scale!r}; did you mean {' or '.join(map(repr, near))}? "
                              "(docs/probability-scales.md lists every phrase; each may be negated with 'not')", "phrase")
    raise FieldValueError(
        f"unknown hedge phrase {phrase!r} for scale {scale!r}; known phrases (each may be negated with 'not'): "
        + ", ".join(known), "phrase",
    )


def estimate(probability: str | float | None = None, phrase: str | None = None, scale: str = DEFAULT_SCALE) -> Estimate:
    """Combine what was given: a number alone, a phrase alone (scored at its band's middle), or both
    (the number overrides the phrase's point and the phrase's band is kept for the sensitivity check)."""
    if probability is None and phrase is None:
        raise FieldValueError("give a probability (0.7 or 70%) or the forecaster's words (a hedge phrase such as 'likely')", "probability")
    check_scale(scale)
    number = None if probability is None else parse_probability(probability)
    if phrase is None:
        return Estimate(number)  # type: ignore[arg-type]
    used, band = lookup_phrase(phrase, scale)
    return Estimate(band.point if number is None else number, phrase, used.name, band)
