"""Tables fit the terminal: 80 columns when piped unless COLUMNS says otherwise, secondary columns
left out with a note saying how to see them, --wide for everything."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ledger.cli import app, output
from ledger.cli.output import render
from ledger.cli.width import fit

TABLES = [["report"], ["list"], ["show", "congress-opening"], ["due", "--within", "400"], ["forecasters"], ["sources"],
          ["calibration"], ["report", "--by", "phrase"], ["extract", "docs/sources/001_e02439be91a7ab0b.txt", "--dry-run"]]


@pytest.fixture
def resolved(seeded):
    seeded("resolve", "congress-opening", "2026-02-19")
    seeded("resolve", "congress-closing", "2026-02-25")
    return seeded


def _widest(text: str) -> int:
    return max(map(len, text.splitlines()))


@pytest.mark.parametrize("width", [80, 60])
def test_every_table_fits_the_width_that_columns_gives(resolved, width):
    for args in TABLES:
        out = resolved.runner.invoke(app, ["--db", resolved.url, *args], env={"COLUMNS": str(width)})
        assert out.exit_code == 0, out.output
        assert _widest(out.stdout) <= width, (args, out.stdout)


def test_a_narrow_table_says_what_it_left_out_and_wide_shows_it(resolved):
    narrow = resolved("list", "--limit", "5").stdout
    assert "more columns to see: source, made on, basis, voided; --wide shows every column, --format json or csv every field" in \
        " ".join(narrow.split())
    assert "strong" not in narrow  # the basis column ('strong possibility') is among those left out
    wide = resolved("--wide", "list", "--limit", "5").stdout
    assert "more columns" not in wide and "'expected to' (hedges 60%–90%)" in wide and _widest(wide) > 80
    after = resolved("list", "--limit", "5", "--wide").stdout  # a global option, after the command too
    assert after == wide
    report = resolved("report").stdout
    assert "forecaster" in report and "brier (95% CI)" in report and "more columns to see:" in report
    assert "0.160 (0.160–0.160)" in report  # the interval is never broken across lines


def test_piped_output_is_80_columns_unless_columns_says_otherwise(resolved):
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}

    def run(environment):
        return subprocess.run([sys.executable, "-m", "ledger", "--db", resolved.url, "list"], capture_output=True, text=True,
                              cwd=resolved.folder, env=environment, check=True).stdout

    assert _widest(run(env)) <= 80 and "more columns" in run(env)
    roomy = run({**env, "COLUMNS": "250"})
    assert _widest(roomy) > 80 and "more columns" not in roomy


def test_fitting_keeps_numbers_and_ids_whole_and_drops_secondary_columns_first():
    columns = ["id", "n", "note", "extra"]
    cells = [["congress-opening"], ["12345"], ["too few resolved forecasts to judge"], ["x" * 30]]
    fitted = fit(columns, cells, [False, True, False, False], 40, 2, ("extra",))
    assert fitted.columns == ["id", "n", "note"] and fitted.hidden == ["extra"]
    assert fitted.widths[:2] == [16, 5] and sum(fitted.widths) + 2 * 2 <= 40
    assert fit(columns, cells, [False, True, False, False], None, 2).widths == [16, 5, 35, 30]  # --wide


def test_a_terminal_gets_a_ruled_table_within_its_width(monkeypatch):
    monkeypatch.setenv("COLUMNS", "50")
    monkeypatch.setattr(output, "on_terminal", lambda: True)
    rows = [{"id": i, "question": f"question-{i}", "claim": "a long claim that has to wrap onto more lines " * 2} for i in range(3)]
    text = render(rows, "table", title="Forecasts")
    assert "│" in text and _widest(text) <= 50 and "a long claim" in text


def test_every_commands_help_names_the_global_options(sqlite_ledger):
    for args in (["report"], ["list"], ["show"], ["db", "upgrade"]):
        assert "--db URL, --wide" in " ".join(sqlite_ledger(*args, "--help").output.split()), args
