"""The CLI end to end on real databases (SQLite and PostgreSQL): the seed case from load to report."""

from __future__ import annotations

import csv
import io
import json

import yaml

from ledger.cli import app
from ledger.db.engine import SCHEMA_REVISION


def test_init_loads_predictions_and_reports(db_url, make_ledger):
    cli = make_ledger(db_url, init=False)
    out = cli("init").output
    assert f"schema at revision {SCHEMA_REVISION}" in out
    assert "added 2 sources, 8 forecasters, 18 questions, 31 forecasts" in out
    rows = json.loads(cli("report", "--format", "json").stdout)
    assert {r["forecaster"] for r in rows} >= {"koh-yu-hwan", "hong-min", "lim-eul-chul", "experts", "observers"}
    assert sum(r["n"] + r["open"] + r["voided"] + r["annulled"] for r in rows) == 31
    assert all(r["n"] == 0 and r["brier"] is None for r in rows)
    again = cli("init").output  # idempotent: init twice changes nothing
    assert "added nothing new; 59 already in the ledger" in again


def test_list_json_has_stable_keys(seeded):
    rows = json.loads(seeded("list", "--format", "json").stdout)
    assert len(rows) == 31
    # the listing's columns, then every other described field of a forecast (ForecastFields)
    assert list(rows[0]) == ["id", "question", "forecaster", "source", "made_on", "probability", "basis", "claim", "status", "voided",
                             "quote", "option", "condition"]
    assert all(list(row) == list(rows[0]) for row in rows)
    lim = [r for r in rows if r["forecaster"] == "lim-eul-chul"]
    assert {r["source"] for r in lim} == {"seed-000", "seed-001"}  # Lim Eul-chul appears in both articles
    strong = next(r for r in lim if r["question"] == "two-states-party-rules")
    assert strong["probability"] == 0.7 and "strong possibility" in strong["basis"]


def test_list_filters_and_limit(seeded):
    by_source = json.loads(seeded("list", "--source", "seed-000", "--format", "json").stdout)
    assert len(by_source) == 14 and {r["source"] for r in by_source} == {"seed-000"}
    tagged = json.loads(seeded("list", "--tag", "timing", "--format", "json").stdout)
    assert {r["question"] for r in tagged} == {"congress-opening", "congress-closing", "politburo-sets-dates"}
    assert len(json.loads(seeded("list", "--limit", "3", "--format", "json").stdout)) == 3
    hong = json.loads(seeded("list", "--forecaster", "hong-min", "--format", "json").stdout)
    assert len(hong) == 3


def test_resolve_the_opening_date_and_report(seeded):
    seeded("resolve", "congress-opening", "2026-02-19", "--evidence", "Xinhua, 20 February 2026", "--note", "opened in Pyongyang")
    seeded("resolve", "congress-closing", "2026-02-25", "--evidence", "Xinhua, 26 February 2026")
    rows = {r["forecaster"]: r for r in json.loads(seeded("report", "--format", "json").stdout)}
    # experts said "could" (0.4) for 6–10 February (wrong) and for closing by 15 February (wrong)
    assert rows["experts"]["n"] == 2 and abs(rows["experts"]["brier"] - 0.16) < 1e-12
    # seed 000's newsroom said "expected" (0.75) for after the 16th: right
    assert rows["newsroom-000"]["n"] == 1 and abs(rows["newsroom-000"]["brier"] - 0.0625) < 1e-12
    listed = json.loads(seeded("list", "--status", "resolved", "--format", "json").stdout)
    assert {r["question"] for r in listed} == {"congress-opening", "congress-closing"}
    detail = json.loads(seeded("show", "congress-opening", "--format", "json").stdout)
    assert detail["status"] == "resolved"
    assert [r["outcome"] for r in detail["resolutions"]] == ["2026-02-19"]


def test_resolution_is_never_overwritten_only_corrected(seeded):
    seeded("resolve", "politburo-sets-dates", "yes", "--on", "2026-02-07")
    refused = seeded("resolve", "politburo-sets-dates", "ambiguous", ok=False)
    assert "already resolved as 'yes'" in refused.output and "--correct" in refused.output
    assert "correction: true" not in refused.output  # the file's spelling, not the command's
    seeded("resolve", "politburo-sets-dates", "ambiguous", "--correct", "--note", "the meeting approved the plan but set no dates")
    detail = json.loads(seeded("show", "politburo-sets-dates", "--format", "json").stdout)
    assert [(r["sequence"], r["outcome"], r["correction"]) for r in detail["resolutions"]] == [(1, "yes", False), (2, "ambiguous", True)]
    assert detail["status"] == "ambiguous"
    report = {r["forecaster"]: r for r in json.loads(seeded("report", "--format", "json").stdout)}
    assert report["observers"]["n"] == 0 and report["observers"]["annulled"] == 1  # ambiguous: not scored


def test_void_a_failed_condition(seeded):
    rows = json.loads(seeded("list", "--question", "us-stance", "--forecaster", "analysts", "--format", "json").stdout)
    (conditional,) = rows
    out = seeded("void", str(conditional["id"]), "--reason", "Washington sent no new signal before the congress").output
    assert "voided forecast" in out
    again = seeded("void", str(conditional["id"]), "--reason", "twice", ok=False)
    assert "already voided" in again.output
    seeded("resolve", "us-stance", "no outreach")
    report = {r["forecaster"]: r for r in json.loads(seeded("report", "--format", "json").stdout)}
    assert report["analysts"]["voided"] == 1
    assert report["observers"]["n"] == 1 and abs(report["observers"]["brier"] - (1 - 0.675) ** 2) < 1e-12


def test_due_lists_overdue_questions(seeded):
    rows = json.loads(seeded("due", "--format", "json").stdout)
    ids = {r["question"] for r in rows}
    assert "congress-opening" in ids and "two-states-constitution" not in ids  # that one is due on 2026-12-31
    seeded("resolve", "congress-opening", "2026-02-19")
    assert "congress-opening" not in {r["question"] for r in json.loads(seeded("due", "--format", "json").stdout)}
    soon = json.loads(seeded("due", "--within", "60", "--format", "json").stdout)
    assert "two-states-constitution" in {r["question"] for r in soon}


def test_forecasters_and_sources(seeded):
    people = {r["id"]: r for r in json.loads(seeded("forecasters", "--format", "json").stdout)}
    assert people["lim-eul-chul"]["forecasts"] == 3 and people["experts"]["kind"] == "collective"
    assert people["hong-min"]["affiliation"].startswith("senior research fellow")
    sources = json.loads(seeded("sources", "--format", "json").stdout)
    assert [s["id"] for s in sources] == ["seed-001", "seed-000"]  # by publication date
    table = seeded("sources").stdout
    assert "seed-001" in table and "2026-02-02" in table


def test_add_creates_what_is_new(seeded):
    seeded("add", "--question", "congress-opening", "--forecaster", "lim-eul-chul", "--source", "seed-001",
           "--probability", "60%", "--window", "2026-02-06..2026-02-12", "--made-on", "2026-02-03")
    seeded("add", "--question", "sanctions-exemption", "--question-text", "Will the UN approve a humanitarian sanctions exemption by April?",
           "--forecaster", "jane-analyst", "--name", "Jane Analyst", "--affiliation", "A think tank",
           "--source", "blog-1", "--title", "A blog post", "--published-on", "2026-02-10", "--says", "very likely")
    rows = json.loads(seeded("list", "--question", "sanctions-exemption", "--format", "json").stdout)
    assert rows[0]["probability"] == 0.875 and rows[0]["made_on"] == "2026-02-10"
    detail = json.loads(seeded("show", "congress-opening", "--format", "json").stdout)
    lim = [f for f in detail["forecasts"] if f["forecaster"] == "lim-eul-chul"]
    assert lim[0]["probability"] == 0.6 and lim[0]["basis"] == "stated"
    missing = seeded("add", "--question", "brand-new", "--forecaster", "hong-min", "--probability", "0.5", ok=False)
    assert "--question-text" in missing.output


def test_add_prompts_on_a_terminal(seeded, monkeypatch):
    import ledger.cli as cli

    monkeypatch.setattr(cli, "_interactive", lambda: True)
    seeded("add", "--question", "new-q", "--forecaster", "new-person", input="Will it rain?\nNew Person\nlikely\n")
    row = json.loads(seeded("list", "--question", "new-q", "--format", "json").stdout)[0]
    assert row["probability"] == 0.675


def _snapshot(cli) -> dict:
    doc = yaml.safe_load(cli("export", "--format", "yaml").stdout)
    for rec in doc["resolutions"]:
        rec.pop("recorded_at")
    return doc


def test_export_import_round_trip_with_history(seeded, make_ledger, tmp_path):
    seeded("resolve", "congress-opening", "2026-02-20")
    seeded("resolve", "congress-opening", "2026-02-19", "--correct", "--note", "KCNA dated the opening 19 February")
    seeded("resolve", "two-states-constitution", "annulled", "--note", "question withdrawn")
    first = json.loads(seeded("list", "--format", "json").stdout)[0]["id"]
    seeded("void", str(first), "--reason", "test")
    for fmt in ("yaml", "json"):
        out = seeded.folder / f"ledger.{fmt}"
        seeded("export", "--format", fmt, "-o", str(out))
        other = make_ledger(f"sqlite:///{tmp_path / f'copy-{fmt}.db'}", folder=seeded.folder)
        other("import", str(out))
        assert other("export", "--format", "yaml").stdout == seeded("export", "--format", "yaml").stdout
        assert "added nothing new" in other("import", str(out)).output  # idempotent
        assert other.counts() == seeded.counts()


def test_csv_export_import(seeded, make_ledger, tmp_path):
    seeded("resolve", "congress-opening", "2026-02-19")
    seeded("resolve", "us-stance", "no outreach")
    text = seeded("export", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 31
    opening = [r for r in rows if r["question"] == "congress-opening"]
    assert {r["outcome"] for r in opening} == {"2026-02-19"}  # one resolution repeated per row
    path = seeded.folder / "ledger.csv"
    path.write_text(text, encoding="utf-8")
    other = make_ledger(f"sqlite:///{tmp_path / 'copy.db'}", folder=seeded.folder)
    other("import", str(path))
    assert json.loads(other("list", "--format", "json").stdout) == json.loads(seeded("list", "--format", "json").stdout)
    assert "added nothing new" in other("import", str(path)).output


def test_a_csv_export_imports_back_into_its_own_ledger(seeded):
    """The CSV names only the options its rows use, in the order met: some of the question's, never a
    conflict with them. An option the question does not have still is."""
    path = seeded.folder / "ledger.csv"
    seeded("export", "--format", "csv", "-o", str(path))
    before = seeded.counts()
    assert "added nothing new" in seeded("import", str(path)).output
    assert seeded.counts() == before
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    extra = {**next(r for r in rows if r["question"] == "us-stance" and r["option"]), "id": "new-one", "option": "invasion"}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows([*rows, extra])
    path.write_text(out.getvalue(), encoding="utf-8")
    refused = seeded("import", str(path), ok=False).output
    assert "question 'us-stance' is already in the ledger with different values (options:" in refused


def test_init_with_a_misspelled_file_is_refused_before_anything_is_made(make_ledger, tmp_path):
    """The default predictions.yaml is loaded when it is there; a --file named must be."""
    cli = make_ledger(f"sqlite:///{tmp_path / 'new.db'}", init=False)
    refused = cli("init", "--file", "predictons.yaml", ok=False)
    assert refused.exit_code == 1
    assert "error: predictons.yaml: no such file; did you mean 'predictions.yaml'?" in refused.output
    assert not (tmp_path / "new.db").exists()
    assert "predictions.yaml: added 2 sources" in cli("init").output


def test_dry_run_writes_nothing(ledger):
    before = ledger.counts()
    out = ledger("import", "predictions.yaml", "--dry-run").output
    assert "would have added 2 sources" in out and "nothing written" in out
    assert ledger.counts() == before


def test_csv_import_creates_named_things(sqlite_ledger):
    path = sqlite_ledger.folder / "pb.csv"
    path.write_text(
        "question,forecaster,probability,made_on,outcome,question_text\n"
        "q1,alice,0.8,2020-01-01,yes,Will it happen?\n"
        "q1,bob,30%,2020-01-02,yes,Will it happen?\n"
        "q2,alice,0.1,2020-01-03,no,\n", encoding="utf-8")
    assert "added 2 forecasters, 2 questions, 3 forecasts, 2 resolutions" in sqlite_ledger("import", str(path)).output
    rows = {r["forecaster"]: r for r in json.loads(sqlite_ledger("report", "--format", "json").stdout)}
    assert abs(rows["alice"]["brier"] - ((0.8 - 1) ** 2 + 0.1 ** 2) / 2) < 1e-12
    assert abs(rows["bob"]["brier"] - 0.49) < 1e-12


def test_version_and_module_entry(sqlite_ledger):
    import subprocess
    import sys

    assert sqlite_ledger("--version").output.startswith("ledger ")
    done = subprocess.run([sys.executable, "-m", "ledger", "--db", sqlite_ledger.url, "forecasters", "--format", "csv"],
                          capture_output=True, text=True, cwd=sqlite_ledger.folder, check=True)
    assert done.stdout.startswith("id,name,affiliation,kind,forecasts")


def test_a_misspelled_id_gets_did_you_mean_in_every_command_that_takes_one(seeded):
    """The error names the argument that was wrong and the closest ids; nothing is created."""
    before = seeded.counts()
    cases = [
        (["resolve", "congres-opening", "2026-02-19"], "QUESTION: unknown question 'congres-opening'; did you mean 'congress-opening'?"),
        (["show", "congres-opening"], "QUESTION: unknown question 'congres-opening'; did you mean 'congress-opening'?"),
        (["add", "--question", "congres-opening", "--forecaster", "hong-min", "--probability", "0.5"],
         "--question: unknown question 'congres-opening'; did you mean 'congress-opening'?"),
        (["add", "--question", "congress-opening", "--forecaster", "hong-mim", "--probability", "0.5", "--window", "2026-02-06..2026-02-10"],
         "--forecaster: unknown forecaster 'hong-mim'; did you mean 'hong-min'?"),
        (["add", "--question", "congress-closing", "--forecaster", "hong-min", "--source", "seed-01", "--probability", "0.5",
          "--window", "2026-02-20..2026-02-25"], "--source: unknown source 'seed-01'; did you mean 'seed-001'"),
        (["list", "--forecaster", "lim-eul-chull"], "--forecaster: unknown forecaster 'lim-eul-chull'; did you mean 'lim-eul-chul'?"),
        (["list", "--question", "congres-opening"], "--question: unknown question 'congres-opening'"),
        (["list", "--source", "seed-01"], "--source: unknown source 'seed-01'"),
        (["list", "--source", "s2"], "--source: unknown source 's2'; the sources are 'seed-000', 'seed-001'"),  # none close: the few there are
    ]
    for args, words in cases:
        out = seeded(*args, ok=False).output
        assert words in out, (args, out)
    assert seeded.counts() == before


def test_add_refuses_a_number_and_words_together_and_the_same_forecast_twice(seeded):
    both = seeded("add", "--question", "parallel-line", "--forecaster", "hong-min", "--probability", "0.6", "--says", "likely", ok=False)
    assert "--probability: give the forecaster's words (says) or a stated probability, not both" in both.output
    args = ("add", "--question", "parallel-line", "--forecaster", "hong-min", "--probability", "0.6", "--made-on", "2026-02-03")
    first = seeded(*args).output
    number = first.split("recorded forecast ")[1].split()[0]
    before = seeded.counts()
    again = seeded(*args, ok=False).output
    assert f"already recorded as forecast {number}" in again
    assert seeded.counts() == before


def test_global_options_before_or_after_the_command(seeded):
    before = seeded.runner.invoke(app, ["--db", seeded.url, "list", "--format", "json"])
    after = seeded.runner.invoke(app, ["list", "--format", "json", "--db", seeded.url])
    equals = seeded.runner.invoke(app, ["list", f"--db={seeded.url}", "--format", "json"])
    assert before.exit_code == after.exit_code == equals.exit_code == 0
    assert json.loads(before.stdout) == json.loads(after.stdout) == json.loads(equals.stdout)
    version = seeded.runner.invoke(app, ["report", "--version"])  # every global option, --version too
    assert version.exit_code == 0 and version.stdout.startswith("ledger ")


def test_usage_mistakes_are_errors_in_the_one_style_with_exit_2(seeded):
    for args, words in [(["bogus"], "error: No such command 'bogus'; see `ledger --help`"),
                        (["list", "--bogus"], "error: No such option: --bogus; see `ledger list --help`"),
                        (["resolve"], "error: Missing argument 'question'; see `ledger resolve --help`"),
                        (["list", "--limit", "abc"], "error: Invalid value for '--limit'")]:
        result = seeded.runner.invoke(app, ["--db", seeded.url, *args])
        assert result.exit_code == 2 and words in result.output and "Traceback" not in result.output, (args, result.output)
    assert "Usage: ledger" in seeded.runner.invoke(app, []).output  # no command: the help, not an error


def test_short_flags_mean_one_thing_everywhere():
    import typer.main

    meaning: dict[str, set[str]] = {}
    command = typer.main.get_command(app)
    def walk(group):
        for sub in group.commands.values():
            if hasattr(sub, "commands"):
                walk(sub)
            for param in sub.params:
                for flag in param.opts:
                    if len(flag) == 2:
                        meaning.setdefault(flag, set()).update(o for o in param.opts if o.startswith("--"))
    walk(command)
    assert {flag: longs for flag, longs in meaning.items() if len(longs) > 1} == {}
    assert meaning["-q"] == {"--quiet"}


def test_calibration_reads_in_words_and_the_plot_extra_is_named_first(seeded, monkeypatch):
    seeded("resolve", "congress-opening", "2026-02-19")
    seeded("resolve", "congress-closing", "2026-02-25")
    table = seeded("calibration").stdout.splitlines()
    assert table[1].split() == ["forecast", "n", "mean", "forecast", "happened", "share", "95%", "interval"]
    assert [line.split()[0] for line in table[3:]] == ["40–50%", "70–80%"]  # empty bins hidden
    assert "2 of 2" in table[4]
    assert len(json.loads(seeded("calibration", "--format", "json").stdout)) == 10  # every bin for programs
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "matplotlib" else real(name, *a))
    missing = seeded("calibration", "--plot", "chart.png", ok=False)
    assert missing.output == "error: --plot: charts need matplotlib: pip install 'ledger[plot]'\n"
    assert not (seeded.folder / "chart.png").exists()


def test_init_again_after_a_void_changes_nothing(seeded):
    """The guide's order: void a forecast, then run `ledger init` again. The file does not mention
    the voiding, which is the ledger's own later record, so nothing conflicts."""
    conditional = next(r for r in json.loads(seeded("list", "--format", "json").stdout) if r["condition"])
    seeded("void", str(conditional["id"]), "--reason", "Washington sent no new signal before the congress")
    assert "added nothing new" in seeded("init").output
    again = next(r for r in json.loads(seeded("list", "--format", "json").stdout) if r["id"] == conditional["id"])
    assert again["voided"] is True


def test_add_says_what_it_creates_with_the_near_matches_before_creating_it(seeded, monkeypatch):
    import ledger.cli as cli

    made = seeded("add", "--question", "congres-opening-2", "--question-text", "Will a second congress open in 2026?",
                  "--forecaster", "hong-min", "--probability", "0.1")
    assert "new question 'congres-opening-2' (close to 'congress-opening'" in made.stderr
    assert "recorded forecast" in made.stdout
    before = seeded.counts()
    monkeypatch.setattr(cli, "_interactive", lambda: True)  # on a terminal, a near miss is created only if the user agrees
    declined = seeded("add", "--question", "congress-openin", "--question-text", "Typo?", "--forecaster", "hong-min",
                      "--probability", "0.1", input="n\n", ok=False)
    assert "new question 'congress-openin' (close to 'congress-opening'" in declined.output
    assert "error: --question: question 'congress-openin' was not created; nothing was written" in declined.output
    assert seeded.counts() == before
    interrupted = seeded("add", "--question", "congress-openin", "--question-text", "Typo?", "--forecaster", "hong-min",
                         "--probability", "0.1", input="", ok=None)  # Ctrl-C or the end of input at the question
    assert interrupted.exit_code == 130 and "error: interrupted; nothing was written" in interrupted.output
    assert "Traceback" not in interrupted.output and seeded.counts() == before


def test_a_misspelled_filter_or_number_gets_help_in_calibration_and_void(seeded):
    missing = seeded("calibration", "--forecaster", "hong-mim", ok=False)
    assert "error: --forecaster: unknown forecaster 'hong-mim'; did you mean 'hong-min'?" in missing.output
    number = seeded("void", "999", "--reason", "x", ok=False)
    assert "error: FORECAST: unknown forecast '999'" in number.output and "forecasts are numbered 1 to 31" in number.output
    key = json.loads(seeded("export", "--format", "json").stdout)["forecasts"][0]["id"]
    typo = seeded("void", key[:-1] + ("0" if key[-1] != "0" else "1"), "--reason", "x", ok=False)
    assert f"did you mean {key!r}?" in typo.output


def test_import_counts_read_in_the_singular_for_one(sqlite_ledger):
    path = sqlite_ledger.folder / "one.csv"
    path.write_text("question,forecaster,probability,made_on,question_text\nq1,alice,0.8,2020-01-01,Will it?\n", encoding="utf-8")
    assert "added 1 forecaster, 1 question, 1 forecast" in sqlite_ledger("import", str(path)).output


def test_read_only_commands_never_create_a_database(make_ledger, tmp_path):
    cli = make_ledger(f"sqlite:///{tmp_path / 'none' / 'ledger.db'}", init=False)
    (tmp_path / "none").mkdir()
    for args in (["report"], ["list"], ["show", "congress-opening"], ["due"], ["calibration"], ["export"], ["forecasters"],
                 ["sources"], ["export", "-o", "out.yaml"]):
        out = cli(*args, ok=False).output
        assert "has no ledger yet; run `ledger init`" in out, (args, out)
    assert "no ledger there yet: run `ledger init`" in cli("db", "current").output  # asking the revision creates nothing either
    assert list((tmp_path / "none").iterdir()) == [] and not (cli.folder / "out.yaml").exists()


def test_a_file_that_cannot_be_written_is_an_error_not_a_traceback(seeded):
    for args in (["export", "-o", "no/such/folder/ledger.yaml"],
                 ["extract", "docs/sources/001_e02439be91a7ab0b.txt", "-o", "no/such/folder/draft.yaml"]):
        out = seeded(*args, ok=False).output
        assert "error: --output: cannot write no/such/folder/" in out and "(no such folder)" in out, out


def test_siblings_refused_rather_than_ignored_or_crashing(seeded):
    """A --scale no file line needed, an --on beside a date outcome, an unknown schema revision and a
    chart into a missing folder: each is an error naming its argument, and nothing is written."""
    before = seeded.counts()
    scale = seeded("import", "predictions.yaml", "--scale", "bogus", ok=False).output
    assert "error: --scale: unknown scale 'bogus'; known scales: icd203" in scale
    on = seeded("resolve", "congress-opening", "2026-02-19", "--on", "2026-02-20", ok=False).output
    assert "error: --on: " in on and "2026-02-20, differs" in on
    revision = seeded("db", "upgrade", "9999", ok=False).output
    assert "error: REVISION: unknown schema revision '9999'; give head or one of 0001" in revision
    seeded("resolve", "congress-opening", "2026-02-19")
    plot = seeded("calibration", "--plot", "no/such/chart.png", ok=False).output
    assert plot.startswith("error: --plot: cannot write no/such/chart.png (no such folder)")
    assert seeded.counts() == {**before, "resolution": before["resolution"] + 1}


def test_a_misspelled_phrase_or_option_gets_did_you_mean(seeded):
    phrase = seeded("add", "--question", "five-year-plan", "--forecaster", "lim-eul-chul", "--says", "likley", ok=False).output
    assert "error: --says: unknown hedge phrase 'likley' for scale 'icd203'; did you mean 'likely'" in phrase
    words = seeded("add", "--question", "five-year-plan", "--forecaster", "lim-eul-chul", "--says", "pretty sure", ok=False).output
    assert "did you mean 'sure'?" in words
    option = seeded("resolve", "us-stance", "outreac", ok=False).output
    assert "error: OUTCOME: question 'us-stance': 'outreac' is not one of this question's options; did you mean 'outreach'?" in option
    window = seeded("add", "--question", "congress-opening", "--forecaster", "lim-eul-chul", "--probability", "0.6", ok=False).output
    assert "error: --window: question 'congress-opening' asks for a date: give the forecast's window as FROM..TO" in window


def test_ctrl_c_in_the_middle_of_a_write_is_an_interruption_not_a_traceback(seeded, monkeypatch):
    import sqlmodel

    cut = []
    close = sqlmodel.Session.close

    def interrupted(self, *args, **kwargs):  # a statement cut short by Ctrl-C ...
        cut.append(True)
        raise KeyboardInterrupt

    def broken_close(self):  # ... after which its transaction cannot close cleanly
        if cut:
            raise AssertionError("the transaction is still active")
        close(self)

    monkeypatch.setattr(sqlmodel.Session, "commit", interrupted)
    monkeypatch.setattr(sqlmodel.Session, "close", broken_close)
    before = seeded.counts()
    out = seeded("resolve", "congress-opening", "2026-02-19", ok=None)
    assert out.exit_code == 130 and "error: interrupted; nothing was written" in out.output and "Traceback" not in out.output
    monkeypatch.undo()
    assert seeded.counts() == before
