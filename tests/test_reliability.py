"""Nothing lost, nothing corrupted: concurrent writers, killed imports, atomic exports, secrets."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from conftest import ROOT

WORKERS, COMMANDS = 8, 50
ROWS = 200_000


def test_concurrent_writers_lose_nothing(ledger, tmp_path):
    ledger("add", "--question", "contested", "--question-text", "Will the contested thing happen?", "--forecaster", "setup",
           "--name", "Setup", "--probability", "0.5")
    ready = tmp_path / "ready"
    ready.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tests")}
    workers = [subprocess.Popen([sys.executable, str(ROOT / "tests" / "concurrency_worker.py"), ledger.url, str(w), str(COMMANDS),
                                 str(ready), str(WORKERS)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
               for w in range(WORKERS)]
    reports = []
    for process in workers:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
        reports.append(json.loads(out.strip().splitlines()[-1]))
    results = [r for report in reports for r in report["results"]]
    for r in results:
        assert r["error"] is None, r
        assert "database is locked" not in r["output"] and "Traceback" not in r["output"], r
    routine = [r for r in results if "contested" not in r["args"]]
    assert all(r["code"] == 0 for r in routine), [r for r in routine if r["code"]][:3]
    assert ledger.count("forecast") == WORKERS * COMMANDS + 1  # every one of the 400 is there
    assert ledger.count("question") == 1 + 5 + WORKERS * COMMANDS // 2
    contested = [r for r in results if "contested" in r["args"]]
    winners = [r for r in contested if r["code"] == 0]
    losers = [r for r in contested if r["code"] != 0]
    assert len(winners) == 1 and len(losers) == WORKERS - 1
    for r in losers:
        assert r["code"] == 1 and ("already resolved" in r["output"] or "same moment" in r["output"]), r["output"]
    detail = json.loads(ledger("show", "contested", "--format", "json").stdout)
    assert len(detail["resolutions"]) == 1


def _big_csv(path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("question,forecaster,probability,made_on,outcome\n")
        for i in range(rows):
            out.write(f"q{i % 5000},f{i % 300},0.{i % 9 + 1},2025-01-{i % 28 + 1:02d},{'yes' if i % 5000 < 2500 else ''}\n")


def test_import_killed_half_way_leaves_the_ledger_as_before(ledger, make_ledger, tmp_path):
    ledger("import", "predictions.yaml")
    before = ledger.counts()
    path = tmp_path / "big.csv"
    _big_csv(path, ROWS)
    command = [sys.executable, "-m", "ledger", "import", str(path), "--quiet"]
    scratch = make_ledger(f"sqlite:///{tmp_path / 'scratch.db'}")  # how long a whole import takes here
    started = time.time()
    subprocess.run(command[:3] + ["--db", scratch.url] + command[3:], cwd=ledger.folder, check=True, capture_output=True)
    whole = time.time() - started
    # Killed at 60% of that: while the file is read and checked, or inside the one transaction that
    # writes it, before its commit.
    scratch_folder = tmp_path / "tmp"  # its temporary files: none may outlive it
    scratch_folder.mkdir()
    process = subprocess.Popen(command[:3] + ["--db", ledger.url] + command[3:], cwd=ledger.folder,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "TMPDIR": str(scratch_folder)})
    time.sleep(0.6 * whole)
    assert process.poll() is None, "the import finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert ledger.counts() == before
    assert not any(scratch_folder.iterdir())  # its staged rows went with it
    if ledger.url.startswith("sqlite"):
        engine = sa.create_engine(ledger.url)
        with engine.connect() as conn:
            assert conn.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
        engine.dispose()
    assert f"{ROWS} forecasts" in ledger("import", str(path), "--quiet").output  # running it again completes it
    assert ledger.count("forecast") == before["forecast"] + ROWS


def test_export_is_atomic(sqlite_ledger, monkeypatch):
    import ledger.io.files as files

    sqlite_ledger("import", "predictions.yaml")
    target = sqlite_ledger.folder / "ledger.yaml"
    target.write_text("the previous export\n", encoding="utf-8")

    def crash(*_):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(files.os, "replace", crash)
    failed = sqlite_ledger("export", "-o", str(target), ok=False).output
    assert "error: --output: cannot write" in failed and "Input/output error" in failed
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert [p.name for p in sqlite_ledger.folder.iterdir() if p.name.startswith(".ledger.yaml")] == []


@pytest.mark.parametrize("args", [["list"], ["report"], ["import", "predictions.yaml"], ["db", "current"], ["db", "upgrade"],
                                  ["resolve", "q", "yes"], ["export"]])
def test_database_password_never_shown(sqlite_ledger, args):
    cli = type(sqlite_ledger)("postgresql+psycopg://reader:s3cret-Pa55@127.0.0.1:1/ledger", sqlite_ledger.folder, sqlite_ledger.runner)
    result = cli(*args, ok=None)
    assert result.exit_code == 1
    assert "s3cret-Pa55" not in result.output and "Traceback" not in result.output
