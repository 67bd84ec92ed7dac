"""The crowd's current view of one question, for `ledger show`: the median and the spread of the
forecasters' standing forecasts. The standard library's `statistics` only: `show` must start as
fast as the other listings, without numpy."""

from __future__ import annotations

import statistics


def crowd_view(probabilities: list[float]) -> dict | None:
    """Median, quartiles (inclusive method: the 25th and 75th percentile of the values given),
    lowest and highest of the probabilities, one per forecaster; None for no forecaster."""
    if not probabilities:
        return None
    values = sorted(probabilities)
    low, _, high = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else (values[0],) * 3
    return {"forecasters": len(values), "median": statistics.median(values), "quartile_low": low, "quartile_high": high,
            "lowest": values[0], "highest": values[-1]}
