"""F_report: the floor a report is measured against (issue 16). pandas reads the CSV the ledger was
imported from and computes each forecaster's mean Brier score over the resolved forecasts in one
vectorised pass: no database, no validation, no other score, no formatting.

    python benchmarks/floor_report.py FILE.csv
"""

import sys

import numpy as np
import pandas as pd


def main(path: str) -> None:
    frame = pd.read_csv(path, usecols=["forecaster", "probability", "kind", "window_from", "window_to", "option", "outcome"],
                        dtype={"probability": float}, keep_default_na=False)
    resolved = frame[frame["outcome"] != ""]
    happened = np.select(
        [resolved["kind"] == "binary", resolved["kind"] == "date"],
        [resolved["outcome"] == "yes", (resolved["window_from"] <= resolved["outcome"]) & (resolved["outcome"] <= resolved["window_to"])],
        resolved["outcome"] == resolved["option"])
    brier = ((resolved["probability"] - happened) ** 2).groupby(resolved["forecaster"]).mean()
    print(len(brier), "forecasters, mean Brier", float(brier.mean()))


if __name__ == "__main__":
    main(sys.argv[1])
