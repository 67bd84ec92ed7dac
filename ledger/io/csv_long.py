"""The long CSV format (one forecast per row), read in chunks of columns so that a million-row file is
checked in bounded memory without a Python object per row.

Each chunk's cells are split by the standard csv module (which keeps every row's line number and its
shape errors) and then converted column by column: every distinct value of a column is converted once
by the same converter the YAML loader uses, and the results are spread back over the rows with numpy.
A row with any problem is reported with its file:line, in the order the row's cells are read, and
left out; the rest travel to the store as `ForecastRows`, already in the forecast table's columns.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import difflib
import gc
import itertools
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import Any, TextIO

import numpy as np
import pandas as pd

from ledger.errors import InvalidInput, Location, Problem
from ledger.io.loaders import CSV_COLUMNS, CSV_REQUIRED, MAX_PROBLEMS, unescape_cell
from ledger.io.loaders import _choice as choice
from ledger.schema.dates import EARLIEST, LATEST, parse_date, parse_window
from ledger.schema.ids import already_identifiers, identifier
from ledger.schema.outcomes import BINARY_OUTCOME_WORDS
from ledger.schema.probability import DEFAULT_SCALE, estimate
from ledger.schema.records import (
    BLANK_REASON,
    Batch,
    ForecasterRecord,
    ForecastRows,
    QuestionRecord,
    ResolutionRecord,
    SourceRecord,
    content_key_of,
    converter,
    record,
)
from ledger.schema.tables import FORECAST_FIELDS, ForecastFields
from ledger.schema.vocabulary import QUESTION_KINDS, VOID_OUTCOMES

CHUNK_ROWS = 20_000
_PLAIN_BLOCK = 1 << 20  # characters read at once as plain text: about as many rows as CHUNK_ROWS
_NOT_PLAIN = ('"', "\x00")
_QUESTION_COLUMNS = ("question", "kind", "resolve_by", "resolved_on", "question_text", "window_from", "window_to", "option", "outcome")
_KEYED = ("made_on", "quote", "claim", "option", "condition")  # the described fields a content key has always had


@dataclasses.dataclass
class Chunk:
    """Some consecutive rows of the file: each one's line, and each wanted column's cells ('' when empty)."""

    lines: np.ndarray
    cells: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.lines)

    def has(self, column: str) -> np.ndarray:
        return self.cells[column] != "" if column in self.cells else np.zeros(len(self), bool)


class CsvRows:
    """The rows of a long-CSV file after its header was checked, read as chunks of columns."""

    def __init__(self, open_lines: Callable[[], TextIO], name: str, chunk: int = CHUNK_ROWS):
        self.open_lines, self.name, self.chunk = open_lines, name, chunk
        self.header = self._header()

    def _header(self) -> list[str]:
        reader = csv.reader(self.open_lines())
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise InvalidInput(f"{self.name}:1: malformed CSV header: {exc}") from None
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"{self.name}:{self._undecodable_line(1)}: not UTF-8 ({exc.reason}); save the file as UTF-8") from None
        if not header:
            raise InvalidInput(f"{self.name}: the file is empty; expected a CSV header naming at least {', '.join(CSV_REQUIRED)}")
        header = [h.strip() for h in header]
        problems = []
        for column in dict.fromkeys(header):
            if header.count(column) > 1:  # the csv module's DictReader would keep the last one silently
                problems.append(Problem(Location(self.name, 1), f"column {column!r} appears twice"))
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

    def chunks(self, problems: list[Problem] | None, columns: Iterable[str] | None = None) -> Iterator[Chunk]:
        """The rows in chunks, with the cells of `columns` (default: all). Shape problems (wrong cell
        count, bad CSV, bad bytes) go to `problems` on one pass only (None on the other), so each is
        reported once; a row of the wrong shape is left out.

        Plain text is read by pandas' C parser (`_plain`); from the first part that is not plain on,
        the csv module reads the rest, as the judge of every shape and the counter of lines."""
        wanted = [(i, c) for i, c in enumerate(self.header) if columns is None or c in columns]
        given = yield from self._plain(wanted)
        if given is None:
            return
        reader = csv.reader(self.open_lines())
        width = len(self.header)
        lines: list[int] = []
        rows: list[list[str]] = []
        try:
            next(reader)
            for row in reader:
                if reader.line_num <= given:
                    continue  # read already, as plain text
                if len(row) != width:
                    if problems is not None and any(cell.strip() for cell in row):
                        problems.append(Problem(Location(self.name, reader.line_num), f"this row has {len(row)} cells but the header has {width}"))
                    continue
                lines.append(reader.line_num)
                rows.append(row)
                if len(rows) >= self.chunk:
                    yield self._chunk(lines, rows, wanted, problems)
                    lines, rows = [], []
        except csv.Error as exc:
            if problems is not None:
                problems.append(Problem(Location(self.name, reader.line_num), f"malformed CSV: {exc}"))
        except UnicodeDecodeError as exc:
            if problems is not None:
                line = self._undecodable_line(reader.line_num + 1)
                problems.append(Problem(Location(self.name, line), f"not UTF-8 ({exc.reason}); save the file as UTF-8"))
        if rows:
            yield self._chunk(lines, rows, wanted, problems)

    def _undecodable_line(self, guess: int) -> int:
        """The line of the file's first byte that is not UTF-8. The text stream decodes a block of
        thousands of lines at once, so where its reader stood (`guess`, used when the stream has no
        bytes to read again) can be lines before the bad byte; the bytes are read again in blocks,
        lines counted as the csv module counts them (LF, CRLF or a lone CR ends one)."""
        raw = getattr(self.open_lines(), "buffer", None)
        if raw is None:
            return guess
        raw.seek(0)
        line, carry = 1, b""
        while True:
            block = raw.read(1 << 20)
            data = carry + block
            try:
                data.decode("utf-8")
                good, bad = len(data), False
            except UnicodeDecodeError as exc:
                # a character cut at the block's end is read whole with the next block; anything else is the bad byte
                good, bad = exc.start, not block or exc.end < len(data) or exc.reason != "unexpected end of data"
            if not bad and block and data[good - 1:good] == b"\r":
                good -= 1  # a CR whose LF may be in the next block
            part = data[:good]
            line += part.count(b"\n") + part.count(b"\r") - part.count(b"\r\n")
            if bad or not block:
                return line if bad else guess
            carry = data[good:]

    def _plain(self, wanted: list[tuple[int, str]]) -> Generator[Chunk, None, int | None]:
        """Chunks of the file's plain text, read by pandas' C parser (four times the csv module's
        speed); returns the last line read, or None when that was the end. Text is plain when it has
        no quote (so no cell spans lines), no NUL, no lone CR, and every line but a blank one holds
        the header's number of cells: a row's line is then where it stands, and the cells are what the csv module would
        read. Anything else is left, from the part it is in on, for the csv module to read and judge."""
        import io

        stream = self.open_lines()
        width = len(self.header)
        line = 1
        try:
            header = stream.readline()
            if any(c in header for c in _NOT_PLAIN):
                return 0
            while block := stream.read(_PLAIN_BLOCK):
                if not block.endswith("\n"):
                    block += stream.readline()  # to the end of its last line
                if any(c in block for c in _NOT_PLAIN) or block.count("\r") != block.count("\r\n"):
                    return line
                text = np.frombuffer(block.encode(), np.uint8)  # a comma or newline is one byte in UTF-8
                ends = np.flatnonzero(text == 10)
                if not block.endswith("\n"):
                    ends = np.append(ends, len(text))
                starts = np.concatenate(([0], ends[:-1] + 1))
                blank = ends - starts - (text[np.maximum(ends - 1, 0)] == 13) <= 0
                commas = np.flatnonzero(text == 44)
                if ((np.searchsorted(commas, ends) - np.searchsorted(commas, starts))[~blank] != width - 1).any():
                    return line
                if not blank.all():
                    frame = pd.read_csv(io.StringIO(block), header=None, usecols=[i for i, _ in wanted], dtype=object,
                                        na_filter=False, skip_blank_lines=True, engine="c")
                    yield self._cells(line + 1 + np.flatnonzero(~blank), [frame[i].to_numpy() for i, _ in wanted], wanted,
                                      positional=True, apostrophes="'" in block)
                line += len(ends)
        except UnicodeDecodeError:
            return line
        return None

    def _chunk(self, lines: list[int], rows: list[list[str]], wanted: list[tuple[int, str]], problems: list[Problem] | None) -> Chunk:
        """A chunk of the rows the csv module read; a row with a NUL in a cell (which PostgreSQL cannot
        store) is reported and left out."""
        by_column = list(zip(*rows))
        nul = np.zeros(len(rows), bool)
        for i, _ in wanted:
            if "\x00".join(by_column[i]).count("\x00") != len(rows) - 1:
                nul |= np.array(["\x00" in v for v in by_column[i]])
        chunk = self._cells(np.array(lines), by_column, wanted)
        if not nul.any():
            return chunk
        if problems is not None:
            problems += [Problem(Location(self.name, int(line)), "a cell contains a NUL character, which no database stores; remove it")
                         for line in chunk.lines[nul]]
        return Chunk(chunk.lines[~nul], {column: values[~nul] for column, values in chunk.cells.items()})

    @staticmethod
    def _cells(lines: np.ndarray, by_column: list, wanted: list[tuple[int, str]], positional: bool = False, apostrophes: bool = True) -> Chunk:
        """A chunk from its rows' lines and its columns' cells (all the header's, or with `positional`
        only the wanted ones, in their order); `apostrophes` False when no cell holds one."""
        cells = {}
        for k, (i, column) in enumerate(wanted):
            values = np.asarray(by_column[k if positional else i], dtype=object)
            if apostrophes and len(values) and (values[0].startswith("'") or "\x00'" in "\x00".join(values)):  # a spreadsheet-escaped cell ('=…)
                values = np.array([unescape_cell(v) for v in values], dtype=object)
            cells[column] = values
        return Chunk(lines, cells)


@dataclasses.dataclass
class Converted:
    """Columns converted together: each row's value (None when empty or wrong) and the errors of the
    rows that were wrong."""

    values: np.ndarray
    errors: dict[int, Exception]  # by row

    @classmethod
    def of(cls, columns: list[np.ndarray], convert: Callable[..., Any], *, empty: bool = False) -> Converted:
        """`convert(*cells)` once for each distinct combination of the rows' cells, the result spread
        back over the rows. A row whose cells are all '' is None unless `empty` (then it is converted
        too, to say what is missing)."""
        combined = np.zeros(len(columns[0]), np.int64)
        for column in columns:
            codes, uniques = pd.factorize(column)
            combined = combined * (len(uniques) + 1) + codes
        inverse, _ = pd.factorize(combined)
        first = _first_rows(inverse)
        results: list[Any] = []
        wrong: dict[int, Exception] = {}
        for code, row in enumerate(first):
            cells = [column[row] for column in columns]
            if not empty and not any(cells):
                results.append(None)
                continue
            try:
                results.append(convert(*cells))
            except (ValueError, TypeError, OverflowError) as exc:
                wrong[code] = exc
                results.append(None)
        table = np.empty(len(results), dtype=object)
        table[:] = results
        failed = np.flatnonzero(np.isin(inverse, list(wrong))) if wrong else np.zeros(0, np.int64)
        return cls(table[inverse], {int(i): wrong[inverse[i]] for i in failed})


def _first_rows(codes: np.ndarray) -> np.ndarray:
    """The row where each code first appears, for codes numbered in order of appearance (as
    `pd.factorize` numbers them; -1, a missing value, is no code)."""
    if not len(codes):
        return np.zeros(0, np.int64)
    highest = np.maximum.accumulate(codes)
    return np.flatnonzero(np.concatenate(([codes[0] >= 0], highest[1:] > highest[:-1])))


def _stored_dates(cells: np.ndarray) -> np.ndarray:
    """Which cells are a date as a table stores it already: ISO text of a day on the calendar in the
    years the ledger accepts (`parse_date` would return it unchanged)."""
    ready = np.zeros(len(cells), dtype=bool)
    given = np.flatnonzero(cells != "")  # a regex a cell costs: most rows of a large file give no window
    text = pd.Series(cells[given], dtype=object)
    shaped = np.array(text.str.fullmatch("[0-9]{4}-[0-9]{2}-[0-9]{2}").fillna(False), dtype=bool)
    if shaped.any():
        days = text[shaped]
        on_calendar = pd.to_datetime(days, format="%Y-%m-%d", errors="coerce").notna()
        ready[given[shaped]] = (on_calendar & (days >= EARLIEST.isoformat()) & (days <= LATEST.isoformat())).to_numpy(dtype=bool)
    return ready


def _iso(convert: Callable[[Any], dt.date]) -> Callable[[Any], str]:
    """A date converter whose result is the ISO text a table column stores."""
    return lambda value: convert(value).isoformat()


def _stored(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return _iso(convert) if convert is parse_date else convert


class _Reader:
    """Converts one chunk's forecasts, noting each row's problems in the order its cells are read."""

    def __init__(self, chunk: Chunk, scale: str):
        self.chunk, self.scale = chunk, scale
        self.found: list[tuple[int, int, str]] = []  # (row, order, message)

    def cells(self, column: str) -> np.ndarray:
        return self.chunk.cells.get(column, np.full(len(self.chunk), "", dtype=object))

    def note(self, order: int, rows: Iterable[int], message: Callable[[int], str]) -> None:
        self.found.extend((int(row), order, message(int(row))) for row in rows)

    def take(self, order: int, column: str, convert: Callable[[Any], Any], required: bool = False) -> np.ndarray:
        cells = self.cells(column)
        if convert is identifier and already_identifiers(cells):
            values = cells.copy()  # each id is itself: no need to convert a million distinct ones one by one
            values[cells == ""] = None
        else:
            converted = Converted.of([cells], convert)
            self.note(order, converted.errors, lambda row: f"{column}: {converted.errors[row]}")
            values = converted.values
        if required:
            self.note(order, np.flatnonzero(~self.chunk.has(column)), lambda _: f"the row has no {column}; it is required")
        return values

    def window(self) -> tuple[np.ndarray, np.ndarray]:
        """The rows' windows as ISO text. Windows that are already stored as is pass in one check of
        the columns: a chunk of date questions has about as many windows as rows, and converting
        each one took a fourteenth of a large import. The rest are converted, or explained, one by one."""
        start, end = self.cells("window_from"), self.cells("window_to")
        ready = _stored_dates(start) & _stored_dates(end)
        ready[ready] = (start[ready] <= end[ready]).astype(bool)  # ISO text sorts as its dates do
        rest = np.flatnonzero(~ready)
        converted = Converted.of([start[rest], end[rest]], lambda first, last: tuple(d.isoformat() for d in parse_window([first, last])))
        errors = {int(rest[row]): error for row, error in converted.errors.items()}
        self.note(0, errors, lambda row: f"window_from/window_to: {errors[row]}")
        window_from, window_to = start.copy(), end.copy()
        window_from[rest] = [b and b[0] for b in converted.values]
        window_to[rest] = [b and b[1] for b in converted.values]
        return window_from, window_to

    def estimates(self) -> np.ndarray:
        converted = Converted.of([self.cells("probability"), self.cells("phrase"), self.cells("scale")],
                                 lambda number, words, named: estimate(number or None, words or None, named or self.scale), empty=True)
        self.note(1, converted.errors, lambda row: str(converted.errors[row]))
        return converted.values

    def voiding(self) -> None:
        """A voided_on or a voided_reason needs a reason that is not blank (records.void_reason)."""
        if "voided_reason" not in self.chunk.cells and "voided_on" not in self.chunk.cells:
            return
        blank = pd.Series(self.cells("voided_reason"), dtype=object).str.strip().to_numpy() == ""
        wrong = blank & (self.chunk.has("voided_reason") | self.chunk.has("voided_on"))
        self.note(7, np.flatnonzero(wrong), lambda _: f"voided_reason: {BLANK_REASON}")

    def good_rows(self) -> np.ndarray:
        bad = np.zeros(len(self.chunk), bool)
        bad[[row for row, _, _ in self.found]] = True
        return ~bad

    def problems(self, name: str) -> list[Problem]:
        lines = self.chunk.lines
        return [Problem(Location(name, int(lines[row])), message) for row, _, message in sorted(self.found, key=lambda f: f[:2])]


def forecast_rows(chunk: Chunk, name: str, scale: str) -> tuple[ForecastRows, list[Problem]]:
    """A chunk's well-formed forecasts in the forecast table's columns, and the problems of the rest."""
    read = _Reader(chunk, scale)
    window_from, window_to = read.window()
    estimates = read.estimates()
    described = {column: read.take(2, column, _stored(converter(ForecastFields, column))) for column in FORECAST_FIELDS
                 if column != "made_on" and column in chunk.cells}
    columns: dict[str, Any] = {
        "question_id": read.take(3, "question", identifier, True), "forecaster_id": read.take(4, "forecaster", identifier, True),
        "key": read.take(5, "id", identifier), "source_id": read.take(6, "source", identifier),
        "voided_on": read.take(7, "voided_on", _iso(parse_date)), "made_on": read.take(8, "made_on", _iso(parse_date), True),
    }
    read.voiding()
    good = read.good_rows()
    est = estimates[good]
    rows: dict[str, list] = {column: values[good].tolist() for column, values in columns.items()}
    rows.update({
        "probability": [e.probability for e in est], "phrase": [e.phrase for e in est], "scale": [e.scale for e in est],
        "band_low": [e.band.low if e.band else None for e in est], "band_high": [e.band.high if e.band else None for e in est],
        "window_from": window_from[good].tolist(), "window_to": window_to[good].tolist(),
        "voided_reason": [v or None for v in read.cells("voided_reason")[good]],
    })
    for column in FORECAST_FIELDS:
        if column != "made_on":
            rows[column] = described[column][good].tolist() if column in described else [None] * int(good.sum())
    rows["line"] = chunk.lines[good].tolist()
    rows["key"] = [key or _content_key(rows, i) for i, key in enumerate(rows["key"])]
    return ForecastRows(name, rows), read.problems(name)


def _content_key(rows: dict[str, list], i: int) -> str:
    """`records.content_key` of row `i`, from its columns (dates are already ISO text)."""
    window = [rows["window_from"][i], rows["window_to"][i]] if rows["window_from"][i] else None
    extra = [[name, rows[name][i]] for name in FORECAST_FIELDS if name not in _KEYED and rows[name][i] is not None]
    return content_key_of(rows["question_id"][i], rows["forecaster_id"][i], rows["source_id"][i], rows["made_on"][i],
                          rows["quote"][i], rows["claim"][i], repr(rows["probability"][i]), rows["phrase"][i], window,
                          rows["option"][i], rows["condition"][i], None, *extra)


def _implicit(model, ids: list[Any], lines: list[int], name: str, seen: set[str], named: str) -> list:
    """Records for the ids a chunk names that no earlier chunk did, each where it is first named
    (its `named` field, a forecaster's name or a source's title, is the id)."""
    codes, uniques = pd.factorize(np.array(ids, dtype=object))
    first = _first_rows(codes)
    made = []
    for ident, row in zip(uniques[codes[first]], first):
        line = lines[row]
        if ident not in seen:
            seen.add(ident)
            made.append(record(model, id=ident, where=Location(name, int(line)), implicit=True,
                               **{named: ident}))
    return made


def csv_batches(open_lines: Callable[[], TextIO], name: str, scale: str = DEFAULT_SCALE,
                chunk: int = CHUNK_ROWS) -> Iterator[Batch]:
    """The long CSV format, read once in chunks so that memory stays bounded whatever the file's size.

    Questions, forecasters and sources the rows name are created when new. While the file is read,
    each question is settled (its kind, its options — those its rows name — its text and its one
    outcome) and each chunk's forecasts are converted and spilled to a staging file; then the
    questions come first, the forecasts chunk by chunk (in their table's columns, for the store to
    check and to write from the same staging file), the resolutions last.
    """
    with _collector_paused():
        yield from _csv_batches(CsvRows(open_lines, name, chunk), name, scale)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading keeps a chunk's rows (lists of strings: no reference cycles) alive, and each allocation
    counts towards the cyclic collector's next pass over every object the process holds; paused, a
    million-row file reads in half the time."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _csv_batches(rows: CsvRows, name: str, scale: str) -> Iterator[Batch]:
    from ledger.db.staging import STAGED, Staging

    staging = Staging()
    found: list[Problem] = []

    def converted(part: Chunk) -> None:
        forecasts, wrong = forecast_rows(part, name, scale)
        staging.append(forecasts.columns)
        found.extend(wrong)
        if len(found) + len(problems) >= MAX_PROBLEMS:  # a message a row would take gigabytes for a file of millions of bad rows
            raise InvalidInput([Problem(Location(name), f"{MAX_PROBLEMS:,} problems found, and reading stopped there; "
                                                        "correct these and import again"), *(problems + found)[:MAX_PROBLEMS]])

    problems: list[Problem] = []
    try:
        questions, outcomes = _csv_questions(rows, problems, converted)
        settling = iter(questions.items())  # their records a chunk at a time, and none kept: the store keeps what it needs
        while named := list(itertools.islice(settling, rows.chunk)):
            yield Batch(questions=[question.record(qid) for qid, question in named])
        del questions, settling, named
        yield Batch(problems=problems)
        if not staging.count and not problems and not found:
            raise InvalidInput(f"{name}: the CSV has a header but no forecast rows")
        forecasters: set[str] = set()
        sources: set[str] = set()
        for columns in staging.chunks():
            cols = dict(zip(("line",) + STAGED, columns))
            yield Batch(rows=ForecastRows(name, cols, staging), problems=found,
                        forecasters=_implicit(ForecasterRecord, cols["forecaster_id"], cols["line"], name, forecasters, "name"),
                        sources=_implicit(SourceRecord, cols["source_id"], cols["line"], name, sources, "title"))
            found = []
        settled = iter(outcomes.items())  # as records a chunk at a time, like the questions
        while part := list(itertools.islice(settled, rows.chunk)):
            yield Batch(resolutions=[record(ResolutionRecord, question=q, outcome=o, where=w, occurred_on=d) for q, (o, d, w) in part])
        if found:
            yield Batch(problems=found)
    except BaseException:
        staging.close()  # on success the store that writes the rows closes it
        raise


def _csv_questions(rows: CsvRows, problems: list[Problem], each: Callable[[Chunk], None]) -> tuple[dict[str, _Settling], dict]:
    """Every question the rows name, with its kind, options, text and outcome; `each` is given every
    chunk of the file as it is read.

    A question's rows mostly repeat one another, so each distinct combination of the question
    columns is read once, where it first appears. Should that find any problem, the question
    columns are read again row by row so that every offending line is named."""
    def distinct() -> Iterator[tuple[Location, dict[str, str]]]:
        kept: list[pd.DataFrame] = []  # each chunk's distinct combinations, with the line of each one's first row
        size = compacted = 0
        for part in rows.chunks(problems):
            each(part)
            cells = {c: part.cells[c] for c in _QUESTION_COLUMNS if c in part.cells}
            if "window_from" in cells or "window_to" in cells:  # only whether a row gives a window matters here
                cells["window_from"] = np.where(part.has("window_from") | part.has("window_to"), "window", "").astype(object)
                cells.pop("window_to", None)
            frame = pd.DataFrame(cells, dtype=object)
            first = ~frame.duplicated().to_numpy()
            kept.append(frame[first].assign(**{_LINE: part.lines[first]}))
            size += int(first.sum())
            if size > 2 * compacted + rows.chunk:  # the combinations seen, compacted as they double: linear in the file
                kept = [_first_of(kept)]
                size = compacted = len(kept[0])
        if kept:
            combinations = _first_of(kept)
            columns = [c for c in combinations.columns if c != _LINE]
            for line, *values in zip(combinations[_LINE], *(combinations[c] for c in columns)):
                yield Location(rows.name, int(line)), {c: v for c, v in zip(columns, values) if v}

    def every() -> Iterator[tuple[Location, dict[str, str]]]:
        for part in rows.chunks(None, _QUESTION_COLUMNS):
            columns = [c for c in _QUESTION_COLUMNS if c in part.cells]
            for i in range(len(part)):
                yield Location(rows.name, int(part.lines[i])), {c: v for c in columns if (v := part.cells[c][i])}

    found: list[Problem] = []
    questions, outcomes = _settle_questions(distinct(), found)
    if found:
        found = []
        questions, outcomes = _settle_questions(every(), found)
    problems += found
    return questions, outcomes


_LINE = " line"  # a column name no CSV header has


def _first_of(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Each distinct combination of the frames' cells once, where it first appears (frames in file order)."""
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return frame[~frame.duplicated([c for c in frame.columns if c != _LINE]).to_numpy()]


@dataclasses.dataclass(slots=True)
class _Settling:
    """A question as the CSV's rows settle it: what its record will say, in under a tenth of a record's
    memory (a record takes about 1 KB), for the file names them all before the first record is made."""

    where: Location
    text: str
    resolve_by: dt.date | None
    implicit: bool
    options: list[str] | None = None
    kind: str = "binary"

    def record(self, qid: str) -> QuestionRecord:
        return record(QuestionRecord, id=qid, text=self.text, where=self.where, tags=[], resolve_by=self.resolve_by,
                      implicit=self.implicit, named_options=True, options=self.options, kind=self.kind)


def _settle_questions(rows: Iterable[tuple[Location, dict[str, str]]], problems: list[Problem]) -> tuple[dict[str, _Settling], dict]:
    questions: dict[str, _Settling] = {}
    kinds: dict[str, tuple[str, Location]] = {}
    outcomes: dict[str, tuple[str, Any, Location]] = {}
    kind_of = choice(QUESTION_KINDS)
    for where, values in rows:
        try:
            qid = identifier(values.get("question") or "")
        except ValueError:
            continue  # reported with the row's other problems in the second pass
        try:
            kind = kind_of(values["kind"]) if "kind" in values else None
            resolve_by = parse_date(values["resolve_by"]) if "resolve_by" in values else None
            resolved_on = parse_date(values["resolved_on"]) if "resolved_on" in values else None
        except ValueError as exc:
            problems.append(Problem(where, str(exc)))
            continue
        question = questions.get(qid)
        if question is None:
            question = questions[qid] = _Settling(where, values.get("question_text") or qid, resolve_by, "question_text" not in values)
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


def _names_option(question: _Settling) -> bool:
    """A question whose rows name options (not just yes/no outcomes) is categorical."""
    return any(o.lower() not in BINARY_OUTCOME_WORDS for o in question.options or [])
