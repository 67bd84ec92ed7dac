"""The HTML report page: what it holds, that ledger text is never markup, and how it behaves in a
real headless Chromium (tests/browser.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import browser as chromium
import pytest

from conftest import ROOT
from ledger import Ledger
from ledger.page import content
from ledger.scoring import reports

HOSTILE_NAME = 'Ana "the <script>window.hacked = 1</script> oracle" Li'
HOSTILE_QUOTE = 'It "will" happen <script>window.hacked = 2</script><img src=x onerror="window.hacked = 3">'


def _scored_ledger(path: Path) -> Ledger:
    """Three forecasters on six resolved questions (so all are ranked at min_n 5), one who made a
    single forecast (too few to judge), and an open question."""
    lg = Ledger(path / "ledger.db")
    outcomes = ["yes", "no", "yes", "yes", "no", "yes"]
    people = {"ana": ("Ana Li", [0.9, 0.2, 0.8, 0.7, 0.1, 0.9]),   # sharp
              "bo": ("Bo Park", [0.6, 0.5, 0.5, 0.6, 0.4, 0.5]),   # hedging
              "cy": ("Cy Roe", [0.2, 0.9, 0.3, 0.1, 0.8, 0.2])}    # wrong every time
    for i, outcome in enumerate(outcomes):
        for who, (name, ps) in people.items():
            lg.add(question=f"q{i}", question_text=f"Will event {i} happen?", forecaster=who, name=name,
                   affiliation="Example Institute" if who == "ana" else None, probability=ps[i], made_on=date(2026, 1, 1 + i),
                   source="paper", title="The Paper", published_on=date(2026, 1, 1), quote=f"{name} on event {i}")
        lg.resolve(f"q{i}", outcome, on=date(2026, 3, 1), evidence="https://example.org/result", quote="It was announced.")
    lg.add(question="q0", forecaster="di", name="Di Fox", says="likely", made_on=date(2026, 1, 9), quote="likely, I think")
    lg.add(question="open-one", question_text="Will the open thing happen?", forecaster="ana", probability=0.3, made_on=date(2026, 2, 1),
           resolve_by=date(2026, 12, 31))
    return lg


@pytest.fixture
def scored(tmp_path):
    lg = _scored_ledger(tmp_path)
    yield lg
    lg.close()


def test_page_holds_every_forecast_and_question(scored, tmp_path):
    path = scored.report_html(tmp_path / "report.html", min_n=5)
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert html.count('<details class="forecaster"') == 4 and html.count('<details class="question"') == 7
    assert "<details open" not in html  # every section collapsed until opened
    for i in range(6):
        for name in ("Ana Li", "Bo Park", "Cy Roe"):
            assert f"{name} on event {i}" in html
    assert html.count('<tr class="yes">') + html.count('<tr class="no">') == 19 and html.count('<tr class="open">') == 1
    assert "&#39;likely&#39; (icd203 55%–80%)" in html and "67.5%" in html  # the words, the band and the number scored
    assert 'href="https://example.org/result"' in html and "It was announced." in html  # evidence with its link
    assert "Example Institute" in html and "ledger 0.1.0" in html and "Method." in html


def test_leaderboard_ranks_by_brier_and_keeps_the_too_few_apart(scored):
    html = scored.report_html(min_n=5)
    ranked, too_few = re.findall(r"<table class=\"board\".*?</table>", html, flags=re.S)
    assert re.findall(r'<tr data-id="(\w+)">', ranked) == ["ana", "bo", "cy"]
    assert re.findall(r'<tr data-id="(\w+)">', too_few) == ["di"]
    board = scored.scores(min_n=5).set_index("forecaster")
    assert f"{board.at['ana', 'brier']:.3f} ({board.at['ana', 'brier_low']:.3f}–{board.at['ana', 'brier_high']:.3f})" in ranked


def test_every_ledger_string_is_text_never_markup(tmp_path):
    with Ledger(tmp_path / "ledger.db") as lg:
        lg.add(question="q1", question_text='Will <marquee>"it"</marquee> happen?', forecaster="x", name=HOSTILE_NAME, probability=0.7,
               made_on=date(2026, 1, 1), quote=HOSTILE_QUOTE, source="s", title="<script>window.hacked = 4</script>")
        lg.resolve("q1", "yes", on=date(2026, 2, 1), evidence="javascript:window.hacked = 5", note='"<i>x</i>"')
        html = lg.report_html(min_n=1)
    assert html.count("<script>") == 1  # the page's own
    assert "<img" not in html and "<marquee>" not in html and "<i>" not in html
    assert "&lt;script&gt;window.hacked = 1&lt;/script&gt;" in html and "&#34;the " in html
    assert 'href="javascript:' not in html  # a link is made only of a web address


def test_platform_scores_and_the_crowd_show_when_present(tmp_path, monkeypatch):
    """Columns the scoring adds appear on the leaderboard; an aggregate forecaster is the crowd
    line on question timelines and stands beside the ranking without a rank."""
    lg = _scored_ledger(tmp_path)
    for i in range(6):
        lg.add(question=f"q{i}", forecaster="crowd", name="Crowd median", forecaster_kind="aggregate", probability=0.6,
               made_on=date(2026, 1, 10 + i))
    real = reports.scores

    def with_platform_scores(*args, **kwargs):
        frame = real(*args, **kwargs)
        return frame.assign(peer=12.5, peer_sum=25.0, relative_skill=0.75)

    monkeypatch.setattr(reports, "scores", with_platform_scores)
    html = lg.report_html(min_n=5)
    lg.close()
    assert ">peer<" in html and ">peer (sum)<" in html and ">relative skill<" in html and ">baseline<" in html
    assert '<td data-sort="12.5">12.5</td>' in html and '<td data-sort="0.75">0.75</td>' in html
    ranked = re.search(r"<table class=\"board\".*?</table>", html, flags=re.S).group(0)
    crowd_row = re.search(r'<tr data-id="crowd">.*?</tr>', ranked, flags=re.S).group(0)
    assert '<td data-sort="">crowd</td>' in crowd_row
    assert [m for m in re.findall(r'<tr data-id="\w+"><td data-sort="(\d*)">', ranked) if m] == ["1", "2", "3"]
    assert html.count('<polyline class="crowd"') == 6 and "Crowd median" in html


def test_as_of_and_latest_change_what_is_scored(scored):
    early = scored.report_html(min_n=1, as_of=date(2026, 1, 3))
    assert "as it stood on <time datetime=\"2026-01-03\">" in early and "event 3" not in early
    assert "Not resolved yet." in early  # the resolutions came later
    scored.add(question="q1", forecaster="ana", probability=0.05, made_on=date(2026, 2, 2))
    latest = scored.report_html(min_n=1, latest=True)
    assert latest.count("revised later: not scored with --latest") == 1


def test_an_empty_ledger_makes_a_page(tmp_path):
    with Ledger(tmp_path / "ledger.db") as lg:
        html = lg.report_html()
    assert "0 forecasts by 0 forecasters" in html and "No forecast has been scored yet" in html


def test_the_seed_page_is_small(tmp_path):
    page = chromium.seed_report(tmp_path)
    assert page.stat().st_size < 500_000
    assert oct(page.stat().st_mode & 0o777) == oct(0o666 & ~_umask())  # as any new file: a page to publish is readable by others


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_cli_writes_the_page(seeded):
    done = seeded("report", "--format", "html", "-o", "report.html", "--title", "Who saw the 9th Congress coming?")
    assert "wrote report.html" in done.stderr
    page = (seeded.folder / "report.html").read_text(encoding="utf-8")
    assert "Koh Yu-hwan" in page and "<title>Who saw the 9th Congress coming?</title>" in page
    assert seeded("report", "-f", "html").stdout.startswith("<!doctype html>")
    refused = seeded("report", "--format", "html", "--by", "tag", ok=False)
    assert "error: --by: the HTML page reports by forecaster" in refused.stderr


# --- in the browser ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    reason = chromium.missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"the browser tests must run in CI: {reason}")
        pytest.skip(reason)
    with chromium.chromium() as launched:
        yield launched


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def _order(page, table: int = 0) -> list[str]:
    return page.eval_on_selector_all(f"table.board >> nth={table} >> tbody tr", "rows => rows.map(r => r.dataset.id)")


def test_leaderboard_sorts_and_the_chart_is_drawn(browser, scored, tmp_path):
    opened = chromium.open_file(browser, scored.report_html(tmp_path / "report.html", min_n=5))
    page = opened.page
    assert _order(page) == ["ana", "bo", "cy"]
    assert _order(page, 1) == ["di"]
    skill = page.locator("table.board >> nth=0 >> thead th", has_text=re.compile(r"^skill$"))
    skill.click()
    assert _order(page) == ["cy", "bo", "ana"] and skill.get_attribute("aria-sort") == "ascending"
    skill.click()
    assert _order(page) == ["ana", "bo", "cy"] and skill.get_attribute("aria-sort") == "descending"
    page.locator("table.board >> nth=0 >> thead th", has_text="forecaster").click()
    assert _order(page) == ["ana", "bo", "cy"]
    chart = page.locator("#calibration svg.calibration")
    box = chart.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 200
    assert chart.locator("g.bin circle").count() == int((scored.calibration(10)["n"] > 0).sum())
    assert page.locator("details.forecaster[open]").count() == 0
    page.locator("table.board >> nth=0 >> a", has_text="Bo Park").click()
    expect(page.locator("details.forecaster[open]")).to_have_count(1)
    assert page.locator("details.forecaster[open] tbody tr").count() == 6
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert opened.errors == []


def test_hostile_text_shows_as_text_and_runs_nothing(browser, tmp_path):
    with Ledger(tmp_path / "ledger.db") as lg:
        lg.add(question="q1", question_text="Will it happen?", forecaster="x", name=HOSTILE_NAME, probability=0.7,
               made_on=date(2026, 1, 1), quote=HOSTILE_QUOTE)
        lg.resolve("q1", "yes", on=date(2026, 2, 1))
        path = lg.report_html(tmp_path / "report.html", min_n=1)
    opened = chromium.open_file(browser, path)
    page = opened.page
    assert page.evaluate("typeof window.hacked") == "undefined"
    page.locator("details.forecaster summary").click()
    assert page.locator("table.board tbody th a").inner_text() == HOSTILE_NAME
    assert page.locator("details.forecaster q").inner_text() == HOSTILE_QUOTE
    assert page.evaluate("typeof window.hacked") == "undefined" and opened.errors == []


def test_the_page_asks_for_nothing(browser, scored, tmp_path):
    path = scored.report_html(tmp_path / "report.html", min_n=5)
    opened = chromium.open_file(browser, path, offline=True)
    opened.page.locator("details").evaluate_all("sections => sections.forEach(d => d.open = true)")
    opened.page.wait_for_timeout(200)
    assert opened.requests == [opened.url] and opened.refused == [] and opened.errors == []


def test_the_page_reads_on_a_phone_and_in_print(browser, scored, tmp_path):
    opened = chromium.open_file(browser, scored.report_html(tmp_path / "report.html", min_n=5), width=390, height=844)
    page = opened.page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # wide tables scroll inside their box, not the page
    page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
    page.emulate_media(media="print")
    pdf = page.pdf(path=str(tmp_path / "report.pdf"), format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    assert opened.errors == []


def test_a_large_page_builds_each_section_when_it_is_opened(browser, scored, tmp_path, monkeypatch):
    """Above LAZY_ABOVE forecasts a closed section is carried as <noscript> text, parsed only when
    opened or printed; without scripts the browser shows it as it stands."""
    monkeypatch.setattr(content, "LAZY_ABOVE", 0)
    path = scored.report_html(tmp_path / "report.html", min_n=5)
    assert path.read_text(encoding="utf-8").count('<noscript class="later">') == 4 + 7
    opened = chromium.open_file(browser, path)
    page = opened.page
    assert page.locator("details.forecaster table").count() == 0
    page.locator("details.forecaster >> nth=1 >> summary").click()  # filled on the toggle event, which comes after the click
    expect(page.locator("details.forecaster[open] tbody tr")).to_have_count(6)
    assert page.locator("details.forecaster[open] svg.calibration g.bin").count() > 0
    page.locator("details.question >> nth=1 >> summary").click()
    expect(page.locator("details.question[open] ul.who li")).to_have_count(4)
    assert page.locator("details.question[open] svg.timeline path.dots").count() == 1
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details.forecaster tbody tr").count() == 19 + 1
    assert page.locator("noscript.later").count() == 0 and opened.errors == []

    plain = chromium.open_file(browser, path, scripts=False)
    plain.page.locator("details.forecaster >> nth=0 >> summary").click()
    expect(plain.page.locator("details.forecaster[open] tbody tr")).to_have_count(7)
    assert plain.page.locator("details.forecaster[open] q").first.inner_text() == "Ana Li on event 0"


def test_open_time_benchmark_runs(browser, tmp_path):
    """benchmarks/html_open.py on a small ledger, for correctness only (never timed here)."""
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "html_open.py"), "--forecasts", "400", "--runs", "1",
                           "--work", str(tmp_path)], capture_output=True, text=True, check=True)
    assert "| HTML report, 400 forecasts by 4 forecasters |" in done.stdout
    assert (tmp_path / "report.html").stat().st_size > 10_000
