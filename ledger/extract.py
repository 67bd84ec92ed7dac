"""`ledger extract`: draft the forecasts of a plain-text article for a person to review.

Rules, not a model: offline, deterministic and fast. The article is split into sentences (keeping
each one's exact text, so every quote is verbatim), each sentence into claims around the hedge
phrases the probability scales know ("expected to", "could", "unlikely to", "strong possibility"),
and each claim is attributed to its speaker: a named person introduced with a title ("Lim Eul-chul,
a professor at …, said"), that person again by family name ("Hong added that"), the speaker of the
quotation a sentence continues, the unnamed "experts", "analysts" or "observers", or else the
article's own newsroom. What it does not catch is listed in docs/extract.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ledger.schema.dates import parse_date

# --- sentences ---------------------------------------------------------------------------------

_ABBREVIATIONS = {"u.s", "u.n", "u.k", "e.u", "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sen", "rep", "st", "jr",
                  "sr", "inc", "corp", "co", "ltd", "no", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                  "sept", "oct", "nov", "dec", "a.m", "p.m"}
_CLOSERS = "\"”’')]"


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """Split into sentences at . ! ? (and a closing quote after them), not after abbreviations
    such as "Feb." or "U.S.", nor where the next word starts in lower case."""
    found, start, i = [], 0, 0
    while i < len(text):
        if text[i] in ".!?":
            end = i + 1
            while end < len(text) and text[end] in _CLOSERS:
                end += 1
            word = re.search(r"([\w.]+)$", text[start:i])
            after = text[end:end + 3].lstrip()
            abbreviation = text[i] == "." and word is not None and word.group(1).lower().rstrip(".") in _ABBREVIATIONS
            boundary = end >= len(text) or text[end].isspace()
            lower_next = bool(after) and after[0].islower()
            if boundary and not abbreviation and not lower_next:
                found.append(_sentence(text, start, end))
                start = end
            i = end
            continue
        if text[i] == "\n" and text[start:i].strip():
            found.append(_sentence(text, start, i))
            start = i
        i += 1
    if text[start:].strip():
        found.append(_sentence(text, start, len(text)))
    return found


def _sentence(text: str, start: int, end: int) -> Sentence:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end, text[start:end])


# --- hedges ------------------------------------------------------------------------------------

# Attitude verbs report a view; a weaker modal inside their clause ("experts believe X could …")
# is what sets the probability, while "experts predict X will …" keeps the verb.
_ATTITUDES = {"expected", "anticipate", "anticipates", "predict", "predicts", "believe", "believes", "estimate", "estimates"}
_WEAK = {"could", "may", "might", "possibility", "possible", "potentially", "uncertain", "remains uncertain"}
_SURFACE = {  # phrases as they appear in running text, mapped to the scale phrase they stand for
    "is expected to": "expected to", "are expected to": "expected to", "expected to": "expected to",
    "is not expected to": "not expected to", "are not expected to": "not expected to", "not expected to": "not expected to",
    "is unlikely to": "unlikely", "unlikely to": "unlikely", "is likely to": "likely", "likely to": "likely",
    "would likely": "likely", "is very likely to": "very likely", "is highly likely to": "very likely",
    "strong possibility": "strong possibility", "real possibility": "real possibility", "good chance": "good chance",
    "almost certainly": "almost certain", "almost certain to": "almost certain",
    "appears to": "appears", "remains uncertain": "remains uncertain",
    "could": "could", "may": "may", "might": "might", "potentially": "potentially", "possibility": "possibility",
    "anticipate": "anticipate", "anticipates": "anticipate", "predict": "predict", "predicts": "predict",
    "estimate": "estimate", "estimates": "estimate", "believe": "believe", "believes": "believe",
    "will": "will", "is set to": "is set to", "are set to": "is set to",
}
_HEDGE = re.compile(r"\b(" + "|".join(sorted((re.escape(s) for s in _SURFACE), key=len, reverse=True)) + r")\b", re.IGNORECASE)
_NOT_A_FORECAST = re.compile(r"\b(may|will)\b(?=\s+(?:of|be\s+recalled)\b)|\bMay\s+\d", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(?:that|which|who)\s$")  # "an event that will …" describes; it does not forecast


@dataclass
class Hedge:
    start: int  # offsets within the sentence
    end: int
    surface: str
    phrase: str  # the phrase as the scale knows it


def hedges(text: str) -> list[Hedge]:
    found = []
    for m in _HEDGE.finditer(text):
        surface = m.group(1)
        if _NOT_A_FORECAST.match(text, m.start()) or (surface == "May" and m.start() > 0):
            continue  # the month May, "will of", …
        if surface.lower() == "will" and _RELATIVE.search(text, 0, m.start()):
            continue
        if surface.lower() == "potentially" and not re.match(r"\s+(?:\w+ing|be|become)\b", text[m.end():]):
            continue  # "a potentially pivotal moment" qualifies a description
        found.append(Hedge(m.start(), m.end(), surface, _SURFACE[surface.lower()]))
    return found


# --- attribution -------------------------------------------------------------------------------

_NAME = r"[A-Z][a-z]+(?:-[a-z]+)?(?:\s[A-Z][a-z]+(?:-[a-z]+)?){1,2}"
_VERBS = r"said|says|added|noted|cautioned|warned|argued|told|explained|predicted|stressed|pointed out|points out|believes|expects"
_TITLE = r"(?:a|an|the|former)\s[^,.;“”\"]{3,140}?"
_INTRO = [
    re.compile(rf"(?P<name>{_NAME}),\s(?P<title>{_TITLE}),\s(?:{_VERBS})\b"),      # Name, a title, said
    re.compile(rf"\b(?:{_VERBS})\s(?P<name>{_NAME}),\s(?P<title>{_TITLE})[.,]"),   # said Name, a title.
    re.compile(rf"(?P<name>{_NAME})\s(?:{_VERBS})\b"),                             # Name said
    re.compile(rf"\b(?:{_VERBS})\s(?P<name>{_NAME})\b"),                          # said Name
]
_COLLECTIVE = re.compile(r"\b(?:some\s|many\s|most\s)?(experts|analysts|observers)\b", re.IGNORECASE)
_NOT_PEOPLE = {"north korea", "south korea", "kim jong", "kim jong un", "kim jong-un", "kim jong il", "donald trump", "workers party"}


@dataclass
class Speaker:
    id: str
    name: str
    kind: str  # person | collective | organisation
    affiliation: str | None = None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("’", "").replace("'", "")).strip("-")


class Attribution:
    """Who says what: the people the article has introduced, and the speaker of the last quotation."""

    def __init__(self, newsroom: Speaker):
        self.newsroom = newsroom
        self.people: dict[str, Speaker] = {}  # by full name and by family name
        self.last_quoted: Speaker | None = None  # who spoke the previous sentence's quotation

    def read(self, sentence: str) -> Speaker | None:
        """Meet the people a sentence introduces; return the person the sentence itself attributes
        its words to (introduced, or named again before a speech verb), if any."""
        introduced = self._introduced(sentence)
        return introduced or self._mention(sentence)

    def speaker(self, sentence: str, said_by: Speaker | None, claim_start: int, hedge_start: int) -> Speaker:
        """The speaker of a claim: someone named before its hedge, the speaker of the quotation it is
        in (this sentence's or the previous one's), the unnamed experts/analysts/observers before
        its hedge, or else the newsroom."""
        before = sentence[:hedge_start]
        named = self._mention(before) or self._introduced(before)
        if named is not None:
            return named
        if _in_quotation(sentence, hedge_start):
            if said_by is not None:
                return said_by
            if self.last_quoted is not None and sentence.lstrip().startswith(("“", '"')):
                return self.last_quoted  # a quotation that goes on from the previous sentence
        collective = next(reversed(list(_COLLECTIVE.finditer(sentence, claim_start, hedge_start))), None)  # the nearest one
        if collective is not None:
            name = collective.group(1).lower()
            return Speaker(name, f"{name.capitalize()} (unnamed)", "collective")
        if said_by is not None and said_by.kind == "person" and self._leads(sentence, said_by):
            return said_by
        return self.newsroom

    def after(self, sentence: str, said_by: Speaker | None) -> None:
        """Remember the speaker of a quotation, for a next sentence that continues it unnamed."""
        if "”" in sentence or '"' in sentence:
            self.last_quoted = said_by
        elif said_by is None:
            self.last_quoted = None

    def _leads(self, sentence: str, person: Speaker) -> bool:
        """'Hong added that …', 'However, Lim cautioned that …': the person's words fill the sentence."""
        keys = "|".join(re.escape(k) for k, p in self.people.items() if p is person)
        return bool(re.match(rf"^(?:However,\s|But\s|And\s)?(?:{keys})\b", sentence))

    def _introduced(self, text: str) -> Speaker | None:
        for pattern in _INTRO:
            for m in pattern.finditer(text):
                name = m.group("name")
                if name.lower() in _NOT_PEOPLE or name.split()[0] in ("The", "This", "That", "North", "South", "Some", "Many"):
                    continue
                known = self.people.get(name)
                if known is None:
                    title = m.groupdict().get("title")
                    affiliation = re.sub(r"^(a|an|the)\s", "", title.strip()) if title else None
                    known = Speaker(slug(name), name, "person", affiliation)
                    parts = name.split()  # family name first (Hong Min) or last (Maria Lopez): both refer back
                    for key in (name, parts[0], parts[-1]):
                        self.people.setdefault(key, known)
                return known
        return None

    def _mention(self, text: str) -> Speaker | None:
        """A person already introduced, named again (often by family name alone) next to a speech verb."""
        for key, person in self.people.items():
            after_name = rf"\b{re.escape(key)}\b(?:\s\w+)?\s(?:{_VERBS}|warning|cautioning|adding|noting)\b"
            before_name = rf"\b(?:{_VERBS}|with)\s{re.escape(key)}\b"
            if re.search(after_name, text) or re.search(before_name, text):
                return person
        return None


def _in_quotation(sentence: str, position: int) -> bool:
    """Whether `position` lies inside quotation marks (curly or straight) in the sentence."""
    before = sentence[:position]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


# --- claims, windows and questions ------------------------------------------------------------

_BOUNDARY = re.compile(r",\s(?:and|but|while)\s|;\s|\sand\s(?=(?:will|would|could|may|might)\b)|,\s(?=a\s[\w\s-]+?\sthat\s)"
                       r"|,\s(?=(?:potentially|possibly)\s\w+ing\b)")
_LEAD = re.compile(r"^(Amid|While|Although|As|Despite|Given|Since|Because)\b[^,]*,\s")
_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_MONTH = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_EVENT_VERBS = {"open": "open", "convene": "open", "begin": "open", "start": "open", "held": "open",
                "conclude": "close", "concluding": "close", "close": "close", "end": "close"}
_EVENT_VERB = re.compile(r"\b(" + "|".join(sorted(_EVENT_VERBS, key=len, reverse=True)) + r")\b", re.IGNORECASE)


@dataclass
class Claim:
    start: int  # offsets within the sentence
    end: int
    hedge: Hedge

    def quote(self, sentence: str) -> str:
        return sentence[self.start:self.end].strip(" ,;")


def claims(sentence: str) -> list[Claim]:
    """One claim per hedge that sets a probability; a sentence with two hedged claims joined by
    "and", "but", "while" or a semicolon gives two."""
    found = hedges(sentence)
    if not found:
        return []
    lead = _LEAD.match(sentence)
    # A leading "Amid speculation that …," or "While …," clause is background to the sentence's claim.
    spans = [(lead.end(), len(sentence))] if lead else [(0, len(sentence))]
    cuts = []
    for a, b in zip(found, found[1:]):
        between = next((m for m in _BOUNDARY.finditer(sentence, a.end) if m.start() < b.start), None)
        if between:
            cuts.append(between.start())
    pieces = []
    for start, end in spans:
        edges = [start] + [c for c in cuts if start < c < end] + [end]
        pieces += list(zip(edges, edges[1:]))
    result = []
    for start, end in pieces:
        inside = [h for h in found if start <= h.start < end]
        if inside:
            result.append(Claim(start, end, _governing(inside)))
    return result


def consequence(quote: str) -> bool:
    """"potentially expanding …": an elaboration of the claim before it, not a claim of its own."""
    return bool(re.match(r"(?:potentially|possibly)\s\w+ing\b", quote))


def _governing(inside: list[Hedge]) -> Hedge:
    """The hedge that sets a claim's probability: a weak modal under an attitude verb, else the first."""
    first = inside[0]
    if first.phrase in _ATTITUDES or first.phrase == "expected to":
        weak = [h for h in inside[1:] if h.phrase in _WEAK]
        if weak and first.phrase in _ATTITUDES - {"predict", "predicts", "anticipate", "anticipates"}:
            return weak[0]
    return first


def window(text: str, published: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """A date window a claim names: "between Friday and Feb. 10", "in early to mid-February",
    "in late February", "after … Feb. 16", "ahead of Feb. 16". Early = 1–10, mid = 11–20, late = 21–end."""
    if published is None:
        return None
    year = published.year

    def day(month: str, number: str) -> dt.date:
        return dt.date(year, _MONTHS[month[:3].lower()], int(number))

    def weekday(name: str) -> dt.date:
        ahead = (_WEEKDAYS.index(name.lower()) - published.weekday()) % 7 or 7
        return published + dt.timedelta(days=ahead)

    def month_end(month: int) -> int:
        return ((dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)).day

    period = {"early": (1, 10), "mid": (11, 20), "late": (21, None)}
    m = re.search(rf"between\s(?:(?P<wd>[A-Z][a-z]+day)|{_MONTH}\s(?P<d1>\d{{1,2}}))\sand\s{_MONTH.replace('(', '(?P<m2>', 1)}\s(?P<d2>\d{{1,2}})", text)
    if m:
        end = day(m.group("m2"), m.group("d2"))
        start = weekday(m.group("wd")) if m.group("wd") else day(m.group(1), m.group("d1"))
        return (start, end) if start <= end else None
    m = re.search(rf"\b(early|mid|late)(?:\s(?:to|or)\s(early|mid|late))?-?\s?{_MONTH}", text, re.IGNORECASE)
    if m:
        month = _MONTHS[m.group(3)[:3].lower()]
        first, last = period[m.group(1).lower()], period[(m.group(2) or m.group(1)).lower()]
        return dt.date(year, month, first[0]), dt.date(year, month, last[1] or month_end(month))
    m = re.search(rf"\b(after|ahead of|before)\b.*?{_MONTH}\s(\d{{1,2}})", text)
    if m:
        pivot = day(m.group(2), m.group(3))
        if m.group(1) == "after":
            return pivot + dt.timedelta(days=1), dt.date(year, pivot.month, month_end(pivot.month))
        return max(published, dt.date(year, pivot.month, 1)), pivot - dt.timedelta(days=1)
    return None


_NAMED_EVENTS = ("congress", "summit", "election", "plenum", "plenary", "conference", "referendum", "vote", "talks", "parade")
_GENERIC_EVENTS = ("meeting", "session", "gathering", "event")
_EVENT_NOUN = re.compile(r"\b(" + "|".join(_NAMED_EVENTS + _GENERIC_EVENTS) + r")\b", re.IGNORECASE)
_NAMED_EVENT = re.compile(r"\b(" + "|".join(_NAMED_EVENTS) + r")\b", re.IGNORECASE)
_ATTITUDE_LEAD = re.compile(r"^.*?\b(?:said|says|added|noted|cautioned|warned|predict|predicts|anticipate|anticipates|believe|"
                            r"believes|estimate|estimates|say|note|caution|point out|points out)(?:,\s*however,)?\s(?:that\s)?")


def event_noun(text: str, earlier: str | None) -> str | None:
    """The event a date claim is about; a generic word ("the gathering") stands for the last named one."""
    found = _EVENT_NOUN.search(text)
    noun = found.group(1).lower() if found else None
    if (noun is None or noun in _GENERIC_EVENTS) and earlier:
        return earlier
    return noun


def question_text(claim: str, hedge_start: int, hedge_end: int, phrase: str, event: str | None, subject_hint: str = "") -> tuple[str, str]:
    """A draft question and its subject: "Will <subject> <predicate>?", or "When will the <event> open?"
    for a date. A claim that starts "and will …" borrows the subject of the claim before it."""
    if event is not None:
        verb = _EVENT_VERB.search(claim)
        return f"When will the {event} {_EVENT_VERBS[verb.group(1).lower()] if verb else 'happen'}?", ""
    before, after = claim[:hedge_start].strip(), claim[hedge_end:].strip()
    before = re.split(r",\s(?:and|but)\s|;\s", before)[-1]
    if phrase in _ATTITUDES or phrase in ("strong possibility", "possibility", "real possibility", "good chance"):
        before, after = "", re.sub(r"^(?:of\s|that\s)", "", after)
        after = re.sub(r"^(.+?)\bwill\s", r"\1", after, count=1)  # "that X will do" → "X do"
    before = _ATTITUDE_LEAD.sub("", before)
    before = re.sub(r"^(?:In particular|However|At the upcoming congress|In the defense sector),\s", "", before)
    before = re.sub(r"\b(?:is|are|was|were|be|would|also|is also|that|which|there is a|there is)$", "", before).strip(" ,")
    before = re.sub(r"^(?:and|but)\b\s*", "", before) or subject_hint
    before = re.sub(r"^(The|A|An|This|These|That|Such|Another|Some|Its|Their)\b", lambda m: m.group(1).lower(), before)
    after = re.sub(r"^(?:and\s)?(?:instead\s)?(?:to\s)?", "", after)
    after = re.split(r",”|\.”|”,", after)[0].rstrip(" .,;\"")
    return f"Will {before} {after}".replace("  ", " ").strip() + "?", before


_STOP = {"the", "a", "an", "of", "to", "in", "on", "at", "for", "and", "or", "will", "when", "what", "does", "do", "is", "be",
         "its", "it", "that", "this", "with", "by", "as", "from", "into", "s", "north", "korea", "korean", "workers", "party"}


def _words(text: str) -> set[str]:
    words = set()
    for w in re.findall(r"[a-z0-9]+", text.lower()):
        w = _EVENT_VERBS.get(w, w)
        w = re.sub(r"(ing|ed|es|s)$", "", w) if len(w) > 4 else w
        if w not in _STOP and len(w) > 1 and not w.isdigit():
            words.add(w)
    return words


def similar(a: str, b: str) -> float:
    """Overlap of content words, relative to the shorter text: 1 when one says all the other says."""
    x, y = _words(a), _words(b)
    return len(x & y) / min(len(x), len(y)) if x and y else 0.0


# --- the draft ---------------------------------------------------------------------------------

@dataclass
class Draft:
    quote: str
    phrase: str
    speaker: Speaker
    question_id: str
    question: str
    kind: str
    window: tuple[dt.date, dt.date] | None
    reason: str
    matched: bool = False  # the question is one the ledger already holds


@dataclass
class Extraction:
    source: dict
    drafts: list[Draft] = field(default_factory=list)

    def document(self, known_forecasters: set[str], known_questions: set[str], text_path: str) -> dict:
        """The draft in the ledger's import format (see docs/formats.md)."""
        speakers = {d.speaker.id: d.speaker for d in self.drafts if d.speaker.id not in known_forecasters}
        questions = {}
        for d in self.drafts:
            if d.question_id not in known_questions and d.question_id not in questions:
                questions[d.question_id] = {"id": d.question_id, "text": d.question, "kind": d.kind}
        source = {k: v for k, v in {**self.source, "text_path": text_path}.items() if v is not None}
        return {
            "version": 1,
            "sources": [source],
            "forecasters": [{k: v for k, v in {"id": s.id, "name": s.name, "affiliation": s.affiliation, "kind": s.kind}.items() if v}
                            for s in speakers.values()],
            "questions": list(questions.values()),
            "forecasts": [
                {k: v for k, v in {
                    "question": d.question_id, "forecaster": d.speaker.id, "source": self.source["id"],
                    "made_on": self.source["published_on"], "quote": d.quote, "phrase": d.phrase,
                    "window": f"{d.window[0]}..{d.window[1]}" if d.window else None,
                }.items() if v is not None}
                for d in self.drafts
            ],
        }


def extract(text: str, *, source_id: str, title: str | None = None, publisher: str | None = None,
            published_on: dt.date | None = None, url: str | None = None,
            existing_questions: dict[str, tuple[str, str]] | None = None) -> Extraction:
    """Draft the forecasts in an article. `existing_questions` maps the ledger's question ids to
    (text, kind), so that a claim about a question already held is added to it."""
    published_on = published_on or _dateline(text)
    dateline = _DATELINE.match(text)
    body = text[dateline.end():] if dateline else text
    newsroom = Speaker(f"newsroom-{source_id}", f"Newsroom of {title or source_id} (unattributed statements)", "organisation")
    result = Extraction({"id": source_id, "title": title or _headline(body), "publisher": publisher,
                         "published_on": published_on.isoformat() if published_on else None, "url": url, "kind": "article"})
    people = Attribution(newsroom)
    questions = dict(existing_questions or {})
    last_event = None
    for sentence in sentences(body):
        said_by = people.read(sentence.text)
        subject = ""
        for claim in claims(sentence.text):
            hedge = claim.hedge
            quote, offset = _quote(sentence.text, claim)
            dates = window(quote, published_on)
            if consequence(quote) and not dates:
                continue
            speaker = people.speaker(sentence.text, said_by, claim.start, hedge.start)
            event = event_noun(quote, last_event) if dates and _EVENT_VERB.search(quote) else None
            kind = "date" if event else "binary"
            draft_question, subject = question_text(quote, hedge.start - offset, hedge.end - offset, hedge.phrase, event, subject)
            qid, matched = _match(draft_question, kind, questions, existing_questions or {}, event)
            reason = f"hedge {hedge.surface!r} → {hedge.phrase!r}; speaker: {speaker.name}" + (
                f"; window {dates[0]}..{dates[1]}" if kind == "date" and dates else "")
            result.drafts.append(Draft(quote, hedge.phrase, speaker, qid, questions[qid][0] if matched else draft_question,
                                       kind, dates if kind == "date" else None, reason, matched))
        if _NAMED_EVENT.search(sentence.text):
            last_event = event_noun(sentence.text, last_event)
        people.after(sentence.text, said_by)
    return result


def _quote(sentence: str, claim: Claim) -> tuple[str, int]:
    """The claim's verbatim text and where it starts in the sentence: the words inside the quotation
    marks when the claim is a quotation followed by its attribution ("“…,” Hong said.")."""
    start, end = claim.start, claim.end
    while start < end and sentence[start] in " ,;":
        start += 1
    while end > start and sentence[end - 1] in " ,;":
        end -= 1
    if sentence[start] in "“\"":
        close = sentence.find("”" if sentence[start] == "“" else '"', start + 1, end)
        if close > claim.hedge.end:
            start, end = start + 1, close
            while end > start and sentence[end - 1] in " ,.":
                end -= 1
    return sentence[start:end], start


def _match(text: str, kind: str, questions: dict, existing: dict, event: str | None) -> tuple[str, bool]:
    """The id of a question (in the ledger or drafted already) this one repeats, else a new id."""
    verb = _words(text) & {"open", "close"}  # a date question about an opening never matches one about a closing
    best = max(((similar(text, other), qid) for qid, (other, other_kind) in questions.items()
                if other_kind == kind and (kind != "date" or verb <= _words(other))), default=(0, None))
    threshold = 0.5 if kind == "date" else 0.75
    if best[1] is not None and best[0] >= threshold:
        return best[1], best[1] in existing
    if event is not None:
        base = f"{event}-{'opening' if 'open?' in text else 'closing' if 'close?' in text else 'date'}"
    else:
        words = [w for w in re.findall(r"[a-z0-9]+", text.lower().removeprefix("will ")) if w not in _STOP and len(w) > 1]
        base = slug(" ".join(words[:5])) or "question"
    qid, n = base, 2
    while qid in questions:
        qid, n = f"{base}-{n}", n + 1
    questions[qid] = (text, kind)
    return qid, False


_DATELINE = re.compile(r"\s*(?:date\s+)?(\d{4}-\d{2}-\d{2})\b\s*")


def _dateline(text: str) -> dt.date | None:
    """A date the text opens with ("date 2026-02-02 North Korea …"), taken as its publication date."""
    m = _DATELINE.match(text)
    if not m:
        return None
    try:
        return parse_date(m.group(1))
    except ValueError:
        return None


def _headline(body: str) -> str:
    """The first sentence, shortened at a word, as a title when none is given."""
    first = sentences(body)
    if not first:
        return "Untitled article"
    text = first[0].text
    return text if len(text) <= 100 else text[:100].rsplit(" ", 1)[0] + " …"


def draft_yaml(article: Path, *, output: Path | None, source_id: str | None = None, title: str | None = None,
               publisher: str | None = None, published_on: dt.date | None = None, url: str | None = None,
               session=None) -> tuple[Extraction, str]:
    """Extract an article file and render the draft import file. With a ledger `session`, questions,
    forecasters and sources the ledger already holds are referred to, not defined again."""
    import os

    import yaml

    from ledger.errors import LedgerError
    from ledger.io.loaders import read_text

    text = read_text(article)
    source_id = source_id or slug(article.stem)
    published_on = published_on or _dateline(text)
    if published_on is None:
        raise LedgerError(f"--published-on: {article} has no date line; give the article's publication date (e.g. 2026-02-08)")
    known_questions: dict[str, tuple[str, str]] = {}
    known_forecasters: set[str] = set()
    known_source = False
    if session is not None:
        from sqlmodel import select

        from ledger.schema.tables import Forecaster, Question, Source

        known_questions = {q.id: (q.text, q.kind) for q in session.exec(select(Question))}
        known_forecasters = set(session.exec(select(Forecaster.id)))
        known_source = session.get(Source, source_id) is not None
    result = extract(text, source_id=source_id, title=title, publisher=publisher, published_on=published_on, url=url,
                     existing_questions=known_questions)
    base = (output.resolve().parent if output else Path.cwd())
    document = result.document(known_forecasters, set(known_questions), os.path.relpath(article.resolve(), base))
    if known_source:
        document["sources"] = []
    header = (f"# Draft forecasts extracted by `ledger extract` from {article.name}: {len(result.drafts)} claims.\n"
              "# Review each one (the question, the speaker, the phrase), delete what is not a forecast, then `ledger import` it.\n")
    return result, header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110)
