"""Issue 17, the files a ledger reads and writes and the ids it accepts: a quote is checked against
the source's stored text from any folder; source texts are read only from regular files, under a
size limit, inside the folder allowed; an output never replaces the ledger or leaves an empty file;
ids that `add` accepts read back; an export imports again, losslessly, from anywhere."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import json
import os
import sqlite3
import threading

import pytest
import sqlalchemy as sa

from conftest import ROOT
from ledger import InvalidInput, Ledger
from ledger.db.checks import MAX_SOURCE_TEXT_BYTES
from ledger.io.loaders import escape_cell, unescape_cell

SOURCE_HEAD = """version: 1
sources:
  - {{id: s1, title: A source, published_on: 2026-02-02, text_path: {path}}}
forecasters:
  - {{id: f1, name: Forecaster One}}
questions:
  - {{id: q1, text: "Will it happen?"}}
forecasts:
  - {{question: q1, forecaster: f1, source: s1, quote: "{quote}", probability: 0.6}}
"""


def _file(folder, name: str, path: str, quote: str = "the congress could open") -> str:
    (folder / name).write_text(SOURCE_HEAD.format(path=path, quote=quote), encoding="utf-8")
    return name


def _elsewhere(cli, tmp_path, name: str = "elsewhere"):
    """The same CLI, run from another folder (which holds none of the seed files)."""
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    return type(cli)(cli.url, folder, cli.runner)


# --- 1. the verbatim-quote check, from any folder ---------------------------------------------------

def test_a_made_up_quote_is_refused_from_any_folder(seeded, tmp_path):
    """The text is read once, at import, and kept in the database: run from a folder without the
    seed files (or through the API with no root), a quote not in the text is still refused."""
    away = _elsewhere(seeded, tmp_path)
    made_up = ("add", "--question", "congress-opening", "--forecaster", "experts", "--source", "seed-001", "--window",
               "2026-02-06..2026-02-10", "-p", "0.4", "--quote", "North Korea will invade the moon")
    assert "quote not found in the stored text of source 'seed-001'" in away(*made_up, ok=False).output
    with Ledger(seeded.url) as lg, pytest.raises(InvalidInput) as refused:
        lg.add("congress-opening", "experts", probability=0.5, source="seed-001", window=(dt.date(2026, 2, 6), dt.date(2026, 2, 10)),
               quote="North Korea will invade the moon")
    assert refused.value.fields == ["quote"]
    real = "experts estimate the congress could open between Friday and Feb. 10"
    assert "recorded forecast" in away(*made_up[:-1], real).output
    engine = sa.create_engine(seeded.url)
    with engine.connect() as conn:
        texts = dict(conn.execute(sa.text("SELECT id, text FROM source")).all())
    engine.dispose()
    assert "Based on past precedents, experts estimate" in texts["seed-001"]


def test_a_source_text_that_cannot_be_read_is_refused_not_skipped(ledger, tmp_path):
    name = _file(ledger.folder, "missing.yaml", "docs/sources/no-such-file.txt")
    assert "cannot read the source text 'docs/sources/no-such-file.txt'" in ledger("import", name, ok=False).output
    assert ledger.counts()["source"] == 0
    # a source recorded before revision 0005 has no stored text: read from the root, refused when it is not there
    ledger("import", "predictions.yaml")
    engine = sa.create_engine(ledger.url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE source SET text = NULL"))
    engine.dispose()
    away = _elsewhere(ledger, tmp_path)
    quoted = ("add", "--question", "parallel-line", "--forecaster", "experts", "--source", "seed-000", "-p", "0.3",
              "--quote", "North Korea is expected to")
    refused = away(*quoted, ok=False).output
    assert "the quote cannot be checked: the text of source 'seed-000' is not stored in the ledger" in refused


@pytest.mark.parametrize("quote", [".", "a", "it", "a b c", "—"])
def test_a_quote_must_be_a_span_of_words(sqlite_ledger, quote):
    """One letter or a full stop is in any text: a quote holds at least one word of three letters or digits."""
    name = _file(sqlite_ledger.folder, "short.yaml", "docs/sources/001_e02439be91a7ab0b.txt", quote)
    assert "is not a span of the forecaster's words" in sqlite_ledger("import", name, ok=False).output
    (sqlite_ledger.folder / "short.csv").write_text(f"question,forecaster,probability,made_on,quote\nq1,f1,0.5,2026-01-01,{quote}\n",
                                                   encoding="utf-8")
    assert "short.csv:2: the quote" in sqlite_ledger("import", "short.csv", ok=False).output
    added = sqlite_ledger("add", "--question", "q1", "--question-text", "Q?", "--forecaster", "f1", "--name", "F", "-p", "0.5",
                          "--quote", quote, ok=False).output
    assert "error: --quote: the quote" in added
    assert sqlite_ledger.counts()["forecast"] == 0


def test_a_quote_of_one_real_word_is_accepted(sqlite_ledger):
    name = _file(sqlite_ledger.folder, "word.yaml", "docs/sources/001_e02439be91a7ab0b.txt", "expected")
    assert "added" in sqlite_ledger("import", name).output


# --- 2. where source texts may come from ------------------------------------------------------------

@pytest.mark.parametrize("path", ["/etc/passwd", "../outside.txt", "docs/../../outside.txt"])
def test_a_source_text_outside_the_files_folder_is_refused(sqlite_ledger, path):
    """Otherwise a file could make the ledger read any file, and tell by the quote check what is in it."""
    (sqlite_ledger.folder.parent / "outside.txt").write_text("the congress could open\n", encoding="utf-8")
    name = _file(sqlite_ledger.folder, "outside.yaml", path)
    refused = sqlite_ledger("import", name, ok=False).output
    assert f"the source text {path!r} is outside" in refused and "texts_from" in refused
    assert sqlite_ledger.counts()["source"] == 0


def test_a_symlink_out_of_the_folder_is_refused(sqlite_ledger):
    (sqlite_ledger.folder.parent / "secret.txt").write_text("the congress could open\n", encoding="utf-8")
    (sqlite_ledger.folder / "link.txt").symlink_to(sqlite_ledger.folder.parent / "secret.txt")
    name = _file(sqlite_ledger.folder, "link.yaml", "link.txt")
    assert "is outside" in sqlite_ledger("import", name, ok=False).output


def test_texts_from_allows_another_folder(ledger, tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text("Experts say the congress could open soon.\n", encoding="utf-8")
    name = _file(ledger.folder, "drafts.yaml", str(articles / "a.txt"))
    assert "is outside" in ledger("import", name, ok=False).output
    assert "added 1 source" in ledger("init", "--file", name, "--texts-from", str(articles)).output
    assert "error: --texts-from: " in ledger("import", name, "--texts-from", str(articles / "absent"), ok=False).output
    relative = ledger.folder / _file(ledger.folder, "relative.yaml", "../articles/a.txt", "congress could open soon")
    relative.write_text(relative.read_text(encoding="utf-8").replace(" s1", " s2"), encoding="utf-8")
    with Ledger(ledger.url) as lg:
        with pytest.raises(InvalidInput, match="is outside"):
            lg.import_file(relative)
        assert lg.import_file(relative, texts_from=articles).added["sources"] == 1
        with pytest.raises(InvalidInput) as refused:
            lg.import_file(ledger.folder / relative, texts_from=articles / "absent")
    assert refused.value.fields == ["texts_from"]


def test_a_fifo_as_source_text_is_refused_without_hanging(sqlite_ledger):
    os.mkfifo(sqlite_ledger.folder / "pipe.txt")
    name = _file(sqlite_ledger.folder, "fifo.yaml", "pipe.txt")
    outcome: dict = {}
    worker = threading.Thread(target=lambda: outcome.setdefault("result", sqlite_ledger("import", name, ok=None)), daemon=True)
    worker.start()
    worker.join(30)
    assert not worker.is_alive(), "importing a file whose text_path is a FIFO hung"
    assert outcome["result"].exit_code == 1 and "it is a pipe, not a regular file" in outcome["result"].output


def test_a_device_or_an_oversized_text_is_refused(sqlite_ledger):
    """/dev/zero would never end; a text over the limit is refused by its size, unread."""
    name = _file(sqlite_ledger.folder, "zero.yaml", "/dev/zero")
    assert "not a regular file" in sqlite_ledger("import", name, "--texts-from", "/dev", ok=False).output
    with open(sqlite_ledger.folder / "huge.txt", "wb") as handle:
        handle.truncate(MAX_SOURCE_TEXT_BYTES + 1)  # sparse: costs no disk
    name = _file(sqlite_ledger.folder, "huge.yaml", "huge.txt")
    assert "it is over the limit of 10 MB" in sqlite_ledger("import", name, ok=False).output


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_a_text_at_the_limit_exports_inline_and_imports_again(sqlite_ledger, tmp_path, fmt):
    """The formats' own limits leave room for the longest source text, so an export that carries one
    imports again: a YAML export writes it as a literal block, line for line."""
    paragraph = " ".join(["The analysts said the congress could open in February, or later in the spring."] * 8) + "\n\n"
    (sqlite_ledger.folder / "long.txt").write_text(paragraph * (MAX_SOURCE_TEXT_BYTES // len(paragraph) - 1), encoding="utf-8")
    sqlite_ledger("import", _file(sqlite_ledger.folder, "long.yaml", "long.txt"))
    there = _elsewhere(sqlite_ledger, tmp_path)
    there("export", "-o", f"all.{fmt}", "--format", fmt)
    exported = (there.folder / f"all.{fmt}").read_bytes()
    assert len(exported) > MAX_SOURCE_TEXT_BYTES * 0.95 and (fmt == "json" or exported.count(b"\n") < 40_000)
    other = type(there)(f"sqlite:///{tmp_path / 'other.db'}", there.folder, there.runner)
    other("db", "upgrade")
    assert "added 1 source" in other("import", f"all.{fmt}").output
    other("export", "-o", f"again.{fmt}", "--format", fmt)
    assert (there.folder / f"again.{fmt}").read_bytes() == exported


def test_a_fifo_or_a_device_as_the_imported_file_is_refused(sqlite_ledger, tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    outcome: dict = {}
    worker = threading.Thread(target=lambda: outcome.setdefault("result", sqlite_ledger("import", str(tmp_path / "pipe.yaml"), ok=None)),
                              daemon=True)
    worker.start()
    worker.join(30)
    assert not worker.is_alive(), "importing a FIFO hung"
    assert outcome["result"].exit_code == 1 and "not a regular file" in outcome["result"].output
    os.symlink("/dev/zero", tmp_path / "zero.yaml")
    assert "not a regular file" in sqlite_ledger("import", str(tmp_path / "zero.yaml"), ok=False).output
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    assert "not a regular file" in sqlite_ledger("extract", str(tmp_path / "zero.txt"), ok=False).output


# --- 3. outputs never replace the ledger; exports read back from anywhere ---------------------------

@pytest.mark.parametrize("command", [["export", "-o"], ["report", "--format", "json", "-o"], ["report", "--format", "html", "-o"],
                                     ["calibration", "--plot"], ["extract", "docs/sources/000_d37a896191be213a.txt", "-o"]])
def test_no_output_replaces_the_ledgers_own_database(sqlite_ledger, command):
    sqlite_ledger("import", "predictions.yaml")
    database = sqlite_ledger.url.removeprefix("sqlite:///")
    before = sqlite_ledger.counts()
    os.symlink(database, sqlite_ledger.folder / "link.db")
    flag = "--plot" if command[-1] == "--plot" else "--output"
    for target in (database, "link.db", database + "-wal"):
        if target.endswith("-wal") and not os.path.exists(target):
            continue
        refused = sqlite_ledger(*command, target, ok=False).output
        assert f"error: {flag}: " in refused and "is the ledger's own database file" in refused
    assert sqlite_ledger.counts() == before
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def _history(cli) -> None:
    """Resolutions, a correction, an annulment and a void on the seed ledger."""
    cli("resolve", "congress-opening", "2026-02-20")
    cli("resolve", "congress-opening", "2026-02-19", "--correct", "--note", "KCNA corrected the date")
    cli("resolve", "two-states-constitution", "annulled")
    cli("resolve", "parallel-line", "yes", "--evidence", "https://example.org/report", "--quote", "nuclear and conventional forces")
    cli("void", "22", "--reason", "no new US signal", "--on", "2026-03-01")


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_an_export_imports_again_losslessly_from_any_folder(seeded, make_ledger, second_db_url, tmp_path, fmt):
    """Export into another folder, import from a third one on a new database: the same export and
    the same report, texts and all (the export carries each source's text)."""
    _history(seeded)
    out = tmp_path / "exports" / "deep"
    out.mkdir(parents=True)
    seeded("export", "--format", fmt, "-o", str(out / f"ledger.{fmt}"))
    before, report = seeded("export", "--format", fmt).stdout, seeded("report", "--format", "json").stdout
    (tmp_path / "other").mkdir(exist_ok=True)
    (tmp_path / "third").mkdir()  # empty: none of the seed's texts are here
    copy = make_ledger(second_db_url, folder=tmp_path / "third")
    copy("import", str(out / f"ledger.{fmt}"))
    assert copy("export", "--format", fmt).stdout == before
    assert copy("report", "--format", "json").stdout == report
    made_up = ("add", "--question", "parallel-line", "--forecaster", "experts", "--source", "seed-000", "-p", "0.3", "--quote",
               "North Korea will invade the moon")
    assert "quote not found" in _elsewhere(copy, tmp_path, "fourth")(*made_up, ok=False).output
    assert "added nothing new" in copy("import", str(out / f"ledger.{fmt}")).output


def test_the_export_carries_each_sources_text(seeded):
    sources = json.loads(seeded("export", "--format", "json").stdout)["sources"]
    assert {s["text_path"] for s in sources} == {"docs/sources/001_e02439be91a7ab0b.txt", "docs/sources/000_d37a896191be213a.txt"}
    assert all(s["text"] == (ROOT / s["text_path"]).read_text(encoding="utf-8") for s in sources)


# --- ids: what add accepts, import reads back ------------------------------------------------------

@pytest.mark.parametrize("bad", ["", "   ", "two\nlines", "tab\there", "esc\x1b[31mred", "line\u2028break", "nul\x00"])
@pytest.mark.parametrize("field", ["question", "forecaster", "source"])
def test_add_refuses_an_id_no_file_could_name(db_url, bad, field):
    ids = {"question": "q1", "forecaster": "f1", "source": None, field: bad}
    with Ledger(db_url) as lg, pytest.raises(InvalidInput) as refused:
        lg.add(ids["question"], ids["forecaster"], source=ids["source"], probability=0.5, question_text="Q?", name="F", title="T")
    assert refused.value.fields == [field]
    with Ledger(db_url) as lg:
        assert lg.forecast_rows() == []


def test_surrounding_spaces_are_dropped_from_ids_as_an_import_does(db_url):
    with Ledger(db_url) as lg:
        lg.add("  q1 ", " f1", probability=0.5, question_text="Q?", name="F")
        assert [(r["question"], r["forecaster"]) for r in lg.forecast_rows()] == [("q1", "f1")]


@pytest.mark.parametrize("bad", ["tab\there", "esc\x1b[31m", ""])
def test_files_refuse_the_same_ids(sqlite_ledger, bad):
    (sqlite_ledger.folder / "ids.csv").write_text(f"question,forecaster,probability,made_on\nq1,\"{bad}\",0.5,2026-01-01\n", encoding="utf-8")
    assert "ids.csv:2:" in sqlite_ledger("import", "ids.csv", ok=False).output
    (sqlite_ledger.folder / "ids.json").write_text(json.dumps({"forecasters": [{"id": bad, "name": "F"}],
                                                               "questions": [{"id": "q1", "text": "Q?", "tags": [f"t{bad}x"]}]}),
                                                   encoding="utf-8")
    assert "ids.json:1:" in sqlite_ledger("import", "ids.json", ok=False).output
    assert sqlite_ledger.counts()["forecaster"] == 0


def test_the_aggregate_forecaster_id_follows_the_rule(seeded):
    assert "error: --as:" in seeded("aggregate", "--as", "crowd\x1b[2J", ok=False).output


@pytest.mark.parametrize(("table", "column", "values"), [
    ("forecaster", "id", "('', 'F', 'person')"), ("forecaster", "id", "(' f1', 'F', 'person')"),
    ("forecaster", "id", "('a' || char(10) || 'b', 'F', 'person')"), ("question_tag", "tag", "('congress-opening', '')"),
])
def test_the_database_refuses_ids_that_no_file_could_name(seeded, table, column, values):
    if seeded.url.startswith("postgresql"):
        values = values.replace("char(10)", "chr(10)")
    engine = sa.create_engine(seeded.url)
    try:
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            names = "(id, name, kind)" if table == "forecaster" else "(question_id, tag)"
            conn.execute(sa.text(f"INSERT INTO {table} {names} VALUES {values}"))
    finally:
        engine.dispose()


# --- 4. outputs in missing folders or on a full disk ----------------------------------------------

@pytest.mark.parametrize(("command", "flag"), [(["export", "-o"], "--output"), (["report", "--format", "csv", "-o"], "--output"),
                                               (["extract", "docs/sources/000_d37a896191be213a.txt", "-o"], "--output"),
                                               (["calibration", "--plot"], "--plot")])
def test_an_output_in_a_missing_folder_or_on_a_full_disk_is_a_clean_error(sqlite_ledger, monkeypatch, command, flag):
    import ledger.io.files as files

    sqlite_ledger("import", "predictions.yaml")
    missing = sqlite_ledger(*command, "no/such/folder/out.x", ok=False).output
    assert f"error: {flag}: " in missing and "no such folder" in missing
    assert not (sqlite_ledger.folder / "no").exists()

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    target = sqlite_ledger.folder / "out.x"
    failed = sqlite_ledger(*command, str(target), ok=False).output
    assert f"error: {flag}: cannot write" in failed and "No space left on device" in failed and "free some space" in failed
    assert sorted(p.name for p in sqlite_ledger.folder.iterdir() if p.name.startswith((".out", "out"))) == []


def test_an_output_onto_dev_full_is_a_clean_error(sqlite_ledger, tmp_path):
    """Through a symlink, so that a writer that replaced its target would replace the link, not the device."""
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    (tmp_path / "full").symlink_to("/dev/full")
    failed = sqlite_ledger("export", "-o", str(tmp_path / "full"), ok=False).output
    assert f"error: --output: cannot write {tmp_path / 'full'} (No space left on device)" in failed
    assert (tmp_path / "full").is_symlink()  # written into, never replaced


# --- 5. CSV: numbers stay numbers ------------------------------------------------------------------

def test_csv_numbers_are_not_formula_escaped(seeded):
    _history(seeded)
    seeded("resolve", "ai-weapons", "no")
    seeded("resolve", "politburo-sets-dates", "no")
    rows = list(csv.DictReader(io.StringIO(seeded("report", "--format", "csv", "--min-n", "1").stdout)))
    cells = [cell for row in rows for cell in row.values() if cell]
    assert not [c for c in cells if c.startswith("'")]
    assert any(c.startswith("-") and float(c) < 0 for c in cells)


@pytest.mark.parametrize(("text", "written"), [
    ('-0.28', '-0.28'), ('+5', '+5'), ('1e-05', '1e-05'), ('-1e-05', '-1e-05'),
    ('plain', 'plain'), ("'plain", "'plain"), ("'", "'"), ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ('@SUM(1)', "'@SUM(1)"), ('-1+2', "'-1+2"), ('+A1', "'+A1"), ('-', "'-"),
    ('\tx', "'\tx"), ("'=x", "''=x"), ("'-0.28", "''-0.28"), ("''", "'''"),
])
def test_csv_escaping_reads_back_exactly(text, written):
    """Numbers as they are, formulas behind an apostrophe, and an apostrophe that reading back would
    take off doubled."""
    assert escape_cell(text) == written and unescape_cell(written) == text


def test_standard_output_on_a_full_disk_is_a_clean_error(seeded):
    """`ledger export > /dev/full`: one line saying so, exit 1, no traceback."""
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "ledger", "--db", seeded.url, "export"], stdout=full, stderr=subprocess.PIPE,
                              text=True, cwd=seeded.folder, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: cannot write the output: No space left on device")


@pytest.mark.parametrize("args", [["list"], ["export"], ["--help"], ["show", "congress-opening"]])
def test_a_closed_standard_output_is_a_clean_error(seeded, args):
    """`ledger list >&-`: Python starts with no sys.stdout at all; the command is refused in one line."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "ledger", "--db", seeded.url, *args], stderr=subprocess.PIPE, text=True,
                          cwd=seeded.folder, timeout=120, pass_fds=(), preexec_fn=lambda: os.close(1))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr == "error: standard output is closed; send it somewhere (> FILE, or > /dev/null to drop it)\n"
