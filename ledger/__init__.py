"""ledger: a prediction-tracking ledger that holds pundits' forecasts to account."""

__version__ = "0.1.0"
