"""One of several processes writing to one ledger at once (driven by test_reliability.py).

    python concurrency_worker.py URL WORKER COUNT READY_DIR WORKERS

Runs COUNT `ledger add` commands (half on questions every worker shares, half on its own questions,
each resolved at once) through the CLI, then waits until every worker is ready and resolves the
shared question "contested" at the same moment as the others.
Prints one JSON line: each command's exit code and output.
"""

import json
import os
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from ledger.cli import app

url, worker, count, ready, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]), int(sys.argv[5])
runner = CliRunner()
results = []


def run(*args):
    result = runner.invoke(app, ["--db", url, *args])
    results.append({"args": list(args), "code": result.exit_code, "output": result.output,
                    "error": repr(result.exception) if result.exception and not isinstance(result.exception, SystemExit) else None})


for i in range(count):
    # even: add to one of five questions every worker creates and writes to; odd: a question of its own, resolved at once
    question = f"shared-{i % 5}" if i % 2 == 0 else f"own-{worker}-{i}"
    run("add", "--question", question, "--question-text", f"Will {question} happen?", "--forecaster", f"worker-{worker}",
        "--name", f"Worker {worker}", "--probability", f"{(i % 9 + 1) / 10}", "--made-on", f"2026-01-{i % 28 + 1:02d}",
        "--quote", f"worker {worker} forecast {i}")
    if i % 2:
        run("resolve", question, "yes", "--on", "2026-02-01")
(ready / f"{worker}").touch()
deadline = time.time() + 60
while len(list(ready.iterdir())) < workers and time.time() < deadline:
    time.sleep(0.01)
run("resolve", "contested", "yes" if worker % 2 else "no", "--note", f"worker {worker}")
print(json.dumps({"worker": worker, "pid": os.getpid(), "results": results}))
