"""Deterministic synthetic ledgers for the benchmarks: N forecasts over N/20 questions and N/100
forecasters, a mix of binary (60%), date (20%) and categorical (20%) questions, 80% resolved,
written in the long CSV import format."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

OPTIONS = np.array(["alpha", "beta", "gamma"])


def synthetic(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n_questions, n_forecasters = max(n // 20, 1), max(n // 100, 1)
    kinds = rng.choice(np.array(["binary", "date", "categorical"]), size=n_questions, p=[0.6, 0.2, 0.2])
    resolved = rng.random(n_questions) < 0.8
    base = np.datetime64("2024-01-01")
    actual_day = rng.integers(0, 365, n_questions)
    truth = np.where(
        kinds == "binary", np.where(rng.random(n_questions) < 0.4, "yes", "no"),
        np.where(kinds == "date", (base + actual_day).astype(str), OPTIONS[rng.integers(0, 3, n_questions)]),
    )
    q = rng.integers(0, n_questions, n)
    kind = kinds[q]
    start = np.clip(actual_day[q] + rng.integers(-20, 10, n), 0, 360)
    frame = pd.DataFrame({
        "id": np.char.add("s", np.arange(n).astype(str)),
        "question": np.char.add("q", q.astype(str)),
        "forecaster": np.char.add("f", rng.integers(0, n_forecasters, n).astype(str)),
        "probability": rng.integers(1, 100, n) / 100,
        "made_on": (base - rng.integers(1, 365, n)).astype(str),
        "kind": kind,
        "window_from": np.where(kind == "date", (base + start).astype(str), ""),
        "window_to": np.where(kind == "date", (base + start + rng.integers(3, 15, n)).astype(str), ""),
        "option": np.where(kind == "categorical", OPTIONS[rng.integers(0, 3, n)], ""),
        "outcome": np.where(resolved[q], truth[q], ""),
    })
    return frame


def write(n: int, path: Path, seed: int = 0) -> Path:
    synthetic(n, seed).to_csv(path, index=False)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    write(args.n, args.output, args.seed)
    print(f"wrote {args.n} forecasts to {args.output} ({dt.datetime.now():%H:%M:%S})")


if __name__ == "__main__":
    main()
