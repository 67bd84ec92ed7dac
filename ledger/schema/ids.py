"""The one rule for ids (of sources, forecasters, questions, forecasts, and tags), shared by every
way in: files, CSV, `Ledger.add`, the command line. What one accepts, the others read back.

An id is one line of text with no space at either end and no control character: datasets name
users 'Rory O’Kane', so any letters, digits, punctuation and inner spaces will do, though slugs
(lim-eul-chul) read best. Surrounding spaces are dropped; an empty id, a line break, a tab or an
escape sequence is refused. The database holds the same
rule as a CHECK constraint (`id_check`, migration 0005), for clients that write to it directly.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

# Control characters, surrogates, line and paragraph separators. Format characters (Cf) are let through:
# PredictionBook has a user whose name is a zero-width space.
_REFUSED = frozenset(("Cc", "Cs", "Zl", "Zp"))


def identifier(value: Any) -> str:
    """An id from a value as given (surrounding spaces dropped), or ValueError saying what is wrong.
    A number is the id as written in its file (`007`); anything else YAML or JSON can type (true, a
    list, a mapping, !!binary, a !!timestamp) is refused rather than stored as Python's text for it."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        what = ("true/false" if isinstance(value, bool) else "a list" if isinstance(value, (list, tuple, set)) else
                "a mapping" if isinstance(value, dict) else "binary data" if isinstance(value, (bytes, bytearray)) else
                "a date" if isinstance(value, (dt.date, dt.datetime)) else f"a {type(value).__name__}")
        plain = str(value).lower() if isinstance(value, bool) else "..." if isinstance(value, (list, tuple, set, dict, bytes)) else str(value)
        raise ValueError(f"an id is one line of text, not {what}; write it as text (quote it: \"{plain}\")")
    text = (getattr(value, "written", None) or str(value)).strip()  # a number as its file wrote it
    if not text:
        raise ValueError("an id cannot be empty; give one line of text, e.g. lim-eul-chul")
    bad = next((c for c in text if unicodedata.category(c) in _REFUSED), None)
    if bad is not None:
        what = "a line break" if bad in "\n\r\u2028\u2029\x85" else "a tab" if bad == "\t" else f"the control character U+{ord(bad):04X}"
        raise ValueError(f"{value!r} is not an id: it holds {what}; give one line of plain text, e.g. lim-eul-chul")
    return text


def listed(value: Any, convert: Callable[[Any], str]) -> list[str]:
    """A list of words (a question's tags or options): one word, or a list of them, each converted."""
    if isinstance(value, str):
        return [convert(value)]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
        raise ValueError("give a list of words, e.g. [politics, korea]")
    return [convert(v) for v in value]


def identifiers(value: Any) -> list[str]:
    """A list of ids (a question's tags), each by `identifier`."""
    return listed(value, identifier)


def already_identifiers(cells: Iterable[str]) -> bool:
    """Whether every non-empty cell is already an id as `identifier` returns it, found in one pass
    over their text (a CSV of a million rows need not convert each one)."""
    cells = list(cells)
    if not "".join(cells).isprintable():  # a control character or an unusual space: each cell is converted
        return False
    joined = "\x00".join(cells)
    return not (joined.startswith(" ") or joined.endswith(" ") or " \x00" in joined or "\x00 " in joined)


def id_check(column: str) -> str:
    """The rule as SQL both SQLite and PostgreSQL read: not empty, no space at either end, no line
    break or tab (the finer points are the library's)."""
    return (f"{column} <> '' AND {column} = trim({column}) AND {column} NOT LIKE '%\n%' AND {column} NOT LIKE '%\r%' "
            f"AND {column} NOT LIKE '%\t%'")
