"""Draft questions: a claim turned into "Will …?" (or "When will the congress open?" for a date), and
the question the ledger already holds that a claim repeats."""

from __future__ import annotations

import re
from functools import lru_cache

_NAMED_EVENTS = ("congress", "summit", "election", "plenum", "plenary", "conference", "referendum", "vote", "talks", "parade")
_GENERIC_EVENTS = ("meeting", "session", "gathering", "event")
_EVENT_NOUN = re.compile(r"\b(" + "|".join(_NAMED_EVENTS + _GENERIC_EVENTS) + r")\b", re.IGNORECASE)
NAMED_EVENT = re.compile(r"\b(" + "|".join(_NAMED_EVENTS) + r")\b", re.IGNORECASE)
EVENT_VERBS = {"open": "open", "convene": "open", "begin": "open", "start": "open", "held": "open",
               "conclude": "close", "concluding": "close", "close": "close", "end": "close"}
EVENT_VERB = re.compile(r"\b(" + "|".join(sorted(EVENT_VERBS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_OBJECT_CUES = {"strong possibility", "possibility", "real possibility", "good chance", "little chance", "no chance",
                "remote possibility", "almost no chance", "toss-up", "expect", "predict", "anticipate", "forecast", "estimate",
                "believe", "doubt", "confident"}
_FRAME_LEAD = re.compile(r"^.*?\b(?:said|says|say|told|added|noted|cautioned|warned|argued|argue|predict|predicts|predicted|anticipate|"
                         r"anticipates|believe|believes|estimate|estimates|note|notes|caution|cautions|point out|points out|"
                         r"suggest|suggests)(?:,\s*(?:however|though),)?\s(?:that\s)?")
_ATTRIBUTION = re.compile(r",\s(?:according\s+to\b|[^,]{1,60}\s(?:said|says|say|told|added)\b).*$")


def event_noun(text: str, earlier: str | None) -> str | None:
    """The event a date claim is about; a generic word ("the gathering") stands for the last named one."""
    found = _EVENT_NOUN.search(text)
    noun = found.group(1).lower() if found else None
    if (noun is None or noun in _GENERIC_EVENTS) and earlier:
        return earlier
    return noun


def question_text(claim: str, cue_start: int, cue_end: int, phrase: str, event: str | None, subject_hint: str = "") -> tuple[str, str]:
    """A draft question and its subject: "Will <subject> <predicate>?", or "When will the <event> open?"
    for a date. A claim that starts "and will …" borrows the subject of the claim before it."""
    if event is not None:
        verb = EVENT_VERB.search(claim)
        return f"When will the {event} {EVENT_VERBS[verb.group(1).lower()] if verb else 'happen'}?", ""
    before, after = claim[:cue_start].strip(), _ATTRIBUTION.sub("", claim[cue_end:].strip())
    before = re.split(r",\s(?:and|but)\s|;\s", before)[-1]
    if phrase in _OBJECT_CUES or re.search(r"\d|chance|odds|probability", phrase):
        before, after = "", re.sub(r"^(?:that\s|of\s|\w+\s(?:a|an)\s[\w-]+\s(?:chance|probability)\sof\s)", "", after)
        after = re.sub(r"^(.+?)\s(?:will|would)\s", r"\1 ", after, count=1)  # "that X will do" → "X do"
        after = re.sub(r"^(\S+(?:\s\S+){0,4}?)\sto\s", r"\1 ", after, count=1)  # "expect the bank to cut" → "the bank cut"
    before = _FRAME_LEAD.sub("", before)
    before = re.sub(r"^(?:[A-Z][\w\s]{0,30}),\s", "", before)  # "In particular, …", "However, …"
    before = re.sub(r"\b(?:is|are|was|were|be|would|also|is also|that|which|there is a|there is)$", "", before).strip(" ,")
    before = re.sub(r"^(?:and|but)\b\s*", "", before) or subject_hint
    before = re.sub(r"^(The|A|An|This|These|That|Such|Another|Some|Its|Their)\b", lambda m: m.group(1).lower(), before)
    after = re.sub(r"^(?:and\s)?(?:instead\s)?(?:to\s)?", "", after)
    after = re.split(r",”|\.”|”,", after)[0].rstrip(" .,;\"”")
    return f"Will {before} {after}".replace("  ", " ").strip() + "?", before


_STOP = {"the", "a", "an", "of", "to", "in", "on", "at", "for", "and", "or", "will", "when", "what", "does", "do", "is", "be",
         "its", "it", "that", "this", "with", "by", "as", "from", "into", "s"}


@lru_cache(maxsize=8192)
def words(text: str) -> frozenset[str]:
    """Content words, with event verbs ("convene", "begin") read as what they do (open). Remembered:
    each claim is compared with every question drafted before it."""
    found = set()
    for w in re.findall(r"[a-z0-9]+", text.lower()):
        w = EVENT_VERBS.get(w, w)
        w = re.sub(r"(ing|ed|es|s)$", "", w) if len(w) > 4 else w
        if w not in _STOP and len(w) > 1 and not w.isdigit():
            found.add(w)
    return frozenset(found)


def similar(a: str, b: str) -> float:
    """Overlap of content words, relative to the shorter text: 1 when one says all the other says."""
    x, y = words(a), words(b)
    return len(x & y) / min(len(x), len(y)) if x and y else 0.0


def match(text: str, kind: str, questions: dict[str, tuple[str, str]], existing: dict, event: str | None,
          suffixes: dict[str, int] | None = None) -> tuple[str, bool]:
    """The id of a question (in the ledger or drafted already) this one repeats, else a new id, which
    `questions` then holds. Returns the id and whether the ledger held it. `suffixes`, kept across the
    calls for one `questions`, remembers the numbers ("question-7") already taken for each id, so that
    thousands of claims with the same id do not count up from 2 each time."""
    verb = words(text) & {"open", "close"}  # a date question about an opening never matches one about a closing
    best = max(((similar(text, other), qid) for qid, (other, other_kind) in questions.items()
                if other_kind == kind and (kind != "date" or verb <= words(other))), default=(0.0, None)) if words(text) else (0.0, None)
    threshold = 0.5 if kind == "date" else 0.75
    if best[1] is not None and best[0] >= threshold:
        return best[1], best[1] in existing
    if event is not None:
        base = f"{event}-{'opening' if 'open?' in text else 'closing' if 'close?' in text else 'date'}"
    else:
        content = [w for w in re.findall(r"[a-z0-9]+", text.lower().removeprefix("will ")) if w not in _STOP and len(w) > 1]
        base = re.sub(r"[^a-z0-9]+", "-", " ".join(content[:5])).strip("-") or "question"
    qid, n = base, 2
    if suffixes is not None and base in questions:
        n = suffixes.get(base, 2)  # base-2 … base-(n-1) were taken when last asked, and still are
        qid, n = f"{base}-{n}", n + 1
    while qid in questions:
        qid, n = f"{base}-{n}", n + 1
    if suffixes is not None:
        suffixes[base] = n if qid != base else 2
    questions[qid] = (text, kind)
    return qid, False
