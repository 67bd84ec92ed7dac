"""Reports on the seed case, report options through the CLI, and real PredictionBook data checked
against an independent pandas computation."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pandas as pd
import pytest

from conftest import shared_data


def _report(cli, *args):
    return {r[next(iter(r))]: r for r in json.loads(cli("report", *args, "--format", "json").stdout)}


def test_seed_case_scores_the_opening_date(seeded):
    seeded("resolve", "congress-opening", "2026-02-19", "--evidence", "Xinhua, 20 February 2026")
    rows = json.loads(seeded("list", "--question", "congress-opening", "--format", "json").stdout)
    by_source = {(r["source"], r["forecaster"]): r for r in rows}
    report = _report(seeded, "--by", "source")
    assert report["seed-000"]["n"] == 1 and report["seed-000"]["observed"] == 1.0  # "after the 16th": right
    forecasters = _report(seeded)
    assert forecasters["experts"]["observed"] == 0.0  # "between Friday and Feb. 10": wrong
    assert forecasters["experts"]["brier"] == pytest.approx(0.16)
    assert forecasters["newsroom-000"]["brier"] == pytest.approx(0.0625)
    assert forecasters["newsroom-000"]["days_outside_window"] == 0
    assert forecasters["experts"]["days_outside_window"] == 9  # 19 February is 9 days after 10 February
    assert by_source[("seed-001", "experts")]["probability"] == 0.4
    # the verdict's dependence on the words: "could" spans 20–60%, "expected to" 60–90%
    assert forecasters["experts"]["brier_best_in_band"] == pytest.approx(0.04)
    assert forecasters["experts"]["brier_worst_in_band"] == pytest.approx(0.36)
    assert forecasters["newsroom-000"]["brier_best_in_band"] == pytest.approx(0.01)
    assert forecasters["newsroom-000"]["brier_worst_in_band"] == pytest.approx(0.16)
    assert forecasters["experts"]["note"] == "too few resolved forecasts to judge"
    assert _report(seeded, "--min-n", "1")["experts"]["note"] == ""


def test_relative_brier_and_open_counts(seeded):
    seeded("resolve", "congress-opening", "2026-02-19")
    rows = _report(seeded)
    # experts 0.16 vs the median of the two newsrooms (0.0625) on the same question
    assert rows["experts"]["relative_brier"] == pytest.approx(0.16 - 0.0625)
    assert rows["newsroom-000"]["relative_brier"] == pytest.approx(0.0625 - (0.0625 + 0.16) / 2)
    assert rows["hong-min"]["n"] == 0 and rows["hong-min"]["open"] == 3


def test_latest_and_as_of(seeded):
    seeded("add", "--question", "parallel-line", "--forecaster", "hong-min", "--says", "very likely", "--made-on", "2026-02-15")
    seeded("resolve", "parallel-line", "yes", "--on", "2026-02-25")
    all_forecasts = _report(seeded, "--min-n", "1")["hong-min"]
    latest = _report(seeded, "--latest")["hong-min"]
    assert all_forecasts["n"] == 2 and latest["n"] == 1
    assert latest["brier"] == pytest.approx((1 - 0.875) ** 2)
    before = _report(seeded, "--as-of", "2026-02-20")["hong-min"]
    assert before["n"] == 0 and before["open"] == 4  # resolved on the 25th: still open on the 20th
    early = _report(seeded, "--as-of", "2026-02-03")
    assert "newsroom-000" not in early  # seed 000 was published on the 8th


def test_report_by_phrase_tag_publisher_and_markdown(seeded):
    seeded("resolve", "congress-opening", "2026-02-19")
    seeded("resolve", "parallel-line", "yes")
    phrases = _report(seeded, "--by", "phrase")
    expected = phrases["expected to (hedges)"]
    assert expected["band_low"] == 0.6 and expected["band_high"] == 0.9
    assert expected["n"] == 3 and expected["observed"] == 1.0 and expected["observed_low"] < 1.0
    tags = _report(seeded, "--by", "tag")
    assert tags["timing"]["n"] == 3 and tags["defence"]["n"] == 4
    assert set(_report(seeded, "--by", "publisher")) == {"(none)"}
    markdown = seeded("report", "--format", "markdown").stdout
    assert markdown.startswith("Leaderboard by Brier score") and "\n| rank | forecaster | n |" in markdown and "| experts |" in markdown
    assert "brier (95% CI)" in seeded("report").stdout


def test_calibration_table_and_plot(seeded, tmp_path):
    seeded("resolve", "congress-opening", "2026-02-19")
    seeded("resolve", "congress-closing", "2026-02-25")
    table = json.loads(seeded("calibration", "--format", "json").stdout)
    assert [row["bin"] for row in table][:2] == ["0–10%", "10–20%"] and len(table) == 10
    forty = table[4]
    assert forty["n"] == 2 and forty["count"] == "0 of 2 happened" and forty["observed_low"] == 0.0
    plot = tmp_path / "calibration.png"
    seeded("calibration", "--bins", "5", "--plot", str(plot))
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and plot.stat().st_size > 10_000
    only = json.loads(seeded("calibration", "--forecaster", "experts", "--format", "json").stdout)
    assert sum(row["n"] for row in only) == 2


def test_python_api_returns_dataframes(seeded):
    from ledger.scoring import reports

    seeded("resolve", "congress-opening", "2026-02-19")
    frame = reports.scores(seeded.url, by="forecaster", min_n=1)
    assert isinstance(frame, pd.DataFrame) and "brier" in frame.columns
    assert reports.calibration(seeded.url, bins=4)["n"].sum() == 3


def test_a_report_reads_one_snapshot_while_others_write(seeded, monkeypatch):
    """A forecast and an outcome committed while a report is reading (after its first scan of the
    forecasts, before the columns grouped in the database) are not in that report: every query reads
    the state the first one saw."""
    from ledger.scoring import reports

    seeded("resolve", "congress-opening", "2026-02-19")
    with reports.reading(seeded.url) as connection:  # the frame with nothing writing
        expected = reports.forecast_frame(connection)
    numbered, calls = reports._numbered, []

    def write_before_the_first(connection, *args):
        if not calls:
            seeded("add", "--question", "congress-opening", "--forecaster", "hong-min", "--probability", "0.7",
                   "--window", "2026-02-15..2026-02-20", "--made-on", "2026-02-10")
            seeded("resolve", "parallel-line", "yes", "--on", "2026-02-25")
        calls.append(args)
        return numbered(connection, *args)

    monkeypatch.setattr(reports, "_numbered", write_before_the_first)
    with reports.reading(seeded.url) as connection:
        during = reports.forecast_frame(connection)
    assert len(calls) > 1
    pd.testing.assert_frame_equal(during, expected)
    monkeypatch.setattr(reports, "_numbered", numbered)
    with reports.reading(seeded.url) as connection:
        assert len(reports.forecast_frame(connection)) == len(expected) + 1  # the writes did land


def test_the_forecast_frame_holds_the_stored_values_numbered_by_first_forecast(seeded):
    """The columns grouped in the database come back as each forecast's stored value, and their codes
    number the values as `pd.factorize` numbers the column (by first forecast), not in the order the
    database grouped them (alphabetical in SQLite, a hash's in PostgreSQL)."""
    from ledger.scoring import reports

    seeded("add", "--question", "congress-opening", "--forecaster", "a-first-by-name", "--name", "A. First", "--probability", "0.3",
           "--window", "2026-02-15..2026-02-20", "--made-on", "2026-02-01")
    columns = ["forecaster_id", "question_id", "made_on", "window_from", "window_to", "option", "probability"]
    with reports.reading(seeded.url) as connection:
        frame = reports.forecast_frame(connection)
        cursor = connection.cursor()
        cursor.execute(f"SELECT id, {', '.join(columns)} FROM forecast ORDER BY id")
        stored = dict(zip(["id", *columns], map(list, zip(*cursor.fetchall()))))
    assert frame["id"].tolist() == stored["id"]
    names = {"forecaster_id": "forecaster", "question_id": "question", "probability": "p"}
    for column in columns:
        expected = [None if v is None else v.isoformat() if hasattr(v, "isoformat") else v for v in stored[column]]
        assert frame[names.get(column, column)].tolist() == expected, column
    for name in ("forecaster", "question", "made_on"):
        codes, _ = pd.factorize(frame[name])
        assert frame[f"{name}_code"].tolist() == codes.tolist(), name
    assert sorted(frame["forecaster"].unique())[0] == "a-first-by-name" != frame["forecaster"].iloc[0]


@pytest.mark.parametrize("ids", [np.arange(5, 25), np.array([1, 2, 3, 90, 91, 1000, 10**12]), np.array([-5 * 10**18, -1, 0, 5 * 10**18])],
                         ids=["consecutive", "spread", "beyond-int64-apart"])
def test_positions_find_each_id_whether_ids_are_consecutive_or_spread(ids):
    from ledger.scoring.reports import _positions

    members = ids[np.random.default_rng(0).permutation(len(ids))][: len(ids) // 2]
    assert _positions(ids, members).tolist() == np.searchsorted(ids, members).tolist()


@pytest.mark.parametrize("url,path", [
    ("sqlite:///ledger.db", "ledger.db"), ("sqlite:////data/my ledger.db", "/data/my ledger.db"),
    ("sqlite://", None), ("sqlite:///:memory:", None), ("sqlite:///ledger.db?timeout=5", None),
    ("sqlite:///100%25.db", None), ("postgresql+psycopg://u@h/db", None),
])
def test_which_urls_read_through_the_standard_sqlite3_module(url, path):
    from ledger.db.engine import sqlite_path

    assert sqlite_path(url) == path


def test_sqlite_urls_with_options_report_the_same_through_sqlalchemy(sqlite_ledger):
    """A SQLite URL that only SQLAlchemy parses reads through the engine; the report is the same."""
    sqlite_ledger("import", "predictions.yaml")
    sqlite_ledger("resolve", "congress-opening", "2026-02-19")
    through_engine = type(sqlite_ledger)(sqlite_ledger.url + "?timeout=5", sqlite_ledger.folder, sqlite_ledger.runner)
    for args in (["report", "--by", "phrase"], ["calibration"]):
        assert through_engine(*args, "--format", "json").stdout == sqlite_ledger(*args, "--format", "json").stdout


@pytest.fixture(scope="module")
def predictionbook() -> pd.DataFrame:
    path = shared_data("data", "predictionbook", "public.csv.zip")
    with zipfile.ZipFile(path) as archive:
        return pd.read_csv(archive.open("public.csv"), dtype={"user_id": str})


@pytest.mark.slow
def test_predictionbook_brier_per_user_matches_pandas(predictionbook, sqlite_ledger):
    pb = predictionbook
    assert len(pb) == 63_592
    long = pd.DataFrame({
        "id": "pb-" + pb.index.astype(str),
        "question": "pb-" + pb["question_id"].astype(str),
        "forecaster": pb["user_id"],
        "probability": pb["probability"],
        "made_on": pb["timestamp"].str[:10],
        "outcome": pb["outcome"].map({1.0: "yes", 0.0: "no", -1.0: "ambiguous"}),
    })
    path = sqlite_ledger.folder / "predictionbook.csv"
    long.to_csv(path, index=False)
    out = sqlite_ledger("import", str(path)).output
    assert "63592 forecasts" in out
    ours = pd.DataFrame(json.loads(sqlite_ledger("report", "--min-n", "1", "--format", "json").stdout)).set_index("forecaster")

    resolved = pb[pb["outcome"].isin([0.0, 1.0])]
    expected = ((resolved["probability"] - resolved["outcome"]) ** 2).groupby(resolved["user_id"]).mean()
    assert len(expected) > 1000
    got = ours.loc[expected.index, "brier"].astype(float)
    assert np.allclose(got.to_numpy(), expected.to_numpy(), atol=1e-12, rtol=0)
    counts = resolved.groupby("user_id").size()
    assert (ours.loc[counts.index, "n"] == counts).all()
    assert ours["annulled"].sum() == (pb["outcome"] == -1.0).sum()
    assert ours["open"].sum() == pb["outcome"].isna().sum()


DISTRIBUTION = """version: 1
forecasters:
  - {id: ana, name: Ana}
questions:
  - {id: stance, text: "Which stance?", kind: categorical, options: [outreach, conditional opening, no outreach]}
forecasts:
  - {question: stance, forecaster: ana, made_on: 2026-02-01, distribution: {outreach: 0.1, conditional opening: 0.3, no outreach: 0.6}}
  - {question: stance, forecaster: ana, made_on: 2026-02-02, option: outreach, distribution: {outreach: 0.2, conditional opening: 0.2, no outreach: 0.6}}
"""


def test_full_distributions_get_the_multicategory_brier(ledger):
    (ledger.folder / "dist.yaml").write_text(DISTRIBUTION, encoding="utf-8")
    ledger("import", "dist.yaml")
    rows = json.loads(ledger("list", "--question", "stance", "--format", "json").stdout)
    assert [r["probability"] for r in rows] == [0.6, 0.2]  # the most likely option unless one is named
    ledger("resolve", "stance", "no outreach")
    ana = _report(ledger, "--min-n", "1")["ana"]
    expected = ((0.1 ** 2 + 0.3 ** 2 + 0.4 ** 2) + (0.2 ** 2 + 0.2 ** 2 + 0.4 ** 2)) / 2
    assert ana["multicategory_brier"] == pytest.approx(expected)
    assert ana["brier"] == pytest.approx(((0.6 - 1) ** 2 + 0.2 ** 2) / 2)
    exported = ledger("export", "--format", "json").stdout
    assert '"distribution"' in exported


@pytest.mark.parametrize("forecast,words", [
    ("{question: stance, forecaster: ana, made_on: 2026-02-01, distribution: {outreach: 0.5, no outreach: 0.6, conditional opening: 0}}", "add up to 1.1"),
    ("{question: stance, forecaster: ana, made_on: 2026-02-01, distribution: {outreach: 0.5, no outreach: 0.5}}", "every option"),
    ("{question: stance, forecaster: ana, made_on: 2026-02-01, probability: 0.9, option: outreach, distribution: {outreach: 0.1, conditional opening: 0.3, no outreach: 0.6}}", "differs"),
])
def test_bad_distributions(sqlite_ledger, forecast, words):
    text = DISTRIBUTION.split("forecasts:")[0] + "forecasts:\n  - " + forecast + "\n"
    (sqlite_ledger.folder / "bad.yaml").write_text(text, encoding="utf-8")
    result = sqlite_ledger("import", "bad.yaml", ok=False)
    assert "bad.yaml:7:" in result.output and words in result.output
