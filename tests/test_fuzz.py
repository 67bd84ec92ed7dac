"""Fuzzing the loaders and the command line: every input ends in a clean ledger error or a valid
import (here a dry run), never in an unhandled exception. 2,300 examples in all."""

from __future__ import annotations

import io
import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import PREDICTIONS, ROOT
from ledger.cli import app
from ledger.db import migrate
from ledger.db.checks import TextFolders
from ledger.db.engine import make_engine
from ledger.db.session import run_write
from ledger.db.store import apply_batches
from ledger.errors import LedgerError
from ledger.io.csv_long import csv_batches
from ledger.io.loaders import CSV_COLUMNS, batch_from_document, parse_document


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def seeded_url(tmp_path_factory):
    """One seeded SQLite ledger for all examples: they only ever dry-run against it."""
    folder = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{folder / 'ledger.db'}"
    migrate.upgrade(url)
    document = batch_from_document(parse_document(PREDICTIONS.read_text(encoding="utf-8"), "predictions.yaml"), "predictions.yaml")
    engine = make_engine(url, write=True)
    run_write(engine, lambda session: apply_batches(session, [document], TextFolders(ROOT, (), ROOT)))
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def seeded(seeded_url):
    """A write engine on the seeded ledger, for dry runs."""
    engine = make_engine(seeded_url, write=True)
    yield engine
    engine.dispose()


def _dry_run(engine, batches) -> None:
    try:
        run_write(engine, lambda session: apply_batches(session, batches, TextFolders(ROOT, (), ROOT)), dry_run=True)
    except LedgerError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 3000), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20), st.sampled_from(["2026-02-19", "2026-02-30", "2026-02-06..2026-02-10", "2026-02-10..2026-02-06",
                                           "likely", "not expected to", "perchance", "70%", "150%", "0.7", "-1", "yes",
                                           "congress-opening", "experts", "seed-001", "binary", "date", "categorical"]),
)
field_names = st.sampled_from(["id", "title", "name", "text", "kind", "question", "forecaster", "source", "made_on", "quote",
                               "probability", "phrase", "window", "option", "options", "tags", "resolve_by", "outcome", "on",
                               "correction", "scale", "published_on", "text_path", "voided", "condition", "bogus"])
records = st.dictionaries(field_names, st.one_of(scalars, st.lists(scalars, max_size=3)), max_size=8)
documents = st.fixed_dictionaries({}, optional={
    "version": scalars, "scale": scalars,
    "sources": st.lists(records, max_size=3), "forecasters": st.lists(records, max_size=3),
    "questions": st.lists(records, max_size=3), "forecasts": st.lists(records, max_size=4),
    "resolutions": st.lists(records, max_size=3),
})


@fuzz(1200)
@given(documents)
def test_yaml_documents(seeded, document):
    text = yaml.safe_dump(document, allow_unicode=True)
    try:
        batch = batch_from_document(parse_document(text, "fuzz.yaml"), "fuzz.yaml")
    except LedgerError:
        return
    _dry_run(seeded, [batch])


@fuzz(400)
@given(st.text(alphabet=string.printable + "“”’—&*!|>{}[]:#-", max_size=300))
def test_raw_text_as_yaml(seeded, text):
    try:
        batch = batch_from_document(parse_document(text, "raw.yaml"), "raw.yaml")
    except LedgerError:
        return
    _dry_run(seeded, [batch])


csv_cells = st.one_of(st.text(alphabet=string.printable.replace("\r", ""), max_size=12),
                      st.sampled_from(["0.5", "70%", "2026-02-19", "yes", "no", "ambiguous", "likely", "date", "categorical",
                                       "congress-opening", "q1", "f1", "=1+1", "'=x", ""]))


@fuzz(500)
@given(st.lists(st.sampled_from(CSV_COLUMNS), min_size=1, max_size=8, unique=True), st.lists(st.lists(csv_cells, min_size=1, max_size=9), max_size=6))
def test_csv_files(seeded, header, rows):
    out = io.StringIO()
    import csv

    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    try:
        _dry_run(seeded, csv_batches(lambda: io.StringIO(text, newline=""), "fuzz.csv"))
    except LedgerError:
        pass


options = st.sampled_from(["--question", "--forecaster", "--source", "--probability", "--says", "--made-on", "--window",
                           "--option", "--quote", "--question-text", "--kind", "--name", "--on", "--correct", "--limit",
                           "--status", "--by", "--format", "--as-of", "--min-n"])
arguments = st.one_of(st.text(max_size=15), st.sampled_from(["0.5", "1.5", "70%", "likely", "2026-02-30", "2026-02-19",
                                                             "congress-opening", "x..y", "-3", "json", "phrase"]))


@fuzz(200)
@given(st.sampled_from(["add", "resolve", "list", "report", "show", "void", "due", "calibration"]),
       st.lists(st.one_of(options, arguments), max_size=8))
def test_command_lines(seeded_url, tmp_path_factory, command, args):
    folder = Path(seeded_url.removeprefix("sqlite:///")).parent
    copy = folder / "cli.db"
    if not copy.exists():
        copy.write_bytes(Path(seeded_url.removeprefix("sqlite:///")).read_bytes())
    result = CliRunner().invoke(app, ["--db", f"sqlite:///{copy}", command, *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.output
