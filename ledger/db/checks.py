"""Small checks over records: each returns the problems it finds, so all are reported at once.

They see the records being added and the ledger's existing rows, passed in as plain mappings;
none of them writes anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ledger.errors import Location, NotFound, Problem, close_matches
from ledger.schema.records import ForecastRecord, QuestionRecord

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def normalise_text(text: str) -> str:
    """Quotes are checked verbatim except for typography: curly vs straight quotes, dashes, spacing."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


@dataclass(frozen=True)
class QuestionFacts:
    kind: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class SourceFacts:
    text: str | None  # normalised text of the stored copy, when there is one
    text_path: str | None
    published_on: object
    unread: str | None = None  # why the text its text_path names could not be read


def unknown(kind: str, value: str, known: Iterable[str], where: Location | None) -> NotFound:
    """An id that names nothing, with the closest known ids."""
    return NotFound(kind, value, close_matches(value, list(known)), location=where,
                    advice=f"add the {kind} first or define it in the same file")


def conflicts(record, existing, fields: tuple[str, ...], kind: str) -> list[Problem]:
    """A described record that the ledger already holds must say the same; nothing is overwritten."""
    if existing is None or record.implicit:
        return []

    def same(field: str, a, b) -> bool:  # typography (’ vs ') is not a difference
        if field == "options" and getattr(record, "named_options", False):  # a CSV names the options its rows use
            return set(a) <= set(b or ())
        return normalise_text(a) == normalise_text(b) if isinstance(a, str) and isinstance(b, str) else a == b

    differing = [f for f in fields if getattr(record, f) is not None and not same(f, getattr(record, f), getattr(existing, f))]
    if not differing:
        return []
    detail = "; ".join(f"{f}: ledger has {_short(getattr(existing, f))}, file has {_short(getattr(record, f))}" for f in differing)
    return [Problem(record.where, f"{kind} {record.id!r} is already in the ledger with different values ({detail}); "
                                  "the ledger never overwrites — use a new id or edit the file to match")]


def _short(value, limit: int = 80) -> str:
    """A value as a message shows it: a source's whole text would drown the message."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(str(value))} characters)"


def question_shape(question: QuestionRecord) -> list[Problem]:
    if question.kind == "categorical" and not question.options and not question.implicit:
        return [Problem(question.where, f"categorical question {question.id!r} needs options, e.g. options: [outreach, conditional opening, no outreach]",
                        "options")]
    if question.kind != "categorical" and question.options:
        return [Problem(question.where, f"question {question.id!r} is {question.kind}; only categorical questions have options", "options")]
    seen: dict[str, int] = {}
    options = question.options or []
    for i, option in enumerate(options):
        if not option.strip():
            return [Problem(question.where, f"question {question.id!r} has a blank option; give each option a name", "options")]
        first = options[seen.setdefault(option.strip().casefold(), i)]
        if seen[option.strip().casefold()] != i:  # outcomes are matched whatever their case: these would be one option
            same = "is given twice" if first == option else f"differs from {first!r} only in case"
            return [Problem(question.where, f"question {question.id!r}: option {option!r} {same}; name each option once, "
                                            "in one spelling", "options")]
    return []


def forecast_shape(forecast: ForecastRecord, question: QuestionFacts) -> list[Problem]:
    """The claim must fit the question: a window for a date question, an option for a categorical one."""
    where, qid = forecast.where, forecast.question
    if question.kind == "date" and forecast.window is None:
        return [Problem(where, f"question {qid!r} asks for a date: give the forecast's window as FROM..TO, e.g. 2026-02-06..2026-02-10", "window")]
    if question.kind != "date" and forecast.window is not None:
        return [Problem(where, f"question {qid!r} is {question.kind}; a window belongs only to date questions", "window")]
    if forecast.distribution is not None:
        if question.kind != "categorical":
            return [Problem(where, f"question {qid!r} is {question.kind}; a distribution over options belongs only to categorical questions", "distribution")]
        if set(forecast.distribution) != set(question.options):
            return [Problem(where, f"the distribution must give every option of question {qid!r} a probability: "
                                   f"{', '.join(question.options)} (it names {', '.join(forecast.distribution)})", "distribution")]
    if question.kind == "categorical":
        if forecast.option is None:
            return [Problem(where, f"question {qid!r} is categorical: name the option forecast, one of {', '.join(question.options)}", "option")]
        if forecast.option not in question.options:
            return [Problem(where, f"option {forecast.option!r} is not one of question {qid!r}'s options: {', '.join(question.options)}", "option")]
    elif forecast.option is not None:
        return [Problem(where, f"question {qid!r} is {question.kind}; an option belongs only to categorical questions", "option")]
    return []


MAX_SOURCE_TEXT_BYTES = 10 * 2**20  # a long report; an article is a few kilobytes
MIN_QUOTE_WORD = 3  # a quote holds at least one word this long (letters or digits): "." or "a" is in any text
MEANINGFUL_QUOTE = re.compile(rf"[^\W_]{{{MIN_QUOTE_WORD}}}")


@dataclass(frozen=True)
class TextFolders:
    """Where a source's text may be read from: a relative `text_path` from `base` (the folder of the
    file that names it), and only inside `base` or one of `allowed` (symlinks followed), so a file
    cannot make the ledger read, or tell by the quote check what is in, any other file. `root` is
    the ledger's folder, where the texts of sources recorded before revision 0005 are read."""

    base: Path | None = None
    allowed: tuple[Path, ...] = ()
    root: Path | None = None

    def for_recorded(self) -> TextFolders:
        """The folders for a source the ledger already holds (relative to its root)."""
        return TextFolders(self.root, (), self.root)


def quote_in_source(forecast: ForecastRecord, source: SourceFacts | None) -> list[Problem]:
    """A quote must be a real span of words, and be in its source's text when the source has one; a
    source whose text cannot be read leaves the quote unchecked, which is refused."""
    if not forecast.quote:
        return []
    if MEANINGFUL_QUOTE.search(forecast.quote) is None:
        return [Problem(forecast.where, f"the quote {forecast.quote!r} is not a span of the forecaster's words; a quote holds at "
                                        f"least one word of {MIN_QUOTE_WORD} or more letters or digits", "quote")]
    if source is None:
        return []
    if source.text is None:
        if source.unread is None:
            return []
        return [Problem(forecast.where, f"the quote cannot be checked: {source.unread}", "quote")]
    if normalise_text(forecast.quote) in source.text:
        return []
    return [Problem(forecast.where, f"quote not found in the stored text of source {forecast.source!r} ({source.text_path}): "
                                    f"{forecast.quote[:80]!r}; quotes must be verbatim", "quote")]


def read_source_text(text_path: str, folders: TextFolders, where: Location | None) -> tuple[str | None, list[Problem]]:
    """A source's text as stored (UTF-8, at most MAX_SOURCE_TEXT_BYTES, a regular file inside the
    allowed folders), or None with the problem."""
    from ledger.io.files import Unreadable, read_bounded

    def refused(message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(where, message, "text_path")]

    path = Path(text_path)
    if not path.is_absolute():
        if folders.base is None:
            return refused(f"the source text {text_path!r} is a relative path and this ledger has no root folder to read it from; "
                           "open the ledger with a root folder")
        path = folders.base / path
    try:
        real = path.resolve()
    except (OSError, RuntimeError) as exc:  # a symlink loop
        return refused(f"cannot read the source text {text_path!r} ({path}): {exc}")
    roots = [r.resolve() for r in (folders.base, *folders.allowed) if r is not None]
    if not any(real.is_relative_to(r) for r in roots):
        return refused(f"the source text {text_path!r} is outside {' and '.join(str(r) for r in roots) or 'any allowed folder'}: a "
                       "source's text is read only from the folder of the file that names it (or a folder allowed as texts_from)")
    try:
        data = read_bounded(real, MAX_SOURCE_TEXT_BYTES)
    except Unreadable as exc:
        return refused(f"cannot read the source text {text_path!r} ({path}): {exc}")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        return refused(f"the source text {text_path!r} ({path}) is not UTF-8 (byte {exc.start}); save it as UTF-8")


def made_on_known(forecast: ForecastRecord, source: SourceFacts | None) -> list[Problem]:
    if forecast.made_on is None and (source is None or source.published_on is None):
        return [Problem(forecast.where, "the forecast has no made_on date and its source has no published_on to take it from", "made_on")]
    return []


def missing_references(forecast: ForecastRecord, questions: Mapping, forecasters: Mapping | set, sources: Mapping) -> list[tuple[str, str]]:
    """(kind, id) of each question, forecaster or source the forecast names that nobody defines."""
    missing = []
    if forecast.question not in questions:
        missing.append(("question", forecast.question))
    if forecast.forecaster not in forecasters:
        missing.append(("forecaster", forecast.forecaster))
    if forecast.source is not None and forecast.source not in sources:
        missing.append(("source", forecast.source))
    return missing
