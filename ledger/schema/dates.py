"""Dates and date windows as users type them: ISO dates, and windows written FROM..TO.

Every date the ledger stores lies in 1900–2199: a year outside it is a typo (2062 for 2026,
0206), and scoring one would put a forecast centuries from its question.
"""

from __future__ import annotations

import datetime as dt

EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


def in_range(day: dt.date) -> dt.date:
    """The date, or a ValueError when it lies outside the years the ledger accepts."""
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"{day.isoformat()} is outside the years the ledger accepts ({EARLIEST.year}–{LATEST.year}); "
                         "check the year")
    return day


def parse_date(text: str | dt.date) -> dt.date:
    """An ISO date (2026-02-19) in 1900–2199; raise ValueError saying what would be right."""
    if isinstance(text, dt.datetime):
        return in_range(text.date())
    if isinstance(text, dt.date):
        return in_range(text)
    raw = str(text).strip()
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        if len(raw) == 10 and raw[4] == "-" and raw[7] == "-":
            raise ValueError(f"{raw!r} is not a real date on the calendar; give an ISO date such as 2026-02-19") from None
        raise ValueError(f"{raw!r} is not a date; give an ISO date such as 2026-02-19") from None
    return in_range(day)


def parse_window(text: str | list | tuple) -> tuple[dt.date, dt.date]:
    """A date window 'FROM..TO' (or a two-item list), inclusive at both ends."""
    if isinstance(text, (list, tuple)):
        parts = list(text)
    else:
        parts = str(text).split("..")
    if len(parts) != 2:
        raise ValueError(f"{text!r} is not a window; write FROM..TO, e.g. 2026-02-06..2026-02-10")
    start, end = parse_date(parts[0]), parse_date(parts[1])
    if end < start:
        raise ValueError(f"window {start}..{end} ends before it starts; write the earlier date first")
    return start, end
