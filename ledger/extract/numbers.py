"""Probabilities an article states in figures or words: "a 60% chance", "60 per cent", "one in three",
"a two-thirds probability", "a 60-70% chance" (the middle of the range), "odds of 3 to 1", a bookmaker's
"3-1 favourite", odds "at evens". A share of people ("one in five consumers", "54 percent of
those polled") or of anything else ("revenue will rise 12%") is not a probability and is not read."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ledger.extract.clauses import ending

_UNITS = {w: i for i, w in enumerate(("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                                      "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"))}
_TENS = {w: 10 * i for i, w in enumerate(("", "ten", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")) if i}
_ORDINALS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4,
             "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10}
_WORD = r"[a-z]+(?:-[a-z]+)?"
_AMOUNT = rf"(?P<amount>\d{{1,3}}(?:\.\d+)?|{_WORD})(?:\s*(?:-|–|to)\s*(?P<upper>\d{{1,3}}(?:\.\d+)?))?"
_PERCENT = rf"{_AMOUNT}\s*(?:%|\s(?:percent|per\scent|pct)\b)"
_CHANCE = r"(?:chances?|probability|likelihood|odds|risk|shot)"
_HEDGE = (r"(?:about|around|roughly|near|nearly|almost|some|only|just|at\sleast|at\smost|close\sto|over|under|more\sthan|less\sthan|"
          r"maybe|perhaps|possibly|probably|no\smore\sthan|no\sless\sthan|up\sto|as\s(?:much|high|low)\sas)\s")
# what a score or a vote is counted with, so that "won 2-1 to reach the final" is not odds
_TALLY = re.compile(r"\b(?:voted?|votes|won|wins?|beat|beats|lost|drew|draws?|led|leads?|leading|trail(?:s|ed|ing)?|scored?|"
                    r"victory|defeat|margin|ruled|ruling|up|down)\s+$", re.IGNORECASE)
_BOOKMAKERS = r"(?:bookmakers|bookies|betting\s+firms|sportsbooks|firms|bookmaker)"
_PATTERNS = [
    # "a 60% chance", "a roughly 30 percent probability", "70% odds"
    re.compile(rf"\b{_PERCENT}[\s-]*{_CHANCE}\b", re.IGNORECASE),
    # "a probability of 40 percent", "the chances of a reply before March were “around 60 per cent”", "put the odds … at 60%"
    re.compile(rf"\b{_CHANCE}\s+of\s+(?:{_HEDGE})?{_PERCENT}", re.IGNORECASE),
    re.compile(rf"\b{_CHANCE}\b[^.;?!]{{0,80}}?\b(?:at|is|are|was|were|stands?\sat|put\sat)\s[\"“]?\s?(?:{_HEDGE})?{_PERCENT}",
               re.IGNORECASE),
    # "one in three", "a one-in-four chance"; not "one in five consumers"
    re.compile(rf"\b(?P<num>{_WORD}|\d+)[\s-]in[\s-](?P<den>{_WORD}|\d+)(?:[\s-]{_CHANCE}\b|(?=\s*(?:[,.;:!?\"”]|at\sbest|at\smost|$)))",
               re.IGNORECASE),
    # "a two-thirds chance", "a 50-50 shot" is a toss-up phrase, not read here
    re.compile(rf"\b(?P<num>{_WORD}|a|an)[\s-](?P<ord>{'|'.join(_ORDINALS)})[\s-]{_CHANCE}\b", re.IGNORECASE),
    # "odds of 3 to 1 (against)", "3-to-1 odds"
    re.compile(r"\bodds\sof\s(?P<a>\d+)[\s-]to[\s-](?P<b>\d+)(?P<against>\sagainst)?", re.IGNORECASE),
    re.compile(r"\b(?P<a>\d+)-to-(?P<b>\d+)\s(?:odds|shot)(?P<against>\sagainst)?", re.IGNORECASE),
    # a bookmaker's fractional odds: "4/6 to retain the trophy" pays 4 for 6 staked, so 6 in 10
    re.compile(r"\b(?P<a>\d+)/(?P<b>\d+)(?P<against>)\s+(?:to|favou?rites?|on|shot|for)\b", re.IGNORECASE),
    # the same written with a hyphen, where the words around it say it is a price: "the 3-1 favourite",
    # "make them 1-5 to win", "are 4-1 with the same bookmakers"; not a score or a vote ("voted 11-2")
    re.compile(rf"\b(?P<a>\d{{1,3}})-(?P<b>\d{{1,3}})(?P<against>)(?=\s+(?:favou?rites?|shot|chance|outsiders?|on\b|against|"
               rf"to\s+(?:win|take|lift|retain|finish|beat|claim|reach|qualify|top|land|go\s+up)\b|"
               rf"with\s+(?:(?:the|most|all|some|many|several|leading|same|major)\s+)*(?:\w+\s+)?{_BOOKMAKERS}))", re.IGNORECASE),
    # "put the odds … at roughly even", "at evens", "the evens favourite"
    re.compile(rf"\b{_CHANCE}\b[^;?!]{{0,80}}?\b(?:at|are|is)\s(?:{_HEDGE})?(?P<even>evens?|50-50|fifty-fifty)\b", re.IGNORECASE),
    re.compile(r"\b(?P<even>evens)\s+(?:favou?rites?|shot|to)\b", re.IGNORECASE),
    # "he would put it at no more than 15 per cent": the claim before is the "it"
    re.compile(rf"\bput(?:s|ting)?\s+(?:it|that|this|them)\s+at\s[\"“]?\s?(?:{_HEDGE})?{_PERCENT}", re.IGNORECASE),
]


@dataclass(frozen=True)
class Stated:
    start: int
    end: int
    probability: float


def stated(text: str) -> list[Stated]:
    """The probabilities a sentence states, with where their words are."""
    found: list[Stated] = []
    covered: set[int] = set()  # the offsets inside a number found
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if m.groupdict().get("a") is not None and ending(_TALLY, text, 0, m.start()):
                continue
            p = _value(m.groupdict())
            if p is not None and 0.0 <= p <= 1.0 and m.start() not in covered:
                found.append(Stated(m.start(), m.end(), round(p, 4)))
                covered.update(range(m.start(), m.end()))
    return sorted(found, key=lambda s: s.start)


def _value(groups: dict) -> float | None:
    if groups.get("even") is not None:
        return 0.5
    if groups.get("amount") is not None:
        amount = number_word(groups["amount"])
        if amount is not None and groups.get("upper") is not None:
            amount = (amount + float(groups["upper"])) / 2  # "60-70%": the middle of the range
        return None if amount is None else amount / 100
    if groups.get("den") is not None:
        num, den = number_word(groups["num"]), number_word(groups["den"])
        return num / den if num is not None and den else None
    if groups.get("ord") is not None:
        num = 1 if groups["num"].lower() in ("a", "an") else number_word(groups["num"])
        return None if num is None else num / _ORDINALS[groups["ord"].lower()]
    a, b = int(groups["a"]), int(groups["b"])
    if a + b == 0:
        return None
    return b / (a + b) if groups.get("against") is not None else a / (a + b)


def number_word(word: str) -> float | None:
    """42, "seven", "forty-two"."""
    word = word.lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        return float(word)
    tens, _, unit = word.partition("-")
    if word in _UNITS:
        return _UNITS[word]
    if word in _TENS:
        return _TENS[word]
    if tens in _TENS and unit in _UNITS:
        return _TENS[tens] + _UNITS[unit]
    return None
