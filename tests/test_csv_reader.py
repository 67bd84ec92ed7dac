"""The long CSV's two readers agree: pandas' C parser reads plain text, the csv module the rest (and
judges every shape), and whatever a file holds, its chunks — each row's line and cells — and its
shape problems are those the csv module alone gives. Small blocks make a file change hands in the
middle; the examples mix plain rows with quotes, embedded newlines, blank lines, CRLF and lone CR
endings, NUL, rows of the wrong width and spreadsheet-escaped cells."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ledger.io import csv_long
from ledger.io.csv_long import CsvRows

HEADER = "id,question,forecaster,probability,made_on"

plain_cells = st.sampled_from(["", "a", "q1", "0.5", " x ", "é", "'=1", "2024-01-01"])
cells = st.one_of(plain_cells, st.sampled_from(['"a,b"', '"x""y"', '"two\nlines"', 'a"b']))
rows = st.lists(cells, min_size=3, max_size=7).map(",".join)  # five cells is the header's width; the others are wrong
endings = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r", "\n\n", "\x00\n"])
texts = st.lists(st.tuples(rows, endings), max_size=40).map(lambda lines: HEADER + "\n" + "".join(r + e for r, e in lines))


def _read(text: str, plain: bool) -> tuple[list, list]:
    rows = CsvRows(lambda: io.StringIO(text, newline=""), "f.csv", chunk=7)
    problems: list = []
    if not plain:
        rows._plain = lambda wanted: _nothing()  # type: ignore[method-assign]
    read = [(int(line), *(part.cells[c][i] for c in part.cells)) for part in rows.chunks(problems) for i, line in enumerate(part.lines)]
    return read, [str(p) for p in problems]


def _nothing():
    return 0
    yield


@settings(max_examples=300, deadline=None, derandomize=True)
@given(texts)
@example(HEADER + "\ns1,q\rs2,q,f,0.5\n")  # a lone CR ends a row: two short rows that look like one of the right width
def test_the_plain_reader_reads_what_the_csv_module_reads(text):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csv_long, "_PLAIN_BLOCK", 24)  # a block is a few rows: the readers change hands mid-file
        assert _read(text, plain=True) == _read(text, plain=False)


@given(st.lists(st.one_of(st.lists(plain_cells, min_size=5, max_size=5).map(",".join), st.just("")), min_size=1, max_size=40),
       st.sampled_from(["\n", "\r\n"]))
@settings(max_examples=50, deadline=None, derandomize=True)
def test_plain_text_is_read_once_by_the_plain_reader(lines, ending):
    """A file with no quote and rows of the header's width (blank lines between) is read by the plain
    reader alone, with each row's line: the csv module never opens it."""
    text = HEADER + ending + "".join(line + ending for line in lines)
    opened = []
    rows = CsvRows(lambda: opened.append(1) or io.StringIO(text, newline=""), "f.csv")
    read = [int(line) for part in rows.chunks([]) for line in part.lines]
    assert read == [n + 2 for n, line in enumerate(lines) if line]
    assert len(opened) == 2  # the header, then the plain reader


def test_a_large_plain_file_is_read_in_blocks_with_its_lines():
    body = "".join(f"s{i},q{i % 7},f{i % 3},0.{i % 9 + 1},2024-01-{i % 28 + 1:02d}\n" for i in range(50_000))
    rows = CsvRows(lambda: io.StringIO(HEADER + "\n" + body + "\n", newline=""), "f.csv")
    parts = list(rows.chunks([]))
    assert len(parts) > 1 and sum(len(p) for p in parts) == 50_000
    lines = np.concatenate([p.lines for p in parts])
    assert (lines == np.arange(2, 50_002)).all()
    assert parts[-1].cells["id"][-1] == "s49999"


def test_a_csv_gives_its_questions_and_resolutions_a_chunk_at_a_time():
    """However many questions a file names, no batch holds more than a chunk's worth of their records
    (a file of 500,000 questions would otherwise hold them all at once), and together they are all there."""
    head = "question,forecaster,probability,made_on,outcome\n"
    text = head + "".join(f"q{i},f{i % 3},0.5,2024-01-01,{'yes' if i % 2 else ''}\n" for i in range(25))
    batches = list(csv_long.csv_batches(lambda: io.StringIO(text, newline=""), "f.csv", chunk=7))
    questions = [len(b.questions) for b in batches if b.questions]
    resolutions = [len(b.resolutions) for b in batches if b.resolutions]
    assert max(questions) <= 7 and sum(questions) == 25 and len(questions) == 4
    assert max(resolutions) <= 7 and sum(resolutions) == 12
    assert {q.id for b in batches for q in b.questions} == {f"q{i}" for i in range(25)}
    assert {r.question for b in batches for r in b.resolutions} == {f"q{i}" for i in range(1, 25, 2)}
    for b in batches:
        if b.rows is not None:
            b.rows.staging.close()
            break
