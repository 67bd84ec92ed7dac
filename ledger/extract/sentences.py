"""Sentences with their offsets in the article, so that every quote drafted is verbatim."""

from __future__ import annotations

from dataclasses import dataclass

_ABBREVIATIONS = {"u.s", "u.n", "u.k", "e.u", "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sen", "rep", "gov", "st",
                  "jr", "sr", "inc", "corp", "co", "ltd", "no", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
                  "sep", "sept", "oct", "nov", "dec", "a.m", "p.m", "approx", "est"}
_CLOCK = {"a.m", "p.m"}  # "at 3 p.m. The…" ends a sentence; "U.S. President" does not
_CLOSERS = "\"”’')]"


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    carried: bool = False  # text starts with the opening quotation mark of an earlier sentence, at start


def sentences(text: str, start: int = 0) -> list[Sentence]:
    """Split at . ! ? (with any closing quote after them) and at line breaks; not after an abbreviation
    such as "Feb." or "U.S.", an initial ("J. Smith"), nor before a word in lower case or a dash."""
    found, i = [], start
    while i < len(text):
        if text[i] in ".!?":
            end = i + 1
            while end < len(text) and text[end] in _CLOSERS:
                end += 1
            token = _word_before(text, start, i).lower().rstrip(".")
            after = text[end:end + 3].lstrip()
            upper_next = bool(after) and not after[0].islower() and after[0] not in "—–-"  # "CAPE CANAVERAL, Fla. — …" goes on
            abbreviation = text[i] == "." and ((token in _ABBREVIATIONS and not (token in _CLOCK and upper_next))
                                               or (len(token) == 1 and token.isalpha() and end < len(text) and text[end] == " "))
            boundary = end >= len(text) or text[end].isspace()
            if boundary and not abbreviation and (upper_next or not after):
                found.append(_trimmed(text, start, end))
                start = end
            i = end
            continue
        if text[i] == "\n" and text[start:i].strip():
            found.append(_trimmed(text, start, i))
            start = i
        i += 1
    if text[start:].strip():
        found.append(_trimmed(text, start, len(text)))
    return found


def _word_before(text: str, start: int, end: int) -> str:
    """The run of letters, digits, "_" and dots (what `[\\w.]` matches) that ends at `end`, not before
    `start`: "Feb", "U.S", "J". Read back at most 64 characters, so that a long run of them, or a line of
    "Feb. Feb. …" (which never ends a sentence), is not read again at every dot: a longer run is no
    abbreviation, and is given as ""."""
    i, stop = end, max(start, end - 64)
    while i > stop and (text[i - 1].isalnum() or text[i - 1] in "._"):
        i -= 1
    if i == stop > start and (text[i - 1].isalnum() or text[i - 1] in "._"):
        return ""
    return text[i:end]


def _trimmed(text: str, start: int, end: int) -> Sentence:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end, text[start:end])


def fold(text: str) -> str:
    """A sentence's text for comparison: typography and spacing folded, case ignored."""
    text = text.translate(str.maketrans("“”‘’—–", "\"\"''--"))
    return " ".join(text.lower().split())
