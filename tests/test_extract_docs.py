"""docs/extract.md runs as written: the date table, every example of what it reads and cannot read,
the sentences it says are not forecasts, and the worked example on seed 001."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from conftest import ROOT
from ledger.extract import extract
from ledger.extract.dates import published_date

DOC = (ROOT / "docs" / "extract.md").read_text(encoding="utf-8")
DAY = dt.date(2026, 3, 2)


def _section(title: str) -> str:
    start = DOC.index(title)
    following = re.search(r"^#{2,3} ", DOC[start + len(title):], re.MULTILINE)
    return DOC[start:start + len(title) + following.start()] if following else DOC[start:]


def _rows(section: str) -> list[list[str]]:
    rows = []
    for line in section.splitlines():
        if line.startswith("|") and "`" in line:
            rows.append([cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows


def _example(cell: str) -> str:
    return re.search(r"`([^`]+)`", cell).group(1)


@pytest.mark.parametrize("row", _rows(_section("## The date")), ids=lambda r: r[0][:30])
def test_the_date_table(row):
    expected = dt.date.fromisoformat(re.search(r"\d{4}-\d{2}-\d{2}", row[1]).group(0))
    assert published_date(_example(row[0]).replace("…", "Text."), today=dt.date(2026, 3, 1)) == expected


def test_the_warning_for_an_undated_article_is_the_documented_one():
    (warning,) = extract("Analysts expect a cut.", source_id="a", today=DAY).warnings
    shown = re.search(r"`warning: (no publication date[^`]*)`", " ".join(DOC.split())).group(1)
    before, after = shown.split(" … ")
    assert warning.startswith(before) and warning.endswith(after.removeprefix("(today)"))


READS = _rows(_section("### Speakers")) + _rows(_section("### Hedges, negations and numbers"))


@pytest.mark.parametrize("row", READS, ids=lambda r: r[0])
def test_what_it_reads(row):
    _, example, speakers, reads = row
    drafts = extract(_example(example), source_id="a", published_on=DAY).drafts
    for draft, speaker, read in zip(drafts, speakers.split(", "), reads.split(", ")):
        assert draft.speaker.id == speaker
        phrase, _, number = read.replace(" (negated)", "").partition("=")
        if phrase.strip():
            assert draft.phrase == phrase.strip()
        if number:
            assert draft.probability == pytest.approx(float(number), abs=1e-4)
        assert draft.negated == ("(negated)" in read)
    assert len(drafts) >= len(speakers.split(", "))


@pytest.mark.parametrize("sentence", [s for s in re.findall(r"`([^`]+)`", _section("### Not forecasts"))
                                      if s[:1].isupper() and s.endswith(".")])
def test_what_it_says_are_not_forecasts(sentence):
    assert extract(sentence, source_id="a", published_on=DAY).drafts == []


def test_what_it_cannot_read_is_as_described():
    def first(text: str):
        return extract(text, source_id="a", published_on=DAY).drafts

    (such,) = first("Such moves could include reviving a presidential title.")
    assert such.speaker.id == "newsroom-a"
    assert first("Prices should ease by the summer, Jane Roe said.") == []
    (foolish,) = first("It would be foolish to assume the dam will hold, Jane Roe said.")
    assert (foolish.speaker.id, foolish.phrase, foolish.negated) == ("jane-roe", "will", False)
    assert first("Rates have peaked, in our view.") == []
    assert first("The outlook hinges on wages, and a cut is not a given.") == []
    (share,) = first("Two-thirds of economists expect a cut.")
    assert (share.speaker.id, share.phrase, share.probability) == ("economists", "expect", None)


def test_the_worked_example(sqlite_ledger):
    command, printed = re.search(r"\$ ledger (extract [^\n]+)\n([^\n]+)", DOC).groups()
    result = sqlite_ledger(*command.split())
    assert printed in result.output
    draft = yaml.safe_load((sqlite_ledger.folder / "draft.yaml").read_text(encoding="utf-8"))
    shown = yaml.safe_load(re.search(r"```yaml\n(forecasters:.*?)```", DOC, re.DOTALL).group(1))
    for key in ("forecasters", "questions", "forecasts"):
        for item in shown[key]:
            assert item in draft[key], item
    assert "added" in sqlite_ledger("import", "draft.yaml").output


def test_the_newspaper_hedge_table_is_the_one_the_ledger_scores_with():
    from ledger.schema.probability import HEDGES, normalise_phrase

    scales = (ROOT / "docs" / "probability-scales.md").read_text(encoding="utf-8")
    table = scales[scales.index("| phrases | band | scored at | reasoning |"):]
    listed = set()
    for line in table.splitlines()[2:]:
        if not line.startswith("|"):
            break
        phrases, band, point = [cell.strip() for cell in line.split("|")[1:4]]
        low, high = (int(x) / 100 for x in re.match(r"(\d+)–(\d+)%", band).groups())
        for phrase in re.sub(r"\([^)]*\)", "", phrases).split(","):
            key = normalise_phrase(phrase)
            listed.add(key)
            assert (HEDGES.bands[key].low, HEDGES.bands[key].high) == (low, high), phrase
            assert HEDGES.bands[key].point == pytest.approx(float(point.rstrip("%")) / 100)
    assert listed >= set(HEDGES.bands) - {"anticipates", "anticipated", "predicts", "predicted", "forecasts", "believes",
                                          "estimates", "expects", "expected", "appears likely", "favorite", "set"}
