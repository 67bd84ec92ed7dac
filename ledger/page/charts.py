"""The page's two charts as geometry: pure functions from numbers to coordinates in an SVG viewBox.

The template draws them (templates/charts.html.j2), so every label passes through the same
autoescaping as the rest of the page. They are drawn by hand rather than with matplotlib: a chart
is a few dozen elements, styled by the page's CSS, readable at any width and in print, and the
report needs no plotting library.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

TICKS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


@dataclass(frozen=True)
class Frame:
    """A plotting area inside a viewBox of `width` × `height`, with margins for the axes' labels."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float

    def x(self, share: float) -> float:
        return round(self.left + share * (self.width - self.left - self.right), 1)

    def y(self, share: float) -> float:
        """0 at the bottom of the plotting area, 1 at its top."""
        return round(self.height - self.bottom - share * (self.height - self.top - self.bottom), 1)


CALIBRATION = Frame(320, 320, 44, 18, 12, 40)
TIMELINE = Frame(640, 150, 44, 16, 16, 28)


@dataclass
class Calibration:
    frame: Frame
    ticks: list[tuple[float, str]]  # (position along either axis, label)
    bins: list[dict]  # x, y, low, high, r (circle radius), label, title
    n: int


def calibration(table: list[dict], frame: Frame = CALIBRATION) -> Calibration:
    """Each non-empty bin of a calibration table (reports.calibration_table rows) as a point at
    (mean forecast, share that happened) with its Wilson interval; the circle's area grows with its
    count, so a bin of 2 forecasts does not look as weighty as one of 200."""
    filled = [row for row in table if row["n"]]
    largest = max((row["n"] for row in filled), default=1)
    bins = [{
        "x": frame.x(row["mean_forecast"]), "y": frame.y(row["observed"]),
        "low": frame.y(row["observed_low"]), "high": frame.y(row["observed_high"]),
        "r": round(3 + 7 * math.sqrt(row["n"] / largest), 1),
        "label": f"{row['happened']}/{row['n']}",
        "title": (f"forecasts of {row['bin']} (mean {row['mean_forecast']:.0%}): {row['happened']} of {row['n']} happened "
                  f"({row['observed']:.0%}, 95% interval {row['observed_low']:.0%}–{row['observed_high']:.0%})"),
    } for row in filled]
    return Calibration(frame, [(t, f"{t:.0%}") for t in TICKS], bins, sum(row["n"] for row in filled))


@dataclass
class Timeline:
    frame: Frame
    ticks: list[tuple[float, str]]  # (x, date label)
    levels: list[tuple[float, str]]  # (y, probability label)
    lines: list[dict] = field(default_factory=list)  # one per forecaster with revisions: points "x,y x,y"
    crowd: list[dict] = field(default_factory=list)  # one per aggregate forecaster: points, name
    # Every forecast's dot, as one path of zero-length strokes per kind (forecast, void, crowd): a
    # question with hundreds of forecasts is a handful of elements.
    dots: dict[str, str] = field(default_factory=dict)
    resolved: dict | None = None  # x, label of the date the question was settled
    due: dict | None = None  # x, label of an unsettled question's resolve-by date


def timeline(forecasts: list[dict], settled_on: dt.date | None, settled_as: str | None, due: dt.date | None = None,
             frame: Frame = TIMELINE) -> Timeline:
    """Who forecast what and when on one question: each forecast a dot at (date, probability), a
    forecaster's revisions joined by a line, aggregate (crowd) forecasts as their own line, and the
    day the question was settled (or, while it is not, the day it is due) as a rule. `forecasts`
    carry made_on (a date), p, forecaster, name, crowd (bool) and state; the page lists them in
    words beside the chart."""
    due = due if settled_on is None else None
    days = [f["made_on"] for f in forecasts] + [day for day in (settled_on, due) if day is not None]
    first, last = min(days), max(days)
    if first == last:
        first, last = first - dt.timedelta(days=1), last + dt.timedelta(days=1)
    span = (last - first).days

    def x(day: dt.date) -> float:
        return frame.x((day - first).days / span)

    ticks = [(x(day), day.isoformat()) for day in _date_ticks(first, last)]
    chart = Timeline(frame, ticks, [(frame.y(t), f"{t:.0%}") for t in (0.0, 0.5, 1.0)])
    paths: dict[str, list[dict]] = {}
    marks: dict[str, list[str]] = {}
    for f in sorted(forecasts, key=lambda f: f["made_on"]):
        dot = {"x": x(f["made_on"]), "y": frame.y(f["p"]), "crowd": f["crowd"]}
        kind = "crowd" if f["crowd"] else "void" if f["state"] in ("voided", "annulled") else "forecast"
        marks.setdefault(kind, []).append(f"M{dot['x']} {dot['y']}h0")
        paths.setdefault(f["forecaster"], []).append(dict(dot, name=f["name"]))
    chart.dots = {kind: "".join(strokes) for kind, strokes in marks.items()}
    for dots in paths.values():
        line = {"points": " ".join(f"{d['x']},{d['y']}" for d in dots), "name": dots[-1]["name"], "end": dots[-1]}
        if dots[0]["crowd"]:
            chart.crowd.append(line)
        elif len(dots) > 1:
            chart.lines.append(line)
    if settled_on is not None:
        chart.resolved = {"x": x(settled_on), "label": f"{settled_as or 'settled'} ({settled_on.isoformat()})"}
    if due is not None:
        chart.due = {"x": x(due), "label": f"due {due.isoformat()}"}
    return chart


def _date_ticks(first: dt.date, last: dt.date, most: int = 5) -> list[dt.date]:
    """Up to `most` evenly spaced dates from `first` to `last`, both ends included."""
    span = (last - first).days
    count = min(most, span + 1)
    return sorted({first + dt.timedelta(days=round(i * span / (count - 1))) for i in range(count)})
