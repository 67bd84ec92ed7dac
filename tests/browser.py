"""A real headless browser for the HTML report: Debian's `chromium` driven by Playwright through
`executable_path` (Playwright's own browser downloads are not used). The browser tests, the
open-time benchmark (benchmarks/html_open.py) and the README's screenshot all open pages here.

    python tests/browser.py docs/report-seed.png     # the README's screenshot of the seed report
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# No sandbox (the tests run as root in a container), and none of the browser's own traffic:
# the offline test must see only what the page itself asks for.
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parent.parent


def missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: apt-get install --no-install-recommends chromium"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is missing: pip install '.[test]'"
    return None


@contextmanager
def chromium() -> Iterator:
    """A launched headless Chromium (a playwright Browser), closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Opened:
    """A page loaded from a file, with everything it reported and asked for while loading."""

    page: object
    url: str
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions
    requests: list[str] = field(default_factory=list)  # every URL the page asked for, its own included
    refused: list[str] = field(default_factory=list)  # requests aborted by an offline page


def open_file(browser, path: Path, *, width: int = 1200, height: int = 900, offline: bool = False, scripts: bool = True) -> Opened:
    """Load `path` by file:// URL in a fresh page. The listeners are attached before loading, so an
    error or request made while the page opens is recorded; `offline` refuses every request the
    page makes beyond its own file."""
    page = browser.new_page(viewport={"width": width, "height": height}, java_script_enabled=scripts)
    opened = Opened(page, path.resolve().as_uri())
    page.on("console", lambda message: opened.errors.append(f"console: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: opened.errors.append(f"page error: {error}"))
    page.on("request", lambda request: opened.requests.append(request.url))
    if offline:
        def refuse(route):
            if route.request.url != opened.url:
                opened.refused.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        page.route("**/*", refuse)
    page.goto(opened.url, wait_until="load")
    return opened


def seed_report(folder: Path) -> Path:
    """The seed ledger after the congress, as the README runs it, rendered by `Ledger.report_html`."""
    from ledger import Ledger

    for name in ("predictions.yaml", "docs/sources"):
        source, target = ROOT / name, folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            target.write_bytes(source.read_bytes())
    with Ledger(folder / "ledger.db") as lg:
        lg.import_file(folder / "predictions.yaml")
        lg.resolve("congress-opening", "2026-02-19", evidence="Xinhua, 20 February 2026")
        lg.resolve("congress-closing", "2026-02-25", evidence="Xinhua, 26 February 2026")
        return Path(lg.report_html(folder / "report.html"))


def screenshot_seed(target: Path) -> None:
    """The README's picture: the seed report from its header to the end of the calibration chart."""
    with tempfile.TemporaryDirectory() as work, chromium() as browser:
        opened = open_file(browser, seed_report(Path(work)), width=1000, height=900)
        assert not opened.errors, opened.errors
        box = opened.page.locator("#calibration").bounding_box()
        assert box is not None
        opened.page.screenshot(path=str(target), full_page=True, clip={"x": 0, "y": 0, "width": 1000, "height": box["y"] + box["height"] + 16})


if __name__ == "__main__":
    screenshot_seed(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "report-seed.png")
