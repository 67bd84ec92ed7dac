"""Read YAML, JSON and long-CSV files into records that remember their file and line.

Every problem in a file is collected and reported at once (`predictions.yaml:42: message`).
YAML is loaded safely (no Python tags) with YAML 1.2's plain values, aliases refused and dates read
by the ledger itself, so a bad date is a message, not a crash. JSON is read by the json module (YAML
parsers refuse valid JSON: tab indentation, escaped emoji), its lines found by a scan of its tokens.
"""

from __future__ import annotations

import bisect
import contextlib
import difflib
import io
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from ledger.errors import InvalidInput, Location, Problem, field_of, raise_if
from ledger.schema.dates import parse_date, parse_window
from ledger.schema.ids import identifier, identifiers
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
    timestamp,
    void_reason,
    written,
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
from ledger.schema.vocabulary import FORECASTER_KINDS, QUESTION_KINDS, SOURCE_KINDS

# An import holds the whole document and a record per entry. Measured (peak memory of `ledger import`):
# about 60 MB, plus for YAML (PyYAML) ~14 bytes per byte and ~1 KB per line, so a file is weighed as
# its bytes plus 100 per line (and per list entry, below); for JSON ~24 bytes per byte of records, ~15 of one long text. At these
# limits an import stays under 500 MB, and a source text of the 10 MB allowed (checks.MAX_SOURCE_TEXT_BYTES),
# exported inline, imports again.
# One line can hold a million items of a flow list ([0,0,…]: 2 MB, 920 MB and 44 s), so YAML counts 150
# bytes for each item of a flow collection too (~1.7 KB of memory each, measured); JSON, its values (a
# 14 MB list of 7 million zeros took 3.9 GB): at most MAX_JSON_VALUES, counted as its commas and
# opening brackets (~650 bytes each: 100,000 minified forecasts at the limit take 448 MB). A file with more
# problems than MAX_PROBLEMS stops being read there: a message for each of millions of bad entries
# would cost more than the entries.
# Nodes share one mark per line (`_LineMark`): a 34,000-forecast export of 230,827 lines and 38,495
# list entries took 462 MB, now 347 MB; a list entry is a record of its own, a line more costly than
# others (255,000 lines of `- a: 0`, 1.8 MB, 785 MB, now 581 MB), so each counts 60 bytes more.
MAX_YAML_WEIGHT = 32 * 2**20
YAML_LINE_WEIGHT = 100
YAML_ENTRY_WEIGHT = 60
YAML_ITEM_WEIGHT = 150
_YAML_ENTRY = re.compile(rb"^[ \t]*-(?=[ \t\r\n])", re.MULTILINE)  # a block list's entry: `- ` starting a line
MAX_JSON_BYTES = 16 * 2**20
MAX_JSON_VALUES = 600_000
MAX_PROBLEMS = 1_000
MAX_DEPTH = 20

CSV_REQUIRED = ("question", "forecaster", "probability", "made_on")
CSV_OPTIONAL = (
    "id", "source", "quote", "claim", "phrase", "scale", "question_text", "kind", "resolve_by", "window_from", "window_to",
    "option", "condition", "voided_reason", "voided_on", "outcome", "resolved_on",
)
CSV_COLUMNS = CSV_REQUIRED + CSV_OPTIONAL + tuple(f for f in FORECAST_FIELDS if f not in CSV_REQUIRED + CSV_OPTIONAL)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED_START = _FORMULA_START + ("'",)  # after an escaping apostrophe
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def escape_cell(value) -> str:
    """Text that a spreadsheet would run as a formula (`=cmd|…`, `@SUM(…)`, `-1+2`) is written with a
    leading apostrophe; a number (-0.28, +5, 1e-05) is written as it is, to stay a number. Text that
    starts with an apostrophe before such a character gets a second one, so reading back is exact."""
    if value is None:
        return ""
    text = str(value)
    formula = text.startswith(_FORMULA_START) and _NUMBER.fullmatch(text) is None
    return "'" + text if formula or (text.startswith("'") and text[1:].startswith(_ESCAPED_START)) else text


def unescape_cell(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_ESCAPED_START) else text


class LineDict(dict):
    """A mapping from YAML or JSON that knows the line of itself and of each key."""

    line: int
    key_lines: dict[str, int]


class WrittenInt(int):
    """An integer that remembers how the file wrote it (`007`), for fields that are text."""

    written: str


class WrittenFloat(float):
    """A number with a fraction that remembers how the file wrote it (`1.50`)."""

    written: str


def _remembered(kind: type, number: Any, text: str) -> Any:
    value = kind(number)
    value.written = text
    return value


class _Loader(yaml.SafeLoader):
    """Safe loading with YAML 1.2's plain values (`on`, `yes` and `no` are text, only true/false are
    booleans, 012 is twelve), line numbers kept, duplicate keys and aliases refused, dates left as
    text, and a tag's bad value (`!!int abc`) a message with its line."""


# YAML 1.2's core schema: PyYAML implements YAML 1.1, whose booleans include `on`, the key a
# resolution's date is written under. Timestamps are not resolved: the ledger reads its own dates.
_Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+.0123456789"),
):
    _Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list(_first))


def _yaml_int(text: str) -> int:
    digits = text.lstrip("+-")
    base = {"0x": 16, "0o": 8}.get(digits[:2], 10)
    number = int(digits[2:] if base != 10 else digits, base)
    return _remembered(WrittenInt, -number if text.startswith("-") else number, text)


def _yaml_float(text: str) -> float:
    special = {".inf": "inf", "+.inf": "inf", "-.inf": "-inf", ".nan": "nan"}.get(text.lower())
    return _remembered(WrittenFloat, float(special or text), text)


def _yaml_bool(text: str) -> bool:
    return {"true": True, "false": False}[text.lower()]


def _typed(kind: str, convert: Callable[[str], Any] | None = None) -> Callable[[Any, Any], Any]:
    """A constructor for a scalar tag whose bad value is a message at its line, not a crash
    (`convert` reads the text; PyYAML's own constructor when there is none)."""
    default = getattr(yaml.SafeLoader, f"construct_yaml_{kind}")

    def construct(loader, node):
        text = loader.construct_scalar(node)
        try:
            return convert(text) if convert else default(loader, node)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
            raise yaml.constructor.ConstructorError(None, None, f"{text!r} is not a valid {kind} (!!{kind}); "
                                                    "remove the tag or correct the value", node.start_mark) from None

    return construct


_SURROGATE = re.compile("[\ud800-\udfff]")


def checked_text(text: str) -> str:
    """Text as stored: the UTF-16 surrogate pairs a JSON writer escapes emoji as (`\\ud83d\\ude00`) joined
    into their character; a lone surrogate or a NUL (which PostgreSQL cannot store) is a ValueError."""
    if "\x00" in text:
        raise ValueError("the text contains a NUL character (\\0 or \\u0000), which no database stores; remove it")
    if _SURROGATE.search(text):
        try:
            text = text.encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeDecodeError:
            raise ValueError("the text contains half of a UTF-16 surrogate pair (a \\ud800–\\udfff escape without its partner), "
                             "which is no character; write the character itself or both halves") from None
    return text


def _yaml_str(loader, node):
    try:
        return checked_text(loader.construct_scalar(node))
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(None, None, str(exc), node.start_mark) from None


def _compose_node(self, parent, index):
    if self.check_event(yaml.AliasEvent):
        event = self.peek_event()
        raise yaml.composer.ComposerError(None, None, "YAML aliases (*name) are not allowed in a ledger file; write the value out", event.start_mark)
    self._depth = getattr(self, "_depth", 0) + 1
    try:
        if self._depth > MAX_DEPTH:
            raise yaml.composer.ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels; a ledger file is a flat list of records",
                                              self.peek_event().start_mark)
        node = yaml.SafeLoader.compose_node(self, parent, index)
    finally:
        self._depth -= 1
    if node is not None:
        node.start_mark = node.end_mark = _line_mark(self, node.start_mark)
    return node


class _LineMark(yaml.Mark):
    """Where a node starts, as the ledger uses it: its line. PyYAML keeps two full marks on every
    node of the document until it is constructed — most of the memory of a YAML import (about a
    kilobyte a line); one shared mark per line instead."""

    __slots__ = ()

    def __init__(self, name: str, line: int) -> None:
        super().__init__(name, 0, line, 0, None, 0)  # no buffer: no snippet in a message


def _line_mark(loader, mark: yaml.Mark) -> yaml.Mark:
    marks = loader.__dict__.setdefault("_line_marks", {})
    shared = marks.get(mark.line)
    if shared is None:
        shared = marks[mark.line] = _LineMark(mark.name, mark.line)
    return shared


def _construct_mapping(self, node, deep=False):
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = self.construct_object(key_node, deep=True)
        if isinstance(key, (WrittenInt, WrittenFloat)):  # a distribution over options named 1, 2, 3
            key = key.written
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
_Loader.add_constructor("tag:yaml.org,2002:str", _yaml_str)
_Loader.add_constructor("tag:yaml.org,2002:int", _typed("int", _yaml_int))
_Loader.add_constructor("tag:yaml.org,2002:float", _typed("float", _yaml_float))
_Loader.add_constructor("tag:yaml.org,2002:bool", _typed("bool", _yaml_bool))
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _typed("timestamp"))


def _near_file(path: Path) -> str:
    """'; did you mean …?' naming the file beside `path` whose name is closest to its own, if any is close."""
    try:
        names = [entry.name for entry in os.scandir(path.parent) if entry.is_file()]
    except OSError:
        return ""
    near = difflib.get_close_matches(path.name, names, n=1)
    return f"; did you mean {str(path.with_name(near[0]))!r}?" if near else ""


EMPTY_LEDGER_FILE = "the file is empty; expected a ledger file (see docs/formats.md)"


def check_readable(path: Path, empty: str = EMPTY_LEDGER_FILE) -> None:
    """A clear message when a file is missing, unreadable, empty (`empty` says what was expected) or
    too large for its format; only a regular file is opened (a FIFO would hang the command, a device
    never end)."""
    from ledger.io.files import regular_file_problem

    name = str(path)
    problem = regular_file_problem(path)
    if problem == "no such file":
        raise InvalidInput(f"{name}: no such file{_near_file(path)}")
    if problem is not None:
        raise InvalidInput(f"{name}: cannot read it ({problem})")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            blank = True
            while blank and (block := handle.read(1 << 16)):  # blank only if blank to its end, however it starts
                blank = not block.strip()
    except OSError as exc:
        raise InvalidInput(f"{name}: cannot read it ({exc.strerror or exc})") from None
    if blank:
        raise InvalidInput(f"{name}: {empty}")
    if path.suffix.lower() != ".csv" and size > _limit(path)[0]:  # before reading a byte
        raise InvalidInput(_too_large(path, f"{size / 2**20:.1f} MB"))


def _yaml(path: Path) -> bool:
    return path.suffix.lower() in (".yaml", ".yml")


def _limit(path: Path) -> tuple[int, str]:
    """The most a ledger file (or an article to extract, as long as a source text may be) may hold,
    and how to say so."""
    from ledger.db.checks import MAX_SOURCE_TEXT_BYTES

    if not _yaml(path) and path.suffix.lower() != ".json":
        return MAX_SOURCE_TEXT_BYTES, f"{MAX_SOURCE_TEXT_BYTES // 2**20} MB a text to extract may have; split it"
    limit, allowed, kind = ((MAX_YAML_WEIGHT, f"{MAX_YAML_WEIGHT // 2**20} MB, counting {YAML_LINE_WEIGHT} bytes for each line and "
                                              f"{YAML_ENTRY_WEIGHT} more for each list entry,", "YAML")
                            if _yaml(path) else (MAX_JSON_BYTES, f"{MAX_JSON_BYTES // 2**20} MB", "JSON"))
    return limit, (f"{allowed} a {kind} ledger file may have; split it, or write large datasets in the CSV format "
                   "(docs/formats.md), which has no limit")


def _too_large(path: Path, measure: str) -> str:
    return f"{path}: the file is {measure}, over the {_limit(path)[1]}"


def _too_many_values(path: Path, values: int) -> str:
    return (f"{path}: the file holds {values:,} values, over the {MAX_JSON_VALUES:,} (and {MAX_JSON_BYTES // 2**20} MB) a JSON ledger "
            "file may have; split it, or write large datasets in the CSV format (docs/formats.md), which has no limit")


_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


def json_values(data: bytes) -> int:
    """How many values a JSON text holds, at most: its commas and opening brackets, counted in C
    without parsing; when that is over the limit, counted again outside its strings (a long text
    full of commas is one value)."""
    def count(text: bytes) -> int:
        return text.count(b",") + text.count(b"[") + text.count(b"{")

    values = count(data)
    return count(_JSON_STRING.sub(b'""', data)) if values > MAX_JSON_VALUES else values


def yaml_flow_items(data: bytes, text: str, most: int) -> int:
    """How many items the flow collections of a YAML text hold (`[a, b]`, `{a: 1}`: its flow commas and
    openings), counted up to `most` by libyaml's scanner, which neither parses nor builds a node: the
    commas of a text in a literal block or in quotes are not counted. Skipped when the file has
    no more commas and brackets than `most` (an export has almost none)."""
    if data.count(b",") + data.count(b"[") + data.count(b"{") <= most:
        return 0
    scanner = (getattr(yaml, "CBaseLoader", None) or yaml.BaseLoader)(text)
    flow = (yaml.FlowEntryToken, yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)
    items = 0
    try:
        while items <= most and not scanner.check_token(yaml.StreamEndToken):
            items += isinstance(scanner.get_token(), flow)
    except yaml.YAMLError:
        pass  # the parser reports it, with its line
    finally:
        scanner.dispose()
    return items


def read_text(path: Path, empty: str = EMPTY_LEDGER_FILE) -> str:
    """A file's text, or a clear message when it is missing, empty (`empty`: what was expected), too
    large or not UTF-8."""
    from ledger.io.files import Unreadable, read_bounded

    name = str(path)
    check_readable(path, empty)
    try:
        data = read_bounded(path, _limit(path)[0])
    except Unreadable as exc:
        raise InvalidInput(f"{name}: cannot read it ({exc})") from None
    lines = data.count(b"\n") + 1
    weight = len(data) + YAML_LINE_WEIGHT * lines
    entries = sum(1 for _ in _YAML_ENTRY.finditer(data)) if _yaml(path) and weight <= MAX_YAML_WEIGHT else 0
    weight += YAML_ENTRY_WEIGHT * entries
    if _yaml(path) and weight > MAX_YAML_WEIGHT:
        counted = f" and {entries:,} list entries" if entries else ""
        raise InvalidInput(_too_large(path, f"{len(data) / 2**20:.1f} MB in {lines:,} lines{counted}"))
    if path.suffix.lower() == ".json" and (values := json_values(data)) > MAX_JSON_VALUES:  # not an article to extract
        raise InvalidInput(_too_many_values(path, values))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInput(f"{name}:{line}: byte {exc.start} is not UTF-8; save the file as UTF-8") from None
    room = (MAX_YAML_WEIGHT - weight) // YAML_ITEM_WEIGHT  # for items of flow lists
    if _yaml(path) and yaml_flow_items(data, text, room) > room:
        raise InvalidInput(_too_large(path, f"{len(data) / 2**20:.1f} MB in {lines:,} lines and more than {room:,} items of flow lists "
                                            f"([a, b], {{a: 1}}) at {YAML_ITEM_WEIGHT} bytes each"))
    return text


def parse_document(text: str, name: str) -> Any:
    try:
        return yaml.load(io.StringIO(text), Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "syntax error"
        raise InvalidInput([Problem(Location(name, line), what)]) from None
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{name}: not valid YAML ({exc})") from None
    except RecursionError:
        raise InvalidInput(f"{name}: nested too deeply; a ledger file is a flat list of records") from None


# JSON's tokens that matter for lines: strings (a key when a colon follows) and brackets. A string is
# matched as runs between escapes: a repeat per character costs the regex engine memory per character
# (a 9 MB source text took 1.1 GB).
_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"(\s*:)?|[{}\[\]]', re.DOTALL)


def parse_json(text: str, name: str) -> Any:
    """A JSON document, read by the json module (any valid JSON: tabs, escaped emoji), with each
    object's line and its keys' lines found by one scan of the text; numbers remember how they were
    written. Duplicate keys, nesting deeper than MAX_DEPTH, NULs and lone surrogates are refused."""
    import json

    objects: list[LineDict] = []

    def mapping(pairs: list[tuple[str, Any]]) -> LineDict:
        result = LineDict(pairs)
        result.key_lines = {}
        objects.append(result)
        return result

    try:
        doc = json.loads(text, object_pairs_hook=mapping, parse_int=lambda t: _remembered(WrittenInt, int(t), t),
                         parse_float=lambda t: _remembered(WrittenFloat, float(t), t))
    except json.JSONDecodeError as exc:
        raise InvalidInput([Problem(Location(name, exc.lineno), f"not valid JSON: {exc.msg} (column {exc.colno})")]) from None
    except RecursionError:
        raise InvalidInput(f"{name}: nested too deeply; a ledger file is a flat list of records") from None
    except ValueError as exc:  # a number of thousands of digits
        raise InvalidInput(f"{name}: {exc}") from None
    newlines = [m.start() for m in re.finditer("\n", text)]

    def line(position: int) -> int:
        return bisect.bisect_right(newlines, position) + 1

    problems: list[Problem] = _Problems(name)
    opened: list[tuple[str, int, list[tuple[str, int]]]] = []
    closed = iter(objects)  # the json module makes objects in the order their closing braces appear
    for token in _JSON_TOKENS.finditer(text):
        mark = token.group()
        if mark in "{[":
            opened.append((mark, token.start(), []))
            if len(opened) == MAX_DEPTH + 1:
                problems.append(Problem(Location(name, line(token.start())), f"nested deeper than {MAX_DEPTH} levels; "
                                        "a ledger file is a flat list of records"))
        elif mark in "}]":
            kind, start, keys = opened.pop()
            if kind == "{":
                _place(next(closed), line(start), [(k, line(p)) for k, p in keys], name, problems)
        elif token.group(1) is not None:
            raw = mark[:mark.rindex('"') + 1]
            opened[-1][2].append((json.loads(raw) if "\\" in raw else raw[1:-1], token.start()))
    raise_if(problems)
    return doc


def _place(obj: LineDict, where: int, keys: list[tuple[str, int]], name: str, problems: list[Problem]) -> None:
    """Give a JSON object its line and its keys' lines; say what in it no ledger stores."""
    obj.line = where
    for key, at in keys:
        if key in obj.key_lines:
            problems.append(Problem(Location(name, at), f"key {key!r} appears twice in one record"))
        obj.key_lines[key] = at
    for key, value in obj.items():
        for text in (key, *(value if isinstance(value, list) else [value])):
            if isinstance(text, str):
                try:
                    checked_text(text)
                except ValueError as exc:
                    problems.append(Problem(Location(name, obj.key_lines.get(key, where)), str(exc)))


class _Problems(list):
    """A file's problems, collected until there are MAX_PROBLEMS: then reading stops and they are
    raised, led by a line that says so (a message for each of millions of bad entries would cost
    gigabytes)."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name

    def append(self, problem: Problem) -> None:
        super().append(problem)
        if len(self) >= MAX_PROBLEMS:
            raise InvalidInput([Problem(Location(self.name), f"{MAX_PROBLEMS:,} problems found, and reading stopped there; "
                                                             "correct these and import again"), *self])


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

    def get(self, key: str, convert: Callable[[Any], Any] = written, required: bool = False) -> Any:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.fail(key, f"{self.what} has no {key!r}; it is required")
            return None
        try:
            return convert(value)
        except (ValueError, TypeError, OverflowError) as exc:
            self.fail(key, f"{key}: {exc}")
            return None


def _choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        text = written(value).strip().lower()
        if text not in options:
            near = difflib.get_close_matches(text, options, n=1)
            raise ValueError(f"{value!r} is not one of {', '.join(options)}" + (f"; did you mean {near[0]!r}?" if near else ""))
        return text

    return convert


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


def batch_from_document(doc: Any, name: str, scale: str = DEFAULT_SCALE) -> Batch:
    """Turn a parsed YAML/JSON ledger document into records; problems travel with the batch so that
    the store can add its own and report them all at once. `scale` reads hedge phrases when neither
    the forecast nor the file names one."""
    problems: list[Problem] = _Problems(name)
    if not isinstance(doc, LineDict):
        raise InvalidInput(f"{name}:1: a ledger file is a mapping with sources, forecasters, questions and forecasts (see docs/formats.md)")
    top = _Fields(doc, _TOP_FIELDS, name, problems, "the ledger file")
    version = top.get("version", int)
    if version not in (None, 1):
        top.fail("version", f"format version {version} is not supported; this ledger reads version 1")
    scale = top.get("scale", _choice(tuple(SCALES))) or scale
    batch = Batch()

    for data in _records(doc, "sources", name, problems):
        f = _Fields(data, _SOURCE_FIELDS, name, problems, "a source")
        rec = record(SourceRecord, id=f.get("id", identifier, True), where=f.where,
                     **f.described(SourceFields, kind=_choice(SOURCE_KINDS)))
        batch.keep("source", rec, f.ok)

    for data in _records(doc, "forecasters", name, problems):
        f = _Fields(data, _FORECASTER_FIELDS, name, problems, "a forecaster")
        rec = record(ForecasterRecord, id=f.get("id", identifier, True), where=f.where,
                     **f.described(ForecasterFields, kind=_choice(FORECASTER_KINDS)))
        batch.keep("forecaster", rec, f.ok)

    for data in _records(doc, "questions", name, problems):
        f = _Fields(data, _QUESTION_FIELDS, name, problems, "a question")
        rec = record(QuestionRecord, id=f.get("id", identifier, True), where=f.where, tags=f.get("tags", identifiers) or [],
                     **f.described(QuestionFields, kind=_choice(QUESTION_KINDS)))
        batch.keep("question", rec, f.ok)

    for data in _records(doc, "forecasts", name, problems):
        f = _Fields(data, _FORECAST_FIELDS, name, problems, "a forecast")
        voided = f.get("voided", _voided) or (None, None)
        rec = record(
            ForecastRecord, question=f.get("question", identifier, True), forecaster=f.get("forecaster", identifier, True),
            where=f.where, key=f.get("id", identifier), source=f.get("source", identifier), window=f.get("window", parse_window),
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
            ResolutionRecord, question=f.get("question", identifier, True), outcome=f.get("outcome", required=True), where=f.where,
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
    if not isinstance(value, dict):
        raise ValueError("write voided as a mapping with a reason and an optional date: {reason: ..., on: 2026-03-01}")
    return void_reason(value.get("reason")), parse_date(value["on"]) if value.get("on") else None


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
        parse = parse_json if suffix == ".json" else parse_document
        yield batch_from_document(parse(read_text(path), str(path)), str(path), scale)
        return
    from ledger.io.csv_long import csv_batches

    check_readable(path)
    with contextlib.ExitStack() as files:
        yield from csv_batches(lambda: files.enter_context(path.open(encoding="utf-8-sig", newline="")), str(path), scale)
