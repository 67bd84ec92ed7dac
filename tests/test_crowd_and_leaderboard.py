"""The platforms' scores through the ledger: the hand-worked three-forecaster case in `report`, the
leaderboard, the crowd aggregate (`ledger aggregate`), `show`'s crowd view, horizons, calibration
over time, and ForecastBench's published superforecaster median reproduced."""

from __future__ import annotations

import datetime as dt
import json
import math

import pandas as pd
import pytest

from conftest import ROOT, SHARED
from ledger import InvalidInput, Ledger, NotFound
from ledger.io.forecastbench import long_rows

FORECASTBENCH = ("2024-07-21.ForecastBench.human_super_individual.json", "2024-07-21_resolution_set.at-427da6d9.json")
SLICE = ROOT / "tests" / "data" / "forecastbench"
FULL = SHARED / "data" / "forecastbench"


def _report(cli, *args):
    return {r["forecaster"]: r for r in json.loads(cli("report", *args, "--format", "json").stdout)}


def _three(cli):
    """Three forecasters on three questions: C skips q2, B and C skip q3 (tests/test_platform_scores.py works it by hand)."""
    for question, forecaster, p in (("q1", "a", 0.8), ("q1", "b", 0.6), ("q1", "c", 0.3), ("q2", "a", 0.2), ("q2", "b", 0.5), ("q3", "a", 0.9)):
        cli("add", "--question", question, "--question-text", f"Will {question} happen?", "--forecaster", forecaster, "--name", forecaster.upper(),
            "--probability", str(p), "--made-on", "2026-01-01")
    for question, outcome in (("q1", "yes"), ("q2", "no"), ("q3", "yes")):
        cli("resolve", question, outcome, "--on", "2026-01-11")


def test_peer_and_baseline_of_the_three_forecaster_case(ledger):
    _three(ledger)
    rows = _report(ledger, "--min-n", "1")
    assert rows["a"]["peer"] == pytest.approx(55.2130, abs=1e-4) and rows["a"]["peer_sum"] == pytest.approx(110.4259, abs=1e-4)
    assert rows["b"]["peer"] == pytest.approx(-13.3636, abs=1e-4) and rows["b"]["peer_sum"] == pytest.approx(-26.7271, abs=1e-4)
    assert rows["c"]["peer"] == pytest.approx(-83.6988, abs=1e-4)
    assert rows["a"]["baseline"] == pytest.approx((67.8072 + 67.8072 + 84.7997) / 3, abs=1e-4)
    assert rows["a"]["baseline_sum"] == pytest.approx(67.8072 * 2 + 84.7997, abs=1e-4)
    # one forecast each, standing ten days: day-by-day Brier is the Brier; relative to the median of the others each day
    assert rows["a"]["time_brier"] == pytest.approx((0.04 + 0.04 + 0.01) / 3)
    assert rows["c"]["time_relative"] == pytest.approx(0.49 - (0.04 + 0.16) / 2)
    assert rows["c"]["relative_skill"] == pytest.approx(math.sqrt(0.49 / 0.04 * 0.49 / 0.16))


def test_a_forecaster_alone_on_every_question_has_no_peer_score(ledger):
    ledger("add", "--question", "solo", "--question-text", "Solo?", "--forecaster", "ana", "--name", "Ana", "--probability", "0.7",
           "--made-on", "2026-01-01")
    ledger("resolve", "solo", "yes", "--on", "2026-01-05")
    ana = _report(ledger, "--min-n", "1")["ana"]
    assert ana["peer"] is None and ana["peer_sum"] is None and ana["relative_skill"] is None
    assert ana["baseline"] == pytest.approx(100 * (1 + math.log2(0.7)))
    assert ana["time_brier"] == pytest.approx(0.09) and ana["time_relative"] is None


def test_scores_have_the_json_columns_in_the_json_order(ledger, tmp_path):
    _three(ledger)
    printed = json.loads(ledger("report", "--format", "json").stdout)
    with Ledger(ledger.url) as lg:
        frame = lg.scores()
    assert list(frame.columns) == list(printed[0]) and frame["forecaster"].tolist() == [r["forecaster"] for r in printed]
    for column in ("baseline", "baseline_sum", "peer", "peer_sum", "time_brier", "time_relative", "relative_skill", "rank"):
        assert column in frame.columns


def test_scores_of_some_columns_are_those_of_the_whole_report(ledger):
    """A table asks only for the columns it shows, which spares the day-by-day medians; what it gets
    is the whole report's, in its order, and a column that is not there is refused by name."""
    _three(ledger)
    with Ledger(ledger.url) as lg:
        whole = lg.scores(min_n=1)
        part = lg.scores(min_n=1, columns=["peer", "brier"])
        assert list(part.columns) == ["forecaster", "rank", "brier", "peer", "note"]
        pd.testing.assert_frame_equal(part, whole[list(part.columns)])
        assert part.index.tolist() == whole.index.tolist()
        # what a table does not show is not computed, unless it is asked for or ranks the rows
        for asked in ({"columns": ["time_relative"]}, {"columns": ["brier"], "sort": "time_relative"}):
            relative = lg.scores(min_n=1, **asked)
            assert relative.set_index("forecaster")["time_relative"].to_dict() == whole.set_index("forecaster")["time_relative"].to_dict()
        assert list(lg.scores(columns=["peer"]).columns) == ["forecaster", "rank", "brier", "peer", "note"]  # what ranks it comes too
        with pytest.raises(InvalidInput) as refused:
            lg.scores(columns=["brier", "time_relativ"])
        assert refused.value.fields == ["columns"] and "did you mean 'time_relative'?" in str(refused.value)
        for wrong in ("brier", ["brier", 1]):  # a bare name is not a list of names
            with pytest.raises(InvalidInput) as refused:
                lg.scores(columns=wrong)
            assert refused.value.fields == ["columns"]
    from ledger.cli.output import render
    from ledger.scoring.reports import table_rows

    assert ledger("report", "--min-n", "1", "--format", "markdown").stdout.endswith(render(table_rows(whole, "forecaster"), "markdown"))


def test_the_table_columns_spare_the_day_by_day_medians(ledger, monkeypatch):
    from ledger.scoring import standing
    from ledger.scoring.reports import TABLE_COLUMNS

    _three(ledger)

    def medians(*args):
        raise AssertionError("the day-by-day medians were computed")

    monkeypatch.setattr(standing, "relative_days", medians)
    with Ledger(ledger.url) as lg:
        assert "time_relative" not in lg.scores(columns=TABLE_COLUMNS).columns
        with pytest.raises(AssertionError, match="medians were computed"):
            lg.scores()


def test_leaderboard_ranks_by_the_headline_then_lists_the_too_few(ledger):
    _three(ledger)
    ledger("add", "--question", "q4", "--question-text", "Q4?", "--forecaster", "dee", "--name", "Dee", "--probability", "0.5",
           "--made-on", "2026-01-01")
    rows = json.loads(ledger("report", "--min-n", "2", "--format", "json").stdout)
    assert [(r["rank"], r["forecaster"]) for r in rows] == [(1, "a"), (2, "b"), (None, "c"), (None, "dee")]
    by_peer = json.loads(ledger("report", "--min-n", "1", "--sort", "peer", "--format", "json").stdout)
    assert [r["forecaster"] for r in by_peer] == ["a", "b", "c", "dee"] and by_peer[0]["peer"] > by_peer[1]["peer"]
    by_log = json.loads(ledger("report", "--min-n", "1", "--sort", "brier_0_2", "--format", "json").stdout)
    assert [r["forecaster"] for r in by_log][:3] == ["a", "b", "c"]
    table = ledger("report", "--min-n", "2").stdout
    assert table.splitlines()[0] == "Leaderboard by Brier score (lower is better); ranked: 2+ scored forecasts"
    assert table.index("  a  ") < table.index("  b  ") < table.index("  c  ")
    shown = ledger("report", "--sort", "n_relative").stdout
    assert "Leaderboard by n_relative (higher is better)" in shown
    assert "n_relative" not in "\n".join(shown.splitlines()[1:])  # never among the columns named as left out at 80 columns
    assert "rank  forecaster  n relative" in ledger("--wide", "report", "--sort", "n_relative").stdout.splitlines()[1]
    wrong = ledger("report", "--sort", "peeer", ok=False)
    assert "error: --sort: cannot sort by 'peeer'; did you mean 'peer'?" in wrong.output


def test_aggregate_records_the_crowd_and_replaces_it(ledger):
    _three(ledger)
    before = _report(ledger, "--min-n", "1")
    assert "recorded 3 median forecasts as crowd" in ledger("aggregate", "--method", "median", "--as", "crowd").output
    crowd = {r["question"]: r for r in json.loads(ledger("list", "--forecaster", "crowd", "--format", "json").stdout)}
    assert {q: r["probability"] for q, r in crowd.items()} == {"q1": 0.6, "q2": pytest.approx(0.35), "q3": 0.9}
    again = ledger("aggregate", "--method", "mean", "--as", "crowd").output
    assert "recorded 3 mean forecasts as crowd, replacing 3" in again
    assert ledger.count("forecast") == 6 + 3
    ledger("aggregate", "--method", "median", "--as", "crowd-2")
    second = {r["question"]: r["probability"] for r in json.loads(ledger("list", "--forecaster", "crowd-2", "--format", "json").stdout)}
    assert second == {"q1": 0.6, "q2": pytest.approx(0.35), "q3": 0.9}  # the mean crowd did not enter this one
    after = _report(ledger, "--min-n", "1")
    for person in ("a", "b", "c"):  # nor anyone's peer or relative scores
        for column in ("peer", "peer_sum", "relative_brier", "time_relative", "relative_skill"):
            assert after[person][column] == pytest.approx(before[person][column]), (person, column)
    assert after["crowd"]["peer"] is not None and after["crowd"]["n"] == 3
    shown = {r["id"]: r for r in json.loads(ledger("forecasters", "--format", "json").stdout)}
    assert shown["crowd"]["kind"] == shown["crowd-2"]["kind"] == "aggregate"
    assert shown["crowd"]["name"] == "crowd (mean)"  # the name the ledger gave follows the method of the last run
    with Ledger(ledger.url) as lg:
        lg.aggregate("median", "crowd", name="The crowd")
        lg.aggregate("mean", "crowd")
        assert {f["id"]: f["name"] for f in lg.forecasters()}["crowd"] == "The crowd"  # a name someone gave stays


def test_aggregate_refuses_to_replace_a_person_and_bad_methods(ledger):
    _three(ledger)
    refused = ledger("aggregate", "--method", "median", "--as", "a", ok=False)
    assert "error: --as: forecaster 'a' is a person, not an aggregate" in refused.output
    assert ledger.count("forecast") == 6
    assert ledger("aggregate", "--method", "medain", "--as", "x", ok=None).exit_code == 2
    with Ledger(ledger.url) as lg, pytest.raises(Exception, match="did you mean 'median'") as raised:
        lg.aggregate("medain", "x")
    assert raised.value.fields == ["method"]


def test_aggregate_as_of_and_track_record_without_look_ahead(ledger):
    _three(ledger)
    ledger("add", "--question", "q5", "--question-text", "Q5?", "--forecaster", "a", "--probability", "0.9", "--made-on", "2026-02-01")
    ledger("add", "--question", "q5", "--forecaster", "b", "--probability", "0.1", "--made-on", "2026-02-01")
    ledger("add", "--question", "q1", "--forecaster", "c", "--probability", "0.9", "--made-on", "2026-01-05")
    with Ledger(ledger.url) as lg:
        assert lg.aggregate("median", "early", as_of=dt.date(2026, 1, 2))["questions"] == 3  # q5 was not asked yet
        early = {r["question"]: r["probability"] for r in lg.forecast_rows(forecaster="early")}
        assert early["q1"] == 0.6  # c's revision of the 5th came later
        lg.aggregate("track-record", "weighted")
        weighted = {r["question"]: r["probability"] for r in lg.forecast_rows(forecaster="weighted")}
    # on q5 (2026-02-01) a's record on q1–q3 (Brier .04, .04, .01) outweighs b's (.16, .25): both shrunk toward 0.25 by 5
    k = 5
    wa, wb = (k + 3) / (0.09 + k * 0.25), (k + 2) / (0.41 + k * 0.25)
    assert weighted["q5"] == pytest.approx((0.9 * wa + 0.1 * wb) / (wa + wb))
    assert weighted["q1"] == pytest.approx((0.8 + 0.6 + 0.9) / 3)  # nothing had resolved before q1's crowd was formed


def test_show_gives_the_crowd_median_and_spread(ledger):
    for forecaster, p in (("a", "0.2"), ("b", "0.4"), ("c", "0.5"), ("d", "0.9")):
        ledger("add", "--question", "open-q", "--question-text", "Open?", "--forecaster", forecaster, "--name", forecaster,
               "--probability", p, "--made-on", "2026-01-01")
    ledger("add", "--question", "open-q", "--forecaster", "d", "--probability", "0.7", "--made-on", "2026-01-03")  # d's latest
    ledger("aggregate", "--method", "mean", "--as", "crowd")  # never counted in the spread
    shown = ledger("show", "open-q").stdout
    assert "crowd: median 45% of 4 forecasters' latest forecasts; middle half 35%–55%, range 20%–70%" in " ".join(shown.split())  # wrapped to the terminal
    crowd = json.loads(ledger("show", "open-q", "--format", "json").stdout)["crowd"]
    assert crowd == {"forecasters": 4, "median": 0.45, "quartile_low": pytest.approx(0.35), "quartile_high": pytest.approx(0.55),
                     "lowest": 0.2, "highest": 0.7}


def test_report_by_horizon_and_calibration_by_quarter(ledger):
    for question, made, p in (("h1", "2026-01-08", 0.9), ("h2", "2025-12-01", 0.8), ("h3", "2025-01-01", 0.3)):
        ledger("add", "--question", question, "--question-text", f"{question}?", "--forecaster", "ana", "--name", "Ana",
               "--probability", str(p), "--made-on", made)
        ledger("resolve", question, "yes", "--on", "2026-01-10")
    rows = json.loads(ledger("report", "--by", "horizon", "--format", "json").stdout)
    assert [(r["horizon"], r["n"]) for r in rows] == [("≤7 days", 1), ("31–90 days", 1), (">365 days", 1)]
    assert "Accuracy by horizon" in ledger("report", "--by", "horizon").stdout
    table = json.loads(ledger("calibration", "--by", "quarter", "--bins", "5", "--format", "json").stdout)
    assert sorted({r["period"] for r in table}) == ["2025-Q1", "2025-Q4", "2026-Q1"] and len(table) == 15
    printed = ledger("calibration", "--by", "year").stdout
    assert "forecasts made in 2025 (2 scored)" in printed and "forecasts made in 2026 (1 scored)" in printed


def _forecastbench_ledger(make_ledger, tmp_path, folder, questions):
    cli = make_ledger(f"sqlite:///{tmp_path / (questions + '.db')}")
    path = tmp_path / f"{questions}.csv"
    long_rows(folder / FORECASTBENCH[0], folder / FORECASTBENCH[1], questions).to_csv(path, index=False)
    cli("import", str(path))
    cli("aggregate", "--method", "median", "--as", "sf-median")
    return cli


@pytest.mark.parametrize("questions", ["dataset", "market"])
def test_forecastbench_slice_median_matches_pandas(make_ledger, tmp_path, questions):
    cli = _forecastbench_ledger(make_ledger, tmp_path, SLICE, questions)
    ours = _report(cli)["sf-median"]
    rows = long_rows(SLICE / FORECASTBENCH[0], SLICE / FORECASTBENCH[1], questions)
    resolved = rows[rows["outcome"] != ""]
    median = resolved.groupby("question").agg(p=("probability", "median"), o=("outcome", "first"))
    expected = ((median["p"] - (median["o"] == "yes")) ** 2).mean()
    assert ours["n"] == len(median) == {"dataset": 24, "market": 8}[questions]
    assert ours["brier"] == pytest.approx(expected, abs=1e-12)
    assert ours["time_brier"] == pytest.approx(expected, abs=1e-12)  # one forecast each, standing until it resolved


@pytest.mark.slow
@pytest.mark.skipif(not (FULL / FORECASTBENCH[0]).exists(), reason=f"the shared ForecastBench files are not at {FULL}")
def test_forecastbench_superforecaster_median_reproduces_the_leaderboard(make_ledger, tmp_path):
    board = pd.read_csv(FULL / "human_leaderboard_overall.at-427da6d9.csv")
    published = board[board["Model"] == "Superforecaster median forecast"].iloc[0]
    assert (published["Dataset Score (N=521)"], published["Market Score (resolved) (N=54)"]) == (0.122, 0.082)
    for questions, column, n in (("dataset", "Dataset Score (N=521)", 521), ("market", "Market Score (resolved) (N=54)", 54)):
        median = _report(_forecastbench_ledger(make_ledger, tmp_path, FULL, questions))["sf-median"]
        assert median["n"] == n and round(median["brier"], 3) == published[column], questions


def test_forecastbench_slice_carries_its_attribution_and_licence():
    assert "Attribution-ShareAlike 4.0 International" in (SLICE / "LICENSE.CC-BY-SA-4.0.txt").read_text(encoding="utf-8")
    readme = (SLICE / "README.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in readme and "github.com/forecastingresearch/forecastbench-datasets" in readme


def test_pairwise_of_one_forecaster_and_of_an_unknown_one(ledger):
    _three(ledger)
    with Ledger(ledger.url) as lg:
        mine = lg.pairwise(forecaster="a")
        assert len(mine) == 2 and set(mine["forecaster"]) == {"a"} and set(mine["other"]) == {"b", "c"}
        with pytest.raises(NotFound) as raised:
            lg.pairwise(forecaster="d")
    assert raised.value.fields == ["forecaster"]
    wrong = ledger("pairwise", "--forecaster", "bb", ok=False)
    assert wrong.exit_code == 1 and "error: --forecaster: unknown forecaster 'bb'" in wrong.output
