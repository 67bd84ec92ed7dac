"""A long import beside other writers: it reads and checks its file without the write lock, so `add`
and `resolve` run meanwhile instead of waiting for it (or failing with "database is locked"), and
the import still writes all of its file or none of it."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from test_reliability import _big_csv

ROWS = 200_000


def staging_open(process: subprocess.Popen, folder) -> bool:
    """Whether the process holds a file in `folder` open: the import's staging file, which has no name
    there (Linux shows it in /proc as "folder/#inode (deleted)")."""
    fds = f"/proc/{process.pid}/fd"
    try:
        targets = [os.readlink(f"{fds}/{fd}") for fd in os.listdir(fds)]
    except OSError:  # it ended meanwhile
        return False
    return any(target.startswith(f"{folder}/") for target in targets)


def test_adds_and_resolves_beside_a_large_import(ledger, tmp_path):
    path = tmp_path / "big.csv"
    _big_csv(path, ROWS)
    ledger("add", "--question", "q1", "--question-text", "q1", "--forecaster", "neighbour", "--name", "Neighbour", "--probability", "0.6",
           "--made-on", "2025-01-01")
    staging = tmp_path / "staging"  # the import's temporary file: its checked rows wait there for the write
    staging.mkdir()
    import_ = subprocess.Popen([sys.executable, "-m", "ledger", "--db", ledger.url, "import", str(path), "--quiet"],
                               cwd=ledger.folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "TMPDIR": str(staging)})
    while not staging_open(import_, staging):  # it is reading and checking the file's forecasts
        assert import_.poll() is None, import_.communicate()
        time.sleep(0.01)
    results = []
    i = 0
    while import_.poll() is None or i < 4:
        question = f"beside-{i}"
        for args in (("add", "--question", question, "--question-text", f"Will {question} happen?", "--forecaster", "neighbour",
                      "--name", "Neighbour", "--probability", "0.6", "--made-on", "2026-01-05"),
                     ("resolve", question, "yes", "--on", "2026-02-01"),
                     ("resolve", "q1", "yes")):  # the import resolves q1 the same way: no conflict either way
            result = ledger(*args, ok=None)
            results.append((args[0], result.exit_code, result.output, import_.poll() is None and staging_open(import_, staging)))
        i += 1
    out, err = import_.communicate(timeout=600)
    assert import_.returncode == 0, err
    assert not any(staging.iterdir())
    assert f"{ROWS} forecasts" in out + err
    for command, code, output, _ in results:
        assert code == 0 and "locked" not in output, (command, output)
    # the import did not hold the write lock while it read: other writes committed meanwhile
    assert sum(during for command, _, _, during in results if command == "add") >= 2, results
    assert ledger.count("forecast") == ROWS + i + 1
    assert ledger.count("resolution") == 2500 + i  # q0…q2499 resolved once each, q1 included; each beside-N once

