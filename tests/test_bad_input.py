"""Every bad input: a clear message naming the file and line (or the option), exit 1, no traceback,
and nothing written."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

GOOD_HEAD = """version: 1
sources:
  - id: s1
    title: A source
    published_on: 2026-02-02
    text_path: docs/sources/001_e02439be91a7ab0b.txt
forecasters:
  - id: f1
    name: Forecaster One
questions:
  - id: q-binary
    text: Will it happen?
  - id: q-date
    text: When will it happen?
    kind: date
  - id: q-cat
    text: Which one?
    kind: categorical
    options: [a, b]
forecasts:
  - question: q-binary
    forecaster: f1
    source: s1
    probability: 0.6
"""

NEXT = GOOD_HEAD.count("\n") + 1  # the line a forecast appended to GOOD_HEAD lands on

# (name, text appended to a valid file or a whole file, expected line, expected words in the message)
YAML_CASES = [
    ("probability over one", GOOD_HEAD + "  - {question: q-binary, forecaster: f1, probability: 1.5}\n", NEXT, "outside 0–1"),
    ("percentage over 100", GOOD_HEAD + "  - {question: q-binary, forecaster: f1, probability: 150%}\n", NEXT, "150%"),
    ("probability not a number", GOOD_HEAD + "  - {question: q-binary, forecaster: f1, probability: high}\n", NEXT, "not a probability"),
    ("probability NaN", GOOD_HEAD + "  - {question: q-binary, forecaster: f1, probability: .nan}\n", NEXT, "finite"),
    ("unknown phrase", GOOD_HEAD + "  - {question: q-binary, forecaster: f1, made_on: 2026-02-02, phrase: surely perhaps}\n", NEXT, "known phrases"),
    ("impossible date", GOOD_HEAD + "  - {question: q-binary, forecaster: f1, probability: 0.5, made_on: 2026-02-30}\n", NEXT, "not a real date"),
    ("window ends before it starts", GOOD_HEAD + "  - {question: q-date, forecaster: f1, probability: 0.5, window: 2026-02-10..2026-02-06}\n", NEXT, "ends before it starts"),
    ("date question without window", GOOD_HEAD + "  - {question: q-date, forecaster: f1, probability: 0.5}\n", NEXT, "give the forecast's window"),
    ("option not in question", GOOD_HEAD + "  - {question: q-cat, forecaster: f1, probability: 0.5, option: c}\n", NEXT, "not one of"),
    ("unknown question", GOOD_HEAD + "  - {question: q-binry, forecaster: f1, probability: 0.5}\n", NEXT, "did you mean 'q-binary'"),
    ("unknown forecaster", GOOD_HEAD + "  - {question: q-binary, forecaster: f2, probability: 0.5}\n", NEXT, "unknown forecaster 'f2'"),
    ("unknown field", GOOD_HEAD + "  - {question: q-binary, forecaster: f1, probabilty: 0.5}\n", NEXT, "did you mean 'probability'"),
    ("quote not in source", GOOD_HEAD + "  - {question: q-binary, forecaster: f1, source: s1, probability: 0.5, quote: 'North Korea will invade the moon'}\n", NEXT, "quote not found"),
    ("yaml syntax error", GOOD_HEAD + "  - {question: q-binary, forecaster: [f1\n", NEXT + 1, "expected ','"),
    ("python tag", GOOD_HEAD + "  - !!python/object/apply:os.system ['echo hacked']\n", NEXT, "Python tags are never loaded"),
    ("duplicate id", GOOD_HEAD.replace("  - id: q-date", "  - id: q-binary\n    text: again\n  - id: q-date"), 13, "defined twice"),
    ("duplicate key", GOOD_HEAD.replace("    title: A source\n", "    title: A source\n    title: Again\n"), 5, "appears twice"),
    ("alias", "version: 1\nforecasters:\n  - &a {id: f1, name: One}\n  - *a\n", 4, "aliases"),
    ("not a mapping", "- just\n- a list\n", 1, "a ledger file is a mapping"),
    ("infinite version (found by fuzzing)", "version: .inf\n", 1, "version: cannot convert float infinity"),
    ("categorical without options", GOOD_HEAD.replace("    options: [a, b]\n", ""), 16, "needs options"),
    ("list where a value belongs", GOOD_HEAD.replace("    text: Will it happen?", "    text: [Will, it, happen]"), 12, "must be a single value"),
    ("mapping where a list belongs", GOOD_HEAD.replace("    text: Will it happen?", "    text: Will it happen?\n    tags: {a: b}"), 13, "give a list of words"),
    ("missing required field", GOOD_HEAD.replace("    text: Will it happen?\n", ""), 11, "has no 'text'; it is required"),
    ("probability infinite", GOOD_HEAD + "  - {question: q-binary, forecaster: f1, probability: .inf}\n", NEXT, "finite"),
    ("probability a list", GOOD_HEAD + "  - {question: q-binary, forecaster: f1, probability: [0.5]}\n", NEXT, "not a probability"),
    ("billion laughs", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n", 2, "aliases"),
    ("deeply nested", "version: 1\nsources:\n" + "  " * 1 + "- " + "[" * 40 + "]" * 40 + "\n", 3, "nested deeper than 20"),
    ("unknown top-level key", GOOD_HEAD.replace("forecasters:", "forecasterz:"), 7, "did you mean 'forecasters'"),
    ("window on a binary question", GOOD_HEAD + "  - {question: q-binary, forecaster: f1, probability: 0.5, window: 2026-02-01..2026-02-02}\n", NEXT, "only to date questions"),
]


def test_all_problems_reported_at_once(sqlite_ledger):
    path = sqlite_ledger.folder / "bad.yaml"
    path.write_text(GOOD_HEAD + "  - {question: q-binary, forecaster: f1, probability: 1.5}\n"
                    "  - {question: nope, forecaster: f1, probability: 0.5}\n", encoding="utf-8")
    result = sqlite_ledger("import", "bad.yaml", ok=False)
    assert f"bad.yaml:{NEXT}:" in result.output and f"bad.yaml:{NEXT + 1}:" in result.output
    assert sqlite_ledger.counts()["forecast"] == 0  # the valid forecast before them was not written either


CSV_CASES = [
    ("missing column", "question,forecaster,made_on\nq,f,2020-01-01\n", 1, "missing column(s) probability"),
    ("unknown column", "question,forecaster,probability,made_on,outcom\nq,f,0.5,2020-01-01,yes\n", 1, "did you mean 'outcome'"),
    ("bad probability", "question,forecaster,probability,made_on\nq,f,0.5,2020-01-01\nq,f,1.5,2020-01-02\n", 3, "outside 0–1"),
    ("bad date", "question,forecaster,probability,made_on\nq,f,0.5,2020-13-01\n", 2, "not a real date"),
    ("conflicting outcomes", "question,forecaster,probability,made_on,outcome\nq,f,0.5,2020-01-01,yes\nq,g,0.5,2020-01-01,no\n", 3, "one question has one outcome"),
    ("ragged row", "question,forecaster,probability,made_on\nq,f,0.5,2020-01-01,extra\n", 2, "cells"),
    ("yes/no for a date question", "question,forecaster,probability,made_on,kind,window_from,window_to,outcome\nq,f,0.5,2020-01-01,date,2020-02-01,2020-02-05,yes\n", 2, "not an outcome for a date question"),
]


BAD_FILES = [("bad.yaml", *case) for case in YAML_CASES] + [("bad.csv", *case) for case in CSV_CASES]


@pytest.mark.parametrize("filename,name,text,line,words", BAD_FILES, ids=[f"{c[0]}: {c[1]}" for c in BAD_FILES])
def test_bad_file(sqlite_ledger, filename, name, text, line, words):
    (sqlite_ledger.folder / filename).write_text(text, encoding="utf-8")
    before = sqlite_ledger.counts()
    result = sqlite_ledger("import", filename, ok=False)
    assert f"{filename}:{line}:" in result.output
    assert words in result.output
    assert sqlite_ledger.counts() == before


FILE_CASES = [
    ("empty file", b"", "the file is empty"),
    ("only whitespace", b"   \n\n  ", "the file is empty"),
    ("not utf-8", b"version: 1\nsources: [{id: s, title: \xff\xfe}]\n", "bad.yaml:2: byte"),
]


@pytest.mark.parametrize("name,data,words", FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_bad_files(sqlite_ledger, name, data, words):
    (sqlite_ledger.folder / "bad.yaml").write_bytes(data)
    assert words in sqlite_ledger("import", "bad.yaml", ok=False).output


def test_a_file_that_starts_with_much_blank_space_is_not_empty(sqlite_ledger):
    (sqlite_ledger.folder / "spaced.yaml").write_text("\n" * 70_000 + "forecasters:\n  - {id: f1, name: One}\n", encoding="utf-8")
    assert "added 1 forecaster" in sqlite_ledger("import", "spaced.yaml").output


def test_missing_file_and_unknown_type(sqlite_ledger):
    assert "no such file" in sqlite_ledger("import", "nope.yaml", ok=False).output
    (sqlite_ledger.folder / "x.txt").write_text("hello")
    assert "use .yaml, .yml, .json or .csv" in sqlite_ledger("import", "x.txt", ok=False).output


def test_json_errors_carry_lines(sqlite_ledger):
    (sqlite_ledger.folder / "bad.json").write_text('{\n  "version": 1,\n  "forecasters": [\n    {"id": "a", "nmae": "A"}\n  ]\n}\n')
    result = sqlite_ledger("import", "bad.json", ok=False)
    assert "bad.json:4:" in result.output and "did you mean 'name'" in result.output


@pytest.mark.parametrize("args,words", [
    (["--probability", "1.5"], "--probability: probability 1.5 is outside 0–1"),
    (["--probability", "150%"], "--probability: probability 150% is outside"),
    (["--probability", "1.0000001"], "--probability: probability 1.0000001 is outside 0–1"),
    (["--says", "perchance"], "--says: unknown hedge phrase 'perchance'"),
    (["--probability", "0.5", "--made-on", "2026-02-30"], "--made-on: '2026-02-30' is not a real date"),
    (["--probability", "0.5", "--window", "2026-02-10..2026-02-01", "--question", "congress-opening"], "--window: window 2026-02-10..2026-02-01 ends before it starts"),
    (["--probability", "0.5", "--forecaster", "nobody-known"], "--name"),
], ids=["p>1", "150%", "p just over 1", "unknown phrase", "impossible date", "reversed window", "new forecaster without name"])
def test_bad_add_options(sqlite_ledger, args, words):
    sqlite_ledger("import", "predictions.yaml")
    before = sqlite_ledger.counts()
    base = {"--question": "parallel-line", "--forecaster": "hong-min"}
    for flag, value in zip(args[::2], args[1::2]):
        base[flag] = value
    flat = [x for pair in base.items() for x in pair]
    result = sqlite_ledger("add", *flat, ok=False)
    assert words in result.output
    assert sqlite_ledger.counts() == before


@pytest.mark.parametrize("args,words", [
    (["resolve", "congress-opening", "yes"], "not an outcome for a date question"),
    (["resolve", "parallel-line", "2026-02-19"], "not an outcome for a yes/no question"),
    (["resolve", "us-stance", "war"], "not one of this question's options"),
    (["resolve", "congres-opening", "2026-02-19"], "did you mean 'congress-opening'"),
    (["resolve", "parallel-line", "yes", "--on", "2026-02-31"], "--on:"),
    (["resolve", "parallel-line", "yes", "--correct"], "no resolution to correct"),
    (["void", "9999", "--reason", "x"], "unknown forecast '9999'"),
    (["show", "nope"], "unknown question 'nope'"),
], ids=["yes for date", "date for binary", "unknown option", "unknown question", "bad --on", "correct nothing", "unknown forecast", "unknown show"])
def test_bad_resolutions(sqlite_ledger, args, words):
    sqlite_ledger("import", "predictions.yaml")
    before = sqlite_ledger.counts()
    assert words in sqlite_ledger(*args, ok=False).output
    assert sqlite_ledger.counts() == before


def test_reimport_with_changed_content_is_refused(sqlite_ledger):
    sqlite_ledger("import", "predictions.yaml")
    path = sqlite_ledger.folder / "predictions.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: Hong Min", "name: Min Hong"), encoding="utf-8")
    result = sqlite_ledger("import", "predictions.yaml", ok=False)
    assert "forecaster 'hong-min' is already in the ledger with different values" in result.output
    assert "predictions.yaml:" in result.output


@pytest.mark.parametrize("command", ["list", "report", "calibration"])
def test_command_before_init_says_what_to_run(tmp_path, make_ledger, command):
    cli = make_ledger(f"sqlite:///{tmp_path / 'empty.db'}", init=False)
    assert "run `ledger init`" in cli(command, ok=False).output
    if command != "list":  # reports open the file read-only: a mistyped path leaves nothing behind
        assert not (tmp_path / "empty.db").exists()


def test_report_on_a_file_that_is_no_database(tmp_path, make_ledger):
    (tmp_path / "notes.db").write_text("not a database\n" * 100)
    result = make_ledger(f"sqlite:///{tmp_path / 'notes.db'}", init=False)("report", ok=False)
    assert "error: cannot open the database" in result.output and "not a database" in result.output


def test_report_on_a_damaged_ledger(tmp_path, make_ledger):
    """A database that claims the current schema but lacks its tables: the driver's error, as a message."""
    import sqlite3

    from ledger.db.engine import SCHEMA_REVISION

    with sqlite3.connect(tmp_path / "damaged.db") as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.execute("INSERT INTO alembic_version VALUES (?)", (SCHEMA_REVISION,))
    result = make_ledger(f"sqlite:///{tmp_path / 'damaged.db'}", init=False)("report", ok=False)
    assert "error: reading the database failed: no such table: forecast" in result.output


@pytest.mark.parametrize("command", ["list", "report"])
def test_bad_database_url(sqlite_ledger, command):
    cli = type(sqlite_ledger)("postgresql+psycopg://user:secret@127.0.0.1:1/none", sqlite_ledger.folder, sqlite_ledger.runner)
    result = cli(command, ok=False)
    assert "secret" not in result.output
    assert "error:" in result.output


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_file_just_over_its_formats_limit_is_refused_before_it_is_read(sqlite_ledger, suffix):
    """An import holds the whole document (PyYAML: ~14 bytes of memory per byte and ~1.4 KB per line;
    a 45 MB file took 97 s and 2.8 GB): a file over its format's limit is refused, pointing to CSV,
    by its size before a byte is read."""
    from ledger.io.loaders import MAX_JSON_BYTES, MAX_YAML_WEIGHT

    limit = MAX_JSON_BYTES if suffix == ".json" else MAX_YAML_WEIGHT
    path = sqlite_ledger.folder / f"huge{suffix}"
    with path.open("wb") as handle:  # sparse: cheap to make, and it would take minutes to parse
        handle.write(b'{"version": 1, "sources": []}\n')
        handle.truncate(limit + 1)
    started = __import__("time").perf_counter()
    out = sqlite_ledger("import", path.name, ok=False).output
    assert f"over the {limit // 2**20} MB" in out and f"a {suffix[1:].upper()} ledger file may have" in out and "CSV format" in out
    assert __import__("time").perf_counter() - started < 5
    if suffix == ".json":  # at the limit: read (JSON quickly)
        path.write_bytes(b'{"version": 1, "sources": []}' + b" " * (limit - 40) + b"\n")
        assert "added nothing new" in sqlite_ledger("import", path.name).output


def test_a_yaml_file_of_many_short_lines_is_weighed_by_its_lines(sqlite_ledger):
    """Memory follows YAML's lines as much as its bytes: 300,000 lines of 20 bytes (6 MB) are over the
    limit of 32 MB counting 100 bytes a line, refused before they are parsed."""
    path = sqlite_ledger.folder / "lines.yaml"
    path.write_bytes(b"version: 1\nsources:\n" + b"# a comment line..\n" * 300_000)
    out = sqlite_ledger("import", path.name, ok=False).output
    assert ("the file is 5.4 MB in 300,003 lines, over the 32 MB, counting 100 bytes for each line and 60 more for each list entry, "
            "a YAML ledger file may have") in out, out
    path.write_bytes(b"version: 1\nsources:\n" + b"# a comment line..\n" * 200_000)
    assert "added nothing new" in sqlite_ledger("import", path.name).output


def test_json_syntax_error_names_the_line(sqlite_ledger):
    (sqlite_ledger.folder / "bad.json").write_text('{\n  "version": 1,\n  "sources": [\n    {"id": "s", "title": "x",}\n  ]\n', encoding="utf-8")
    assert "bad.json:" in sqlite_ledger("import", "bad.json", ok=False).output


def test_resolving_an_annulled_question_is_refused(sqlite_ledger):
    sqlite_ledger("import", "predictions.yaml")
    sqlite_ledger("resolve", "ai-weapons", "annulled", "--note", "the congress report was never published")
    refused = sqlite_ledger("resolve", "ai-weapons", "yes", ok=False).output
    assert "already resolved as 'annulled'" in refused and "--correct" in refused


def test_formula_cells_are_never_exported_live(sqlite_ledger):
    path = sqlite_ledger.folder / "formula.csv"
    path.write_text("question,forecaster,probability,made_on,question_text,quote\n"
                    "q1,f1,0.5,2026-01-01,\"=cmd|' /C calc'!A0\",\"@SUM(1+1)\"\n", encoding="utf-8")
    sqlite_ledger("import", "formula.csv")
    exported = sqlite_ledger("export", "--format", "csv").stdout
    assert "'=cmd|' /C calc'!A0" in exported and "'@SUM(1+1)" in exported
    assert ",=cmd" not in exported and ",@SUM" not in exported
    listed = sqlite_ledger("list", "--format", "csv").stdout
    assert ",=" not in listed and ",@" not in listed
    again = sqlite_ledger.folder / "again.csv"
    again.write_text(exported, encoding="utf-8")
    assert "added nothing new" in sqlite_ledger("import", "again.csv").output  # the apostrophe comes off on the way in


@pytest.mark.parametrize("header", ["question,forecaster,probability,made_on,probability", "question,forecaster,question,probability,made_on"])
def test_a_csv_column_given_twice_is_refused(sqlite_ledger, header):
    """csv rows read by header name would keep the last of two same-named cells silently (0.1 stored
    for a row that also says 0.9)."""
    column = next(c for c in header.split(",") if header.split(",").count(c) > 1)
    (sqlite_ledger.folder / "dup.csv").write_text(header + "\nqz,a,0.9,2026-01-01,0.1\n", encoding="utf-8")
    before = sqlite_ledger.counts()
    out = sqlite_ledger("import", "dup.csv", ok=False).output
    assert f"error: dup.csv:1: column '{column}' appears twice" in out, out
    assert sqlite_ledger.counts() == before


@pytest.mark.parametrize("rows,bad", [(2, 3), (5_000, 4_001), (60_000, 59_990)])
def test_a_csv_byte_that_is_not_utf8_is_named_at_its_line(sqlite_ledger, rows, bad):
    """The text stream decodes thousands of lines at once: the line is found in the bytes, not where
    the reader stood (line 1 for a short file, 3801 for line 4001 of a 5,001-line one)."""
    lines = [b"question,forecaster,probability,made_on"] + [b"q%d,a,0.5,2026-01-01" % i for i in range(1, rows + 1)]
    lines[bad - 1] = b"q\xff,a,0.5,2026-01-01"
    (sqlite_ledger.folder / "latin.csv").write_bytes(b"\r\n".join(lines) + b"\r\n")
    out = sqlite_ledger("import", "latin.csv", ok=False).output
    assert f"latin.csv:{bad}: not UTF-8" in out, out


def test_two_identical_csv_rows_without_an_id_are_refused(sqlite_ledger):
    """As docs/formats.md says: the same forecast given twice is refused, naming the repeat and its first line."""
    row = "qz,a,0.9,2026-01-01\n"
    (sqlite_ledger.folder / "twice.csv").write_text("question,forecaster,probability,made_on\n" + row + row, encoding="utf-8")
    before = sqlite_ledger.counts()
    out = sqlite_ledger("import", "twice.csv", ok=False).output
    assert "twice.csv:3: forecast" in out and "appears twice (first on line 2); give each forecast its own id to keep both" in out, out
    assert sqlite_ledger.counts() == before


def _peak(sqlite_ledger, *args) -> tuple[dict, str]:
    """A ledger command's peak memory (MB) and output, measured by benchmarks/measure.py (a small
    launcher, so the figure is the command's own, not the test process's)."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    launcher = Path(__file__).parent.parent / "benchmarks" / "measure.py"
    done = subprocess.run([sys.executable, str(launcher), sys.executable, "-m", "ledger", "--db", sqlite_ledger.url, *args],
                          cwd=sqlite_ledger.folder, capture_output=True, text=True, timeout=600)
    figures = json.loads(done.stdout)
    return figures, figures["stderr"]


def test_a_json_file_of_many_small_values_is_refused_before_it_is_parsed(sqlite_ledger):
    """Memory follows a JSON file's values more than its bytes: a 14 MB list of 7 million zeros took
    3.9 GB and 39 s. Its commas and brackets are counted before it is parsed; commas inside a string
    are no values (counted again outside the strings when the first count is over)."""
    from ledger.io.loaders import MAX_JSON_VALUES

    path = sqlite_ledger.folder / "zeros.json"
    path.write_text('{"forecasts": [' + ",".join(["0"] * MAX_JSON_VALUES) + "]}", encoding="utf-8")
    started = __import__("time").perf_counter()
    out = sqlite_ledger("import", path.name, ok=False).output
    assert f"zeros.json: the file holds {MAX_JSON_VALUES + 1:,} values, over the {MAX_JSON_VALUES:,} (and 16 MB) a JSON ledger file may have" in out, out
    assert "CSV format" in out and __import__("time").perf_counter() - started < 5
    path.write_text('{"sources": [{"id": "s", "title": "s", "note": "' + "a," * MAX_JSON_VALUES + '"}]}', encoding="utf-8")
    assert "added 1 source" in sqlite_ledger("import", path.name).output


def test_a_file_of_countless_bad_entries_stops_at_a_thousand_problems(sqlite_ledger):
    """300,000 entries with an unknown field each took 755 MB and 33 s, a message held for each: reading
    stops at the thousandth problem, and says so first."""
    from ledger.io.loaders import MAX_JSON_VALUES, MAX_PROBLEMS

    (sqlite_ledger.folder / "keyed.json").write_text('{"forecasts": [' + ",".join(['{"a":0}'] * (MAX_JSON_VALUES // 2 - 10)) + "]}", encoding="utf-8")
    figures, tail = _peak(sqlite_ledger, "import", "keyed.json", "--dry-run")
    assert figures["rss_mb"] < 500 and tail.endswith(f"and {MAX_PROBLEMS - 99} more problems; nothing was written\n"), figures
    out = sqlite_ledger("import", "keyed.json", ok=False).output
    lines = out.splitlines()
    assert lines[0] == f"error: keyed.json: {MAX_PROBLEMS:,} problems found, and reading stopped there; correct these and import again", out
    assert lines[1].startswith("error: keyed.json:1: unknown field 'a' in a forecast") and f"and {MAX_PROBLEMS - 99} more problems" in out, out


def test_a_yaml_file_of_many_list_entries_is_weighed_by_them(sqlite_ledger):
    """Each entry of a block list is a record of its own, a line more costly than others: 255,000
    lines of `- a: 0` (1.8 MB) took 785 MB. They count 60 bytes more each, before parsing."""
    path = sqlite_ledger.folder / "entries.yaml"
    path.write_text("forecasts:\n" + "- a: 0\n" * 255_000, encoding="utf-8")
    started = __import__("time").perf_counter()
    out = sqlite_ledger("import", path.name, ok=False).output
    assert "entries.yaml: the file is 1.7 MB in 255,002 lines and 255,000 list entries, over the 32 MB" in out, out
    assert __import__("time").perf_counter() - started < 10
    path.write_text("version: 1\nsources:\n" + "# - a comment line\n" * 150_000 + "- {id: s, title: S}\n", encoding="utf-8")
    assert "added 1 source" in sqlite_ledger("import", path.name).output  # a comment is no entry


def test_a_yaml_flow_list_on_one_line_is_weighed_by_its_items(sqlite_ledger):
    """100 bytes a line leaves out a flow list: one line of a million zeros (2 MB) took 920 MB and
    44 s. Its items are counted by libyaml's scanner before it is parsed, at 150 bytes each; the
    commas of a text in a literal block or in quotes are no items."""
    path = sqlite_ledger.folder / "flow.yaml"
    path.write_text("forecasts: [" + ",".join(["0"] * 1_000_000) + "]\n", encoding="utf-8")
    started = __import__("time").perf_counter()
    out = sqlite_ledger("import", path.name, ok=False).output
    assert "flow.yaml: the file is 1.9 MB in 2 lines and more than " in out and "items of flow lists ([a, b], {a: 1}) at 150 bytes each, over the 32 MB" in out, out
    assert "CSV format" in out and __import__("time").perf_counter() - started < 10
    path.write_text("sources:\n- id: s\n  title: s\n  note: |\n    " + "a, " * 1_000_000 + "\n- {id: t, title: 'a, b, c, " + "d, " * 500_000 + "'}\n",
                    encoding="utf-8")
    assert "added 2 sources" in sqlite_ledger("import", path.name).output


def test_a_csv_of_countless_bad_rows_stops_at_a_thousand_problems(sqlite_ledger):
    """A CSV has no size limit, and a message a row held 804 MB for a million bad rows: reading stops
    after the chunk that brings the thousandth problem, and says so first."""
    from ledger.io.loaders import MAX_PROBLEMS

    (sqlite_ledger.folder / "bad.csv").write_text("question,forecaster,probability,made_on\n" + "q,f,high,2026-01-01\n" * 1_200, encoding="utf-8")
    before = sqlite_ledger.counts()
    lines = sqlite_ledger("import", "bad.csv", ok=False).output.splitlines()
    assert lines[0] == f"error: bad.csv: {MAX_PROBLEMS:,} problems found, and reading stopped there; correct these and import again", lines[:3]
    assert lines[1].startswith("error: bad.csv:2: 'high' is not a probability") and lines[-1].startswith(f"error: … and {MAX_PROBLEMS - 99} more problems")
    assert sqlite_ledger.counts() == before


def test_a_csv_outcome_dated_before_a_forecast_many_chunks_earlier_is_refused(sqlite_ledger, monkeypatch):
    """Each question's latest made_on is one day carried from chunk to chunk: the forecast on the
    first line still counts against the outcome on the last."""
    from ledger.io import csv_long

    monkeypatch.setattr(csv_long, "_PLAIN_BLOCK", 200)  # a few rows a chunk: about 60 chunks
    rows = [f"q{i % 7},f{i},0.5,2026-01-{i % 28 + 1:02d},," for i in range(1, 400)]
    (sqlite_ledger.folder / "late.csv").write_text("question,forecaster,probability,made_on,outcome,resolved_on\n"
                                                  + "\n".join(["q0,f0,0.5,2026-03-01,,", *rows, "q0,f400,0.5,2026-01-02,yes,2026-02-01"]) + "\n",
                                                  encoding="utf-8")
    before = sqlite_ledger.counts()
    out = sqlite_ledger("import", "late.csv", ok=False).output
    assert "late.csv:402: the outcome of question 'q0' is dated 2026-02-01, before a forecast on it made on 2026-03-01" in out, out
    assert sqlite_ledger.counts() == before


WINDOW_HEAD = "question,forecaster,probability,made_on,kind,window_from,window_to\n"


def test_csv_windows_stored_as_given_or_converted(sqlite_ledger):
    """Windows already in stored form pass in one check of the columns; the others (a compact ISO
    date here) are converted one by one, and both end up as the same ISO text. Rows with no window,
    before and between them, keep none."""
    rows = ["q0,f,0.5,2020-01-01,binary,,", "q0,g,0.5,2020-01-01,binary,,",
            "q1,f,0.5,2020-01-01,date,2020-02-01,2020-02-05", "q1,g,0.5,2020-01-01,date,20200201,2020-02-09",
            "q3,f,0.5,2020-01-01,binary,,",
            "q2,f,0.5,2020-01-01,date,2199-12-30,2199-12-31", "q2,g,0.5,2020-01-01,date,2024-02-29,2024-02-29"]
    (sqlite_ledger.folder / "w.csv").write_text(WINDOW_HEAD + "\n".join(rows) + "\n", encoding="utf-8")
    sqlite_ledger("import", "w.csv")
    engine = sa.create_engine(sqlite_ledger.url)
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT window_from, window_to FROM forecast ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in stored] == [(None, None), (None, None), ("2020-02-01", "2020-02-05"), ("2020-02-01", "2020-02-09"),
                                         (None, None), ("2199-12-30", "2199-12-31"), ("2024-02-29", "2024-02-29")]


def test_csv_windows_that_are_wrong_are_each_named_with_their_line(sqlite_ledger):
    rows = ["q1,f,0.5,2020-01-01,date,2020-02-01,2020-02-05",  # line 2: right
            "q1,g,0.5,2020-01-01,date,2020-02-30,2020-03-05",  # 3: not on the calendar
            "q1,h,0.5,2020-01-01,date,2020-02-09,2020-02-01",  # 4: ends before it starts
            "q1,i,0.5,2020-01-01,date,2200-01-01,2200-01-05",  # 5: outside the years
            "q1,j,0.5,2020-01-01,date,2023-02-29,2023-03-01",  # 6: no 29 February that year
            "q1,k,0.5,2020-01-01,date,2020-02-01,2020-02-05"]  # 7: right
    (sqlite_ledger.folder / "w.csv").write_text(WINDOW_HEAD + "\n".join(rows) + "\n", encoding="utf-8")
    output = sqlite_ledger("import", "w.csv", ok=False).output
    for line, words in [(3, "not a real date"), (4, "ends before it starts"), (5, "outside the years"), (6, "not a real date")]:
        assert f"w.csv:{line}: window_from/window_to: " in output and words in output.split(f"w.csv:{line}:")[1].split("\n")[0]
    assert "w.csv:2:" not in output and "w.csv:7:" not in output
    assert sqlite_ledger.count("forecast") == 0
