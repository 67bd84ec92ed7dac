"""How long the HTML report of a large ledger takes to open in a real browser.

A synthetic ledger of N forecasts (benchmarks/generate.py: N/100 forecasters, so 100,000 forecasts
are 1,000 forecasters on 5,000 questions) is rendered with `Ledger.report_html`, then opened by
file:// URL in headless Chromium (tests/browser.py) and timed from navigation to the load event, as
the browser's own navigation timing reports it. The floor is a one-line page opened the same way in
the same run; the target is under 3 s, whatever the floor.

    python benchmarks/html_open.py [--forecasts 100000] [--runs 3] [--work DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

import browser  # noqa: E402  (tests/browser.py: the same launch as the browser tests)
import generate  # noqa: E402

from ledger import Ledger  # noqa: E402

LOADED = "performance.getEntriesByType('navigation')[0].loadEventEnd / 1000"


def open_seconds(chromium, page: Path, runs: int) -> list[float]:
    """Seconds from navigation to the end of the load event, one fresh tab per run."""
    times = []
    for _ in range(runs):
        opened = browser.open_file(chromium, page)
        if opened.errors:
            raise SystemExit(f"{page.name}: {opened.errors}")
        times.append(opened.page.evaluate(LOADED))
        opened.page.close()
    return times


# Opens the first forecaster's section and waits for the next frame to be drawn, timed in the page
# (a click through Playwright would add its own checks of where the summary is on a long page).
OPEN_SECTION = """() => new Promise(done => {
  const section = document.querySelector("details.forecaster"), start = performance.now();
  section.open = true;
  requestAnimationFrame(() => setTimeout(() => done([performance.now() - start, section.querySelectorAll("tbody tr").length]), 0));
})"""


def section_seconds(chromium, page: Path) -> float:
    """Seconds from opening the first forecaster's section to the frame that shows its table."""
    opened = browser.open_file(chromium, page)
    milliseconds, rows = opened.page.evaluate(OPEN_SECTION)
    opened.page.close()
    if not rows:
        raise SystemExit(f"{page.name}: the first forecaster's section showed no forecasts")
    return milliseconds / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--forecasts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="folder for the ledger and the page (default: a temporary one)")
    args = parser.parse_args()
    reason = browser.missing()
    if reason:
        raise SystemExit(reason)
    with tempfile.TemporaryDirectory() as scratch:
        work = args.work or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        csv = generate.write(args.forecasts, work / "synthetic.csv")
        with Ledger(work / "bench.db") as lg:
            lg.import_file(csv)
            start = time.perf_counter()
            page = Path(lg.report_html(work / "report.html"))
            render = time.perf_counter() - start
            forecasters = len(lg.forecasters())
        floor = work / "floor.html"
        floor.write_text("<!doctype html><title>floor</title><p>floor</p>", encoding="utf-8")
        with browser.chromium() as chromium:
            floor_s = statistics.median(open_seconds(chromium, floor, args.runs))
            page_s = statistics.median(open_seconds(chromium, page, args.runs))
            section = section_seconds(chromium, page)
        size = page.stat().st_size / 1e6
    print(f"| HTML report, {args.forecasts:,} forecasts by {forecasters:,} forecasters | {size:.1f} MB | rendered in {render:.1f} s "
          f"| opens in {page_s:.2f} s (floor {floor_s:.3f} s, {page_s / floor_s:.0f} ×) | a forecaster's section opens in {section:.2f} s |")
    if page_s >= 3:
        raise SystemExit(f"the page took {page_s:.2f} s to open: the target is under 3 s")


if __name__ == "__main__":
    main()
