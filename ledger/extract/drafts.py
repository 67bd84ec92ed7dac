"""An article's draft forecasts, and the import file that holds them for review.

Each sentence (a repeated one only once) is cut into clauses; a clause with a cue becomes one draft,
attributed to its speaker, unless it is not a forecast (clauses.py). The draft's quote is the clause's
exact text, so `ledger import` can check it against the article.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

from ledger.extract import clauses
from ledger.extract.clauses import APPOSITION, BACKGROUND, CONCESSION, CONSEQUENCE, PARTICIPLE, Piece, pieces
from ledger.extract.dates import body_start, dateline_end, published_date, window
from ledger.extract.hedges import ATTITUDE, HEDGE, NUMBER, VERB, WILL, WOULD, Cue, cues, governing
from ledger.extract.questions import EVENT_VERB, NAMED_EVENT, event_noun, match, question_text
from ledger.extract.sentences import Sentence, fold, sentences
from ledger.extract.speakers import Cast, Speaker, slug


@dataclass
class Draft:
    quote: str
    phrase: str  # the phrase on the scale, or the words that state a number ("a 60% chance")
    speaker: Speaker
    question_id: str
    question: str
    kind: str
    window: tuple[dt.date, dt.date] | None  # date questions: when the event happens
    reason: str
    matched: bool = False  # the question is one the ledger already holds
    negated: bool = False  # the claim leans against the event
    probability: float | None = None  # a number the text states
    resolve_by: dt.date | None = None  # binary questions: the end of a window the claim names
    start: int = 0  # offset of the quote in the article
    hedge: str | None = None  # the phrase written to the import file: the cue's, or for a stated number a hedge beside it


@dataclass
class Extraction:
    source: dict
    made_on: dt.date
    estimated: bool = False  # no date in the article: made_on is the day of extraction
    drafts: list[Draft] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def document(self, known_forecasters: set[str], known_questions: set[str], text_path: str) -> dict:
        """The draft in the ledger's import format (see docs/formats.md)."""
        speakers = {d.speaker.id: d.speaker for d in self.drafts if d.speaker.id not in known_forecasters}
        questions: dict[str, dict] = {}
        for d in self.drafts:
            if d.question_id not in known_questions and d.question_id not in questions:
                questions[d.question_id] = {k: v for k, v in {"id": d.question_id, "text": d.question, "kind": d.kind,
                                                              "resolve_by": d.resolve_by and d.resolve_by.isoformat()}.items()
                                                 if v is not None}
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
                    "made_on": self.made_on.isoformat(), "quote": d.quote,
                    "phrase": d.hedge, "probability": d.probability,
                    "window": f"{d.window[0]}..{d.window[1]}" if d.window else None,
                }.items() if v is not None}
                for d in self.drafts
            ],
        }


def extract(text: str, *, source_id: str, title: str | None = None, publisher: str | None = None,
            published_on: dt.date | None = None, url: str | None = None,
            existing_questions: dict[str, tuple[str, str]] | None = None, today: dt.date | None = None) -> Extraction:
    """Draft the forecasts in an article. The date forecasts were made is `published_on`, else the
    date the article gives, else `today` (marked as estimated). `existing_questions` maps the ledger's
    question ids to (text, kind), so that a claim about a question already held is added to it."""
    source_id = source_identifier(source_id)
    today = today or dt.date.today()
    found_on = published_on or published_date(text, today)
    made_on = found_on or today
    newsroom = Speaker(f"newsroom-{source_id}", f"Newsroom of {title or source_id} (unattributed statements)", "organisation")
    body = _body(text)
    result = Extraction({"id": source_id, "title": title or _headline(body), "publisher": publisher,
                         "published_on": found_on and found_on.isoformat(), "url": url, "kind": "article",
                         "note": None if found_on else f"made_on_estimated: the article gives no date; its forecasts are dated "
                                                       f"{made_on}, the day it was extracted"},
                        made_on, estimated=found_on is None)
    if found_on is None:
        result.warnings.append(f"no publication date in the article: forecasts are dated {made_on} (today), marked as estimated; "
                               "give --published-on to set it")
    cast = Cast(newsroom)
    questions = dict(existing_questions or {})
    suffixes: dict[str, int] = {}  # for `match`: the numbered ids taken in `questions`
    seen: set[str] = set()
    last_event = None
    body = _quotations_carried(body)
    for i, sentence in enumerate(body):
        key = fold(sentence.text)
        if key in seen:
            continue  # a lede repeated in the body
        seen.add(key)
        cast.voice = cast.interviewee if _answers(text, sentence) else None
        if _opens_quotation(sentence.text):
            cast.last_quoted = _closing_speaker(body, i, cast) or cast.last_quoted
        if not clauses.is_question(sentence.text):
            result.drafts.extend(_drafts(sentence, cast, made_on, questions, existing_questions or {}, last_event, suffixes))
        if NAMED_EVENT.search(sentence.text):
            last_event = event_noun(sentence.text, last_event)
        cast.observe(sentence.text)
        if _ASKS.match(text, _line_start(text, sentence.start)) and cast.interviewee is None:
            cast.interviewee = cast.last_person  # the person the interview is with, named before the first question
    return result


def _speaker_mark(line: str) -> int:
    """Length of an interview's "Q: " or "A: ", or of a live blog's time ("23:05 "), opening a line, else 0."""
    m = _ASKS.match(line) or _ANSWERS.match(line) or _POSTED_AT.match(line)
    return m.end() if m else 0


_POSTED_AT = re.compile(r"[ \t]*\d{1,2}[:.]\d{2}(?:\s*(?:[ap]\.?m\.?|GMT|BST|UTC|CET|CEST|[ECMP][SD]?T))?\s+(?:[-–—|]\s+)?(?=[A-Z“\"])")


_ASKS = re.compile(r"[ \t]*Q\s*[:.]\s")
_ANSWERS = re.compile(r"[ \t]*A\s*[:.]\s")


def _line_start(text: str, position: int) -> int:
    return text.rfind("\n", 0, position) + 1


def _answers(text: str, sentence: Sentence) -> bool:
    """The sentence is part of an answer in an interview ("A: Busier than normal, I think.")."""
    return bool(_ANSWERS.match(text, _line_start(text, sentence.start)))


def _quotation_balance(text: str) -> int:
    """+1 if the sentence leaves a quotation open, -1 if it closes one opened before, else 0."""
    curly = text.count("“") - text.count("”")
    if curly:
        return 1 if curly > 0 else -1
    if text.count('"') % 2:
        return 1 if text.lstrip().startswith('"') or (text.count('"') == 1 and not re.search(r'[,.!?]"', text)) else -1
    return 0


def _opens_quotation(text: str) -> bool:
    return text.lstrip()[:1] in "“\"" and _quotation_balance(text) > 0


def _quotations_carried(body: list[Sentence]) -> list[Sentence]:
    """A sentence inside a quotation that began in an earlier sentence is read with the opening mark
    before it (one character before its start, never part of a quote drafted), so that its claims
    are the quoted speaker's and its closing "…,” she said." is the attribution."""
    found, open_ = [], False
    for s in body:
        balance = _quotation_balance(s.text)
        if open_ and s.text[:1] not in "“\"" and balance < 0:
            mark = "“" if "”" in s.text else '"'
            s = Sentence(s.start - 1, s.end, mark + s.text, carried=True)
        found.append(s)
        open_ = (open_ and balance == 0) or balance > 0
    return found


def _closing_speaker(body: list[Sentence], i: int, cast: Cast) -> Speaker | None:
    """The speaker named where a quotation opened in body[i] closes: "“… . I'd be surprised,” she said."."""
    for later in body[i + 1:i + 6]:
        if later.carried:  # where it closes
            return cast.frame_after(later.text, 0)
        if _quotation_balance(later.text) > 0:
            return None
    return None


def _body(text: str) -> list[Sentence]:
    """The article's sentences, without a leading date line or a paragraph's dateline."""
    found = []
    for s in sentences(text, body_start(text)):
        at_line_start = s.start == 0 or text[s.start - 1] == "\n" or not text[:s.start].strip()
        cut = (dateline_end(s.text) or _speaker_mark(s.text)) if at_line_start else 0
        if cut:
            s = Sentence(s.start + cut, s.end, s.text[cut:])
        found.append(s)
    return found


def _drafts(sentence: Sentence, cast: Cast, made_on: dt.date, questions: dict, existing: dict,
            last_event: str | None, suffixes: dict[str, int] | None = None) -> list[Draft]:
    text, found = sentence.text, list[Draft]()
    every = cues(text)  # in order of where they start
    starts = [c.start for c in every]
    before: Speaker | None = None
    subject = ""
    for piece in pieces(text):
        inside = [c for c in every[bisect_left(starts, piece.start):bisect_left(starts, piece.end)] if _counts(text, piece, c)]
        if not inside or piece.link in (BACKGROUND, APPOSITION):
            met = cast.frame_before(text, piece.start, piece.end)  # "While many economists say …, others …": meet them
            if piece.link not in (BACKGROUND, APPOSITION):
                before = met or before  # "X said A (no claim), and that B could …": B is X's
            continue
        cue = governing(inside, text)
        if cue.kind == NUMBER and found and _REFERS_BACK.match(cue.surface):
            _restate(found[-1], cue)  # "…, though he would put it at no more than 15 per cent"
            continue
        main = (cast.frame_before(text, 0, piece.start) or cast.frame_after(text, 0)) if piece.link == PARTICIPLE else None
        speaker = cast.speaker(text, piece.start, piece.link, cue.start, cue.end, before, main)
        before = speaker  # "X said A (settled), and that B": B is still X's
        if clauses.settled(text, text[piece.start:piece.end]) or clauses.wish(text[piece.start:cue.start]):
            continue
        if cue.kind == ATTITUDE and clauses.about_the_past(text, cue.end, piece.end):
            continue
        if speaker is cast.newsroom and (piece.link == CONCESSION or cue.kind in (WILL, WOULD)
                                         or clauses.past_narrative(text, cue.start, cue.surface)):
            continue  # background, a schedule, or what was
        if cue.kind in (WILL, WOULD) and clauses.intention(text, cue.start, speaker.kind):
            continue
        quote, offset = _quote(text, piece, cue)
        if sentence.carried and offset == 0:
            quote, offset = quote[1:], 1  # the opening mark is not in this sentence of the article
        dates = window(quote, made_on)
        if piece.link == CONSEQUENCE and not dates:
            continue
        event = event_noun(quote, last_event) if dates and EVENT_VERB.search(quote) else None
        kind = "date" if event else "binary"
        draft_question, subject = question_text(quote, cue.start - offset, cue.end - offset, cue.phrase, event, subject)
        qid, matched = match(draft_question, kind, questions, existing, event, suffixes)
        reason = (f"{'number' if cue.kind == NUMBER else 'hedge'} {cue.surface!r} → "
                  f"{cue.probability if cue.kind == NUMBER else repr(cue.phrase)}{' (negated)' if _leans_against(cue) else ''}; "
                  f"speaker: {speaker.name}"
                  + (f"; window {dates[0]}..{dates[1]}" if dates else ""))
        hedge = cue.phrase if cue.kind != NUMBER else next((c.phrase for c in inside if c.kind == HEDGE), None)
        found.append(Draft(quote, cue.phrase, speaker, qid, questions[qid][0] if matched else draft_question, kind,
                           dates if kind == "date" else None, reason, matched, _leans_against(cue), cue.probability,
                           dates[1] if dates and kind == "binary" else None, sentence.start + offset, hedge))
    return found


_REFERS_BACK = re.compile(r"put(?:s|ting)?\s+(?:it|that|this|them)\b", re.IGNORECASE)


def _restate(draft: Draft, cue: Cue) -> None:
    """A number that a later clause gives for the claim before it ("put it at 15 per cent")."""
    draft.probability, draft.negated = cue.probability, _leans_against(cue)
    draft.reason += f"; number {cue.surface!r} → {cue.probability}"


def _leans_against(cue: Cue) -> bool:
    """Negated words ("unlikely"), or a stated number below even ("one in five")."""
    return cue.negated or (cue.probability is not None and cue.probability < 0.5)


def _counts(sentence: str, piece: Piece, cue: Cue) -> bool:
    """A "would" only as a reported "will"; a "will" not in a relative clause; a verb of expecting
    only with what is expected after it."""
    if cue.kind == WOULD:
        return clauses.reported_would(sentence, piece.start, cue.start, cue.end)
    if cue.kind == WILL:
        return not clauses.relative_will(sentence, cue.start)
    if cue.kind == VERB:
        return not clauses.without_object(sentence, cue.end, piece.end)
    return True


def _quote(sentence: str, piece: Piece, cue: Cue) -> tuple[str, int]:
    """The claim's verbatim text and where it starts in the sentence: the words inside the quotation
    marks when the claim is a quotation followed by its attribution ("“…,” Hong said.")."""
    start, end = piece.start, piece.end
    while start < end and sentence[start] in " ,;":
        start += 1
    joined = re.match(r"(?:and|but|yet|or)\s+", sentence[start:end])
    if joined and cue.start >= start + joined.end():
        start += joined.end()
    while end > start and sentence[end - 1] in " ,;":
        end -= 1
    if sentence[start] in "“\"":
        close = sentence.find("”" if sentence[start] == "“" else '"', start + 1, end)
        if close > cue.end:
            start, end = start + 1, close
            while end > start and sentence[end - 1] in " ,.":
                end -= 1
    elif (sentence[end - 1] == "”" and "“" not in sentence[start:end]) or (
            sentence[end - 1] == '"' and sentence.count('"', start, end) % 2):
        end -= 1  # the end of a quotation whose start is in the clause before
    return sentence[start:end], start


def _headline(body: list[Sentence]) -> str:
    """The first sentence, shortened at a word, as a title when none is given."""
    if not body:
        return "Untitled article"
    text = body[0].text
    return text if len(text) <= 100 else text[:100].rsplit(" ", 1)[0] + " …"


EMPTY_ARTICLE = "the article is empty; `ledger extract` reads the plain text of a news article (see docs/extract.md)"


def source_identifier(source_id: str) -> str:
    """The id given for the article's source, by the ledger's one rule for ids (ledger/schema/ids.py),
    so that a draft is never written that its import would refuse; InvalidInput naming `source_id`."""
    from ledger.errors import InvalidInput
    from ledger.schema.ids import identifier

    try:
        return identifier(source_id)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="source_id") from None


def draft_yaml(article: Path, *, output: Path | None, source_id: str | None = None, title: str | None = None,
               publisher: str | None = None, published_on: dt.date | None = None, url: str | None = None,
               session=None, today: dt.date | None = None) -> tuple[Extraction, str]:
    """Extract an article file and render the draft import file. With a ledger `session`, questions,
    forecasters and sources the ledger already holds are referred to, not defined again."""
    import os

    import yaml

    from ledger.errors import InvalidInput
    from ledger.io.loaders import read_text

    if source_id is not None:
        source_id = source_identifier(source_id)  # before the article is read: nothing is written
    text = read_text(article, EMPTY_ARTICLE)
    if not text.strip():  # blank beyond the first bytes read, or a byte-order mark alone
        raise InvalidInput(f"{article}: {EMPTY_ARTICLE}")
    if source_id is None:
        source_id = slug(article.stem)
        if not source_id:
            raise InvalidInput(f"the file name {article.name!r} gives no id for the article's source; give one", field="source_id")
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
                     existing_questions=known_questions, today=today)
    # os.path.realpath: Path.resolve raises on a symlink loop, which the writer and reader then refuse with its reason
    base = (Path(os.path.realpath(output)).parent if output else Path.cwd())
    text_path = os.path.relpath(os.path.realpath(article), base)
    if text_path.startswith(os.pardir):
        result.warnings.append(f"the article is outside the draft's folder ({text_path}): import the draft with "
                               f"--texts-from {Path(os.path.realpath(article)).parent} (texts_from=), or move the article beside it")
    document = result.document(known_forecasters, set(known_questions), text_path)
    if known_source:
        document["sources"] = []
    header = (f"# Draft forecasts extracted by `ledger extract` from {article.name}: {len(result.drafts)} claims.\n"
              "# Review each one (the question, the speaker, the phrase), delete what is not a forecast, then `ledger import` it.\n"
              + (f"# made_on_estimated: the article gives no date; every forecast is dated {result.made_on}, the day of "
                 "extraction. Correct it.\n" if result.estimated else ""))
    return result, header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110)
