"""The words that make a sentence a forecast and set its probability.

Each cue maps the words as written ("is widely expected to", "chances are slim", "won't") to a phrase
the probability scales know (ledger/schema/probability.py), says whether it leans against the event
(negated), and what kind of word it is, which decides which cue of a clause sets its probability:
a stated number first; then a hedge; an attitude verb ("believe", "estimate") only when nothing more
specific follows it; a bare "will" last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ledger.extract.clauses import ending
from ledger.extract.numbers import stated

NUMBER, HEDGE, VERB, ATTITUDE, WILL, WOULD = "number", "hedge", "verb", "attitude", "will", "would"

_NOT = r"(?:not|n[’']t|never)"
_BE = r"(?:is|are|was|were|be|been|being|remains?|seems?|looks?|[’']s|[’']re)"
# A cue right after one of these words is a noun or an adjective: "its estimate", "the possibility",
# "800 likely voters", "as expected", "had predicted" (a settled past, see clauses.py).
_NOUN_USE = re.compile(r"(?:\b(?:the|a|an|its|their|his|her|our|my|your|this|that|these|those|as|had|no|little)|[’']s)\s*$",
                       re.IGNORECASE)
_ADJECTIVE_LIKELY = (re.compile(r"\d\s*$"),
                     # "800 likely voters"; "are likely being assessed" guesses at the present, not the future
                     re.compile(r"\s+(?:voters|candidates?|winners?|outcomes?|scenarios?|successors?|nominees?|path|being)\b"))

# (pattern, phrase on the scale, negated, kind, whether a noun use is excluded); the longest match wins.
_TABLE: list[tuple[str, str, bool, str, bool]] = [
    # negations of expectation and of the future
    (rf"(?:{_BE}\s+)?{_NOT}\s+(?:widely\s+|generally\s+)?expected\s+to", "not expected to", True, HEDGE, False),
    (r"no\s+longer\s+expected\s+to", "not expected to", True, HEDGE, False),
    (rf"(?:do|does|did)\s*{_NOT}\s+(?:expect|anticipate|foresee|predict|think|believe|see)", "not expected to", True, HEDGE, False),
    (r"(?:nobody|no\s+one|few)\s+(?:expects?|predicts?|anticipates?|thinks?|believes?|sees?)", "not expected to", True, HEDGE, False),
    (rf"(?:will\s+{_NOT}|won[’']t)(?!\s+(?:say|comment|rule\s+out|be\s+surprised))", "will not", True, WILL, False),
    (rf"(?:{_BE}\s+)?{_NOT}\s+going\s+to(?!\s+(?:the|a|an|be\s+surprised)\b)", "not going to", True, WILL, False),
    (rf"{_BE}\s+{_NOT}\s+likely", "not likely", True, HEDGE, False),
    (r"(?:very|highly|extremely)\s+unlikely", "very unlikely", True, HEDGE, False),
    (r"unlikely", "unlikely", True, HEDGE, False),
    (r"highly\s+improbable", "highly improbable", True, HEDGE, False),
    (r"improbabl[ey]", "improbable", True, HEDGE, False),
    (r"(?:(?:will|would)\s+)?probably\s+not", "probably not", True, HEDGE, False),
    (r"almost\s+no\s+chance", "almost no chance", True, HEDGE, False),
    (r"(?:no|zero)\s+chance|out\s+of\s+the\s+question", "no chance", True, HEDGE, False),
    (r"remote\s+(?:possibility|chance|prospect)", "remote possibility", True, HEDGE, False),
    (r"(?:little|slim|small|scant|slight)\s+(?:chance|prospect|likelihood)s?|chances\s+(?:are|look|remain|seem)\s+(?:slim|slight|low|remote|small)",
     "little chance", True, HEDGE, False),
    (r"doubtful|(?:a|in)\s+doubt\s+for", "doubtful", True, HEDGE, False),
    # surprise and disbelief: "I'd be surprised if we slip", "don't hold your breath"
    (r"(?:(?:I|we|you|they|he|she)[’']d|would|will)\s+be\s+(?:very\s+|really\s+)?surprised\s+(?:if|to)", "unlikely", True, HEDGE, False),
    (rf"(?:would|will|could)\s*{_NOT}\s+be\s+surprised\s+(?:if|to)|(?:wouldn|won|couldn)[’']t\s+be\s+surprised\s+(?:if|to)",
     "possible", False, HEDGE, False),
    (r"(?:don[’']t|do\s+not|wouldn[’']t|would\s+not)\s+(?:hold\s+your\s+breath|bet\s+on\s+it|count\s+on\s+it)|fat\s+chance",
     "very unlikely", True, HEDGE, False),
    (r"doubt(?:s|ed)?(?=\s+(?:that|whether|if|it|\w+(?:\s\w+){0,3}\s+(?:will|would|could|can)\b))", "doubt", True, ATTITUDE, True),
    # double negations read as possible
    (r"not\s+out\s+of\s+the\s+question|(?:cannot|can[’']t|could\s+not|couldn[’']t)\s+(?:be\s+)?rule[sd]?\s+out|not\s+(?:be\s+)?ruled\s+out",
     "possible", False, HEDGE, False),
    # certainty and momentum
    (r"(?:all\s+but|virtually|nearly)\s+certain", "all but certain", False, HEDGE, False),
    (r"almost\s+certain(?:ly)?", "almost certain", False, HEDGE, False),
    (rf"{_BE}\s+(?:certain|sure|bound)\s+to", "certain to", False, HEDGE, False),
    (r"(?:little|no)\s+doubt(?:\s+that)?", "very likely", False, HEDGE, False),
    # with what they are confident of: "Not everyone is convinced." is no claim
    (r"(?:is|are|remains?|was|were)\s+(?:very\s+|quietly\s+|fairly\s+)?(?:confident|convinced)(?!\s*(?:[.,;:!?]|$))", "confident",
     False, ATTITUDE, False),
    (r"widely\s+(?:expected|anticipated|predicted|tipped)(?:\s+to)?", "widely expected", False, HEDGE, False),
    (r"poised\s+(?:\S+\s+){0,3}?to", "poised to", False, HEDGE, False),
    (r"(?:looks?\s+|is\s+|are\s+|was\s+|were\s+)?set\s+to(?!\s+(?:the|a|an|work)\b)", "set to", False, HEDGE, False),
    (r"on\s+(?:track|course)\s+(?:to|for)", "on track", False, HEDGE, False),
    (r"odds-on(?:\s+favou?rites?)?", "favourite", False, HEDGE, False),  # a bookmaker's price shorter than evens
    (r"(?:clear\s+|strong\s+|heavy\s+)?favou?rites?\s+(?:to|for)|(?:is|are)\s+(?:widely\s+)?tipped\s+to", "favourite", False, HEDGE, False),
    # likelihood
    (r"more\s+likely\s+than\s+not", "more likely than not", False, HEDGE, False),
    (r"better\s+than\s+even", "better than even", False, HEDGE, False),
    (r"(?:very|highly|extremely)\s+likely", "very likely", False, HEDGE, False),
    (r"likely", "likely", False, HEDGE, True),
    (r"probabl[ey]", "probably", False, HEDGE, False),
    (r"toss-?up|coin[\s-]?(?:flip|toss)|50-50|fifty-fifty|(?:roughly\s+|about\s+)?even\s+(?:chance|odds)", "toss-up", False, HEDGE, False),
    (r"(?:strong|distinct|high)\s+(?:possibility|chance|likelihood|probability)", "strong possibility", False, HEDGE, False),
    (r"real\s+(?:possibility|chance|prospect)|realistic\s+possibility", "real possibility", False, HEDGE, False),
    (r"good\s+chance|fair\s+chance|decent\s+chance", "good chance", False, HEDGE, False),
    (r"(?:appears?|seems?)\s+to|looks?\s+likely\s+to", "appears", False, HEDGE, False),
    (r"remains?\s+uncertain|(?:is|are)\s+uncertain|(?:is|remains?)\s+unclear\s+(?:whether|if)", "remains uncertain", False, HEDGE, False),
    (rf"{_BE}\s+[\"“]?(?:\w+ly\s+)?possible|possible\s+that|possibly(?=\s+\w+)", "possible", False, HEDGE, False),
    (r"possibility", "possibility", False, HEDGE, False),
    (r"potentially(?=\s+(?:\w+ing|be|become)\b)", "potentially", False, HEDGE, False),
    # expectation and prediction
    (rf"(?:{_BE}\s+)?expected\s+to|{_BE}\s+seen(?=\s+(?:\w+ing\b|as\s+likely|at\b))", "expected to", False, HEDGE, True),
    (rf"(?:{_BE}\s+)?forecast\s+to", "forecast", False, HEDGE, False),
    (r"expect(?:s|ed)?(?!\s+to\b)", "expect", False, VERB, True),
    (r"anticipat(?:e|es|ed)", "anticipate", False, VERB, True),
    (r"predict(?:s|ed)?", "predict", False, VERB, True),
    (r"forecasts?(?!\s+(?:of|for|to)\b)", "forecast", False, VERB, True),
    (r"estimat(?:e|es|ed)(?!\s+(?:of|for)\b)", "estimate", False, ATTITUDE, True),
    (r"believ(?:e|es|ed)", "believe", False, ATTITUDE, False),
    (r"(?:thinks?|reckons?)(?!\s+tanks?\b)", "believe", False, ATTITUDE, False),
    # modal verbs
    (r"going\s+to(?!\s+(?:the|a|an|his|her|their|its|court|war|polls?)\b)", "going to", False, WILL, False),
    (r"could", "could", False, HEDGE, False),
    (r"may(?!\s+(?:of|be\s+recalled)\b)", "may", False, HEDGE, False),
    (r"might", "might", False, HEDGE, False),
    (r"will(?!\s+(?:of|to)\b)|[’']ll", "will", False, WILL, False),
    (rf"would\s+{_NOT}|wouldn[’']t", "will not", True, WOULD, False),
    (r"would", "will", False, WOULD, False),
]
_CUES = [(re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE), phrase, negated, kind, noun)
         for pattern, phrase, negated, kind, noun in _TABLE]
_MONTH = re.compile(r"May(?:\s+\d|,)")
_CORRECTS = re.compile(r"\s*(?:but|yet|though|if)\s+(?:(?:still|very|highly|rather|quite)\s+)?", re.IGNORECASE)


def _noun_use(text: str, m: re.Match, phrase: str) -> bool:
    """The cue follows a word that makes it a noun or an adjective; but "see approval as likely" is a
    forecast ("as likely as not" is not)."""
    before = ending(_NOUN_USE, text, 0, m.start())
    if before and phrase == "likely" and before.group(0).strip().lower() == "as":
        return bool(re.match(r"\s+as\b", text[m.end():]))
    return bool(before)


@dataclass(frozen=True)
class Cue:
    start: int  # offsets within the sentence
    end: int
    surface: str
    phrase: str
    negated: bool
    kind: str
    probability: float | None = None  # a number the text states


def cues(text: str) -> list[Cue]:
    """Every cue in a sentence, in order, overlapping ones resolved to the longest."""
    found = [Cue(s.start, s.end, text[s.start:s.end], text[s.start:s.end], False, NUMBER, s.probability) for s in stated(text)]
    for pattern, phrase, negated, kind, noun in _CUES:
        for m in pattern.finditer(text):
            if phrase == "may" and (_MONTH.match(text, m.start()) or (m.group(0) == "May" and m.start() > 0)):
                continue  # the month
            if noun and (_noun_use(text, m, phrase) or (phrase == "likely" and (
                    ending(_ADJECTIVE_LIKELY[0], text, 0, m.start()) or _ADJECTIVE_LIKELY[1].match(text, m.end())))):
                continue
            found.append(Cue(m.start(), m.end(), m.group(0), phrase, negated, kind))
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[Cue] = []
    for cue in found:
        if kept and cue.start < kept[-1].end:
            if cue.kind == NUMBER or (kept[-1].kind != NUMBER and cue.end - cue.start > kept[-1].end - kept[-1].start):
                kept[-1] = cue
            continue
        kept.append(cue)
    return kept


def governing(inside: list[Cue], text: str) -> Cue:
    """The cue that sets a clause's probability: a stated number; else the first hedge, where an
    attitude verb ("experts believe the congress could …") yields to a hedge inside its clause, and
    a hedge yields to one that corrects it ("possible but unlikely"); a bare "will" only when nothing
    else hedges the clause."""
    numbers = [c for c in inside if c.kind == NUMBER]
    if numbers:
        return numbers[0]
    ranked = [c for c in inside if c.kind not in (WILL, WOULD)] or inside
    first = ranked[0]
    correction = next((c for c in ranked[1:] if c.kind == HEDGE and _CORRECTS.fullmatch(text, first.end, c.start)), None)
    if first.kind == HEDGE and correction is not None:
        return correction
    if first.kind == ATTITUDE:
        specific = [c for c in ranked[1:] if c.kind == HEDGE]
        return specific[0] if specific else first
    return first
