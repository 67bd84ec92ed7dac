"""A small run of the benchmarks, for correctness only (never timed), so that they do not rot."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate


def test_synthetic_ledger_has_the_promised_shape():
    frame = generate.synthetic(20_000, seed=3)
    assert len(frame) == 20_000
    assert frame["question"].nunique() <= 1000 and frame["forecaster"].nunique() <= 200
    per_question = frame.groupby("question").agg(kind=("kind", "first"), resolved=("outcome", lambda o: (o != "").all()))
    assert abs(per_question["resolved"].mean() - 0.8) < 0.05
    assert set(per_question["kind"]) == {"binary", "date", "categorical"}
    assert generate.synthetic(500, seed=3).equals(generate.synthetic(500, seed=3))  # deterministic


def test_floor_script_and_report_agree(sqlite_ledger, tmp_path):
    csv_path = generate.write(3000, tmp_path / "synthetic.csv", seed=1)
    sqlite_ledger("import", str(csv_path))
    report = pd.DataFrame(json.loads(sqlite_ledger("report", "--format", "json").stdout)).set_index("forecaster")
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "floor_score.py"), sqlite_ledger.url.removeprefix("sqlite:///")],
                          capture_output=True, text=True, check=True)
    forecasters, mean = done.stdout.split(" forecasters, mean Brier ")
    scored = report[report["n"] > 0]
    assert int(forecasters) == len(scored)
    assert np.isclose(float(mean), scored["brier"].mean(), atol=1e-12)


def test_pandas_floor_scores_as_the_report_does(sqlite_ledger, tmp_path):
    """F_report reads the CSV the ledger imported and must reach the same mean Brier as the report."""
    csv_path = generate.write(3000, tmp_path / "synthetic.csv", seed=2)
    sqlite_ledger("import", str(csv_path))
    report = pd.DataFrame(json.loads(sqlite_ledger("report", "--format", "json").stdout)).set_index("forecaster")
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "floor_report.py"), str(csv_path)],
                          capture_output=True, text=True, check=True)
    forecasters, mean = done.stdout.split(" forecasters, mean Brier ")
    scored = report[report["n"] > 0]
    assert int(forecasters) == len(scored)
    assert np.isclose(float(mean), scored["brier"].mean(), atol=1e-12)


def test_benchmark_runner_writes_its_table(tmp_path):
    output = tmp_path / "results.md"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "400", "--runs", "1",
                    "--work", str(tmp_path / "work"), "--output", str(output)], check=True, capture_output=True, text=True)
    text = output.read_text(encoding="utf-8")
    for measure in ("F_cli", "F_db", "F_score", "ledger --help", "ledger add", "ledger resolve", "ledger list --limit 50",
                    "ledger show ID", "ledger report", "ledger report --format json", "ledger import (400 rows)", "F_import", "F_report",
                    "ledger report (beside F_report)", "ledger report --format json (beside F_report)",
                    "ledger import again (nothing new)"):
        assert f"| {measure} |" in text, measure


def _imported_by(folder, *args: str) -> set[str]:
    """The top-level packages a `ledger` process has imported when it finishes (its last act,
    `_leave`, ends the process at once: here it returns to say what is loaded)."""
    code = ("import sys, runpy\n"
            "import ledger.cli\n"
            "ledger.cli._leave = sys.exit\n"
            f"sys.argv = ['ledger', *{list(args)!r}]\n"
            "try:\n    runpy.run_module('ledger', run_name='__main__')\n"
            "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=folder, check=True)
    return set(done.stdout.splitlines()[-1].split())


def test_each_command_imports_only_what_its_floor_allows(sqlite_ledger):
    """The speed targets rest on these: help on typer alone; a SQLite report without SQLAlchemy,
    the models or pydantic; listings without pandas."""
    heavy = {"sqlalchemy", "sqlmodel", "pydantic", "pandas", "numpy", "alembic", "rich"}
    assert _imported_by(sqlite_ledger.folder, "--help") & heavy == set()
    url = ["--db", sqlite_ledger.url]
    assert _imported_by(sqlite_ledger.folder, *url, "report") & heavy == {"pandas", "numpy"}
    assert _imported_by(sqlite_ledger.folder, *url, "list", "--limit", "5") & heavy == {"sqlalchemy", "sqlmodel", "pydantic"}
