"""A sentence's clauses, and the clauses that look like forecasts but are not.

A sentence is cut where a second claim begins (", but", ", while", "; ", ", and", "and that",
", who said", ", adding that", "with Lim warning that"), so that "While experts say A, some predict B"
gives two claims with two speakers. A leading concessive clause ("While …,", "Although …,") is a claim
only when it is attributed; a leading background clause ("Amid speculation that …,", "Despite …,")
never is. Not forecasts: questions, wishes and demands ("hope", "want", "urged"), predictions already
settled ("had predicted", ", and it did", ", which it did"), and, in the article's own voice, a bare "will" (a schedule or
a fact: "the vote will be held on …") or a hedge in the past tense ("was a toss-up").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

FIRST, CONCESSION, BACKGROUND = "first", "concession", "background"
CONTINUES = "continues"  # "…, and that the court could …", "… and will instead …": the same speaker goes on
PARTICIPLE = "participle"  # "…, adding that …": the speaker of the sentence
CONSEQUENCE = "consequence"  # "…, potentially concluding …": an elaboration, drafted only with a date of its own
APPOSITION = "apposition"  # "…, a pivotal event that will …", "…, a meeting expected to …": describes, does not forecast

_LEAD = re.compile(r"(?P<word>While|Although|Though|Whereas|Even\s+though|Even\s+as|Amid|Amidst|Despite|Given|Since|Because|As|"
                   r"With|Following|After|Ahead\s+of)\b[^,“”\"]*(?:[“\"][^”\"]*[”\"][^,“”\"]*)*,\s")
_CONCESSIVE = {"while", "although", "though", "whereas", "even though", "even as"}
_MODAL = r"(?:will|would|could|may|might|also|instead|likely|probably)"
_BOUNDARY = re.compile(
    rf"(?P<continues>,?\s+(?:and|but)\s+(?=(?:that|{_MODAL})\b))"
    r"|(?P<join>,\s+(?:and|but|yet|while|whereas|though|although)\s+|;\s+)"
    r"|(?P<who>,\s+(?=who\s+(?:said|says|added|told|predicted|warned|expects?|believes?|estimates?|argued|noted)\b))"
    r"|(?P<where>,\s+(?=where\s))"
    r"|(?P<participle>,\s+(?=(?:adding|noting|warning|cautioning|saying|arguing|predicting|stressing|insisting|explaining)\b))"
    r"|(?P<with>,\s+(?=with\s+[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*\s+(?:warning|saying|adding|noting|arguing|predicting|cautioning)\b))"
    r"|(?P<apposition>,\s(?=(?:a|an)\s(?:[\w-]+\s){0,5}?(?:that|which|expected\s+to|set\s+to|likely\s+to|poised\s+to)\s))"
    rf"|(?P<consequence>,\s(?=(?:potentially|possibly)\s\w+ing\b))"
)


@dataclass(frozen=True)
class Piece:
    start: int  # offsets within the sentence
    end: int
    link: str  # how it joins what comes before it


def pieces(sentence: str) -> list[Piece]:
    """The sentence's clauses, each with how it joins the one before."""
    found, start, link = [], 0, FIRST
    lead = _LEAD.match(sentence)
    if lead and lead.end() < len(sentence):
        word = " ".join(lead.group("word").lower().split())
        found.append(Piece(0, lead.end(), CONCESSION if word in _CONCESSIVE else BACKGROUND))
        start = lead.end()
    for m in _BOUNDARY.finditer(sentence, start):
        if inside_quotation(sentence, m.start()) != inside_quotation(sentence, m.end()):
            continue
        found.append(Piece(start, m.start(), link))
        start, link = m.start(), m.lastgroup or "join"
    found.append(Piece(start, len(sentence), link))
    return [p for p in found if sentence[p.start:p.end].strip(" ,;")]


def inside_quotation(sentence: str, position: int) -> bool:
    """Whether `position` lies inside quotation marks (curly or straight): more “ than ” before it, or
    an odd number of ". Counted from where the marks are, not by reading all the text before it, since a
    long sentence asks this for each of its cues."""
    if position < 0:
        position = max(0, len(sentence) + position)
    opening, closing, straight = _marks(sentence)
    return bisect_left(opening, position) > bisect_left(closing, position) or bisect_left(straight, position) % 2 == 1


@lru_cache(maxsize=16)
def _marks(sentence: str) -> tuple[list[int], list[int], list[int]]:
    """Where a sentence's “, ” and " are."""
    return tuple([m.start() for m in re.finditer(mark, sentence)] for mark in ("“", "”", '"'))  # type: ignore[return-value]


def search_from(pattern: re.Pattern, text: str, pos: int) -> re.Match | None:
    """`pattern.search(text, pos)`, remembered: a search from `pos` that finds a match at `p` answers
    every search from between `pos` and `p` too, so that asking it from each clause of a long sentence
    reads the sentence about once, not once per clause. (Searched from `pos`, not from a slice: a look-
    behind or "\b" there sees the text before `pos`, as in `pattern.search(text, pos)`.)"""
    return _searches(pattern, text).search(pos)


class _Searches:
    def __init__(self, pattern: re.Pattern, text: str):
        self.pattern, self.text = pattern, text
        self.starts: list[int] = []  # searches made from here …
        self.ends: list[int] = []  # … found nothing before here (the match's start, or the text's end)
        self.found: list[re.Match | None] = []

    def search(self, pos: int) -> re.Match | None:
        i = bisect_right(self.starts, pos) - 1
        if i >= 0 and pos <= self.ends[i]:
            return self.found[i]
        m = self.pattern.search(self.text, pos)
        self.starts.insert(i + 1, pos)
        self.ends.insert(i + 1, m.start() if m else len(self.text))
        self.found.insert(i + 1, m)
        return m


@lru_cache(maxsize=32)
def _searches(pattern: re.Pattern, text: str) -> _Searches:
    return _Searches(pattern, text)


def word_char(char: str) -> bool:
    """What "\b" reads as part of a word."""
    return char.isalnum() or char == "_"


def ending(pattern: re.Pattern, text: str, start: int, end: int, words: int = 1, reach: int = 40) -> re.Match | None:
    """`pattern.search(text, start, end)` for a pattern anchored at `end` (it ends in `$`) whose match
    lies within the last `words` words before `end` and the space around them: searched only from where
    those words begin, so that asking it for each cue of a long sentence does not read the whole
    sentence each time. Of a word, only its last `reach` characters are read ("\b" and look-behinds
    still see the text before)."""
    i = end
    for _ in range(words):
        while i > start and text[i - 1].isspace():
            i -= 1
        stop = max(start, i - reach)
        while i > stop and not text[i - 1].isspace():
            i -= 1
    return pattern.search(text, i, end)


_QUESTION = re.compile(r"\?[\"”’']*\s*$")
_PLUPERFECT = re.compile(r"\bhad\s+(?:been\s+)?(?:\w+ly\s+)?(?:predicted|forecast|expected|anticipated|projected|estimated|tipped|"
                         r"guided|thought|said|warned)\b", re.IGNORECASE)
_SETTLED = re.compile(r",\s+and\s+(?:it|they|he|she|one|so\s+it)\s+(?:did|was|were|took\s+place|happened|came|turned\s+out|proved)\b"
                      r"|,\s+(?:which|as)\s+(?:it|they|he|she)\s+(?:duly\s+|later\s+|then\s+)?(?:did|was|were|had)\b"
                      r"|\b(?:proved|proven)\s+(?:accurate|correct|right|wrong|true|false|prescient|mistaken)\b|\bcame\s+true\b"
                      r"|\bduly\b|\bnever\s+(?:arrived|materiali[sz]ed|happened|came)\b", re.IGNORECASE)
_WISH = re.compile(r"(?<!the\s)(?<!\sa\s)\b(?:wants?|wanted|hopes?|hoped|hoping|wish(?:es|ed)?|urged?|urges|urging|call(?:s|ed)?\s+(?:on|for)|"
                   r"demand(?:s|ed)?|asks?|asked|plead(?:s|ed)?|would\s+like|vow(?:s|ed)?|pledge[sd]?|promise[sd]?|intends?|plans?\s+to)\b"
                   r"(?!\s+(?:for|from|of|in|is|was|has|will|would|could|may|that\s+the\s+\w+\s+(?:is|was)))")
_REPORTING = re.compile(r"\b(?:said|says|say|told|tells|added|adds|noted|warned|cautioned|argued|predicted|expects?|believes?|"
                        r"estimates?|think|thinks)\b")
_PAST_REPORTING = re.compile(r"\b(?:said|told|added|predicted|warned|cautioned|argued|insisted|noted|stressed|believed|thought|expected|"
                             r"estimated|forecast|suggested|wrote|reported|explained|maintained|acknowledged|conceded)\b")
_PAST_COPULA = re.compile(r"\b(?:was|were|had\s+been)\s+(?:an?\s+|\w+ly\s+)?$", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(?:that|which|who)\s+$")
_INTENT_QUOTED = re.compile(r"\b(?:I|we|I[’']d|we[’']d)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_INTENT_REPORTED = re.compile(r"\b(I|we|he|she|they|it)\s+(?:\w+ly\s+)?$", re.IGNORECASE)


def is_question(sentence: str) -> bool:
    """"Will the board break ranks?": a question asks; it does not forecast."""
    return bool(_QUESTION.search(sentence))


def settled(sentence: str, piece: str) -> bool:
    """A prediction reported as made and settled: "most had predicted …" (the clause), "…, and it did",
    "… proved accurate" (anywhere in the sentence)."""
    return bool(_PLUPERFECT.search(piece) or _settled_anywhere(sentence))


@lru_cache(maxsize=16)
def _settled_anywhere(sentence: str) -> bool:
    """`_SETTLED` anywhere in the sentence: read once per sentence, not once per clause."""
    return bool(_SETTLED.search(sentence))


def wish(before_cue: str) -> bool:
    """"Investors hope the bank will …", "lawmakers urged …": a wish or a demand governs the cue."""
    wishes = list(_WISH.finditer(before_cue))
    if not wishes:
        return False
    reporting = list(_REPORTING.finditer(before_cue))
    return not reporting or reporting[-1].start() < wishes[-1].start()


def reported_would(sentence: str, piece_start: int, cue_start: int, cue_end: int) -> bool:
    """"would" counts as a forecast only as a reported "will": after a past reporting verb ("said the
    race would tighten") or before one ("…, Lin said"), and outside quotation marks."""
    if inside_quotation(sentence, cue_start):
        return False
    if cue_start > 0 and not word_char(sentence[cue_start - 1]):
        # No match of the verbs, all words, can reach past the mark before the cue: the sentence's
        # first match from the clause's start, remembered for each "would" of a long clause.
        before = search_from(_PAST_REPORTING, sentence, piece_start)
        reported = before is not None and before.start() < cue_start
    else:
        reported = bool(_PAST_REPORTING.search(sentence, piece_start, cue_start))
    return reported or bool(search_from(_REPORTED_AFTER, sentence, cue_end))


_REPORTED_AFTER = re.compile(r",\s[^,]{1,60}\s(?:said|told|added|wrote)\b")  # no look-behind: the same from a slice


def intention(sentence: str, cue_start: int, speaker_kind: str) -> bool:
    """"she said she would not support …", "“We will fight on”": a speaker's plan for themselves."""
    if inside_quotation(sentence, cue_start):
        return bool(ending(_INTENT_QUOTED, sentence, 0, cue_start, words=2))
    pronoun = ending(_INTENT_REPORTED, sentence, 0, cue_start, words=2)
    return pronoun is not None and (pronoun.group(1).lower() in ("he", "she", "i")) == (speaker_kind == "person")


def past_narrative(sentence: str, cue_start: int, surface: str) -> bool:
    """"The semi-final was a toss-up": the article's own voice telling what was, not what will be."""
    return bool(ending(_PAST_COPULA, sentence, 0, cue_start, words=3)) or bool(re.match(r"(?:was|were|had)\b", surface, re.IGNORECASE))


def about_the_past(sentence: str, cue_end: int, piece_end: int) -> bool:
    """"Police believe the fire was started deliberately", "I think so": a belief about what was, or
    about nothing, with no word of the future in it."""
    rest = sentence[cue_end:piece_end]
    if re.match(r"\s+(?:so|not)\b\s*(?:[,.;!?]|$)", rest):
        return True
    return bool(re.match(r"\s+(?:that\s+)?(?:[\w’'-]+\s+){0,6}?(?:was|were|had|did)\b", rest)) and not _FUTURE.search(rest)


_FUTURE = re.compile(r"\b(?:will|would|could|may|might|shall|going\s+to|likely|to\s+be|next|soon|tomorrow)\b|[’']ll\b", re.IGNORECASE)


def without_object(sentence: str, cue_end: int, piece_end: int) -> bool:
    """"Five things our desk expects in 2027": the verb's object came before it (a title, a relative
    clause), and nothing after it but a time says what is expected."""
    return bool(re.fullmatch(r"\s+(?:in|for|by|during|over|next|this|later)\b[^,;:]*?[.!?]?\s*", sentence[cue_end:piece_end]))


def relative_will(sentence: str, cue_start: int) -> bool:
    """"an event that will be remembered" describes; it does not forecast."""
    return bool(ending(_RELATIVE, sentence, 0, cue_start))
