"""Read YAML, JSON and long-CSV files into records that remember their file and line.

Every problem in a file is collected and reported at once (`predictions.yaml:42: message`).
YAML is loaded safely (no Python tags), with aliases refused and dates read by the ledger itself,
so a bad date is a message, not a crash. JSON is read by the same parser (JSON is YAML) so that its
errors carry line numbers too.
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import functools
import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from ledger.errors import InvalidInput, Location, Problem, field_of
from ledger.schema.dates import parse_date, parse_window
from ledger.schema.outcomes import BINARY_OUTCOME_WORDS
from ledger.schema.probability import DEFAULT_SCALE, SCALES, estimate, parse_probability
from ledger.schema.records import (
    Batch,
    ForecasterRecord,
    ForecastRecord,
    QuestionRecord,
    ResolutionRecord,
    SourceRecord,
    boolean,
    converter,
    record,
    text_list,
    timestamp,
)
from ledger.schema.tables import (
    FORECAST_FIELDS,
    FORECASTER_FIELDS,
    QUESTION_FIELDS,
    RESOLUTION_FIELDS,
    SOURCE_FIELDS,
    ForecasterFields,
    ForecastFields,
    QuestionFields,
    ResolutionFields,
    SourceFields,
)
from ledger.schema.vocabulary import FORECASTER_KINDS, QUESTION_KINDS, SOURCE_KINDS, VOID_OUTCOMES

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 20

CSV_REQUIRED = ("question", "forecaster", "probability", "made_on")
CSV_OPTIONAL = (
    "id", "source", "quote", "claim", "phrase", "scale", "question_text", "kind", "resolve_by", "window_from", "window_to",
    "option", "condition", "voided_reason", "voided_on", "outcome", "resolved_on",
)
CSV_COLUMNS = CSV_REQUIRED + CSV_OPTIONAL + tuple(f for f in FORECAST_FIELDS if f not in CSV_REQUIRED + CSV_OPTIONAL)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value) -> str:
    """Text that a spreadsheet would run as a formula is written with a leading apostrophe."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def unescape_cell(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


class LineDict(dict):
    """A mapping from YAML that knows the line of itself and of each key."""

    line: int
    key_lines: dict[str, int]


class _Loader(yaml.SafeLoader):
    """Safe loading, with line numbers kept, duplicate keys and aliases refused, dates left as text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _compose_node(self, parent, index):
    if self.check_event(yaml.AliasEvent):
        event = self.peek_event()
        raise yaml.composer.ComposerError(None, None, "YAML aliases (*name) are not allowed in a ledger file; write the value out", event.start_mark)
    self._depth = getattr(self, "_depth", 0) + 1
    try:
        if self._depth > MAX_DEPTH:
            raise yaml.composer.ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels; a ledger file is a flat list of records",
                                              self.peek_event().start_mark)
        return yaml.SafeLoader.compose_node(self, parent, index)
    finally:
        self._depth -= 1


def _construct_mapping(self, node, deep=False):
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = self.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(None, None, f"keys must be text, not {key!r}", key_node.start_mark)
        if key in result:
            raise yaml.constructor.ConstructorError(None, None, f"key {key!r} appears twice in one record", key_node.start_mark)
        result[key] = self.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _python_tag(self, suffix, node):
    raise yaml.constructor.ConstructorError(None, None, f"!!python/{suffix}: Python tags are never loaded (they could run code); "
                                            "write plain values", node.start_mark)


_Loader.compose_node = _compose_node  # type: ignore[method-assign]  # PyYAML's documented way to extend a loader
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _python_tag)
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def check_readable(path: Path) -> None:
    """A clear message when a file is missing, unreadable, empty or too large for its format."""
    name = str(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(4096)
    except FileNotFoundError:
        raise InvalidInput(f"{name}: no such file") from None
    except (IsADirectoryError, PermissionError) as exc:
        raise InvalidInput(f"{name}: cannot read it ({exc.strerror})") from None
    if not head.strip():
        raise InvalidInput(f"{name}: the file is empty; expected a ledger file (see docs/formats.md)")
    if path.suffix.lower() != ".csv" and size > MAX_DOCUMENT_BYTES:
        raise InvalidInput(f"{name}: the file is over {MAX_DOCUMENT_BYTES // 2**20} MB; split it, or use the CSV format for large datasets")


def read_text(path: Path) -> str:
    """A file's text, or a clear message when it is missing, empty, too large or not UTF-8."""
    name = str(path)
    check_readable(path)
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInput(f"{name}:{line}: byte {exc.start} is not UTF-8; save the file as UTF-8") from None


def parse_document(text: str, name: str) -> Any:
    try:
        return yaml.load(io.StringIO(text), Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "syntax error"
        raise InvalidInput([Problem(Location(name, line), what)]) from None
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{name}: not valid YAML or JSON ({exc})") from None
    except RecursionError:
        raise InvalidInput(f"{name}: nested too deeply; a ledger file is a flat list of records") from None


class _Fields:
    """Reads one record's fields, converting each and collecting every problem with its line."""

    def __init__(self, data: LineDict, allowed: tuple[str, ...], name: str, problems: list[Problem], what: str):
        self.data, self.name, self.problems, self.what = data, name, problems, what
        self.ok = True
        for key in data:
            if key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                suggestion = f"; did you mean {hint[0]!r}?" if hint else f"; known fields: {', '.join(allowed)}"
                self.fail(key, f"unknown field {key!r} in {what}{suggestion}")

    @property
    def where(self) -> Location:
        return Location(self.name, self.data.line)

    def line(self, key: str) -> Location:
        return Location(self.name, self.data.key_lines.get(key, self.data.line))

    def fail(self, key: str, message: str) -> None:
        self.ok = False
        self.problems.append(Problem(self.line(key), message))

    def described(self, model, *, skip: tuple[str, ...] = (), required: bool = True, **special: Callable[[Any], Any]) -> dict[str, Any]:
        """Every described field of `model` the record gives, converted as the model's type says
        (or as `special` says for fields with a closed vocabulary); required ones must be there."""
        values = {}
        for name, info in model.model_fields.items():
            if name in skip:
                continue
            value = self.get(name, special.get(name) or converter(model, name), required and info.is_required())
            if value is not None:
                values[name] = value
        return values

    def get(self, key: str, convert: Callable[[Any], Any] = str, required: bool = False) -> Any:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.fail(key, f"{self.what} has no {key!r}; it is required")
            return None
        if isinstance(value, (dict, list)) and convert is str:
            self.fail(key, f"{key!r} must be a single value, not a {'list' if isinstance(value, list) else 'mapping'}")
            return None
        try:
            return convert(value)
        except (ValueError, TypeError, OverflowError) as exc:
            self.fail(key, f"{key}: {exc}")
            return None


def _choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        text = str(value).strip().lower()
        if text not in options:
            raise ValueError(f"{value!r} is not one of {', '.join(options)}")
        return text

    return convert




def _slug(value: Any) -> str:
    """An id: any single line of text (datasets name users 'Rory O’Kane'); slugs read best."""
    text = str(value).strip()
    if not text or "\n" in text or "\r" in text:
        raise ValueError(f"{value!r} is not an id; give one line of text, e.g. lim-eul-chul")
    return text


_SOURCE_FIELDS = ("id",) + SOURCE_FIELDS
_FORECASTER_FIELDS = ("id",) + FORECASTER_FIELDS
_QUESTION_FIELDS = ("id",) + QUESTION_FIELDS + ("tags",)
_FORECAST_SHAPED = ("id", "question", "forecaster", "source", "probability", "phrase", "scale", "window", "voided", "recorded_at", "distribution")
_FORECAST_FIELDS = _FORECAST_SHAPED[:4] + FORECAST_FIELDS + _FORECAST_SHAPED[4:]
# a resolution's date is written `on` in files
_RESOLUTION_FIELDS = ("question", "outcome", "on") + tuple(f for f in RESOLUTION_FIELDS if f != "occurred_on") + ("recorded_at", "correction")
_TOP_FIELDS = ("version", "scale", "sources", "forecasters", "questions", "forecasts", "resolutions")


def _records(doc: LineDict, key: str, name: str, problems: list[Problem]) -> list[LineDict]:
    items = doc.get(key) or []
    if not isinstance(items, list):
        problems.append(Problem(Location(name, doc.key_lines.get(key)), f"{key!r} must be a list of records"))
        return []
    good = []
    for item in items:
        if isinstance(item, LineDict):
            good.append(item)
        else:
            problems.append(Problem(Location(name, doc.key_lines.get(key)), f"each entry of {key!r} must be a mapping of fields, not {item!r}"))
    return good


def batch_from_document(doc: Any, name: str) -> Batch:
    """Turn a parsed YAML/JSON ledger document into records; problems travel with the batch so that
    the store can add its own and report them all at once."""
    problems: list[Problem] = []
    if not isinstance(doc, LineDict):
        raise InvalidInput(f"{name}:1: a ledger file is a mapping with sources, forecasters, questions and forecasts (see docs/formats.md)")
    top = _Fields(doc, _TOP_FIELDS, name, problems, "the ledger file")
    version = top.get("version", int)
    if version not in (None, 1):
        top.fail("version", f"format version {version} is not supported; this ledger reads version 1")
    scale = top.get("scale", _choice(tuple(SCALES))) or DEFAULT_SCALE
    batch = Batch()

    for data in _records(doc, "sources", name, problems):
        f = _Fields(data, _SOURCE_FIELDS, name, problems, "a source")
        rec = record(SourceRecord, id=f.get("id", _slug, True), where=f.where,
                     **f.described(SourceFields, kind=_choice(SOURCE_KINDS)))
        batch.keep("source", rec, f.ok)

    for data in _records(doc, "forecasters", name, problems):
        f = _Fields(data, _FORECASTER_FIELDS, name, problems, "a forecaster")
        rec = record(ForecasterRecord, id=f.get("id", _slug, True), where=f.where,
                     **f.described(ForecasterFields, kind=_choice(FORECASTER_KINDS)))
        batch.keep("forecaster", rec, f.ok)

    for data in _records(doc, "questions", name, problems):
        f = _Fields(data, _QUESTION_FIELDS, name, problems, "a question")
        rec = record(QuestionRecord, id=f.get("id", _slug, True), where=f.where, tags=f.get("tags", text_list) or [],
                     **f.described(QuestionFields, kind=_choice(QUESTION_KINDS)))
        batch.keep("question", rec, f.ok)

    for data in _records(doc, "forecasts", name, problems):
        f = _Fields(data, _FORECAST_FIELDS, name, problems, "a forecast")
        voided = f.get("voided", _voided) or (None, None)
        rec = record(
            ForecastRecord, question=f.get("question", _slug, True), forecaster=f.get("forecaster", _slug, True),
            where=f.where, key=f.get("id", _slug), source=f.get("source", _slug), window=f.get("window", parse_window),
            voided_reason=voided[0], voided_on=voided[1], recorded_at=f.get("recorded_at", timestamp),
            distribution=f.get("distribution", _distribution), **f.described(ForecastFields, made_on=parse_date, required=False),
        )
        _settle_probability(rec, f, scale)
        if f.ok:
            batch.forecasts.append(rec)

    for data in _records(doc, "resolutions", name, problems):
        f = _Fields(data, _RESOLUTION_FIELDS, name, problems, "a resolution")
        described = f.described(ResolutionFields, skip=("occurred_on",))
        rec = record(
            ResolutionRecord, question=f.get("question", _slug, True), outcome=f.get("outcome", required=True), where=f.where,
            occurred_on=f.get("on", parse_date), recorded_at=f.get("recorded_at", timestamp),
            correction=bool(f.get("correction", boolean)), **described,
        )
        if f.ok:
            batch.resolutions.append(rec)

    batch.problems = problems
    return batch


def _estimate(f: _Fields, default_scale: str):
    """The forecast's probability from its number and/or hedge phrase; None (with a problem) if bad."""
    try:
        return estimate(f.data.get("probability"), f.get("phrase"), f.get("scale", _choice(tuple(SCALES))) or default_scale)
    except ValueError as exc:
        f.fail(field_of(exc, "probability"), str(exc))
        return None


def _settle_probability(rec: ForecastRecord, f: _Fields, scale: str) -> None:
    """The number scored for a forecast: stated or from its words; with a distribution over options,
    that of its option (by default the one it makes most likely)."""
    if rec.distribution is None and "distribution" in f.data:
        return  # the distribution itself was wrong, and said so
    if rec.distribution is None or "probability" in f.data or "phrase" in f.data:
        rec.estimate = _estimate(f, scale)
    if rec.distribution is None:
        return
    if rec.option is None:
        rec.option = max(rec.distribution, key=lambda option: rec.distribution[option])  # type: ignore[index]
    given = rec.distribution.get(rec.option)
    if given is None:
        f.fail("option", f"option {rec.option!r} has no probability in the forecast's distribution")
    elif rec.estimate is None and f.ok:
        rec.estimate = estimate(given)
    elif rec.estimate is not None and abs(rec.estimate.probability - given) > 1e-9:
        f.fail("probability", f"probability {rec.estimate.probability:g} differs from the distribution's {given:g} for {rec.option!r}")


def _distribution(value: Any) -> dict[str, float]:
    """{option: probability, …} over all of a categorical question's options, summing to 1."""
    if not isinstance(value, dict) or not value:
        raise ValueError("write a distribution as a mapping of each option to its probability, e.g. {a: 0.2, b: 0.8}")
    result = {str(option): parse_probability(p) for option, p in value.items()}
    if abs(sum(result.values()) - 1) > 1e-6:
        raise ValueError(f"the probabilities of a distribution add up to {sum(result.values()):g}, not 1")
    return result


def _voided(value: Any) -> tuple[str, Any]:
    if not isinstance(value, dict) or not value.get("reason"):
        raise ValueError("write voided as a mapping with a reason and an optional date: {reason: ..., on: 2026-03-01}")
    return str(value["reason"]), parse_date(value["on"]) if value.get("on") else None






CHUNK_ROWS = 20_000


def _cached(convert: Callable) -> Callable:
    """Datasets repeat the same dates and probabilities; convert each distinct value once."""
    return functools.lru_cache(maxsize=65536)(convert)


class _CsvRows:
    """The rows of a long-CSV file after its header was checked, each as {column: value} with its line."""

    def __init__(self, open_lines: Callable[[], Iterable[str]], name: str):
        self.open_lines, self.name = open_lines, name
        self.header = self._header()

    def _header(self) -> list[str]:
        reader = csv.reader(self.open_lines())
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise InvalidInput(f"{self.name}:1: malformed CSV header: {exc}") from None
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"{self.name}:1: not UTF-8 ({exc.reason}); save the file as UTF-8") from None
        if not header:
            raise InvalidInput(f"{self.name}: the file is empty; expected a CSV header naming at least {', '.join(CSV_REQUIRED)}")
        header = [h.strip() for h in header]
        problems = []
        for column in header:
            if column not in CSV_COLUMNS:
                hint = difflib.get_close_matches(column, CSV_COLUMNS, n=1)
                advice = f"; did you mean {hint[0]!r}?" if hint else f"; known columns: {', '.join(CSV_COLUMNS)}"
                problems.append(Problem(Location(self.name, 1), f"unknown column {column!r}{advice}"))
        missing = [c for c in CSV_REQUIRED if c not in header]
        if missing:
            problems.append(Problem(Location(self.name, 1), f"missing column(s) {', '.join(missing)}; the CSV needs at least {', '.join(CSV_REQUIRED)}"))
        if problems:
            raise InvalidInput(problems)
        return header

    def __call__(self, problems: list[Problem] | None, columns: Iterable[str] | None = None) -> Iterator[tuple[Location, dict[str, str]]]:
        """Iterate the rows as {column: value} for the non-empty cells of `columns` (default: all).
        Shape problems (wrong cell count, bad CSV, bad bytes) go to `problems` on one pass only (None
        on the other), so each is reported once."""
        reader = csv.reader(self.open_lines())
        width = len(self.header)
        wanted = [(i, c) for i, c in enumerate(self.header) if columns is None or c in columns]
        try:
            next(reader)
            for row in reader:
                if len(row) != width:
                    if problems is not None and any(cell.strip() for cell in row):
                        problems.append(Problem(Location(self.name, reader.line_num), f"this row has {len(row)} cells but the header has {width}"))
                    continue
                yield Location(self.name, reader.line_num), {c: (unescape_cell(v) if v[0] == "'" else v) for i, c in wanted if (v := row[i])}
        except csv.Error as exc:
            if problems is not None:
                problems.append(Problem(Location(self.name, reader.line_num), f"malformed CSV: {exc}"))
        except UnicodeDecodeError as exc:
            if problems is not None:
                problems.append(Problem(Location(self.name, reader.line_num + 1), f"not UTF-8 ({exc.reason}); save the file as UTF-8"))


def csv_batches(open_lines: Callable[[], Iterable[str]], name: str, scale: str = DEFAULT_SCALE,
                chunk: int = CHUNK_ROWS) -> Iterator[Batch]:
    """The long CSV format in two passes, so memory stays bounded whatever the file's size.

    Questions, forecasters and sources the rows name are created when new. The first pass settles
    each question (its kind, its options — those its rows name — its text and its one outcome); the
    second streams the forecasts in batches of `chunk`. The resolutions come last.
    """
    rows = _CsvRows(open_lines, name)
    problems: list[Problem] = []
    questions, outcomes = _csv_questions(rows, problems)
    settled = Batch(questions=list(questions.values()), problems=problems)
    yield settled

    date, identifier = _cached(parse_date), _cached(_slug)
    plain = {column: _cached(converter(ForecastFields, column)) for column in FORECAST_FIELDS if column != "made_on"}
    window_of = _cached(lambda start, end: parse_window([start, end]))
    probability = _cached(lambda p, phrase, named: estimate(p, phrase, named or scale))
    forecasters: set[str] = set()
    sources: set[str] = set()
    batch, problems, count = Batch(), [], 0
    for where, values in rows(None):
        bad = len(problems)
        take = functools.partial(_take, values, where, problems)

        window = None
        if "window_from" in values or "window_to" in values:
            try:
                window = window_of(values.get("window_from", ""), values.get("window_to", ""))
            except ValueError as exc:
                problems.append(Problem(where, f"window_from/window_to: {exc}"))
        try:
            est = probability(values.get("probability"), values.get("phrase"), values.get("scale"))
        except ValueError as exc:
            problems.append(Problem(where, str(exc)))
            est = None
        described = {column: take(column, plain[column]) for column in plain if column in values}
        rec = record(
            ForecastRecord, question=take("question", identifier, True), forecaster=take("forecaster", identifier, True),
            estimate=est, where=where, key=take("id", _slug), source=take("source", identifier), window=window,
            voided_reason=values.get("voided_reason"), voided_on=take("voided_on", date),
            **described, made_on=take("made_on", date, True),
        )
        if len(problems) > bad:
            continue
        count += 1
        batch.forecasts.append(rec)
        if rec.forecaster not in forecasters:
            forecasters.add(rec.forecaster)
            batch.forecasters.append(record(ForecasterRecord, id=rec.forecaster, name=rec.forecaster, where=where, implicit=True))
        if rec.source and rec.source not in sources:
            sources.add(rec.source)
            batch.sources.append(record(SourceRecord, id=rec.source, title=rec.source, where=where, implicit=True))
        if len(batch.forecasts) >= chunk:
            batch.problems, problems = problems, []
            yield batch
            batch = Batch()
    if not count and not problems and not settled.problems:
        raise InvalidInput(f"{name}: the CSV has a header but no forecast rows")
    batch.problems = problems
    batch.resolutions = [record(ResolutionRecord, question=q, outcome=o, where=w, occurred_on=d) for q, (o, d, w) in outcomes.items()]
    yield batch


def _take(values: dict[str, str], where: Location, problems: list[Problem], column: str, convert: Callable = str,
          required: bool = False) -> Any:
    """A row's cell converted, or None with its problem noted."""
    value = values.get(column)
    if value is None:
        if required:
            problems.append(Problem(where, f"the row has no {column}; it is required"))
        return None
    try:
        return convert(value)
    except (ValueError, TypeError, OverflowError) as exc:
        problems.append(Problem(where, f"{column}: {exc}"))
        return None


def _csv_questions(rows: _CsvRows, problems: list[Problem]) -> tuple[dict[str, QuestionRecord], dict]:
    """First pass: every question the rows name, with its kind, options, text and outcome."""
    questions: dict[str, QuestionRecord] = {}
    kinds: dict[str, tuple[str, Location]] = {}
    outcomes: dict[str, tuple[str, Any, Location]] = {}
    kind_of, date = _choice(QUESTION_KINDS), _cached(parse_date)
    columns = ("question", "kind", "resolve_by", "resolved_on", "question_text", "window_from", "window_to", "option", "outcome")
    for where, values in rows(problems, columns):
        qid = values.get("question")
        if not qid or "\n" in qid:
            continue  # reported with the row's other problems in the second pass
        try:
            kind = kind_of(values["kind"]) if "kind" in values else None
            resolve_by = date(values["resolve_by"]) if "resolve_by" in values else None
            resolved_on = date(values["resolved_on"]) if "resolved_on" in values else None
        except ValueError as exc:
            problems.append(Problem(where, str(exc)))
            continue
        question = questions.get(qid)
        if question is None:
            question = questions[qid] = record(QuestionRecord, id=qid, text=values.get("question_text") or qid, where=where,
                                               resolve_by=resolve_by, implicit="question_text" not in values)
        elif "question_text" in values and question.text != values["question_text"]:
            problems.append(Problem(where, f"question {qid!r} has a different question_text here than on line {getattr(question.where, 'line', '?')}"))
        if kind:
            first = kinds.setdefault(qid, (kind, where))
            if first[0] != kind:
                problems.append(Problem(where, f"question {qid!r} is {kind} here but {first[0]} on line {first[1].line}"))
        elif "window_from" in values or "window_to" in values:
            kinds.setdefault(qid, ("date", where))
        for named in (values.get("option"), values.get("outcome")):
            if named and named not in VOID_OUTCOMES and named not in (question.options or []):
                question.options = (question.options or []) + [named]
        outcome = values.get("outcome")
        if outcome:
            earlier = outcomes.setdefault(qid, (outcome, resolved_on, where))
            if (earlier[0], earlier[1]) != (outcome, resolved_on):
                problems.append(Problem(where, f"question {qid!r} has outcome {outcome!r} here but {earlier[0]!r} on line {earlier[2].line}; "
                                               "one question has one outcome"))
    for qid, question in questions.items():
        question.kind = kinds[qid][0] if qid in kinds else "categorical" if question.options and _names_option(question) else "binary"
        if question.kind != "categorical":
            question.options = None
    return questions, outcomes


def _names_option(question: QuestionRecord) -> bool:
    """A question whose rows name options (not just yes/no outcomes) is categorical."""
    return any(o.lower() not in BINARY_OUTCOME_WORDS for o in question.options or [])


def count_rows(path: Path) -> int | None:
    """Roughly how many forecasts a CSV holds (its lines less the header), for a progress bar."""
    if path.suffix.lower() != ".csv" or not path.is_file():
        return None
    with path.open("rb") as handle:
        return max(sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1, 0)


def load_batches(path: Path, scale: str = DEFAULT_SCALE) -> Iterator[Batch]:
    """Read a ledger file by its extension: .yaml/.yml and .json whole, .csv streamed in batches."""
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json", ".csv"):
        raise InvalidInput(f"{path}: unknown file type {suffix or '(none)'!r}; use .yaml, .yml, .json or .csv")
    if suffix != ".csv":
        yield batch_from_document(parse_document(read_text(path), str(path)), str(path))
        return
    check_readable(path)
    with contextlib.ExitStack() as files:
        yield from csv_batches(lambda: files.enter_context(path.open(encoding="utf-8-sig", newline="")), str(path), scale)
