"""`ledger extract`: recall and precision on the seed articles, attribution, the patterns it must read,
and drafts that import cleanly."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import yaml

from conftest import PREDICTIONS, ROOT
from ledger.db.checks import normalise_text
from ledger.extract import extract

SEEDS = {"seed-001": ("001_e02439be91a7ab0b.txt", None), "seed-000": ("000_d37a896191be213a.txt", dt.date(2026, 2, 8))}
NAMED = ("koh-yu-hwan", "hong-min", "lim-eul-chul")


def _same_quote(a: str, b: str) -> bool:
    a, b = normalise_text(a), normalise_text(b)
    return a in b or b in a


def _seed(source_id: str):
    name, published = SEEDS[source_id]
    text = (ROOT / "docs" / "sources" / name).read_text(encoding="utf-8")
    gold = [f for f in yaml.safe_load(PREDICTIONS.read_text(encoding="utf-8"))["forecasts"] if f["source"] == source_id]
    return text, published, gold


@pytest.mark.parametrize("source_id", SEEDS)
def test_seed_recall_precision_and_speakers(source_id):
    text, published, gold = _seed(source_id)
    started = time.perf_counter()
    drafts = extract(text, source_id=source_id, published_on=published).drafts
    assert time.perf_counter() - started < 1.0  # a generous bound, not a benchmark: it takes milliseconds
    recovered = [g for g in gold if any(_same_quote(g["quote"], d.quote) for d in drafts)]
    real = [d for d in drafts if any(_same_quote(g["quote"], d.quote) for g in gold)]
    recall, precision = len(recovered) / len(gold), len(real) / len(drafts)
    assert recall >= 0.9, f"recall {recall:.0%}: missed {[g['quote'] for g in gold if g not in recovered]}"
    assert precision >= 0.7, f"precision {precision:.0%}"
    for g in gold:
        if g["forecaster"] in NAMED:
            speakers = {d.speaker.id for d in drafts if _same_quote(g["quote"], d.quote)}
            assert speakers == {g["forecaster"]}, (g["quote"], speakers)


def test_seed_dates_and_questions():
    text, published, _ = _seed("seed-001")
    drafts = extract(text, source_id="seed-001", published_on=published).drafts
    dated = {(d.question_id, d.window) for d in drafts if d.kind == "date"}
    assert ("congress-opening", (dt.date(2026, 2, 6), dt.date(2026, 2, 10))) in dated  # "between Friday and Feb. 10"
    assert ("congress-opening", (dt.date(2026, 2, 1), dt.date(2026, 2, 20))) in dated  # "early to mid-February"
    assert ("congress-closing", (dt.date(2026, 2, 2), dt.date(2026, 2, 15))) in dated  # "concluding ahead of Feb. 16"
    text, published, _ = _seed("seed-000")
    late = [d for d in extract(text, source_id="seed-000", published_on=published).drafts if "after events" in d.quote]
    assert late[0].window == (dt.date(2026, 2, 17), dt.date(2026, 2, 28)) and late[0].phrase == "expected to"


def _one(text: str, **kwargs):
    return extract(text, source_id="snippet", published_on=dt.date(2026, 3, 2), **kwargs).drafts


def test_negation_is_the_complement():
    (draft,) = _one("The council is not expected to approve the budget at its next session.")
    assert draft.phrase == "not expected to" and draft.question.startswith("Will the council approve the budget")
    (unlikely,) = _one("Ministers are unlikely to resign before the summer.")
    assert unlikely.phrase == "unlikely"


def test_attribution_across_sentences():
    drafts = _one("“Turnout will be the decisive factor,” said Maria Lopez, a pollster at Civic Data. "
                  "“The incumbent could lose the runoff.” Lopez added that the challenger may win the capital.")
    assert [d.speaker.id for d in drafts] == ["maria-lopez", "maria-lopez", "maria-lopez"]
    assert drafts[0].speaker.affiliation == "pollster at Civic Data"
    assert drafts[1].quote == "The incumbent could lose the runoff"


def test_title_and_affiliation_before_the_verb():
    (draft,) = _one("Jon Park, a senior fellow at the Asan Institute, said the talks are likely to collapse.")
    assert (draft.speaker.name, draft.speaker.affiliation, draft.speaker.kind) == ("Jon Park", "senior fellow at the Asan Institute", "person")
    assert draft.phrase == "likely"


def test_two_claims_in_one_sentence():
    drafts = _one("Park said the government is unlikely to lift the ban and will instead extend it to imports.")
    assert [d.phrase for d in drafts] == ["unlikely", "will"]
    assert drafts[1].question.startswith("Will the government extend it")


def test_collectives_and_the_newsroom():
    drafts = _one("Analysts say the bank could cut rates in June. The decision is expected to weigh on the currency.")
    assert [d.speaker.id for d in drafts] == ["analysts", "newsroom-snippet"]
    assert drafts[0].speaker.kind == "collective"


def test_text_with_no_forecasts():
    assert _one("Held every five years, the congress is the party's most important gathering. It met in 2021.") == []
    assert _one("An event that will be remembered. A potentially historic day.") == []


def test_drafts_import_cleanly_and_match_questions(sqlite_ledger):
    for source_id, (name, published) in SEEDS.items():
        args = ["extract", f"docs/sources/{name}", "--source-id", source_id, "-o", f"draft-{source_id}.yaml"]
        if published:
            args += ["--published-on", published.isoformat()]
        sqlite_ledger(*args)
        assert "added" in sqlite_ledger("import", f"draft-{source_id}.yaml").output  # quotes checked against the text
    opening = list(__import__("json").loads(sqlite_ledger("list", "--question", "congress-opening", "--format", "json").stdout))
    assert {r["source"] for r in opening} == {"seed-000", "seed-001"}  # the second article added to the first's question


def test_extract_against_a_ledger_reuses_what_it_holds(sqlite_ledger):
    sqlite_ledger("import", "predictions.yaml")
    sqlite_ledger("extract", "docs/sources/000_d37a896191be213a.txt", "--source-id", "seed-000", "--published-on", "2026-02-08",
                  "-o", "draft.yaml")
    draft = yaml.safe_load((sqlite_ledger.folder / "draft.yaml").read_text(encoding="utf-8"))
    assert draft["sources"] == [] and "lim-eul-chul" not in {f["id"] for f in draft["forecasters"]}
    assert "congress-opening" in {f["question"] for f in draft["forecasts"]}
    sqlite_ledger("import", "draft.yaml")


def test_dry_run_and_an_article_without_a_date(sqlite_ledger):
    table = sqlite_ledger("--wide", "extract", "docs/sources/001_e02439be91a7ab0b.txt", "--dry-run").stdout  # cells unwrapped
    assert "draft forecasts" in table and "Hong Min" in table and "strong possibility" in table
    undated = sqlite_ledger("extract", "docs/sources/000_d37a896191be213a.txt", "--source-id", "seed-000", "-o", "undated.yaml")
    assert "--published-on" in undated.stderr and "estimated" in undated.stderr
    draft = yaml.safe_load((sqlite_ledger.folder / "undated.yaml").read_text(encoding="utf-8"))
    today = dt.date.today().isoformat()
    assert draft["sources"][0]["note"].startswith("made_on_estimated") and "published_on" not in draft["sources"][0]
    assert {f["made_on"] for f in draft["forecasts"]} == {today}
    assert "added" in sqlite_ledger("import", "undated.yaml").output


@pytest.mark.parametrize("source_id", ["a\tb", "  ", "\x1b[31m", "a\nb"])
@pytest.mark.parametrize("initialised", [True, False])
def test_a_source_id_the_import_would_refuse_is_refused_and_nothing_written(make_ledger, sqlite_url, source_id, initialised):
    cli = make_ledger(sqlite_url, init=initialised)
    result = cli("extract", "docs/sources/001_e02439be91a7ab0b.txt", "--source-id", source_id, "-o", "d1.yaml", ok=False)
    assert "error: --source-id: " in result.stderr and "id" in result.stderr
    assert "\x1b" not in result.stderr  # the escape is shown, not sent to the terminal
    assert not (cli.folder / "d1.yaml").exists()


def test_the_library_names_the_source_id_field_it_refuses():
    from ledger.errors import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        extract("Rates may rise, analysts said.", source_id="a\tb")
    assert caught.value.fields == ["source_id"] and "tab" in str(caught.value.problems[0].message)
    assert extract("Rates may rise, analysts said.", source_id=" ok ").source["id"] == "ok"  # the rule drops outer spaces


@pytest.mark.parametrize("content", [b"", b"  \n\n\t ", b"\xef\xbb\xbf\n", b" " * 5000])
def test_an_empty_article_is_called_an_article(sqlite_ledger, content):
    (sqlite_ledger.folder / "blank.txt").write_bytes(content)
    result = sqlite_ledger("extract", "blank.txt", "-o", "d.yaml", ok=False)
    assert "the article is empty" in result.stderr and "plain text of a news article" in result.stderr
    assert "ledger file" not in result.stderr and not (sqlite_ledger.folder / "d.yaml").exists()


def test_every_cue_it_looks_for_is_on_a_scale():
    from ledger.extract.hedges import _TABLE
    from ledger.schema.probability import lookup_phrase

    for _, phrase, _, _, _ in _TABLE:
        lookup_phrase(phrase)  # raises for a phrase no scale knows


def test_every_corpus_article_drafts_a_file_that_imports(sqlite_ledger):
    """Numbers, groups, organisations, windows and undated articles all import as drafted."""
    sqlite_ledger("init")
    for path in sorted((ROOT / "tests" / "data" / "extract").glob("*.yaml")):
        article = sqlite_ledger.folder / f"{path.stem}.txt"
        article.write_text(yaml.safe_load(path.read_text(encoding="utf-8"))["text"], encoding="utf-8")
        sqlite_ledger("extract", article.name, "-o", f"{path.stem}.draft.yaml")
        assert "added" in sqlite_ledger("import", f"{path.stem}.draft.yaml").output, path.stem
