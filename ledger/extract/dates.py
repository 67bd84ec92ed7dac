"""Dates: when an article was published, and the windows its claims name.

The publication date is read from the article's head: a date line ("date 2026-02-02", "Published:
2026-07-08", "March 14, 2026" on a line of its own), a byline ("By Jane Roe | 21 October 2026") or a
dateline ("SEOUL, Jan. 23 (Yonhap) --", "HANOI, Jan. 10, 2026 —"); a dateline without a year takes the
latest such day not after today. Windows are inclusive, counted from the publication date: "between
Friday and Feb. 10", "in early to mid-February" (early = 1–10, mid = 11–20, late = 21 to the end),
"after … Feb. 16", "ahead of Feb. 16", "next week", "next month", "by the end of June", "by year-end",
"this year", "in 2027", "in the second quarter", "in the spring" (northern seasons).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DATE = (rf"(?:{_WEEKDAY},?\s+)?(?:(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})|(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{{4}}))?"
         rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})(?:,?\s+(?P<y2>\d{{4}}))?)")
_HEAD_LINES = 6
_DATE_LINE = re.compile(rf"^\s*(?:(?:date|published|updated|posted|last\s+updated)\b\s*:?\s*(?:on\s+)?)?{_DATE}\b", re.IGNORECASE)
_BYLINE = re.compile(rf"^\s*By\s.*?(?:[|,–—-]|\s)\s*{_DATE}\b")
_STATE = r"(?:,\s*[A-Z][A-Za-z.'’-]*(?:\s[A-Z][A-Za-z.'’-]*)?)"  # "DES MOINES, Iowa", "CAPE CANAVERAL, Fla."
_DATELINE = re.compile(rf"^\s*(?P<place>[A-Z][A-Za-z .'’-]*?{_STATE}?)(?:,\s*{_DATE})?\s*(?P<agency>\([^)]*\))?\s*(?:—|–|--|-)\s+")


def published_date(text: str, today: dt.date) -> dt.date | None:
    """The date the article's head gives for its publication, if any."""
    for line in text.strip().splitlines()[:_HEAD_LINES]:
        for pattern in (_DATE_LINE, _BYLINE, _DATELINE):
            m = pattern.match(line)
            if m and (m.group("iso") or m.group("m1") or m.group("m2")):
                if pattern is _DATELINE and not _is_place(m.group("place"), dated=True):
                    continue
                found = _date(m, today)
                if found is not None:
                    return found
    return None


def body_start(text: str) -> int:
    """Where the article's prose starts: after a leading date line and a dateline's place and date."""
    m = re.match(r"\s*(?:date\s+)?\d{4}-\d{2}-\d{2}\b\s*", text)
    return m.end() if m else 0


def dateline_end(paragraph: str) -> int:
    """Length of a dateline opening a paragraph ("SEOUL, Jan. 23 (Yonhap) -- "), else 0."""
    m = _DATELINE.match(paragraph)
    if m is None or not _is_place(m.group("place"), dated=bool(m.group("iso") or m.group("m1") or m.group("m2") or m.group("agency"))):
        return 0
    return m.end()


def _is_place(place: str, dated: bool) -> bool:
    """A dateline's place is in capitals ("MAROVIA CITY"), or capitalised with a date or an agency after it
    ("Paris, June 3", "Kyiv (AFP)")."""
    place = place.strip()
    city = place.split(",")[0]  # "DES MOINES, Iowa": the city in capitals, its state as written
    return bool(place) and len(place) <= 40 and (city.isupper() or (dated and all(w[:1].isupper() for w in place.split())))


def _date(m: re.Match, today: dt.date) -> dt.date | None:
    try:
        if m.group("iso"):
            return dt.date.fromisoformat(m.group("iso"))
        month, day, year = (m.group("m1"), m.group("d1"), m.group("y1")) if m.group("m1") else (m.group("m2"), m.group("d2"), m.group("y2"))
        number = _MONTHS[month[:3].lower()]
        if year:
            return dt.date(int(year), number, int(day))
        found = dt.date(today.year, number, int(day))
        return found if found <= today else dt.date(today.year - 1, number, int(day))
    except ValueError:
        return None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def window(text: str, published: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first date window the text names, counted from the publication date; None if it names none,
    only a past one, or a day no calendar has ("Feb. 30", a typo in the article)."""
    try:
        found = _window(text, published)
    except ValueError:
        return None
    if found is None or found[1] < published or found[0] > found[1]:
        return None
    return found


def _window(text: str, published: dt.date) -> tuple[dt.date, dt.date] | None:
    year = published.year

    def day(month: str, number: str) -> dt.date:
        found = dt.date(year, _MONTHS[month[:3].lower()], int(number))
        return found if found >= published - dt.timedelta(days=31) else dt.date(year + 1, found.month, found.day)

    def weekday(name: str) -> dt.date:
        ahead = (_WEEKDAYS.index(name.lower()) - published.weekday()) % 7 or 7
        return published + dt.timedelta(days=ahead)

    def month_year(number: int) -> int:
        return year if number >= published.month else year + 1

    period = {"early": (1, 10), "mid": (11, 20), "late": (21, None)}
    m = re.search(rf"between\s(?:(?P<wd>{_WEEKDAY})|(?P<m1>{_MONTH})\s(?P<d1>\d{{1,2}}))\sand\s(?P<m2>{_MONTH})\s(?P<d2>\d{{1,2}})", text)
    if m:
        start = weekday(m.group("wd")) if m.group("wd") else day(m.group("m1"), m.group("d1"))
        return start, day(m.group("m2"), m.group("d2"))
    m = re.search(rf"\b(early|mid|late)(?:\s(?:to|or)\s(early|mid|late))?-?\s?({_MONTH})", text, re.IGNORECASE)
    if m:
        month = _MONTHS[m.group(3)[:3].lower()]
        y = month_year(month)
        first, last = period[m.group(1).lower()], period[(m.group(2) or m.group(1)).lower()]
        return dt.date(y, month, first[0]), dt.date(y, month, last[1]) if last[1] else _month_end(y, month)
    m = re.search(rf"\b(after|ahead\sof|before|by)\b[^.;]*?\b({_MONTH})\s(\d{{1,2}})\b", text)
    if m:
        pivot = day(m.group(2), m.group(3))
        if m.group(1) == "after":
            return pivot + dt.timedelta(days=1), _month_end(pivot.year, pivot.month)
        if m.group(1) == "by":
            return published, pivot
        return max(published, pivot.replace(day=1)), pivot - dt.timedelta(days=1)
    return _relative(text, published)


_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}


def _relative(text: str, published: dt.date) -> tuple[dt.date, dt.date] | None:
    """"next week", "next month", "by the end of June", "by year-end", "this year", "in 2027",
    "in the second quarter", "in the spring", "on Thursday", "in March", "before July"."""
    year, lower = published.year, text.lower()
    monday = published - dt.timedelta(days=published.weekday())
    if re.search(r"\bnext\s+week\b", lower):
        return monday + dt.timedelta(days=7), monday + dt.timedelta(days=13)
    if re.search(r"\b(?:this|later\s+this)\s+week\b", lower):
        return published, monday + dt.timedelta(days=6)
    if re.search(r"\bnext\s+month\b", lower):
        following = _month_end(year, published.month) + dt.timedelta(days=1)
        return following, _month_end(following.year, following.month)
    if re.search(r"\b(?:this|later\s+this|end\s+of\s+the|by\s+the\s+end\s+of\s+the)\s+month\b", lower):
        return published, _month_end(year, published.month)
    if re.search(r"\b(?:by|before)\s+(?:the\s+)?(?:end\s+of\s+(?:the|this)\s+year|year[-’' ]s?\s*end|end[- ]year)\b|"
                 r"\b(?:this|later\s+this)\s+year\b", lower):
        return published, dt.date(year, 12, 31)
    if re.search(r"\bnext\s+year\b", lower):
        return dt.date(year + 1, 1, 1), dt.date(year + 1, 12, 31)
    m = re.search(r"\bin\s+the\s+(first|second|third|fourth)\s+quarter\b", lower)
    if m:
        q = _QUARTERS[m.group(1)]
        y = year if 3 * q >= published.month else year + 1
        return dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q)
    m = re.search(r"\bin\s+the\s+(first|second)\s+half\b", lower)
    if m:
        first_half = m.group(1) == "first"
        y = year if (first_half and published.month <= 6) or not first_half else year + 1
        return (dt.date(y, 1, 1), dt.date(y, 6, 30)) if first_half else (dt.date(y, 7, 1), dt.date(y, 12, 31))
    m = re.search(r"\b(?:in|this|by|next)\s+(?:the\s+)?(spring|summer|autumn|fall|winter)\b", lower)
    if m:
        if m.group(1) == "winter":
            y = year if published.month < 12 else year + 1
            return dt.date(y, 12, 1), _month_end(y + 1, 2)
        opens, closes = _SEASONS[m.group(1)]
        y = year if closes >= published.month else year + 1
        return dt.date(y, opens, 1), _month_end(y, closes)
    m = re.search(rf"\b(by|before|in|until)\s+(?:the\s+end\s+of\s+)?({_MONTH})(?!\s+\d)\b", text)
    if m:
        month = _MONTHS[m.group(2)[:3].lower()]
        y = year if month >= published.month else year + 1
        if m.group(1) == "before":
            return published, dt.date(y, month, 1) - dt.timedelta(days=1)
        return (dt.date(y, month, 1) if m.group(1) == "in" else published), _month_end(y, month)
    m = re.search(r"\b(in|by|before)\s+(20\d\d)\b", lower)
    if m:
        target = int(m.group(2))
        if m.group(1) == "before":
            return published, dt.date(target - 1, 12, 31)
        return (dt.date(target, 1, 1) if m.group(1) == "in" else published), dt.date(target, 12, 31)
    m = re.search(rf"\b(?:on|next|this|by)\s+({_WEEKDAY})\b", text)
    if m:
        ahead = (_WEEKDAYS.index(m.group(1).lower()) - published.weekday()) % 7 or 7
        day = published + dt.timedelta(days=ahead)
        return (published, day) if m.group(0).lower().startswith("by") else (day, day)
    return None
