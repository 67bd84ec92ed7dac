"""Cut this folder's slice from the shared ForecastBench files (run from the project's root):

    python tests/data/forecastbench/make_slice.py ../shared/data/forecastbench

Keeps every superforecaster forecast on the first 24 resolved and 4 unresolved dataset
question-horizons and the first 8 resolved and 3 unresolved market questions (by id), with only
the fields the ledger reads, and the resolution-set rows of those questions.
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FORECASTS = "2024-07-21.ForecastBench.human_super_individual.json"
RESOLUTIONS = "2024-07-21_resolution_set.at-427da6d9.json"
MARKETS = ("manifold", "metaculus", "polymarket", "infer")
KEPT = ("id", "source", "forecast", "resolution_date", "user_id")


def main(shared: Path) -> None:
    given = json.loads((shared / FORECASTS).read_text(encoding="utf-8"))
    settled = json.loads((shared / RESOLUTIONS).read_text(encoding="utf-8"))
    rows = [r for r in settled["resolutions"] if isinstance(r["id"], str)]
    by_key = {(r["id"], None if r["source"] in MARKETS else r["resolution_date"]): r for r in rows}
    asked = sorted({(f["id"], f["resolution_date"], f["source"] in MARKETS) for f in given["forecasts"]}, key=str)
    chosen = set()
    for market, resolved_n, open_n in ((False, 24, 4), (True, 8, 3)):
        keys = [(i, d) for i, d, m in asked if m == market and (i, d) in by_key]
        resolved = [k for k in keys if by_key[k]["resolved"]][:resolved_n]
        unresolved = [k for k in keys if not by_key[k]["resolved"]][:open_n]
        chosen |= set(resolved + unresolved)
    forecasts = [{k: f[k] for k in KEPT} for f in given["forecasts"] if (f["id"], f["resolution_date"]) in chosen]
    header = {k: v for k, v in given.items() if k != "forecasts"}
    (HERE / FORECASTS).write_text(json.dumps({**header, "forecasts": forecasts}, indent=1) + "\n", encoding="utf-8")
    kept = [by_key[k] for k in sorted(chosen, key=str)]
    (HERE / RESOLUTIONS).write_text(json.dumps({**{k: v for k, v in settled.items() if k != "resolutions"}, "resolutions": kept},
                                               indent=1) + "\n", encoding="utf-8")
    print(f"{len(forecasts)} forecasts on {len(chosen)} questions")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
