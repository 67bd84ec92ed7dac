"""Benchmarks: whole `ledger` processes against the floors they cannot beat, at several sizes.

    python benchmarks/run.py [--sizes 10000 100000 1000000] [--runs 5] [--postgres] [--augur]

For each size it generates a deterministic synthetic ledger (benchmarks/generate.py), imports it,
and times each command (median wall time and peak RSS of several runs) beside the floors measured in
the same run: F_cli = `python -c "import typer"`, F_db = `python -c "import typer, sqlmodel"`,
F_score = benchmarks/floor_score.py (sqlite3 + numpy, mean Brier per forecaster), and issue 16's
floors: F_import = benchmarks/floor_import.py (pandas reads the CSV, sqlite3 executemany writes it),
F_report = benchmarks/floor_report.py (pandas reads the CSV, Brier per forecaster) and, on
PostgreSQL, F_copy = benchmarks/floor_copy.py (a plain COPY of the same rows into the same tables).
An import and its floor, and a report and F_score or F_report, run in turns so both see the same load. It
prints a table per size and writes them all to benchmarks/results.md with the machine it ran on.
Sizes of 10,000,000 are run by hand (`--sizes 1000000 10000000`: an hour on a small, shared
machine; the file alone is 0.6 GB), never in CI.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

PYTHON = sys.executable
LEDGER = [PYTHON, "-m", "ledger"]


@dataclass
class Figure:
    name: str
    seconds: float
    rss_mb: float
    floor: str = ""
    floor_seconds: float = 0.0
    ratio_target: float | None = None  # the ratio to the floor the issue asks for (at most)
    ratio_at_least: float | None = None  # … or, for a slower peer, at least
    seconds_limit: float | None = None
    rss_limit_mb: float | None = None

    @property
    def ratio(self) -> float | None:
        return self.seconds / self.floor_seconds if self.floor_seconds else None

    @property
    def target(self) -> str:
        parts = [f"≤ {self.ratio_target:g}×" if self.ratio_target else "", f"≥ {self.ratio_at_least:g}×" if self.ratio_at_least else "",
                 f"≤ {self.seconds_limit:g} s" if self.seconds_limit else "",
                 f"≤ {self.rss_limit_mb:g} MB" if self.rss_limit_mb else ""]
        return ", ".join(p for p in parts if p)

    @property
    def met(self) -> str:
        checks = []
        if self.ratio_target is not None:
            checks.append(self.ratio is not None and self.ratio <= self.ratio_target)
        if self.ratio_at_least is not None:
            checks.append(self.ratio is not None and self.ratio >= self.ratio_at_least)
        if self.seconds_limit is not None:
            checks.append(self.seconds <= self.seconds_limit)
        if self.rss_limit_mb is not None:
            checks.append(self.rss_mb <= self.rss_limit_mb)
        return "" if not checks else "yes" if all(checks) else "NO"


def timed(command: list[str], *, cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process, measured by benchmarks/measure.py."""
    done = subprocess.run([PYTHON, str(HERE / "measure.py"), *command], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    if result["status"] != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(command)}\n{result['stderr']}")
    return result["seconds"], result["rss_mb"]


def median(command_for_run, runs: int, cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """Median seconds and peak RSS of `runs` runs, after one untimed warm-up run (as hyperfine's
    --warmup): the first run of a fresh checkout also compiles its modules and fills the file cache."""
    timed(command_for_run(runs), cwd=cwd, env=env)
    results = [timed(command_for_run(i), cwd=cwd, env=env) for i in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def open_question(db: Path) -> list[tuple[str, str]]:
    """Unresolved questions (id, kind), for resolve runs that each settle a different one."""
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT id, kind FROM question WHERE id NOT IN (SELECT question_id FROM resolution) ORDER BY id LIMIT 50"
        ).fetchall()


def outcome_for(kind: str) -> str:
    return {"binary": "yes", "date": "2024-06-01", "categorical": "alpha"}[kind]


def synthetic_csv(n: int, work: Path) -> Path:
    csv_path = work / f"synthetic-{n}.csv"
    if not csv_path.exists():
        generate.write(n, csv_path)
    return csv_path


def paired(floor_for_run, command_for_run, runs: int, cwd: Path, env: dict | None = None, *,
           warmup: bool = False) -> tuple[tuple[float, float], tuple[float, float]]:
    """Median (seconds, peak RSS) of a floor and of a command, run in turns so that both see the
    same load on a shared machine: the ratio of the two is what the targets are about. With
    `warmup`, one untimed run of each comes first, as in `median` (an import is not repeated so)."""
    if warmup:
        timed(floor_for_run(runs), cwd=cwd, env=env)
        timed(command_for_run(runs), cwd=cwd, env=env)
    floors, commands = [], []
    for i in range(runs):
        floors.append(timed(floor_for_run(i), cwd=cwd, env=env))
        commands.append(timed(command_for_run(i), cwd=cwd, env=env))

    def summary(results):
        return statistics.median(r[0] for r in results), max(r[1] for r in results)

    return summary(floors), summary(commands)


def _fresh_sqlite(path: Path, work: Path, env: dict) -> str:
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    subprocess.run(LEDGER + ["--db", url, "db", "upgrade"], cwd=work, env=env, check=True, capture_output=True)
    return url


def bench_import(n: int, csv_path: Path, work: Path, runs: int, env: dict, fresh, floor_for_run, floor_name: str,
                 prefix: str = "") -> tuple[list[Figure], str]:
    """The import beside its floor (each run into a fresh database), then the same file again into the
    last one (nothing new: idempotence), against the first import."""
    urls: list[str] = []

    def ledger_import(i: int) -> list[str]:
        urls.append(fresh(i))
        return LEDGER + ["--db", urls[-1], "import", str(csv_path), "--quiet"]

    (floor_s, floor_mb), (import_s, import_mb) = paired(floor_for_run, ledger_import, runs, work, env)
    again_s, again_mb = timed(LEDGER + ["--db", urls[-1], "import", str(csv_path), "--quiet"], cwd=work, env=env)
    rss = 400 if n >= 1_000_000 else None
    limit = {100_000: 10.0}.get(n) if not prefix else None
    return [
        Figure(f"{prefix}{floor_name}", floor_s, floor_mb),
        Figure(f"{prefix}ledger import ({n:,} rows)", import_s, import_mb, floor_name.split(":")[0], floor_s,
               2.0 if n >= 100_000 else None, seconds_limit=limit, rss_limit_mb=rss),
        Figure(f"{prefix}ledger import again (nothing new)", again_s, again_mb, "ledger import", import_s, 1.5 if n >= 100_000 else None),
    ], urls[-1]


def bench_size(n: int, work: Path, runs: int, env: dict, augur: bool, import_runs: int) -> list[Figure]:
    """The SQLite figures for one size, beside the floors measured in the same run."""
    csv_path = synthetic_csv(n, work)
    floor_db = work / f"floor-{n}.db"

    def floor_import(i: int) -> list[str]:
        floor_db.unlink(missing_ok=True)
        return [PYTHON, str(HERE / "floor_import.py"), str(csv_path), str(floor_db)]

    imports, url = bench_import(n, csv_path, work, import_runs, env, lambda i: _fresh_sqlite(work / f"ledger-{n}.db", work, env),
                                floor_import, "F_import: pandas + sqlite3 executemany")
    db = Path(url.removeprefix("sqlite:///"))
    os.sync()  # the import's written pages reach the disk now, not while the next commands are timed

    f_cli, f_cli_mb = median(lambda i: [PYTHON, "-c", "import typer"], runs, work, env)
    f_db, f_db_mb = median(lambda i: [PYTHON, "-c", "import typer, sqlmodel"], runs, work, env)
    report_target = {100_000: 2.5}.get(n)  # issue 13, read strictly (F_score has no pandas); small sizes are start-up bound
    def report_beside(floor: list[str], *args: str):
        """`ledger report ARGS` and a floor, in turns: ((floor s, MB), (report s, MB))."""
        return paired(lambda i: [PYTHON, *floor], lambda i: LEDGER + ["--db", url, "report", *args], runs, work, env, warmup=True)

    score_floor, report_floor = [str(HERE / "floor_score.py"), str(db)], [str(HERE / "floor_report.py"), str(csv_path)]
    (f_score, f_score_mb), (report_s, report_mb) = report_beside(score_floor)
    # the table computes only the columns it shows; JSON carries every one (time_relative's medians too)
    (f_score_json, _), (json_s, json_mb) = report_beside(score_floor, "--format", "json")
    figures = [
        Figure("F_cli: import typer", f_cli, f_cli_mb), Figure("F_db: import typer, sqlmodel", f_db, f_db_mb),
        Figure("F_score: sqlite3 + numpy mean Brier", f_score, f_score_mb),
        Figure("ledger report", report_s, report_mb, "F_score", f_score, report_target, rss_limit_mb=1024),
        Figure("ledger report --format json", json_s, json_mb, "F_score", f_score_json, None),
    ]

    def add(name, command_for_run, floor, floor_s, target, times=runs, rss_limit=None):
        seconds, rss = median(command_for_run, times, work, env)
        figures.append(Figure(name, seconds, rss, floor, floor_s, target, rss_limit_mb=rss_limit))

    add("ledger --help", lambda i: LEDGER + ["--help"], "F_cli", f_cli, 1.5)
    add("ledger --version", lambda i: LEDGER + ["--version"], "F_cli", f_cli, 1.5)
    add("ledger add", lambda i: LEDGER + ["--db", url, "add", "--question", "q1", "--forecaster", "f1", "--probability",
                                        "0.42", "--made-on", f"2025-01-{i + 1:02d}"], "F_db", f_db, 1.3)
    questions = open_question(db)
    add("ledger resolve", lambda i: LEDGER + ["--db", url, "resolve", questions[i][0], outcome_for(questions[i][1])],
        "F_db", f_db, 1.3, min(runs, len(questions) - 1))
    add("ledger list --limit 50", lambda i: LEDGER + ["--db", url, "list", "--limit", "50"], "F_db", f_db, 1.3)
    add("ledger show ID", lambda i: LEDGER + ["--db", url, "show", "q7"], "F_db", f_db, 1.3)
    (f_report, f_report_mb), (report_s, report_mb) = report_beside(report_floor)
    (f_report_json, _), (json_s, json_mb) = report_beside(report_floor, "--format", "json")
    figures += [Figure("F_report: pandas reads the CSV, Brier per forecaster", f_report, f_report_mb),
                Figure("ledger report (beside F_report)", report_s, report_mb, "F_report", f_report,
                       {100_000: 2.5, 1_000_000: 1.5}.get(n), rss_limit_mb=600 if n >= 1_000_000 else None),
                Figure("ledger report --format json (beside F_report)", json_s, json_mb, "F_report", f_report_json, {100_000: 2.5}.get(n))]
    figures += imports

    if augur:
        figures.append(_augur_import(n, csv_path, work, env, imports[1].seconds))
    return figures


def bench_postgres(n: int, work: Path, runs: int, env: dict, server_url: str, import_runs: int) -> list[Figure]:
    """Import and report on PostgreSQL. Run after every SQLite figure: the server's background work
    (autovacuum after a large import) would otherwise slow the SQLite commands measured beside it."""
    csv_path = synthetic_csv(n, work)

    def fresh(i: int) -> str:
        pg = _recreate_postgres(server_url, f"bench_{n}")
        subprocess.run(LEDGER + ["--db", pg, "db", "upgrade"], cwd=work, env=env, check=True, capture_output=True)
        return pg

    def floor_copy(i: int) -> list[str]:
        return [PYTHON, str(HERE / "floor_copy.py"), str(csv_path), fresh(i)]

    figures, pg = bench_import(n, csv_path, work, import_runs, env, fresh, floor_copy, "F_copy: pandas + psycopg COPY",
                               prefix="PostgreSQL: ")
    seconds, rss = median(lambda i: LEDGER + ["--db", pg, "report"], runs, work, env)
    return figures + [Figure("PostgreSQL: ledger report", seconds, rss)]


def _recreate_postgres(server_url: str, name: str) -> str:
    """A fresh, empty database `name` on the server; returns its URL."""
    import sqlalchemy as sa

    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return sa.engine.make_url(server_url).set(database=name).render_as_string(hide_password=False)


def _augur_import(n: int, csv_path: Path, work: Path, env: dict, ours: float) -> Figure:
    """The same forecasts through augur-cli 0.3.0's JSON import (it must be on PATH as `augur`)."""
    import pandas as pd

    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    outcome = frame["outcome"].map(lambda o: "yes" if o == "yes" else "no" if o else "open")
    records = [{"statement": f"{q} {o}", "probability": float(p), "created_at": f"{m}T00:00:00+00:00", "outcome": out}
               for q, o, p, m, out in zip(frame["question"], frame["option"], frame["probability"], frame["made_on"], outcome)]
    path = work / f"augur-{n}.json"
    path.write_text(json.dumps(records))
    db = work / f"augur-{n}.db"
    db.unlink(missing_ok=True)
    augur = shutil.which("augur")
    if augur is None:
        raise SystemExit("--augur needs augur-cli 0.3.0 installed (pip install augur-cli==0.3.0)")
    seconds, rss = timed([augur, "--db", str(db), "import", str(path)], cwd=work, env=env)
    return Figure(f"augur-cli 0.3.0 import ({n:,} rows)", seconds, rss, "ledger import", ours, ratio_at_least=20)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    memory = ""
    if Path("/proc/meminfo").exists():
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 2**20:.0f} GiB"
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores{memory}, {cpu}; Python {platform.python_version()}"


def table(n: int, figures: list[Figure]) -> str:
    lines = [f"### {n:,} forecasts", "", "| measure | seconds | peak RSS (MB) | floor | floor (s) | ratio | target | met |",
             "| --- | ---: | ---: | --- | ---: | ---: | ---: | --- |"]
    for f in figures:
        ratio = f"{f.ratio:.2f}×" if f.ratio is not None else ""
        floor_s = f"{f.floor_seconds:.3f}" if f.floor_seconds else ""
        lines.append(f"| {f.name} | {f.seconds:.3f} | {f.rss_mb:.0f} | {f.floor} | {floor_s} | {ratio} | {f.target} | {f.met} |")
    return "\n".join(lines) + "\n"


_NOT_GROWN = ("F_", "augur", "PostgreSQL", "ledger import again", "ledger report (beside")


def growth(results: dict[int, list[Figure]]) -> str:
    """Time at each size relative to the smallest (flat for the commands, linear for import and report),
    and for import and report the time per row relative to the size before (1.00: linear)."""
    sizes = sorted(results)
    if len(sizes) < 2:
        return ""
    names = list(dict.fromkeys(f.name.split(" (")[0] for f in results[sizes[0]] if not f.name.startswith(_NOT_GROWN)))

    def seconds(name: str, size: int) -> float:
        return next(f.seconds for f in results[size] if f.name.split(" (")[0] == name and not f.name.startswith(_NOT_GROWN))

    header = "| measure | " + " | ".join(f"{s:,}" for s in sizes) + " |", "| --- |" + " ---: |" * len(sizes)
    lines = ["### Growth with N (time ÷ time at the smallest size)", "", *header]
    for name in names:
        times = [seconds(name, s) for s in sizes]
        lines.append(f"| {name} | " + " | ".join(f"{t / times[0]:.2f}" for t in times) + " |")
    lines += ["", "### Time per row ÷ time per row at the size before (linear: 1.00; target at 10M: ≤ 1.3)", "", *header]
    for name in ("ledger import", "ledger report"):
        per_row = [seconds(name, s) / s for s in sizes]
        lines.append(f"| {name} | " + " | ".join(["", *(f"{b / a:.2f}" for a, b in zip(per_row, per_row[1:]))]) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5, help="runs per command; the median is reported")
    parser.add_argument("--import-runs", type=int, default=3, help="runs of each import and its floor, in turns")
    parser.add_argument("--postgres", action="store_true", help="also import and report on PostgreSQL (pgserver)")
    parser.add_argument("--augur", action="store_true", help="also time augur-cli's import at 100,000 (slow)")
    parser.add_argument("--output", type=Path, default=HERE / "results.md")
    parser.add_argument("--work", type=Path, default=None, help="folder for generated data (default: a temporary one)")
    args = parser.parse_args(argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="ledger-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "LEDGER_DATABASE_URL"}
    results = {}
    for n in args.sizes:
        results[n] = bench_size(n, work, args.runs, env, args.augur and n == 100_000, args.import_runs)
        print(table(n, results[n]), flush=True)
    if args.postgres:
        import pgserver

        server = pgserver.get_server(work / "pgdata", cleanup_mode="stop")
        try:
            server_url = server.get_uri().replace("postgresql://", "postgresql+psycopg://", 1)
            for n in args.sizes:
                results[n] += bench_postgres(n, work, args.runs, env, server_url, args.import_runs)
                print(table(n, results[n]), flush=True)
        finally:
            server.cleanup()
    text = (f"# Benchmark results\n\nMeasured {dt.datetime.now():%Y-%m-%d %H:%M} on {machine()}.\n"
            f"Median of {args.runs} runs per command after one warm-up run (imports and their floors: median of {args.import_runs}, "
            "run in turns). Command: "
            f"`python benchmarks/run.py --sizes {' '.join(map(str, args.sizes))} --runs {args.runs} --import-runs {args.import_runs}"
            f"{' --postgres' if args.postgres else ''}{' --augur' if args.augur else ''}`.\n\n"
            + "\n".join(table(n, figs) for n, figs in results.items()) + "\n" + growth(results))
    args.output.write_text(text, encoding="utf-8")
    print(growth(results))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
