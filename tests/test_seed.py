"""The seed case in predictions.yaml: complete, verbatim, and without outcomes."""

from __future__ import annotations

import yaml

from conftest import PREDICTIONS, ROOT
from ledger.db.checks import normalise_text
from ledger.io.loaders import load_batches


def _doc():
    return yaml.safe_load(PREDICTIONS.read_text(encoding="utf-8"))


def test_every_forecast_quotes_its_article_verbatim():
    doc = _doc()
    texts = {s["id"]: normalise_text((ROOT / s["text_path"]).read_text(encoding="utf-8")) for s in doc["sources"]}
    assert len(doc["forecasts"]) >= 20
    for forecast in doc["forecasts"]:
        assert forecast["phrase"], forecast
        assert normalise_text(forecast["quote"]) in texts[forecast["source"]], forecast["quote"]


def test_named_analysts_and_collectives():
    doc = _doc()
    kinds = {f["id"]: f["kind"] for f in doc["forecasters"]}
    assert kinds["koh-yu-hwan"] == kinds["hong-min"] == kinds["lim-eul-chul"] == "person"
    assert kinds["experts"] == kinds["analysts"] == kinds["observers"] == "collective"
    by_source: dict[str, set] = {}
    for forecast in doc["forecasts"]:
        by_source.setdefault(forecast["forecaster"], set()).add(forecast["source"])
    assert by_source["lim-eul-chul"] == {"seed-000", "seed-001"}
    paragraphs = {s["id"]: [normalise_text(p) for p in (ROOT / s["text_path"]).read_text(encoding="utf-8").splitlines()]
                  for s in doc["sources"]}
    for person in ("koh-yu-hwan", "hong-min", "lim-eul-chul"):  # the speaker is named in the quote's paragraph
        family_name = person.split("-")[0].capitalize()
        quotes = [f for f in doc["forecasts"] if f["forecaster"] == person]
        assert quotes
        for f in quotes:
            (paragraph,) = [p for p in paragraphs[f["source"]] if normalise_text(f["quote"]) in p]
            assert family_name in paragraph, f["quote"]


def test_both_articles_forecast_the_opening_date_on_one_question():
    doc = _doc()
    opening = [f for f in doc["forecasts"] if f["question"] == "congress-opening"]
    assert {f["source"] for f in opening} == {"seed-000", "seed-001"}
    windows = {f["source"]: f["window"] for f in opening if f["forecaster"] != "newsroom-001"}
    assert windows == {"seed-001": "2026-02-06..2026-02-10", "seed-000": "2026-02-17..2026-02-28"}


def test_no_outcomes_in_the_file():
    assert "resolutions" not in _doc()
    (batch,) = load_batches(PREDICTIONS)
    assert batch.resolutions == [] and not batch.problems
