"""Issue 17: inputs that were accepted silently, mis-scored, duplicated or crashed. Each is refused
with its file:line (or its option) and nothing written, or now read as it was meant; on SQLite and
PostgreSQL wherever the database takes part."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
import sqlalchemy as sa

from ledger import Ledger
from ledger.errors import InvalidInput

HEAD = """forecasters:
  - {id: f1, name: One}
questions:
  - {id: q1, text: Will it happen}
"""


def _write(cli, name: str, text: str | bytes) -> str:
    path = cli.folder / name
    path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text, encoding="utf-8")
    return name


def _refused(cli, name: str, text: str | bytes, *words: str) -> str:
    before = cli.counts()
    out = cli("import", _write(cli, name, text), ok=False).output
    for word in words:
        assert word in out, out
    assert cli.counts() == before
    return out


# --- 1. corrections and voidings ---------------------------------------------------------------------

def test_a_correction_back_to_an_earlier_outcome_becomes_current(seeded):
    seeded("resolve", "parallel-line", "yes", "--on", "2026-03-01")
    assert "corrected to no" in seeded("resolve", "parallel-line", "no", "--correct", "--on", "2026-03-01").output
    assert "corrected to yes" in seeded("resolve", "parallel-line", "yes", "--correct", "--on", "2026-03-01").output
    shown = json.loads(seeded("show", "parallel-line", "--format", "json").stdout)
    assert [r["outcome"] for r in shown["resolutions"]] == ["yes", "no", "yes"]
    assert "nothing changed" in seeded("resolve", "parallel-line", "yes", "--correct").output  # the current one again
    path = _write(seeded, "back.yaml", "resolutions:\n  - {question: us-stance, outcome: outreach, on: 2026-03-01}\n"
                  "  - {question: us-stance, outcome: no outreach, on: 2026-03-01, correction: true}\n"
                  "  - {question: us-stance, outcome: outreach, on: 2026-03-01, correction: true}\n")
    assert "3 resolutions" in seeded("import", path).output
    assert json.loads(seeded("show", "us-stance", "--format", "json").stdout)["resolutions"][-1]["outcome"] == "outreach"


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_blank_void_reason_is_refused_everywhere(seeded, reason):
    before = seeded.counts()
    assert "--reason: say why the forecast is void" in seeded("void", "1", "--reason", reason, ok=False).output
    with Ledger(seeded.url) as lg, pytest.raises(InvalidInput) as caught:
        lg.void(1, reason=reason)
    assert caught.value.fields == ["reason"]
    _refused(seeded, "void.yaml", f"forecasts:\n  - {{question: parallel-line, forecaster: hong-min, probability: 0.5, made_on: 2026-02-09, "
             f"voided: {{reason: '{reason}', on: 2026-02-10}}}}\n", "void.yaml:2:", "a blank reason is none")
    # a voiding date with no reason was a CHECK violation (a traceback) on both databases
    _refused(seeded, "void.csv", f"question,forecaster,probability,made_on,voided_reason,voided_on\nparallel-line,hong-min,0.5,2026-02-09,{reason},2026-02-10\n",
             "void.csv:2: voided_reason: say why the forecast is void")
    assert seeded.counts() == before


def test_every_reader_agrees_a_forecast_with_a_reason_is_void(seeded):
    """A reason the ledger would not write (empty, from another client) still means void to every reader."""
    engine = sa.create_engine(seeded.url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE forecast SET voided_reason = '', voided_on = :on WHERE id = 1"), {"on": dt.date(2026, 2, 20)})
    engine.dispose()
    listed = {row["id"]: row for row in json.loads(seeded("list", "--format", "json").stdout)}
    assert listed[1]["voided"] is True and sum(row["voided"] for row in listed.values()) == 1
    exported = json.loads(seeded("export", "--format", "json").stdout)["forecasts"]
    assert [f["voided"] for f in exported if f.get("voided")] == [{"on": "2026-02-20"}]  # said, loudly refused on the way back
    report = json.loads(seeded("report", "--format", "json").stdout)
    assert sum(row["voided"] for row in report) == 1
    assert json.loads(seeded("show", listed[1]["question"], "--format", "json").stdout)["forecasts"][0]["voided"] == ""


# --- 2. dates ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,line,words", [
    (HEAD + "forecasts:\n  - {question: q1, forecaster: f1, probability: 0.5, made_on: 1026-03-01}\n", 6, "made_on: 1026-03-01 is outside"),
    (HEAD + "forecasts:\n  - {question: q1, forecaster: f1, probability: 0.5, made_on: 2026-03-01}\n"
     "resolutions:\n  - {question: q1, outcome: yes, on: 2300-01-01}\n", 8, "on: 2300-01-01 is outside the years"),
    (HEAD + "forecasts:\n  - {question: q1, forecaster: f1, probability: 0.5, made_on: !!timestamp 1850-01-01}\n", 6, "1850-01-01 is outside"),
    (HEAD + "forecasts:\n  - {question: q1, forecaster: f1, probability: 0.5, made_on: 2026-03-01, recorded_at: 2999-01-01T00:00:00}\n",
     6, "2999-01-01 is outside"),
    ("sources:\n  - {id: s, title: S, published_on: 0206-02-02}\n", 2, "0206-02-02 is outside"),
    ("questions:\n  - {id: q, text: Q, resolve_by: 9999-12-31}\n", 2, "9999-12-31 is outside"),
], ids=["made_on", "resolution on", "tagged timestamp", "recorded_at", "published_on", "resolve_by"])
def test_dates_centuries_away_are_refused(sqlite_ledger, text, line, words):
    _refused(sqlite_ledger, "far.yaml", text, f"far.yaml:{line}:", words, "(1900–2199)")


def test_dates_centuries_away_are_refused_in_csv_and_commands(sqlite_ledger):
    _refused(sqlite_ledger, "far.csv", "question,forecaster,probability,made_on\nq,f,0.5,2026-01-01\nq,f,0.5,2206-01-01\n",
             "far.csv:3: made_on: 2206-01-01 is outside")
    sqlite_ledger("import", "predictions.yaml")
    add = ["add", "--question", "parallel-line", "--forecaster", "hong-min", "--probability", "0.5"]
    assert "--made-on: 1899-12-31 is outside" in sqlite_ledger(*add, "--made-on", "1899-12-31", ok=False).output
    assert "--on: 2200-01-01 is outside" in sqlite_ledger("resolve", "parallel-line", "yes", "--on", "2200-01-01", ok=False).output
    with Ledger(sqlite_ledger.url) as lg:
        for call, field in ((lambda: lg.resolve("parallel-line", "yes", on=dt.date(1800, 1, 1)), "on"),
                            (lambda: lg.add("parallel-line", "hong-min", probability=0.5, made_on=dt.date(2500, 1, 1)), "made_on"),
                            (lambda: lg.void(1, reason="failed", on=dt.date(1066, 10, 14)), "on")):
            with pytest.raises(InvalidInput) as caught:
                call()
            assert caught.value.fields == [field]


def test_a_forecast_made_after_its_outcome_is_refused(seeded):
    seeded("resolve", "parallel-line", "yes", "--on", "2026-03-01")
    before = seeded.counts()
    add = ["add", "--question", "parallel-line", "--forecaster", "hong-min", "--probability", "0.9"]
    out = seeded(*add, "--made-on", "2026-03-02", ok=False).output
    assert "--made-on: the forecast is made on 2026-03-02, after question 'parallel-line' was settled (yes on 2026-03-01)" in out
    _refused(seeded, "late.yaml", "forecasts:\n  - {question: parallel-line, forecaster: hong-min, probability: 0.9, made_on: 2026-03-05}\n",
             "late.yaml:2: the forecast is made on 2026-03-05, after question 'parallel-line' was settled")
    _refused(seeded, "late.csv", "question,forecaster,probability,made_on\nparallel-line,hong-min,0.9,2026-03-01\nparallel-line,hong-min,0.9,2026-03-04\n",
             "late.csv:3: the forecast is made on 2026-03-04")
    assert seeded.counts() == before
    assert "recorded forecast" in seeded(*add, "--made-on", "2026-03-01").output  # on the day itself: allowed


def test_a_resolution_dated_before_forecasts_is_refused(seeded):
    before = seeded.counts()
    out = seeded("resolve", "parallel-line", "yes", "--on", "2026-01-15", ok=False).output
    assert "--on: the outcome of question 'parallel-line' is dated 2026-01-15, before a forecast on it made on 2026-02-" in out
    assert "(the ledger)" in out
    _refused(seeded, "early.yaml", "resolutions:\n  - {question: parallel-line, outcome: yes, on: 2026-01-15}\n",
             "early.yaml:2: the outcome of question 'parallel-line' is dated 2026-01-15")
    _refused(seeded, "early2.yaml", HEAD + "forecasts:\n  - {question: q1, forecaster: f1, probability: 0.5, made_on: 2026-03-01}\n"
             "resolutions:\n  - {question: q1, outcome: yes, on: 2026-02-01}\n", "early2.yaml:8:", "(line 6)")
    _refused(seeded, "early.csv", "question,forecaster,probability,made_on,outcome,resolved_on\nq9,f9,0.5,2026-03-01,yes,2026-02-01\n",
             "early.csv:2: the outcome of question 'q9' is dated 2026-02-01")
    assert seeded.counts() == before
    seeded("resolve", "parallel-line", "annulled", "--on", "2026-01-15")  # an annulled question is never scored: no order to keep


# --- 3. scales ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_the_scale_option_reads_yaml_and_json_phrases(sqlite_ledger, fmt):
    doc = {"forecasters": [{"id": "f1", "name": "One"}], "questions": [{"id": "q1", "text": "Q?"}, {"id": "q2", "text": "Q2?"}],
           "forecasts": [{"question": "q1", "forecaster": "f1", "phrase": "likely", "made_on": "2026-01-01"},
                         {"question": "q2", "forecaster": "f1", "phrase": "likely", "made_on": "2026-01-01", "scale": "icd203"}]}
    text = json.dumps(doc) if fmt == "json" else __import__("yaml").safe_dump(doc)
    sqlite_ledger("import", _write(sqlite_ledger, f"phrases.{fmt}", text), "--scale", "phia")
    rows = {row["question"]: row for row in json.loads(sqlite_ledger("list", "--format", "json").stdout)}
    assert "'likely' (phia" in rows["q1"]["basis"]  # the option's scale, as for CSV
    assert "'likely' (icd203" in rows["q2"]["basis"]  # a forecast's own scale comes first


def test_an_unknown_scale_is_refused_with_the_closest(sqlite_ledger):
    sqlite_ledger("import", "predictions.yaml")
    out = sqlite_ledger("import", "predictions.yaml", "--scale", "phai", ok=False).output
    assert "error: --scale: unknown scale 'phai'; did you mean 'phia'? known scales: icd203, phia, hedges" in out
    with Ledger(sqlite_ledger.url) as lg, pytest.raises(InvalidInput) as caught:
        lg.import_file(sqlite_ledger.folder / "predictions.yaml", scale="bogus")
    assert caught.value.fields == ["scale"]
    _refused(sqlite_ledger, "scale.yaml", "scale: phai\n" + HEAD, "scale.yaml:1:", "did you mean 'phia'?")


# --- 4. options and typed ids ---------------------------------------------------------------------------

@pytest.mark.parametrize("options,words", [("[Yes, yes]", "option 'yes' differs from 'Yes' only in case"),
                                           ("[a, b, a]", "option 'a' is given twice"), ("['', b]", "a blank option")])
def test_categorical_options_must_differ(sqlite_ledger, options, words):
    _refused(sqlite_ledger, "cat.yaml", f"questions:\n  - id: c\n    text: Which?\n    kind: categorical\n    options: {options}\n", "cat.yaml:2:", words)


def test_categorical_options_must_differ_in_csv_and_add(sqlite_ledger):
    _refused(sqlite_ledger, "cat.csv", "question,forecaster,probability,made_on,option\nc,f,0.5,2026-01-01,North\nc,f,0.3,2026-01-01,north\n",
             "cat.csv:2:", "option 'north' differs from 'North' only in case")
    with Ledger(sqlite_ledger.url) as lg, pytest.raises(InvalidInput) as caught:
        lg.add("c", "f", probability=0.5, question_text="Which?", name="F", kind="categorical", options=["A", "a"], option="A")
    assert caught.value.fields == ["options"]


@pytest.mark.parametrize("value,words", [("[a, b]", "not a list"), ("{a: b}", "not a mapping"), ("true", "not true/false"),
                                         ("!!binary aGVsbG8=", "not binary data"), ("!!timestamp 2026-01-01", "not a date")])
def test_ids_typed_as_other_things_are_refused(sqlite_ledger, value, words):
    _refused(sqlite_ledger, "ids.yaml", f"forecasters:\n  - name: One\n    id: {value}\n", "ids.yaml:3: id: an id is one line of text", words)
    _refused(sqlite_ledger, "ref.yaml", HEAD + f"forecasts:\n  - question: q1\n    forecaster: {value}\n    probability: 0.5\n    made_on: 2026-01-01\n",
             "ref.yaml:7: forecaster: an id is one line of text", words)


def test_numbers_where_text_belongs_are_read_as_written(sqlite_ledger):
    sqlite_ledger("import", _write(sqlite_ledger, "numbers.yaml", "forecasters:\n  - {id: 007, name: 1.50}\n  - {id: 0x1F, name: true}\n"
                                   "questions:\n  - {id: q, text: Which, kind: categorical, options: [1.0, 2.50]}\n"
                                   "forecasts:\n  - {question: q, forecaster: 007, made_on: 2026-01-01, distribution: {1.0: 0.25, 2.50: 0.75}}\n"))
    forecasters = {f["id"]: f["name"] for f in json.loads(sqlite_ledger("forecasters", "--format", "json").stdout)}
    assert forecasters == {"007": "1.50", "0x1F": "true"}
    assert json.loads(sqlite_ledger("show", "q", "--format", "json").stdout)["options"] == ["1.0", "2.50"]


# --- 5. JSON and YAML read as meant ----------------------------------------------------------------------

def test_valid_json_is_read_whatever_its_writer(ledger):
    doc = {"forecasters": [{"id": "f1", "name": "Grinning \U0001F600 Ana"}], "questions": [{"id": "q1", "text": "Tabbed?"}]}
    ledger("import", _write(ledger, "emoji.json", json.dumps(doc)))  # json.dumps writes the emoji as "\ud83d\ude00"
    ledger("import", _write(ledger, "tabs.json", json.dumps(doc, indent="\t")))
    assert json.loads(ledger("forecasters", "--format", "json").stdout)[0]["name"] == "Grinning \U0001F600 Ana"


@pytest.mark.parametrize("name,text,line,words", [
    ("nul.json", '{"forecasters": [\n  {"id": "f1", "name": "a\\u0000b"}]}', 2, "NUL character"),
    ("nul.yaml", 'forecasters:\n  - {id: f1, name: "a\\0b"}\n', 2, "NUL character"),
    ("nul.csv", "question,forecaster,probability,made_on\nq1,f1,0.5,2026-01-01\nq1,f\x001,0.5,2026-01-02\n", 3, "NUL character"),
    ("half.json", '{"forecasters": [\n  {"id": "f1", "name": "a\\ud83d b"}]}', 2, "half of a UTF-16 surrogate pair"),
    ("half.yaml", 'forecasters:\n  - {id: f1, name: "a\\ud83d b"}\n', 2, "half of a UTF-16 surrogate pair"),
], ids=["json NUL", "yaml NUL", "csv NUL", "json lone surrogate", "yaml lone surrogate"])
def test_text_no_database_stores_is_refused_with_its_line(ledger, name, text, line, words):
    _refused(ledger, name, text, f"{name}:{line}:", words)


def test_arguments_no_database_stores_are_refused(seeded):
    before = seeded.counts()
    with Ledger(seeded.url) as lg:
        for call, field in ((lambda: lg.add("parallel-line", "hong-min", probability=0.5, claim="a\x00b"), "claim"),
                            (lambda: lg.add("new\x00q", "hong-min", probability=0.5, question_text="Q"), "question"),
                            (lambda: lg.add("parallel-line", "new-f", probability=0.5, name="N\x00"), "name"),
                            (lambda: lg.resolve("parallel-line", "yes", note="a\x00b"), "note"),
                            (lambda: lg.void("x\x00", reason="r"), "forecast")):
            with pytest.raises(InvalidInput) as caught:
                call()
            assert caught.value.fields == [field] and "NUL" in str(caught.value)
    assert seeded.counts() == before


@pytest.mark.parametrize("value,words", [("!!int abc", "'abc' is not a valid int (!!int)"),
                                         ("!!timestamp 2026-02-30", "'2026-02-30' is not a valid timestamp"),
                                         ("!!float many", "'many' is not a valid float"), ("!!bool maybe", "'maybe' is not a valid bool"),
                                         ("!!timestamp 20260101", "not a valid timestamp")])
def test_tags_with_bad_values_are_messages(sqlite_ledger, value, words):
    _refused(sqlite_ledger, "tags.yaml", f"forecasters:\n  - id: f1\n    name: {value}\n", "tags.yaml:3:", words)


def test_the_documented_on_key_is_read_and_yes_is_text(ledger):
    """YAML 1.1 reads `on` as true: the resolution's date key, and `yes`/`no`/`off` as booleans."""
    ledger("import", _write(ledger, "on.yaml", HEAD + "  - {id: q2, text: Other}\nforecasts:\n"
                            "  - {question: q1, forecaster: f1, probability: 0.5, made_on: 2026-01-01}\nresolutions:\n"
                            "  - question: q1\n    outcome: yes\n    on: 2026-02-01\n  - {question: q2, outcome: no, on: 2026-02-02, note: off}\n"))
    shown = json.loads(ledger("show", "q1", "--format", "json").stdout)["resolutions"]
    assert [(r["outcome"], r["on"]) for r in shown] == [("yes", "2026-02-01")]
    assert json.loads(ledger("show", "q2", "--format", "json").stdout)["resolutions"][0]["note"] == "off"


# --- 6. forecasts without ids keep their identity ------------------------------------------------------------

def test_editing_a_forecast_without_an_id_is_refused_not_duplicated(seeded):
    path = seeded.folder / "predictions.yaml"
    original = path.read_text(encoding="utf-8")
    claim = "claim: The congress opens between 1 and 20 February (early = 1–10, mid = 11–20)."
    assert claim in original
    before = seeded.counts()
    path.write_text(original.replace(claim, "claim: The congress opens in February."), encoding="utf-8")
    line = original[:original.index(claim)].count("\n") - 3  # the forecast's first line
    out = seeded("import", "predictions.yaml", ok=False).output
    assert f"predictions.yaml:{line}: this forecast has no id, and forecast 1 in the ledger" in out, out
    assert "differs from it only in claim" in out and "give this forecast an id" in out
    path.write_text(original.replace("phrase: expected to\n", "phrase: likely\n", 1), encoding="utf-8")
    assert "differs from it only in probability, phrase" in seeded("import", "predictions.yaml", ok=False).output
    assert seeded.counts() == before
    named = original.replace(claim, "claim: The congress opens in February.").replace(
        "  - question: congress-opening\n    forecaster: newsroom-001", "  - id: revised\n    question: congress-opening\n    forecaster: newsroom-001", 1)
    path.write_text(named, encoding="utf-8")
    assert "added 1 forecast" in seeded("import", "predictions.yaml").output  # with an id: a new forecast, as asked
    path.write_text(original, encoding="utf-8")
    assert "added nothing new" in seeded("import", "predictions.yaml").output


def test_a_forecast_written_another_way_without_an_id_is_the_same_forecast(seeded):
    """An export stripped of its forecasts' ids gives each forecast's made_on (the seed file takes
    it from the source's date): a different content key, no difference at all. Read back, in YAML
    or CSV, it is the forecast already there, not an edit refused for differing in nothing."""
    import yaml

    before = seeded.counts()
    document = yaml.safe_load(seeded("export").stdout)
    for forecast in document["forecasts"]:
        del forecast["id"]
    (seeded.folder / "no-ids.yaml").write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    out = seeded("import", "no-ids.yaml").output
    assert "added nothing new" in out and f"{before['forecast']} forecasts" not in out
    rows = list(csv.DictReader(io.StringIO(seeded("export", "--format", "csv").stdout)))
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=[c for c in rows[0] if c != "id"], lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    assert "added nothing new" in seeded("import", _write(seeded, "no-ids.csv", text.getvalue())).output
    assert seeded.counts() == before


def test_many_csv_rows_written_another_way_leave_the_stage_in_batches(seeded, monkeypatch):
    """The rows found to be forecasts already there are taken out of the stage a batch of lines at a
    time (a CSV of 35,000 such rows would otherwise name more values than SQLite takes at once)."""
    from ledger.db import staging

    monkeypatch.setattr(staging, "DELETE_BATCH", 4)
    rows = list(csv.DictReader(io.StringIO(seeded("export", "--format", "csv").stdout)))
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=[c for c in rows[0] if c != "id"], lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    before = seeded.counts()
    assert "added nothing new" in seeded("import", _write(seeded, "no-ids.csv", text.getvalue())).output
    assert seeded.counts() == before


def test_editing_a_csv_row_without_an_id_is_refused_not_duplicated(ledger):
    head = "question,forecaster,probability,made_on,claim,quote,source\n"
    rows = ["q1,f1,0.6,2026-01-01,It happens,,\n", "q2,f1,0.3,2026-01-02,Other,,\n"]
    assert "2 forecasts" in ledger("import", _write(ledger, "a.csv", head + "".join(rows))).output
    before = ledger.counts()
    out = _refused(ledger, "a.csv", head + rows[0] + "q2,f1,0.35,2026-01-02,Other,,\n", "a.csv:3: this forecast has no id")
    assert "forecast 2 in the ledger" in out and "differs from it only in probability" in out, out
    assert "differs from it only in claim" in _refused(ledger, "a.csv", head + rows[0] + "q2,f1,0.3,2026-01-02,Another,,\n")
    # a row the ledger already has beside it, a new quote or a new day is a new forecast, not an edit
    more = head + "".join(rows) + "q2,f1,0.35,2026-01-03,Other,,\nq2,f1,0.4,2026-01-02,Other,Other words,\n"
    assert "added 2 forecasts; 2 already in the ledger" in ledger("import", _write(ledger, "a.csv", more)).output
    assert ledger.counts()["forecast"] == before["forecast"] + 2
    # with an id the edited row is recorded as asked, beside the old one
    named = "id," + head + ",".join(["", *rows[0].split(",")]) + "revised,q2,f1,0.35,2026-01-02,Other,,\n"
    assert "added 1 forecast" in ledger("import", _write(ledger, "b.csv", named)).output


def test_forecasts_on_different_windows_from_one_source_are_not_edits(ledger):
    text = ("forecasters:\n  - {id: f1, name: One}\nquestions:\n  - {id: d, text: When, kind: date}\nforecasts:\n"
            "  - {question: d, forecaster: f1, probability: 0.6, made_on: 2026-01-01, window: 2026-02-01..2026-02-10}\n")
    ledger("import", _write(ledger, "w.yaml", text))
    more = text + "  - {question: d, forecaster: f1, probability: 0.9, made_on: 2026-01-01, window: 2026-02-01..2026-02-28}\n"
    assert "added 1 forecast" in ledger("import", _write(ledger, "w.yaml", more)).output
